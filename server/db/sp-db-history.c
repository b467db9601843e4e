/* sp-db-history.c: SQL for the iter and the append-only, hash-chained versions of a pratica */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-history.h"
#include "sp-db-outbox.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-json.h"

/**
 * sp_db_iter_append:
 *
 * Returns: the id of the new iter row, or 0 with @error set
 */
gint64
sp_db_iter_append (PGconn         *conn,
                   const char     *pratica_id,
                   SpStatus        status,
                   SpStatus        previous_status,
                   const SpActor  *actor,
                   const char     *note,
                   GError        **error)
{
  g_autofree char *status_text = g_strdup_printf ("%d", (int) status);
  g_autofree char *previous_text = previous_status != SP_STATUS_INVALID ? g_strdup_printf ("%d", (int) previous_status) : NULL;
  g_autofree char *account_text = actor->account_id != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, actor->account_id) : NULL;
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "INSERT INTO iter (pratica_id, status, previous_status, actor_kind, actor_account_id, actor_name, note)"
                       " VALUES ($1::uuid, $2::integer, $3::integer, $4, $5::bigint, $6, $7) RETURNING id",
                       7, SP_DB_PARAMS (pratica_id, status_text, previous_text, actor->kind, account_text,
                                        actor->name, note),
                       error);
  return result != NULL ? sp_db_get_int64 (result, 0, 0) : 0;
}

/**
 * sp_db_version_append:
 *
 * Snapshots the pratica as it is now in this transaction and appends it as
 * the next version, chained to the previous one by hash. The caller holds the
 * pratica's row lock, so versions of one pratica are numbered one at a time.
 */
gboolean
sp_db_version_append (PGconn         *conn,
                      const char     *pratica_id,
                      const char     *operation,
                      const SpActor  *actor,
                      const char     *note,
                      GError        **error)
{
  g_autoptr(PGresult) current = NULL;
  g_autoptr(JsonNode) snapshot = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *number = NULL;
  g_autofree char *account_text = actor->account_id != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, actor->account_id) : NULL;
  const char *snapshot_text;
  const char *previous_hash;

  current = sp_db_exec (conn,
                        "SELECT jsonb_build_object ("
                        "   'data', p.data, 'status', p.status, 'assigned_to', a.username,"
                        "   'protocol', jsonb_build_object ('number', p.protocol_number, 'date', p.protocol_date,"
                        "                                   'entries', p.protocol_entries),"
                        "   'outcome', p.outcome, 'motivation', p.motivation,"
                        "   'documents', coalesce ((SELECT jsonb_agg (jsonb_build_object ("
                        "                             'id', d.id, 'kind', d.kind, 'filename', d.filename,"
                        "                             'sha256', d.sha256) ORDER BY d.created_at, d.id)"
                        "                           FROM document d WHERE d.pratica_id = p.id), '[]'))::text,"
                        "  p.status, v.number, v.hash"
                        " FROM pratica p LEFT JOIN account a ON a.id = p.assigned_to"
                        " LEFT JOIN LATERAL (SELECT number, hash FROM version WHERE pratica_id = p.id"
                        "                    ORDER BY number DESC LIMIT 1) v ON TRUE"
                        " WHERE p.id = $1::uuid",
                        1, SP_DB_PARAMS (pratica_id), error);
  if (current == NULL)
    return FALSE;
  if (PQntuples (current) != 1)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      return FALSE;
    }

  snapshot_text = sp_db_get (current, 0, 0);
  if (!(snapshot = sp_json_parse (snapshot_text, strlen (snapshot_text), error)))
    return FALSE;
  canonical = sp_json_canonicalize (snapshot);
  previous_hash = sp_db_get (current, 0, 3);
  hash = sp_json_chain_hash (previous_hash, canonical);
  number = g_strdup_printf ("%" G_GINT64_FORMAT, sp_db_get_int64 (current, 0, 2) + 1);

  return sp_db_command (conn,
                        "INSERT INTO version (pratica_id, number, operation, status, actor_account_id, actor_name,"
                        "                     actor_role, note, snapshot, previous_hash, hash)"
                        " VALUES ($1::uuid, $2::integer, $3, $4::integer, $5::bigint, $6, $7, $8, $9::jsonb, $10, $11)",
                        11, SP_DB_PARAMS (pratica_id, number, operation, sp_db_get (current, 0, 1), account_text,
                                          actor->name, actor->role, note, canonical, previous_hash, hash),
                        error);
}

/**
 * sp_db_record_change:
 *
 * Everything one status change leaves behind, in the caller's transaction:
 * the iter row, the version, and the citizen's e-mail when the new status
 * sends one.
 */
gboolean
sp_db_record_change (PGconn         *conn,
                     const char     *pratica_id,
                     SpStatus        status,
                     SpStatus        previous_status,
                     const char     *operation,
                     const SpActor  *actor,
                     const char     *note,
                     GError        **error)
{
  gint64 iter_id = sp_db_iter_append (conn, pratica_id, status, previous_status, actor, note, error);

  if (iter_id == 0 || !sp_db_version_append (conn, pratica_id, operation, actor, note, error))
    return FALSE;
  if (status != previous_status && sp_status_sends_email (status))
    return sp_db_outbox_queue (conn, pratica_id, iter_id, status, note, error);
  return TRUE;
}
