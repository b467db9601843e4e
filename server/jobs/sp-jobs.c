/* sp-jobs.c: the jobs runner's lifecycle: handlers by kind, its threads, wake-ups and a clean stop */
#define G_LOG_DOMAIN "sp-jobs"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <unistd.h>

#include "sp-jobs-private.h"

static void
worker_free (gpointer data)
{
  SpJobWorker *worker = data;

  g_free (worker->name);
  g_clear_object (&worker->cancellable);
  g_free (worker);
}

/**
 * sp_jobs_new:
 *
 * A runner with no handlers and no threads yet: register handlers, then
 * sp_jobs_start().
 */
SpJobs *
sp_jobs_new (const SpConfig *config)
{
  SpJobs *self = g_new0 (SpJobs, 1);
  g_autofree char *host = g_strdup (g_get_host_name ());

  self->conninfo = g_strdup (config->database);
  self->pool_size = MAX (config->jobs_pool_size, 1);
  self->sweep_seconds = MAX (config->jobs_sweep_seconds, 1);
  self->lease_seconds = MAX (config->jobs_lease_seconds, 1);
  self->max_attempts = MAX (config->jobs_max_attempts, 1);
  /* The workers' names start with it: "/" ends it, so that no process's name
   * is the prefix of another's. */
  g_strdelimit (host, "/", '-');
  self->process = g_strdup_printf ("%s:%d:%08x", host, (int) getpid (), g_random_int ());
  self->handlers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->workers = g_ptr_array_new_with_free_func (worker_free);
  self->wake_fds[0] = self->wake_fds[1] = -1;
  return self;
}

/**
 * sp_jobs_register:
 * @kind: the kind of job @func runs
 *
 * Before sp_jobs_start(). A process claims only the kinds it has handlers
 * for, so processes of two versions can share a database.
 */
void
sp_jobs_register (SpJobs     *self,
                  const char *kind,
                  SpJobFunc   func,
                  gpointer    user_data)
{
  SpJobHandler *handler = g_new0 (SpJobHandler, 1);

  g_return_if_fail (self->kinds == NULL);
  handler->func = func;
  handler->user_data = user_data;
  g_hash_table_replace (self->handlers, g_strdup (kind), handler);
}

const char *
sp_jobs_get_process (SpJobs *self)
{
  return self->process;
}

/**
 * sp_jobs_watch_catalogue:
 * @catalogue: (transfer none): outlives @self
 *
 * Before sp_jobs_start(): the listener tells @catalogue of the changes it
 * hears, and whether it hears them.
 */
void
sp_jobs_watch_catalogue (SpJobs      *self,
                         SpCatalogue *catalogue)
{
  g_return_if_fail (self->listener == NULL);
  self->catalogue = catalogue;
}

/**
 * sp_jobs_start:
 *
 * Starts the listener and the workers. They connect on their own and keep
 * trying while the database is away: the server starts all the same.
 */
void
sp_jobs_start (SpJobs *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (self->kinds == NULL);

  self->kinds = (GStrv) g_hash_table_get_keys_as_array (self->handlers, NULL);
  for (guint i = 0; self->kinds[i] != NULL; i++)
    self->kinds[i] = g_strdup (self->kinds[i]);

  if (!g_unix_open_pipe (self->wake_fds, FD_CLOEXEC, &error)
      || !g_unix_set_fd_nonblocking (self->wake_fds[0], TRUE, &error)
      || !g_unix_set_fd_nonblocking (self->wake_fds[1], TRUE, &error))
    g_error ("Cannot create the jobs' wake-up pipe: %s", error->message);

  for (guint i = 0; i < self->pool_size; i++)
    {
      SpJobWorker *worker = g_new0 (SpJobWorker, 1);

      worker->jobs = self;
      worker->name = g_strdup_printf ("%s/%u", self->process, i);
      worker->cancellable = g_cancellable_new ();
      g_ptr_array_add (self->workers, worker);
      worker->thread = g_thread_new ("sp-job-worker", _sp_jobs_worker_thread, worker);
    }
  self->listener = g_thread_new ("sp-job-listener", _sp_jobs_listener_thread, self);
  g_message ("Jobs: %u workers as %s, sweep every %d s, lease %d s",
             self->pool_size, self->process, self->sweep_seconds, self->lease_seconds);
}

/* Wakes every worker: a job may be claimable. */
void
_sp_jobs_wake (SpJobs *self)
{
  g_mutex_lock (&self->mutex);
  self->generation++;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

guint64
_sp_jobs_get_generation (SpJobs *self)
{
  guint64 generation;

  g_mutex_lock (&self->mutex);
  generation = self->generation;
  g_mutex_unlock (&self->mutex);
  return generation;
}

gboolean
_sp_jobs_is_stopping (SpJobs *self)
{
  gboolean stopping;

  g_mutex_lock (&self->mutex);
  stopping = self->stopping;
  g_mutex_unlock (&self->mutex);
  return stopping;
}

/**
 * _sp_jobs_wait:
 * @seen: the generation seen before the worker last looked for work
 *
 * Waits until a wake-up after @seen, the stop, or @timeout_ms.
 *
 * Returns: %FALSE if the runner is stopping
 */
gboolean
_sp_jobs_wait (SpJobs  *self,
               guint64  seen,
               gint64   timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + MAX (timeout_ms, 0) * G_TIME_SPAN_MILLISECOND;
  gboolean running;

  g_mutex_lock (&self->mutex);
  while (!self->stopping && self->generation == seen)
    if (!g_cond_wait_until (&self->cond, &self->mutex, deadline))
      break;
  running = !self->stopping;
  g_mutex_unlock (&self->mutex);
  return running;
}

static gboolean
any_busy (SpJobs *self)
{
  for (guint i = 0; i < self->workers->len; i++)
    if (((SpJobWorker *) g_ptr_array_index (self->workers, i))->busy)
      return TRUE;
  return FALSE;
}

/* Whatever a worker could not give back itself (its connection was gone). */
static void
release_leftovers (SpJobs *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = g_strconcat (self->process, "/", NULL);
  PGconn *conn = sp_db_jobs_connect (self->conninfo, 0, &error);
  guint released = 0;

  if (conn == NULL || !sp_db_jobs_release_all (conn, prefix, &released, &error))
    g_warning ("Cannot release this process's jobs (their leases will expire): %s", error->message);
  else if (released > 0)
    g_message ("Released %u jobs left held", released);
  sp_db_jobs_disconnect (conn);
}

/**
 * sp_jobs_stop:
 * @grace_seconds: how long running handlers may take to finish
 *
 * Stops claiming, lets running handlers finish within @grace_seconds, then
 * cancels the others (their statements too), whose jobs are released for
 * another process. Blocks until every thread has ended.
 */
void
sp_jobs_stop (SpJobs *self,
              guint   grace_seconds)
{
  gint64 deadline = g_get_monotonic_time () + grace_seconds * G_TIME_SPAN_SECOND;
  gboolean cancelled = FALSE;

  if (self->kinds == NULL || self->listener == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->stopping = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  if (write (self->wake_fds[1], "x", 1) < 0)
    g_debug ("Cannot wake the jobs' listener: %s", g_strerror (errno));
  g_clear_pointer (&self->listener, g_thread_join);

  g_mutex_lock (&self->mutex);
  while (any_busy (self))
    if (!g_cond_wait_until (&self->cond, &self->mutex, deadline))
      break;
  for (guint i = 0; i < self->workers->len; i++)
    {
      SpJobWorker *worker = g_ptr_array_index (self->workers, i);

      if (worker->busy)
        {
          g_cancellable_cancel (worker->cancellable);
          sp_db_jobs_cancel (worker->pg_cancel);
          cancelled = TRUE;
        }
    }
  g_mutex_unlock (&self->mutex);
  if (cancelled)
    g_message ("Jobs still running after %u s: cancelled", grace_seconds);

  for (guint i = 0; i < self->workers->len; i++)
    g_clear_pointer (&((SpJobWorker *) g_ptr_array_index (self->workers, i))->thread, g_thread_join);
  release_leftovers (self);
}

void
sp_jobs_free (SpJobs *self)
{
  if (self == NULL)
    return;
  sp_jobs_stop (self, 0);
  g_ptr_array_unref (self->workers);
  for (guint i = 0; i < 2; i++)
    if (self->wake_fds[i] >= 0)
      close (self->wake_fds[i]);
  g_hash_table_unref (self->handlers);
  g_strfreev (self->kinds);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self->process);
  g_free (self->conninfo);
  g_free (self);
}
