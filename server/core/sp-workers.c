/* sp-workers.c: a bounded pool of threads for CPU work, answered on the caller's main context */
#define G_LOG_DOMAIN "sp-workers"

#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sp-error.h"
#include "sp-workers.h"

/* Waiting work per thread before new work is refused: at about 50 ms a
 * password hash, 32 queued per thread is a second and a half of waiting. */
#define DEFAULT_QUEUED_PER_THREAD 32

/* Requests first: a burst of hashing slows the hashes, not the answers of
 * the main loop and the database threads, which run at the process's own
 * priority. Linux sets the nice value per thread. */
#define WORKER_NICE 10

struct _SpWorkers
{
  GThreadPool *pool;
  guint        n_threads;
  guint        max_pending;   /* running plus queued */
  int          pending;       /* atomic */
};

typedef struct
{
  SpWorkers      *workers;
  SpWorkFunc      func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
} Work;

/* The data goes as soon as the work is over, before the result is returned:
 * a large input (a file to hash) is not kept until the callback runs. */
static void
work_release_data (Work *work)
{
  if (work->data_free != NULL)
    g_clear_pointer (&work->data, work->data_free);
  work->data = NULL;
}

static void
work_free (gpointer pointer)
{
  Work *work = pointer;

  work_release_data (work);
  g_free (work);
}

static void
lower_priority (void)
{
  static __thread gboolean lowered;
#ifdef SYS_gettid
  id_t tid = (id_t) syscall (SYS_gettid);

  if (!lowered && setpriority (PRIO_PROCESS, tid, getpriority (PRIO_PROCESS, tid) + WORKER_NICE) != 0)
    g_debug ("Cannot lower the priority of a CPU worker: %s", g_strerror (errno));
#endif
  lowered = TRUE;
}

static void
run_cb (gpointer data,
        gpointer user_data)
{
  g_autoptr(GTask) task = data;
  SpWorkers *self = user_data;
  Work *work = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer result = NULL;

  lower_priority ();
  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    result = work->func (work->data, g_task_get_cancellable (task), &error);
  work_release_data (work);
  g_atomic_int_dec_and_test (&self->pending);

  if (result != NULL)
    g_task_return_pointer (task, result, work->result_free);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_new_error (task, SP_ERROR, SP_ERROR_INTERNAL, "CPU work returned no result");
}

/* Work still queued when the pool shuts down. */
static void
drop_cb (gpointer data)
{
  g_autoptr(GTask) task = data;
  Work *work = g_task_get_task_data (task);

  work_release_data (work);
  g_atomic_int_dec_and_test (&work->workers->pending);
  g_task_return_new_error (task, SP_ERROR, SP_ERROR_UNAVAILABLE, "The server is shutting down");
}

/**
 * sp_workers_new:
 * @n_threads: threads of the pool; 0 for one per processor
 * @max_queued: work that may wait for a thread; 0 for 32 per thread.
 *   Beyond it, sp_workers_run_async() fails at once with %SP_ERROR_UNAVAILABLE
 *   rather than letting the queue, and every caller's wait, grow.
 */
SpWorkers *
sp_workers_new (guint n_threads,
                guint max_queued)
{
  SpWorkers *self = g_new0 (SpWorkers, 1);

  self->n_threads = n_threads > 0 ? n_threads : MAX (g_get_num_processors (), 1);
  self->max_pending = self->n_threads + (max_queued > 0 ? max_queued : DEFAULT_QUEUED_PER_THREAD * self->n_threads);
  /* Exclusive: the threads, whose priority is lowered, serve no other pool. */
  self->pool = g_thread_pool_new_full (run_cb, self, drop_cb, (int) self->n_threads, TRUE, NULL);
  g_debug ("%u CPU worker threads, up to %u waiting", self->n_threads, self->max_pending - self->n_threads);
  return self;
}

/**
 * sp_workers_free:
 *
 * Waits for the work that is running; work still queued fails with
 * %SP_ERROR_UNAVAILABLE.
 */
void
sp_workers_free (SpWorkers *self)
{
  if (self == NULL)
    return;
  g_thread_pool_free (self->pool, TRUE, TRUE);
  g_free (self);
}

guint
sp_workers_get_n_threads (SpWorkers *self)
{
  return self->n_threads;
}

/**
 * sp_workers_get_pending:
 *
 * Returns: the work running or waiting now
 */
guint
sp_workers_get_pending (SpWorkers *self)
{
  return (guint) g_atomic_int_get (&self->pending);
}

/**
 * sp_workers_run_async:
 * @func: the work, run on a thread of the pool
 * @data_free: (nullable): frees @data once the work is over (on the worker
 *   thread), before @callback runs
 * @result_free: (nullable): frees the result of @func if nobody takes it
 *
 * Queues @func; @callback runs in the thread-default main context of the
 * caller. When the queue is full the task fails at once with
 * %SP_ERROR_UNAVAILABLE (503) and @func never runs.
 */
void
sp_workers_run_async (SpWorkers           *self,
                      SpWorkFunc           func,
                      gpointer             data,
                      GDestroyNotify       data_free,
                      GDestroyNotify       result_free,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Work *work;

  g_return_if_fail (self != NULL);
  g_return_if_fail (func != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  work = g_new0 (Work, 1);
  work->workers = self;
  work->func = func;
  work->data = data;
  work->data_free = data_free;
  work->result_free = result_free;
  g_task_set_source_tag (task, sp_workers_run_async);
  g_task_set_task_data (task, work, work_free);

  if ((guint) g_atomic_int_add (&self->pending, 1) >= self->max_pending)
    {
      work_release_data (work);
      g_atomic_int_dec_and_test (&self->pending);
      g_message ("CPU workers busy (%u running or waiting): work refused", self->max_pending);
      g_task_return_new_error (task, SP_ERROR, SP_ERROR_UNAVAILABLE, "The server is busy, please retry");
      return;
    }
  g_thread_pool_push (self->pool, g_steal_pointer (&task), NULL);
}

gpointer
sp_workers_run_finish (SpWorkers     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sp_workers_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
