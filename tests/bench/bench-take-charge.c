/* bench-take-charge.c: many operators taking the same pratiche in charge at once: throughput, latency, exactly-once */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <stdio.h>

#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"
#include "sp-test-race.h"

#define SERVIZIO "gara-presa-in-carico"

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  return text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL) ? (guint) value : fallback;
}

static gboolean
verify (const char *what,
        gint64      got,
        gint64      expected)
{
  printf ("# check %-52s %8" G_GINT64_FORMAT " (expected %" G_GINT64_FORMAT ") %s\n", what, got, expected,
          got == expected ? "ok" : "FAILED");
  return got == expected;
}

int
main (int   argc,
      char *argv[])
{
  guint n_operators = MAX (1, env_uint ("SP_BENCH_TC_OPERATORS", 50));
  guint n_pratiche = MAX (1, env_uint ("SP_BENCH_TC_PRATICHE", 300));
  guint background = env_uint ("SP_BENCH_TC_BACKGROUND", 100000);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GString) id_array = g_string_new ("{");
  g_autoptr(SpTestRace) race = NULL;
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *outbox_before = NULL;
  g_autofree char *diff = NULL;
  SpTestPratica pratica = { .servizio = SERVIZIO, .status = 3000, .protocol_number = "2026/0000001" };
  SpTestEnv *env;
  gboolean ok = TRUE;
  gint64 start;

  setvbuf (stdout, NULL, _IOLBF, 0);
  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);

  if (background > 0)
    {
      g_autofree char *n = g_strdup_printf ("%u", background);

      start = g_get_monotonic_time ();
      if (!sp_test_env_admin (env, SP_TEST_PASSWORD, NULL, &error, "generate", n, "--servizi", "50",
                              "--operators", "100", "--ente", "bench", "--password-stdin", NULL))
        g_error ("generate: %s", error->message);
      printf ("# background: %u generated pratiche in another ente, %.1f s\n", background,
              (g_get_monotonic_time () - start) / 1e6);
    }

  sp_test_servizio_create (conn, SP_TEST_ENTE, SERVIZIO, "Gara di presa in carico", TRUE);
  for (guint i = 0; i < n_operators; i++)
    {
      g_autofree char *username = g_strdup_printf ("gara.op%03u", i);
      g_autofree char *name = g_strdup_printf ("Operatore di gara %u", i);

      sp_test_operator_create (conn, SP_TEST_ENTE, username, name, SERVIZIO);
    }
  ids = sp_test_pratiche_insert (conn, &pratica, n_pratiche);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (id_array, "%s%s", i > 0 ? "," : "", (const char *) ids->pdata[i]);
  g_string_append_c (id_array, '}');
  g_ptr_array_add (ids, NULL);
  sp_test_pg_command (conn, "ANALYZE", 0, NULL);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n_operators; i++)
    {
      g_autofree char *username = g_strdup_printf ("gara.op%03u", i);

      g_ptr_array_add (tokens, sp_test_login (env, username, SP_TEST_PASSWORD));
    }
  g_ptr_array_add (tokens, NULL);
  printf ("# %u operators logged in (%.1f s); %u pratiche in Da assegnare, each operator tries all of them in its "
          "own random order, one thread and HTTPS connection per operator; server pool: 4 connections\n",
          n_operators, (g_get_monotonic_time () - start) / 1e6, n_pratiche);

  outbox_before = sp_test_pg_value (conn, "SELECT count (*) FROM outbox", 0, NULL);
  race = sp_test_race_run (env, (const char * const *) tokens->pdata, (const char * const *) ids->pdata, 20260101);

  printf ("%-28s %10s %10s %10s %10s %10s\n", "outcome", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms");
  printf ("%-28s %10u %10.2f %10.2f %10.2f %10.2f\n", "204 taken in charge", race->ok_ms->len,
          sp_test_percentile (race->ok_ms, 0.5), sp_test_percentile (race->ok_ms, 0.95),
          sp_test_percentile (race->ok_ms, 0.99), sp_test_percentile (race->ok_ms, 1));
  printf ("%-28s %10u %10.2f %10.2f %10.2f %10.2f\n", "409 already-taken", race->taken_ms->len,
          sp_test_percentile (race->taken_ms, 0.5), sp_test_percentile (race->taken_ms, 0.95),
          sp_test_percentile (race->taken_ms, 0.99), sp_test_percentile (race->taken_ms, 1));
  {
    g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));

    g_array_append_vals (all, race->ok_ms->data, race->ok_ms->len);
    g_array_append_vals (all, race->taken_ms->data, race->taken_ms->len);
    printf ("%-28s %10u %10.2f %10.2f %10.2f %10.2f\n", "all", all->len, sp_test_percentile (all, 0.5),
            sp_test_percentile (all, 0.95), sp_test_percentile (all, 0.99), sp_test_percentile (all, 1));
  }
  printf ("# %u requests in %.2f s: %.0f requests/s, %.0f take charges/s\n", race->n_requests, race->seconds,
          race->n_requests / race->seconds, race->n_ok / race->seconds);

  ok &= verify ("204 answers", race->n_ok, n_pratiche);
  ok &= verify ("409 already-taken answers", race->n_taken, (gint64) n_pratiche * (n_operators - 1));
  ok &= verify ("other answers", race->n_other, 0);
  ok &= verify ("pratiche won twice", race->n_double_wins, 0);
  ok &= verify ("pratiche in 4000 and assigned",
                sp_test_pg_int (conn, "SELECT count (*) FROM pratica WHERE id = ANY ($1::uuid[])"
                                      " AND status = 4000 AND assigned_to IS NOT NULL",
                                SP_TEST_PG_ARGS (id_array->str)), n_pratiche);
  ok &= verify ("iter rows 4000",
                sp_test_pg_int (conn, "SELECT count (*) FROM iter WHERE pratica_id = ANY ($1::uuid[]) AND status = 4000",
                                SP_TEST_PG_ARGS (id_array->str)), n_pratiche);
  ok &= verify ("versions “Presa in carico”",
                sp_test_pg_int (conn, "SELECT count (*) FROM version WHERE pratica_id = ANY ($1::uuid[])"
                                      " AND operation = 'Presa in carico'",
                                SP_TEST_PG_ARGS (id_array->str)), n_pratiche);
  ok &= verify ("new outbox rows",
                sp_test_pg_int (conn, "SELECT count (*) - $1::bigint FROM outbox", SP_TEST_PG_ARGS (outbox_before)),
                n_pratiche);
  diff = sp_test_pratica_count_diff (conn);
  ok &= verify ("pratica_count rows off", diff != NULL ? 1 : 0, 0);
  if (diff != NULL)
    printf ("# %s\n", diff);
  for (guint i = 0; i < MIN (race->other->len, 10); i++)
    printf ("# %s\n", (const char *) race->other->pdata[i]);

  g_clear_pointer (&conn, PQfinish);
  sp_test_env_stop (env);
  return ok ? 0 : 1;
}
