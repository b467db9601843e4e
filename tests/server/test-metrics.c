/* test-metrics.c: the usage metrics against reference queries: scope, buckets in the ente's time, filters, bad input */
#define G_LOG_DOMAIN "test-metrics"

#include "config.h"

#include <string.h>

#include "sp-api.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

static SpTestEnv *env;
static PGconn *conn;
static char *operator;   /* session tokens */
static char *auditor;

static SpTestResponse *
get (const char *token,
     const char *path)
{
  return sp_test_request (env, "GET", path, token, NULL, NULL, 0);
}

static char *
insert_at (const char *servizio,
           int         status,
           const char *submitted_at)
{
  SpTestPratica spec = { .servizio = servizio, .status = status, .submitted_at = submitted_at,
                         .ente = g_str_equal (servizio, SP_TEST_SERVIZIO_OTHER) ? SP_TEST_OTHER_ENTE : NULL,
                         .protocol_number = status >= 3000 ? "2026/0000777" : NULL };

  return sp_test_pratica_insert (conn, &spec);
}

/* The operator's services, as account_servizio says. */
#define IN_SCOPE(column) SP_TEST_IN_SCOPE_OF (column, SP_TEST_OPERATOR)

/* The headline figures match counts made without the server's SQL; the
 * year is Rome's (a pratica of 23:30 UTC on New Year's Eve is next year's). */
static void
test_summary (void)
{
  g_autofree char *late = insert_at (SP_TEST_SERVIZIO_INTERNAL, 3000, "2025-12-31T23:30:00Z");
  g_autofree char *early = insert_at (SP_TEST_SERVIZIO_INTERNAL, 7000, "2025-06-01T10:00:00Z");
  g_autofree char *overdue = insert_at (SP_TEST_SERVIZIO_EXTERNAL, 4000, "2024-01-10T10:00:00Z");
  /* Decided, its registration waiting: concluded, neither open nor overdue. */
  g_autofree char *decided = insert_at (SP_TEST_SERVIZIO_EXTERNAL, 6000, "2024-01-10T10:00:00Z");
  g_autofree char *other_ente = insert_at (SP_TEST_SERVIZIO_OTHER, 3000, "2025-06-01T10:00:00Z");
  g_autoptr(SpTestResponse) response = get (operator, SP_API_METRICS_SUMMARY);
  JsonObject *summary;
  JsonArray *years;
  gint64 total = 0;

  sp_test_assert_status (response, 200);
  summary = sp_test_response_object (response);
  g_assert_cmpint (json_object_get_int_member (summary, "active_services"), ==,
                   sp_test_pg_int (conn, "SELECT count (*) FROM servizio sv WHERE sv.active AND " IN_SCOPE ("sv.id"),
                                   0, NULL));
  g_assert_cmpint (json_object_get_int_member (summary, "open"), ==,
                   sp_test_pg_int (conn, "SELECT count (*) FROM pratica p WHERE p.status NOT IN (6000, 7000, 8000, 9000, 20000)"
                                         " AND " IN_SCOPE ("p.servizio_id"), 0, NULL));
  g_assert_cmpint (json_object_get_int_member (summary, "overdue"), ==,
                   sp_test_pg_int (conn, "SELECT count (*) FROM pratica p WHERE p.status NOT IN (6000, 7000, 8000, 9000, 20000)"
                                         " AND p.deadline_at < now () AND " IN_SCOPE ("p.servizio_id"), 0, NULL));
  g_assert_cmpint (json_object_get_int_member (summary, "overdue"), >=, 1);

  years = json_object_get_array_member (summary, "pratiche_per_year");
  for (guint i = 0; i < json_array_get_length (years); i++)
    {
      JsonObject *year = json_array_get_object_element (years, i);
      g_autofree char *y = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (year, "year"));
      g_autofree char *from = g_strdup_printf ("%s-01-01 00:00:00 Europe/Rome", y);
      g_autofree char *to = g_strdup_printf ("%d-01-01 00:00:00 Europe/Rome", atoi (y) + 1);

      g_assert_cmpint (json_object_get_int_member (year, "count"), ==,
                       sp_test_pg_int (conn, "SELECT count (*) FROM pratica p WHERE p.submitted_at >= $1::timestamptz"
                                             " AND p.submitted_at < $2::timestamptz AND " IN_SCOPE ("p.servizio_id"),
                                       SP_TEST_PG_ARGS (from, to)));
      total += json_object_get_int_member (year, "count");
      if (i > 0)
        g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (years, i - 1), "year"), <,
                         json_object_get_int_member (year, "year"));
    }
  g_assert_cmpint (total, ==, sp_test_pg_int (conn, "SELECT count (*) FROM pratica p WHERE " IN_SCOPE ("p.servizio_id"),
                                              0, NULL));
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT extract (year FROM submitted_at AT TIME ZONE 'Europe/Rome')"
                                         " FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (late)), ==, 2026);
}

/* Checks every point of @series against a count of the pratiche submitted
 * in [start, start + step) with @filter. */
static void
assert_points (JsonArray  *series,
               const char *step,
               const char *filter)
{
  for (guint i = 0; i < json_array_get_length (series); i++)
    {
      JsonObject *service = json_array_get_object_element (series, i);
      JsonArray *points = json_object_get_array_member (service, "points");

      for (guint j = 0; j < json_array_get_length (points); j++)
        {
          JsonObject *point = json_array_get_object_element (points, j);
          const char *start = json_object_get_string_member (point, "start");
          g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id"
                                                  " WHERE sv.slug = $1 AND p.submitted_at >= $2::timestamptz"
                                                  " AND p.submitted_at < (($2::timestamptz AT TIME ZONE 'Europe/Rome')"
                                                  "                       + $3::interval) AT TIME ZONE 'Europe/Rome'%s",
                                                  filter);

          g_assert_cmpint (json_object_get_int_member (point, "count"), ==,
                           sp_test_pg_int (conn, sql, SP_TEST_PG_ARGS (json_object_get_string_member (service, "servizio"),
                                                                       start, step)));
        }
    }
}

static JsonArray *
series_of (SpTestResponse *response,
           const char     *bucket,
           guint           n_points)
{
  JsonObject *object;
  JsonArray *series;

  sp_test_assert_status (response, 200);
  object = sp_test_response_object (response);
  g_assert_cmpstr (json_object_get_string_member (object, "bucket"), ==, bucket);
  series = json_object_get_array_member (object, "series");
  for (guint i = 0; i < json_array_get_length (series); i++)
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_array_get_object_element (series, i),
                                                                           "points")), ==, n_points);
  return series;
}

/* Every bucket present, empty ones as zero, each matching the reference;
 * the services in scope only; the filters. */
static void
test_pratiche (void)
{
  g_autofree char *recent = insert_at (SP_TEST_SERVIZIO_INTERNAL, 3000, NULL);
  g_autofree char *yesterday = NULL;
  g_autoptr(SpTestResponse) hour = NULL;
  g_autoptr(SpTestResponse) day = NULL;
  g_autoptr(SpTestResponse) empty = NULL;
  g_autofree char *edge = NULL;
  g_autoptr(SpTestResponse) week = NULL;
  g_autoptr(SpTestResponse) quarter = NULL;
  g_autoptr(SpTestResponse) one_service = NULL;
  g_autoptr(SpTestResponse) one_status = NULL;
  g_autoptr(SpTestResponse) other_ente = NULL;
  g_autofree char *services = NULL;
  JsonArray *series;
  gint64 sum = 0;

  sp_test_pg_command (conn, "UPDATE pratica SET submitted_at = now () - interval '20 minutes' WHERE id = $1::uuid",
                      SP_TEST_PG_ARGS (recent));
  yesterday = insert_at (SP_TEST_SERVIZIO_EXTERNAL, 4000, NULL);
  sp_test_pg_command (conn, "UPDATE pratica SET submitted_at = now () - interval '1 day' WHERE id = $1::uuid",
                      SP_TEST_PG_ARGS (yesterday));

  hour = get (operator, SP_API_METRICS_PRATICHE "?window=1h");
  series = series_of (hour, "minute", 60);
  assert_points (series, "1 minute", "");
  for (guint i = 0; i < json_array_get_length (series); i++)
    {
      JsonArray *points = json_object_get_array_member (json_array_get_object_element (series, i), "points");

      for (guint j = 0; j < json_array_get_length (points); j++)
        sum += json_object_get_int_member (json_array_get_object_element (points, j), "count");
    }
  g_assert_cmpint (sum, >=, 1);

  /* The edge of a bucket belongs to the bucket it starts: a pratica at the
   * first instant of the current hour is counted there, not an hour before. */
  edge = insert_at (SP_TEST_SERVIZIO_INTERNAL, 3000, NULL);
  sp_test_pg_command (conn, "UPDATE pratica SET submitted_at = date_trunc ('hour', now () AT TIME ZONE 'Europe/Rome')"
                            " AT TIME ZONE 'Europe/Rome' WHERE id = $1::uuid", SP_TEST_PG_ARGS (edge));
  day = get (operator, SP_API_METRICS_PRATICHE "?window=1d&servizio=" SP_TEST_SERVIZIO_INTERNAL);
  series = series_of (day, "hour", 24);
  assert_points (series, "1 hour", "");
  {
    JsonArray *points = json_object_get_array_member (json_array_get_object_element (series, 0), "points");
    JsonObject *last = json_array_get_object_element (points, 23);

    g_assert_cmpint (json_object_get_int_member (last, "count"), >=, 1);
  }
  g_clear_pointer (&day, sp_test_response_free);
  day = get (operator, SP_API_METRICS_PRATICHE "?window=1d");
  assert_points (series_of (day, "hour", 24), "1 hour", "");

  /* A window with nothing in it: every bucket, all zero. */
  sp_test_pg_command (conn, "UPDATE pratica SET submitted_at = submitted_at - interval '10 minutes'"
                            " WHERE submitted_at > now () - interval '10 minutes'", 0, NULL);
  empty = get (operator, SP_API_METRICS_PRATICHE "?window=5m");
  series = series_of (empty, "minute", 5);
  assert_points (series, "1 minute", "");
  for (guint i = 0; i < json_array_get_length (series); i++)
    {
      JsonArray *points = json_object_get_array_member (json_array_get_object_element (series, i), "points");

      for (guint j = 0; j < json_array_get_length (points); j++)
        g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (points, j), "count"), ==, 0);
    }
  week = get (operator, SP_API_METRICS_PRATICHE "?window=7d");
  assert_points (series_of (week, "day", 7), "1 day", "");
  quarter = get (operator, SP_API_METRICS_PRATICHE "?window=90d");
  assert_points (series_of (quarter, "day", 90), "1 day", "");

  /* Every active service in scope, by name; none of the other ente's. */
  services = sp_test_pg_value (conn, "SELECT string_agg (sv.slug, ',' ORDER BY sv.name, sv.slug) FROM servizio sv"
                                     " WHERE sv.active AND " IN_SCOPE ("sv.id"), 0, NULL);
  {
    g_autoptr(GString) slugs = g_string_new (NULL);

    series = json_object_get_array_member (sp_test_response_object (week), "series");
    for (guint i = 0; i < json_array_get_length (series); i++)
      g_string_append_printf (slugs, "%s%s", i > 0 ? "," : "",
                              json_object_get_string_member (json_array_get_object_element (series, i), "servizio"));
    g_assert_cmpstr (slugs->str, ==, services);
  }

  one_service = get (operator, SP_API_METRICS_PRATICHE "?window=30d&servizio=" SP_TEST_SERVIZIO_EXTERNAL);
  series = series_of (one_service, "day", 30);
  g_assert_cmpuint (json_array_get_length (series), ==, 1);
  assert_points (series, "1 day", "");
  one_status = get (operator, SP_API_METRICS_PRATICHE "?window=7d&status=4000");
  assert_points (series_of (one_status, "day", 7), "1 day", " AND p.status = 4000");
  other_ente = get (operator, SP_API_METRICS_PRATICHE "?window=7d&servizio=" SP_TEST_SERVIZIO_OTHER);
  g_assert_cmpuint (json_array_get_length (series_of (other_ente, "day", 7)), ==, 0);
}

/* Bad input: 422 naming the field; operators only. */
static void
test_refusals (void)
{
  const struct { const char *query; const char *field; } cases[] = {
    { "?window=2h", "window" },
    { "?window=", "window" },
    { "?status=1234", "status" },
    { "?status=tremila", "status" },
    { "?servizio=../etc", "servizio" },
    { "?servizio=Certificato", "servizio" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat (SP_API_METRICS_PRATICHE, cases[i].query, NULL);
      g_autoptr(SpTestResponse) response = get (operator, path);

      sp_test_assert_problem (response, 422, "validation");
      g_assert_nonnull (sp_test_field_error (response, cases[i].field));
    }
  {
    g_autoptr(SpTestResponse) as_auditor = get (auditor, SP_API_METRICS_SUMMARY);
    g_autoptr(SpTestResponse) anonymous = get (NULL, SP_API_METRICS_PRATICHE);

    sp_test_assert_problem (as_auditor, 403, "forbidden");
    g_assert_cmpint (anonymous->status, ==, 401);
  }
}

static SpTestResponse *
scrape (const char *bearer)
{
  g_autoptr(SoupMessage) message = sp_test_message_new (env, "GET", SP_API_PROMETHEUS, NULL, NULL, NULL, 0);

  if (bearer != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", bearer);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
    }
  return sp_test_send (sp_test_env_get_session (env), message);
}

/* GET /metrics: off by default; with [metrics], the token and the networks
 * it names; the counts match the pratiche, the requests are counted per
 * route (its pattern, not the path). */
static void
test_prometheus (void)
{
  const char token[] = "token-di-prova-per-prometheus";
  g_autofree char *token_file = g_build_filename (sp_test_env_get_dir (env), "metrics.token", NULL);
  g_autoptr(SpTestResponse) off = scrape (NULL);
  g_autoptr(SpTestResponse) missing = NULL;
  g_autoptr(SpTestResponse) wrong = NULL;
  g_autoptr(SpTestResponse) scraped = NULL;
  g_autoptr(SpTestResponse) elsewhere = NULL;
  g_autofree char *count = NULL;
  g_autofree char *line = NULL;
  const char *text;

  sp_test_assert_problem (off, 404, "not-found");

  g_assert_true (g_file_set_contents (token_file, token, -1, NULL));
  sp_test_env_set_config (env, "metrics", "token-file", token_file);
  sp_test_env_set_config (env, "metrics", "allow", "127.0.0.0/8, ::1/128");
  sp_test_env_restart_server (env);
  g_clear_pointer (&operator, g_free);
  operator = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  {
    g_autoptr(SpTestResponse) warm = get (operator, SP_API_METRICS_SUMMARY);

    sp_test_assert_status (warm, 200);
  }
  missing = scrape (NULL);
  wrong = scrape ("token-di-prova-per-prometheuz");
  scraped = scrape (token);
  g_assert_cmpint (missing->status, ==, 401);
  g_assert_cmpint (wrong->status, ==, 401);
  sp_test_assert_status (scraped, 200);
  g_assert_cmpstr (scraped->content_type, ==, "text/plain");
  text = sp_test_response_text (scraped);
  count = sp_test_pg_value (conn, "SELECT count (*) FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id"
                                  " WHERE sv.slug = '" SP_TEST_SERVIZIO_INTERNAL "' AND p.status = 3000", 0, NULL);
  line = g_strdup_printf ("\nsportello_pratiche{ente=\"" SP_TEST_ENTE "\",servizio=\"" SP_TEST_SERVIZIO_INTERNAL
                          "\",status=\"3000\"} %s\n", count);
  g_assert_nonnull (strstr (text, line));
  g_assert_nonnull (strstr (text, "\nsportello_outbox_backlog "));
  g_assert_nonnull (strstr (text, "\n# TYPE sportello_http_request_duration_seconds histogram\n"));
  g_assert_nonnull (strstr (text, "sportello_http_request_duration_seconds_count{method=\"GET\","
                                  "route=\"/api/v1.0/operator/metrics/summary\",code=\"2x\"} 1\n"));
  g_assert_nonnull (strstr (text, "route=\"/api/v1.0/operator/metrics/summary\",code=\"2x\",le=\"+Inf\"} 1\n"));

  /* From an address outside the networks: 403, token or not. */
  sp_test_env_set_config (env, "metrics", "allow", "10.0.0.0/8");
  sp_test_env_restart_server (env);
  elsewhere = scrape (token);
  sp_test_assert_problem (elsewhere, 403, "forbidden");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  env = sp_test_env_start ();
  if (env == NULL)
    return 77;
  conn = sp_test_pg_connect (env);
  operator = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  auditor = sp_test_login (env, SP_TEST_AUDITOR, SP_TEST_PASSWORD);

  g_test_add_func ("/sportello/metrics/summary", test_summary);
  g_test_add_func ("/sportello/metrics/pratiche", test_pratiche);
  g_test_add_func ("/sportello/metrics/refusals", test_refusals);
  g_test_add_func ("/sportello/metrics/prometheus", test_prometheus);
  status = g_test_run ();

  PQfinish (conn);
  g_free (operator);
  g_free (auditor);
  sp_test_env_stop (env);
  return status;
}
