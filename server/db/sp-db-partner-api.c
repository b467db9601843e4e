/* sp-db-partner-api.c: SQL of the partner API: its services, schede informative and texts */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-partner-api.h"
#include "sp-db-scope.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"

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
