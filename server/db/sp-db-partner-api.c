/* sp-db-partner-api.c: SQL of the partner API: its services, schede informative and texts */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-history.h"
#include "sp-db-partner-api.h"
#include "sp-db-pratica.h"
#include "sp-db-scope.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-processing.h"

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
  g_free (action);
}

/* One partner call on one pratica. */
typedef struct
{
  SpPrincipal      *principal;
  char             *pratica;     /* UUID, per-ente number or the partner's own id */
  SpEvent           event;
  SpPartnerAction  *action;
  JsonNode         *entries;     /* protocolli */
} PartnerCall;

static void
partner_call_free (PartnerCall *call)
{
  g_clear_pointer (&call->principal, sp_principal_unref);
  g_free (call->pratica);
  sp_partner_action_free (call->action);
  g_clear_pointer (&call->entries, json_node_unref);
  g_free (call);
}

static void
partner_call_run (SpDb                *db,
                  gpointer             source_tag,
                  SpDbFunc             func,
                  PartnerCall         *call,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  sp_db_task_run (db, SP_DB_RETRY, task, func, call, (GDestroyNotify) partner_call_free, NULL);
}

/* Finds and locks the pratica a partner names, in its scope: by UUID, by the
 * partner's own id (offline/create's `id`) or by its per-ente number, in this
 * order; a number two enti of the partner share is ambiguous (409).
 * Columns: id, status, protocol_required, protocol_number IS NOT NULL. */
static PGresult *
lock_pratica (PGconn       *conn,
              PartnerCall  *call,
              GError      **error)
{
  g_autofree char *partner_id = g_strdup_printf ("%" G_GINT64_FORMAT, sp_principal_get_partner_id (call->principal));
  g_autoptr(SpDbQuery) sql = sp_db_query_new ("");
  g_autoptr(SpDbScope) scope = NULL;
  g_autoptr(PGresult) found = NULL;
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
  sp_db_query_append (sql, " ORDER BY x.rank LIMIT 2 FOR UPDATE OF p");

  if (!(found = sp_db_query_exec (conn, sql, error)))
    return NULL;
  if (PQntuples (found) == 0)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      return NULL;
    }
  if (PQntuples (found) == 2 && sp_db_get_int64 (found, 0, 5) == sp_db_get_int64 (found, 1, 5))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_CONFLICT,
                           "Two pratiche have this number: name the pratica by its UUID");
      return NULL;
    }
  return g_steal_pointer (&found);
}

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

/* Applies a partner's event (an SpDbFunc) in one transaction: the event
 * table of common/ decides the new status; the pratica, then its iter,
 * version and e-mail through the one writer of status changes. */
static gpointer
partner_status (PGconn   *conn,
                gpointer  data,
                GError  **error)
{
  PartnerCall *call = data;
  g_autofree char *name = actor_name (call);
  g_autofree char *detail = actor_detail (call->action);
  SpActor actor = { "partner", 0, name, "partner", call->action->timestamp, detail };
  g_autoptr(PGresult) pratica = NULL;
  g_autofree char *target_text = NULL;
  const char *outcome = NULL;
  SpStatus from;
  SpStatus to;

  if (!sp_db_begin (conn, error))
    return NULL;
  if (!(pratica = lock_pratica (conn, call, error)))
    goto failed;
  from = (SpStatus) sp_db_get_int64 (pratica, 0, 1);
  if (!sp_event_apply (call->event, from, sp_db_get_bool (pratica, 0, 2), &to, error))
    goto failed;

  if (call->event == SP_EVENT_ACCETTATA)
    outcome = SP_ESITO_ACCEPTED;
  else if (call->event == SP_EVENT_RIFIUTATA)
    outcome = SP_ESITO_REJECTED;
  target_text = g_strdup_printf ("%d", (int) to);
  if (!sp_db_command (conn,
                      "UPDATE pratica SET status = $2::integer, outcome = coalesce ($3, outcome),"
                      "   motivation = CASE WHEN $3 IS NULL THEN motivation ELSE $4 END,"
                      "   concluded_at = CASE WHEN $5::boolean THEN now () ELSE concluded_at END,"
                      "   updated_at = now ()"
                      " WHERE id = $1::uuid",
                      5, SP_DB_PARAMS (sp_db_get (pratica, 0, 0), target_text, outcome, call->action->note,
                                       sp_status_is_concluded (to) ? "true" : "false"),
                      error)
      || !sp_db_record_change (conn, sp_db_get (pratica, 0, 0), to, from, sp_event_get_name (call->event), &actor,
                               call->action->note, error)
      || !sp_db_commit (conn, error))
    goto failed;
  return GINT_TO_POINTER (TRUE);

failed:
  sp_db_rollback (conn);
  return NULL;
}

/**
 * sp_db_partner_status_async:
 * @pratica: the pratica as the partner names it: UUID, per-ente number or
 *   its own id
 * @action: (transfer full): who acted, when, and the note
 *
 * Applies @event to the pratica (DESIGN.md §3, "Partner events"): 404
 * outside the partner's scope, %SP_ERROR_TRANSITION_NOT_ALLOWED when the
 * event table refuses it in the pratica's status.
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
  PartnerCall *call = g_new0 (PartnerCall, 1);

  call->principal = sp_principal_ref (principal);
  call->pratica = g_strdup (pratica);
  call->event = event;
  call->action = action;
  partner_call_run (db, sp_db_partner_status_async, partner_status, call, cancellable, callback, user_data);
}

gboolean
sp_db_partner_status_finish (SpDb          *db,
                             GAsyncResult  *result,
                             GError       **error)
{
  return sp_db_task_finish (result, sp_db_partner_status_async, error) != NULL;
}
