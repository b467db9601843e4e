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

/**
 * sp_db_history_statement_init:
 *
 * Fills @self with the statement that writes the iter row of a change and
 * the version it leaves, in one statement (version_append() reads the
 * pratica, not its iter): for a caller that sends it with others, in one
 * round trip. Its first column is the iter row's id. @self borrows the
 * strings it is given until sp_db_history_statement_clear().
 */
void
sp_db_history_statement_init (SpDbHistoryStatement *self,
                              const char           *pratica_id,
                              SpStatus              status,
                              SpStatus              previous_status,
                              const char           *operation,
                              const SpActor        *actor,
                              const char           *note)
{
  static const char sql[] =
    "WITH i AS ("
    "  INSERT INTO iter (pratica_id, status, previous_status, actor_kind, actor_account_id,"
    "                    actor_name, note, partner_at, partner_detail)"
    "  VALUES ($1::uuid, $2::integer, $3::integer, $4, $5::bigint, $6, $7, $8::timestamptz,"
    "          $9::jsonb)"
    "  RETURNING id)"
    " SELECT i.id, version_append ($1::uuid, $10, $5::bigint, $6, $11, $7) FROM i";

  self->status_text = g_strdup_printf ("%d", (int) status);
  self->previous_text = previous_status != SP_STATUS_INVALID ? g_strdup_printf ("%d", (int) previous_status) : NULL;
  self->account_text = actor->account_id != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, actor->account_id) : NULL;
  self->params[0] = pratica_id;
  self->params[1] = self->status_text;
  self->params[2] = self->previous_text;
  self->params[3] = actor->kind;
  self->params[4] = self->account_text;
  self->params[5] = actor->name;
  self->params[6] = note;
  self->params[7] = actor->partner_at;
  self->params[8] = actor->partner_detail;
  self->params[9] = operation;
  self->params[10] = actor->role;
  self->statement = (SpDbStatement) { sql, G_N_ELEMENTS (self->params), self->params, TRUE };
}

void
sp_db_history_statement_clear (SpDbHistoryStatement *self)
{
  g_clear_pointer (&self->status_text, g_free);
  g_clear_pointer (&self->previous_text, g_free);
  g_clear_pointer (&self->account_text, g_free);
}

/**
 * sp_db_history_statement_check:
 * @result: what the statement of sp_db_history_statement_init() returned
 *
 * Returns: whether it wrote the iter row and the version. No pratica: the
 *   iter row's foreign key fails the statement first, so this is never met
 *   once committed.
 */
gboolean
sp_db_history_statement_check (PGresult  *result,
                               GError   **error)
{
  if (PQntuples (result) != 1 || PQgetisnull (result, 0, 1))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      return FALSE;
    }
  return TRUE;
}

/**
 * sp_db_change_is_history_only:
 *
 * Returns: whether a change from @previous_status to @status leaves only its
 *   iter row and version: no e-mail, no registration (sp_db_record_change())
 */
gboolean
sp_db_change_is_history_only (SpStatus status,
                              SpStatus previous_status)
{
  return status == previous_status || (!sp_status_sends_email (status) && !sp_db_protocol_queues (status));
}

/* The iter row of a change and the version it leaves, in one statement. With
 * @commit, COMMIT goes with it.
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
  SpDbHistoryStatement history;
  g_autoptr(PGresult) result = NULL;

  sp_db_history_statement_init (&history, pratica_id, status, previous_status, operation, actor, note);
  result = sp_db_exec_prepared_ending (conn, history.statement.sql, history.statement.n_params,
                                       history.statement.params, commit, error);
  sp_db_history_statement_clear (&history);
  if (result == NULL || !sp_db_history_statement_check (result, error))
    return 0;
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
  gboolean history_only = sp_db_change_is_history_only (status, previous_status);
  gboolean mails = !history_only && sp_status_sends_email (status);
  gboolean registers = !history_only && sp_db_protocol_queues (status);
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
