/* sp-handlers-operator.c: what operators read about their services (Configurazione di protocollo) */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

#include "sp-db-servizi.h"
#include "sp-handlers.h"
#include "sp-protocol-config.h"
#include "sp-server.h"

static void
protocol_configs_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) configs = sp_db_protocol_configs_finish (request->server->db, result, &error);
  g_autoptr(JsonBuilder) builder = NULL;

  if (configs == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "servizi");
  json_builder_begin_array (builder);
  for (guint i = 0; i < configs->len; i++)
    sp_protocol_config_to_json (g_ptr_array_index (configs, i), builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  sp_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

/* GET /api/v1.0/operator/protocol-config: the services the operator is enabled for. */
void
sp_handle_protocol_config (SpRequest *request)
{
  sp_db_protocol_configs_async (request->server->db, request->principal, request->cancellable,
                                protocol_configs_cb, request);
}
