/* sp-db-prepared.c: statements prepared once per pooled connection, found by their text; BEGIN and COMMIT sent with them */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <string.h>

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

/* What a pipeline sent: a statement, or the preparation of the one after it
 * (a name to keep once it succeeded). */
typedef struct
{
  guint     statement;
  gboolean  preparation;
  char     *prepared_name;  /* a preparation's, until kept */
} Command;

static void
command_clear (Command *command)
{
  g_free (command->prepared_name);
}

/* Sends @statement, prepared first when it asks to be and its session does
 * not have it yet (nor is about to: @preparing, the names this pipeline
 * prepares, by text). */
static gboolean
send_statement (PGconn              *conn,
                Prepared            *self,
                GHashTable          *preparing,
                const SpDbStatement *statement,
                guint                index,
                GArray              *commands)
{
  const char *name = NULL;

  if (statement->prepared
      && !(name = g_hash_table_lookup (self->names, statement->sql))
      && !(name = g_hash_table_lookup (preparing, statement->sql))
      && g_hash_table_size (self->names) + g_hash_table_size (preparing) < MAX_PREPARED)
    {
      Command command = { index, TRUE, g_strdup_printf ("sp_%u", self->next++) };

      name = command.prepared_name;
      g_array_append_val (commands, command);
      g_hash_table_insert (preparing, (gpointer) statement->sql, (gpointer) name);
      if (!PQsendPrepare (conn, name, statement->sql, 0, NULL))
        return FALSE;
    }
  g_array_append_val (commands, ((Command) { index, FALSE, NULL }));
  return name != NULL ? PQsendQueryPrepared (conn, name, statement->n_params, statement->params, NULL, NULL, 0)
                      : PQsendQueryParams (conn, statement->sql, statement->n_params, NULL, statement->params,
                                           NULL, NULL, 0);
}

/* Reads the results of @commands, then the sync's. Each statement's result
 * goes to its slot of @results; a preparation that succeeded is kept.
 * Returns the first error, or NULL. */
static PGresult *
collect (PGconn              *conn,
         Prepared            *self,
         const SpDbStatement *statements,
         GArray              *commands,
         PGresult           **results,
         guint               *failed_statement)
{
  PGresult *error = NULL;
  PGresult *result;

  for (guint i = 0; i < commands->len; i++)
    {
      Command *command = &g_array_index (commands, Command, i);

      while ((result = PQgetResult (conn)) != NULL)
        {
          if (command->preparation && PQresultStatus (result) == PGRES_COMMAND_OK)
            g_hash_table_insert (self->names, g_strdup (statements[command->statement].sql),
                                 g_steal_pointer (&command->prepared_name));
          if (error == NULL && failed (result) && PQresultStatus (result) != PGRES_PIPELINE_ABORTED)
            {
              error = result;
              *failed_statement = command->statement;
            }
          else if (!command->preparation && results[command->statement] == NULL && !failed (result))
            results[command->statement] = result;
          else
            PQclear (result);
        }
    }
  /* Then the sync's own result. */
  while ((result = PQgetResult (conn)) != NULL)
    {
      gboolean synced = PQresultStatus (result) == PGRES_PIPELINE_SYNC;

      PQclear (result);
      if (synced)
        break;
    }
  return error;
}

/* One after the other until one fails, on a connection that is not attached. */
static PGresult *
exec_each (PGconn              *conn,
           const SpDbStatement *statements,
           guint                n,
           PGresult           **results,
           guint               *failed_statement)
{
  for (guint i = 0; i < n; i++)
    {
      PGresult *result = statements[i].prepared
                         ? sp_db_prepared_exec (conn, statements[i].sql, statements[i].n_params, statements[i].params)
                         : PQexecParams (conn, statements[i].sql, statements[i].n_params, NULL, statements[i].params,
                                         NULL, NULL, 0);

      if (failed (result))
        {
          for (guint j = 0; j < i; j++)
            g_clear_pointer (&results[j], PQclear);
          *failed_statement = i;
          return result;
        }
      results[i] = result;
    }
  return NULL;
}

/**
 * sp_db_prepared_exec_all:
 * @statements: (array length=n): the statements, in order
 * @results: (out caller-allocates) (array length=n): each statement's result
 * @failed_statement: (out) (optional): which one failed, when one did
 *
 * Runs @statements in one round trip (a libpq pipeline), those that ask for
 * it prepared as sp_db_prepared_exec() does: a statement after one that
 * fails does not run. On a connection that is not attached, one after the
 * other.
 *
 * Returns: (transfer full) (nullable): the first error, and then @results
 *   are all %NULL; %NULL when every statement succeeded
 */
PGresult *
sp_db_prepared_exec_all (PGconn              *conn,
                         const SpDbStatement *statements,
                         guint                n,
                         PGresult           **results,
                         guint               *failed_statement)
{
  Prepared *self = PQinstanceData (conn, event_cb);
  guint failed_index = n - 1;   /* the sync, when nothing says which */
  g_autoptr(GArray) commands = NULL;
  g_autoptr(GHashTable) preparing = NULL;
  PGresult *error = NULL;
  gboolean sent = TRUE;

  memset (results, 0, n * sizeof (PGresult *));
  if (self == NULL || !PQenterPipelineMode (conn))
    {
      error = exec_each (conn, statements, n, results, &failed_index);
      if (failed_statement != NULL)
        *failed_statement = failed_index;
      return error;
    }

  commands = g_array_sized_new (FALSE, FALSE, sizeof (Command), n + 1);
  g_array_set_clear_func (commands, (GDestroyNotify) command_clear);
  preparing = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n && sent; i++)
    sent = send_statement (conn, self, preparing, &statements[i], i, commands);
  sent = sent && PQpipelineSync (conn);
  if (sent)
    error = collect (conn, self, statements, commands, results, &failed_index);
  /* Commands that could not all be sent (a connection lost, no memory) are
   * still queued: a new session, rather than a connection that no caller
   * could use (or a lost one, which the pool drops). */
  if (!PQexitPipelineMode (conn))
    {
      g_message ("Database connection left with commands unsent, resetting it");
      PQreset (conn);
      sent = FALSE;
    }
  if (!sent && error == NULL)
    error = PQmakeEmptyPGresult (conn, PGRES_FATAL_ERROR);
  if (error != NULL)
    for (guint i = 0; i < n; i++)
      g_clear_pointer (&results[i], PQclear);
  if (failed_statement != NULL)
    *failed_statement = failed_index;
  return error;
}

/* @first (nullable), @sql prepared, then @last (nullable), in one round trip:
 * the first error, or the result of @sql. */
static PGresult *
exec_pipelined (PGconn              *conn,
                const char          *first,
                const char          *sql,
                int                  n_params,
                const char * const  *params,
                const char          *last)
{
  SpDbStatement statements[3];
  PGresult *results[3];
  PGresult *error;
  guint n = 0;
  guint wanted;

  if (first != NULL)
    statements[n++] = (SpDbStatement) { first, 0, NULL, FALSE };
  wanted = n;
  statements[n++] = (SpDbStatement) { sql, n_params, params, TRUE };
  if (last != NULL)
    statements[n++] = (SpDbStatement) { last, 0, NULL, FALSE };

  if ((error = sp_db_prepared_exec_all (conn, statements, n, results, NULL)) != NULL)
    return error;
  for (guint i = 0; i < n; i++)
    if (i != wanted)
      PQclear (results[i]);
  return results[wanted];
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
