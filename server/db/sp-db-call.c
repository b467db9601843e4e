/* sp-db-call.c: typed asynchronous calls on the connection pool, each its own tagged GTask */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-call.h"

typedef struct
{
  SpDb           *db;
  GDestroyNotify  result_free;
} Call;

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer value = sp_db_run_finish (call->db, result, &error);

  if (value != NULL)
    g_task_return_pointer (task, value, call->result_free);
  else
    g_task_return_error (task, error);
}

/**
 * sp_db_call_async:
 * @source_tag: the typed function, checked by sp_db_call_finish()
 *
 * sp_db_run_async() in a task of its own.
 */
void
sp_db_call_async (SpDb                *db,
                  gpointer             source_tag,
                  SpDbFunc             func,
                  gpointer             data,
                  GDestroyNotify       data_free,
                  GDestroyNotify       result_free,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  call->db = db;
  call->result_free = result_free;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, g_free);
  sp_db_run_async (db, func, data, data_free, result_free, cancellable, call_cb, task);
}

gpointer
sp_db_call_finish (GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
