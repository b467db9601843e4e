#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

#include "sp-config.h"
#include "sp-db-health.h"

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

/**
 * SpDbOptions:
 * @statement_timeout_ms: `statement_timeout` of every connection; 0 for none
 * @lock_timeout_ms: `lock_timeout` of every connection; 0 for none
 * @pool_wait_ms: longest a call waits for a free connection before it fails
 *   with %SP_ERROR_UNAVAILABLE; 0 to wait as long as it takes
 * @retry_attempts: runs, the first included, of a call made with
 *   sp_db_run_retry_async() that fails with a serialization failure or a deadlock
 * @health_interval_seconds: time between two checks of the database on a
 *   connection of their own (sp_db_get_health()); 0 for no checks
 *
 * How the pool serves interactive requests. %NULL options (the admin tool):
 * no timeouts, no bound on the wait, no retry, no health checks.
 */
typedef struct
{
  guint statement_timeout_ms;
  guint lock_timeout_ms;
  guint pool_wait_ms;
  guint retry_attempts;
  guint health_interval_seconds;
} SpDbOptions;

void         sp_db_options_from_config (SpDbOptions     *options,
                                    const SpConfig      *config);
SpDb        *sp_db_new             (const char          *conninfo,
                                    guint                pool_size,
                                    const SpDbOptions   *options);
gboolean     sp_db_get_health      (SpDb                *db,
                                    SpDbHealthState     *state);
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
void         sp_db_run_retry_async (SpDb                *db,
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
