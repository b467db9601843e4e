/* sp-db-health.c: a periodic check, on a connection and a thread of its own, of whether the database answers */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <errno.h>
#include <poll.h>

#include <libpq-fe.h>

#include "sp-db-health.h"

/* A check that has not finished in this time counts as a failure: a database
 * that takes longer to answer "SELECT 1" cannot serve requests either. */
#define CHECK_TIMEOUT_US     (2 * G_USEC_PER_SEC)
#define CONNECT_TIMEOUT      "2"
/* While the database is unreachable, look again this often (at most). */
#define RECHECK_SECONDS      1

struct _SpDbHealth
{
  char            *conninfo;
  guint            interval_seconds;
  PGconn          *conn;        /* the monitor's own; only its thread touches it */
  GThread         *thread;
  GMutex           lock;
  GCond            cond;
  gboolean         stopping;    /* under lock */
  gboolean         soon;        /* under lock */
  SpDbHealthState  state;       /* under lock */
};

static PGconn *
connect_db (SpDbHealth *self)
{
  const char * const keywords[] = { "dbname", "application_name", "connect_timeout", "options", NULL };
  const char * const values[] = { self->conninfo, "sportello-server-health", CONNECT_TIMEOUT,
                                  "-c client_min_messages=warning -c statement_timeout=2000", NULL };

  return PQconnectdbParams (keywords, values, TRUE);
}

/* Waits for an answer to what was sent, until @deadline (monotonic). */
static gboolean
wait_for_answer (PGconn *conn,
                 gint64  deadline)
{
  while (PQisBusy (conn))
    {
      struct pollfd fd = { PQsocket (conn), POLLIN, 0 };
      gint64 remaining = deadline - g_get_monotonic_time ();
      int ready;

      if (fd.fd < 0 || remaining <= 0)
        return FALSE;
      ready = poll (&fd, 1, (int) MAX (remaining / 1000, 1));
      if (ready < 0 && errno != EINTR)
        return FALSE;
      if (ready > 0 && !PQconsumeInput (conn))
        return FALSE;
    }
  return TRUE;
}

/* One "SELECT 1", bounded in time; drops the connection when it fails. */
static gboolean
probe (SpDbHealth *self)
{
  gint64 deadline = g_get_monotonic_time () + CHECK_TIMEOUT_US;
  gboolean answered = TRUE;
  PGresult *result;

  if (self->conn != NULL && PQstatus (self->conn) != CONNECTION_OK)
    g_clear_pointer (&self->conn, PQfinish);
  if (self->conn == NULL)
    self->conn = connect_db (self);

  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK
      || !PQsendQuery (self->conn, "SELECT 1") || !wait_for_answer (self->conn, deadline))
    {
      g_clear_pointer (&self->conn, PQfinish);
      return FALSE;
    }
  while ((result = PQgetResult (self->conn)) != NULL)
    {
      answered = answered && PQresultStatus (result) == PGRES_TUPLES_OK;
      PQclear (result);
    }
  if (!answered)
    g_clear_pointer (&self->conn, PQfinish);
  return answered;
}

/* Checks and records the outcome, logging only the changes. */
static void
check (SpDbHealth *self)
{
  gint64 started = g_get_monotonic_time ();
  gboolean reachable = probe (self);
  gint64 latency = g_get_monotonic_time () - started;
  gboolean was_reachable;
  gboolean first;

  g_mutex_lock (&self->lock);
  first = self->state.checked_at == 0;
  was_reachable = self->state.reachable;
  self->state.reachable = reachable;
  self->state.checked_at = g_get_real_time ();
  if (reachable)
    self->state.latency_us = latency;
  g_mutex_unlock (&self->lock);

  if (!reachable && (was_reachable || first))
    g_warning ("The database does not answer: the server reports itself degraded");
  else if (reachable && !was_reachable && !first)
    g_message ("The database answers again (%.1f ms)", latency / 1000.0);
}

static gpointer
monitor_thread (gpointer data)
{
  SpDbHealth *self = data;

  g_mutex_lock (&self->lock);
  while (!self->stopping)
    {
      guint seconds = self->state.reachable ? self->interval_seconds : MIN (self->interval_seconds, RECHECK_SECONDS);
      gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

      while (!self->stopping && !self->soon)
        if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
          break;
      if (self->stopping)
        break;
      self->soon = FALSE;

      g_mutex_unlock (&self->lock);
      check (self);
      g_mutex_lock (&self->lock);
    }
  g_mutex_unlock (&self->lock);
  return NULL;
}

/**
 * sp_db_health_new:
 * @conninfo: a libpq connection string or URI
 * @interval_seconds: time between two checks while the database answers
 *
 * Checks once before returning, so the state is known from the start, then
 * every @interval_seconds on a thread of its own (every second while the
 * database does not answer), never on the caller's.
 */
SpDbHealth *
sp_db_health_new (const char *conninfo,
                  guint       interval_seconds)
{
  SpDbHealth *self = g_new0 (SpDbHealth, 1);

  self->conninfo = g_strdup (conninfo);
  self->interval_seconds = MAX (interval_seconds, 1);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  check (self);
  self->thread = g_thread_new ("sp-db-health", monitor_thread, self);
  return self;
}

void
sp_db_health_free (SpDbHealth *self)
{
  if (self == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->thread);
  g_clear_pointer (&self->conn, PQfinish);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self->conninfo);
  g_free (self);
}

/**
 * sp_db_health_get:
 *
 * Reads the last outcome; never waits for a check.
 */
void
sp_db_health_get (SpDbHealth      *self,
                  SpDbHealthState *state)
{
  g_mutex_lock (&self->lock);
  *state = self->state;
  g_mutex_unlock (&self->lock);
}

/**
 * sp_db_health_check_soon:
 *
 * Asks for a check now rather than at the next interval: a request has just
 * failed to reach the database. Nothing changes while it is already known
 * to be unreachable.
 */
void
sp_db_health_check_soon (SpDbHealth *self)
{
  g_mutex_lock (&self->lock);
  if (self->state.reachable)
    {
      self->soon = TRUE;
      g_cond_signal (&self->cond);
    }
  g_mutex_unlock (&self->lock);
}
