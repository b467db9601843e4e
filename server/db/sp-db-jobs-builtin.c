/* sp-db-jobs-builtin.c: SQL of the server's own jobs: session purge, job purge, the tests' echo */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-jobs-builtin.h"
#include "sp-db-util.h"

static guint
affected (PGresult *result)
{
  return (guint) g_ascii_strtoull (PQcmdTuples (result), NULL, 10);
}

/**
 * sp_db_session_purge:
 * @idle_minutes: the server's idle timeout: a session unused this long is over
 * @keep_hours: how long an ended session is kept, so that its token is
 *   still answered "session expired" rather than "unknown"
 * @n_deleted: (out) (optional): sessions deleted
 *
 * Deletes the sessions that ended more than @keep_hours ago: revoked, past
 * their absolute expiry, or idle too long (the rules of sp_db_session_lookup()).
 */
gboolean
sp_db_session_purge (PGconn  *conn,
                     int      idle_minutes,
                     int      keep_hours,
                     guint   *n_deleted,
                     GError **error)
{
  g_autofree char *idle = g_strdup_printf ("%d", idle_minutes);
  g_autofree char *keep = g_strdup_printf ("%d", keep_hours);
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "WITH ended AS (SELECT now () - $2::integer * interval '1 hour' AS before)"
                       " DELETE FROM session USING ended"
                       " WHERE revoked_at < ended.before OR expires_at < ended.before"
                       "    OR last_seen_at + $1::integer * interval '1 minute' < ended.before",
                       2, SP_DB_PARAMS (idle, keep), error);
  if (result == NULL)
    return FALSE;
  if (n_deleted != NULL)
    *n_deleted = affected (result);
  return TRUE;
}

/**
 * sp_db_job_purge:
 * @keep_days: how long done jobs stay visible
 * @n_deleted: (out) (optional): jobs deleted
 *
 * Deletes the jobs done more than @keep_days ago. Dead jobs stay until
 * someone has looked at them and deletes them.
 */
gboolean
sp_db_job_purge (PGconn  *conn,
                 int      keep_days,
                 guint   *n_deleted,
                 GError **error)
{
  g_autofree char *days = g_strdup_printf ("%d", keep_days);
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "DELETE FROM job WHERE state = 'done'"
                       " AND finished_at < now () - $1::integer * interval '1 day'",
                       1, SP_DB_PARAMS (days), error);
  if (result == NULL)
    return FALSE;
  if (n_deleted != NULL)
    *n_deleted = affected (result);
  return TRUE;
}

/**
 * sp_db_job_echo_record:
 *
 * The trace of the `echo` job (SPORTELLO_TEST_JOBS=1 only): counts, in the
 * job's own payload and in the handler's transaction, the runs that
 * committed, and who ran it.
 */
gboolean
sp_db_job_echo_record (PGconn      *conn,
                       gint64       id,
                       const char  *worker,
                       GError     **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  return sp_db_command (conn,
                        "UPDATE job SET payload = payload"
                        "  || jsonb_build_object ('runs', coalesce ((payload->>'runs')::integer, 0) + 1,"
                        "                         'ran_by', $2::text)"
                        " WHERE id = $1::bigint",
                        2, SP_DB_PARAMS (id_text, worker), error);
}
