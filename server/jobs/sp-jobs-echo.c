/* sp-jobs-echo.c: the tests' observable job (SPORTELLO_TEST_JOBS=1 only): waits, fails or records its run */
#define G_LOG_DOMAIN "sp-jobs"

#include "config.h"

#include "sp-db-jobs-builtin.h"
#include "sp-error.h"
#include "sp-jobs-echo.h"

/* Sleeps @ms; FALSE if @cancellable fired first. */
static gboolean
sleep_cancellable (gint64         ms,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  GPollFD fd;

  if (!g_cancellable_make_pollfd (cancellable, &fd))
    {
      g_usleep (ms * G_TIME_SPAN_MILLISECOND);
      return TRUE;
    }
  while (!g_cancellable_is_cancelled (cancellable) && g_get_monotonic_time () < deadline)
    g_poll (&fd, 1, (int) MAX ((deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND, 1));
  g_cancellable_release_fd (cancellable);
  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/**
 * sp_jobs_echo: (SpJobFunc)
 *
 * The payload says what to do: `sleep_ms` (on the attempts up to
 * `sleep_attempts`, every one by default), then fail if `fail` is true, else
 * record the run in the payload (`runs`, `ran_by`; sp_db_job_echo_record()).
 */
gboolean
sp_jobs_echo (SpJob         *job,
              PGconn        *conn,
              GCancellable  *cancellable,
              gpointer       user_data,
              GError       **error)
{
  gint64 sleep_ms = json_object_get_int_member_with_default (job->payload, "sleep_ms", 0);
  gint64 sleep_attempts = json_object_get_int_member_with_default (job->payload, "sleep_attempts", G_MAXINT);

  if (sleep_ms > 0 && job->attempts <= sleep_attempts
      && !sleep_cancellable (sleep_ms, cancellable, error))
    return FALSE;
  if (json_object_get_boolean_member_with_default (job->payload, "fail", FALSE))
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "echo asked to fail on attempt %d", job->attempts);
      return FALSE;
    }
  return sp_db_job_echo_record (conn, job->id, job->worker, error);
}
