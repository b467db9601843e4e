/* sp-metrics-report.h: the figures of Metriche di utilizzo as the server sends them, parsed */
#pragma once

#include <json-glib/json-glib.h>

#include "sp-metrics.h"

G_BEGIN_DECLS

typedef struct
{
  int    year;
  gint64 count;
} SpMetricsYear;

/**
 * SpMetricsSummary:
 * @years: (element-type SpMetricsYear): oldest first
 *
 * The headline figures.
 */
typedef struct
{
  gint64  active_services;
  gint64  open;
  gint64  overdue;
  GArray *years;
} SpMetricsSummary;

/**
 * SpMetricsSeries:
 * @counts: (element-type guint): one per bucket of the chart
 *
 * One service's submitted pratiche, bucket by bucket.
 */
typedef struct
{
  char   *servizio;
  char   *name;
  GArray *counts;
} SpMetricsSeries;

/**
 * SpMetricsChart:
 * @starts: (element-type gint64): each bucket's first instant, Unix time, oldest first
 * @series: (element-type SpMetricsSeries): by service name
 *
 * The submitted pratiche of a window: every series has one count per bucket.
 */
typedef struct
{
  SpMetricsWindow  window;
  SpMetricsBucket  bucket;
  gint64           from;
  gint64           to;
  GArray          *starts;
  GPtrArray       *series;
} SpMetricsChart;

/**
 * SpMetricsDuration:
 * @median_days: NAN when nothing was counted
 * @p90_days: NAN likewise
 * @within_deadline: a share from 0 to 1; NAN likewise, or for take charge
 */
typedef struct
{
  gint64 count;
  double median_days;
  double p90_days;
  double within_deadline;
} SpMetricsDuration;

typedef struct
{
  char              *servizio;
  char              *name;
  int                deadline_days;
  SpMetricsDuration  taken;
  SpMetricsDuration  concluded;
} SpMetricsProcessing;

/**
 * SpMetricsTimes:
 * @computed_at: when the server computed the figures (unix time): up to
 *   minutes ago for the windows counted in days
 * @services: (element-type SpMetricsProcessing): by name
 *
 * A `MetricsProcessing`: the processing times of the operator's services.
 */
typedef struct
{
  gint64     computed_at;
  GPtrArray *services;
} SpMetricsTimes;

SpMetricsSummary *sp_metrics_summary_from_json    (JsonObject        *object,
                                                   GError           **error) G_GNUC_WARN_UNUSED_RESULT;
void              sp_metrics_summary_free         (SpMetricsSummary  *summary);
SpMetricsChart   *sp_metrics_chart_from_json      (JsonObject        *object,
                                                   GError           **error) G_GNUC_WARN_UNUSED_RESULT;
void              sp_metrics_chart_free           (SpMetricsChart    *chart);
guint             sp_metrics_chart_get_total      (const SpMetricsChart *chart,
                                                   guint              bucket);
SpMetricsTimes   *sp_metrics_times_from_json      (JsonObject        *object,
                                                   GError           **error) G_GNUC_WARN_UNUSED_RESULT;
void              sp_metrics_times_free           (SpMetricsTimes    *times);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpMetricsSummary, sp_metrics_summary_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpMetricsChart, sp_metrics_chart_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpMetricsTimes, sp_metrics_times_free)

G_END_DECLS
