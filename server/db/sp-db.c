/* sp-db.c: the connection pool; database work runs on worker threads, off the main loop */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db.h"
#include "sp-db-util.h"
#include "sp-error.h"

struct _SpDb
{
  char        *conninfo;
  GAsyncQueue *idle;      /* of PGconn*, connected */
  GThreadPool *workers;   /* as many threads as connections */
};

typedef struct
{
  SpDbFunc        func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
} Job;

static void
job_free (gpointer pointer)
{
  Job *job = pointer;

  if (job->data_free != NULL)
    g_clear_pointer (&job->data, job->data_free);
  g_free (job);
}

static PGconn *
acquire (SpDb    *db,
         GError **error)
{
  /* Notices ("relation already exists, skipping") are not worth a log line;
   * times go out in UTC with an explicit offset, whatever the cluster says.
   * No JIT: every query here takes milliseconds, and compiling one (when the
   * planner overestimates it) takes tens of them. */
  const char * const keywords[] = { "dbname", "application_name", "connect_timeout", "options", NULL };
  const char * const values[] = { db->conninfo, "sportello-server", "5", "-c client_min_messages=warning -c TimeZone=UTC -c jit=off", NULL };
  PGconn *conn = g_async_queue_try_pop (db->idle);

  if (conn != NULL && sp_db_connection_lost (conn))
    PQreset (conn);
  if (conn == NULL)
    conn = PQconnectdbParams (keywords, values, TRUE);

  if (conn == NULL || sp_db_connection_lost (conn))
    {
      g_autofree char *message = g_strdup (conn != NULL ? PQerrorMessage (conn) : "out of memory");

      g_strchomp (message);
      g_warning ("Cannot connect to the database: %s", message);
      g_clear_pointer (&conn, PQfinish);
      g_set_error_literal (error, SP_ERROR, SP_ERROR_UNAVAILABLE, "The database is unreachable");
      return NULL;
    }
  return conn;
}

static void
release (SpDb   *db,
         PGconn *conn)
{
  sp_db_rollback (conn);
  if (sp_db_connection_lost (conn))
    PQfinish (conn);
  else
    g_async_queue_push (db->idle, conn);
}

static gpointer
run (SpDb     *db,
     Job      *job,
     GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  PGconn *conn;
  gpointer result;

  if (!(conn = acquire (db, error)))
    return NULL;

  result = job->func (conn, job->data, &local_error);

  /* PostgreSQL restarted under an idle connection: reconnect and try once more.
   * The failed attempt's transaction was never committed. */
  if (result == NULL && sp_db_connection_lost (conn))
    {
      g_message ("Database connection lost, reconnecting");
      PQreset (conn);
      if (!sp_db_connection_lost (conn))
        {
          g_clear_error (&local_error);
          result = job->func (conn, job->data, &local_error);
        }
    }

  release (db, conn);
  if (result == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return result;
}

static void
worker (gpointer data,
        gpointer user_data)
{
  g_autoptr(GTask) task = data;
  SpDb *db = user_data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer result;

  if (g_task_return_error_if_cancelled (task))
    return;

  result = run (db, job, &error);
  if (result != NULL)
    g_task_return_pointer (task, result, job->result_free);
  else
    g_task_return_error (task, error);
}

/**
 * sp_db_new:
 * @conninfo: a libpq connection string or URI
 * @pool_size: the most connections, and worker threads, to use at once
 *
 * Connections are opened on first use, so a server starts even while the
 * database is down and reports it in its health endpoint.
 */
SpDb *
sp_db_new (const char *conninfo,
           guint       pool_size)
{
  SpDb *db = g_new0 (SpDb, 1);

  db->conninfo = g_strdup (conninfo);
  db->idle = g_async_queue_new ();
  db->workers = g_thread_pool_new (worker, db, MAX (pool_size, 1), FALSE, NULL);
  return db;
}

void
sp_db_free (SpDb *db)
{
  PGconn *conn;

  if (db == NULL)
    return;
  g_thread_pool_free (db->workers, FALSE, TRUE);
  while ((conn = g_async_queue_try_pop (db->idle)) != NULL)
    PQfinish (conn);
  g_async_queue_unref (db->idle);
  g_free (db->conninfo);
  g_free (db);
}

const char *
sp_db_get_conninfo (SpDb *db)
{
  return db->conninfo;
}

/**
 * sp_db_run_async:
 * @func: the work, run on a worker thread with a connection of the pool
 * @result_free: frees the result of @func if nobody takes it
 *
 * Queues @func; @callback runs in the thread-default main context of the caller.
 */
void
sp_db_run_async (SpDb                *db,
                 SpDbFunc             func,
                 gpointer             data,
                 GDestroyNotify       data_free,
                 GDestroyNotify       result_free,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  g_task_set_source_tag (task, sp_db_run_async);
  g_task_set_task_data (task, job, job_free);
  g_thread_pool_push (db->workers, task, NULL);
}

gpointer
sp_db_run_finish (SpDb          *db,
                  GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sp_db_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sp_db_run_sync:
 *
 * Runs @func in the calling thread; for start-up and the admin tool only,
 * never from a request handler.
 */
gpointer
sp_db_run_sync (SpDb      *db,
                SpDbFunc   func,
                gpointer   data,
                GError   **error)
{
  Job job = { func, data, NULL, NULL };

  return run (db, &job, error);
}
