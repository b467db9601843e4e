/* sp-db-batch.c: calls of one kind that queue while the database works, run together in one transaction */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-batch.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"

/*
 * A call of a batched kind joins the kind's queue. When no batch of that kind
 * is on its way, one is queued on the pool like any other work; when it runs,
 * it takes what has queued meanwhile, up to the kind's bound, and runs it in
 * one transaction: one BEGIN, one COMMIT and one set of round trips for many
 * calls. While it runs, the next calls queue for the batch after it. A call
 * waits for no timer: when the database is idle, a batch is one call.
 *
 * At most one batch of a kind runs at a time, so two batches never wait for
 * each other's row locks. When a batch fails as a whole (a statement's error,
 * a deadlock with another transaction, a lost connection), each of its calls
 * runs alone, as if there were no batches, and gets its own answer.
 */

/* The error of the calls that come once the pool is closing. */
static GError *
closing_error (void)
{
  return g_error_new_literal (SP_ERROR, SP_ERROR_UNAVAILABLE, "The server is stopping");
}

struct _SpDbBatches
{
  GMutex      lock;     /* of the table */
  GHashTable *queues;   /* SpDbBatchKind* → Queue* */
};

typedef struct
{
  gatomicrefcount      ref_count;
  SpDb                *db;
  const SpDbBatchKind *kind;
  GMutex               lock;
  GQueue               pending;   /* of Pending*, under lock */
  gboolean             running;   /* a batch is queued or running, under lock */
  gboolean             closed;    /* the pool is closing: no more batches */
} Queue;

typedef struct
{
  GTask          *task;
  SpDbBatchCall   call;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
} Pending;

static void
pending_free (Pending *pending)
{
  if (pending->call.result != NULL && pending->result_free != NULL)
    pending->result_free (pending->call.result);
  if (pending->call.data != NULL && pending->data_free != NULL)
    pending->data_free (pending->call.data);
  g_clear_error (&pending->call.error);
  g_clear_object (&pending->task);
  g_free (pending);
}

static Queue *
queue_ref (Queue *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

static void
queue_unref (Queue *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_queue_clear_full (&self->pending, (GDestroyNotify) pending_free);
  g_mutex_clear (&self->lock);
  g_free (self);
}

SpDbBatches *
sp_db_batches_new (void)
{
  SpDbBatches *self = g_new0 (SpDbBatches, 1);

  g_mutex_init (&self->lock);
  self->queues = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) queue_unref);
  return self;
}

void
sp_db_batches_free (SpDbBatches *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->queues);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static void start_batch (Queue *self);

/* Answers a call the batch decided. */
static void
answer (Pending *pending)
{
  if (pending->call.result != NULL)
    g_task_return_pointer (pending->task, g_steal_pointer (&pending->call.result), pending->result_free);
  else if (pending->call.error != NULL)
    g_task_return_error (pending->task, g_steal_pointer (&pending->call.error));
  else
    g_task_return_new_error (pending->task, G_IO_ERROR, G_IO_ERROR_FAILED, "The batch left the call unanswered");
  pending_free (pending);
}

static gboolean
answer_group_cb (gpointer data)
{
  GPtrArray *group = data;

  for (guint i = 0; i < group->len; i++)
    answer (g_ptr_array_index (group, i));
  g_ptr_array_set_size (group, 0);
  return G_SOURCE_REMOVE;
}

/* Answers @calls (of Pending*), decided, from the thread of the batch: in
 * one dispatch of the context each call's task belongs to, not one wake-up
 * of that context per call. */
static void
answer_together (GPtrArray *calls)
{
  while (calls->len > 0)
    {
      GMainContext *context = g_task_get_context (((Pending *) g_ptr_array_index (calls, 0))->task);
      GPtrArray *group = g_ptr_array_new ();

      for (guint i = 0; i < calls->len;)
        {
          Pending *pending = g_ptr_array_index (calls, i);

          if (g_task_get_context (pending->task) == context)
            g_ptr_array_add (group, g_ptr_array_steal_index (calls, i));
          else
            i++;
        }
      g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, answer_group_cb, group,
                                  (GDestroyNotify) g_ptr_array_unref);
    }
}

/* Answers @calls (of Pending*) with @error, outside the queue's lock. */
static void
answer_all (GPtrArray    *calls,
            const GError *error)
{
  for (guint i = 0; i < calls->len; i++)
    {
      Pending *pending = g_ptr_array_index (calls, i);

      pending->call.error = g_error_copy (error);
      answer (pending);
    }
}

/* Moves the queue's calls to @calls; the lock is held. */
static void
take_all (Queue     *self,
          GPtrArray *calls)
{
  Pending *pending;

  while ((pending = g_queue_pop_head (&self->pending)) != NULL)
    g_ptr_array_add (calls, pending);
}

/* Runs a call of a failed batch alone, through the pool, as an unbatched
 * call would run. */
static void
run_alone (Queue   *self,
           Pending *pending)
{
  sp_db_task_run (self->db, SP_DB_RETRY, g_steal_pointer (&pending->task), self->kind->single,
                  g_steal_pointer (&pending->call.data), pending->data_free, pending->result_free);
  pending_free (pending);
}

/* Takes the calls of the next batch, those cancelled meanwhile answered. */
static GPtrArray *
take (Queue *self)
{
  GPtrArray *taken = g_ptr_array_new ();
  g_autoptr(GPtrArray) cancelled = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  Pending *pending;

  g_mutex_lock (&self->lock);
  while (taken->len < self->kind->max_calls && (pending = g_queue_pop_head (&self->pending)) != NULL)
    g_ptr_array_add (g_cancellable_is_cancelled (g_task_get_cancellable (pending->task)) ? cancelled : taken, pending);
  g_mutex_unlock (&self->lock);

  for (guint i = 0; i < cancelled->len; i++)
    g_task_return_error_if_cancelled (((Pending *) g_ptr_array_index (cancelled, i))->task);
  return taken;
}

/* An SpDbFunc: one batch of the queue's kind. */
static gpointer
run_batch (PGconn   *conn,
           gpointer  data,
           GError  **error)
{
  Queue *self = data;
  g_autoptr(GPtrArray) taken = take (self);
  g_autoptr(GPtrArray) deferred = g_ptr_array_new ();
  g_autoptr(GPtrArray) unanswered = g_ptr_array_new ();
  g_autoptr(GPtrArray) answered = g_ptr_array_new ();
  g_autofree SpDbBatchCall **calls = g_new0 (SpDbBatchCall *, MAX (taken->len, 1));
  g_autoptr(GError) local_error = NULL;
  gboolean done = TRUE;
  gboolean closed;

  for (guint i = 0; i < taken->len; i++)
    calls[i] = &((Pending *) g_ptr_array_index (taken, i))->call;
  if (taken->len > 0 && !(done = self->kind->batch (conn, calls, taken->len, &local_error)))
    {
      sp_db_rollback (conn);
      g_message ("A batch of %u calls failed (%s): each runs alone", taken->len, local_error->message);
    }

  g_mutex_lock (&self->lock);
  closed = self->closed;
  g_mutex_unlock (&self->lock);
  for (guint i = 0; i < taken->len; i++)
    {
      Pending *pending = g_ptr_array_index (taken, i);

      if (!done && closed)
        g_ptr_array_add (unanswered, pending);
      else if (!done)
        run_alone (self, pending);
      else if (pending->call.deferred)
        g_ptr_array_add (deferred, pending);
      else
        g_ptr_array_add (answered, pending);
    }
  answer_together (answered);

  /* The deferred calls go first in the next batch, in their order. */
  g_mutex_lock (&self->lock);
  for (guint i = deferred->len; i > 0; i--)
    {
      Pending *pending = g_ptr_array_index (deferred, i - 1);

      pending->call.deferred = FALSE;
      g_queue_push_head (&self->pending, pending);
    }
  self->running = FALSE;
  if (self->closed)
    take_all (self, unanswered);
  else if (!g_queue_is_empty (&self->pending))
    start_batch (self);
  g_mutex_unlock (&self->lock);
  if (unanswered->len > 0)
    {
      g_autoptr(GError) closing = closing_error ();

      answer_all (unanswered, closing);
    }
  return GINT_TO_POINTER (TRUE);
}

/* A batch that never ran (no connection became free in time): its calls,
 * and those that queued behind it, get its error. */
static void
batch_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Queue *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) failed = g_ptr_array_new ();

  if (sp_db_run_finish (self->db, result, &error) == NULL)
    {
      g_mutex_lock (&self->lock);
      take_all (self, failed);
      self->running = FALSE;
      g_mutex_unlock (&self->lock);
      answer_all (failed, error);
    }
  queue_unref (self);
}

/* Queues the next batch on the pool; the lock is held. */
static void
start_batch (Queue *self)
{
  self->running = TRUE;
  sp_db_run_async (self->db, run_batch, queue_ref (self), (GDestroyNotify) queue_unref, NULL, NULL,
                   batch_done_cb, queue_ref (self));
}

/**
 * sp_db_batch_run:
 * @kind: the batched kind of call, static
 * @task: (transfer full): the typed call's task, its source tag set
 * @data: (transfer full): the call's data, freed with @data_free
 * @result_free: frees the call's result if nobody takes it
 *
 * Runs the call in the next batch of @kind, and returns its result, or its
 * error, through @task.
 */
void
sp_db_batch_run (SpDb                *db,
                 const SpDbBatchKind *kind,
                 GTask               *task,
                 gpointer             data,
                 GDestroyNotify       data_free,
                 GDestroyNotify       result_free)
{
  SpDbBatches *batches = sp_db_get_batches (db);
  Pending *pending = g_new0 (Pending, 1);
  gboolean closed;
  Queue *queue;

  pending->task = task;
  pending->call.data = data;
  pending->data_free = data_free;
  pending->result_free = result_free;
  g_task_set_task_data (task, db, NULL);

  g_mutex_lock (&batches->lock);
  if ((queue = g_hash_table_lookup (batches->queues, kind)) == NULL)
    {
      queue = g_new0 (Queue, 1);
      g_atomic_ref_count_init (&queue->ref_count);
      g_mutex_init (&queue->lock);
      queue->db = db;
      queue->kind = kind;
      g_hash_table_insert (batches->queues, (gpointer) kind, queue);
    }
  g_mutex_unlock (&batches->lock);

  g_mutex_lock (&queue->lock);
  closed = queue->closed;
  if (!closed)
    {
      g_queue_push_tail (&queue->pending, pending);
      if (!queue->running)
        start_batch (queue);
    }
  g_mutex_unlock (&queue->lock);
  if (closed)
    {
      pending->call.error = closing_error ();
      answer (pending);
    }
}

/**
 * sp_db_batches_close:
 *
 * Starts no more batches, before the pool closes: the calls still queued,
 * and those that come, fail with %SP_ERROR_UNAVAILABLE.
 */
void
sp_db_batches_close (SpDbBatches *self)
{
  g_autoptr(GError) closing = closing_error ();
  GHashTableIter iter;
  Queue *queue;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &queue))
    {
      g_autoptr(GPtrArray) unanswered = g_ptr_array_new ();

      g_mutex_lock (&queue->lock);
      queue->closed = TRUE;
      if (!queue->running)
        take_all (queue, unanswered);
      g_mutex_unlock (&queue->lock);
      answer_all (unanswered, closing);
    }
  g_mutex_unlock (&self->lock);
}
