#pragma once

/* Typed calls on the pool: each database file's sp_db_<thing>_async() is a
 * GTask of its own, tagged with that function, so that its _finish() checks
 * the result it is given. */

#include "sp-db.h"

G_BEGIN_DECLS

void         sp_db_call_async      (SpDb                *db,
                                    gpointer             source_tag,
                                    SpDbFunc             func,
                                    gpointer             data,
                                    GDestroyNotify       data_free,
                                    GDestroyNotify       result_free,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gpointer     sp_db_call_finish     (GAsyncResult        *result,
                                    gpointer             source_tag,
                                    GError             **error);

G_END_DECLS
