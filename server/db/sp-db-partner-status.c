/* sp-db-partner-status.c: SQL of a partner's events on its pratiche, the events that queue meanwhile applied together */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-batch.h"
#include "sp-db-elabora-private.h"
#include "sp-db-history.h"
#include "sp-db-partner-private.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-json.h"

/* The most events in one transaction: a burst of one partner's events, or
 * the events of many partners at once. */
#define MAX_EVENTS_PER_BATCH 32

/* The partner as the iter and the versions show it, with who acted on its side. */
static char *
actor_name (PartnerCall *call)
{
  return g_strdup_printf ("%s (operatore %s, responsabile %s, struttura %s)",
                          sp_principal_get_full_name (call->principal), call->action->operatore,
                          call->action->responsabile, call->action->struttura);
}

static char *
actor_detail (SpPartnerAction *action)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "operatore");
  json_builder_add_string_value (builder, action->operatore);
  json_builder_set_member_name (builder, "responsabile");
  json_builder_add_string_value (builder, action->responsabile);
  json_builder_set_member_name (builder, "struttura");
  json_builder_add_string_value (builder, action->struttura);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return sp_json_to_string (node, NULL);
}

/* An event, once its pratica is found and locked: what it does there. */
typedef struct
{
  PGresult *pratica;   /* the row sp_partner_find_query_new() found */
  SpStatus  from;
  SpStatus  to;
} Decided;

/* Decides an event before anything is written: the event table of common/
 * gives the new status; a response must have been drawn for this pratica as
 * it still is (the same number). */
static gboolean
decide (PartnerCall  *call,
        PGresult     *pratica,
        Decided      *decided,
        GError      **error)
{
  decided->pratica = pratica;
  decided->from = (SpStatus) sp_db_get_int64 (pratica, 0, 1);
  if (!sp_event_apply (call->event, decided->from, sp_db_get_bool (pratica, 0, 2), &decided->to, error))
    return FALSE;
  if (call->action->pdf != NULL && g_strcmp0 (sp_db_get (pratica, 0, 4), call->action->risposta->numero) != 0)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_CONFLICT, "The pratica changed meanwhile: send the event again");
      return FALSE;
    }
  return TRUE;
}

/* istruttoria after preistruttoria changes nothing of the pratica: no
 * UPDATE, which would hold its service's dashboard counts until commit. */
static const char update_sql[] =
  "UPDATE pratica SET status = $2::integer, outcome = coalesce ($3, outcome),"
  "   motivation = CASE WHEN $3 IS NULL THEN motivation ELSE $4 END,"
  "   concluded_at = CASE WHEN $5::boolean THEN now () ELSE concluded_at END,"
  "   updated_at = now ()"
  " WHERE id = $1::uuid";

/* What a decided event writes: the pratica's row when its status or outcome
 * changes, then the change through the one writer of status changes. */
typedef struct
{
  PartnerCall          *call;
  const Decided        *decided;
  char                 *name;
  char                 *detail;
  char                 *target;
  SpActor               actor;
  gboolean              updates;
  const char           *update_params[5];
} EventWrite;

static void
event_write_init (EventWrite    *self,
                  PartnerCall   *call,
                  const Decided *decided)
{
  const char *id = sp_db_get (decided->pratica, 0, 0);
  const char *outcome = NULL;

  if (call->event == SP_EVENT_ACCETTATA)
    outcome = SP_ESITO_ACCEPTED;
  else if (call->event == SP_EVENT_RIFIUTATA)
    outcome = SP_ESITO_REJECTED;
  self->call = call;
  self->decided = decided;
  self->name = actor_name (call);
  self->detail = actor_detail (call->action);
  self->target = g_strdup_printf ("%d", (int) decided->to);
  self->actor = (SpActor) { "partner", 0, self->name, "partner", call->action->timestamp, self->detail };
  self->updates = decided->to != decided->from || outcome != NULL;
  self->update_params[0] = id;
  self->update_params[1] = self->target;
  self->update_params[2] = outcome;
  self->update_params[3] = call->action->note;
  self->update_params[4] = sp_status_is_concluded (decided->to) ? "true" : "false";
}

static void
event_write_clear (EventWrite *self)
{
  if (self->call == NULL)
    return;
  g_free (self->name);
  g_free (self->detail);
  g_free (self->target);
}

/* Whether the event's writes are statements that need no other's result
 * (no response to store, no e-mail, no registration): they can go in one
 * round trip with the other events' and COMMIT. */
static gboolean
event_write_is_independent (const EventWrite *self)
{
  return self->call->action->pdf == NULL && sp_db_change_is_history_only (self->decided->to, self->decided->from);
}

/* Writes the event in the open transaction, statement after statement: the
 * response, the pratica, then the change with its e-mail or registration. */
static gboolean
event_write_run (const EventWrite  *self,
                 PGconn            *conn,
                 GError           **error)
{
  PartnerCall *call = self->call;
  const char *id = self->update_params[0];

  if (call->action->pdf != NULL)
    {
      g_autofree char *filename = sp_risposta_filename (call->action->risposta);

      if (!sp_db_risposta_store (conn, id, filename, call->action->pdf, error))
        return FALSE;
    }
  if (self->updates && !sp_db_command_prepared (conn, update_sql, G_N_ELEMENTS (self->update_params),
                                                self->update_params, error))
    return FALSE;
  return sp_db_record_change (conn, id, self->decided->to, self->decided->from, sp_event_get_name (call->event),
                              &self->actor, call->action->note, error);
}

/* Writes the events of @writes: those with an e-mail, a registration or a
 * response one after the other; then the others' updates, their iter rows
 * and versions as one set, and COMMIT, in one round trip. */
static gboolean
write_events (PGconn      *conn,
              EventWrite  *writes,
              guint        n_writes,
              GError     **error)
{
  g_autoptr(GArray) statements = g_array_new (FALSE, FALSE, sizeof (SpDbStatement));
  g_autofree PGresult **results = NULL;
  static const SpDbStatement commit = { "COMMIT", 0, NULL, FALSE };
  SpDbHistorySet history;
  gboolean ok = TRUE;

  sp_db_history_set_init (&history);
  for (guint i = 0; i < n_writes && ok; i++)
    {
      EventWrite *write = &writes[i];

      if (!event_write_is_independent (write))
        ok = event_write_run (write, conn, error);
      else
        {
          if (write->updates)
            g_array_append_val (statements, ((SpDbStatement) { update_sql, G_N_ELEMENTS (write->update_params),
                                                               write->update_params, TRUE }));
          sp_db_history_set_add (&history, write->update_params[0], write->decided->to, write->decided->from,
                                 sp_event_get_name (write->call->event), &write->actor, write->call->action->note);
        }
    }
  if (ok)
    {
      if (!sp_db_history_set_is_empty (&history))
        {
          sp_db_history_set_end (&history);
          g_array_append_val (statements, history.statement);
        }
      g_array_append_val (statements, commit);
      results = g_new0 (PGresult *, statements->len);
      ok = sp_db_exec_all (conn, (SpDbStatement *) statements->data, statements->len, results, error);
      if (ok && !sp_db_history_set_is_empty (&history))
        ok = sp_db_history_set_check (&history, results[statements->len - 2], error);
      for (guint i = 0; i < statements->len; i++)
        g_clear_pointer (&results[i], PQclear);
    }
  sp_db_history_set_clear (&history);
  return ok;
}

/* An SpDbBatchFunc: partners' events in one transaction. BEGIN and the
 * lookup (and lock) of every pratica go in one round trip; the events the
 * event table refuses, or whose pratica is not found, get their error and
 * write nothing; an event on a pratica an earlier one of the batch changes
 * waits for the next batch; the others are written, and committed. */
static gboolean
apply_events (PGconn         *conn,
              SpDbBatchCall **calls,
              guint           n_calls,
              GError        **error)
{
  g_autoptr(GPtrArray) queries = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_db_query_free);
  g_autofree SpDbStatement *statements = g_new0 (SpDbStatement, n_calls + 1);
  g_autofree PGresult **found = g_new0 (PGresult *, n_calls + 1);
  g_autofree Decided *decided = g_new0 (Decided, n_calls);
  g_autofree EventWrite *writes = g_new0 (EventWrite, n_calls);
  g_autofree guint *written = g_new0 (guint, n_calls);
  g_autoptr(GHashTable) locked = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_writes = 0;
  gboolean ok;

  statements[0] = (SpDbStatement) { "BEGIN", 0, NULL, FALSE };
  for (guint i = 0; i < n_calls; i++)
    {
      SpDbQuery *query = sp_partner_find_query_new (calls[i]->data, TRUE);

      g_ptr_array_add (queries, query);
      statements[i + 1] = (SpDbStatement) { sp_db_query_get_sql (query), (int) sp_db_query_get_n_params (query),
                                            sp_db_query_get_params (query), TRUE };
    }
  if (!sp_db_exec_all (conn, statements, n_calls + 1, found, error))
    return FALSE;

  for (guint i = 0; i < n_calls; i++)
    {
      PGresult *pratica = found[i + 1];

      if (!sp_partner_found_check (pratica, &calls[i]->error))
        continue;
      if (g_hash_table_contains (locked, sp_db_get (pratica, 0, 0)))
        {
          calls[i]->deferred = TRUE;
          continue;
        }
      g_hash_table_add (locked, (gpointer) sp_db_get (pratica, 0, 0));
      if (decide (calls[i]->data, pratica, &decided[i], &calls[i]->error))
        {
          event_write_init (&writes[n_writes], calls[i]->data, &decided[i]);
          written[n_writes++] = i;
        }
    }

  ok = write_events (conn, writes, n_writes, error);
  for (guint i = 0; i < n_writes; i++)
    {
      event_write_clear (&writes[i]);
      if (ok)
        calls[written[i]]->result = GINT_TO_POINTER (TRUE);
    }
  for (guint i = 0; i <= n_calls; i++)
    g_clear_pointer (&found[i], PQclear);
  return ok;
}

/* Applies one partner's event alone (an SpDbFunc): a batch of one. */
static gpointer
apply_event (PGconn   *conn,
             gpointer  data,
             GError  **error)
{
  SpDbBatchCall call = { data };
  SpDbBatchCall *calls[] = { &call };

  if (!apply_events (conn, calls, 1, error))
    {
      sp_db_rollback (conn);
      return NULL;
    }
  if (call.error != NULL)
    {
      g_propagate_error (error, call.error);
      return NULL;
    }
  return call.result;
}

static const SpDbBatchKind events = { apply_events, apply_event, MAX_EVENTS_PER_BATCH };

/**
 * sp_db_partner_status_async:
 * @pratica: the pratica as the partner names it: UUID, per-ente number or
 *   its own id
 * @action: (transfer full): who acted, when, and the note
 *
 * Applies @event to the pratica (DESIGN.md §3, "Partner events"): 404
 * outside the partner's scope, %SP_ERROR_TRANSITION_NOT_ALLOWED when the
 * event table refuses it in the pratica's status. Events that arrive while
 * the database works on others are applied with them, in one transaction.
 */
void
sp_db_partner_status_async (SpDb                *db,
                            SpPrincipal         *principal,
                            const char          *pratica,
                            SpEvent              event,
                            SpPartnerAction     *action,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  PartnerCall *call = g_new0 (PartnerCall, 1);

  g_task_set_source_tag (task, sp_db_partner_status_async);
  call->principal = sp_principal_ref (principal);
  call->pratica = g_strdup (pratica);
  call->event = event;
  call->action = action;
  sp_db_batch_run (db, &events, task, call, (GDestroyNotify) sp_partner_call_free, NULL);
}

gboolean
sp_db_partner_status_finish (SpDb          *db,
                             GAsyncResult  *result,
                             GError       **error)
{
  return sp_db_task_finish (result, sp_db_partner_status_async, error) != NULL;
}
