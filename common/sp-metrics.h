#pragma once

/* The windows of *Metriche di utilizzo* (DESIGN.md §7): how far back the
 * chart of submitted pratiche looks, and the bucket that fits it. One table
 * for the server (which counts) and the app (which draws). */

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SP_METRICS_WINDOW_5M,
  SP_METRICS_WINDOW_1H,
  SP_METRICS_WINDOW_1D,
  SP_METRICS_WINDOW_7D,
  SP_METRICS_WINDOW_30D,
  SP_METRICS_WINDOW_90D,
  SP_METRICS_N_WINDOWS,
} SpMetricsWindow;

typedef enum
{
  SP_METRICS_BUCKET_MINUTE,
  SP_METRICS_BUCKET_HOUR,
  SP_METRICS_BUCKET_DAY,
} SpMetricsBucket;

gboolean         sp_metrics_window_from_string (const char      *name,
                                                SpMetricsWindow *window);
const char      *sp_metrics_window_to_string   (SpMetricsWindow  window);
SpMetricsBucket  sp_metrics_window_get_bucket  (SpMetricsWindow  window);
guint            sp_metrics_window_get_n_buckets (SpMetricsWindow window);
const char      *sp_metrics_bucket_to_string   (SpMetricsBucket  bucket);

G_END_DECLS
