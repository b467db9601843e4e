/* sp-handlers-metrics.c: the usage metrics (DESIGN.md §7): headline figures and submitted pratiche per bucket */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

#include <string.h>

#include "sp-db-metrics.h"
#include "sp-handlers.h"
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
