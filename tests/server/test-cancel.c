/* test-cancel.c: a request whose client goes away is cancelled: its queued database work is never done */
#define G_LOG_DOMAIN "test-cancel"

#include "config.h"

#include "sp-api.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

static SpTestEnv *env;
static PGconn *conn;

static char *
new_pratica (void)
{
  SpTestPratica spec = {
    .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = 3000, .protocol_number = "PG/2026/0000100",
  };

  return sp_test_pratica_insert (conn, &spec);
}

static gboolean
is_taken (const char *pratica_id)
{
  return sp_test_pg_int (conn, "SELECT count (*) FROM pratica WHERE id = $1::uuid AND assigned_to IS NOT NULL",
                         SP_TEST_PG_ARGS (pratica_id)) == 1;
}

/* Asks to take @pratica_id in charge and hangs up after @seconds without an answer. */
static void
take_charge_and_hang_up (const char *pratica_id,
                         const char *token,
                         guint       seconds)
{
  g_autofree char *request = g_strdup_printf ("POST " SP_API_PRATICHE "/%s/take-charge HTTP/1.1\r\n"
                                              "Host: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n"
                                              "Content-Length: 0\r\n\r\n", pratica_id, token);
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = sp_test_raw_exchange (env, TRUE, request, seconds, &error);

  g_test_message ("hung up on take-charge of %s: %s", pratica_id, error != NULL ? error->message : answer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

/* One pooled connection, held by a request waiting for a row lock; a second
 * request queues behind it and its client hangs up; then the lock goes. The
 * second request's work must never run: the pratica it would have taken in
 * charge stays free, while a third request, whose client waits, is served. */
static void
test_queued_work_dropped (void)
{
  g_autofree char *token = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_autofree char *blocker = new_pratica ();
  g_autofree char *abandoned = new_pratica ();
  g_autofree char *control = new_pratica ();
  g_autofree char *path = g_strdup_printf (SP_API_PRATICHE "/%s/take-charge", control);
  g_autoptr(SpTestResponse) served = NULL;

  sp_test_pg_command (conn, "BEGIN", 0, NULL);
  sp_test_pg_command (conn, "SELECT 1 FROM pratica WHERE id = $1::uuid FOR UPDATE", SP_TEST_PG_ARGS (blocker));

  take_charge_and_hang_up (blocker, token, 3);     /* holds the pool's connection, waiting for the lock */
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM pg_stat_activity"
                                         " WHERE wait_event_type = 'Lock' AND application_name = 'sportello-server'",
                                   0, NULL), ==, 1);
  take_charge_and_hang_up (abandoned, token, 2);   /* queued behind it; its client is gone */
  g_usleep (G_USEC_PER_SEC / 2);
  sp_test_pg_command (conn, "COMMIT", 0, NULL);

  /* Queued after the abandoned one: when it is answered, that one was dropped or done. */
  served = sp_test_request (env, "POST", path, token, NULL, NULL, 0);
  sp_test_assert_status (served, 204);

  g_assert_true (is_taken (control));
  g_assert_true (is_taken (blocker));      /* it had started: work under way is finished */
  g_assert_false (is_taken (abandoned));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/sportello/cancel/queued-work-dropped", test_queued_work_dropped);

  env = sp_test_env_start ();
  /* One connection, and no limit on the wait for it: only the client's
   * going away may drop the queued work. */
  sp_test_env_set_config (env, "database", "pool-size", "1");
  sp_test_env_set_config (env, "database", "pool-wait-ms", "600000");
  sp_test_env_restart_server (env);
  conn = sp_test_pg_connect (env);

  status = g_test_run ();

  g_clear_pointer (&conn, PQfinish);
  sp_test_env_stop (env);
  return status;
}
