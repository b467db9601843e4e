/* test-jobs.c: background jobs across server processes: once each, leases, SIGTERM, back-off, NOTIFY, session purge */
#define G_LOG_DOMAIN "test-jobs"

#include "config.h"

#include <signal.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "sp-db-jobs.h"
#include "sp-test-env.h"
#include "sp-test-pg.h"
#include "sp-test-server2.h"

/* Small on purpose: a dead process's job is taken over after the lease. */
#define LEASE_SECONDS   "5"
#define MAX_ATTEMPTS    "3"
/* The servers' own stop grace (sp-server-main.c), and a margin. */
#define GRACE_MS        5000
#define MARGIN_MS       2000

static SpTestEnv *env;
static PGconn *conn;
/* The extra servers, which run the `echo` job (SPORTELLO_TEST_JOBS=1); the
 * environment's own server does not, so only these claim echo jobs. */
static SpTestServer *servers[2];

static const char * const echo_environ[] = { "SPORTELLO_TEST_JOBS=1", NULL };

static char *
echo_insert (const char *payload)
{
  return sp_test_pg_value (conn, "INSERT INTO job (kind, payload) VALUES ('echo', $1::jsonb) RETURNING id",
                           SP_TEST_PG_ARGS (payload));
}

static char *
job_field (const char *id,
           const char *expression)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM job WHERE id = $1::bigint", expression);

  return sp_test_pg_value (conn, sql, SP_TEST_PG_ARGS (id));
}

/* Polls @sql (one value) until it reads @expected.
 * Returns: the milliseconds it took, or -1 after @timeout_ms */
static gint64
wait_for_value (const char         *sql,
                int                 n_params,
                const char * const *params,
                const char         *expected,
                gint64              timeout_ms)
{
  gint64 start = g_get_monotonic_time ();

  while (g_get_monotonic_time () - start < timeout_ms * 1000)
    {
      g_autofree char *value = sp_test_pg_value (conn, sql, n_params, params);

      if (g_strcmp0 (value, expected) == 0)
        return (g_get_monotonic_time () - start) / 1000;
      g_usleep (10 * 1000);
    }
  return -1;
}

static gint64
wait_for_job (const char *id,
              const char *condition,
              gint64      timeout_ms)
{
  g_autofree char *sql = g_strdup_printf ("SELECT (%s)::text FROM job WHERE id = $1::bigint", condition);

  return wait_for_value (sql, SP_TEST_PG_ARGS (id), "true", timeout_ms);
}

static int
pid_of (const char *worker)
{
  g_auto(GStrv) parts = g_strsplit (worker, ":", 3);

  return g_strv_length (parts) == 3 ? atoi (parts[1]) : 0;
}

/* The extra server whose worker @worker is, or -1. */
static int
server_of (const char *worker)
{
  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    if (servers[i] != NULL && sp_test_server_get_pid (servers[i]) == pid_of (worker))
      return (int) i;
  return -1;
}

/* Until the periodic jobs that the servers queued at start are done. */
static void
wait_idle (void)
{
  g_assert_cmpint (wait_for_value ("SELECT count(*) FROM job WHERE state = 'queued' AND run_at <= now ()",
                                   0, NULL, "0", 10000), >=, 0);
}

/* (e) A notification wakes a worker at once, while the sweep is 30 s. */
static void
test_notify_wakes (void)
{
  g_autofree char *id = NULL;
  gint64 ms;

  wait_idle ();
  /* Let the workers go to sleep on their 30 s sweep. */
  g_usleep (300 * 1000);
  id = echo_insert ("{}");
  ms = wait_for_job (id, "state = 'done'", 5000);
  g_test_message ("echo job done %" G_GINT64_FORMAT " ms after its insert (sweep: 30 s)", ms);
  g_assert_cmpint (ms, >=, 0);
  g_assert_cmpint (ms, <, 1000);
}

/* (a) Two processes share the queue: every job runs exactly once. */
static void
test_two_processes_once (void)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *done = NULL;
  g_autofree char *processes = NULL;
  gint64 ms;

  first = sp_test_pg_value (conn, "SELECT coalesce (max (id), 0) + 1 FROM job", 0, NULL);
  sp_test_pg_command (conn,
                      "INSERT INTO job (kind, payload)"
                      " SELECT 'echo', '{\"sleep_ms\": 40}' FROM generate_series (1, 60)", 0, NULL);
  last = sp_test_pg_value (conn, "SELECT max (id) FROM job", 0, NULL);

  ms = wait_for_value ("SELECT count(*) FROM job WHERE id BETWEEN $1::bigint AND $2::bigint AND state = 'done'",
                       SP_TEST_PG_ARGS (first, last), "60", 20000);
  g_test_message ("60 jobs of 40 ms done by 2 processes x 2 workers in %" G_GINT64_FORMAT " ms", ms);
  g_assert_cmpint (ms, >=, 0);

  /* Each ran once, in one committed run, by the worker that finished it. */
  done = sp_test_pg_value (conn,
                           "SELECT count(*) FROM job WHERE id BETWEEN $1::bigint AND $2::bigint"
                           " AND attempts = 1 AND (payload->>'runs')::integer = 1"
                           " AND payload->>'ran_by' = finished_by",
                           SP_TEST_PG_ARGS (first, last));
  g_assert_cmpstr (done, ==, "60");
  processes = sp_test_pg_value (conn,
                                "SELECT count(DISTINCT split_part (finished_by, '/', 1)) FROM job"
                                " WHERE id BETWEEN $1::bigint AND $2::bigint",
                                SP_TEST_PG_ARGS (first, last));
  g_assert_cmpstr (processes, ==, "2");
}

/* The typed API: a job queued in a feature's transaction exists, and wakes
 * a worker, only when that transaction commits; its dedupe key queues it once;
 * run_at holds it back, and the worker that saw it coming runs it then. */
static void
test_enqueue_in_transaction (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) later = NULL;
  g_autofree char *on_time = NULL;
  g_autofree char *id = NULL;
  g_autofree char *visible = NULL;
  g_autofree char *later_id = NULL;
  gint64 job_id = -1;
  gint64 again_id = -1;
  gint64 delayed_id = -1;
  gint64 ms;

  sp_test_pg_command (conn, "BEGIN", 0, NULL);
  g_assert_true (sp_db_job_enqueue (conn, "echo", "{\"pratica\": 42}", "pratica 42 registered", NULL, &job_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (job_id, >, 0);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, job_id);

  /* Not committed: no worker can see it. */
  g_usleep (300 * 1000);
  {
    g_autoptr(PGconn) other = sp_test_pg_connect (env);

    visible = sp_test_pg_value (other, "SELECT count(*) FROM job WHERE id = $1::bigint", SP_TEST_PG_ARGS (id));
    g_assert_cmpstr (visible, ==, "0");
  }
  sp_test_pg_command (conn, "COMMIT", 0, NULL);
  ms = wait_for_job (id, "state = 'done'", 5000);
  g_test_message ("job queued in a transaction done %" G_GINT64_FORMAT " ms after the commit", ms);
  g_assert_cmpint (ms, >=, 0);
  g_assert_cmpint (ms, <, 1000);

  /* The same key again, even once done: nothing new. */
  g_assert_true (sp_db_job_enqueue (conn, "echo", "{}", "pratica 42 registered", NULL, &again_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (again_id, ==, 0);

  /* Not before run_at, and promptly at it, with no notification then. */
  now = g_date_time_new_now_utc ();
  later = g_date_time_add_seconds (now, 1.5);
  g_assert_true (sp_db_job_enqueue (conn, "echo", NULL, NULL, later, &delayed_id, &error));
  g_assert_no_error (error);
  later_id = g_strdup_printf ("%" G_GINT64_FORMAT, delayed_id);
  ms = wait_for_job (later_id, "state = 'done'", 5000);
  g_test_message ("job with run_at 1.5 s ahead done after %" G_GINT64_FORMAT " ms", ms);
  g_assert_cmpint (ms, >=, 1200);
  g_assert_cmpint (ms, <, 1500 + 500);
  on_time = job_field (later_id, "(finished_at >= run_at)::text");
  g_assert_cmpstr (on_time, ==, "true");
}

/* (b) A process killed while it holds a job: the other runs it once the lease ends. */
static void
test_killed_holder (void)
{
  g_autofree char *id = echo_insert ("{\"sleep_ms\": 60000, \"sleep_attempts\": 1}");
  g_autofree char *holder = NULL;
  g_autofree char *finisher = NULL;
  g_autofree char *attempts = NULL;
  g_autofree char *runs = NULL;
  int killed;
  gint64 ms;

  g_assert_cmpint (wait_for_job (id, "locked_by IS NOT NULL", 5000), >=, 0);
  holder = job_field (id, "locked_by");
  killed = server_of (holder);
  g_assert_cmpint (killed, >=, 0);

  sp_test_server_kill (servers[killed]);
  g_clear_pointer (&servers[killed], sp_test_server_free);

  ms = wait_for_job (id, "state = 'done'", 5000 + 5000);
  g_test_message ("job of a killed process done by the other %" G_GINT64_FORMAT " ms after the kill (lease 5 s)", ms);
  g_assert_cmpint (ms, >=, 0);
  g_assert_cmpint (ms, <, 5000 + MARGIN_MS);

  finisher = job_field (id, "finished_by");
  g_assert_cmpint (server_of (finisher), >=, 0);
  g_assert_cmpint (server_of (finisher), !=, killed);
  attempts = job_field (id, "attempts");
  g_assert_cmpstr (attempts, ==, "2");
  runs = job_field (id, "payload->>'runs'");
  g_assert_cmpstr (runs, ==, "1");
}

/* (c) SIGTERM: a short job finishes within the grace period, a long one is
 * released (not counted as an attempt) and the process exits cleanly. */
static void
test_sigterm_releases (void)
{
  g_autofree char *short_id = echo_insert ("{\"sleep_ms\": 1500}");
  g_autofree char *long_id = echo_insert ("{\"sleep_ms\": 60000}");
  g_autofree char *short_state = NULL;
  g_autofree char *long_state = NULL;
  SpTestServer *survivor = NULL;
  gint64 start;
  int status = -2;

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    if (servers[i] != NULL)
      survivor = servers[i];
  g_assert_nonnull (survivor);

  /* The only echo process left: its two workers claim both. */
  g_assert_cmpint (wait_for_job (short_id, "locked_by IS NOT NULL", 5000), >=, 0);
  g_assert_cmpint (wait_for_job (long_id, "locked_by IS NOT NULL", 5000), >=, 0);

  start = g_get_monotonic_time ();
  sp_test_server_terminate (survivor);
  g_assert_true (sp_test_server_wait_exit (survivor, GRACE_MS + MARGIN_MS, &status));
  g_test_message ("SIGTERM to exit: %" G_GINT64_FORMAT " ms (grace 5 s)", (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (status, ==, 0);

  short_state = job_field (short_id, "state || ' ' || attempts || ' ' || (payload->>'runs')");
  g_assert_cmpstr (short_state, ==, "done 1 1");
  long_state = job_field (long_id, "state || ' ' || attempts || ' ' || (locked_by IS NULL)"
                                   " || ' ' || (run_at <= now ())");
  g_assert_cmpstr (long_state, ==, "queued 0 true true");

  sp_test_pg_command (conn, "DELETE FROM job WHERE id = $1::bigint", SP_TEST_PG_ARGS (long_id));
  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    if (servers[i] == survivor)
      g_clear_pointer (&servers[i], sp_test_server_free);
}

/* (d) A failing job is retried after growing delays, then set aside as dead. */
static void
test_failure_backoff (void)
{
  g_autofree char *id = NULL;
  double delays[4] = { 0 };
  gint64 deadline;
  g_autofree char *state = NULL;
  g_autofree char *error = NULL;

  servers[0] = sp_test_server_start (env, NULL, echo_environ);
  id = echo_insert ("{\"fail\": true}");

  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(PGresult) row = sp_test_pg_exec (conn,
                                                 "SELECT state, attempts, locked_by IS NULL,"
                                                 " extract (epoch FROM run_at - now ())"
                                                 " FROM job WHERE id = $1::bigint",
                                                 SP_TEST_PG_ARGS (id));
      int attempts = atoi (PQgetvalue (row, 0, 1));

      if (g_str_equal (PQgetvalue (row, 0, 0), "dead"))
        break;
      if (g_str_equal (PQgetvalue (row, 0, 2), "t") && attempts > 0 && attempts < 4 && delays[attempts] == 0)
        delays[attempts] = g_ascii_strtod (PQgetvalue (row, 0, 3), NULL);
      g_usleep (10 * 1000);
    }

  g_test_message ("retry delays after attempts 1 and 2: %.2f s, %.2f s", delays[1], delays[2]);
  state = job_field (id, "state || ' ' || attempts || ' ' || (locked_by IS NULL) || ' ' || (finished_at IS NOT NULL)");
  g_assert_cmpstr (state, ==, "dead " MAX_ATTEMPTS " true true");
  error = job_field (id, "last_error");
  g_assert_cmpstr (error, ==, "echo asked to fail on attempt " MAX_ATTEMPTS);
  /* 1 s then 2 s, each plus up to a quarter of jitter. */
  g_assert_cmpfloat (delays[1], >=, 0.8);
  g_assert_cmpfloat (delays[1], <=, 1.26);
  g_assert_cmpfloat (delays[2], >=, 1.8);
  g_assert_cmpfloat (delays[2], <=, 2.51);
  g_assert_cmpfloat (delays[2], >, delays[1]);
}

static void
session_insert (const char *name,
                const char *account,
                const char *last_seen,
                const char *expires,
                const char *revoked)
{
  sp_test_pg_command (conn,
                      "INSERT INTO session (token_hash, account_id, last_seen_at, expires_at, revoked_at)"
                      " VALUES (sha256 ($1::bytea), $2::bigint, now () - $3::interval,"
                      "         now () + $4::interval, now () - $5::interval)",
                      SP_TEST_PG_ARGS (name, account, last_seen, expires, revoked));
}

/* The periodic session purge: queued once per slot by whichever process's
 * sweep comes first; sessions ended more than a day ago (expired, idle or
 * revoked) go; live ones and recently ended ones (still answered "session
 * expired") stay. */
static void
test_session_purge (void)
{
  g_autofree char *account = g_strdup_printf ("%" G_GINT64_FORMAT, sp_test_account_id (conn, SP_TEST_OPERATOR));
  g_autofree char *config = sp_test_env_copy_config (env, "sweep.conf", "jobs", "sweep-seconds", "1", NULL);
  g_autofree char *since = sp_test_pg_value (conn, "SELECT now ()", 0, NULL);
  g_autofree char *left = NULL;
  g_autofree char *queued = NULL;
  g_autofree char *next = NULL;
  g_autofree char *old_done = NULL;
  g_autofree char *recent_done = NULL;
  g_autofree char *old_dead = NULL;
  g_autofree char *jobs_left = NULL;
  gint64 ms;

  /* Idle timeout: 30 minutes (the test configuration's default). */
  session_insert ("live", account, "1 minute", "1 hour", NULL);
  session_insert ("expired-now", account, "1 minute", "-1 minute", NULL);
  session_insert ("idle-now", account, "31 minutes", "1 hour", NULL);
  session_insert ("revoked-now", account, "1 minute", "1 hour", "1 minute");
  session_insert ("expired", account, "2 days", "-25 hours", NULL);
  session_insert ("idle", account, "25 hours", "1 hour", NULL);
  session_insert ("revoked", account, "1 minute", "1 hour", "25 hours");

  /* Old and recent finished jobs, for the job purge (done: kept 7 days; dead: kept). */
  old_done = sp_test_pg_value (conn,
                               "INSERT INTO job (kind, state, finished_at) VALUES ('echo', 'done', now () - interval '8 days')"
                               " RETURNING id", 0, NULL);
  recent_done = sp_test_pg_value (conn,
                                  "INSERT INTO job (kind, state, finished_at) VALUES ('echo', 'done', now () - interval '6 days')"
                                  " RETURNING id", 0, NULL);
  old_dead = sp_test_pg_value (conn,
                               "INSERT INTO job (kind, state, finished_at) VALUES ('echo', 'dead', now () - interval '30 days')"
                               " RETURNING id", 0, NULL);

  /* A second process that sweeps every second, beside the environment's. */
  servers[1] = sp_test_server_start (env, config, NULL);
  sp_test_pg_command (conn, "UPDATE job_schedule SET next_run_at = now () WHERE kind IN ('session-purge', 'job-purge')",
                      0, NULL);

  ms = wait_for_value ("SELECT count(*) FROM session WHERE account_id = $1::bigint",
                       SP_TEST_PG_ARGS (account), "4", 5000);
  g_test_message ("ended sessions purged %" G_GINT64_FORMAT " ms after the slot came due", ms);
  g_assert_cmpint (ms, >=, 0);
  left = sp_test_pg_value (conn,
                           "SELECT count(*) FROM session WHERE token_hash IN (sha256 ('live'::bytea),"
                           " sha256 ('expired-now'::bytea), sha256 ('idle-now'::bytea), sha256 ('revoked-now'::bytea))",
                           0, NULL);
  g_assert_cmpstr (left, ==, "4");

  g_assert_cmpint (wait_for_value ("SELECT count(*) FROM job WHERE id = $1::bigint", SP_TEST_PG_ARGS (old_done),
                                   "0", 5000), >=, 0);
  jobs_left = sp_test_pg_value (conn, "SELECT count(*) FROM job WHERE id IN ($1::bigint, $2::bigint)",
                                SP_TEST_PG_ARGS (recent_done, old_dead));
  g_assert_cmpstr (jobs_left, ==, "2");

  /* Three more sweeps of the fast process: still one job for the slot. */
  g_usleep (3 * G_USEC_PER_SEC);
  queued = sp_test_pg_value (conn,
                             "SELECT count(*) || ' ' || count(*) FILTER (WHERE state = 'done')"
                             " FROM job WHERE kind = 'session-purge' AND created_at >= $1::timestamptz",
                             SP_TEST_PG_ARGS (since));
  g_assert_cmpstr (queued, ==, "1 1");
  next = sp_test_pg_value (conn,
                           "SELECT (next_run_at > now () + interval '9 minutes')::text FROM job_schedule"
                           " WHERE kind = 'session-purge'", 0, NULL);
  g_assert_cmpstr (next, ==, "true");
}

/* A job whose worker died on its last attempt is set aside by the sweep
 * rather than claimed again (a job that kills its process would kill them all). */
static void
test_expired_last_attempt (void)
{
  g_autofree char *id = NULL;
  g_autofree char *state = NULL;
  gint64 ms;

  g_assert_nonnull (servers[1]);   /* sweeps every second */
  id = sp_test_pg_value (conn,
                         "INSERT INTO job (kind, attempts, locked_by, locked_until)"
                         " VALUES ('echo', " MAX_ATTEMPTS ", 'gone:1:0/0', now () - interval '1 second')"
                         " RETURNING id", 0, NULL);
  ms = wait_for_job (id, "state = 'dead'", 5000);
  g_test_message ("job of a dead worker on its last attempt set aside after %" G_GINT64_FORMAT " ms", ms);
  g_assert_cmpint (ms, >=, 0);
  state = job_field (id, "attempts || ' ' || (locked_by IS NULL) || ' ' || (payload->>'runs' IS NULL)"
                         " || ' ' || (last_error LIKE '%lease expired%')");
  g_assert_cmpstr (state, ==, MAX_ATTEMPTS " true true true");
}

/* PostgreSQL restarts under the servers: their job connections come back by
 * themselves, and jobs run again without a restart of the servers. */
static void
test_database_restart (void)
{
  g_autofree char *id = NULL;
  gint64 ms;

  sp_test_env_stop_database (env);
  g_usleep (1500 * 1000);
  sp_test_env_start_database (env);
  PQreset (conn);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);

  id = echo_insert ("{}");
  ms = wait_for_job (id, "state = 'done'", 15000);
  g_test_message ("job done %" G_GINT64_FORMAT " ms after PostgreSQL came back", ms);
  g_assert_cmpint (ms, >=, 0);
  g_assert_cmpint (ms, <, 5000);

  /* Nobody died of it. */
  g_assert_cmpint (sp_test_env_get_server_pid (env), >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    if (servers[i] != NULL)
      g_assert_cmpint (sp_test_server_get_pid (servers[i]), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/sportello/jobs/notify-wakes", test_notify_wakes);
  g_test_add_func ("/sportello/jobs/two-processes-once", test_two_processes_once);
  g_test_add_func ("/sportello/jobs/enqueue-in-transaction", test_enqueue_in_transaction);
  g_test_add_func ("/sportello/jobs/killed-holder", test_killed_holder);
  g_test_add_func ("/sportello/jobs/sigterm-releases", test_sigterm_releases);
  g_test_add_func ("/sportello/jobs/failure-backoff", test_failure_backoff);
  g_test_add_func ("/sportello/jobs/session-purge", test_session_purge);
  g_test_add_func ("/sportello/jobs/expired-last-attempt", test_expired_last_attempt);
  g_test_add_func ("/sportello/jobs/database-restart", test_database_restart);

  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  /* Read by the extra servers as they start (the environment's keeps its own). */
  sp_test_env_set_config (env, "jobs", "lease-seconds", LEASE_SECONDS);
  sp_test_env_set_config (env, "jobs", "max-attempts", MAX_ATTEMPTS);
  sp_test_env_set_config (env, "jobs", "sweep-seconds", "30");
  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    servers[i] = sp_test_server_start (env, NULL, echo_environ);

  status = g_test_run ();

  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    g_clear_pointer (&servers[i], sp_test_server_free);
  g_clear_pointer (&conn, PQfinish);
  sp_test_env_stop (env);
  return status;
}
