/* bench-dashboard.c: p50/p95 of the dashboard's first page with counts, per bucket, sort and search, at scale */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <stdio.h>

#include "sp-dashboard.h"
#include "sp-test-env.h"
#include "sp-test-http.h"

#define WARMUP  2

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *samples,
            double  p)
{
  guint index = (guint) (p * (samples->len - 1) + 0.5);

  return g_array_index (samples, double, MIN (index, samples->len - 1));
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  return text != NULL && g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &value, NULL) ? (guint) value : fallback;
}

/* Times one request of the first page (with counts); returns milliseconds,
 * or minus the HTTP status when it is not 200. */
static double
time_request (SpTestEnv  *env,
              const char *token,
              const char *path)
{
  g_autoptr(SoupMessage) message = sp_test_message_new (env, "GET", path, token, NULL, NULL, 0);
  g_autoptr(SpTestResponse) response = NULL;
  gint64 start = g_get_monotonic_time ();

  response = sp_test_send (sp_test_env_get_session (env), message);
  if (response->status != 200)
    {
      g_printerr ("%s: HTTP %u %s\n", path, response->status, sp_test_response_text (response));
      return -(double) response->status;
    }
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* SP_BENCH_BUCKETS=da_assegnare,tutte: only these buckets (default all). */
static gboolean
bucket_wanted (SpBucket bucket)
{
  const char *wanted = g_getenv ("SP_BENCH_BUCKETS");
  g_auto(GStrv) names = NULL;

  if (wanted == NULL || *wanted == '\0')
    return TRUE;
  names = g_strsplit (wanted, ",", -1);
  return g_strv_contains ((const char * const *) names, sp_bucket_to_string (bucket));
}

/* Prints @text with every line as a TAP-safe comment. */
static void
print_commented (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      printf ("# %s\n", lines[i]);
}

/* SP_BENCH_KEEP=SECONDS (1 means 3600): keep PostgreSQL and the server up
 * after the run, for EXPLAIN ANALYZE with psql, until DIR/stop exists or the
 * time is up. */
static void
keep_alive (SpTestEnv *env)
{
  guint seconds = env_uint ("SP_BENCH_KEEP", 0);
  g_autofree char *stop = NULL;
  gint64 deadline;

  if (seconds == 0)
    return;
  if (seconds == 1)
    seconds = 3600;
  stop = g_build_filename (sp_test_env_get_dir (env), "stop", NULL);
  printf ("# SP_BENCH_KEEP: the environment stays up for %u s or until %s exists\n", seconds, stop);
  printf ("#   psql \"%s\"\n", sp_test_env_get_conninfo (env));
  printf ("#   server %s (CA %s)\n", sp_test_env_get_url (env), sp_test_env_get_ca_file (env));
  fflush (stdout);
  deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline && !g_file_test (stop, G_FILE_TEST_EXISTS))
    g_usleep (G_USEC_PER_SEC / 2);
}

/* SP_BENCH_START_FILE=PATH: measure only once PATH exists (generate while
 * the machine is busy, measure when it is quiet). */
static void
wait_for_start_file (void)
{
  const char *path = g_getenv ("SP_BENCH_START_FILE");

  if (path == NULL || *path == '\0')
    return;
  printf ("# waiting for %s to exist before measuring\n", path);
  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    g_usleep (G_USEC_PER_SEC / 2);
}

int
main (int   argc,
      char *argv[])
{
  guint n_pratiche = env_uint ("SP_BENCH_PRATICHE", 1000000);
  guint n_servizi = env_uint ("SP_BENCH_SERVIZI", 200);
  guint n_operators = env_uint ("SP_BENCH_OPERATORS", 500);
  guint rounds = env_uint ("SP_BENCH_ROUNDS", 20);
  g_autofree char *pratiche_text = g_strdup_printf ("%u", n_pratiche);
  g_autofree char *servizi_text = g_strdup_printf ("%u", n_servizi);
  g_autofree char *operators_text = g_strdup_printf ("%u", n_operators);
  g_autofree char *generated = NULL;
  g_autofree char *operator = NULL;
  g_autofree char *surname = NULL;
  g_autofree char *cf = NULL;
  g_autofree char *token = NULL;
  g_autofree char *surname_escaped = NULL;
  g_autofree char *one_letter = NULL;
  g_autofree char *two_letters = NULL;
  g_autofree char *visible = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all_p95 = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) slow = g_string_new (NULL);
  g_autoptr(GString) errors = g_string_new (NULL);
  const char *searches[5] = { NULL };
  const char *search_names[] = { "none", "surname", "rare cf", "1 letter", "2 letters" };
  SpTestEnv *env;
  gint64 start;

  setvbuf (stdout, NULL, _IOLBF, 0);
  env = sp_test_env_start ();

  start = g_get_monotonic_time ();
  if (!sp_test_env_admin (env, SP_TEST_PASSWORD, &generated, &error, "generate", pratiche_text,
                          "--servizi", servizi_text, "--operators", operators_text, "--ente", "bench",
                          "--password-stdin", NULL))
    g_error ("generate: %s", error->message);
  print_commented (generated);
  printf ("# generate %u pratiche, %u services, %u operators: %.1f s\n",
          n_pratiche, n_servizi, n_operators, (g_get_monotonic_time () - start) / 1e6);

  /* The operator with the most pratiche in their services (bench.op0001,
   * enabled for all of them): the heaviest buckets. */
  operator = sp_test_env_sql (env,
                              "SELECT a.username FROM account a"
                              " JOIN account_servizio x ON x.account_id = a.id"
                              " JOIN pratica_count c ON c.servizio_id = x.servizio_id"
                              " WHERE a.role = 'operatore' GROUP BY a.id ORDER BY sum (c.n) DESC, a.id LIMIT 1");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT sum (c.n) FROM pratica_count c JOIN account_servizio x"
                                            " ON x.servizio_id = c.servizio_id JOIN account a ON a.id = x.account_id"
                                            " WHERE a.username = '%s'", operator);

    visible = sp_test_env_sql (env, sql);
  }
  surname = sp_test_env_sql (env, "SELECT applicant_cognome FROM pratica GROUP BY 1 ORDER BY count (*) DESC, 1 LIMIT 1");
  cf = sp_test_env_sql (env, "SELECT applicant_cf FROM pratica GROUP BY 1 ORDER BY count (*), 1 LIMIT 1");
  /* What an operator types first: the surnames' commonest initial and
   * first two letters, each matching a large part of the pratiche. */
  one_letter = sp_test_env_sql (env, "SELECT lower (left (applicant_cognome, 1)) FROM pratica"
                                     " GROUP BY 1 ORDER BY count (*) DESC, 1 LIMIT 1");
  two_letters = sp_test_env_sql (env, "SELECT lower (left (applicant_cognome, 2)) FROM pratica"
                                      " GROUP BY 1 ORDER BY count (*) DESC, 1 LIMIT 1");
  wait_for_start_file ();
  token = sp_test_login (env, operator, SP_TEST_PASSWORD);

  surname_escaped = g_uri_escape_string (surname, NULL, FALSE);
  searches[1] = surname_escaped;
  searches[2] = cf;
  searches[3] = one_letter;
  searches[4] = two_letters;
  printf ("# operator %s sees %s pratiche; common surname “%s”; rare codice fiscale %s; 1 letter “%s”;"
          " 2 letters “%s”; %u rounds after %u warm-up\n",
          operator, visible, surname, cf, one_letter, two_letters, rounds, WARMUP);
  printf ("# time: one HTTPS keep-alive request of the first page (limit 50) with the counts, at the client\n");
  printf ("%-13s %-13s %-5s %-9s %9s %9s\n", "bucket", "sort", "order", "search", "p50 ms", "p95 ms");

  for (guint b = 0; b < SP_N_BUCKETS; b++)
    for (guint s = 0; s < SP_N_SORT_KEYS && bucket_wanted (b); s++)
      for (guint o = 0; o < 2; o++)
        for (guint q = 0; q < G_N_ELEMENTS (searches); q++)
          {
            g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
            g_autofree char *path = g_strdup_printf ("/api/v1.0/operator/pratiche?bucket=%s&sort=%s&order=%s%s%s",
                                                     sp_bucket_to_string (b), sp_sort_key_to_string (s),
                                                     o ? "desc" : "asc", searches[q] != NULL ? "&q=" : "",
                                                     searches[q] != NULL ? searches[q] : "");
            guint case_rounds = rounds;
            double p95;
            int failed = 0;

            for (guint i = 0; i < WARMUP + case_rounds && failed == 0; i++)
              {
                double ms = time_request (env, token, path);

                if (ms < 0)
                  failed = (int) -ms;

                /* A case far off the bar gets fewer rounds: its figure is clear anyway. */
                if (i == 0 && ms > 2000)
                  case_rounds = MIN (rounds, 5);
                if (i >= WARMUP)
                  g_array_append_val (samples, ms);
              }
            if (failed != 0)
              {
                printf ("%-13s %-13s %-5s %-9s %9s %9s  HTTP %d\n", sp_bucket_to_string (b), sp_sort_key_to_string (s),
                        o ? "desc" : "asc", search_names[q], "-", "-", failed);
                g_string_append_printf (errors, "#   %s: HTTP %d\n", path, failed);
                continue;
              }
            g_array_sort (samples, compare_doubles);
            p95 = percentile (samples, 0.95);
            g_array_append_val (all_p95, p95);
            printf ("%-13s %-13s %-5s %-9s %9.2f %9.2f%s\n", sp_bucket_to_string (b), sp_sort_key_to_string (s),
                    o ? "desc" : "asc", search_names[q], percentile (samples, 0.5), p95, p95 > 50 ? "  > 50" : "");
            if (p95 > 50)
              g_string_append_printf (slow, "#   %s\n", path);
          }

  g_array_sort (all_p95, compare_doubles);
  if (all_p95->len > 0)
    printf ("# worst p95 over %u cases: %.2f ms (bar: 50 ms)\n", all_p95->len,
            g_array_index (all_p95, double, all_p95->len - 1));
  if (slow->len > 0)
    printf ("# over the bar:\n%s", slow->str);
  if (errors->len > 0)
    printf ("# failed (no figure):\n%s", errors->str);

  keep_alive (env);
  sp_test_env_stop (env);
  return errors->len > 0 ? 1 : 0;
}
