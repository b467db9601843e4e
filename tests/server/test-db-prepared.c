/* test-db-prepared.c: statements prepared once per pooled connection, kept through rollbacks and errors, sent with their BEGIN or COMMIT, prepared again after PostgreSQL restarts */
#define G_LOG_DOMAIN "test-db-prepared"

#include "config.h"

#include "sp-db-prepared.h"
#include "sp-db-util.h"
#include "sp-db.h"
#include "sp-error.h"
#include "sp-test-env.h"

#define ADD_ONE  "SELECT $1::integer + 1"
#define TWICE    "SELECT $1::integer * 2"
#define INVERSE  "SELECT 100 / $1::integer"
#define ISOLATION "SELECT current_setting ('transaction_isolation') || $1::text"

static SpTestEnv *env;
static SpDb *db;   /* one connection: every call runs on the same one */

/* What a call found on its connection. */
typedef struct
{
  guint  prepared;          /* statements the connection knows it has prepared */
  guint  server_prepared;   /* those its session has (pg_prepared_statements) */
  char  *backend;           /* the session's pid */
} Seen;

static void
seen_free (Seen *seen)
{
  g_free (seen->backend);
  g_free (seen);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Seen, seen_free)

static Seen *
look (PGconn  *conn,
      GError **error)
{
  g_autoptr(PGresult) result = sp_db_exec (conn, "SELECT count (*), pg_backend_pid () FROM pg_prepared_statements",
                                           0, NULL, error);
  Seen *seen;

  if (result == NULL)
    return NULL;
  seen = g_new0 (Seen, 1);
  seen->prepared = sp_db_prepared_count (conn);
  seen->server_prepared = (guint) sp_db_get_int64 (result, 0, 0);
  seen->backend = g_strdup (sp_db_get (result, 0, 1));
  return seen;
}

/* Runs @sql (one integer parameter) prepared: its result, or -1 with @error set. */
static gint64
run_prepared (PGconn      *conn,
              const char  *sql,
              const char  *value,
              GError     **error)
{
  g_autoptr(PGresult) result = sp_db_exec_prepared (conn, sql, 1, SP_DB_PARAMS (value), error);

  return result != NULL ? sp_db_get_int64 (result, 0, 0) : -1;
}

/* ADD_ONE three times (an SpDbFunc). */
static gpointer
add_one_func (PGconn   *conn,
              gpointer  data,
              GError  **error)
{
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *value = g_strdup_printf ("%d", 41 + i);

      if (run_prepared (conn, ADD_ONE, value, error) != 42 + i)
        return NULL;
    }
  return look (conn, error);
}

static void
ready_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs @func on the pool's connection, as a request would. */
static Seen *
run_pooled (SpDbFunc func)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Seen *seen;

  sp_db_run_async (db, func, NULL, NULL, (GDestroyNotify) seen_free, NULL, ready_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  seen = sp_db_run_finish (db, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (seen);
  return seen;
}

/* A statement is prepared the first time a connection runs it, then only
 * executed; the same session keeps it from call to call. */
static void
test_once_per_connection (void)
{
  g_autoptr(Seen) first = run_pooled (add_one_func);
  g_autoptr(Seen) second = run_pooled (add_one_func);

  g_assert_cmpuint (first->prepared, ==, 1);
  g_assert_cmpuint (first->server_prepared, ==, 1);
  g_assert_cmpstr (second->backend, ==, first->backend);
  g_assert_cmpuint (second->prepared, ==, 1);
  g_assert_cmpuint (second->server_prepared, ==, 1);
}

/* Prepared in a transaction that is rolled back, a statement stays; one
 * that fails to prepare (bad SQL, or in a failed transaction) is not kept
 * and prepares once the transaction is over; one that fails as it runs
 * stays prepared (an SpDbFunc). */
static gpointer
failures_func (PGconn   *conn,
               gpointer  data,
               GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) bad = NULL;
  guint before = sp_db_prepared_count (conn);

  g_assert_true (sp_db_begin (conn, NULL));
  g_assert_cmpint (run_prepared (conn, TWICE, "21", NULL), ==, 42);
  sp_db_rollback (conn);
  g_assert_cmpint (run_prepared (conn, TWICE, "4", NULL), ==, 8);
  g_assert_cmpuint (sp_db_prepared_count (conn), ==, before + 1);

  bad = sp_db_exec_prepared (conn, "SELECT FROM WHERE $1::integer", 1, SP_DB_PARAMS ("1"), &local_error);
  g_assert_null (bad);
  g_assert_error (local_error, SP_ERROR, SP_ERROR_INTERNAL);
  g_assert_cmpstr (sp_error_get_sqlstate (local_error), ==, "42601");
  g_clear_error (&local_error);
  g_assert_cmpuint (sp_db_prepared_count (conn), ==, before + 1);

  g_assert_true (sp_db_begin (conn, NULL));
  g_assert_cmpint (run_prepared (conn, INVERSE, "0", &local_error), ==, -1);
  g_assert_cmpstr (sp_error_get_sqlstate (local_error), ==, "22012");
  g_clear_error (&local_error);
  g_assert_cmpint (run_prepared (conn, ADD_ONE "0", "1", &local_error), ==, -1);
  g_assert_cmpstr (sp_error_get_sqlstate (local_error), ==, "25P02");
  g_clear_error (&local_error);
  sp_db_rollback (conn);
  g_assert_cmpuint (sp_db_prepared_count (conn), ==, before + 2);
  g_assert_cmpint (run_prepared (conn, INVERSE, "4", NULL), ==, 25);
  g_assert_cmpint (run_prepared (conn, ADD_ONE "0", "1", NULL), ==, 11);
  g_assert_cmpuint (sp_db_prepared_count (conn), ==, before + 3);
  return look (conn, error);
}

static void
test_failures (void)
{
  g_autoptr(Seen) seen = run_pooled (failures_func);

  g_assert_cmpuint (seen->prepared, >=, 4);
  g_assert_cmpuint (seen->server_prepared, ==, seen->prepared);
}

/* BEGIN and a statement in one round trip: the transaction open after it,
 * with its options, failed or not; the statement prepared as alone; the
 * connection out of pipeline mode (an SpDbFunc; @data set on a connection
 * apart from the pool, which prepares nothing). */
static gpointer
begin_func (PGconn   *conn,
            gpointer  data,
            GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) result = NULL;
  guint before = sp_db_prepared_count (conn);
  guint one = data == NULL ? 1 : 0;   /* pooled: the statement prepared */

  result = sp_db_begin_exec_prepared (conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", ISOLATION,
                                      1, SP_DB_PARAMS ("!"), NULL);
  g_assert_cmpstr (sp_db_get (result, 0, 0), ==, "repeatable read!");
  g_assert_cmpint (PQtransactionStatus (conn), ==, PQTRANS_INTRANS);
  g_assert_cmpint (PQpipelineStatus (conn), ==, PQ_PIPELINE_OFF);
  g_clear_pointer (&result, PQclear);
  sp_db_rollback (conn);
  result = sp_db_begin_exec_prepared (conn, "BEGIN", ISOLATION, 1, SP_DB_PARAMS ("."), NULL);
  g_assert_cmpstr (sp_db_get (result, 0, 0), ==, "read committed.");
  g_clear_pointer (&result, PQclear);
  sp_db_rollback (conn);
  g_assert_cmpuint (sp_db_prepared_count (conn), ==, before + one);

  /* The statement fails to prepare: the transaction is open, and failed. */
  result = sp_db_begin_exec_prepared (conn, "BEGIN", "SELECT FROM WHERE $1::integer", 1, SP_DB_PARAMS ("1"),
                                      &local_error);
  g_assert_null (result);
  g_assert_cmpstr (sp_error_get_sqlstate (local_error), ==, "42601");
  g_clear_error (&local_error);
  g_assert_cmpint (PQtransactionStatus (conn), ==, PQTRANS_INERROR);
  g_assert_cmpint (PQpipelineStatus (conn), ==, PQ_PIPELINE_OFF);
  sp_db_rollback (conn);
  g_assert_cmpuint (sp_db_prepared_count (conn), ==, before + one);

  /* BEGIN fails: the statement neither runs nor is prepared. */
  result = sp_db_begin_exec_prepared (conn, "BEGIN ISOLATION LEVEL NONE", ADD_ONE "00", 1, SP_DB_PARAMS ("1"),
                                      &local_error);
  g_assert_null (result);
  g_assert_cmpstr (sp_error_get_sqlstate (local_error), ==, "42601");
  g_clear_error (&local_error);
  g_assert_cmpint (PQtransactionStatus (conn), ==, PQTRANS_IDLE);
  g_assert_cmpuint (sp_db_prepared_count (conn), ==, before + one);

  /* Executed once prepared, in a transaction or out of one. */
  result = sp_db_begin_exec_prepared (conn, "BEGIN", ADD_ONE, 1, SP_DB_PARAMS ("1"), error);
  g_assert_cmpint (sp_db_get_int64 (result, 0, 0), ==, 2);
  g_clear_pointer (&result, PQclear);
  g_assert_true (sp_db_commit (conn, NULL));
  g_assert_cmpint (run_prepared (conn, ISOLATION, "?", NULL), ==, 0);
  return look (conn, error);
}

static void
test_begin (void)
{
  g_autoptr(Seen) seen = run_pooled (begin_func);
  g_autoptr(GError) error = NULL;
  g_autoptr(Seen) unpooled = sp_db_run_sync (db, begin_func, GINT_TO_POINTER (TRUE), &error);

  g_assert_cmpuint (seen->prepared, >=, 2);
  g_assert_cmpuint (seen->server_prepared, ==, seen->prepared);
  g_assert_no_error (error);
  g_assert_nonnull (unpooled);
  g_assert_cmpuint (unpooled->server_prepared, ==, 0);
}

#define KEEP "INSERT INTO kept VALUES ($1::integer) RETURNING x"

static gint64
count_kept (PGconn *conn)
{
  g_autoptr(PGresult) result = sp_db_exec (conn, "SELECT count (*) FROM kept", 0, NULL, NULL);

  return result != NULL ? sp_db_get_int64 (result, 0, 0) : -1;
}

/* A statement and COMMIT in one round trip: committed when both succeed; a
 * statement that fails leaves its transaction open and failed, uncommitted;
 * a COMMIT that fails (a deferred constraint) leaves none open, nothing kept
 * (an SpDbFunc; @data set on a connection apart from the pool). */
static gpointer
commit_func (PGconn   *conn,
             gpointer  data,
             GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) result = NULL;
  guint before = sp_db_prepared_count (conn);
  guint one = data == NULL ? 1 : 0;   /* pooled: the statement prepared */

  g_assert_true (sp_db_command (conn, "CREATE TEMPORARY TABLE kept (x integer UNIQUE DEFERRABLE INITIALLY DEFERRED)",
                                0, NULL, NULL));
  result = sp_db_begin_exec_prepared (conn, "BEGIN", KEEP, 1, SP_DB_PARAMS ("1"), NULL);
  g_assert_cmpint (sp_db_get_int64 (result, 0, 0), ==, 1);
  g_clear_pointer (&result, PQclear);
  result = sp_db_exec_prepared_commit (conn, KEEP, 1, SP_DB_PARAMS ("2"), &local_error);
  g_assert_no_error (local_error);
  g_assert_cmpint (sp_db_get_int64 (result, 0, 0), ==, 2);
  g_clear_pointer (&result, PQclear);
  g_assert_cmpint (PQtransactionStatus (conn), ==, PQTRANS_IDLE);
  g_assert_cmpint (PQpipelineStatus (conn), ==, PQ_PIPELINE_OFF);
  g_assert_cmpint (count_kept (conn), ==, 2);

  /* The statement fails: no COMMIT, the transaction open and failed. */
  result = sp_db_begin_exec_prepared (conn, "BEGIN", KEEP, 1, SP_DB_PARAMS ("3"), NULL);
  g_clear_pointer (&result, PQclear);
  result = sp_db_exec_prepared_commit (conn, INVERSE, 1, SP_DB_PARAMS ("0"), &local_error);
  g_assert_null (result);
  g_assert_cmpstr (sp_error_get_sqlstate (local_error), ==, "22012");
  g_clear_error (&local_error);
  g_assert_cmpint (PQtransactionStatus (conn), ==, PQTRANS_INERROR);
  g_assert_cmpint (PQpipelineStatus (conn), ==, PQ_PIPELINE_OFF);
  sp_db_rollback (conn);
  g_assert_cmpint (count_kept (conn), ==, 2);

  /* COMMIT fails: the transaction is over, rolled back. */
  result = sp_db_begin_exec_prepared (conn, "BEGIN", KEEP, 1, SP_DB_PARAMS ("4"), NULL);
  g_clear_pointer (&result, PQclear);
  result = sp_db_exec_prepared_commit (conn, KEEP, 1, SP_DB_PARAMS ("4"), &local_error);
  g_assert_null (result);
  g_assert_cmpstr (sp_error_get_sqlstate (local_error), ==, "23505");
  g_clear_error (&local_error);
  g_assert_cmpint (PQtransactionStatus (conn), ==, PQTRANS_IDLE);
  g_assert_cmpint (PQpipelineStatus (conn), ==, PQ_PIPELINE_OFF);
  g_assert_cmpint (count_kept (conn), ==, 2);

  g_assert_cmpuint (sp_db_prepared_count (conn), ==, before + one);
  g_assert_true (sp_db_command (conn, "DROP TABLE kept", 0, NULL, NULL));
  return look (conn, error);
}

static void
test_commit (void)
{
  g_autoptr(Seen) seen = run_pooled (commit_func);
  g_autoptr(GError) error = NULL;
  g_autoptr(Seen) unpooled = sp_db_run_sync (db, commit_func, GINT_TO_POINTER (TRUE), &error);

  g_assert_cmpuint (seen->server_prepared, ==, seen->prepared);
  g_assert_no_error (error);
  g_assert_nonnull (unpooled);
  g_assert_cmpuint (unpooled->server_prepared, ==, 0);
}

/* Statements in one round trip (an SpDbFunc; with data, unpooled): each
 * one's result in its place, the same text prepared once; the first failure
 * named, the rest not run, nothing of the transaction kept. */
static gpointer
pipeline_func (PGconn   *conn,
               gpointer  data,
               GError  **error)
{
  const SpDbStatement good[] = {
    { "BEGIN", 0, NULL, FALSE },
    { TWICE, 1, SP_DB_PARAMS ("4"), TRUE },
    { TWICE, 1, SP_DB_PARAMS ("5"), TRUE },
    { ADD_ONE, 1, SP_DB_PARAMS ("6"), TRUE },
    { "CREATE TABLE piped (n integer)", 0, NULL, FALSE },
    { "COMMIT", 0, NULL, FALSE },
  };
  const SpDbStatement bad[] = {
    { "BEGIN", 0, NULL, FALSE },
    { "INSERT INTO piped VALUES (1)", 0, NULL, FALSE },
    { INVERSE, 1, SP_DB_PARAMS ("0"), TRUE },
    { "INSERT INTO piped VALUES (2)", 0, NULL, FALSE },
    { "COMMIT", 0, NULL, FALSE },
  };
  PGresult *results[G_N_ELEMENTS (good)];
  g_autoptr(GError) local_error = NULL;
  guint before = sp_db_prepared_count (conn);
  guint expected = data != NULL ? 0 : 2;

  g_assert_true (sp_db_exec_all (conn, good, G_N_ELEMENTS (good), results, &local_error));
  g_assert_no_error (local_error);
  g_assert_cmpint (sp_db_get_int64 (results[1], 0, 0), ==, 8);
  g_assert_cmpint (sp_db_get_int64 (results[2], 0, 0), ==, 10);
  g_assert_cmpint (sp_db_get_int64 (results[3], 0, 0), ==, 7);
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_clear_pointer (&results[i], PQclear);
  g_assert_cmpuint (sp_db_prepared_count (conn), <=, before + expected);

  g_assert_false (sp_db_exec_all (conn, bad, G_N_ELEMENTS (bad), results, &local_error));
  g_assert_error (local_error, SP_ERROR, SP_ERROR_INTERNAL);
  g_assert_cmpstr (sp_error_get_sqlstate (local_error), ==, "22012");
  g_assert_nonnull (strstr (local_error->message, "100 /"));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_null (results[i]);
  sp_db_rollback (conn);
  g_assert_cmpint (PQtransactionStatus (conn), ==, PQTRANS_IDLE);
  {
    g_autoptr(PGresult) kept = sp_db_exec (conn, "SELECT count (*) FROM piped", 0, NULL, error);

    g_assert_nonnull (kept);
    g_assert_cmpint (sp_db_get_int64 (kept, 0, 0), ==, 0);
  }
  g_assert_true (sp_db_command (conn, "DROP TABLE piped", 0, NULL, NULL));
  return look (conn, error);
}

static void
test_pipeline (void)
{
  g_autoptr(Seen) seen = run_pooled (pipeline_func);
  g_autoptr(GError) error = NULL;
  g_autoptr(Seen) unpooled = sp_db_run_sync (db, pipeline_func, GINT_TO_POINTER (TRUE), &error);

  g_assert_cmpuint (seen->server_prepared, ==, seen->prepared);
  g_assert_no_error (error);
  g_assert_nonnull (unpooled);
  g_assert_cmpuint (unpooled->server_prepared, ==, 0);
}

/* PostgreSQL restarts under an idle pooled connection: the pool resets it,
 * its new session has prepared nothing, and the connection knows it. */
static void
test_database_restart (void)
{
  g_autoptr(Seen) before = run_pooled (add_one_func);
  g_autoptr(Seen) after = NULL;

  g_assert_cmpuint (before->prepared, >=, 1);
  sp_test_env_stop_database (env);
  sp_test_env_start_database (env);

  after = run_pooled (add_one_func);
  g_assert_cmpstr (after->backend, !=, before->backend);
  g_assert_cmpuint (after->prepared, ==, 1);
  g_assert_cmpuint (after->server_prepared, ==, 1);
}

/* sp_db_run_sync() (migrations, the admin tool) runs on a connection of its
 * own, which prepares nothing. */
static void
test_sync_unprepared (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Seen) seen = sp_db_run_sync (db, add_one_func, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (seen);
  g_assert_cmpuint (seen->prepared, ==, 0);
  g_assert_cmpuint (seen->server_prepared, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  SpDbOptions options = { .statement_timeout_ms = 10000, .pool_wait_ms = 10000 };
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/sportello/db-prepared/once-per-connection", test_once_per_connection);
  g_test_add_func ("/sportello/db-prepared/failures", test_failures);
  g_test_add_func ("/sportello/db-prepared/sync-unprepared", test_sync_unprepared);
  g_test_add_func ("/sportello/db-prepared/begin", test_begin);
  g_test_add_func ("/sportello/db-prepared/commit", test_commit);
  g_test_add_func ("/sportello/db-prepared/pipeline", test_pipeline);
  g_test_add_func ("/sportello/db-prepared/database-restart", test_database_restart);

  env = sp_test_env_start ();
  db = sp_db_new (sp_test_env_get_conninfo (env), 1, &options);

  status = g_test_run ();

  g_clear_pointer (&db, sp_db_free);
  sp_test_env_stop (env);
  return status;
}
