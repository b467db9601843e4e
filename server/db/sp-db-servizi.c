/* sp-db-servizi.c: SQL for the services an operator is enabled for */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-scope.h"
#include "sp-db-servizi.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-protocol-config.h"

/* The active services in the principal's scope, by name (an SpDbFunc). */
static gpointer
protocol_configs (PGconn   *conn,
                  gpointer  data,
                  GError  **error)
{
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_protocol_config_free);
  g_autoptr(SpDbQuery) sql = sp_db_query_new ("SELECT sv.slug, sv.name, sv.protocol_required,"
                                              "       sv.protocol_provider, sv.protocol_config::text"
                                              " FROM servizio sv WHERE ");
  g_autoptr(SpDbScope) scope = sp_db_scope_new_in (data, sql);
  g_autoptr(PGresult) result = NULL;

  sp_db_scope_append (scope, sql, "sv.id");
  sp_db_query_append (sql, " AND sv.active ORDER BY sv.name, sv.slug");
  result = sp_db_query_exec (conn, sql, error);
  if (result == NULL)
    return NULL;

  for (int row = 0; row < PQntuples (result); row++)
    {
      g_autoptr(SpProtocolConfig) config = sp_protocol_config_new ();
      const char *protocol = sp_db_get (result, row, 4);
      g_autoptr(JsonNode) node = sp_json_parse (protocol, strlen (protocol), error);

      config->servizio_slug = g_strdup (sp_db_get (result, row, 0));
      config->servizio_name = g_strdup (sp_db_get (result, row, 1));
      config->protocol_required = sp_db_get_bool (result, row, 2);
      sp_protocol_provider_from_string (sp_db_get (result, row, 3), &config->provider);
      if (node == NULL || !sp_protocol_config_set_entries (config, node, error))
        return NULL;
      g_ptr_array_add (configs, g_steal_pointer (&config));
    }

  return g_steal_pointer (&configs);
}

/**
 * sp_db_protocol_configs_async:
 *
 * Reads the protocol configuration of the active services in @principal's
 * scope: for an operator, those of its ente it is enabled for.
 */
void
sp_db_protocol_configs_async (SpDb                *db,
                              SpPrincipal         *principal,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sp_db_protocol_configs_async);
  sp_db_task_run (db, SP_DB_ONCE, task, protocol_configs, sp_principal_ref (principal), (GDestroyNotify) sp_principal_unref,
                  (GDestroyNotify) g_ptr_array_unref);
}

/**
 * sp_db_protocol_configs_finish:
 *
 * Returns: (transfer full) (element-type SpProtocolConfig): one per service,
 *   by name
 */
GPtrArray *
sp_db_protocol_configs_finish (SpDb          *db,
                               GAsyncResult  *result,
                               GError       **error)
{
  return sp_db_task_finish (result, sp_db_protocol_configs_async, error);
}
