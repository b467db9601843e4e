/* sp-handlers-misc.c: health and the OpenAPI document */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

#include "sp-db-accounts.h"
#include "sp-handlers.h"
#include "sp-server.h"

static void
ping_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  gboolean reachable = sp_db_run_finish (request->server->db, result, &error) != NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, reachable ? "ok" : "unavailable");
  json_builder_set_member_name (builder, "database");
  json_builder_add_string_value (builder, reachable ? "ok" : "unreachable");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);

  sp_request_reply_builder (request, reachable ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, builder);
}

/* GET /api/v1.0/health: 200 when the database answers, 503 when it does not. */
void
sp_handle_health (SpRequest *request)
{
  sp_db_run_async (request->server->db, sp_db_ping, NULL, NULL, NULL, NULL, ping_cb, request);
}

/* GET /api/v1.0/openapi.json */
void
sp_handle_openapi (SpRequest *request)
{
  sp_request_reply_bytes (request, SOUP_STATUS_OK, "application/json", request->server->openapi);
}
