/* sp-db-task.c: runs the typed database calls on the pool (sp_db_run_async) and returns into their GTask */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-task.h"

typedef struct
{
  GTask          *task;
  GDestroyNotify  result_free;
} Pending;

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GTask) task = pending->task;
  SpDb *db = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer value = sp_db_run_finish (db, result, &error);

  if (value != NULL)
    g_task_return_pointer (task, value, pending->result_free);
  else
    g_task_return_error (task, error);
  g_free (pending);
}

/**
 * sp_db_task_run:
 * @task: (transfer full): the typed call's task, its source tag set
 * @func: the work, run on a worker thread with a pooled connection
 * @data: (transfer full): @func's data, freed with @data_free
 * @result_free: frees @func's result if nobody takes it
 *
 * Runs @func under @task's cancellable and returns its result, or its error,
 * through @task.
 */
void
sp_db_task_run (SpDb           *db,
                GTask          *task,
                SpDbFunc        func,
                gpointer        data,
                GDestroyNotify  data_free,
                GDestroyNotify  result_free)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->task = task;
  pending->result_free = result_free;
  g_task_set_task_data (task, db, NULL);
  sp_db_run_async (db, func, data, data_free, result_free, g_task_get_cancellable (task), run_cb, pending);
}

/**
 * sp_db_task_finish:
 * @source_tag: the typed call's _async function
 *
 * Returns: (transfer full): the result of the call started with @source_tag
 */
gpointer
sp_db_task_finish (GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
