/* sp-db.c: the pool of interactive connections; database work runs on worker threads, off the main loop */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <poll.h>

#include "sp-db.h"
#include "sp-db-batch.h"
#include "sp-db-prepared.h"
#include "sp-db-util.h"
#include "sp-error.h"

/* Back-off before running a transaction again: BACKOFF_BASE_US doubled at
 * each attempt, plus as much again at random, at most BACKOFF_MAX_US. */
#define BACKOFF_BASE_US  (5 * 1000)
#define BACKOFF_MAX_US   (200 * 1000)

struct _SpDb
{
  char        *conninfo;
  char        *pg_options;  /* the settings of every pooled connection ("-c …") */
  char        *sync_options; /* the same without timeouts, for sp_db_run_sync() */
  SpDbOptions  options;
  GAsyncQueue *idle;        /* of PGconn*, connected */
  GAsyncQueue *sync_idle;   /* the same, for sp_db_run_sync() */
  GThreadPool *workers;     /* as many threads as connections */
  SpDbHealth  *health;      /* nullable */
  SpDbBatches *batches;
};

/* A job is queued, then either a worker takes it or its wait for a
 * connection expires; whichever comes first wins, once. */
enum
{
  JOB_QUEUED,
  JOB_RUNNING,
  JOB_EXPIRED,
};

typedef struct
{
  SpDb           *db;
  SpDbFunc        func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
  gboolean        retriable;
  int             state;        /* atomic: JOB_* */
  GSource        *wait_source;  /* nullable: the bound on the wait */
} Job;

static void
job_free (gpointer pointer)
{
  Job *job = pointer;

  if (job->data_free != NULL)
    g_clear_pointer (&job->data, job->data_free);
  if (job->wait_source != NULL)
    g_source_destroy (job->wait_source);
  g_clear_pointer (&job->wait_source, g_source_unref);
  g_free (job);
}

/* An idle connection has nothing to read: input (the termination notice of
 * a server that shut down, or the end of the stream) means it is gone. */
static gboolean
idle_connection_alive (PGconn *conn)
{
  struct pollfd fd = { PQsocket (conn), POLLIN, 0 };

  if (sp_db_connection_lost (conn) || fd.fd < 0)
    return FALSE;
  return poll (&fd, 1, 0) == 0;
}

/* A connection of the pool, or with @pooled FALSE one kept apart for
 * sp_db_run_sync(), which runs without the interactive timeouts. */
static PGconn *
acquire (SpDb     *db,
         gboolean  pooled,
         GError  **error)
{
  /* Notices ("relation already exists, skipping") are not worth a log line;
   * times go out in UTC with an explicit offset, whatever the cluster says.
   * No JIT: every query here takes milliseconds, and compiling one (when the
   * planner overestimates it) takes tens of them. */
  const char * const keywords[] = { "dbname", "application_name", "connect_timeout", "options", NULL };
  const char * const values[] = { db->conninfo, "sportello-server", "5",
                                  pooled ? db->pg_options : db->sync_options, NULL };
  PGconn *conn = g_async_queue_try_pop (pooled ? db->idle : db->sync_idle);

  /* PostgreSQL restarted under an idle connection: connect again rather than
   * hand it out broken. */
  if (conn != NULL && !idle_connection_alive (conn))
    {
      g_message ("Database connection lost while idle, reconnecting");
      PQreset (conn);
    }
  /* The pool's connections keep the statements they prepare for as long as
   * their session lasts (sp_db_exec_prepared()); those of sp_db_run_sync()
   * (migrations, the admin tool) prepare nothing. */
  if (conn == NULL && (conn = PQconnectdbParams (keywords, values, TRUE)) != NULL && pooled)
    sp_db_prepared_attach (conn);

  if (conn == NULL || sp_db_connection_lost (conn))
    {
      g_autofree char *message = g_strdup (conn != NULL ? PQerrorMessage (conn) : "out of memory");

      g_strchomp (message);
      g_clear_pointer (&conn, PQfinish);
      if (db->health != NULL)
        sp_db_health_check_soon (db->health);
      g_set_error (error, SP_ERROR, SP_ERROR_UNAVAILABLE, "Cannot connect to the database: %s", message);
      return NULL;
    }
  return conn;
}

static void
release (SpDb     *db,
         gboolean  pooled,
         PGconn   *conn)
{
  sp_db_rollback (conn);
  if (sp_db_connection_lost (conn))
    {
      PQfinish (conn);
      if (db->health != NULL)
        sp_db_health_check_soon (db->health);
    }
  else
    g_async_queue_push (pooled ? db->idle : db->sync_idle, conn);
}

/* Whether a failed run of @job should run again after @error. */
static gboolean
may_retry (SpDb         *db,
           Job          *job,
           const GError *error,
           guint         attempt)
{
  return job->retriable && attempt < db->options.retry_attempts
         && sp_db_sqlstate_is_retriable (sp_error_get_sqlstate (error));
}

static void
back_off (guint attempt)
{
  gint64 base = MIN ((gint64) BACKOFF_BASE_US << MIN (attempt - 1, 10), BACKOFF_MAX_US / 2);

  g_usleep ((gulong) (base + g_random_int_range (0, (gint32) base + 1)));
}

/* Runs @job on one connection; a retriable job that meets a serialization
 * failure or a deadlock runs again, whole, a bounded number of times. */
static gpointer
run (SpDb     *db,
     Job      *job,
     gboolean  pooled,
     GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  gpointer result = NULL;
  PGconn *conn;

  if (!(conn = acquire (db, pooled, error)))
    return NULL;

  for (guint attempt = 1; result == NULL; attempt++)
    {
      g_clear_error (&local_error);
      result = job->func (conn, job->data, &local_error);
      if (result != NULL || !may_retry (db, job, local_error, attempt))
        break;
      sp_db_rollback (conn);
      g_message ("Transaction failed with SQLSTATE %s, running it again (attempt %u of %u)",
                 sp_error_get_sqlstate (local_error), attempt + 1, db->options.retry_attempts);
      back_off (attempt);
    }

  release (db, pooled, conn);
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

  if (!g_atomic_int_compare_and_exchange (&job->state, JOB_QUEUED, JOB_RUNNING))
    return;   /* its wait expired: already answered */
  if (job->wait_source != NULL)
    g_source_destroy (job->wait_source);
  if (g_task_return_error_if_cancelled (task))
    return;

  result = run (db, job, TRUE, &error);
  if (result != NULL)
    g_task_return_pointer (task, result, job->result_free);
  else
    g_task_return_error (task, error);
}

static gboolean
wait_expired_cb (gpointer user_data)
{
  GTask *task = user_data;
  Job *job = g_task_get_task_data (task);
  guint wait_ms = job->db->options.pool_wait_ms;

  if (g_atomic_int_compare_and_exchange (&job->state, JOB_QUEUED, JOB_EXPIRED))
    {
      g_message ("No database connection became free within %u ms", wait_ms);
      g_task_return_new_error (task, SP_ERROR, SP_ERROR_UNAVAILABLE,
                               "No database connection became free within %u ms", wait_ms);
    }
  return G_SOURCE_REMOVE;
}

static char *
connection_options (guint statement_timeout_ms,
                    guint lock_timeout_ms)
{
  GString *text = g_string_new ("-c client_min_messages=warning -c TimeZone=UTC -c jit=off");

  if (statement_timeout_ms > 0)
    g_string_append_printf (text, " -c statement_timeout=%u", statement_timeout_ms);
  if (lock_timeout_ms > 0)
    g_string_append_printf (text, " -c lock_timeout=%u", lock_timeout_ms);
  return g_string_free (text, FALSE);
}

/**
 * sp_db_options_from_config:
 *
 * Fills @options from the `[database]` keys of @config.
 */
void
sp_db_options_from_config (SpDbOptions    *options,
                           const SpConfig *config)
{
  options->statement_timeout_ms = (guint) config->statement_timeout_ms;
  options->lock_timeout_ms = (guint) config->lock_timeout_ms;
  options->pool_wait_ms = (guint) config->pool_wait_ms;
  options->retry_attempts = (guint) config->retry_attempts;
  options->health_interval_seconds = (guint) config->health_interval_seconds;
}

/**
 * sp_db_new:
 * @conninfo: a libpq connection string or URI
 * @pool_size: the most connections, and worker threads, to use at once
 * @options: (nullable): timeouts, wait bound, retries and health checks
 *
 * Connections are opened on first use, so a server starts even while the
 * database is down and reports it in its health endpoint.
 */
SpDb *
sp_db_new (const char        *conninfo,
           guint              pool_size,
           const SpDbOptions *options)
{
  SpDb *db = g_new0 (SpDb, 1);

  db->conninfo = g_strdup (conninfo);
  if (options != NULL)
    db->options = *options;
  db->options.retry_attempts = MAX (db->options.retry_attempts, 1);
  db->pg_options = connection_options (db->options.statement_timeout_ms, db->options.lock_timeout_ms);
  db->sync_options = connection_options (0, 0);
  db->idle = g_async_queue_new ();
  db->sync_idle = g_async_queue_new ();
  db->workers = g_thread_pool_new (worker, db, MAX (pool_size, 1), FALSE, NULL);
  db->batches = sp_db_batches_new ();
  if (db->options.health_interval_seconds > 0)
    db->health = sp_db_health_new (conninfo, db->options.health_interval_seconds);
  return db;
}

void
sp_db_free (SpDb *db)
{
  PGconn *conn;

  if (db == NULL)
    return;
  sp_db_batches_close (db->batches);
  g_thread_pool_free (db->workers, FALSE, TRUE);
  sp_db_batches_free (db->batches);
  while ((conn = g_async_queue_try_pop (db->idle)) != NULL)
    PQfinish (conn);
  while ((conn = g_async_queue_try_pop (db->sync_idle)) != NULL)
    PQfinish (conn);
  g_async_queue_unref (db->idle);
  g_async_queue_unref (db->sync_idle);
  g_clear_pointer (&db->health, sp_db_health_free);
  g_free (db->pg_options);
  g_free (db->sync_options);
  g_free (db->conninfo);
  g_free (db);
}

/* For sp-db-batch.c: the queues of the batched kinds of call. */
SpDbBatches *
sp_db_get_batches (SpDb *db)
{
  return db->batches;
}

const char *
sp_db_get_conninfo (SpDb *db)
{
  return db->conninfo;
}

/**
 * sp_db_get_health:
 * @state: (out): what the last periodic check found
 *
 * Returns: %FALSE when @db runs no health checks
 */
gboolean
sp_db_get_health (SpDb            *db,
                  SpDbHealthState *state)
{
  if (db->health == NULL)
    return FALSE;
  sp_db_health_get (db->health, state);
  return TRUE;
}

static void
queue_job (SpDb                *db,
           gboolean             retriable,
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

  job->db = db;
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  job->retriable = retriable;
  job->state = JOB_QUEUED;
  g_task_set_source_tag (task, sp_db_run_async);
  g_task_set_task_data (task, job, job_free);

  if (db->options.pool_wait_ms > 0)
    {
      job->wait_source = g_timeout_source_new (db->options.pool_wait_ms);
      g_source_set_callback (job->wait_source, wait_expired_cb, g_object_ref (task), g_object_unref);
      g_source_attach (job->wait_source, g_task_get_context (task));
    }
  g_thread_pool_push (db->workers, task, NULL);
}

/**
 * sp_db_run_async:
 * @func: the work, run on a worker thread with a connection of the pool
 * @result_free: frees the result of @func if nobody takes it
 *
 * Queues @func; @callback runs in the thread-default main context of the
 * caller. When no connection becomes free within the pool's wait bound, the
 * call fails with %SP_ERROR_UNAVAILABLE without running @func.
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
  queue_job (db, FALSE, func, data, data_free, result_free, cancellable, callback, user_data);
}

/**
 * sp_db_run_retry_async:
 *
 * Like sp_db_run_async() for a @func that is one whole transaction, which may
 * therefore run again: a serialization failure or a deadlock (SQLSTATE 40001,
 * 40P01) runs it again after a short random back-off, up to the pool's
 * `retry_attempts` runs in all. When they are spent the call fails with
 * %SP_ERROR_UNAVAILABLE.
 */
void
sp_db_run_retry_async (SpDb                *db,
                       SpDbFunc             func,
                       gpointer             data,
                       GDestroyNotify       data_free,
                       GDestroyNotify       result_free,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  queue_job (db, TRUE, func, data, data_free, result_free, cancellable, callback, user_data);
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
 * Runs @func in the calling thread, on a connection of its own without the
 * pool's timeouts (migrations may take long, and wait for another server's
 * advisory lock); for start-up and the admin tool only, never from a request
 * handler.
 */
gpointer
sp_db_run_sync (SpDb      *db,
                SpDbFunc   func,
                gpointer   data,
                GError   **error)
{
  Job job = { .db = db, .func = func, .data = data };

  return run (db, &job, FALSE, error);
}
