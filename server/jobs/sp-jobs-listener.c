/* sp-jobs-listener.c: LISTEN for new jobs and wake the workers, and for changes of the catalogue; the periodic sweep */
#define G_LOG_DOMAIN "sp-jobs"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include "sp-jobs-private.h"

static PGconn *
listen_connect (SpJobs  *self,
                GError **error)
{
  PGconn *conn = sp_db_jobs_connect (self->conninfo, 0, error);

  if (conn != NULL && !sp_db_jobs_listen (conn, error))
    g_clear_pointer (&conn, sp_db_jobs_disconnect);
  return conn;
}

/* Queues the periodic jobs that came due and sets aside jobs whose worker
 * died on their last attempt. */
static void
sweep (SpJobs *self,
       PGconn *conn)
{
  g_autoptr(GError) error = NULL;
  guint queued = 0;

  if (!sp_db_jobs_schedule_due (conn, (const char * const *) self->kinds, &queued, &error)
      || !sp_db_jobs_bury_expired (conn, self->max_attempts, NULL, &error))
    g_warning ("Jobs sweep: %s", error->message);
  else if (queued > 0)
    g_debug ("Queued %u periodic jobs", queued);
}

/* Waits for a notification, the stop, or @timeout_ms; tells the catalogue
 * of its changes.
 * Returns: notifications of jobs received, or -1 if the connection is lost */
static int
wait_for_notifies (SpJobs *self,
                   PGconn *conn,
                   gint64  timeout_ms)
{
  g_autoptr(GError) error = NULL;
  GPollFD fds[2] = {
    { self->wake_fds[0], G_IO_IN, 0 },
    { conn != NULL ? sp_db_jobs_get_socket (conn) : -1, G_IO_IN | G_IO_HUP | G_IO_ERR, 0 },
  };
  char drain[16];
  guint catalogue = 0;
  int n;

  if (g_poll (fds, conn != NULL ? 2 : 1, (int) CLAMP (timeout_ms, 0, G_MAXINT)) < 0 && errno != EINTR)
    g_warning ("Jobs listener: poll: %s", g_strerror (errno));
  if (fds[0].revents != 0)
    while (read (self->wake_fds[0], drain, sizeof drain) > 0)
      ;
  if (conn == NULL || fds[1].revents == 0)
    return 0;

  if ((n = sp_db_jobs_read_notifies (conn, &catalogue, &error)) < 0)
    g_warning ("Jobs listener: %s", error->message);
  if (catalogue > 0 && self->catalogue != NULL)
    sp_catalogue_changed (self->catalogue);
  return n;
}

gpointer
_sp_jobs_listener_thread (gpointer data)
{
  SpJobs *self = data;
  PGconn *conn = NULL;
  gint64 backoff_ms = 500;
  gint64 next_sweep = 0;
  gint64 next_connect = 0;
  gboolean warned = FALSE;

  while (!_sp_jobs_is_stopping (self))
    {
      gint64 now = g_get_monotonic_time ();
      gint64 timeout_ms;
      int n;

      if (conn == NULL && now >= next_connect)
        {
          g_autoptr(GError) error = NULL;

          if ((conn = listen_connect (self, &error)) != NULL)
            {
              if (self->catalogue != NULL)
                sp_catalogue_set_live (self->catalogue, TRUE);
              if (warned)
                g_message ("Jobs listener connected again");
              warned = FALSE;
              backoff_ms = 500;
              next_sweep = now;   /* notifications may have been missed meanwhile */
            }
          else
            {
              if (!warned)
                g_warning ("Jobs listener: %s; retrying", error->message);
              warned = TRUE;
              next_connect = now + backoff_ms * G_TIME_SPAN_MILLISECOND;
              backoff_ms = MIN (backoff_ms * 2, SP_JOBS_RECONNECT_CAP_MS);
            }
        }

      if (conn != NULL && now >= next_sweep)
        {
          sweep (self, conn);
          _sp_jobs_wake (self);
          next_sweep = now + self->sweep_seconds * G_TIME_SPAN_SECOND;
        }

      timeout_ms = ((conn != NULL ? next_sweep : next_connect) - now) / G_TIME_SPAN_MILLISECOND;
      n = wait_for_notifies (self, conn, MAX (timeout_ms, 1));
      if (n > 0)
        _sp_jobs_wake (self);
      if (n < 0 || (conn != NULL && !sp_db_jobs_connection_ok (conn)))
        {
          g_clear_pointer (&conn, sp_db_jobs_disconnect);
          if (self->catalogue != NULL)
            sp_catalogue_set_live (self->catalogue, FALSE);
          next_connect = g_get_monotonic_time ();
          _sp_jobs_wake (self);   /* the workers find out about the database themselves */
        }
    }

  if (self->catalogue != NULL)
    sp_catalogue_set_live (self->catalogue, FALSE);
  sp_db_jobs_disconnect (conn);
  return NULL;
}
