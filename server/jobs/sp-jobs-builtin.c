/* sp-jobs-builtin.c: the server's own jobs: purging expired sessions and old finished jobs, the processing times, the others' registration */
#define G_LOG_DOMAIN "sp-jobs"

#include "config.h"

#include "sp-db-jobs-builtin.h"
#include "sp-db-metrics.h"
#include "sp-jobs-echo.h"
#include "sp-jobs-protocol.h"
#include "sp-jobs.h"

/* Done jobs stay visible this long; dead ones until someone deletes them. */
#define JOB_KEEP_DAYS 7
/* An ended session is kept a day, so that a client coming back to it is
 * told "session expired" rather than "unknown session". */
#define SESSION_KEEP_HOURS 24

/* user_data: the idle timeout in minutes. */
static gboolean
session_purge (SpJob         *job,
               PGconn        *conn,
               GCancellable  *cancellable,
               gpointer       user_data,
               GError       **error)
{
  guint deleted = 0;

  if (!sp_db_session_purge (conn, GPOINTER_TO_INT (user_data), SESSION_KEEP_HOURS, &deleted, error))
    return FALSE;
  if (deleted > 0)
    g_message ("Deleted %u sessions ended more than %d hours ago", deleted, SESSION_KEEP_HOURS);
  return TRUE;
}

static gboolean
job_purge (SpJob         *job,
           PGconn        *conn,
           GCancellable  *cancellable,
           gpointer       user_data,
           GError       **error)
{
  guint deleted = 0;

  if (!sp_db_job_purge (conn, JOB_KEEP_DAYS, &deleted, error))
    return FALSE;
  if (deleted > 0)
    g_message ("Deleted %u jobs done more than %d days ago", deleted, JOB_KEEP_DAYS);
  return TRUE;
}

/* The processing times of Metriche di utilizzo over the long windows,
 * every five minutes (server/sql/0021_metrics_processing.sql). */
static gboolean
metrics_processing (SpJob         *job,
                    PGconn        *conn,
                    GCancellable  *cancellable,
                    gpointer       user_data,
                    GError       **error)
{
  gint64 start = g_get_monotonic_time ();
  guint rows = 0;

  if (!sp_db_metrics_processing_refresh (conn, &rows, error))
    return FALSE;
  g_debug ("Computed %u processing times in %.0f ms", rows, (g_get_monotonic_time () - start) / 1000.0);
  return TRUE;
}

/**
 * sp_jobs_register_builtin:
 *
 * Registers the handlers of the server's own jobs. The periodic ones run
 * from job_schedule (server/sql/0004_jobs.sql).
 */
void
sp_jobs_register_builtin (SpJobs         *self,
                          const SpConfig *config)
{
  sp_jobs_register (self, "session-purge", session_purge, GINT_TO_POINTER (config->session_idle_minutes));
  sp_jobs_register (self, "job-purge", job_purge, NULL);
  sp_jobs_register (self, SP_DB_METRICS_PROCESSING_JOB, metrics_processing, NULL);
  sp_jobs_register_protocol (self);

  /* The tests' observable job: never registered in production. */
  if (g_strcmp0 (g_getenv ("SPORTELLO_TEST_JOBS"), "1") == 0)
    sp_jobs_register (self, "echo", sp_jobs_echo, NULL);
}
