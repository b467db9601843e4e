/* sp-db-prepared.c: statements prepared once per pooled connection, found by their text; BEGIN and COMMIT sent with them */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <libpq-events.h>

#include "sp-db-prepared.h"

/* A bound on what one connection holds: the statements that ask to be
 * prepared have fixed texts, a few dozen in all; past the bound (a caller
 * preparing text that varies) statements run unprepared. */
#define MAX_PREPARED 256

/*
 * What a connection has prepared lives with the connection, as libpq
 * instance data: a reset (PQreset(), after the server restarted) starts a
 * new session, which has prepared nothing, and empties it; PQfinish() frees
 * it. So the pool need not know, and a connection never names a statement
 * that its session does not have.
 */
typedef struct
{
  GHashTable *names;   /* SQL text → statement name */
  guint       next;    /* the number in the next statement's name */
} Prepared;

static void
prepared_free (Prepared *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->names);
  g_free (self);
}

static int
event_cb (PGEventId  id,
          void      *info,
          void      *pass_through)
{
  switch (id)
    {
    case PGEVT_CONNRESET:
      {
        Prepared *self = PQinstanceData (((PGEventConnReset *) info)->conn, event_cb);

        if (self != NULL)
          g_hash_table_remove_all (self->names);
        break;
      }
    case PGEVT_CONNDESTROY:
      prepared_free (PQinstanceData (((PGEventConnDestroy *) info)->conn, event_cb));
      break;
    case PGEVT_REGISTER:
    case PGEVT_RESULTCREATE:
    case PGEVT_RESULTCOPY:
    case PGEVT_RESULTDESTROY:
    default:
      break;
    }
  return TRUE;
}

/**
 * sp_db_prepared_attach:
 *
 * Lets @conn keep the statements it runs with sp_db_prepared_exec()
 * prepared, for as long as its session lasts.
 *
 * Returns: %FALSE if libpq refused (out of memory): @conn then runs every
 *   statement unprepared
 */
gboolean
sp_db_prepared_attach (PGconn *conn)
{
  Prepared *self;

  if (PQinstanceData (conn, event_cb) != NULL)
    return TRUE;
  if (!PQregisterEventProc (conn, event_cb, "sp-db-prepared", NULL))
    return FALSE;
  self = g_new0 (Prepared, 1);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!PQsetInstanceData (conn, event_cb, self))
    {
      prepared_free (self);
      return FALSE;
    }
  return TRUE;
}

/* Returns: how many statements the session of @conn has prepared */
guint
sp_db_prepared_count (PGconn *conn)
{
  Prepared *self = PQinstanceData (conn, event_cb);

  return self != NULL ? g_hash_table_size (self->names) : 0;
}

/**
 * sp_db_prepared_exec:
 *
 * Runs @sql as PQexecParams() does (text parameters and results), prepared
 * the first time the session of @conn runs it; unprepared on a connection
 * that is not attached (sp_db_prepared_attach()). A statement that fails to
 * prepare is not kept: its error is the result.
 *
 * Prepared statements outlive the transaction that prepared them, rolled
 * back or not.
 *
 * Returns: (transfer full) (nullable): the result, as libpq gives it
 */
PGresult *
sp_db_prepared_exec (PGconn              *conn,
                     const char          *sql,
                     int                  n_params,
                     const char * const  *params)
{
  Prepared *self = PQinstanceData (conn, event_cb);
  const char *name = self != NULL ? g_hash_table_lookup (self->names, sql) : NULL;

  if (name == NULL && self != NULL && g_hash_table_size (self->names) < MAX_PREPARED)
    {
      g_autofree char *new_name = g_strdup_printf ("sp_%u", self->next++);
      PGresult *prepared = PQprepare (conn, new_name, sql, 0, NULL);

      if (PQresultStatus (prepared) != PGRES_COMMAND_OK)
        return prepared;
      PQclear (prepared);
      name = new_name;
      g_hash_table_insert (self->names, g_strdup (sql), g_steal_pointer (&new_name));
    }
  if (name == NULL)
    return PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  return PQexecPrepared (conn, name, n_params, params, NULL, NULL, 0);
}

static gboolean
failed (const PGresult *result)
{
  ExecStatusType status = PQresultStatus (result);

  return status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK;
}

/* Reads the results of a pipeline of @n_commands commands and its sync: the
 * first error, else the result of command @wanted. When @new_name is set,
 * command @wanted - 1 prepared it: kept if that succeeded. */
static PGresult *
collect (PGconn      *conn,
         Prepared    *self,
         guint        n_commands,
         guint        wanted,
         char       **new_name,
         const char  *sql)
{
  PGresult *error = NULL;
  PGresult *kept = NULL;
  PGresult *result;

  for (guint i = 0; i < n_commands; i++)
    while ((result = PQgetResult (conn)) != NULL)
      {
        if (i + 1 == wanted && *new_name != NULL && PQresultStatus (result) == PGRES_COMMAND_OK)
          g_hash_table_insert (self->names, g_strdup (sql), g_steal_pointer (new_name));
        if (error == NULL && failed (result) && PQresultStatus (result) != PGRES_PIPELINE_ABORTED)
          error = result;
        else if (i == wanted && kept == NULL)
          kept = result;
        else
          PQclear (result);
      }
  /* Then the sync's own result. */
  while ((result = PQgetResult (conn)) != NULL)
    {
      gboolean synced = PQresultStatus (result) == PGRES_PIPELINE_SYNC;

      PQclear (result);
      if (synced)
        break;
    }
  if (error != NULL)
    {
      g_clear_pointer (&kept, PQclear);
      return error;
    }
  return kept;
}

/* Runs a command without parameters, unprepared. */
static PGresult *
exec_plain (PGconn     *conn,
            const char *command)
{
  return PQexecParams (conn, command, 0, NULL, NULL, NULL, NULL, 0);
}

/* @first (nullable), @sql prepared, then @last (nullable), one after the
 * other until one fails: the first error, or the result of @sql. */
static PGresult *
exec_in_turn (PGconn              *conn,
              const char          *first,
              const char          *sql,
              int                  n_params,
              const char * const  *params,
              const char          *last)
{
  PGresult *result;
  PGresult *ended;

  if (first != NULL)
    {
      result = exec_plain (conn, first);
      if (failed (result))
        return result;
      PQclear (result);
    }
  result = sp_db_prepared_exec (conn, sql, n_params, params);
  if (last == NULL || failed (result))
    return result;
  ended = exec_plain (conn, last);
  if (failed (ended))
    {
      PQclear (result);
      return ended;
    }
  PQclear (ended);
  return result;
}

/* @first (nullable), @sql prepared, then @last (nullable), in one round trip
 * (a libpq pipeline): a command after one that fails does not run. */
static PGresult *
exec_pipelined (PGconn              *conn,
                const char          *first,
                const char          *sql,
                int                  n_params,
                const char * const  *params,
                const char          *last)
{
  Prepared *self = PQinstanceData (conn, event_cb);
  g_autofree char *new_name = NULL;
  const char *name;
  PGresult *result;
  guint wanted = first != NULL ? 1 : 0;
  gboolean sent;

  if (self == NULL || !PQenterPipelineMode (conn))
    return exec_in_turn (conn, first, sql, n_params, params, last);

  name = g_hash_table_lookup (self->names, sql);
  if (name == NULL && g_hash_table_size (self->names) < MAX_PREPARED)
    name = new_name = g_strdup_printf ("sp_%u", self->next++);
  if (new_name != NULL)
    wanted++;
  sent = (first == NULL || PQsendQueryParams (conn, first, 0, NULL, NULL, NULL, NULL, 0))
         && (new_name == NULL || PQsendPrepare (conn, new_name, sql, 0, NULL))
         && (name != NULL ? PQsendQueryPrepared (conn, name, n_params, params, NULL, NULL, 0)
                          : PQsendQueryParams (conn, sql, n_params, NULL, params, NULL, NULL, 0))
         && (last == NULL || PQsendQueryParams (conn, last, 0, NULL, NULL, NULL, NULL, 0))
         && PQpipelineSync (conn);
  result = sent ? collect (conn, self, wanted + 1 + (last != NULL ? 1 : 0), wanted, &new_name, sql) : NULL;
  /* Commands that could not all be sent (a connection lost, no memory) are
   * still queued: a new session, rather than a connection that no caller
   * could use (or a lost one, which the pool drops). */
  if (!PQexitPipelineMode (conn))
    {
      g_message ("Database connection left with commands unsent, resetting it");
      g_clear_pointer (&result, PQclear);
      PQreset (conn);
    }
  return result;
}

/**
 * sp_db_prepared_exec_after:
 * @first: a statement without parameters that opens the way, as `BEGIN`
 *
 * Runs @first, then @sql as sp_db_prepared_exec() does, in one round trip
 * (a libpq pipeline): when @first fails, @sql does not run. On a connection
 * that is not attached, one after the other.
 *
 * Returns: (transfer full) (nullable): the first error, or the result of @sql
 */
PGresult *
sp_db_prepared_exec_after (PGconn              *conn,
                           const char          *first,
                           const char          *sql,
                           int                  n_params,
                           const char * const  *params)
{
  return exec_pipelined (conn, first, sql, n_params, params, NULL);
}

/**
 * sp_db_prepared_exec_then:
 * @last: a statement without parameters that closes the way, as `COMMIT`
 *
 * Runs @sql as sp_db_prepared_exec() does, then @last, in one round trip
 * (a libpq pipeline): when @sql fails, @last does not run, so that a
 * transaction whose last statement failed is left open (and failed), not
 * committed. On a connection that is not attached, one after the other.
 *
 * Returns: (transfer full) (nullable): the first error, of @sql or of @last,
 *   or the result of @sql
 */
PGresult *
sp_db_prepared_exec_then (PGconn              *conn,
                          const char          *sql,
                          int                  n_params,
                          const char * const  *params,
                          const char          *last)
{
  return exec_pipelined (conn, NULL, sql, n_params, params, last);
}
