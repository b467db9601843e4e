/* sp-handlers-metrics.c: the usage metrics (DESIGN.md §7): headline figures, submitted pratiche per bucket, and Prometheus */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

#include <string.h>

#include "sp-db-metrics.h"
#include "sp-handlers.h"
#include "sp-prometheus-access.h"
#include "sp-request-stats.h"
#include "sp-server.h"

static void
metrics_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) document = sp_db_metrics_finish (request->server->db, result, &error);

  if (document == NULL)
    sp_request_reply_failure (request, error);
  else
    sp_request_reply_bytes (request, SOUP_STATUS_OK, "application/json", document);
}

/* GET /api/v1.0/operator/metrics/summary */
void
sp_handle_metrics_summary (SpRequest *request)
{
  sp_db_metrics_summary_async (request->server->db, request->principal, request->cancellable, metrics_cb, request);
}

static gboolean
is_slug (const char *text)
{
  gsize length = strlen (text);

  if (length == 0 || length > 64 || !(g_ascii_islower (text[0]) || g_ascii_isdigit (text[0])))
    return FALSE;
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_islower (*c) && !g_ascii_isdigit (*c) && *c != '-')
      return FALSE;
  return TRUE;
}

/* GET /api/v1.0/operator/metrics/pratiche?window=…&servizio=…&status=… */
void
sp_handle_metrics_pratiche (SpRequest *request)
{
  const char *window_text = sp_request_get_query (request, "window");
  const char *servizio = sp_request_get_query (request, "servizio");
  const char *status_text = sp_request_get_query (request, "status");
  g_autoptr(JsonArray) errors = json_array_new ();
  SpMetricsWindow window = SP_METRICS_WINDOW_7D;
  SpStatus status = SP_STATUS_INVALID;
  guint64 code = 0;

  if (window_text != NULL && !sp_metrics_window_from_string (window_text, &window))
    sp_problem_add_field_error (errors, "window", "Must be one of 5m, 1h, 1d, 7d, 30d, 90d");
  if (servizio != NULL && !is_slug (servizio))
    sp_problem_add_field_error (errors, "servizio", "Must be a service's slug");
  if (status_text != NULL)
    {
      if (g_ascii_string_to_unsigned (status_text, 10, 1, 99999, &code, NULL) && sp_status_is_valid ((int) code))
        status = (SpStatus) code;
      else
        sp_problem_add_field_error (errors, "status", "Must be a status code (2000, 3000, …)");
    }
  if (json_array_get_length (errors) > 0)
    {
      sp_request_reply_field_errors (request, errors);
      return;
    }
  sp_db_metrics_pratiche_async (request->server->db, request->principal, window, servizio, status,
                                request->cancellable, metrics_cb, request);
}

/* GET /api/v1.0/operator/metrics/processing?window=… (90 days unless asked) */
void
sp_handle_metrics_processing (SpRequest *request)
{
  const char *window_text = sp_request_get_query (request, "window");
  SpMetricsWindow window = SP_METRICS_WINDOW_90D;

  if (window_text != NULL && !sp_metrics_window_from_string (window_text, &window))
    {
      g_autoptr(JsonArray) errors = json_array_new ();

      sp_problem_add_field_error (errors, "window", "Must be one of 5m, 1h, 1d, 7d, 30d, 90d");
      sp_request_reply_field_errors (request, errors);
      return;
    }
  sp_db_metrics_processing_async (request->server->db, request->principal, window,
                                  request->cancellable, metrics_cb, request);
}

/* GET /metrics: Prometheus's text format, for the operations staff. */

static void
prometheus_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) database = sp_db_metrics_finish (request->server->db, result, &error);
  g_autoptr(GString) text = NULL;
  g_autoptr(GBytes) body = NULL;

  if (database == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  text = g_string_new_len (g_bytes_get_data (database, NULL), (gssize) g_bytes_get_size (database));
  sp_request_stats_append (request->server->request_stats, text);
  body = g_string_free_to_bytes (g_steal_pointer (&text));
  sp_request_reply_bytes (request, SOUP_STATUS_OK, "text/plain; version=0.0.4; charset=utf-8", body);
}

void
sp_handle_prometheus (SpRequest *request)
{
  g_autoptr(GError) refusal = NULL;

  switch (sp_prometheus_gate_check (request->server->prometheus_gate, request->msg))
    {
    case SP_PROMETHEUS_ALLOWED:
      sp_db_metrics_prometheus_async (request->server->db, request->cancellable, prometheus_cb, request);
      return;
    case SP_PROMETHEUS_OFF:
      refusal = g_error_new_literal (SP_ERROR, SP_ERROR_NOT_FOUND, "Metrics are not enabled ([metrics] of the configuration)");
      break;
    case SP_PROMETHEUS_NO_TOKEN:
      refusal = g_error_new_literal (SP_ERROR, SP_ERROR_UNAUTHENTICATED, "Metrics need the bearer token of [metrics] token-file");
      break;
    case SP_PROMETHEUS_NOT_FROM_HERE:
    default:
      refusal = g_error_new_literal (SP_ERROR, SP_ERROR_FORBIDDEN, "Metrics are not served to this address");
      break;
    }
  sp_request_reply_error (request, refusal);
}
