/* bench-partner.c: req/s, p50 and p99 of the partner API (GET /services with Basic, the status endpoint) over HTTPS keep-alive, against a bare libsoup server; TLS handshakes with client certificates */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <stdio.h>

#include "sp-api.h"
#include "sp-bench-https.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

/* DESIGN.md §10: the partner API at 40% of the bare server, p99 under 25 ms. */
#define GOAL_RATIO   0.4
#define GOAL_P99_MS  25.0

static char *
basic (void)
{
  g_autofree char *pair = g_strdup_printf ("%s:%s", SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD);
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

  return g_strdup_printf ("Basic %s", encoded);
}

/* One pratica in charge (4000) per connection, named by the partner's id
 * BENCH-<n>: `istruttoria` keeps it in 4000 and writes an iter row and a
 * version each time, without waiting for another connection's row lock. */
static void
make_pratiche (SpTestEnv *env,
               guint      n)
{
  g_autoptr(PGconn) conn = sp_test_pg_connect (env);

  for (guint i = 0; i < n; i++)
    {
      SpTestPratica spec = { .servizio = SP_TEST_SERVIZIO_EXTERNAL, .status = 4000,
                             .protocol_number = "PG/2026/0000001" };
      g_autofree char *id = sp_test_pratica_insert (conn, &spec);
      g_autofree char *external = g_strdup_printf ("BENCH-%u", i);

      sp_test_pg_command (conn,
                          "UPDATE pratica SET partner_id = (SELECT id FROM partner WHERE slug = $2), external_id = $3"
                          " WHERE id = $1::uuid", SP_TEST_PG_ARGS (id, SP_TEST_PARTNER, external));
    }
}

typedef struct
{
  SpTestEnv *env;
  gint64     deadline;
  guint      handshakes;
  guint      errors;
} Handshakes;

/* New connections one after the other, each presenting the partner's client
 * certificate and asking GET /services once. */
static gpointer
handshake_thread (gpointer data)
{
  Handshakes *run = data;
  g_autofree char *cert_file = sp_test_env_get_tls_file (run->env, "partner.pem");
  g_autofree char *key_file = sp_test_env_get_tls_file (run->env, "partner.key");
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (cert_file, key_file, NULL);
  g_autofree char *url = g_strconcat (sp_test_env_get_url (run->env), SP_API_PARTNER_SERVICES, NULL);
  guint done = 0;
  guint errors = 0;

  while (g_get_monotonic_time () < run->deadline)
    {
      g_autoptr(SoupSession) session = sp_test_session_new (sp_test_env_get_ca_file (run->env), certificate);
      g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
      g_autoptr(SpTestResponse) response = sp_test_send (session, message);

      if (response->status == 200)
        done++;
      else
        errors++;
    }
  g_atomic_int_add (&run->handshakes, done);
  g_atomic_int_add (&run->errors, errors);
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  guint connections = sp_bench_env_uint ("SP_BENCH_HTTP_CONNECTIONS", 16);
  guint seconds = sp_bench_env_uint ("SP_BENCH_HTTP_SECONDS", 10);
  guint rounds = MAX (sp_bench_env_uint ("SP_BENCH_HTTP_ROUNDS", 5), 1);
  guint handshake_threads = sp_bench_env_uint ("SP_BENCH_HANDSHAKE_THREADS", 4);
  static const char status_body[] = "{\"evento\": \"istruttoria\", \"operatore\": \"Mario Bianchi\","
                                    " \"responsabile\": \"Anna Verdi\", \"struttura\": \"SUE\","
                                    " \"timestamp\": \"2026-03-05T10:15:00+01:00\"}";
  SpBenchHello hello = { 0 };
  SpBenchTarget targets[3] = {
    { .name = "bare hello" },
    { .name = "GET /services" },
    { .name = "POST …/status", .method = "POST", .body = status_body, .expected_status = 204,
      .per_connection = TRUE },
  };
  double rates[G_N_ELEMENTS (targets)];
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  Handshakes handshakes = { 0 };
  guint errors = 0;
  SpTestEnv *env;

  setvbuf (stdout, NULL, _IOLBF, 0);
  env = sp_test_env_start ();
  sp_test_env_set_config (env, "server", "partner-ca", sp_test_env_get_ca_file (env));
  sp_test_env_restart_server (env);
  make_pratiche (env, connections);
  sp_bench_hello_start (&hello, env);

  targets[0].url = g_strconcat (hello.url, "/", NULL);
  targets[1].url = g_strconcat (sp_test_env_get_url (env), SP_API_PARTNER_SERVICES, NULL);
  targets[1].authorization = basic ();
  targets[2].url = g_strconcat (sp_test_env_get_url (env), SP_API_PREFIX "/" SP_TEST_PARTNER "/pratica/BENCH-%u/status",
                                NULL);
  targets[2].authorization = basic ();

  printf ("# %u HTTPS keep-alive connections (a thread and session each, one request at a time),"
          " %u s per target in %u turns of %u s, each after %d s of warm-up, the targets in turn (so that"
          " they share the machine's slower and faster moments); HTTP Basic (scrypt once, then the keyed cache)\n",
          connections, MAX (seconds / rounds, 1) * rounds, rounds, MAX (seconds / rounds, 1), SP_BENCH_WARMUP_S);
  printf ("# status: evento istruttoria on a pratica of its own per connection (an iter row and a version each);"
          " the events that arrive while the database works go in one transaction\n");
  printf ("# the server's log: %s\n", g_getenv ("SP_TEST_SERVER_LOG") != NULL ? g_getenv ("SP_TEST_SERVER_LOG") : "stderr");
  for (guint round = 0; round < rounds; round++)
    {
      double turn[G_N_ELEMENTS (targets)];

      for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
        {
          guint before = targets[i].samples != NULL ? targets[i].samples->len : 0;

          targets[i].ca_file = sp_test_env_get_ca_file (env);
          rates[i] = sp_bench_run_target (&targets[i], connections, MAX (seconds / rounds, 1));
          turn[i] = (targets[i].samples->len - before) / (double) MAX (seconds / rounds, 1);
        }
      printf ("# turn %u: bare %.0f, services %.0f (%.0f%%), status %.0f (%.0f%%) req/s\n", round + 1, turn[0],
              turn[1], 100 * turn[1] / turn[0], turn[2], 100 * turn[2] / turn[0]);
    }

  printf ("%-16s %9s %9s %9s %8s  %s\n", "target", "req/s", "p50 ms", "p99 ms", "ratio",
          "goal: ≥ 40% of the bare server, p99 < 25 ms");
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      SpBenchTarget *target = &targets[i];
      double p99 = sp_bench_percentile (target->samples, 0.99);

      printf ("%-16s %9.0f %9.2f %9.2f %7.0f%%%s\n", target->name, rates[i],
              sp_bench_percentile (target->samples, 0.5), p99, 100 * rates[i] / rates[0],
              i > 0 && (rates[i] < GOAL_RATIO * rates[0] || p99 >= GOAL_P99_MS) ? "  below the goal" : "");
      if (target->errors > 0)
        printf ("# %s: %u failed requests, the first: %s\n", target->name, target->errors, target->first_error);
      errors += target->errors;
    }

  /* TLS handshakes with client certificates: a new connection per request. */
  handshakes.env = env;
  handshakes.deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  for (guint i = 0; i < handshake_threads; i++)
    g_ptr_array_add (threads, g_thread_new ("handshakes", handshake_thread, &handshakes));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  printf ("TLS handshakes with a client certificate (%u threads, a new connection and GET /services each):"
          " %.0f/s\n", handshake_threads, handshakes.handshakes / (double) seconds);
  if (handshakes.errors > 0)
    printf ("# %u handshakes or requests failed\n", handshakes.errors);
  errors += handshakes.errors;

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    sp_bench_target_clear (&targets[i]);
  sp_bench_hello_stop (&hello);
  sp_test_env_stop (env);
  return errors > 0 ? 1 : 0;
}
