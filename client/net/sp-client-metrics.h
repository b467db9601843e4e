/* sp-client-metrics.h: SpClient's calls of Metriche di utilizzo (headline figures, chart, processing times) */
#pragma once

#include <gio/gio.h>

#include "sp-client.h"
#include "sp-metrics-report.h"
#include "sp-status.h"

G_BEGIN_DECLS

void              sp_client_metrics_summary_async     (SpClient            *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
SpMetricsSummary *sp_client_metrics_summary_finish    (SpClient            *self,
                                                       GAsyncResult        *result,
                                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void              sp_client_metrics_chart_async       (SpClient            *self,
                                                       SpMetricsWindow      window,
                                                       const char          *servizio,
                                                       SpStatus             status,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
SpMetricsChart   *sp_client_metrics_chart_finish      (SpClient            *self,
                                                       GAsyncResult        *result,
                                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;
void              sp_client_metrics_processing_async  (SpClient            *self,
                                                       SpMetricsWindow      window,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
SpMetricsTimes   *sp_client_metrics_processing_finish (SpClient            *self,
                                                       GAsyncResult        *result,
                                                       GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
