/* test-metrics-processing.c: the processing times against figures computed here: the job's over days, live otherwise */
#define G_LOG_DOMAIN "test-metrics"

#include "config.h"

#include "sp-api.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

#define REFRESH_JOB "metrics-processing"

static SpTestEnv *env;
static PGconn *conn;
static char *operator;   /* a session token */

static SpTestResponse *
get_window (const char *window)
{
  g_autofree char *path = g_strdup_printf ("%s?window=%s", SP_API_METRICS_PROCESSING, window);

  return sp_test_request (env, "GET", path, operator, NULL, NULL, 0);
}

/* A pratica of @servizio submitted @submitted ago, taken in charge @taken
 * and concluded @concluded later (SQL intervals; @concluded nullable). */
static char *
insert_waited (const char *servizio,
               const char *submitted,
               const char *taken,
               const char *concluded)
{
  SpTestPratica spec = { .servizio = servizio, .status = concluded != NULL ? 7000 : 4000,
                         .protocol_number = "2026/0000777" };
  g_autofree char *id = sp_test_pratica_insert (conn, &spec);

  sp_test_pg_command (conn, "UPDATE pratica SET submitted_at = now () - $2::interval,"
                            " deadline_at = now () - $2::interval + interval '30 days',"
                            " taken_at = now () - $2::interval + $3::interval,"
                            " concluded_at = now () - $2::interval + $4::interval"
                            " WHERE id = $1::uuid", SP_TEST_PG_ARGS (id, submitted, taken, concluded));
  return g_steal_pointer (&id);
}

/* The continuous percentile (percentile_cont) of the sorted @days. */
static double
percentile (GArray *days,
            double  fraction)
{
  double position = fraction * (days->len - 1);
  guint below = (guint) position;
  double low = g_array_index (days, double, below);

  if (below + 1 >= days->len)
    return low;
  return low + (position - below) * (g_array_index (days, double, below + 1) - low);
}

static int
compare_days (gconstpointer a,
              gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Checks one service's figures (@what "taken" or "concluded") against the
 * days of each pratica, fetched with @sql and computed here. */
static void
assert_figures (JsonObject *service,
                const char *what,
                const char *sql)
{
  JsonObject *figures = json_object_get_object_member (service, what);
  const char *slug = json_object_get_string_member (service, "servizio");
  g_autoptr(PGresult) rows = sp_test_pg_exec (conn, sql, SP_TEST_PG_ARGS (slug));
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (double));
  int within = 0;

  for (int row = 0; row < PQntuples (rows); row++)
    {
      double value = g_ascii_strtod (PQgetvalue (rows, row, 0), NULL);

      g_array_append_val (days, value);
      within += PQnfields (rows) > 1 && g_str_equal (PQgetvalue (rows, row, 1), "t");
    }
  g_array_sort (days, compare_days);
  g_assert_cmpint (json_object_get_int_member (figures, "count"), ==, days->len);
  if (days->len == 0)
    {
      g_assert_true (json_object_get_null_member (figures, "median_days"));
      return;
    }
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (figures, "median_days"), percentile (days, 0.5), 0.006);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (figures, "p90_days"), percentile (days, 0.9), 0.006);
  if (PQnfields (rows) > 1)
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (figures, "within_deadline"),
                                    (double) within / days->len, 0.0001);
}

/* Asks for @window and checks every service's figures against the
 * pratiche taken in charge and concluded since @interval ago, and that the
 * services are those in scope, by name.
 * Returns: (transfer full): the answer */
static SpTestResponse *
assert_window (const char *window,
               const char *interval)
{
  SpTestResponse *response = get_window (window);
  g_autofree char *taken = g_strdup_printf ("SELECT extract (epoch FROM p.taken_at - p.submitted_at) / 86400 FROM pratica p"
                                            " JOIN servizio sv ON sv.id = p.servizio_id"
                                            " WHERE sv.slug = $1 AND p.taken_at >= now () - interval '%s'", interval);
  g_autofree char *concluded = g_strdup_printf ("SELECT extract (epoch FROM p.concluded_at - p.submitted_at) / 86400,"
                                                "       p.concluded_at <= p.deadline_at FROM pratica p"
                                                " JOIN servizio sv ON sv.id = p.servizio_id"
                                                " WHERE sv.slug = $1 AND p.concluded_at >= now () - interval '%s'", interval);
  g_autofree char *services_in_scope = NULL;
  g_autoptr(GString) slugs = g_string_new (NULL);
  JsonArray *services;

  sp_test_assert_status (response, 200);
  g_assert_cmpstr (json_object_get_string_member (sp_test_response_object (response), "window"), ==, window);
  services = json_object_get_array_member (sp_test_response_object (response), "services");
  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);

      g_string_append_printf (slugs, "%s%s", i > 0 ? "," : "", json_object_get_string_member (service, "servizio"));
      assert_figures (service, "taken", taken);
      assert_figures (service, "concluded", concluded);
    }
  services_in_scope = sp_test_pg_value (conn, "SELECT string_agg (sv.slug, ',' ORDER BY sv.name, sv.slug) FROM servizio sv"
                                              " WHERE sv.active AND " SP_TEST_IN_SCOPE_OF ("sv.id", SP_TEST_OPERATOR),
                                        0, NULL);
  g_assert_cmpstr (slugs->str, ==, services_in_scope);
  return response;
}

static gint64
count_of (SpTestResponse *response,
          const char     *servizio,
          const char     *what)
{
  JsonObject *service = sp_test_response_find (response, "services", "servizio", servizio);

  return json_object_get_int_member (json_object_get_object_member (service, what), "count");
}

static const char *
to_of (SpTestResponse *response)
{
  return json_object_get_string_member (sp_test_response_object (response), "to");
}

/* The first take charge is stamped on the pratica whichever path makes it,
 * and kept; the medians, 90th percentiles and the share within the deadline
 * match figures computed here from each pratica's days, in every window. */
static void
test_processing (void)
{
  const char *taken_days[] = { "1 day", "2 days 12 hours", "4 days", "9 days" };
  const char *concluded_days[] = { "5 days", "12 days 12 hours", "20 days", "45 days" };
  SpTestPratica spec = { .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = 3000, .protocol_number = "2026/0000777" };
  g_autofree char *stamped = sp_test_pratica_insert (conn, &spec);
  g_autofree char *first = NULL;
  const struct { const char *window, *interval; } windows[] = {
    { "5m", "5 minutes" }, { "1h", "1 hour" }, { "1d", "1 day" },
    { "7d", "7 days" }, { "30d", "30 days" }, { "90d", "90 days" },
  };
  g_autoptr(SpTestResponse) bad = NULL;

  sp_test_pg_command (conn, "UPDATE pratica SET status = 4000 WHERE id = $1::uuid", SP_TEST_PG_ARGS (stamped));
  first = sp_test_pg_value (conn, "SELECT taken_at FROM pratica WHERE id = $1::uuid AND taken_at > now () - interval '1 minute'",
                            SP_TEST_PG_ARGS (stamped));
  g_assert_nonnull (first);
  sp_test_pg_command (conn, "UPDATE pratica SET status = 5000 WHERE id = $1::uuid", SP_TEST_PG_ARGS (stamped));
  sp_test_pg_command (conn, "UPDATE pratica SET status = 4000 WHERE id = $1::uuid", SP_TEST_PG_ARGS (stamped));
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM pratica WHERE id = $1::uuid AND taken_at = $2::timestamptz",
                                   SP_TEST_PG_ARGS (stamped, first)), ==, 1);

  /* Known waits: taken in charge within the window, and concluded in and
   * past the 30 days of the deadline; one concluded before the window; one
   * in each of the short windows. */
  for (guint i = 0; i < G_N_ELEMENTS (taken_days); i++)
    g_free (insert_waited (SP_TEST_SERVIZIO_INTERNAL, "40 days", taken_days[i], concluded_days[i]));
  g_free (insert_waited (SP_TEST_SERVIZIO_EXTERNAL, "3 years", "1 day", "3 days"));
  g_free (insert_waited (SP_TEST_SERVIZIO_EXTERNAL, "3 hours", "1 hour", "2 hours 58 minutes"));
  g_free (insert_waited (SP_TEST_SERVIZIO_INTERNAL, "20 hours", "10 hours", NULL));

  sp_test_job_run (conn, REFRESH_JOB);
  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      g_autoptr(SpTestResponse) response = assert_window (windows[i].window, windows[i].interval);

      if (g_str_equal (windows[i].window, "90d"))
        g_assert_cmpint (count_of (response, SP_TEST_SERVIZIO_INTERNAL, "taken"), >=, 5);
      if (g_str_equal (windows[i].window, "5m"))
        g_assert_cmpint (count_of (response, SP_TEST_SERVIZIO_EXTERNAL, "concluded"), ==, 1);
    }

  bad = get_window ("1y");
  sp_test_assert_problem (bad, 422, "validation");
  g_assert_nonnull (sp_test_field_error (bad, "window"));
}

/* Over days the answer is the job's until it runs again, and says when it
 * was computed; the short windows are live. Figures older than three of the
 * job's periods, and services the job has not seen, are computed live. */
static void
test_kept (void)
{
  g_autoptr(SpTestResponse) before = NULL;
  g_autoptr(SpTestResponse) kept = NULL;
  g_autoptr(SpTestResponse) live = NULL;
  g_autoptr(SpTestResponse) refreshed = NULL;
  g_autoptr(SpTestResponse) stale = NULL;
  g_autoptr(SpTestResponse) missing = NULL;
  g_autoptr(GDateTime) computed = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 concluded;

  sp_test_job_run (conn, REFRESH_JOB);
  before = get_window ("90d");
  sp_test_assert_status (before, 200);
  concluded = count_of (before, SP_TEST_SERVIZIO_INTERNAL, "concluded");
  computed = g_date_time_new_from_iso8601 (to_of (before), NULL);
  g_assert_nonnull (computed);
  g_assert_cmpint (g_date_time_difference (now, computed), <, 60 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (g_date_time_difference (now, computed), >, -60 * G_TIME_SPAN_SECOND);

  /* Concluded an hour ago: not yet in the job's 90 days, already in 1 day. */
  g_free (insert_waited (SP_TEST_SERVIZIO_INTERNAL, "6 hours", "2 hours", "5 hours"));
  kept = get_window ("90d");
  g_assert_cmpint (count_of (kept, SP_TEST_SERVIZIO_INTERNAL, "concluded"), ==, concluded);
  g_assert_cmpstr (to_of (kept), ==, to_of (before));
  live = assert_window ("1d", "1 day");
  g_assert_cmpint (count_of (live, SP_TEST_SERVIZIO_INTERNAL, "concluded"), >=, 1);

  sp_test_job_run (conn, REFRESH_JOB);
  refreshed = assert_window ("90d", "90 days");
  g_assert_cmpint (count_of (refreshed, SP_TEST_SERVIZIO_INTERNAL, "concluded"), ==, concluded + 1);
  g_assert_cmpstr (to_of (refreshed), >, to_of (before));

  /* One service's figures 16 minutes old (the job runs every 5): live. */
  g_free (insert_waited (SP_TEST_SERVIZIO_INTERNAL, "6 hours", "2 hours", "5 hours"));
  sp_test_pg_command (conn, "UPDATE metrics_processing m SET computed_at = computed_at - interval '16 minutes'"
                            " FROM servizio sv WHERE sv.id = m.servizio_id AND sv.slug = '" SP_TEST_SERVIZIO_INTERNAL "'",
                      0, NULL);
  stale = assert_window ("90d", "90 days");
  g_assert_cmpint (count_of (stale, SP_TEST_SERVIZIO_INTERNAL, "concluded"), ==, concluded + 2);

  /* None kept (a new service, or the job never ran): every one live. */
  g_free (insert_waited (SP_TEST_SERVIZIO_EXTERNAL, "6 hours", "2 hours", "5 hours"));
  sp_test_pg_command (conn, "DELETE FROM metrics_processing", 0, NULL);
  missing = assert_window ("30d", "30 days");
  g_assert_cmpstr (to_of (missing), >, to_of (refreshed));
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

  g_test_add_func ("/sportello/metrics-processing/figures", test_processing);
  g_test_add_func ("/sportello/metrics-processing/kept", test_kept);
  status = g_test_run ();

  PQfinish (conn);
  g_free (operator);
  sp_test_env_stop (env);
  return status;
}
