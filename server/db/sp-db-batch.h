#pragma once

/* Calls of one kind that arrive while the database is busy, run together in
 * one transaction (group commit). Private to server/db/. */

#include "sp-db.h"

G_BEGIN_DECLS

/**
 * SpDbBatchCall:
 * @data: the call's own data
 * @result: set by the batch: the call's result (non-%NULL), or
 * @error: set by the batch: why the call was refused, or
 * @deferred: set by the batch: the call waits for the next batch (it names
 *   what an earlier call of this batch changes)
 *
 * One call in a batch.
 */
typedef struct
{
  gpointer  data;
  gpointer  result;
  GError   *error;
  gboolean  deferred;
} SpDbBatchCall;

/**
 * SpDbBatchFunc:
 * @calls: (array length=n_calls): the calls, in the order they came
 *
 * Runs @calls in one transaction of its own on @conn, committed before it
 * returns TRUE, each call with its result, its error or deferred. A call
 * refused with an error must have written nothing.
 *
 * Returns: %FALSE with @error set when the transaction failed as a whole:
 *   it is rolled back, and every call then runs alone.
 */
typedef gboolean (*SpDbBatchFunc) (PGconn         *conn,
                                   SpDbBatchCall **calls,
                                   guint           n_calls,
                                   GError        **error);

/**
 * SpDbBatchKind:
 * @batch: runs many calls in one transaction
 * @single: runs one call alone, in a transaction of its own (run again on a
 *   serialization failure or a deadlock), for the calls of a batch that failed
 * @max_calls: the most calls in one batch
 */
typedef struct
{
  SpDbBatchFunc batch;
  SpDbFunc      single;
  guint         max_calls;
} SpDbBatchKind;

typedef struct _SpDbBatches SpDbBatches;

SpDbBatches *sp_db_batches_new     (void);
void         sp_db_batches_close   (SpDbBatches          *self);
void         sp_db_batches_free    (SpDbBatches          *self);
SpDbBatches *sp_db_get_batches     (SpDb                 *db);

void         sp_db_batch_run       (SpDb                 *db,
                                    const SpDbBatchKind  *kind,
                                    GTask                *task,
                                    gpointer              data,
                                    GDestroyNotify        data_free,
                                    GDestroyNotify        result_free);

G_END_DECLS
