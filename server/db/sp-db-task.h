#pragma once

/* The engine under the typed sp_db_<thing>_async() calls: runs an SpDbFunc on
 * the pool and returns its result into the caller's GTask. Private to server/db/. */

#include "sp-db.h"

G_BEGIN_DECLS

void         sp_db_task_run        (SpDb            *db,
                                    GTask           *task,
                                    SpDbFunc         func,
                                    gpointer         data,
                                    GDestroyNotify   data_free,
                                    GDestroyNotify   result_free);
gpointer     sp_db_task_finish     (GAsyncResult    *result,
                                    gpointer         source_tag,
                                    GError         **error);

G_END_DECLS
