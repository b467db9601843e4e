/* sp-request-stats.c: request latencies per route and status class, in Prometheus's text format */
#define G_LOG_DOMAIN "sp-request"

#include "config.h"

#include "sp-request-stats.h"

/* Upper bounds in seconds of the histogram's buckets (+Inf after them). */
static const double bounds[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };

/* One route (or none: what no route matched) and one status class. */
typedef struct
{
  const SpRoute *route;
  guint          status_class;   /* 2 for 2xx… */
  guint64        counts[G_N_ELEMENTS (bounds) + 1];
  guint64        total;
  double         sum;
} Series;

struct _SpRequestStats
{
  GArray *series;   /* of Series, in the order first seen */
};

SpRequestStats *
sp_request_stats_new (void)
{
  SpRequestStats *self = g_new0 (SpRequestStats, 1);

  self->series = g_array_new (FALSE, TRUE, sizeof (Series));
  return self;
}

void
sp_request_stats_free (SpRequestStats *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->series);
  g_free (self);
}

/**
 * sp_request_stats_record:
 * @route: (nullable): the route that answered; %NULL when none matched
 * @status: the HTTP status
 * @seconds: from the request's start to its answer
 */
void
sp_request_stats_record (SpRequestStats *self,
                         const SpRoute  *route,
                         guint           status,
                         double          seconds)
{
  guint status_class = MIN (status / 100, 5);
  Series *series = NULL;

  for (guint i = 0; i < self->series->len && series == NULL; i++)
    {
      Series *candidate = &g_array_index (self->series, Series, i);

      if (candidate->route == route && candidate->status_class == status_class)
        series = candidate;
    }
  if (series == NULL)
    {
      Series added = { route, status_class, { 0 }, 0, 0 };

      g_array_append_val (self->series, added);
      series = &g_array_index (self->series, Series, self->series->len - 1);
    }
  for (guint i = 0; i <= G_N_ELEMENTS (bounds); i++)
    if (i == G_N_ELEMENTS (bounds) || seconds <= bounds[i])
      series->counts[i]++;
  series->total++;
  series->sum += seconds;
}

static void
append_labels (GString      *text,
               const Series *series,
               const char   *le)
{
  g_string_append_printf (text, "{method=\"%s\",route=\"%s\",code=\"%ux\"",
                          series->route != NULL ? series->route->method : "-",
                          series->route != NULL ? series->route->path : "unmatched", series->status_class);
  if (le != NULL)
    g_string_append_printf (text, ",le=\"%s\"", le);
  g_string_append_c (text, '}');
}

/**
 * sp_request_stats_append:
 *
 * Appends `sportello_http_request_duration_seconds`, a histogram per route
 * (its pattern, never the path: the labels stay few) and status class.
 */
void
sp_request_stats_append (SpRequestStats *self,
                         GString        *text)
{
  g_string_append (text,
                   "# HELP sportello_http_request_duration_seconds Time to answer a request, per route and status class\n"
                   "# TYPE sportello_http_request_duration_seconds histogram\n");
  for (guint i = 0; i < self->series->len; i++)
    {
      const Series *series = &g_array_index (self->series, Series, i);
      char sum[G_ASCII_DTOSTR_BUF_SIZE];

      for (guint b = 0; b <= G_N_ELEMENTS (bounds); b++)
        {
          char le[G_ASCII_DTOSTR_BUF_SIZE];

          if (b < G_N_ELEMENTS (bounds))
            g_ascii_dtostr (le, sizeof le, bounds[b]);
          else
            g_strlcpy (le, "+Inf", sizeof le);
          g_string_append (text, "sportello_http_request_duration_seconds_bucket");
          append_labels (text, series, le);
          g_string_append_printf (text, " %" G_GUINT64_FORMAT "\n", series->counts[b]);
        }
      g_string_append (text, "sportello_http_request_duration_seconds_sum");
      append_labels (text, series, NULL);
      g_string_append_printf (text, " %s\n", g_ascii_dtostr (sum, sizeof sum, series->sum));
      g_string_append (text, "sportello_http_request_duration_seconds_count");
      append_labels (text, series, NULL);
      g_string_append_printf (text, " %" G_GUINT64_FORMAT "\n", series->total);
    }
}
