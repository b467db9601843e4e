/* sp-db-util.c: parameterised statements and transactions over libpq, with errors mapped to SpError */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-prepared.h"
#include "sp-db-util.h"
#include "sp-error.h"

gboolean
sp_db_connection_lost (PGconn *conn)
{
  return PQstatus (conn) != CONNECTION_OK;
}

/* What a failed statement means for the caller. Only what the database can
 * say about its own state becomes something else than an internal error:
 * input is validated before it reaches SQL, so a constraint (class 23) or a
 * data error (class 22) here is our bug, never the client's (HTTP 500). */
static SpError
error_code_for (PGconn     *conn,
                const char *state)
{
  if (sp_db_connection_lost (conn) || state == NULL)
    return SP_ERROR_UNAVAILABLE;
  if (sp_db_sqlstate_is_retriable (state)              /* retries exhausted, or not retriable */
      || g_str_equal (state, "57014")                  /* statement_timeout */
      || g_str_equal (state, "55P03")                  /* lock_timeout */
      || g_str_has_prefix (state, "08")                /* connection exception */
      || g_str_has_prefix (state, "53")                /* insufficient resources */
      || g_str_has_prefix (state, "57P"))              /* shutdown, crash, cannot connect now */
    return SP_ERROR_UNAVAILABLE;
  return SP_ERROR_INTERNAL;
}

/**
 * sp_db_sqlstate_is_retriable:
 *
 * Returns: whether @sqlstate (serialization failure, deadlock) means that the
 *   whole transaction may succeed when run again
 */
gboolean
sp_db_sqlstate_is_retriable (const char *sqlstate)
{
  return sqlstate != NULL && (g_str_equal (sqlstate, "40001") || g_str_equal (sqlstate, "40P01"));
}

/**
 * sp_db_error_has_class:
 * @sqlstate_class: the first two characters of a SQLSTATE ("22": data exception)
 *
 * Returns: whether @error comes from a statement that failed with an SQLSTATE
 *   of that class
 */
gboolean
sp_db_error_has_class (const GError *error,
                       const char   *sqlstate_class)
{
  const char *state = sp_error_get_sqlstate (error);

  return state != NULL && g_str_has_prefix (state, sqlstate_class);
}

/* The error keeps what PostgreSQL said, for the log: sp_problem_new() never
 * sends the message of an internal or unavailable error to the client. */
static PGresult *
check (PGconn      *conn,
       PGresult    *result,
       const char  *sql,
       GError     **error)
{
  ExecStatusType status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  const char *state;
  const char *primary;
  const char *detail;
  g_autofree char *message = NULL;
  SpError code;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;

  state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  primary = result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  detail = result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_DETAIL) : NULL;
  code = error_code_for (conn, state);
  message = g_strdup_printf ("%s%s%s [SQLSTATE %s] in “%.60s…”",
                             primary != NULL ? primary : PQerrorMessage (conn),
                             detail != NULL ? "; detail: " : "", detail != NULL ? detail : "",
                             state != NULL ? state : "none", sql);
  g_strchomp (message);
  g_debug ("Statement failed: %s", message);
  if (error != NULL)
    {
      g_set_error_literal (error, SP_ERROR, code, message);
      sp_error_set_sqlstate (*error, state);
    }
  g_clear_pointer (&result, PQclear);
  return NULL;
}

/**
 * sp_db_exec:
 *
 * Runs @sql with text parameters ($1…) and text results.
 *
 * Returns: (transfer full): the result, or %NULL with @error set
 */
PGresult *
sp_db_exec (PGconn              *conn,
            const char          *sql,
            int                  n_params,
            const char * const  *params,
            GError             **error)
{
  return check (conn, PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0), sql, error);
}

/**
 * sp_db_exec_prepared:
 *
 * Like sp_db_exec(), prepared once per pooled connection (parsed and planned
 * the first time, then only executed). For the statements that run at every
 * request and whose best plan does not depend on their parameters: a row by
 * its key, an INSERT, a function call. PostgreSQL may keep one generic plan
 * for a prepared statement, so a statement whose plan should follow its
 * parameters (the dashboard's lists and searches, the metrics) stays with
 * sp_db_exec(). The text must not vary from call to call.
 */
PGresult *
sp_db_exec_prepared (PGconn              *conn,
                     const char          *sql,
                     int                  n_params,
                     const char * const  *params,
                     GError             **error)
{
  return check (conn, sp_db_prepared_exec (conn, sql, n_params, params), sql, error);
}

/**
 * sp_db_begin_exec_prepared:
 * @begin: `BEGIN`, with the transaction's options
 *
 * Opens a transaction with @begin and runs @sql in it as
 * sp_db_exec_prepared() does, in one round trip: for the first statement of
 * a transaction. The transaction is open when this returns, failed or not.
 */
PGresult *
sp_db_begin_exec_prepared (PGconn              *conn,
                           const char          *begin,
                           const char          *sql,
                           int                  n_params,
                           const char * const  *params,
                           GError             **error)
{
  return check (conn, sp_db_prepared_exec_after (conn, begin, sql, n_params, params), sql, error);
}

/**
 * sp_db_exec_all:
 * @statements: (array length=n): the statements, in order
 * @results: (out caller-allocates) (array length=n): each one's result
 *
 * Runs @statements in one round trip, as sp_db_prepared_exec_all() does: for
 * a transaction's first statements, when none needs another's result.
 *
 * Returns: whether they all succeeded; if not, @results are all %NULL and
 *   @error is the first failure's
 */
gboolean
sp_db_exec_all (PGconn               *conn,
                const SpDbStatement  *statements,
                guint                 n,
                PGresult            **results,
                GError              **error)
{
  guint failed_statement = 0;
  PGresult *failure = sp_db_prepared_exec_all (conn, statements, n, results, &failed_statement);

  if (failure == NULL)
    return TRUE;
  check (conn, failure, statements[failed_statement].sql, error);
  return FALSE;
}

/**
 * sp_db_exec_prepared_commit:
 *
 * Runs @sql as sp_db_exec_prepared() does, then commits, in one round trip:
 * for the last statement of a transaction. When @sql fails, COMMIT does not
 * run and the transaction is open, failed (roll it back); when COMMIT fails,
 * the transaction is over, nothing of it kept.
 *
 * Returns: (transfer full): the result of @sql, its transaction committed, or
 *   %NULL with @error set
 */
PGresult *
sp_db_exec_prepared_commit (PGconn              *conn,
                            const char          *sql,
                            int                  n_params,
                            const char * const  *params,
                            GError             **error)
{
  return check (conn, sp_db_prepared_exec_then (conn, sql, n_params, params, "COMMIT"), sql, error);
}

/**
 * sp_db_exec_prepared_ending:
 * @commit: whether @sql ends the transaction
 *
 * sp_db_exec_prepared_commit() with @commit, else sp_db_exec_prepared(): for
 * the writers that are a transaction's last statement or not, as their
 * caller says.
 */
PGresult *
sp_db_exec_prepared_ending (PGconn              *conn,
                            const char          *sql,
                            int                  n_params,
                            const char * const  *params,
                            gboolean             commit,
                            GError             **error)
{
  return commit ? sp_db_exec_prepared_commit (conn, sql, n_params, params, error)
                : sp_db_exec_prepared (conn, sql, n_params, params, error);
}

/**
 * sp_db_exec_binary:
 *
 * Like sp_db_exec() with some binary parameters (bytea), text results.
 */
PGresult *
sp_db_exec_binary (PGconn              *conn,
                   const char          *sql,
                   int                  n_params,
                   const char * const  *params,
                   const int           *lengths,
                   const int           *formats,
                   GError             **error)
{
  return check (conn, PQexecParams (conn, sql, n_params, NULL, params, lengths, formats, 0), sql, error);
}

/**
 * sp_db_exec_binary_results:
 *
 * Like sp_db_exec() with results in binary (bytea as raw bytes).
 */
PGresult *
sp_db_exec_binary_results (PGconn              *conn,
                           const char          *sql,
                           int                  n_params,
                           const char * const  *params,
                           GError             **error)
{
  return check (conn, PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 1), sql, error);
}

gboolean
sp_db_command (PGconn              *conn,
               const char          *sql,
               int                  n_params,
               const char * const  *params,
               GError             **error)
{
  g_autoptr(PGresult) result = sp_db_exec (conn, sql, n_params, params, error);

  return result != NULL;
}

/* sp_db_command() with sp_db_exec_prepared(). */
gboolean
sp_db_command_prepared (PGconn              *conn,
                        const char          *sql,
                        int                  n_params,
                        const char * const  *params,
                        GError             **error)
{
  g_autoptr(PGresult) result = sp_db_exec_prepared (conn, sql, n_params, params, error);

  return result != NULL;
}

gboolean
sp_db_begin (PGconn  *conn,
             GError **error)
{
  return sp_db_command (conn, "BEGIN", 0, NULL, error);
}

gboolean
sp_db_commit (PGconn  *conn,
              GError **error)
{
  return sp_db_command (conn, "COMMIT", 0, NULL, error);
}

/**
 * sp_db_rollback:
 *
 * Ends a failed transaction; harmless when none is open or the connection is gone.
 */
void
sp_db_rollback (PGconn *conn)
{
  if (PQtransactionStatus (conn) != PQTRANS_IDLE && !sp_db_connection_lost (conn))
    PQclear (PQexec (conn, "ROLLBACK"));
}

/**
 * sp_db_get:
 *
 * Returns: (nullable): the text of a cell, %NULL for SQL NULL
 */
const char *
sp_db_get (PGresult *result,
           int       row,
           int       column)
{
  if (PQgetisnull (result, row, column))
    return NULL;
  return PQgetvalue (result, row, column);
}

gboolean
sp_db_get_bool (PGresult *result,
                int       row,
                int       column)
{
  return g_strcmp0 (sp_db_get (result, row, column), "t") == 0;
}

gint64
sp_db_get_int64 (PGresult *result,
                 int       row,
                 int       column)
{
  const char *text = sp_db_get (result, row, column);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}
