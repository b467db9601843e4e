/* sp-db-session.c: from a session token to the principal of a request (its account and scope) */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-session.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"

typedef struct
{
  SpSession   *session;
  SpPrincipal *principal;
} Found;

static void
found_free (Found *found)
{
  g_clear_pointer (&found->session, sp_session_free);
  g_clear_pointer (&found->principal, sp_principal_unref);
  g_free (found);
}

static SpPrincipalKind
kind_of (SpRole role)
{
  switch (role)
    {
    case SP_ROLE_OPERATORE:
      return SP_PRINCIPAL_OPERATORE;
    case SP_ROLE_ADMIN:
      return SP_PRINCIPAL_ADMIN;
    case SP_ROLE_AUDITOR:
      return SP_PRINCIPAL_AUDITOR;
    case SP_ROLE_INVALID:
    default:
      return 0;
    }
}

/* The session and who it is (an SpDbFunc). */
static gpointer
lookup (PGconn   *conn,
        gpointer  data,
        GError  **error)
{
  g_autoptr(SpSession) session = sp_db_session_lookup (conn, data, error);
  SpPrincipalKind kind;
  Found *found;

  if (session == NULL)
    return NULL;
  if ((kind = kind_of (session->user->role)) == 0)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_UNAUTHENTICATED, "The account has no valid role");
      return NULL;
    }

  found = g_new0 (Found, 1);
  found->principal = sp_principal_new_account (kind, session->account_id, session->user->username,
                                               session->user->full_name, session->ente_id,
                                               (const gint64 *) (gpointer) session->servizio_ids->data,
                                               session->servizio_ids->len);
  found->session = g_steal_pointer (&session);
  return found;
}

/**
 * sp_db_session_lookup_async:
 * @token_hash: the SHA-256 of the session token
 * @idle_minutes: how long a session lives unused
 *
 * Finds the live session of a token and who it is.
 */
void
sp_db_session_lookup_async (SpDb                *db,
                            GBytes              *token_hash,
                            int                  idle_minutes,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  SpSessionLookup *data = g_new0 (SpSessionLookup, 1);

  g_task_set_source_tag (task, sp_db_session_lookup_async);
  data->token_hash = g_bytes_ref (token_hash);
  data->idle_minutes = idle_minutes;
  sp_db_task_run (db, SP_DB_ONCE, task, lookup, data, (GDestroyNotify) sp_session_lookup_free, (GDestroyNotify) found_free);
}

/**
 * sp_db_session_lookup_finish:
 * @session: (out) (optional) (transfer full): the session
 *
 * Returns: (transfer full): the principal of a live session; otherwise
 *   %NULL with %SP_ERROR_UNAUTHENTICATED for an unknown token and
 *   %SP_ERROR_SESSION_EXPIRED for an expired, idle or revoked one
 */
SpPrincipal *
sp_db_session_lookup_finish (SpDb          *db,
                             GAsyncResult  *result,
                             SpSession    **session,
                             GError       **error)
{
  Found *found = sp_db_task_finish (result, sp_db_session_lookup_async, error);
  SpPrincipal *principal;

  if (found == NULL)
    return NULL;
  principal = g_steal_pointer (&found->principal);
  if (session != NULL)
    *session = g_steal_pointer (&found->session);
  found_free (found);
  return principal;
}
