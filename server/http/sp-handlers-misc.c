/* sp-handlers-misc.c: health and the OpenAPI document */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

#include "sp-handlers.h"
#include "sp-server.h"

/* GET /api/v1.0/health: answered at once from the last periodic check of the
 * database (sp-db-health.c), never by a query of its own: 200 "ok", or 503
 * "degraded" while the database does not answer (so that a load balancer
 * sends requests to another server). */
void
sp_handle_health (SpRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  SpDbHealthState state = { 0 };
  gboolean reachable = sp_db_get_health (request->server->db, &state) && state.reachable;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, reachable ? "ok" : "degraded");
  json_builder_set_member_name (builder, "database");
  json_builder_add_string_value (builder, reachable ? "ok" : "unreachable");
  if (state.checked_at != 0)
    {
      g_autoptr(GDateTime) checked = g_date_time_new_from_unix_utc (state.checked_at / G_USEC_PER_SEC);
      g_autofree char *checked_at = g_date_time_format_iso8601 (checked);

      json_builder_set_member_name (builder, "database_checked_at");
      json_builder_add_string_value (builder, checked_at);
    }
  if (reachable)
    {
      json_builder_set_member_name (builder, "database_latency_ms");
      json_builder_add_double_value (builder, state.latency_us / 1000.0);
    }
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);

  sp_request_reply_builder (request, reachable ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, builder);
}

/* GET /api/v1.0/openapi.json */
void
sp_handle_openapi (SpRequest *request)
{
  sp_request_reply_bytes (request, SOUP_STATUS_OK, "application/json", request->server->openapi);
}
