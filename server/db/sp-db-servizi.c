/* sp-db-servizi.c: SQL for the services an operator is enabled for */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-servizi.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-protocol-config.h"

/**
 * sp_db_protocol_configs: (SpDbFunc)
 * @account_id: a `gint64 *`
 *
 * Returns: (transfer full): a #GPtrArray of #SpProtocolConfig, one per active
 *   service of the account's ente that the account is enabled for, by name
 */
gpointer
sp_db_protocol_configs (PGconn   *conn,
                        gpointer  data,
                        GError  **error)
{
  g_autofree char *account_id = g_strdup_printf ("%" G_GINT64_FORMAT, *(gint64 *) data);
  g_autoptr(GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_protocol_config_free);
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "SELECT sv.slug, sv.name, sv.protocol_required, sv.protocol_provider,"
                       "       sv.protocol_config::text"
                       " FROM account a"
                       " JOIN account_servizio x ON x.account_id = a.id"
                       " JOIN servizio sv ON sv.id = x.servizio_id AND sv.ente_id = a.ente_id"
                       " WHERE a.id = $1::bigint AND sv.active"
                       " ORDER BY sv.name, sv.slug",
                       1, SP_DB_PARAMS (account_id), error);
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
