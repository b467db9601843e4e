/* test-chaos-login.c: many logins at once (real scrypt cost) while an operator pages the dashboard */
#define G_LOG_DOMAIN "test-chaos-login"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-api.h"
#include "sp-test-dashboard.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"
#include "sp-test-race.h"

#define DASHBOARD_P99_MS  100.0
#define PAGE_LIMIT        20
#define N_PRATICHE        150

static SpTestEnv *env;
static char *operator_token;
static gboolean full_scale;

/* What the login threads share with the test. */
typedef struct
{
  GMutex      mutex;
  GCond       cond;
  guint       ready;      /* threads connected, waiting for the start */
  gboolean    go;
  gint        stop;       /* atomic */
  GArray     *login_ms;   /* (element-type double): latencies of the logins that answered 200 */
  GPtrArray  *failures;   /* (element-type utf8): what the others were */
} Logins;

static gpointer
login_thread (gpointer data)
{
  Logins *logins = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) body = sp_test_json_object ("username", SP_TEST_OPERATOR2, "password", SP_TEST_PASSWORD, NULL);
  g_autofree char *text = json_to_string (body, FALSE);

  /* Its own context, so that libsoup's synchronous calls do not take turns
   * with the other threads on the global one. */
  g_main_context_push_thread_default (context);
  session = sp_test_session_new (sp_test_env_get_ca_file (env), NULL);

  /* The TLS handshake before the start, so that all log in at once. */
  {
    g_autoptr(SoupMessage) message = sp_test_message_new (env, "GET", SP_API_HEALTH, NULL, NULL, NULL, 0);
    g_autoptr(SpTestResponse) response = sp_test_send (session, message);

    if (response->status != 200)
      g_ptr_array_add (failures, g_strdup_printf ("warm-up: HTTP %u", response->status));
  }

  g_mutex_lock (&logins->mutex);
  logins->ready++;
  g_cond_broadcast (&logins->cond);
  while (!logins->go)
    g_cond_wait (&logins->cond, &logins->mutex);
  g_mutex_unlock (&logins->mutex);

  while (!g_atomic_int_get (&logins->stop))
    {
      g_autoptr(SoupMessage) message = sp_test_message_new (env, "POST", SP_API_LOGIN, NULL, "application/json",
                                                            text, -1);
      g_autoptr(SpTestResponse) response = NULL;
      gint64 before = g_get_monotonic_time ();
      double elapsed;

      response = sp_test_send (session, message);
      elapsed = (g_get_monotonic_time () - before) / 1000.0;
      if (response->status == 200)
        g_array_append_val (ms, elapsed);
      else
        g_ptr_array_add (failures, g_strdup_printf ("login: HTTP %u %s", response->status,
                                                    sp_test_response_text (response)));
    }

  g_mutex_lock (&logins->mutex);
  g_array_append_vals (logins->login_ms, ms->data, ms->len);
  for (guint i = 0; i < failures->len; i++)
    g_ptr_array_add (logins->failures, g_strdup (failures->pdata[i]));
  g_mutex_unlock (&logins->mutex);

  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return NULL;
}

/* Pages through the bucket over one keep-alive connection, from the first
 * page again at the end, for @seconds; the latency of every page. */
static GArray *
page_dashboard (double     seconds,
                GPtrArray *failures)
{
  g_autoptr(SoupSession) session = sp_test_session_new (sp_test_env_get_ca_file (env), NULL);
  GArray *ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *cursor = NULL;
  gint64 end;

  /* Connect first: the handshake is not a dashboard page. */
  {
    g_autoptr(SoupMessage) message = sp_test_message_new (env, "GET", SP_API_ME, operator_token, NULL, NULL, 0);
    g_autoptr(SpTestResponse) response = sp_test_send (session, message);

    sp_test_assert_status (response, 200);
  }

  end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < end)
    {
      g_autofree char *path = sp_test_dashboard_path (SP_BUCKET_DA_GESTIRE, SP_SORT_SUBMITTED, FALSE, NULL,
                                                      PAGE_LIMIT, cursor);
      g_autoptr(SoupMessage) message = sp_test_message_new (env, "GET", path, operator_token, NULL, NULL, 0);
      g_autoptr(SpTestResponse) response = NULL;
      gint64 before = g_get_monotonic_time ();
      JsonNode *next;
      double elapsed;

      response = sp_test_send (session, message);
      elapsed = (g_get_monotonic_time () - before) / 1000.0;
      g_array_append_val (ms, elapsed);
      g_clear_pointer (&cursor, g_free);
      if (response->status != 200 || sp_test_response_object (response) == NULL)
        {
          g_ptr_array_add (failures, g_strdup_printf ("dashboard: HTTP %u %s", response->status,
                                                      sp_test_response_text (response)));
          continue;
        }
      next = json_object_get_member (sp_test_response_object (response), "next_cursor");
      if (next != NULL && JSON_NODE_HOLDS_VALUE (next))
        cursor = g_strdup (json_node_get_string (next));
    }
  return ms;
}

static void
report (const char *what,
        GArray     *ms)
{
  g_autofree char *loadavg = NULL;
  double load = -1;

  /* The machine's load (the last minute), to read the figures by. */
  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    load = g_ascii_strtod (loadavg, NULL);
  g_test_message ("dashboard p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (%u pages) %s; load average %.1f",
                  sp_test_percentile (ms, 0.50), sp_test_percentile (ms, 0.95), sp_test_percentile (ms, 0.99),
                  sp_test_percentile (ms, 1.0), ms->len, what, load);
}

static void
assert_no_failures (GPtrArray *failures)
{
  for (guint i = 0; i < failures->len && i < 10; i++)
    g_test_message ("%s", (const char *) failures->pdata[i]);
  g_assert_cmpuint (failures->len, ==, 0);
}

/* The dashboard alone, for comparison. */
static void
test_dashboard_alone (void)
{
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ms = page_dashboard (2.0, failures);

  report ("alone", ms);
  assert_no_failures (failures);
  g_assert_cmpfloat (sp_test_percentile (ms, 0.99), <, DASHBOARD_P99_MS * sp_test_time_scale ());
}

static void
test_logins (gconstpointer data)
{
  guint n_logins = GPOINTER_TO_UINT (data);
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ms = NULL;
  g_autofree char *what = NULL;
  Logins logins = { 0 };
  double seconds = full_scale ? 20.0 : 4.0;
  gint64 start;

  /* scrypt under AddressSanitizer takes seconds: no latency to speak of. */
  if (sp_test_sanitized ())
    {
      g_test_skip ("latency is not measured under the sanitizers");
      return;
    }

  g_mutex_init (&logins.mutex);
  g_cond_init (&logins.cond);
  logins.login_ms = g_array_new (FALSE, FALSE, sizeof (double));
  logins.failures = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_logins; i++)
    {
      g_autofree char *name = g_strdup_printf ("login-%u", i);

      g_ptr_array_add (threads, g_thread_new (name, login_thread, &logins));
    }
  g_mutex_lock (&logins.mutex);
  while (logins.ready < n_logins)
    g_cond_wait (&logins.cond, &logins.mutex);
  logins.go = TRUE;
  g_cond_broadcast (&logins.cond);
  g_mutex_unlock (&logins.mutex);

  /* Let every login reach the server before the first page. */
  g_usleep (200 * 1000);
  start = g_get_monotonic_time ();
  ms = page_dashboard (seconds, failures);
  g_atomic_int_set (&logins.stop, TRUE);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);

  what = g_strdup_printf ("during %u concurrent logins (%u logins in %.1f s, login p50 %.0f ms, p99 %.0f ms)",
                          n_logins, logins.login_ms->len, (g_get_monotonic_time () - start) / 1e6,
                          sp_test_percentile (logins.login_ms, 0.50), sp_test_percentile (logins.login_ms, 0.99));
  report (what, ms);

  assert_no_failures (failures);
  assert_no_failures (logins.failures);
  /* The logins really ran alongside: at least one round of them. */
  g_assert_cmpuint (logins.login_ms->len, >=, n_logins);
  g_assert_cmpfloat (sp_test_percentile (ms, 0.99), <, DASHBOARD_P99_MS);

  g_array_unref (logins.login_ms);
  g_ptr_array_unref (logins.failures);
  g_mutex_clear (&logins.mutex);
  g_cond_clear (&logins.cond);
}

/* Where attempts wait, connected, until all of them are: then they log in at once. */
typedef struct
{
  GMutex       mutex;
  GCond        cond;
  guint        waiting;
  guint        expected;
} Gate;

typedef struct
{
  const char  *username;
  const char  *password;
  Gate        *gate;      /* (nullable) */
  guint        status;
  char        *problem;   /* the problem type of an error answer */
} Attempt;

static void
gate_pass (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->waiting++;
  g_cond_broadcast (&gate->cond);
  while (gate->waiting < gate->expected)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
}

static gpointer
attempt_thread (gpointer data)
{
  Attempt *attempt = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(JsonNode) body = sp_test_json_object ("username", attempt->username, "password", attempt->password, NULL);
  g_autofree char *text = json_to_string (body, FALSE);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(SpTestResponse) response = NULL;

  g_main_context_push_thread_default (context);
  session = sp_test_session_new (sp_test_env_get_ca_file (env), NULL);
  if (attempt->gate != NULL)
    {
      /* The TLS handshake before the gate: the logins, not the
       * handshakes, arrive together. */
      g_autoptr(SoupMessage) warm_up = sp_test_message_new (env, "GET", SP_API_HEALTH, NULL, NULL, NULL, 0);
      g_autoptr(SpTestResponse) warm = sp_test_send (session, warm_up);

      gate_pass (attempt->gate);
    }
  message = sp_test_message_new (env, "POST", SP_API_LOGIN, NULL, "application/json", text, -1);
  /* On the warmed-up connection: libsoup opens a new one for a POST
   * otherwise, and twice as many as the attempts would meet the limit
   * per client address. */
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  response = sp_test_send (session, message);
  attempt->status = response->status;
  if (response->status != 200 && response->json != NULL && JSON_NODE_HOLDS_OBJECT (response->json))
    attempt->problem = g_strdup (json_object_get_string_member_with_default (sp_test_response_object (response),
                                                                             "type", NULL));
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return NULL;
}

/* Runs every attempt on its own thread, all connected before any logs in. */
static void
run_attempts (Attempt *attempts,
              guint    n_attempts)
{
  g_autofree GThread **threads = g_new0 (GThread *, n_attempts);
  Gate gate = { .expected = n_attempts };

  g_mutex_init (&gate.mutex);
  g_cond_init (&gate.cond);
  for (guint i = 0; i < n_attempts; i++)
    {
      attempts[i].gate = &gate;
      threads[i] = g_thread_new ("attempt", attempt_thread, &attempts[i]);
    }
  for (guint i = 0; i < n_attempts; i++)
    g_thread_join (threads[i]);
  g_mutex_clear (&gate.mutex);
  g_cond_clear (&gate.cond);
}

/* Wrong passwords at once, checked in parallel on the workers, are still
 * counted one by one: four refused, the fifth locks, and those checked while
 * it locked do not count again. Then even the right password is refused. */
static void
test_concurrent_failures (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state = NULL;
  Attempt attempts[8];
  guint refused = 0, locked = 0;

  sp_test_env_admin (env, SP_TEST_PASSWORD, NULL, &error, "account-create", "op.assedio", "--ente", SP_TEST_ENTE,
                     "--role", "operatore", "--name", "Operatore sotto assedio", "--password-stdin", NULL);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    attempts[i] = (Attempt) { "op.assedio", "tentativo-sbagliato", NULL, 0, NULL };
  run_attempts (attempts, G_N_ELEMENTS (attempts));
  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      refused += attempts[i].status == 401;
      locked += attempts[i].status == 423;
      g_free (attempts[i].problem);
    }
  g_test_message ("%u wrong passwords at once: %u refused, %u locked", (guint) G_N_ELEMENTS (attempts), refused,
                  locked);
  g_assert_cmpuint (refused, ==, 4);
  g_assert_cmpuint (locked, ==, G_N_ELEMENTS (attempts) - 4);

  state = sp_test_env_sql (env, "SELECT failed_logins, locked_until > now () + interval '14 minutes'"
                                " FROM account WHERE username = 'op.assedio'");
  g_assert_cmpstr (state, ==, "0|t");
  {
    Attempt right = { "op.assedio", SP_TEST_PASSWORD, NULL, 0, NULL };

    attempt_thread (&right);
    g_assert_cmpuint (right.status, ==, 423);
    g_free (right.problem);
  }
}

/* One CPU worker and more logins at once than its queue holds: those beyond
 * it are answered 503 at once, instead of waiting in a queue without end;
 * the others log in, and the server goes on. */
static void
test_queue_full (void)
{
  Attempt attempts[80];
  guint ok = 0, unavailable = 0;

  /* 80 handshakes and hashes at once outlast the clients' patience there. */
  if (sp_test_sanitized ())
    {
      g_test_skip ("a burst of logins does not fit the sanitizer run");
      return;
    }

  sp_test_env_set_config (env, "limits", "cpu-workers", "1");
  sp_test_env_restart_server (env);

  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    attempts[i] = (Attempt) { SP_TEST_OPERATOR2, SP_TEST_PASSWORD, NULL, 0, NULL };
  run_attempts (attempts, G_N_ELEMENTS (attempts));
  for (guint i = 0; i < G_N_ELEMENTS (attempts); i++)
    {
      if (attempts[i].status == 200)
        ok++;
      else if (attempts[i].status == 503
               && g_strcmp0 (attempts[i].problem, "urn:sportello:problem:unavailable") == 0)
        unavailable++;
      else
        g_test_message ("login %u: HTTP %u %s", i, attempts[i].status, attempts[i].problem);
      g_free (attempts[i].problem);
    }
  g_test_message ("%u logins at once on one CPU worker: %u logged in, %u answered 503",
                  (guint) G_N_ELEMENTS (attempts), ok, unavailable);
  g_assert_cmpuint (ok + unavailable, ==, G_N_ELEMENTS (attempts));
  g_assert_cmpuint (ok, >, 0);
  g_assert_cmpuint (unavailable, >, 0);

  /* Once the burst is over, logins are served again. */
  g_free (sp_test_login (env, SP_TEST_OPERATOR2, SP_TEST_PASSWORD));

  sp_test_env_set_config (env, "limits", "cpu-workers", "0");
  sp_test_env_restart_server (env);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  SpTestPratica pratica = { .servizio = SP_TEST_SERVIZIO_INTERNAL };
  int status;

  g_test_init (&argc, &argv, NULL);
  full_scale = g_strcmp0 (g_getenv ("SPORTELLO_CHAOS_SCALE"), "full") == 0;

  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  ids = sp_test_pratiche_insert (conn, &pratica, N_PRATICHE);
  g_clear_pointer (&conn, PQfinish);
  operator_token = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);

  g_test_add_func ("/sportello/chaos/login/concurrent-failures", test_concurrent_failures);
  g_test_add_func ("/sportello/chaos/login/dashboard-alone", test_dashboard_alone);
  g_test_add_data_func ("/sportello/chaos/login/8-logins", GUINT_TO_POINTER (8), test_logins);
  g_test_add_data_func ("/sportello/chaos/login/16-logins", GUINT_TO_POINTER (16), test_logins);
  if (full_scale)
    g_test_add_data_func ("/sportello/chaos/login/48-logins", GUINT_TO_POINTER (48), test_logins);
  g_test_add_func ("/sportello/chaos/login/queue-full", test_queue_full);

  status = g_test_run ();
  g_free (operator_token);
  sp_test_env_stop (env);
  return status;
}
