/* test-chaos-db.c: the server against a locked table, an exhausted pool, serialization failures, a stopped database */
#define G_LOG_DOMAIN "test-chaos-db"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "sp-api.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

#define LOCK_TIMEOUT_MS   300
#define POOL_WAIT_MS      200
#define RETRY_ATTEMPTS    3
/* Scheduling on a busy machine: what a "fast" answer may take beyond its bound. */
#define MARGIN_MS         400

static SpTestEnv *env;
static PGconn *conn;
static char *token;

typedef struct
{
  const char *pool_size;
  const char *pool_wait_ms;
  const char *lock_timeout_ms;
} Setting;

/* The server's [database] keys for a test; restarts it when they change. */
static void
configure (const Setting *setting)
{
  static Setting current;

  if (current.pool_size != NULL && g_str_equal (current.pool_size, setting->pool_size)
      && g_str_equal (current.pool_wait_ms, setting->pool_wait_ms)
      && g_str_equal (current.lock_timeout_ms, setting->lock_timeout_ms))
    return;
  sp_test_env_set_config (env, "database", "pool-size", setting->pool_size);
  sp_test_env_set_config (env, "database", "pool-wait-ms", setting->pool_wait_ms);
  sp_test_env_set_config (env, "database", "lock-timeout-ms", setting->lock_timeout_ms);
  /* A statement waiting for a lock ends at the lock timeout, not before. */
  sp_test_env_set_config (env, "database", "statement-timeout-ms", "60000");
  sp_test_env_restart_server (env);
  current = *setting;
}

static const Setting normal = { "4", "2000", G_STRINGIFY (LOCK_TIMEOUT_MS) };

static SpTestResponse *
timed_request (const char *method,
               const char *path,
               const char *bearer,
               double     *elapsed_ms)
{
  gint64 start = g_get_monotonic_time ();
  SpTestResponse *response = sp_test_request (env, method, path, bearer, NULL, NULL, 0);

  *elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  return response;
}

static SpTestResponse *
timed_login (const char *username,
             double     *elapsed_ms)
{
  g_autoptr(JsonNode) body = sp_test_json_object ("username", username, "password", SP_TEST_PASSWORD, NULL);
  gint64 start = g_get_monotonic_time ();
  SpTestResponse *response = sp_test_post_json (env, SP_API_LOGIN, NULL, body);

  *elapsed_ms = (g_get_monotonic_time () - start) / 1000.0;
  return response;
}

/* A problem of ours: the request id of the header in the body, and nothing
 * that PostgreSQL said (none of @forbidden, case-insensitive). */
static void
assert_own_problem (SpTestResponse     *response,
                    guint               status,
                    const char         *slug,
                    const char * const *forbidden)
{
  const char *request_id = soup_message_headers_get_one (response->headers, "X-Request-Id");
  g_autofree char *text = g_ascii_strdown (sp_test_response_text (response), -1);
  JsonObject *object;

  sp_test_assert_problem (response, status, slug);
  object = sp_test_response_object (response);
  g_assert_nonnull (request_id);
  g_assert_cmpuint (strlen (request_id), ==, 16);
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "request_id", NULL), ==, request_id);
  if (status == 503)
    g_assert_nonnull (soup_message_headers_get_one (response->headers, "Retry-After"));
  for (guint i = 0; forbidden != NULL && forbidden[i] != NULL; i++)
    {
      g_autofree char *word = g_ascii_strdown (forbidden[i], -1);

      if (strstr (text, word) != NULL)
        g_test_message ("the problem says “%s”: %s", forbidden[i], sp_test_response_text (response));
      g_assert_null (strstr (text, word));
    }
}

static const char * const pg_words[] = { "SQLSTATE", "canceling", "statement", "lock", "relation", "pratica",
                                         "violates", "constraint", "serializ", "transaction", "ERROR:", NULL };

static void
assert_health_ok_fast (void)
{
  double ms;
  g_autoptr(SpTestResponse) health = timed_request ("GET", SP_API_HEALTH, NULL, &ms);

  sp_test_assert_status (health, 200);
  g_assert_cmpstr (json_object_get_string_member_with_default (sp_test_response_object (health), "status", NULL),
                   ==, "ok");
  g_assert_nonnull (soup_message_headers_get_one (health->headers, "X-Request-Id"));
  g_assert_cmpfloat (ms, <, 500 * sp_test_time_scale ());
}

/* Holds an ACCESS EXCLUSIVE lock on pratica, the table the dashboard reads,
 * until the connection is closed. */
static PGconn *
lock_pratica (void)
{
  PGconn *locker = sp_test_pg_connect (env);

  sp_test_pg_command (locker, "BEGIN", 0, NULL);
  sp_test_pg_command (locker, "LOCK TABLE pratica IN ACCESS EXCLUSIVE MODE", 0, NULL);
  return locker;
}

static void
test_locked_table (void)
{
  g_autoptr(PGconn) locker = NULL;
  double worst_health = 0, worst_login = 0, worst_dashboard = 0;

  configure (&normal);
  locker = lock_pratica ();

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(SpTestResponse) login = NULL;
      g_autoptr(SpTestResponse) dashboard = NULL;
      double ms;
      gint64 start = g_get_monotonic_time ();

      assert_health_ok_fast ();
      worst_health = MAX (worst_health, (g_get_monotonic_time () - start) / 1000.0);

      login = timed_login (SP_TEST_OPERATOR2, &ms);
      sp_test_assert_status (login, 200);
      g_assert_cmpfloat (ms, <, 500 * sp_test_time_scale ());
      worst_login = MAX (worst_login, ms);

      dashboard = timed_request ("GET", SP_API_PRATICHE, token, &ms);
      assert_own_problem (dashboard, 503, "unavailable", pg_words);
      g_assert_cmpfloat (ms, <, LOCK_TIMEOUT_MS + MARGIN_MS * sp_test_time_scale ());
      worst_dashboard = MAX (worst_dashboard, ms);
    }
  g_test_message ("table locked: health ≤ %.1f ms, login ≤ %.1f ms, dashboard 503 ≤ %.1f ms (lock timeout %d ms)",
                  worst_health, worst_login, worst_dashboard, LOCK_TIMEOUT_MS);

  g_clear_pointer (&locker, PQfinish);
  {
    g_autoptr(SpTestResponse) dashboard = sp_test_request (env, "GET", SP_API_PRATICHE, token, NULL, NULL, 0);

    sp_test_assert_status (dashboard, 200);
  }
}

/* A request that holds the pool's one connection while it waits for a lock. */
static gpointer
blocked_request_thread (gpointer data)
{
  g_autofree char *ca_file = g_strdup (sp_test_env_get_ca_file (env));
  g_autoptr(SoupSession) session = sp_test_session_new (ca_file, NULL);
  g_autoptr(SoupMessage) message = sp_test_message_new (env, "GET", SP_API_PRATICHE, token, NULL, NULL, 0);

  return sp_test_send (session, message);
}

/* Waits until a backend of the server waits for a lock. */
static void
wait_for_lock_waiter (void)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (sp_test_pg_int (conn, "SELECT count (*) FROM pg_stat_activity"
                               " WHERE application_name = 'sportello-server' AND wait_event_type = 'Lock'",
                         0, NULL) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 50);
    }
}

static void
test_pool_exhausted (void)
{
  const Setting one = { "1", G_STRINGIFY (POOL_WAIT_MS), "30000" };
  g_autoptr(PGconn) locker = NULL;
  g_autoptr(SpTestResponse) blocked = NULL;
  GThread *thread;
  double worst = 0;

  configure (&one);
  locker = lock_pratica ();
  thread = g_thread_new ("blocked", blocked_request_thread, NULL);
  wait_for_lock_waiter ();

  /* The one connection is busy: whatever needs the pool gets 503 as soon as
   * its wait is over, and health, which does not need it, answers. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SpTestResponse) me = NULL;
      g_autoptr(SpTestResponse) login = NULL;
      double ms;

      me = timed_request ("GET", SP_API_ME, token, &ms);
      assert_own_problem (me, 503, "unavailable", pg_words);
      g_assert_cmpfloat (ms, <, POOL_WAIT_MS + MARGIN_MS * sp_test_time_scale ());
      worst = MAX (worst, ms);

      login = timed_login (SP_TEST_OPERATOR2, &ms);
      assert_own_problem (login, 503, "unavailable", pg_words);
      g_assert_cmpfloat (ms, <, POOL_WAIT_MS + MARGIN_MS * sp_test_time_scale ());
      worst = MAX (worst, ms);

      assert_health_ok_fast ();
    }
  g_test_message ("pool of 1 busy: 503 after ≤ %.1f ms (pool wait %d ms)", worst, POOL_WAIT_MS);

  /* Released, the blocked request goes through and the pool serves again. */
  g_clear_pointer (&locker, PQfinish);
  blocked = g_thread_join (thread);
  sp_test_assert_status (blocked, 200);
  {
    g_autoptr(SpTestResponse) me = sp_test_request (env, "GET", SP_API_ME, token, NULL, NULL, 0);

    sp_test_assert_status (me, 200);
  }
}

/* A trigger on pratica that raises serialization_failure the first
 * @failures times it runs: the count is a sequence, which a rolled back
 * transaction does not roll back. */
static void
inject_serialization_failures (int failures)
{
  g_autofree char *limit = g_strdup_printf ("%d", failures);

  sp_test_pg_command (conn, "DROP TRIGGER IF EXISTS chaos_fail ON pratica", 0, NULL);
  sp_test_pg_command (conn, "DROP SEQUENCE IF EXISTS chaos_failures", 0, NULL);
  sp_test_pg_command (conn, "CREATE SEQUENCE chaos_failures", 0, NULL);
  sp_test_pg_command (conn, "CREATE TABLE IF NOT EXISTS chaos_limit (failures int NOT NULL)", 0, NULL);
  sp_test_pg_command (conn, "DELETE FROM chaos_limit", 0, NULL);
  sp_test_pg_command (conn, "INSERT INTO chaos_limit VALUES ($1::int)", SP_TEST_PG_ARGS (limit));
  sp_test_pg_command (conn,
                      "CREATE OR REPLACE FUNCTION chaos_fail () RETURNS trigger LANGUAGE plpgsql AS $$"
                      " BEGIN"
                      "   IF nextval ('chaos_failures') <= (SELECT failures FROM chaos_limit) THEN"
                      "     RAISE EXCEPTION 'could not serialize access due to chaos in relation pratica'"
                      "       USING ERRCODE = 'serialization_failure';"
                      "   END IF;"
                      "   RETURN NEW;"
                      " END $$", 0, NULL);
  sp_test_pg_command (conn, "CREATE TRIGGER chaos_fail BEFORE UPDATE ON pratica FOR EACH ROW"
                            " EXECUTE FUNCTION chaos_fail ()", 0, NULL);
}

static void
remove_injection (void)
{
  sp_test_pg_command (conn, "DROP TRIGGER IF EXISTS chaos_fail ON pratica", 0, NULL);
}

static gint64
runs_of_trigger (void)
{
  return sp_test_pg_int (conn, "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM chaos_failures", 0, NULL);
}

static char *
free_pratica (void)
{
  SpTestPratica spec = { .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = 3000, .protocol_number = "2026/0000042" };

  return sp_test_pratica_insert (conn, &spec);
}

static gint64
count_for (const char *table,
           const char *pratica_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM %s WHERE pratica_id = $1::uuid", table);

  return sp_test_pg_int (conn, sql, SP_TEST_PG_ARGS (pratica_id));
}

static SpTestResponse *
take_charge (const char *pratica_id)
{
  g_autofree char *path = g_strdup_printf (SP_API_PRATICHE "/%s/take-charge", pratica_id);

  return sp_test_request (env, "POST", path, token, NULL, NULL, 0);
}

static void
test_serialization_retried (void)
{
  g_autofree char *pratica_id = NULL;
  g_autofree char *status = NULL;
  g_autoptr(SpTestResponse) response = NULL;

  configure (&normal);
  pratica_id = free_pratica ();
  inject_serialization_failures (RETRY_ATTEMPTS - 1);

  response = take_charge (pratica_id);
  sp_test_assert_status (response, 204);
  remove_injection ();

  /* Two failed runs and the one that succeeded; what it writes, written once. */
  g_assert_cmpint (runs_of_trigger (), ==, RETRY_ATTEMPTS);
  status = sp_test_pg_value (conn, "SELECT status::text || ' ' || a.username FROM pratica p"
                                   " JOIN account a ON a.id = p.assigned_to WHERE p.id = $1::uuid",
                             SP_TEST_PG_ARGS (pratica_id));
  g_assert_cmpstr (status, ==, "4000 " SP_TEST_OPERATOR);
  g_assert_cmpint (count_for ("iter", pratica_id), ==, 1);
  g_assert_cmpint (count_for ("version", pratica_id), ==, 1);
  g_assert_cmpint (count_for ("outbox", pratica_id), ==, 1);
}

static void
test_serialization_exhausted (void)
{
  g_autofree char *pratica_id = NULL;
  g_autofree char *status = NULL;
  g_autoptr(SpTestResponse) response = NULL;

  configure (&normal);
  pratica_id = free_pratica ();
  inject_serialization_failures (1000);

  /* Never a 409: the pratica is free; the database was too busy. */
  response = take_charge (pratica_id);
  assert_own_problem (response, 503, "unavailable", pg_words);
  g_assert_cmpint (runs_of_trigger (), ==, RETRY_ATTEMPTS);
  remove_injection ();

  status = sp_test_pg_value (conn, "SELECT status::text FROM pratica WHERE id = $1::uuid AND assigned_to IS NULL",
                             SP_TEST_PG_ARGS (pratica_id));
  g_assert_cmpstr (status, ==, "3000");
  g_assert_cmpint (count_for ("iter", pratica_id), ==, 0);
  g_assert_cmpint (count_for ("version", pratica_id), ==, 0);
}

/* A constraint the server's SQL violates (our bug, as input is validated
 * before SQL): 500 with our own text; PostgreSQL's, which names the
 * constraint and shows the row, goes only to the log. */
static void
test_error_text (void)
{
  const char * const words[] = { "chaos_secret_check", "Failing row", "RSSMRA", "23514", NULL };
  g_autofree char *pratica_id = NULL;
  g_autoptr(SpTestResponse) response = NULL;
  g_autoptr(SpTestResponse) other = NULL;

  configure (&normal);
  pratica_id = free_pratica ();
  sp_test_pg_command (conn, "ALTER TABLE pratica ADD CONSTRAINT chaos_secret_check CHECK (status <> 4000) NOT VALID",
                      0, NULL);
  response = take_charge (pratica_id);
  sp_test_pg_command (conn, "ALTER TABLE pratica DROP CONSTRAINT chaos_secret_check", 0, NULL);

  assert_own_problem (response, 500, "internal", pg_words);
  assert_own_problem (response, 500, "internal", words);
  g_assert_cmpstr (json_object_get_string_member_with_default (sp_test_response_object (response), "detail", NULL),
                   ==, "Internal server error");

  /* Every answer has its own id. */
  other = take_charge (pratica_id);
  sp_test_assert_status (other, 204);
  g_assert_cmpstr (soup_message_headers_get_one (other->headers, "X-Request-Id"), !=,
                   soup_message_headers_get_one (response->headers, "X-Request-Id"));
}

/* Polls /health, each answer fast, until it says @status; returns the seconds. */
static double
wait_for_health (const char *status,
                 double      timeout_seconds)
{
  gint64 start = g_get_monotonic_time ();

  for (;;)
    {
      double ms;
      g_autoptr(SpTestResponse) health = timed_request ("GET", SP_API_HEALTH, NULL, &ms);
      JsonObject *object = sp_test_response_object (health);
      const char *said = object != NULL ? json_object_get_string_member_with_default (object, "status", NULL) : NULL;

      g_assert_cmpfloat (ms, <, 500 * sp_test_time_scale ());
      if (g_strcmp0 (said, status) == 0)
        {
          sp_test_assert_status (health, g_str_equal (status, "ok") ? 200 : 503);
          return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
        }
      g_assert_cmpfloat ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, <, timeout_seconds);
      g_usleep (G_USEC_PER_SEC / 10);
    }
}

static void
test_health_degraded (void)
{
  double down, up;

  configure (&normal);
  /* Every connection of the pool in use once, so that it holds idle ones. */
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(SpTestResponse) dashboard = sp_test_request (env, "GET", SP_API_PRATICHE, token, NULL, NULL, 0);

      sp_test_assert_status (dashboard, 200);
    }

  sp_test_env_stop_database (env);
  down = wait_for_health ("degraded", 4);
  {
    double ms;
    g_autoptr(SpTestResponse) dashboard = timed_request ("GET", SP_API_PRATICHE, token, &ms);

    assert_own_problem (dashboard, 503, "unavailable", pg_words);
    g_assert_cmpfloat (ms, <, 1000 * sp_test_time_scale ());
  }

  sp_test_env_start_database (env);
  up = wait_for_health ("ok", 5);
  g_test_message ("health degraded %.1f s after the database stopped, ok %.1f s after it came back", down, up);

  /* The pool's connections died with the database: none is handed out
   * broken, every request succeeds at the first try. */
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(SpTestResponse) dashboard = sp_test_request (env, "GET", SP_API_PRATICHE, token, NULL, NULL, 0);

      sp_test_assert_status (dashboard, 200);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  setlocale (LC_ALL, "C.UTF-8");

  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  sp_test_env_set_config (env, "database", "health-interval-seconds", "1");
  sp_test_env_set_config (env, "database", "retry-attempts", G_STRINGIFY (RETRY_ATTEMPTS));
  configure (&normal);
  token = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);

  g_test_add_func ("/sportello/chaos/db/locked-table", test_locked_table);
  g_test_add_func ("/sportello/chaos/db/pool-exhausted", test_pool_exhausted);
  g_test_add_func ("/sportello/chaos/db/serialization-retried", test_serialization_retried);
  g_test_add_func ("/sportello/chaos/db/serialization-exhausted", test_serialization_exhausted);
  g_test_add_func ("/sportello/chaos/db/error-text", test_error_text);
  g_test_add_func ("/sportello/chaos/db/health-degraded", test_health_degraded);
  status = g_test_run ();

  g_free (token);
  g_clear_pointer (&conn, PQfinish);
  sp_test_env_stop (env);
  return status;
}
