#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

typedef struct _SpDb SpDb;

/**
 * SpDbFunc:
 * @conn: a connection of the pool, owned by the calling worker thread
 * @data: the data given to sp_db_run_async()
 * @error: return location for an error
 *
 * Work done on a worker thread with one connection. It may run several
 * statements and transactions; it must leave no transaction open.
 *
 * Returns: (nullable): the result, or %NULL with @error set. A function whose
 *   result is not a pointer returns GINT_TO_POINTER (TRUE).
 */
typedef gpointer (*SpDbFunc) (PGconn   *conn,
                              gpointer  data,
                              GError  **error);

SpDb        *sp_db_new             (const char          *conninfo,
                                    guint                pool_size);
void         sp_db_free            (SpDb                *db);
const char  *sp_db_get_conninfo    (SpDb                *db);
void         sp_db_run_async       (SpDb                *db,
                                    SpDbFunc             func,
                                    gpointer             data,
                                    GDestroyNotify       data_free,
                                    GDestroyNotify       result_free,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
gpointer     sp_db_run_finish      (SpDb                *db,
                                    GAsyncResult        *result,
                                    GError             **error);
gpointer     sp_db_run_sync        (SpDb                *db,
                                    SpDbFunc             func,
                                    gpointer             data,
                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDb, sp_db_free)

G_END_DECLS
