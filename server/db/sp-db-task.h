#pragma once

/* The engine under the typed sp_db_<thing>_async() calls: runs an SpDbFunc on
 * the pool and returns its result into the caller's GTask. Private to server/db/. */

#include "sp-db.h"

G_BEGIN_DECLS

/**
 * SpDbRetry:
 * @SP_DB_ONCE: the work runs once
 * @SP_DB_RETRY: the work is one transaction, run again on a serialization
 *   failure or a deadlock (sp_db_run_retry_async())
 */
typedef enum
{
  SP_DB_ONCE,
  SP_DB_RETRY,
} SpDbRetry;

void         sp_db_task_run        (SpDb            *db,
                                    SpDbRetry        retry,
                                    GTask           *task,
                                    SpDbFunc         func,
                                    gpointer         data,
                                    GDestroyNotify   data_free,
                                    GDestroyNotify   result_free);
gpointer     sp_db_task_finish     (GAsyncResult    *result,
                                    gpointer         source_tag,
                                    GError         **error);

G_END_DECLS
