/* sp-metrics.c: the windows of the usage metrics and the bucket of each */
#define G_LOG_DOMAIN "sp-metrics"

#include "config.h"

#include "sp-metrics.h"

/* Each window with the bucket that fits it: a readable number of points,
 * from 5 (five minutes) to 90 (ninety days). */
static const struct
{
  const char      *name;
  SpMetricsBucket  bucket;
  guint            n_buckets;
} windows[] = {
  [SP_METRICS_WINDOW_5M] = { "5m", SP_METRICS_BUCKET_MINUTE, 5 },
  [SP_METRICS_WINDOW_1H] = { "1h", SP_METRICS_BUCKET_MINUTE, 60 },
  [SP_METRICS_WINDOW_1D] = { "1d", SP_METRICS_BUCKET_HOUR, 24 },
  [SP_METRICS_WINDOW_7D] = { "7d", SP_METRICS_BUCKET_DAY, 7 },
  [SP_METRICS_WINDOW_30D] = { "30d", SP_METRICS_BUCKET_DAY, 30 },
  [SP_METRICS_WINDOW_90D] = { "90d", SP_METRICS_BUCKET_DAY, 90 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (windows) == SP_METRICS_N_WINDOWS);

/**
 * sp_metrics_window_from_string:
 * @name: `5m`, `1h`, `1d`, `7d`, `30d` or `90d`
 *
 * Returns: whether @name is a window
 */
gboolean
sp_metrics_window_from_string (const char      *name,
                               SpMetricsWindow *window)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (windows); i++)
    if (g_str_equal (name, windows[i].name))
      {
        *window = (SpMetricsWindow) i;
        return TRUE;
      }
  return FALSE;
}

const char *
sp_metrics_window_to_string (SpMetricsWindow window)
{
  return window < SP_METRICS_N_WINDOWS ? windows[window].name : NULL;
}

SpMetricsBucket
sp_metrics_window_get_bucket (SpMetricsWindow window)
{
  g_return_val_if_fail (window < SP_METRICS_N_WINDOWS, SP_METRICS_BUCKET_DAY);

  return windows[window].bucket;
}

/* Returns: how many buckets the window has, the current one included */
guint
sp_metrics_window_get_n_buckets (SpMetricsWindow window)
{
  g_return_val_if_fail (window < SP_METRICS_N_WINDOWS, 0);

  return windows[window].n_buckets;
}

/* Returns: `minute`, `hour` or `day`: the API's name, and PostgreSQL's date_trunc() unit */
const char *
sp_metrics_bucket_to_string (SpMetricsBucket bucket)
{
  switch (bucket)
    {
    case SP_METRICS_BUCKET_MINUTE:
      return "minute";
    case SP_METRICS_BUCKET_HOUR:
      return "hour";
    case SP_METRICS_BUCKET_DAY:
    default:
      return "day";
    }
}
