/* sp-client-metrics.c: SpClient's calls of Metriche di utilizzo: GET the figures, parse them */
#define G_LOG_DOMAIN "sp-client"

#include "config.h"

#include "sp-api.h"
#include "sp-client-metrics.h"
#include "sp-client-private.h"

/* Parses a response's object into what the call's finish returns. */
typedef gpointer (*ParseFunc) (JsonObject *object,
                               GError    **error);

typedef struct
{
  ParseFunc      parse;
  GDestroyNotify free;
  const char    *what;
} Report;

static const Report summary_report = {
  (ParseFunc) sp_metrics_summary_from_json, (GDestroyNotify) sp_metrics_summary_free, "metrics summary"
};
static const Report chart_report = {
  (ParseFunc) sp_metrics_chart_from_json, (GDestroyNotify) sp_metrics_chart_free, "metrics chart"
};
static const Report processing_report = {
  (ParseFunc) sp_metrics_times_from_json, (GDestroyNotify) sp_metrics_times_free, "processing times"
};

static void
report_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const Report *report = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  gpointer parsed = NULL;
  GError *error = NULL;

  if (!(node = sp_client_send_json_finish (SP_CLIENT (object), result, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    parsed = report->parse (json_node_get_object (node), &local_error);
  if (parsed == NULL)
    g_task_return_error (task, sp_client_unreadable_error (report->what, local_error));
  else
    g_task_return_pointer (task, parsed, report->free);
}

static void
get_report (SpClient            *self,
            const Report        *report,
            const char          *path,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) report, NULL);
  if (sp_client_return_if_signed_out (self, task))
    return;
  sp_client_send_json_async (self, "GET", path, self->token, NULL, cancellable, report_cb, g_steal_pointer (&task));
}

static gpointer
finish_report (SpClient      *self,
               GAsyncResult  *result,
               gpointer       source_tag,
               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sp_client_metrics_summary_async:
 *
 * The headline figures of the operator's services.
 */
void
sp_client_metrics_summary_async (SpClient            *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (SP_IS_CLIENT (self));

  get_report (self, &summary_report, SP_API_METRICS_SUMMARY, sp_client_metrics_summary_async,
              cancellable, callback, user_data);
}

/* Returns: (transfer full): the figures, or %NULL with an error */
SpMetricsSummary *
sp_client_metrics_summary_finish (SpClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_report (self, result, sp_client_metrics_summary_async, error);
}

/**
 * sp_client_metrics_chart_async:
 * @servizio: (nullable): one service's slug; %NULL for all
 * @status: only the pratiche now in this status; %SP_STATUS_INVALID for any
 *
 * The pratiche submitted in each bucket of @window, per service.
 */
void
sp_client_metrics_chart_async (SpClient            *self,
                               SpMetricsWindow      window,
                               const char          *servizio,
                               SpStatus             status,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GString) path = g_string_new (SP_API_METRICS_PRATICHE);

  g_return_if_fail (SP_IS_CLIENT (self));

  g_string_append_printf (path, "?window=%s", sp_metrics_window_to_string (window));
  if (servizio != NULL)
    {
      g_string_append (path, "&servizio=");
      g_string_append_uri_escaped (path, servizio, NULL, FALSE);
    }
  if (status != SP_STATUS_INVALID)
    g_string_append_printf (path, "&status=%d", (int) status);
  get_report (self, &chart_report, path->str, sp_client_metrics_chart_async, cancellable, callback, user_data);
}

/* Returns: (transfer full): the chart, or %NULL with an error */
SpMetricsChart *
sp_client_metrics_chart_finish (SpClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_report (self, result, sp_client_metrics_chart_async, error);
}

/**
 * sp_client_metrics_processing_async:
 *
 * The processing times of the operator's services over @window.
 */
void
sp_client_metrics_processing_async (SpClient            *self,
                                    SpMetricsWindow      window,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (SP_IS_CLIENT (self));

  path = g_strdup_printf (SP_API_METRICS_PROCESSING "?window=%s", sp_metrics_window_to_string (window));
  get_report (self, &processing_report, path, sp_client_metrics_processing_async, cancellable, callback, user_data);
}

/**
 * sp_client_metrics_processing_finish:
 *
 * Returns: (transfer full): the services' times and when they were
 *   computed, or %NULL with an error
 */
SpMetricsTimes *
sp_client_metrics_processing_finish (SpClient      *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return finish_report (self, result, sp_client_metrics_processing_async, error);
}
