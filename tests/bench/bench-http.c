/* bench-http.c: req/s, p50 and p99 of /health and a dashboard page over HTTPS keep-alive, against a bare libsoup server */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <stdio.h>

#include "sp-bench-https.h"
#include "sp-test-dashboard.h"
#include "sp-test-env.h"
#include "sp-test-http.h"

/* A few thousand pratiche and the operator who sees the most of them. */
static char *
dashboard_login (SpTestEnv *env)
{
  g_autofree char *generated = NULL;
  g_autofree char *operator = NULL;
  g_autoptr(GError) error = NULL;

  if (!sp_test_env_admin (env, SP_TEST_PASSWORD, &generated, &error, "generate", "5000", "--servizi", "5",
                          "--operators", "3", "--ente", "bench", "--password-stdin", NULL))
    g_error ("generate: %s", error->message);
  operator = sp_test_env_sql (env,
                              "SELECT a.username FROM account a JOIN account_servizio x ON x.account_id = a.id"
                              " JOIN pratica_count c ON c.servizio_id = x.servizio_id WHERE a.role = 'operatore'"
                              " GROUP BY a.id ORDER BY sum (c.n) DESC, a.id LIMIT 1");
  return sp_test_login (env, operator, SP_TEST_PASSWORD);
}

/* The page must really hold 50 rows, or the figure would flatter the server. */
static void
check_page (SpTestEnv  *env,
            const char *token,
            const char *path)
{
  g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", path, token, NULL, NULL, 0);
  JsonNode *items;

  sp_test_assert_status (response, 200);
  items = json_object_get_member (sp_test_response_object (response), "items");
  g_assert_nonnull (items);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (items)), ==, 50);
}

int
main (int   argc,
      char *argv[])
{
  guint connections = sp_bench_env_uint ("SP_BENCH_HTTP_CONNECTIONS", 16);
  guint seconds = sp_bench_env_uint ("SP_BENCH_HTTP_SECONDS", 10);
  g_autofree char *token = NULL;
  g_autofree char *dashboard = NULL;
  SpBenchHello hello = { 0 };
  SpBenchTarget targets[3] = {
    { .name = "bare hello" },
    { .name = "/health" },
    { .name = "dashboard 50 rows" },
  };
  double rates[G_N_ELEMENTS (targets)];
  const double goals[G_N_ELEMENTS (targets)] = { 1, 0.8, 0.1 };
  guint errors = 0;
  SpTestEnv *env;

  setvbuf (stdout, NULL, _IOLBF, 0);
  env = sp_test_env_start ();
  token = dashboard_login (env);
  dashboard = sp_test_dashboard_path (SP_BUCKET_TUTTE, SP_SORT_SUBMITTED, TRUE, NULL, 50, NULL);
  check_page (env, token, dashboard);
  sp_bench_hello_start (&hello, env);

  targets[0].url = g_strconcat (hello.url, "/", NULL);
  targets[1].url = g_strconcat (sp_test_env_get_url (env), "/api/v1.0/health", NULL);
  targets[2].url = g_strconcat (sp_test_env_get_url (env), dashboard, NULL);
  targets[2].authorization = g_strconcat ("Bearer ", token, NULL);

  printf ("# %u HTTPS keep-alive connections (a thread and session each, one request at a time),"
          " %u s per target after %d s of warm-up\n", connections, seconds, SP_BENCH_WARMUP_S);
  printf ("# dashboard: GET %s (first page, with the counts)\n", dashboard);
  printf ("%-18s %9s %9s %9s %8s %6s\n", "target", "req/s", "p50 ms", "p99 ms", "ratio", "goal");
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      SpBenchTarget *target = &targets[i];

      target->ca_file = sp_test_env_get_ca_file (env);
      rates[i] = sp_bench_run_target (target, connections, seconds);
      printf ("%-18s %9.0f %9.2f %9.2f %7.0f%% %5.0f%%%s\n", target->name, rates[i], sp_bench_percentile (target->samples, 0.5),
              sp_bench_percentile (target->samples, 0.99), 100 * rates[i] / rates[0], 100 * goals[i],
              rates[i] < goals[i] * rates[0] ? "  below the goal" : "");
      if (target->errors > 0)
        printf ("# %s: %u failed requests, the first: %s\n", target->name, target->errors, target->first_error);
      errors += target->errors;
    }

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    sp_bench_target_clear (&targets[i]);
  sp_bench_hello_stop (&hello);
  sp_test_env_stop (env);
  return errors > 0 ? 1 : 0;
}
