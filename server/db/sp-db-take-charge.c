/* sp-db-take-charge.c: SQL that assigns a pratica to an operator, atomically */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-history.h"
#include "sp-db-pratica-private.h"
#include "sp-db-pratica.h"
#include "sp-db-scope.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-pratica.h"

void
sp_take_charge_result_free (SpTakeChargeResult *result)
{
  if (result == NULL)
    return;
  g_free (result->numero);
  g_free (result->assignee_username);
  g_free (result->assignee_name);
  g_free (result->locale);
  g_free (result);
}

/* Locks the pratica's row, checks it is free and may move to 4000, assigns it
 * to the operator and records the change (iter, version, e-mail) in the same
 * transaction (an SpDbFunc; see sp_db_take_charge_async()). A refusal is a
 * result, not an error: it carries what its answer tells the operator. */
static gpointer
take_charge (PGconn   *conn,
             gpointer  data,
             GError  **error)
{
  SpPraticaRequest *request = data;
  SpPrincipal *principal = request->principal;
  g_autofree char *account_id = g_strdup_printf ("%" G_GINT64_FORMAT, sp_principal_get_account_id (principal));
  g_autoptr(SpDbQuery) sql = NULL;
  g_autoptr(SpDbScope) scope = NULL;
  g_autoptr(PGresult) pratica = NULL;
  SpActor actor = sp_actor_for_account (principal);
  SpTakeChargeResult *result;
  SpTakeChargeRefusal refusal;
  SpStatus status;

  /* Only an operator takes a pratica in charge, for themselves. */
  if (!sp_principal_is_allowed (principal, SP_PRINCIPAL_OPERATOR))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_FORBIDDEN, "Only operators take pratiche in charge");
      return NULL;
    }

  sql = sp_db_query_new ("SELECT p.status, p.assigned_to IS NOT NULL, sv.protocol_required,"
                         "       p.protocol_number IS NOT NULL, a.username, a.full_name,"
                         "       p.assigned_to IS NOT DISTINCT FROM ");
  sp_db_query_append_param (sql, account_id, "bigint");
  sp_db_query_append (sql, ", p.numero, e.locale"
                           " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id"
                           " JOIN ente e ON e.id = p.ente_id"
                           " LEFT JOIN account a ON a.id = p.assigned_to"
                           " WHERE p.id = ");
  sp_db_query_append_param (sql, request->pratica_id, "uuid");
  sp_db_query_append (sql, " AND ");
  scope = sp_db_scope_new_in (principal, sql);
  sp_db_scope_append (scope, sql, "p.servizio_id");
  sp_db_query_append (sql, " FOR UPDATE OF p");

  if (!sp_db_begin (conn, error))
    return NULL;

  pratica = sp_db_query_exec (conn, sql, error);
  if (pratica == NULL)
    goto failed;
  if (PQntuples (pratica) != 1)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      goto failed;
    }

  status = (SpStatus) sp_db_get_int64 (pratica, 0, 0);
  refusal = sp_take_charge_refusal (status, sp_db_get_bool (pratica, 0, 1), sp_db_get_bool (pratica, 0, 6),
                                    sp_db_get_bool (pratica, 0, 2), sp_db_get_bool (pratica, 0, 3));
  if (refusal != SP_TAKE_CHARGE_REFUSAL_NONE)
    {
      result = g_new0 (SpTakeChargeResult, 1);
      result->refusal = refusal;
      result->status = status;
      result->numero = g_strdup (sp_db_get (pratica, 0, 7));
      result->assignee_username = g_strdup (sp_db_get (pratica, 0, 4));
      result->assignee_name = g_strdup (sp_db_get (pratica, 0, 5));
      result->locale = g_strdup (sp_db_get (pratica, 0, 8));
      sp_db_rollback (conn);
      return result;
    }

  if (!sp_db_command (conn,
                      "UPDATE pratica SET status = 4000, assigned_to = $2::bigint, updated_at = now ()"
                      " WHERE id = $1::uuid",
                      2, SP_DB_PARAMS (request->pratica_id, account_id), error)
      || !sp_db_record_change_commit (conn, request->pratica_id, SP_STATUS_PENDING, status,
                                      "Presa in carico", &actor, NULL, error))
    goto failed;

  result = g_new0 (SpTakeChargeResult, 1);
  result->taken = TRUE;
  return result;

failed:
  sp_db_rollback (conn);
  return NULL;
}

/**
 * sp_db_take_charge_async:
 * @principal: the operator taking the pratica
 * @pratica_id: a UUID (sp_pratica_id_is_valid())
 *
 * Takes the pratica in charge for @principal. Of two operators confirming at
 * once, the second waits for the row lock and then finds the pratica taken.
 */
void
sp_db_take_charge_async (SpDb                *db,
                         SpPrincipal         *principal,
                         const char          *pratica_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  sp_db_pratica_run (db, SP_DB_RETRY, sp_db_take_charge_async, take_charge, (GDestroyNotify) sp_take_charge_result_free,
                     principal, pratica_id, NULL, cancellable, callback, user_data);
}

/**
 * sp_db_take_charge_finish:
 *
 * Returns: (transfer full): an #SpTakeChargeResult, `taken` or refused
 *   with its reason (naming who has it: operators may see who; e-mails to
 *   citizens never name anybody); %NULL with @error when the pratica is not
 *   there for the caller or the database fails
 */
SpTakeChargeResult *
sp_db_take_charge_finish (SpDb          *db,
                          GAsyncResult  *result,
                          GError       **error)
{
  return sp_db_task_finish (result, sp_db_take_charge_async, error);
}
