#pragma once

/* The CPU worker pool: password hashing, PDF rendering, file hashes, CMS.
 * Work that keeps a processor busy runs here, never on the main loop and
 * never on a database thread while it holds a connection. */

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SpWorkers SpWorkers;

/**
 * SpWorkFunc:
 * @data: the data given to sp_workers_run_async()
 * @cancellable: (nullable): the caller's cancellable, to check in long work
 * @error: return location for an error
 *
 * CPU work, run on a thread of the pool.
 *
 * Returns: (nullable): the result, or %NULL with @error set. Work whose
 *   result is not a pointer returns GINT_TO_POINTER (TRUE).
 */
typedef gpointer (*SpWorkFunc) (gpointer       data,
                                GCancellable  *cancellable,
                                GError       **error);

SpWorkers   *sp_workers_new           (guint                n_threads,
                                       guint                max_queued) G_GNUC_WARN_UNUSED_RESULT;
void         sp_workers_free          (SpWorkers           *self);
guint        sp_workers_get_n_threads (SpWorkers           *self);
guint        sp_workers_get_pending   (SpWorkers           *self);
void         sp_workers_run_async     (SpWorkers           *self,
                                       SpWorkFunc           func,
                                       gpointer             data,
                                       GDestroyNotify       data_free,
                                       GDestroyNotify       result_free,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gpointer     sp_workers_run_finish    (SpWorkers           *self,
                                       GAsyncResult        *result,
                                       GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpWorkers, sp_workers_free)

G_END_DECLS
