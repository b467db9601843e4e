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

/* Times one request of the first page (with counts); returns milliseconds. */
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
    g_error ("%s: HTTP %u %s", path, response->status, sp_test_response_text (response));
  return (g_get_monotonic_time () - start) / 1000.0;
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
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all_p95 = g_array_new (FALSE, FALSE, sizeof (double));
  const char *searches[3] = { NULL };
  const char *search_names[] = { "none", "surname", "rare cf" };
  SpTestEnv *env;
  gint64 start;

  env = sp_test_env_start ();

  start = g_get_monotonic_time ();
  if (!sp_test_env_admin (env, NULL, &generated, &error, "generate", pratiche_text,
                          "--servizi", servizi_text, "--operators", operators_text, NULL))
    g_error ("generate: %s", error->message);
  printf ("# generate %u pratiche, %u services, %u operators: %.1f s\n",
          n_pratiche, n_servizi, n_operators, (g_get_monotonic_time () - start) / 1e6);

  /* The operator with the most pratiche in their services: the heaviest buckets. */
  operator = sp_test_env_sql (env,
                              "SELECT a.username FROM account a"
                              " JOIN account_servizio x ON x.account_id = a.id"
                              " JOIN pratica_count c ON c.servizio_id = x.servizio_id"
                              " WHERE a.role = 'operatore' GROUP BY a.id ORDER BY sum (c.n) DESC LIMIT 1");
  surname = sp_test_env_sql (env, "SELECT applicant_cognome FROM pratica GROUP BY 1 ORDER BY count (*) DESC LIMIT 1");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT p.applicant_cf FROM pratica p"
                                            " JOIN account_servizio x ON x.servizio_id = p.servizio_id"
                                            " JOIN account a ON a.id = x.account_id"
                                            " WHERE a.username = '%s' ORDER BY p.id LIMIT 1", operator);

    cf = sp_test_env_sql (env, sql);
  }
  if (!sp_test_env_admin (env, SP_TEST_PASSWORD "\n", NULL, &error, "password-reset", operator, "--password-stdin", NULL))
    g_error ("password-reset: %s", error->message);
  token = sp_test_login (env, operator, SP_TEST_PASSWORD);

  surname_escaped = g_uri_escape_string (surname, NULL, FALSE);
  searches[1] = surname_escaped;
  searches[2] = cf;
  printf ("# operator %s; common surname “%s”; rare codice fiscale %s; %u rounds after %u warm-up\n",
          operator, surname, cf, rounds, WARMUP);
  printf ("%-13s %-13s %-5s %-8s %9s %9s\n", "bucket", "sort", "order", "search", "p50 ms", "p95 ms");

  for (guint b = 0; b < SP_N_BUCKETS; b++)
    for (guint s = 0; s < SP_N_SORT_KEYS; s++)
      for (guint o = 0; o < 2; o++)
        for (guint q = 0; q < G_N_ELEMENTS (searches); q++)
          {
            g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
            g_autofree char *path = g_strdup_printf ("/api/v1.0/operator/pratiche?bucket=%s&sort=%s&order=%s%s%s",
                                                     sp_bucket_to_string (b), sp_sort_key_to_string (s),
                                                     o ? "desc" : "asc", searches[q] != NULL ? "&q=" : "",
                                                     searches[q] != NULL ? searches[q] : "");
            double p95;

            for (guint i = 0; i < WARMUP + rounds; i++)
              {
                double ms = time_request (env, token, path);

                if (i >= WARMUP)
                  g_array_append_val (samples, ms);
              }
            g_array_sort (samples, compare_doubles);
            p95 = percentile (samples, 0.95);
            g_array_append_val (all_p95, p95);
            printf ("%-13s %-13s %-5s %-8s %9.2f %9.2f\n", sp_bucket_to_string (b), sp_sort_key_to_string (s),
                    o ? "desc" : "asc", search_names[q], percentile (samples, 0.5), p95);
          }

  g_array_sort (all_p95, compare_doubles);
  printf ("# worst p95 over %u cases: %.2f ms (bar: 50 ms)\n", all_p95->len,
          g_array_index (all_p95, double, all_p95->len - 1));

  sp_test_env_stop (env);
  return 0;
}
