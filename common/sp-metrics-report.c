/* sp-metrics-report.c: the figures of Metriche di utilizzo as the server sends them, parsed and checked */
#define G_LOG_DOMAIN "sp-metrics"

#include "config.h"

#include <math.h>

#include "sp-error.h"
#include "sp-json.h"
#include "sp-metrics-report.h"

static gboolean
invalid (GError     **error,
         const char  *what)
{
  g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "Metrics: %s", what);
  return FALSE;
}

/* An ISO 8601 member as Unix time; FALSE if missing or not a time. */
static gboolean
get_time (JsonObject *object,
          const char *member,
          gint64     *unix_time)
{
  const char *text = sp_json_get_string (object, member, NULL);
  g_autoptr(GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  if (time == NULL)
    return FALSE;
  *unix_time = g_date_time_to_unix (time);
  return TRUE;
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
get_object (JsonArray *array,
            guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

void
sp_metrics_summary_free (SpMetricsSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->years, g_array_unref);
  g_free (summary);
}

/**
 * sp_metrics_summary_from_json:
 * @object: a `MetricsSummary`
 *
 * Returns: (transfer full): the figures, or %NULL with %SP_ERROR_VALIDATION
 */
SpMetricsSummary *
sp_metrics_summary_from_json (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(SpMetricsSummary) summary = g_new0 (SpMetricsSummary, 1);
  JsonArray *years = get_array (object, "pratiche_per_year");

  summary->active_services = sp_json_get_int (object, "active_services", -1);
  summary->open = sp_json_get_int (object, "open", -1);
  summary->overdue = sp_json_get_int (object, "overdue", -1);
  if (summary->active_services < 0 || summary->open < 0 || summary->overdue < 0 || years == NULL)
    return invalid (error, "a summary needs its counts and years"), NULL;

  summary->years = g_array_sized_new (FALSE, FALSE, sizeof (SpMetricsYear), json_array_get_length (years));
  for (guint i = 0; i < json_array_get_length (years); i++)
    {
      JsonObject *element = get_object (years, i);
      SpMetricsYear year = { -1, -1 };

      if (element != NULL)
        year = (SpMetricsYear) { (int) sp_json_get_int (element, "year", -1), sp_json_get_int (element, "count", -1) };
      if (year.year < 1900 || year.year > 9999 || year.count < 0)
        return invalid (error, "a year needs its number and count"), NULL;
      g_array_append_val (summary->years, year);
    }
  return g_steal_pointer (&summary);
}

static void
series_free (SpMetricsSeries *series)
{
  g_free (series->servizio);
  g_free (series->name);
  g_clear_pointer (&series->counts, g_array_unref);
  g_free (series);
}

void
sp_metrics_chart_free (SpMetricsChart *chart)
{
  if (chart == NULL)
    return;
  g_clear_pointer (&chart->starts, g_array_unref);
  g_clear_pointer (&chart->series, g_ptr_array_unref);
  g_free (chart);
}

/* One series; its buckets' starts must be @chart's (the first series sets them). */
static SpMetricsSeries *
series_from_json (SpMetricsChart  *chart,
                  JsonObject      *object,
                  gboolean         first)
{
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *servizio = sp_json_get_string (object, "servizio", NULL);
  const char *name = sp_json_get_string (object, "name", NULL);
  JsonArray *points = get_array (object, "points");
  SpMetricsSeries *series;

  if (servizio == NULL || name == NULL || points == NULL
      || (!first && json_array_get_length (points) != chart->starts->len))
    return NULL;
  for (guint i = 0; i < json_array_get_length (points); i++)
    {
      JsonObject *point = get_object (points, i);
      gint64 count = point != NULL ? sp_json_get_int (point, "count", -1) : -1;
      gint64 start = 0;
      guint value;

      if (count < 0 || count > G_MAXUINT || !get_time (point, "start", &start)
          || (first && i > 0 && start <= g_array_index (chart->starts, gint64, i - 1))
          || (!first && start != g_array_index (chart->starts, gint64, i)))
        return NULL;
      if (first)
        g_array_append_val (chart->starts, start);
      value = (guint) count;
      g_array_append_val (counts, value);
    }
  series = g_new0 (SpMetricsSeries, 1);
  series->servizio = g_strdup (servizio);
  series->name = g_strdup (name);
  series->counts = g_steal_pointer (&counts);
  return series;
}

/**
 * sp_metrics_chart_from_json:
 * @object: a `MetricsPratiche`
 *
 * Returns: (transfer full): the chart, or %NULL with %SP_ERROR_VALIDATION:
 *   every series must have the same buckets, in order
 */
SpMetricsChart *
sp_metrics_chart_from_json (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(SpMetricsChart) chart = g_new0 (SpMetricsChart, 1);
  const char *window = sp_json_get_string (object, "window", "");
  JsonArray *series = get_array (object, "series");

  if (!sp_metrics_window_from_string (window, &chart->window)
      || g_strcmp0 (sp_json_get_string (object, "bucket", NULL),
                    sp_metrics_bucket_to_string (sp_metrics_window_get_bucket (chart->window))) != 0
      || !get_time (object, "from", &chart->from) || !get_time (object, "to", &chart->to)
      || chart->from >= chart->to || series == NULL)
    return invalid (error, "a chart needs its window, bucket, bounds and series"), NULL;

  chart->bucket = sp_metrics_window_get_bucket (chart->window);
  chart->starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  chart->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  for (guint i = 0; i < json_array_get_length (series); i++)
    {
      JsonObject *element = get_object (series, i);
      SpMetricsSeries *parsed = element != NULL ? series_from_json (chart, element, i == 0) : NULL;

      if (parsed == NULL)
        return invalid (error, "each series needs its service and the chart's buckets"), NULL;
      g_ptr_array_add (chart->series, parsed);
    }
  return g_steal_pointer (&chart);
}

/* Returns: the pratiche of every series in @bucket */
guint
sp_metrics_chart_get_total (const SpMetricsChart *chart,
                            guint                 bucket)
{
  guint total = 0;

  for (guint i = 0; i < chart->series->len; i++)
    {
      const SpMetricsSeries *series = g_ptr_array_index (chart->series, i);

      total += g_array_index (series->counts, guint, bucket);
    }
  return total;
}

/* A figure in days or a share: NAN for null, FALSE for anything else. */
static gboolean
get_figure (JsonObject *object,
            const char *member,
            double      maximum,
            double     *figure)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *figure = NAN;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) == G_TYPE_STRING
      || json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return FALSE;
  *figure = json_node_get_double (node);
  return *figure >= 0 && *figure <= maximum;
}

static gboolean
duration_from_json (JsonObject        *object,
                    SpMetricsDuration *duration)
{
  if (object == NULL)
    return FALSE;
  duration->count = sp_json_get_int (object, "count", -1);
  return duration->count >= 0
         && get_figure (object, "median_days", 1e6, &duration->median_days)
         && get_figure (object, "p90_days", 1e6, &duration->p90_days)
         && get_figure (object, "within_deadline", 1, &duration->within_deadline);
}

static JsonObject *
get_member_object (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
processing_free (SpMetricsProcessing *processing)
{
  g_free (processing->servizio);
  g_free (processing->name);
  g_free (processing);
}

/**
 * sp_metrics_times_from_json:
 * @object: a `MetricsProcessing`
 *
 * Returns: (transfer full): when the times were computed and each
 *   service's, or %NULL with %SP_ERROR_VALIDATION
 */
SpMetricsTimes *
sp_metrics_times_from_json (JsonObject  *object,
                            GError     **error)
{
  JsonArray *services = get_array (object, "services");
  g_autoptr(SpMetricsTimes) times = g_new0 (SpMetricsTimes, 1);

  if (services == NULL || !get_time (object, "to", &times->computed_at))
    return invalid (error, "processing times need their services and when they were computed"), NULL;
  times->services = g_ptr_array_new_with_free_func ((GDestroyNotify) processing_free);
  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *service = get_object (services, i);
      SpMetricsProcessing *processing = g_new0 (SpMetricsProcessing, 1);

      g_ptr_array_add (times->services, processing);
      if (service == NULL
          || !(processing->servizio = g_strdup (sp_json_get_string (service, "servizio", NULL)))
          || !(processing->name = g_strdup (sp_json_get_string (service, "name", NULL)))
          || (processing->deadline_days = (int) sp_json_get_int (service, "deadline_days", 0)) <= 0
          || !duration_from_json (get_member_object (service, "taken"), &processing->taken)
          || !duration_from_json (get_member_object (service, "concluded"), &processing->concluded))
        return invalid (error, "each service needs its name, deadline and times"), NULL;
    }
  return g_steal_pointer (&times);
}

void
sp_metrics_times_free (SpMetricsTimes *times)
{
  if (times == NULL)
    return;
  g_clear_pointer (&times->services, g_ptr_array_unref);
  g_free (times);
}
