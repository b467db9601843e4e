/* test-metrics-model.c: the usage metrics as the desktop app parses them (common/sp-metrics-report.c) */
#define G_LOG_DOMAIN "test-metrics-model"

#include "config.h"

#include <math.h>
#include <string.h>

#include "sp-error.h"
#include "sp-json.h"
#include "sp-metrics-report.h"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = sp_json_parse_object (text, strlen (text), &error);

  g_assert_no_error (error);
  return object;
}

static void
test_summary (void)
{
  g_autoptr(JsonObject) object = parse_object ("{\"active_services\": 7, \"open\": 120, \"overdue\": 4,"
                                               " \"pratiche_per_year\": [{\"year\": 2025, \"count\": 80},"
                                               " {\"year\": 2026, \"count\": 260}], \"generated_at\": \"x\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(SpMetricsSummary) summary = sp_metrics_summary_from_json (object, &error);
  const char *bad[] = {
    "{\"active_services\": 1, \"open\": 2, \"overdue\": 3}",
    "{\"active_services\": -1, \"open\": 2, \"overdue\": 3, \"pratiche_per_year\": []}",
    "{\"active_services\": 1, \"open\": \"2\", \"overdue\": 3, \"pratiche_per_year\": []}",
    "{\"active_services\": 1, \"open\": 2, \"overdue\": 3, \"pratiche_per_year\": [{\"year\": 26, \"count\": 1}]}",
    "{\"active_services\": 1, \"open\": 2, \"overdue\": 3, \"pratiche_per_year\": [3]}",
  };

  g_assert_no_error (error);
  g_assert_cmpint (summary->active_services, ==, 7);
  g_assert_cmpint (summary->open, ==, 120);
  g_assert_cmpint (summary->overdue, ==, 4);
  g_assert_cmpuint (summary->years->len, ==, 2);
  g_assert_cmpint (g_array_index (summary->years, SpMetricsYear, 1).year, ==, 2026);
  g_assert_cmpint (g_array_index (summary->years, SpMetricsYear, 1).count, ==, 260);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) wrong = parse_object (bad[i]);
      g_autoptr(GError) refusal = NULL;

      g_assert_null (sp_metrics_summary_from_json (wrong, &refusal));
      g_assert_error (refusal, SP_ERROR, SP_ERROR_VALIDATION);
    }
}

#define POINTS_A "[{\"start\": \"2026-12-05T23:00:00+00:00\", \"count\": 2}, {\"start\": \"2026-12-06T23:00:00+00:00\", \"count\": 0}]"
#define POINTS_B "[{\"start\": \"2026-12-05T23:00:00+00:00\", \"count\": 1}, {\"start\": \"2026-12-06T23:00:00+00:00\", \"count\": 5}]"
#define CHART(window, bucket, series) \
  "{\"window\": \"" window "\", \"bucket\": \"" bucket "\", \"from\": \"2026-12-05T23:00:00+00:00\"," \
  " \"to\": \"2026-12-07T23:00:00+00:00\", \"series\": " series "}"

static void
test_chart (void)
{
  g_autoptr(JsonObject) object = parse_object (CHART ("7d", "day",
                                                      "[{\"servizio\": \"a\", \"name\": \"A\", \"points\": " POINTS_A "},"
                                                      " {\"servizio\": \"b\", \"name\": \"B\", \"points\": " POINTS_B "}]"));
  g_autoptr(JsonObject) empty_object = parse_object (CHART ("1h", "minute", "[]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SpMetricsChart) chart = sp_metrics_chart_from_json (object, &error);
  g_autoptr(SpMetricsChart) empty = NULL;
  const char *bad[] = {
    /* the bucket must be the window's */
    CHART ("7d", "hour", "[]"),
    CHART ("2d", "day", "[]"),
    /* every series on the same buckets, in order */
    CHART ("7d", "day", "[{\"servizio\": \"a\", \"name\": \"A\", \"points\": " POINTS_A "},"
                        " {\"servizio\": \"b\", \"name\": \"B\", \"points\": [{\"start\": \"2026-12-05T23:00:00+00:00\", \"count\": 1}]}]"),
    CHART ("7d", "day", "[{\"servizio\": \"a\", \"name\": \"A\", \"points\": [{\"start\": \"2026-12-06T23:00:00+00:00\", \"count\": 1},"
                        " {\"start\": \"2026-12-05T23:00:00+00:00\", \"count\": 1}]}]"),
    CHART ("7d", "day", "[{\"servizio\": \"a\", \"name\": \"A\", \"points\": [{\"start\": \"ieri\", \"count\": 1}]}]"),
    CHART ("7d", "day", "[{\"servizio\": \"a\", \"name\": \"A\", \"points\": [{\"start\": \"2026-12-06T23:00:00+00:00\", \"count\": -1}]}]"),
    CHART ("7d", "day", "[{\"name\": \"A\", \"points\": []}]"),
  };

  g_assert_no_error (error);
  g_assert_cmpint (chart->window, ==, SP_METRICS_WINDOW_7D);
  g_assert_cmpint (chart->bucket, ==, SP_METRICS_BUCKET_DAY);
  g_assert_cmpuint (chart->starts->len, ==, 2);
  g_assert_cmpuint (chart->series->len, ==, 2);
  g_assert_cmpuint (sp_metrics_chart_get_total (chart, 0), ==, 3);
  g_assert_cmpuint (sp_metrics_chart_get_total (chart, 1), ==, 5);
  g_assert_cmpstr (((SpMetricsSeries *) g_ptr_array_index (chart->series, 1))->name, ==, "B");

  /* No service in scope: no series and no buckets, and that is no error. */
  empty = sp_metrics_chart_from_json (empty_object, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->series->len, ==, 0);
  g_assert_cmpuint (empty->starts->len, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) wrong = parse_object (bad[i]);
      g_autoptr(GError) refusal = NULL;

      g_assert_null (sp_metrics_chart_from_json (wrong, &refusal));
      g_assert_error (refusal, SP_ERROR, SP_ERROR_VALIDATION);
    }
}

#define FIGURES(median, within) \
  "{\"count\": 3, \"median_days\": " median ", \"p90_days\": " median ", \"within_deadline\": " within "}"
#define SERVICE(taken, concluded) \
  "{\"to\": \"2026-12-07T09:35:12.5+00:00\", \"services\": [{\"servizio\": \"a\", \"name\": \"A\", \"deadline_days\": 30, \"taken\": " taken ", \"concluded\": " concluded "}]}"

static void
test_processing (void)
{
  g_autoptr(JsonObject) object = parse_object (SERVICE ("{\"count\": 0, \"median_days\": null, \"p90_days\": null}",
                                                        FIGURES ("12.25", "0.6667")));
  g_autoptr(GError) error = NULL;
  g_autoptr(SpMetricsTimes) times = sp_metrics_times_from_json (object, &error);
  const SpMetricsProcessing *service;
  const char *bad[] = {
    SERVICE (FIGURES ("\"2\"", "null"), FIGURES ("1", "0.5")),
    SERVICE (FIGURES ("-1", "null"), FIGURES ("1", "0.5")),
    SERVICE (FIGURES ("1", "null"), FIGURES ("1", "1.5")),
    SERVICE (FIGURES ("1", "null"), "null"),
    "{\"to\": \"2026-12-07T09:35:12.5+00:00\", \"services\": [{\"servizio\": \"a\", \"name\": \"A\", \"deadline_days\": 0}]}",
    "{\"to\": \"2026-12-07T09:35:12Z\", \"services\": {}}",
    "{\"services\": []}",
    "{\"to\": \"ieri\", \"services\": []}",
  };

  g_assert_no_error (error);
  g_assert_cmpint (times->computed_at, ==, 1796636112);
  g_assert_cmpuint (times->services->len, ==, 1);
  service = g_ptr_array_index (times->services, 0);
  g_assert_cmpstr (service->servizio, ==, "a");
  g_assert_cmpint (service->deadline_days, ==, 30);
  g_assert_cmpint (service->taken.count, ==, 0);
  g_assert_true (isnan (service->taken.median_days));
  g_assert_true (isnan (service->taken.within_deadline));
  g_assert_cmpfloat_with_epsilon (service->concluded.median_days, 12.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (service->concluded.within_deadline, 0.6667, 1e-9);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) wrong = parse_object (bad[i]);
      g_autoptr(GError) refusal = NULL;
      g_autoptr(SpMetricsTimes) none = sp_metrics_times_from_json (wrong, &refusal);

      g_assert_null (none);
      g_assert_error (refusal, SP_ERROR, SP_ERROR_VALIDATION);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/metrics-model/summary", test_summary);
  g_test_add_func ("/sportello/metrics-model/chart", test_chart);
  g_test_add_func ("/sportello/metrics-model/processing", test_processing);

  return g_test_run ();
}
