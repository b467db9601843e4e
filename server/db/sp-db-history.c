/* sp-db-history.c: SQL for the iter and the append-only, hash-chained versions of a pratica */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-history.h"
#include "sp-db-outbox.h"
#include "sp-db-protocol.h"
#include "sp-db-util.h"
#include "sp-error.h"

/**
 * sp_actor_for_account:
 * @principal: an operator (or another account) acting on a pratica
 *
 * Returns: who acts, as the iter and the versions record it: the account,
 *   its full name, and the role it has now (valid while @principal is)
 */
SpActor
sp_actor_for_account (const SpPrincipal *principal)
{
  return (SpActor) { "operator", sp_principal_get_account_id (principal), sp_principal_get_full_name (principal),
                     sp_principal_kind_to_string (sp_principal_get_kind (principal)) };
}

/**
 * sp_db_version_append:
 *
 * Appends the pratica as it is now in this transaction as its next version,
 * chained to the previous one by hash: the database's version_append()
 * (server/sql/0005_version_chain.sql), the one definition of the snapshot and
 * of the chain that every writer uses. The caller holds the pratica's row
 * lock, so versions of one pratica are numbered one at a time.
 */
gboolean
sp_db_version_append (PGconn         *conn,
                      const char     *pratica_id,
                      const char     *operation,
                      const SpActor  *actor,
                      const char     *note,
                      GError        **error)
{
  g_autofree char *account_text = actor->account_id != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, actor->account_id) : NULL;
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec_prepared (conn, "SELECT version_append ($1::uuid, $2, $3::bigint, $4, $5, $6)",
                                6, SP_DB_PARAMS (pratica_id, operation, account_text, actor->name, actor->role, note),
                                error);
  if (result == NULL)
    return FALSE;
  if (PQgetisnull (result, 0, 0))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      return FALSE;
    }
  return TRUE;
}

/* The iter row of a change and the version it leaves, in one statement:
 * version_append() reads the pratica, not its iter. With @commit, COMMIT goes
 * with it.
 * Returns: the id of the new iter row, or 0 with @error set */
static gint64
history_append (PGconn         *conn,
                const char     *pratica_id,
                SpStatus        status,
                SpStatus        previous_status,
                const char     *operation,
                const SpActor  *actor,
                const char     *note,
                gboolean        commit,
                GError        **error)
{
  static const char sql[] =
    "WITH i AS ("
    "  INSERT INTO iter (pratica_id, status, previous_status, actor_kind, actor_account_id,"
    "                    actor_name, note, partner_at, partner_detail)"
    "  VALUES ($1::uuid, $2::integer, $3::integer, $4, $5::bigint, $6, $7, $8::timestamptz,"
    "          $9::jsonb)"
    "  RETURNING id)"
    " SELECT i.id, version_append ($1::uuid, $10, $5::bigint, $6, $11, $7) FROM i";
  g_autofree char *status_text = g_strdup_printf ("%d", (int) status);
  g_autofree char *previous_text = previous_status != SP_STATUS_INVALID ? g_strdup_printf ("%d", (int) previous_status) : NULL;
  g_autofree char *account_text = actor->account_id != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, actor->account_id) : NULL;
  const char * const params[] = { pratica_id, status_text, previous_text, actor->kind, account_text, actor->name, note,
                                  actor->partner_at, actor->partner_detail, operation, actor->role };
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec_prepared_ending (conn, sql, G_N_ELEMENTS (params), params, commit, error);
  if (result == NULL)
    return 0;
  /* No pratica: the iter row's foreign key fails the statement first, so
   * this is never met once committed. */
  if (PQgetisnull (result, 0, 1))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      return 0;
    }
  return sp_db_get_int64 (result, 0, 0);
}

/* sp_db_record_change(), and with @commit the transaction committed with
 * the last statement of the change. */
static gboolean
record_change (PGconn         *conn,
               const char     *pratica_id,
               SpStatus        status,
               SpStatus        previous_status,
               const char     *operation,
               const SpActor  *actor,
               const char     *note,
               gboolean        commit,
               GError        **error)
{
  gboolean changed = status != previous_status;
  gboolean mails = changed && sp_status_sends_email (status);
  gboolean registers = changed && sp_db_protocol_queues (status);
  gint64 iter_id = history_append (conn, pratica_id, status, previous_status, operation, actor, note,
                                   commit && !mails && !registers, error);

  if (iter_id == 0)
    return FALSE;
  if (mails && !sp_db_outbox_queue (conn, pratica_id, iter_id, status, note, commit && !registers, error))
    return FALSE;
  return !registers || sp_db_protocol_queue (conn, pratica_id, status, commit, error);
}

/**
 * sp_db_record_change:
 *
 * Everything one status change leaves behind, in the caller's transaction:
 * the iter row, the version, the citizen's e-mail when the new status sends
 * one, and the registration job when the pratica now waits for the internal
 * protocol register. Every writer of a status change calls it (or
 * sp_db_record_change_commit()), so none forgets an e-mail or a registration.
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
  return record_change (conn, pratica_id, status, previous_status, operation, actor, note, FALSE, error);
}

/**
 * sp_db_record_change_commit:
 *
 * sp_db_record_change(), then COMMIT, sent with the change's last statement
 * (one round trip fewer). On failure the transaction is open and failed, or
 * over: roll it back, as after any failed statement.
 */
gboolean
sp_db_record_change_commit (PGconn         *conn,
                            const char     *pratica_id,
                            SpStatus        status,
                            SpStatus        previous_status,
                            const char     *operation,
                            const SpActor  *actor,
                            const char     *note,
                            GError        **error)
{
  return record_change (conn, pratica_id, status, previous_status, operation, actor, note, TRUE, error);
}
