/* sp-db-history.c: SQL for the iter and the append-only, hash-chained versions of a pratica */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-history.h"
#include "sp-db-outbox.h"
#include "sp-db-protocol.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-json.h"

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

/* The iter row of each change and the version it leaves. The changes come
 * as one JSON array, so that a batch is one statement with one plan; each
 * names its own pratica (version_append() reads the pratica, not its iter),
 * which the join below relies on. */
static const char history_sql[] =
  "WITH c AS ("
  "  SELECT * FROM ROWS FROM (json_to_recordset ($1::json)"
  "    AS (pratica_id uuid, status integer, previous_status integer, actor_kind text, actor_account_id bigint,"
  "        actor_name text, note text, partner_at timestamptz, partner_detail text, operation text,"
  "        actor_role text)) WITH ORDINALITY"
  "    AS c (pratica_id, status, previous_status, actor_kind, actor_account_id, actor_name, note, partner_at,"
  "          partner_detail, operation, actor_role, n)),"
  " i AS ("
  "  INSERT INTO iter (pratica_id, status, previous_status, actor_kind, actor_account_id,"
  "                    actor_name, note, partner_at, partner_detail)"
  "  SELECT pratica_id, status, previous_status, actor_kind, actor_account_id, actor_name, note, partner_at,"
  "         partner_detail::jsonb"
  "  FROM c ORDER BY n"
  "  RETURNING id, pratica_id)"
  " SELECT i.id, version_append (c.pratica_id, c.operation, c.actor_account_id, c.actor_name, c.actor_role, c.note)"
  " FROM c JOIN i USING (pratica_id) ORDER BY c.n";

/**
 * sp_db_history_set_init:
 *
 * Starts an empty set of changes (sp_db_history_set_add()), whose iter rows
 * and versions sp_db_history_set_end() makes one statement: for one change,
 * or for a caller that sends many with others, in one round trip.
 */
void
sp_db_history_set_init (SpDbHistorySet *self)
{
  *self = (SpDbHistorySet) { { history_sql, 1, self->params, TRUE }, json_builder_new () };
  json_builder_begin_array (self->changes);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value,
         gboolean     is_null)
{
  json_builder_set_member_name (builder, name);
  if (!is_null)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * sp_db_history_set_add:
 *
 * Adds a change of @pratica_id from @previous_status (%SP_STATUS_INVALID:
 * none, the pratica is new) to @status. A set holds one change per pratica.
 */
void
sp_db_history_set_add (SpDbHistorySet *self,
                       const char     *pratica_id,
                       SpStatus        status,
                       SpStatus        previous_status,
                       const char     *operation,
                       const SpActor  *actor,
                       const char     *note)
{
  JsonBuilder *builder = self->changes;

  g_return_if_fail (self->json == NULL);
  json_builder_begin_object (builder);
  add_string (builder, "pratica_id", pratica_id);
  add_int (builder, "status", status, FALSE);
  add_int (builder, "previous_status", previous_status, previous_status == SP_STATUS_INVALID);
  add_string (builder, "actor_kind", actor->kind);
  add_int (builder, "actor_account_id", actor->account_id, actor->account_id == 0);
  add_string (builder, "actor_name", actor->name);
  add_string (builder, "note", note);
  add_string (builder, "partner_at", actor->partner_at);
  add_string (builder, "partner_detail", actor->partner_detail);
  add_string (builder, "operation", operation);
  add_string (builder, "actor_role", actor->role);
  json_builder_end_object (builder);
  self->n_changes++;
}

/**
 * sp_db_history_set_end:
 *
 * Ends the set: @self->statement is ready to send. Its rows are the changes'
 * in the order added, their first column the iter row's id.
 */
void
sp_db_history_set_end (SpDbHistorySet *self)
{
  g_autoptr(JsonNode) changes = NULL;

  g_return_if_fail (self->json == NULL);
  json_builder_end_array (self->changes);
  changes = json_builder_get_root (self->changes);
  self->json = sp_json_to_string (changes, NULL);
  self->params[0] = self->json;
}

gboolean
sp_db_history_set_is_empty (const SpDbHistorySet *self)
{
  return self->n_changes == 0;
}

void
sp_db_history_set_clear (SpDbHistorySet *self)
{
  g_clear_object (&self->changes);
  g_clear_pointer (&self->json, g_free);
}

/**
 * sp_db_history_set_check:
 * @result: what the statement of the set returned
 *
 * Returns: whether it wrote every change's iter row and version. No
 *   pratica: the iter row's foreign key fails the statement first, so this
 *   is never met once committed.
 */
gboolean
sp_db_history_set_check (const SpDbHistorySet  *self,
                         PGresult              *result,
                         GError               **error)
{
  gboolean written = PQntuples (result) == (int) self->n_changes;

  for (int i = 0; written && i < PQntuples (result); i++)
    written = !PQgetisnull (result, i, 1);
  if (!written)
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
  SpDbHistorySet history;
  g_autoptr(PGresult) result = NULL;
  gboolean written;

  sp_db_history_set_init (&history);
  sp_db_history_set_add (&history, pratica_id, status, previous_status, operation, actor, note);
  sp_db_history_set_end (&history);
  result = sp_db_exec_prepared_ending (conn, history.statement.sql, history.statement.n_params,
                                       history.statement.params, commit, error);
  written = result != NULL && sp_db_history_set_check (&history, result, error);
  sp_db_history_set_clear (&history);
  return written ? sp_db_get_int64 (result, 0, 0) : 0;
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
