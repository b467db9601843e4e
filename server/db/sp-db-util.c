/* sp-db-util.c: parameterised statements and transactions over libpq, with errors mapped to SpError */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-util.h"
#include "sp-error.h"

gboolean
sp_db_connection_lost (PGconn *conn)
{
  return PQstatus (conn) != CONNECTION_OK;
}

static SpError
error_code_for (PGconn         *conn,
                const PGresult *result)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;

  if (sp_db_connection_lost (conn) || state == NULL)
    return SP_ERROR_UNAVAILABLE;
  if (g_str_equal (state, "23505") || g_str_equal (state, "40001") || g_str_equal (state, "40P01"))
    return SP_ERROR_CONFLICT;
  if (g_str_has_prefix (state, "23") || g_str_has_prefix (state, "22"))
    return SP_ERROR_VALIDATION;
  if (g_str_equal (state, "42501"))
    return SP_ERROR_FORBIDDEN;
  if (g_str_has_prefix (state, "08") || g_str_has_prefix (state, "57P"))
    return SP_ERROR_UNAVAILABLE;
  return SP_ERROR_INTERNAL;
}

static PGresult *
check (PGconn      *conn,
       PGresult    *result,
       const char  *sql,
       GError     **error)
{
  ExecStatusType status = result != NULL ? PQresultStatus (result) : PGRES_FATAL_ERROR;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;

  {
    g_autofree char *message = g_strdup (result != NULL ? PQresultErrorMessage (result)
                                                        : PQerrorMessage (conn));
    SpError code = error_code_for (conn, result);

    g_strchomp (message);
    if (code == SP_ERROR_INTERNAL || code == SP_ERROR_UNAVAILABLE)
      g_warning ("Statement failed: %s (%.60s…)", message, sql);
    g_set_error_literal (error, SP_ERROR, code, message);
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
