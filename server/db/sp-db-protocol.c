/* sp-db-protocol.c: SQL of the internal protocol register: queue a registration, make it, sweep for waiting pratiche */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-history.h"
#include "sp-db-protocol.h"
#include "sp-db-util.h"
#include "sp-error.h"

/* Queues the registration job of the pratiche of protocol_waiting
 * (server/sql/0008_protocol_mail.sql) that the tail selects: one job per
 * pratica and direction, ever (the dedupe key). */
#define QUEUE_SQL \
  "INSERT INTO job (kind, payload, dedupe_key)" \
  " SELECT '" SP_DB_PROTOCOL_JOB "', jsonb_build_object ('pratica', w.pratica_id, 'direction', w.direction)," \
  "        w.pratica_id || '/' || w.direction" \
  " FROM protocol_waiting w "

/* The register is the internal provider's, the version's actor is the system. */
static const SpActor registry = { "system", 0, "Protocollo informatico", "sistema" };

/* Returns: whether a pratica entering @status may wait for the internal
 * provider's register, so that sp_db_protocol_queue() has a job to queue */
gboolean
sp_db_protocol_queues (SpStatus status)
{
  return status == SP_STATUS_SUBMITTED || sp_status_is_waiting_protocol (status);
}

/**
 * sp_db_protocol_queue:
 * @status: the status the pratica enters
 * @commit: whether to commit the transaction too, with the job
 *
 * In the transaction of a status change (sp_db_record_change()): when the
 * pratica now waits for the internal provider (2000, 6000, 8000 of a service
 * that needs a protocol), queues its registration, which runs once this
 * transaction commits. Otherwise does nothing (but commit).
 */
gboolean
sp_db_protocol_queue (PGconn      *conn,
                      const char  *pratica_id,
                      SpStatus     status,
                      gboolean     commit,
                      GError     **error)
{
  static const char sql[] = QUEUE_SQL "WHERE w.pratica_id = $1::uuid ON CONFLICT (kind, dedupe_key) DO NOTHING";
  g_autoptr(PGresult) result = NULL;

  if (!sp_db_protocol_queues (status))
    return !commit || sp_db_commit (conn, error);
  result = sp_db_exec_prepared_ending (conn, sql, 1, SP_DB_PARAMS (pratica_id), commit, error);
  return result != NULL;
}

/**
 * sp_db_protocol_sweep:
 * @limit: at most this many registrations queued at a time, these included
 * @n_queued: (out) (optional): jobs queued now
 *
 * Queues the registration of the waiting pratiche that have none: those that
 * sportello-admin wrote with their history (the demo), or that waited before
 * registrations were jobs. A pratica with no recorded change into its status
 * (a bare fixture, an import in progress) is left alone. Oldest first.
 *
 * It tops the queue up to @limit rather than adding @limit each time: the
 * job pool takes jobs in order, and a backlog of registrations (the register
 * back after an outage, a large import) must not hold the other jobs (the
 * e-mails, the metrics) for longer than @limit registrations take.
 */
gboolean
sp_db_protocol_sweep (PGconn  *conn,
                      guint    limit,
                      guint   *n_queued,
                      GError **error)
{
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       QUEUE_SQL
                       "WHERE EXISTS (SELECT 1 FROM iter i WHERE i.pratica_id = w.pratica_id AND i.status = w.status)"
                       "  AND NOT EXISTS (SELECT 1 FROM job j WHERE j.kind = '" SP_DB_PROTOCOL_JOB "'"
                       "                  AND j.dedupe_key = w.pratica_id || '/' || w.direction)"
                       " ORDER BY w.updated_at"
                       " LIMIT greatest (0, $1::integer - (SELECT count (*) FROM job j"
                       "                                   WHERE j.kind = '" SP_DB_PROTOCOL_JOB "'"
                       "                                     AND j.state = 'queued'))"
                       " ON CONFLICT (kind, dedupe_key) DO NOTHING",
                       1, SP_DB_PARAMS (limit_text), error);
  if (result == NULL)
    return FALSE;
  if (n_queued != NULL)
    *n_queued = (guint) g_ascii_strtoull (PQcmdTuples (result), NULL, 10);
  return TRUE;
}

/**
 * sp_db_protocol_register:
 * @direction: `arrivo` (the modulo, 2000 → 3000) or `risposta` (the
 *   response, 6000 → 7000, 8000 → 9000)
 * @number: (out) (optional) (transfer full): the protocol number given, or
 *   %NULL when the pratica no longer waits (withdrawn, registered already)
 *
 * Registers the pratica in its ente's register with the next number of the
 * year, and moves it on, in the caller's transaction: the number exists
 * exactly when the change does, and two registrations of one ente (from any
 * server process) take numbers one after the other, without gaps.
 */
gboolean
sp_db_protocol_register (PGconn      *conn,
                         const char  *pratica_id,
                         const char  *direction,
                         char       **number,
                         GError     **error)
{
  g_autoptr(PGresult) pratica = NULL;
  g_autoptr(PGresult) entry = NULL;
  g_autofree char *status_text = NULL;
  g_autofree char *note = NULL;
  gboolean arrivo = g_strcmp0 (direction, "arrivo") == 0;
  SpStatus status, next;

  if (number != NULL)
    *number = NULL;
  if (!arrivo && g_strcmp0 (direction, "risposta") != 0)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "Unknown protocol direction “%s”", direction);
      return FALSE;
    }

  /* The pratica's row lock: its status cannot change under the registration. */
  pratica = sp_db_exec (conn,
                        "SELECT p.status, p.ente_id,"
                        "       (SELECT d.id FROM document_current d WHERE d.pratica_id = p.id"
                        "        AND d.kind = CASE WHEN w.direction = 'arrivo' THEN 'modulo' ELSE 'risposta' END"
                        "        ORDER BY d.created_at DESC, d.id DESC LIMIT 1)"
                        " FROM pratica p JOIN protocol_waiting w ON w.pratica_id = p.id"
                        " WHERE p.id = $1::uuid AND w.direction = $2"
                        " FOR UPDATE OF p",
                        2, SP_DB_PARAMS (pratica_id, direction), error);
  if (pratica == NULL)
    return FALSE;
  if (PQntuples (pratica) == 0)
    return TRUE;

  status = (SpStatus) sp_db_get_int64 (pratica, 0, 0);
  next = sp_status_after_registration (status);
  g_return_val_if_fail (sp_status_can_transition (status, next), FALSE);

  entry = sp_db_exec (conn,
                      "SELECT protocol_number_text (r.entry_year, r.entry_number), r.entry_at"
                      " FROM protocol_register_next ($1::bigint, $2, $3::uuid, $4::uuid) r",
                      4, SP_DB_PARAMS (sp_db_get (pratica, 0, 1), direction, pratica_id, sp_db_get (pratica, 0, 2)),
                      error);
  if (entry == NULL)
    return FALSE;

  status_text = g_strdup_printf ("%d", (int) next);
  if (!sp_db_command (conn,
                      "UPDATE pratica SET status = $2::integer, updated_at = now (),"
                      "  protocol_number = CASE WHEN $5::boolean THEN coalesce (protocol_number, $3) ELSE protocol_number END,"
                      "  protocol_date = CASE WHEN $5::boolean THEN coalesce (protocol_date, $4::timestamptz) ELSE protocol_date END"
                      " WHERE id = $1::uuid",
                      5, SP_DB_PARAMS (pratica_id, status_text, sp_db_get (entry, 0, 0), sp_db_get (entry, 0, 1),
                                       arrivo ? "true" : "false"),
                      error))
    return FALSE;

  note = arrivo ? g_strdup_printf ("Protocollata in arrivo: n. %s", sp_db_get (entry, 0, 0))
                : g_strdup_printf ("Esito protocollato in uscita: n. %s", sp_db_get (entry, 0, 0));
  if (!sp_db_record_change (conn, pratica_id, next, status, arrivo ? "Protocollazione" : "Protocollazione esito",
                            &registry, note, error))
    return FALSE;

  if (number != NULL)
    *number = g_strdup (sp_db_get (entry, 0, 0));
  return TRUE;
}
