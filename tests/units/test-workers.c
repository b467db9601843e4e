/* test-workers.c: the CPU worker pool: results on the caller's context, bounded threads and queue, shutdown */
#define G_LOG_DOMAIN "test-workers"

#include "config.h"

#include <gio/gio.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sp-error.h"
#include "sp-workers.h"

/* A gate the work waits at until the test opens it. */
typedef struct
{
  GMutex    mutex;
  GCond     cond;
  gboolean  open;
  guint     running;
  guint     most_running;
  guint     started;
  guint     finished;
  guint     freed;
} Gate;

static void
gate_init (Gate *gate)
{
  memset (gate, 0, sizeof *gate);
  g_mutex_init (&gate->mutex);
  g_cond_init (&gate->cond);
}

static void
gate_clear (Gate *gate)
{
  g_mutex_clear (&gate->mutex);
  g_cond_clear (&gate->cond);
}

static void
gate_open (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->open = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
}

static void
gate_wait_started (Gate  *gate,
                   guint  n)
{
  g_mutex_lock (&gate->mutex);
  while (gate->started < n)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
}

static gpointer
gated_work (gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Gate *gate = data;

  g_mutex_lock (&gate->mutex);
  gate->started++;
  gate->running++;
  gate->most_running = MAX (gate->most_running, gate->running);
  g_cond_broadcast (&gate->cond);
  while (!gate->open)
    g_cond_wait (&gate->cond, &gate->mutex);
  gate->running--;
  gate->finished++;
  g_mutex_unlock (&gate->mutex);
  return g_thread_self ();
}

static void
gate_unref (gpointer data)
{
  Gate *gate = data;

  g_mutex_lock (&gate->mutex);
  gate->freed++;
  g_mutex_unlock (&gate->mutex);
}

/* What came back to one callback. */
typedef struct
{
  SpWorkers  *workers;
  gboolean    done;
  GThread    *callback_thread;
  gpointer    result;
  GError     *error;
} Outcome;

static void
outcome_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;

  outcome->result = sp_workers_run_finish (outcome->workers, result, &outcome->error);
  outcome->callback_thread = g_thread_self ();
  outcome->done = TRUE;
}

static void
wait_all (Outcome *outcomes,
          guint    n)
{
  for (guint i = 0; i < n; i++)
    while (!outcomes[i].done)
      g_main_context_iteration (NULL, TRUE);
}

static gpointer
fails (gpointer       data,
       GCancellable  *cancellable,
       GError       **error)
{
  g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "refused by the work");
  return NULL;
}

static void
test_result_on_caller_context (void)
{
  g_autoptr(SpWorkers) workers = sp_workers_new (2, 0);
  Outcome ok = { workers }, failed = { workers };
  Gate gate;

  gate_init (&gate);
  gate.open = TRUE;
  sp_workers_run_async (workers, gated_work, &gate, gate_unref, NULL, NULL, outcome_cb, &ok);
  sp_workers_run_async (workers, fails, NULL, NULL, NULL, NULL, outcome_cb, &failed);
  wait_all (&ok, 1);
  wait_all (&failed, 1);

  /* The work ran on a thread of the pool, the callback on this one. */
  g_assert_no_error (ok.error);
  g_assert_nonnull (ok.result);
  g_assert_true (ok.result != (gpointer) g_thread_self ());
  g_assert_true (ok.callback_thread == g_thread_self ());
  g_assert_cmpuint (gate.freed, ==, 1);
  g_assert_error (failed.error, SP_ERROR, SP_ERROR_VALIDATION);
  g_assert_null (failed.result);
  g_assert_cmpuint (sp_workers_get_pending (workers), ==, 0);
  g_clear_error (&failed.error);
  gate_clear (&gate);
}

static void
test_threads_bounded (void)
{
  g_autoptr(SpWorkers) workers = sp_workers_new (3, 0);
  Outcome outcomes[12];
  Gate gate;

  gate_init (&gate);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      outcomes[i] = (Outcome) { workers };
      sp_workers_run_async (workers, gated_work, &gate, NULL, NULL, NULL, outcome_cb, &outcomes[i]);
    }
  /* Three start; the others wait for a thread. */
  gate_wait_started (&gate, 3);
  g_usleep (50 * 1000);
  g_assert_cmpuint (gate.started, ==, 3);
  g_assert_cmpuint (sp_workers_get_pending (workers), ==, G_N_ELEMENTS (outcomes));
  gate_open (&gate);
  wait_all (outcomes, G_N_ELEMENTS (outcomes));

  g_assert_cmpuint (gate.finished, ==, G_N_ELEMENTS (outcomes));
  g_assert_cmpuint (gate.most_running, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    g_assert_no_error (outcomes[i].error);
  gate_clear (&gate);
}

static void
test_queue_bounded (void)
{
  g_autoptr(SpWorkers) workers = sp_workers_new (1, 2);
  Outcome outcomes[3], refused = { 0 };
  Gate gate;

  gate_init (&gate);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      outcomes[i] = (Outcome) { workers };
      sp_workers_run_async (workers, gated_work, &gate, gate_unref, NULL, NULL, outcome_cb, &outcomes[i]);
    }
  gate_wait_started (&gate, 1);

  /* One running and two waiting: the fourth is refused at once, never run. */
  refused.workers = workers;
  sp_workers_run_async (workers, gated_work, &gate, gate_unref, NULL, NULL, outcome_cb, &refused);
  wait_all (&refused, 1);
  g_assert_error (refused.error, SP_ERROR, SP_ERROR_UNAVAILABLE);
  g_assert_cmpuint (gate.freed, ==, 1);
  g_assert_cmpuint (gate.started, ==, 1);
  g_assert_cmpuint (sp_workers_get_pending (workers), ==, 3);

  gate_open (&gate);
  wait_all (outcomes, G_N_ELEMENTS (outcomes));
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    g_assert_no_error (outcomes[i].error);
  g_assert_cmpuint (gate.finished, ==, 3);
  g_assert_cmpuint (gate.freed, ==, 4);
  g_assert_cmpuint (sp_workers_get_pending (workers), ==, 0);
  g_clear_error (&refused.error);
  gate_clear (&gate);
}

static void
test_cancelled_before_running (void)
{
  g_autoptr(SpWorkers) workers = sp_workers_new (1, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome first = { workers }, cancelled = { workers };
  Gate gate;

  gate_init (&gate);
  sp_workers_run_async (workers, gated_work, &gate, NULL, NULL, NULL, outcome_cb, &first);
  sp_workers_run_async (workers, gated_work, &gate, gate_unref, NULL, cancellable, outcome_cb, &cancelled);
  gate_wait_started (&gate, 1);
  g_cancellable_cancel (cancellable);
  gate_open (&gate);
  wait_all (&first, 1);
  wait_all (&cancelled, 1);

  g_assert_no_error (first.error);
  g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (gate.finished, ==, 1);
  g_assert_cmpuint (gate.freed, ==, 1);
  g_clear_error (&cancelled.error);
  gate_clear (&gate);
}

static gpointer
open_later (gpointer data)
{
  g_usleep (100 * 1000);
  gate_open (data);
  return NULL;
}

static void
test_shutdown (void)
{
  SpWorkers *workers = sp_workers_new (1, 0);
  Outcome outcomes[3];
  g_autoptr(GThread) opener = NULL;
  Gate gate;

  gate_init (&gate);
  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      outcomes[i] = (Outcome) { workers };
      sp_workers_run_async (workers, gated_work, &gate, gate_unref, NULL, NULL, outcome_cb, &outcomes[i]);
    }
  gate_wait_started (&gate, 1);

  /* Freeing waits for the running work; what waits is refused. */
  opener = g_thread_new ("opener", open_later, &gate);
  sp_workers_free (workers);
  g_assert_cmpuint (gate.finished, ==, 1);
  g_assert_cmpuint (gate.started, ==, 1);
  g_thread_join (g_steal_pointer (&opener));

  for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
    outcomes[i].workers = NULL;
  wait_all (outcomes, G_N_ELEMENTS (outcomes));
  g_assert_no_error (outcomes[0].error);
  for (guint i = 1; i < G_N_ELEMENTS (outcomes); i++)
    {
      g_assert_error (outcomes[i].error, SP_ERROR, SP_ERROR_UNAVAILABLE);
      g_clear_error (&outcomes[i].error);
    }
  g_assert_cmpuint (gate.freed, ==, 3);
  gate_clear (&gate);
}

static int
thread_nice (void)
{
  return getpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid));
}

/* Offset, so that a nice of 0 is not a NULL result. */
static gpointer
report_nice (gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return GINT_TO_POINTER (thread_nice () + 100);
}

static void
test_lower_priority (void)
{
  g_autoptr(SpWorkers) workers = sp_workers_new (1, 0);
  Outcome outcome = { workers };
  int here = thread_nice ();
  int there;

  sp_workers_run_async (workers, report_nice, NULL, NULL, NULL, NULL, outcome_cb, &outcome);
  wait_all (&outcome, 1);
  g_assert_no_error (outcome.error);
  there = GPOINTER_TO_INT (outcome.result) - 100;
  g_test_message ("nice here %d, on the worker %d", here, there);
  /* Requests first: the workers yield to this thread (unless it is already at the floor). */
  g_assert_cmpint (there, ==, MIN (here + 10, 19));
  g_assert_cmpint (thread_nice (), ==, here);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/workers/result-on-caller-context", test_result_on_caller_context);
  g_test_add_func ("/sportello/workers/threads-bounded", test_threads_bounded);
  g_test_add_func ("/sportello/workers/queue-bounded", test_queue_bounded);
  g_test_add_func ("/sportello/workers/cancelled-before-running", test_cancelled_before_running);
  g_test_add_func ("/sportello/workers/shutdown", test_shutdown);
  g_test_add_func ("/sportello/workers/lower-priority", test_lower_priority);

  return g_test_run ();
}
