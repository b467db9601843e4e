/* bench-audit.c: the audit API at the server, request to last byte: two versions of 10,000 nested fields compared, 1,000 versions listed */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <stdio.h>

#include "sp-api.h"
#include "sp-bench-snapshots.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

/* DESIGN.md §10: a comparison of 10,000 fields under 20 ms, 1,000 versions
 * listed under 50 ms. */
#define GOAL_COMPARE_MS   20.0
#define GOAL_VERSIONS_MS  50.0
#define SERVIZIO          "bench-audit"

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL ? (guint) g_ascii_strtoull (value, NULL, 10) : fallback;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Times @rounds GETs of @path (after one to warm up); prints p50 and p95. */
static double
measure (SpTestEnv  *env,
         const char *token,
         const char *what,
         const char *path,
         guint       rounds,
         double      goal_ms)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  gsize bytes = 0;
  double p50, p95;

  for (guint i = 0; i <= rounds; i++)
    {
      /* The body read to its last byte, not parsed: the server's time. */
      g_autoptr(SoupMessage) message = sp_test_message_new (env, "GET", path, token, NULL, NULL, 0);
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) body = soup_session_send_and_read (sp_test_env_get_session (env), message, NULL, &error);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (message), ==, 200);
      bytes = g_bytes_get_size (body);
      if (i > 0)
        g_array_append_val (samples, ms);
    }
  g_array_sort (samples, compare_doubles);
  p50 = g_array_index (samples, double, samples->len / 2);
  p95 = g_array_index (samples, double, MIN (samples->len - 1, samples->len * 95 / 100));
  printf ("%-34s %9.2f %9.2f %10zu  %s\n", what, p50, p95, bytes, p95 < goal_ms ? "within the goal" : "over the goal");
  return p95;
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  SpTestEnv *env = sp_test_env_start ();
  PGconn *conn = sp_test_pg_connect (env);
  g_autofree char *old_text = sp_bench_snapshot_text (FALSE);
  g_autofree char *new_text = sp_bench_snapshot_text (TRUE);
  g_autofree char *schema = sp_bench_schema_text ();
  guint rounds = env_uint ("SP_BENCH_ROUNDS", 50);
  guint n_versions = env_uint ("SP_BENCH_AUDIT_VERSIONS", 1000);
  g_autofree char *n_text = g_strdup_printf ("%u", n_versions);
  g_autofree char *token = NULL;
  g_autofree char *big = NULL;
  g_autofree char *many = NULL;
  g_autofree char *compare_path = NULL;
  g_autofree char *versions_path = NULL;
  SpTestPratica spec = { .servizio = SERVIZIO, .status = 3000 };

  /* A service with the schema, a pratica with the two big versions. */
  sp_test_servizio_create (conn, SP_TEST_ENTE, SERVIZIO, "Servizio del benchmark", FALSE);
  sp_test_pg_command (conn, "UPDATE servizio SET field_schema = $2::jsonb WHERE slug = $1",
                      SP_TEST_PG_ARGS (SERVIZIO, schema));
  big = sp_test_pratica_insert (conn, &spec);
  sp_test_pg_command (conn, "SELECT version_append ($1::uuid, 'Acquisizione', NULL, 'Sistema', 'sistema', NULL,"
                            " now () - interval '1 day', $2::jsonb)", SP_TEST_PG_ARGS (big, old_text));
  sp_test_pg_command (conn, "SELECT version_append ($1::uuid, 'Salvataggio', NULL, 'Operatore di Prova', 'operatore',"
                            " NULL, now (), $2::jsonb)", SP_TEST_PG_ARGS (big, new_text));

  /* A pratica with many versions, each a small change. */
  many = sp_test_pratica_insert (conn, &spec);
  sp_test_pg_command (conn, "SELECT version_append ($1::uuid, 'Salvataggio', NULL, 'Operatore di Prova', 'operatore',"
                            " 'salvataggio ' || g, now () - interval '1 second' * ($2::integer - g),"
                            " jsonb_build_object ('data', jsonb_build_object ('contatore', g), 'status', 4000))"
                            " FROM generate_series (1, $2::integer) g", SP_TEST_PG_ARGS (many, n_text));
  sp_test_pg_command (conn, "VACUUM ANALYZE version", 0, NULL);

  token = sp_test_login (env, SP_TEST_AUDITOR, SP_TEST_PASSWORD);
  compare_path = g_strdup_printf (SP_API_AUDIT_PRATICHE "/%s/compare?from=1&to=2", big);
  versions_path = g_strdup_printf (SP_API_AUDIT_PRATICHE "/%s/versions", many);

  printf ("# the audit API over HTTPS keep-alive, one request at a time, %u rounds after one to warm up;"
          " snapshots of %zu and %zu bytes; every read logged\n", rounds, strlen (old_text), strlen (new_text));
  printf ("%-34s %9s %9s %10s  goal: compare p95 < %.0f ms, versions p95 < %.0f ms\n", "request", "p50 ms",
          "p95 ms", "bytes", GOAL_COMPARE_MS, GOAL_VERSIONS_MS);
  measure (env, token, "compare 10,000 fields (v1 → v2)", compare_path, rounds, GOAL_COMPARE_MS);
  measure (env, token, "versions of a pratica (list)", versions_path, rounds, GOAL_VERSIONS_MS);
  printf ("# (%u versions in the list)\n", n_versions);

  PQfinish (conn);
  sp_test_env_stop (env);
  return 0;
}
