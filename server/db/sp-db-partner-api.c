/* sp-db-partner-api.c: SQL of the partner API: its services, status changes, protocol entries, schede informative and texts */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-elabora-private.h"
#include "sp-db-history.h"
#include "sp-db-partner-api.h"
#include "sp-db-partner-private.h"
#include "sp-db-pratica.h"
#include "sp-db-scope.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-protocol-config.h"

/* The active services in the partner's scope, as the JSON document of
 * GET /api/v1.0/services, written by PostgreSQL (an SpDbFunc). */
static gpointer
services (PGconn   *conn,
          gpointer  data,
          GError  **error)
{
  SpPrincipal *principal = data;
  g_autofree char *partner_id = g_strdup_printf ("%" G_GINT64_FORMAT, sp_principal_get_partner_id (principal));
  g_autoptr(SpDbQuery) sql = NULL;
  g_autoptr(SpDbScope) scope = NULL;
  g_autoptr(PGresult) result = NULL;
  const char *text;

  sql = sp_db_query_new ("SELECT json_build_object ('services', coalesce (json_agg (json_build_object ("
                         "  'slug', sv.slug, 'name', sv.name, 'description', sv.description,"
                         "  'ente', json_build_object ('code', e.code, 'name', e.name),"
                         "  'protocol_required', sv.protocol_required,"
                         "  'protocol_provider', sv.protocol_provider,"
                         "  'deadline_days', sv.deadline_days,"
                         "  'can_create', coalesce (ps.can_create, false),"
                         "  'fields', sv.field_schema, 'steps', sv.steps, 'texts', sv.texts)"
                         "  ORDER BY e.code, sv.slug), '[]'))::text"
                         " FROM servizio sv JOIN ente e ON e.id = sv.ente_id"
                         " LEFT JOIN partner_servizio ps ON ps.servizio_id = sv.id AND ps.partner_id = ");
  sp_db_query_append_param (sql, partner_id, "bigint");
  sp_db_query_append (sql, " WHERE sv.active AND ");
  scope = sp_db_scope_new_in (principal, sql);
  sp_db_scope_append (scope, sql, "sv.id");

  result = sp_db_query_exec (conn, sql, error);
  if (result == NULL)
    return NULL;
  text = sp_db_get (result, 0, 0);
  return g_bytes_new (text, strlen (text));
}

/**
 * sp_db_partner_services_async:
 *
 * Reads the active services @principal may see, with their field schema,
 * processing steps and texts.
 */
void
sp_db_partner_services_async (SpDb                *db,
                              SpPrincipal         *principal,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sp_db_partner_services_async);
  sp_db_task_run (db, SP_DB_ONCE, task, services, sp_principal_ref (principal), (GDestroyNotify) sp_principal_unref,
                  (GDestroyNotify) g_bytes_unref);
}

/* Returns: (transfer full): the JSON document `{services: […]}` */
GBytes *
sp_db_partner_services_finish (SpDb          *db,
                               GAsyncResult  *result,
                               GError       **error)
{
  return sp_db_task_finish (result, sp_db_partner_services_async, error);
}

void
sp_partner_action_free (SpPartnerAction *action)
{
  if (action == NULL)
    return;
  g_free (action->operatore);
  g_free (action->responsabile);
  g_free (action->struttura);
  g_free (action->timestamp);
  g_free (action->note);
  g_clear_pointer (&action->risposta, sp_risposta_free);
  g_clear_pointer (&action->pdf, g_bytes_unref);
  g_free (action);
}

void
sp_partner_call_free (PartnerCall *call)
{
  g_clear_pointer (&call->principal, sp_principal_unref);
  g_free (call->pratica);
  sp_partner_action_free (call->action);
  g_clear_pointer (&call->entries, json_node_unref);
  g_free (call->entries_text);
  g_free (call);
}

void
sp_partner_call_run (SpDb                *db,
                     gpointer             source_tag,
                     SpDbFunc             func,
                     PartnerCall         *call,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  sp_db_task_run (db, SP_DB_RETRY, task, func, call, (GDestroyNotify) sp_partner_call_free, NULL);
}

/**
 * sp_partner_find_query_new:
 * @for_update: whether to lock the pratica found
 *
 * The statement that finds (and with @for_update, locks) the pratica a
 * partner names, in its scope: by UUID, by the partner's own id
 * (offline/create's `id`) or by its per-ente number, in this order; check
 * its rows with sp_partner_found_check().
 * Columns: id, status, protocol_required, protocol_number IS NOT NULL, numero.
 */
SpDbQuery *
sp_partner_find_query_new (PartnerCall *call,
                           gboolean     for_update)
{
  g_autofree char *partner_id = g_strdup_printf ("%" G_GINT64_FORMAT, sp_principal_get_partner_id (call->principal));
  SpDbQuery *sql = sp_db_query_new ("");
  g_autoptr(SpDbScope) scope = NULL;
  const char *id = sp_db_query_param (sql, sp_pratica_id_is_valid (call->pratica) ? call->pratica : NULL, "uuid");
  const char *pid = sp_db_query_param (sql, partner_id, "bigint");
  const char *ref = sp_db_query_param (sql, call->pratica, "text");

  sp_db_query_append_printf (sql,
                             "SELECT p.id, p.status, sv.protocol_required, p.protocol_number IS NOT NULL,"
                             "       p.numero, x.rank"
                             " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id,"
                             " LATERAL (SELECT CASE WHEN p.id = %s THEN 0"
                             "                      WHEN p.partner_id = %s AND p.external_id = %s THEN 1"
                             "                      ELSE 2 END AS rank) x"
                             " WHERE (p.id = %s OR (p.partner_id = %s AND p.external_id = %s) OR p.numero = %s)"
                             "   AND ",
                             id, pid, ref, id, pid, ref, ref);
  scope = sp_db_scope_new_in (call->principal, sql);
  sp_db_scope_append (scope, sql, "p.servizio_id");
  sp_db_query_append (sql, for_update ? " ORDER BY x.rank LIMIT 2 FOR UPDATE OF p" : " ORDER BY x.rank LIMIT 2");
  return sql;
}

/**
 * sp_partner_found_check:
 * @found: the rows of sp_partner_find_query_new()
 *
 * Returns: whether they name one pratica: none is not found (404); a number
 *   two enti of the partner share is ambiguous (409)
 */
gboolean
sp_partner_found_check (PGresult  *found,
                        GError   **error)
{
  if (PQntuples (found) == 0)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      return FALSE;
    }
  if (PQntuples (found) == 2 && sp_db_get_int64 (found, 0, 5) == sp_db_get_int64 (found, 1, 5))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_CONFLICT,
                           "Two pratiche have this number: name the pratica by its UUID");
      return FALSE;
    }
  return TRUE;
}

/* Opens the call's transaction with @begin and finds in it the pratica the
 * partner names, in one round trip. The transaction is open when this
 * returns, failed or not. */
static PGresult *
begin_find_pratica (PGconn       *conn,
                    const char   *begin,
                    PartnerCall  *call,
                    gboolean      for_update,
                    GError      **error)
{
  g_autoptr(SpDbQuery) sql = sp_partner_find_query_new (call, for_update);
  g_autoptr(PGresult) found = NULL;

  if (!(found = sp_db_query_begin_exec (conn, begin, sql, error)) || !sp_partner_found_check (found, error))
    return NULL;
  return g_steal_pointer (&found);
}

/* Reads what the response to the applicant shows for a partner's accettata
 * or rifiutata (an SpDbFunc), once the event table allows it: the pratica is
 * not locked, nothing is written. */
static gpointer
partner_risposta (PGconn   *conn,
                  gpointer  data,
                  GError  **error)
{
  PartnerCall *call = data;
  g_autoptr(SpRisposta) risposta = sp_risposta_new ();
  g_autoptr(PGresult) pratica = NULL;
  SpStatus to;

  if (!(pratica = begin_find_pratica (conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", call, FALSE, error))
      || !sp_event_apply (call->event, (SpStatus) sp_db_get_int64 (pratica, 0, 1), sp_db_get_bool (pratica, 0, 2),
                          &to, error)
      || !sp_db_risposta_load (conn, sp_db_get (pratica, 0, 0), call->event == SP_EVENT_ACCETTATA,
                               call->action->note, NULL, risposta, error)
      || !sp_db_commit (conn, error))
    {
      sp_db_rollback (conn);
      return NULL;
    }
  return g_steal_pointer (&risposta);
}

/**
 * sp_db_partner_risposta_async:
 * @event: %SP_EVENT_ACCETTATA or %SP_EVENT_RIFIUTATA
 * @note: the motivation
 *
 * Reads what the response to the applicant shows, to be drawn on the CPU
 * workers before sp_db_partner_status_async() stores it with the event.
 * Refuses what sp_db_partner_status_async() would refuse (scope, event
 * table), before anything is drawn.
 */
void
sp_db_partner_risposta_async (SpDb                *db,
                              SpPrincipal         *principal,
                              const char          *pratica,
                              SpEvent              event,
                              const char          *note,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  PartnerCall *call = g_new0 (PartnerCall, 1);
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  call->principal = sp_principal_ref (principal);
  call->pratica = g_strdup (pratica);
  call->event = event;
  call->action = g_new0 (SpPartnerAction, 1);
  call->action->note = g_strdup (note);
  g_task_set_source_tag (task, sp_db_partner_risposta_async);
  sp_db_task_run (db, SP_DB_ONCE, task, partner_risposta, call, (GDestroyNotify) sp_partner_call_free,
                  (GDestroyNotify) sp_risposta_free);
}

/* Returns: (transfer full): what the response shows */
SpRisposta *
sp_db_partner_risposta_finish (SpDb          *db,
                               GAsyncResult  *result,
                               GError       **error)
{
  return sp_db_task_finish (result, sp_db_partner_risposta_async, error);
}

static gpointer
partner_protocolli (PGconn   *conn,
                    gpointer  data,
                    GError  **error)
{
  PartnerCall *call = data;
  JsonArray *entries = json_node_get_array (call->entries);
  SpActor actor = { "partner", 0, sp_principal_get_full_name (call->principal), "partner" };
  g_autoptr(PGresult) pratica = NULL;
  const char *number = sp_protocol_entries_main_number (entries);
  const char *main_number = number;
  const char *id;
  SpStatus from;
  SpStatus to;

  if (!(pratica = begin_find_pratica (conn, "BEGIN", call, TRUE, error)))
    goto failed;
  if (json_array_get_length (entries) == 0)
    {
      sp_db_rollback (conn);
      return GINT_TO_POINTER (TRUE);
    }
  id = sp_db_get (pratica, 0, 0);
  from = (SpStatus) sp_db_get_int64 (pratica, 0, 1);
  if (sp_db_get_bool (pratica, 0, 3))
    main_number = NULL;   /* it has its main number */

  if (!sp_db_command_prepared (conn,
                               "UPDATE pratica SET protocol_entries = protocol_entries || $2::jsonb,"
                               "   protocol_number = coalesce (protocol_number, $3::text),"
                               "   protocol_date = CASE WHEN protocol_number IS NULL AND $3::text IS NOT NULL"
                               "                        THEN now () ELSE protocol_date END,"
                               "   updated_at = now ()"
                               " WHERE id = $1::uuid",
                               3, SP_DB_PARAMS (id, call->entries_text, main_number), error))
    goto failed;

  /* A waiting pratica moves on: the modulo registered (its main number, as
   * with `evento: protocollata`), or the response (any number, 6000 → 7000,
   * 8000 → 9000). */
  to = sp_status_after_registration (from);
  if (sp_db_get_bool (pratica, 0, 2) && to != SP_STATUS_INVALID
      && (from == SP_STATUS_SUBMITTED ? main_number != NULL : number != NULL))
    {
      g_autofree char *to_text = g_strdup_printf ("%d", (int) to);
      gboolean arrivo = from == SP_STATUS_SUBMITTED;
      g_autofree char *note = arrivo ? g_strdup (number)
                                     : g_strdup_printf ("Esito protocollato in uscita: n. %s", number);

      if (!sp_db_command_prepared (conn, "UPDATE pratica SET status = $2::integer WHERE id = $1::uuid",
                                   2, SP_DB_PARAMS (id, to_text), error)
          || !sp_db_record_change (conn, id, to, from,
                                   arrivo ? sp_event_get_name (SP_EVENT_PROTOCOLLATA) : "Protocollazione esito",
                                   &actor, note, error))
        goto failed;
    }
  else if (!sp_db_version_append (conn, id, "Protocolli", &actor, NULL, error))
    goto failed;

  if (!sp_db_commit (conn, error))
    goto failed;
  return GINT_TO_POINTER (TRUE);

failed:
  sp_db_rollback (conn);
  return NULL;
}

/**
 * sp_db_partner_protocolli_async:
 * @pratica: the pratica as the partner names it
 * @entries: the entries, any JSON values
 * @text: the same as the partner wrote them: what is kept
 *
 * Appends @entries to the pratica's protocol entries (DESIGN.md §4).
 */
void
sp_db_partner_protocolli_async (SpDb                *db,
                                SpPrincipal         *principal,
                                const char          *pratica,
                                JsonArray           *entries,
                                const char          *text,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  PartnerCall *call = g_new0 (PartnerCall, 1);

  call->principal = sp_principal_ref (principal);
  call->pratica = g_strdup (pratica);
  call->entries = json_node_init_array (json_node_alloc (), entries);
  call->entries_text = g_strdup (text);
  sp_partner_call_run (db, sp_db_partner_protocolli_async, partner_protocolli, call, cancellable, callback, user_data);
}

gboolean
sp_db_partner_protocolli_finish (SpDb          *db,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return sp_db_task_finish (result, sp_db_partner_protocolli_async, error) != NULL;
}

typedef struct
{
  SpPrincipal  *principal;
  char         *servizio;
  char         *ente;
  SpServizioOp  op;
  char         *step;
  char         *value;
} ServizioCall;

static void
servizio_call_free (ServizioCall *call)
{
  g_clear_pointer (&call->principal, sp_principal_unref);
  g_free (call->servizio);
  g_free (call->ente);
  g_free (call->step);
  g_free (call->value);
  g_free (call);
}

/* One statement on a service of the partner's scope (an SpDbFunc): the
 * scheda informativa read, or stored, or a step's text stored. */
static gpointer
partner_servizio (PGconn   *conn,
                  gpointer  data,
                  GError  **error)
{
  ServizioCall *call = data;
  g_autoptr(SpDbQuery) sql = NULL;
  g_autoptr(SpDbScope) scope = NULL;
  g_autoptr(PGresult) result = NULL;
  const char *text;

  switch (call->op)
    {
    case SP_SERVIZIO_READ_SCHEDA:
      sql = sp_db_query_new ("SELECT sv.scheda_informativa::text FROM servizio sv");
      break;
    case SP_SERVIZIO_WRITE_SCHEDA:
      sql = sp_db_query_new ("UPDATE servizio sv SET updated_at = now (), scheda_informativa = ");
      sp_db_query_append_param (sql, call->value, "jsonb");
      break;
    case SP_SERVIZIO_WRITE_TEXT:
      sql = sp_db_query_new ("UPDATE servizio sv SET updated_at = now (), texts = sv.texts || jsonb_build_object (");
      sp_db_query_append_param (sql, call->step, "text");
      sp_db_query_append (sql, ", ");
      sp_db_query_append_param (sql, call->value, "text");
      sp_db_query_append (sql, ")");
      break;
    default:
      g_assert_not_reached ();
    }
  sp_db_query_append (sql, " WHERE sv.slug = ");
  sp_db_query_append_param (sql, call->servizio, "text");
  sp_db_query_append (sql, " AND sv.ente_id = (SELECT e.id FROM ente e WHERE e.code = ");
  sp_db_query_append_param (sql, call->ente, "text");
  sp_db_query_append (sql, ") AND ");
  scope = sp_db_scope_new_in (call->principal, sql);
  sp_db_scope_append (scope, sql, "sv.id");
  sp_db_query_append (sql, call->op == SP_SERVIZIO_READ_SCHEDA ? "" : " RETURNING sv.id");

  if (!(result = sp_db_query_exec (conn, sql, error)))
    return NULL;
  if (PQntuples (result) != 1)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such service of this ente granted to the partner");
      return NULL;
    }
  if (call->op != SP_SERVIZIO_READ_SCHEDA)
    return g_bytes_new (NULL, 0);
  if (!(text = sp_db_get (result, 0, 0)))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "The service has no scheda informativa yet");
      return NULL;
    }
  return g_bytes_new (text, strlen (text));
}

/**
 * sp_db_partner_servizio_async:
 * @servizio: the service's slug
 * @ente: the ente's code
 * @step: (nullable): the compilation step, for %SP_SERVIZIO_WRITE_TEXT
 * @value: (nullable): the scheda (JSON text) or the step's text to store
 *
 * Reads or writes a service in @principal's scope: 404 outside it.
 */
void
sp_db_partner_servizio_async (SpDb                *db,
                              SpPrincipal         *principal,
                              const char          *servizio,
                              const char          *ente,
                              SpServizioOp         op,
                              const char          *step,
                              const char          *value,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ServizioCall *call = g_new0 (ServizioCall, 1);

  call->principal = sp_principal_ref (principal);
  call->servizio = g_strdup (servizio);
  call->ente = g_strdup (ente);
  call->op = op;
  call->step = g_strdup (step);
  call->value = g_strdup (value);
  g_task_set_source_tag (task, sp_db_partner_servizio_async);
  sp_db_task_run (db, SP_DB_ONCE, task, partner_servizio, call, (GDestroyNotify) servizio_call_free,
                  (GDestroyNotify) g_bytes_unref);
}

/* Returns: (transfer full): the scheda informativa as JSON text; empty after a write */
GBytes *
sp_db_partner_servizio_finish (SpDb          *db,
                               GAsyncResult  *result,
                               GError       **error)
{
  return sp_db_task_finish (result, sp_db_partner_servizio_async, error);
}
