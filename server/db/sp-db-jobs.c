/* sp-db-jobs.c: SQL and libpq of the job queue: enqueue, claim with a lease, finish, fail, release */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-jobs.h"
#include "sp-db-util.h"
#include "sp-error.h"

void
sp_db_job_free (SpDbJob *job)
{
  if (job == NULL)
    return;
  g_free (job->kind);
  g_free (job->payload);
  g_free (job->dedupe_key);
  g_free (job);
}

/* A text[] literal of @kinds (job kinds are [a-z0-9-], quoted all the same). */
static char *
kinds_array (const char * const *kinds)
{
  GString *text = g_string_new ("{");

  for (guint i = 0; kinds != NULL && kinds[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append_c (text, '"');
      for (const char *p = kinds[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (text, '\\');
          g_string_append_c (text, *p);
        }
      g_string_append_c (text, '"');
    }
  g_string_append_c (text, '}');
  return g_string_free (text, FALSE);
}

static guint
affected (PGresult *result)
{
  return (guint) g_ascii_strtoull (PQcmdTuples (result), NULL, 10);
}

/**
 * sp_db_job_enqueue:
 * @kind: the handler's kind, e.g. `session-purge`
 * @payload: (nullable): JSON text for the handler, `{}` when %NULL
 * @dedupe_key: (nullable): with @kind, at most one job ever: a second
 *   enqueue with the same key queues nothing
 * @run_at: (nullable): not before this time; now when %NULL
 * @out_id: (out) (optional): the new job, or 0 when @dedupe_key already had one
 *
 * Queues a job in the caller's transaction, if one is open: the job is
 * claimable once that transaction commits, and the workers of every server
 * process are notified then.
 */
gboolean
sp_db_job_enqueue (PGconn      *conn,
                   const char  *kind,
                   const char  *payload,
                   const char  *dedupe_key,
                   GDateTime   *run_at,
                   gint64      *out_id,
                   GError     **error)
{
  g_autofree char *when = run_at != NULL ? g_date_time_format_iso8601 (run_at) : NULL;
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (kind != NULL, FALSE);

  result = sp_db_exec (conn,
                       "INSERT INTO job (kind, payload, dedupe_key, run_at)"
                       " VALUES ($1, coalesce ($2::jsonb, '{}'), $3, coalesce ($4::timestamptz, now ()))"
                       " ON CONFLICT (kind, dedupe_key) DO NOTHING"
                       " RETURNING id",
                       4, SP_DB_PARAMS (kind, payload, dedupe_key, when), error);
  if (result == NULL)
    return FALSE;
  if (out_id != NULL)
    *out_id = PQntuples (result) > 0 ? sp_db_get_int64 (result, 0, 0) : 0;
  return TRUE;
}

/**
 * sp_db_jobs_connect:
 * @statement_timeout_ms: the longest a statement may run, 0 for no limit
 *
 * Opens a connection of the jobs' own, apart from the pool that serves requests.
 */
PGconn *
sp_db_jobs_connect (const char  *conninfo,
                    int          statement_timeout_ms,
                    GError     **error)
{
  g_autofree char *options = g_strdup_printf ("-c client_min_messages=warning -c TimeZone=UTC -c jit=off"
                                              " -c statement_timeout=%d", MAX (statement_timeout_ms, 0));
  const char * const keywords[] = { "dbname", "application_name", "connect_timeout", "options", NULL };
  const char * const values[] = { conninfo, "sportello-jobs", "5", options, NULL };
  g_autoptr(PGconn) conn = PQconnectdbParams (keywords, values, TRUE);

  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strdup (conn != NULL ? PQerrorMessage (conn) : "out of memory");

      g_set_error (error, SP_ERROR, SP_ERROR_UNAVAILABLE, "Cannot connect to the database: %s",
                   g_strchomp (message));
      return NULL;
    }
  return g_steal_pointer (&conn);
}

gboolean
sp_db_jobs_connection_ok (PGconn *conn)
{
  return conn != NULL && !sp_db_connection_lost (conn);
}

void
sp_db_jobs_disconnect (PGconn *conn)
{
  if (conn != NULL)
    PQfinish (conn);
}

/**
 * sp_db_jobs_cancel_new:
 *
 * What sp_db_jobs_cancel() needs to interrupt the statement running on
 * @conn; call it on the thread that owns @conn.
 */
PGcancel *
sp_db_jobs_cancel_new (PGconn *conn)
{
  return PQgetCancel (conn);
}

/**
 * sp_db_jobs_cancel:
 *
 * Asks the server to cancel the statement running on the connection, if
 * any; safe from any thread.
 */
void
sp_db_jobs_cancel (PGcancel *cancel)
{
  char message[256];

  if (cancel != NULL && !PQcancel (cancel, message, sizeof message))
    g_debug ("Cannot cancel a job's statement: %s", message);
}

void
sp_db_jobs_cancel_free (PGcancel *cancel)
{
  if (cancel != NULL)
    PQfreeCancel (cancel);
}

gboolean
sp_db_jobs_listen (PGconn  *conn,
                   GError **error)
{
  return sp_db_command (conn, "LISTEN " SP_DB_JOBS_CHANNEL, 0, NULL, error)
         && sp_db_command (conn, "LISTEN " SP_DB_CATALOGUE_CHANNEL, 0, NULL, error);
}

/* The descriptor to poll for notifications, -1 without a connection. */
int
sp_db_jobs_get_socket (PGconn *conn)
{
  return PQsocket (conn);
}

/**
 * sp_db_jobs_read_notifies:
 *
 * @catalogue: (out): how many of them announced a change of the catalogue
 *
 * Reads what arrived on the socket without blocking.
 *
 * Returns: the notifications of jobs received, -1 with @error set if the
 *   connection is lost
 */
int
sp_db_jobs_read_notifies (PGconn  *conn,
                          guint   *catalogue,
                          GError **error)
{
  PGnotify *notify;
  int n = 0;

  if (!PQconsumeInput (conn) || sp_db_connection_lost (conn))
    {
      g_autofree char *message = g_strdup (PQerrorMessage (conn));

      g_set_error (error, SP_ERROR, SP_ERROR_UNAVAILABLE, "Lost the database connection: %s",
                   g_strchomp (message));
      return -1;
    }
  *catalogue = 0;
  while ((notify = PQnotifies (conn)) != NULL)
    {
      if (g_strcmp0 (notify->relname, SP_DB_CATALOGUE_CHANNEL) == 0)
        (*catalogue)++;
      else
        n++;
      PQfreemem (notify);
    }
  return n;
}

/* In how many milliseconds the next job of @kinds becomes claimable, or
 * G_MAXINT64 if none is queued. */
static gboolean
next_due (PGconn       *conn,
          const char   *kinds,
          const char   *max_attempts,
          gint64       *next_due_ms,
          GError      **error)
{
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "SELECT ceil (extract (epoch FROM min (greatest (run_at, locked_until)) - now ()) * 1000)::bigint"
                       " FROM job WHERE state = 'queued' AND kind = ANY ($1::text[])"
                       " AND attempts < coalesce (max_attempts, $2::integer)",
                       2, SP_DB_PARAMS (kinds, max_attempts), error);
  if (result == NULL)
    return FALSE;
  *next_due_ms = sp_db_get (result, 0, 0) != NULL ? sp_db_get_int64 (result, 0, 0) : G_MAXINT64;
  return TRUE;
}

/**
 * sp_db_jobs_claim:
 * @kinds: the kinds this process has handlers for
 * @worker: who claims: the lease is recorded under this name
 * @next_due_ms: (out): when nothing is claimable, in how many milliseconds
 *   the next job will be (G_MAXINT64: none queued)
 *
 * Claims the due job that waited longest and commits the claim: the job is
 * this worker's until its lease ends. A job whose lease expired (its process
 * died) is due again. Rows that another worker is claiming are skipped.
 *
 * Returns: (transfer full) (nullable): the job, or %NULL (@error unset when
 *   nothing is due)
 */
SpDbJob *
sp_db_jobs_claim (PGconn              *conn,
                  const char * const  *kinds,
                  const char          *worker,
                  int                  lease_seconds,
                  int                  max_attempts,
                  gint64              *next_due_ms,
                  GError             **error)
{
  g_autofree char *array = kinds_array (kinds);
  g_autofree char *lease = g_strdup_printf ("%d", lease_seconds);
  g_autofree char *max = g_strdup_printf ("%d", max_attempts);
  g_autoptr(PGresult) result = NULL;
  SpDbJob *job;

  *next_due_ms = G_MAXINT64;
  /* The claim must walk job_queued_idx in run_at order and stop at the first
   * free job, whatever the statistics say: after a burst queued since the
   * last ANALYZE (10,000 e-mails at once) the planner, expecting a handful of
   * queued rows, read and sorted all of them on every claim instead (26 ms a
   * claim on a loaded machine, quadratic in the burst). Hence the claim's own
   * transaction, where only that plan is allowed. */
  if (!sp_db_begin (conn, error)
      || !sp_db_command (conn, "SELECT set_config ('enable_bitmapscan', 'off', true),"
                               " set_config ('enable_seqscan', 'off', true)", 0, NULL, error))
    {
      sp_db_rollback (conn);
      return NULL;
    }
  result = sp_db_exec (conn,
                       "WITH next AS ("
                       "  SELECT id FROM job"
                       "  WHERE state = 'queued' AND run_at <= now ()"
                       "    AND (locked_until IS NULL OR locked_until < now ())"
                       "    AND kind = ANY ($1::text[])"
                       "    AND attempts < coalesce (max_attempts, $4::integer)"
                       "  ORDER BY run_at LIMIT 1"
                       "  FOR UPDATE SKIP LOCKED)"
                       " UPDATE job SET attempts = job.attempts + 1, locked_by = $2,"
                       "   locked_until = now () + $3::integer * interval '1 second'"
                       " FROM next WHERE job.id = next.id"
                       " RETURNING job.id, job.kind, job.payload::text, job.dedupe_key, job.attempts",
                       4, SP_DB_PARAMS (array, worker, lease, max), error);
  if (result == NULL)
    {
      sp_db_rollback (conn);
      return NULL;
    }
  if (!sp_db_commit (conn, error))
    return NULL;
  if (PQntuples (result) == 0)
    {
      next_due (conn, array, max, next_due_ms, error);
      return NULL;
    }

  job = g_new0 (SpDbJob, 1);
  job->id = sp_db_get_int64 (result, 0, 0);
  job->kind = g_strdup (sp_db_get (result, 0, 1));
  job->payload = g_strdup (sp_db_get (result, 0, 2));
  job->dedupe_key = g_strdup (sp_db_get (result, 0, 3));
  job->attempts = (int) sp_db_get_int64 (result, 0, 4);
  return job;
}

/**
 * sp_db_jobs_begin:
 *
 * Opens the transaction in which a handler runs; sp_db_jobs_finish() commits
 * it, sp_db_jobs_rollback() drops it.
 */
gboolean
sp_db_jobs_begin (PGconn  *conn,
                  GError **error)
{
  return sp_db_begin (conn, error);
}

void
sp_db_jobs_rollback (PGconn *conn)
{
  sp_db_rollback (conn);
}

/**
 * sp_db_jobs_finish:
 * @still_held: (out): %FALSE if the lease was lost (another worker claimed the
 *   job after it expired): then the handler's work is rolled back
 *
 * Marks the job done in the handler's transaction and commits both, so that
 * what the handler wrote and the job's end are one.
 */
gboolean
sp_db_jobs_finish (PGconn      *conn,
                   gint64       id,
                   const char  *worker,
                   gboolean    *still_held,
                   GError     **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(PGresult) result = NULL;

  *still_held = FALSE;
  result = sp_db_exec (conn,
                       "UPDATE job SET state = 'done', locked_by = NULL, locked_until = NULL,"
                       "  finished_by = $2, finished_at = now ()"
                       " WHERE id = $1::bigint AND locked_by = $2",
                       2, SP_DB_PARAMS (id_text, worker), error);
  if (result == NULL)
    {
      sp_db_rollback (conn);
      return FALSE;
    }
  if (affected (result) == 0)
    {
      sp_db_rollback (conn);
      return TRUE;
    }
  *still_held = TRUE;
  return sp_db_commit (conn, error);
}

/**
 * sp_db_jobs_fail:
 * @message: what went wrong, kept in last_error
 * @max_attempts: the server's limit, for jobs that have none of their own
 * @backoff_cap_seconds: the longest wait between two attempts
 * @dead: (out): whether the job is now set aside for good
 *
 * Gives back a job whose handler failed (its transaction rolled back): it
 * runs again after min(2^(attempts-1) s, cap), plus up to a quarter of that at
 * random so that jobs failing together do not retry together; after its last
 * attempt it is dead.
 */
gboolean
sp_db_jobs_fail (PGconn      *conn,
                 gint64       id,
                 const char  *worker,
                 const char  *message,
                 int          max_attempts,
                 int          backoff_cap_seconds,
                 gboolean    *dead,
                 GError     **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *max = g_strdup_printf ("%d", max_attempts);
  g_autofree char *cap = g_strdup_printf ("%d", backoff_cap_seconds);
  g_autoptr(PGresult) result = NULL;

  *dead = FALSE;
  result = sp_db_exec (conn,
                       "WITH last AS ("
                       "  SELECT id, attempts >= coalesce (max_attempts, $4::integer) AS last"
                       "  FROM job WHERE id = $1::bigint AND locked_by = $2 FOR UPDATE)"
                       " UPDATE job SET locked_by = NULL, locked_until = NULL, last_error = $3,"
                       "   state = CASE WHEN last.last THEN 'dead' ELSE 'queued' END,"
                       "   finished_at = CASE WHEN last.last THEN now () END,"
                       "   finished_by = CASE WHEN last.last THEN $2 END,"
                       "   run_at = CASE WHEN last.last THEN job.run_at ELSE now ()"
                       "     + least (power (2, least (job.attempts - 1, 30)), $5::integer)"
                       "       * (1 + random () / 4) * interval '1 second' END"
                       " FROM last WHERE job.id = last.id"
                       " RETURNING last.last",
                       5, SP_DB_PARAMS (id_text, worker, message, max, cap), error);
  if (result == NULL)
    return FALSE;
  *dead = PQntuples (result) > 0 && sp_db_get_bool (result, 0, 0);
  return TRUE;
}

/**
 * sp_db_jobs_release_all:
 * @process: the prefix of the names of this process's workers
 *
 * Gives back every job that a worker of this process still holds, when
 * the process stops: claimable again at once, the attempt not counted.
 */
gboolean
sp_db_jobs_release_all (PGconn      *conn,
                        const char  *process,
                        guint       *n_released,
                        GError     **error)
{
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "UPDATE job SET locked_by = NULL, locked_until = NULL,"
                       "  attempts = greatest (attempts - 1, 0)"
                       " WHERE state = 'queued' AND starts_with (locked_by, $1)",
                       1, SP_DB_PARAMS (process), error);
  if (result == NULL)
    return FALSE;
  if (n_released != NULL)
    *n_released = affected (result);
  return TRUE;
}

/**
 * sp_db_jobs_schedule_due:
 * @kinds: the kinds this process has handlers for
 * @n_queued: (out) (optional): jobs queued now
 *
 * Queues the periodic jobs (job_schedule) whose time has come. The schedule
 * row's lock lets one process move it on; the slot's dedupe key makes a slot
 * run once in any case.
 */
gboolean
sp_db_jobs_schedule_due (PGconn              *conn,
                         const char * const  *kinds,
                         guint               *n_queued,
                         GError             **error)
{
  g_autofree char *array = kinds_array (kinds);
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "WITH due AS ("
                       "  SELECT kind, next_run_at FROM job_schedule"
                       "  WHERE next_run_at <= now () AND kind = ANY ($1::text[])"
                       "  FOR UPDATE SKIP LOCKED),"
                       " moved AS ("
                       "  UPDATE job_schedule s SET next_run_at = now () + s.every"
                       "  FROM due WHERE s.kind = due.kind"
                       "  RETURNING s.kind, due.next_run_at AS slot)"
                       " INSERT INTO job (kind, dedupe_key)"
                       " SELECT kind, 'schedule ' || to_char (slot AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                       " FROM moved"
                       " ON CONFLICT (kind, dedupe_key) DO NOTHING",
                       1, SP_DB_PARAMS (array), error);
  if (result == NULL)
    return FALSE;
  if (n_queued != NULL)
    *n_queued = affected (result);
  return TRUE;
}

/**
 * sp_db_jobs_bury_expired:
 * @n_buried: (out) (optional): jobs set aside now
 *
 * Sets aside the jobs whose lease expired on their last attempt: a job that
 * kills its worker every time must not kill every worker in turn for ever.
 */
gboolean
sp_db_jobs_bury_expired (PGconn  *conn,
                         int      max_attempts,
                         guint   *n_buried,
                         GError **error)
{
  g_autofree char *max = g_strdup_printf ("%d", max_attempts);
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "UPDATE job SET state = 'dead', locked_by = NULL, locked_until = NULL,"
                       "  finished_at = now (),"
                       "  last_error = 'its worker stopped (lease expired) on attempt ' || attempts"
                       " WHERE state = 'queued' AND locked_until < now ()"
                       "   AND attempts >= coalesce (max_attempts, $1::integer)"
                       " RETURNING id, kind",
                       1, SP_DB_PARAMS (max), error);
  if (result == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (result); i++)
    g_warning ("Job %s (%s) set aside: its worker stopped on its last attempt",
               sp_db_get (result, i, 0), sp_db_get (result, i, 1));
  if (n_buried != NULL)
    *n_buried = (guint) PQntuples (result);
  return TRUE;
}
