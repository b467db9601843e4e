#pragma once

/* Background jobs: worker threads with connections of their own that claim
 * queued jobs (server/db/sp-db-jobs.c), woken by LISTEN/NOTIFY with a
 * periodic sweep as a fallback. Several server processes may share one
 * database: the rows decide who runs what. */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sp-catalogue.h"
#include "sp-config.h"
#include "sp-db-jobs.h"

G_BEGIN_DECLS

typedef struct _SpJobs SpJobs;

/**
 * SpJob:
 * @id: the job's row
 * @kind: its kind
 * @payload: its payload, a JSON object
 * @dedupe_key: (nullable): the key it was queued with
 * @attempts: this run included
 * @worker: the name of the worker running it (its lease)
 *
 * A job as its handler sees it.
 */
typedef struct
{
  gint64       id;
  const char  *kind;
  JsonObject  *payload;
  const char  *dedupe_key;
  int          attempts;
  const char  *worker;
} SpJob;

/**
 * SpJobFunc:
 * @conn: the worker's own connection, inside a transaction that the runner
 *   opened; on success the runner marks the job done in it and commits, so
 *   the handler's writes and the job's end are one. The handler neither
 *   commits nor rolls back.
 * @cancellable: cancelled when the server stops and its grace period is over;
 *   a handler that waits on anything else than the database watches it
 *
 * Runs one job on a worker thread. It may run again after a crash, a lost
 * lease or a failure: what it does outside the database must be idempotent.
 *
 * Returns: %TRUE when done; %FALSE with @error set to be retried later
 */
typedef gboolean (*SpJobFunc) (SpJob         *job,
                               PGconn        *conn,
                               GCancellable  *cancellable,
                               gpointer       user_data,
                               GError       **error);

SpJobs      *sp_jobs_new                (const SpConfig  *config) G_GNUC_WARN_UNUSED_RESULT;
void         sp_jobs_register           (SpJobs          *self,
                                         const char      *kind,
                                         SpJobFunc        func,
                                         gpointer         user_data);
void         sp_jobs_register_builtin   (SpJobs          *self,
                                         const SpConfig  *config);
void         sp_jobs_start              (SpJobs          *self);
void         sp_jobs_stop               (SpJobs          *self,
                                         guint            grace_seconds);
void         sp_jobs_free               (SpJobs          *self);
const char  *sp_jobs_get_process        (SpJobs          *self);
void         sp_jobs_watch_catalogue    (SpJobs          *self,
                                         SpCatalogue     *catalogue);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpJobs, sp_jobs_free)

G_END_DECLS
