#pragma once

/* What the files of the jobs runner share (sp-jobs.c, sp-jobs-worker.c,
 * sp-jobs-listener.c). */

#include "sp-jobs.h"

G_BEGIN_DECLS

typedef struct
{
  SpJobFunc  func;
  gpointer   user_data;
} SpJobHandler;

typedef struct
{
  SpJobs        *jobs;
  char          *name;          /* process/index: the lease's owner */
  GThread       *thread;
  GCancellable  *cancellable;   /* cancelled when the grace period ends */
  PGcancel      *pg_cancel;     /* under jobs->mutex */
  gboolean       busy;          /* under jobs->mutex: running a handler */
} SpJobWorker;

struct _SpJobs
{
  char        *conninfo;
  guint        pool_size;
  int          sweep_seconds;
  int          lease_seconds;
  int          max_attempts;
  char        *process;         /* host:pid:random, unique per process */
  GHashTable  *handlers;        /* kind → SpJobHandler */
  GStrv        kinds;           /* the keys of handlers, from sp_jobs_start() */

  GMutex       mutex;
  GCond        cond;            /* generation, stopping or a worker's busy changed */
  guint64      generation;      /* moved on by every wake-up */
  gboolean     stopping;

  GPtrArray   *workers;         /* of SpJobWorker */
  GThread     *listener;
  SpCatalogue *catalogue;       /* nullable: told of changes the listener hears */
  int          wake_fds[2];     /* interrupts the listener's poll */
};

/* The longest wait between two attempts of a failing job, and between two
 * connection attempts. */
#define SP_JOBS_BACKOFF_CAP_SECONDS   3600
#define SP_JOBS_RECONNECT_CAP_MS      30000

/* sp-jobs.c */
void         _sp_jobs_wake              (SpJobs       *self);
guint64      _sp_jobs_get_generation    (SpJobs       *self);
gboolean     _sp_jobs_wait              (SpJobs       *self,
                                         guint64       seen,
                                         gint64        timeout_ms);
gboolean     _sp_jobs_is_stopping       (SpJobs       *self);

/* sp-jobs-worker.c */
gpointer     _sp_jobs_worker_thread     (gpointer      data);

/* sp-jobs-listener.c */
gpointer     _sp_jobs_listener_thread   (gpointer      data);

G_END_DECLS
