/* sp-db-accounts.c: SQL for login, lockout, sessions and logout */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-crypto.h"
#include "sp-db-accounts.h"
#include "sp-db-util.h"
#include "sp-error.h"

void
sp_session_free (SpSession *session)
{
  if (session == NULL)
    return;
  sp_user_free (session->user);
  g_free (session);
}

void
sp_login_request_free (SpLoginRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->username);
  if (request->password != NULL)
    memset (request->password, 0, strlen (request->password));
  g_free (request->password);
  g_free (request->user_agent);
  g_free (request);
}

void
sp_login_result_free (SpLoginResult *result)
{
  if (result == NULL)
    return;
  g_free (result->token);
  g_free (result->expires_at);
  g_free (result->locked_until);
  sp_session_free (result->session);
  g_free (result);
}

void
sp_session_lookup_free (SpSessionLookup *lookup)
{
  if (lookup == NULL)
    return;
  g_bytes_unref (lookup->token_hash);
  g_free (lookup);
}

/* Slugs match ^[a-z0-9-]+$, so a text[] literal is just {a,b,c}. */
static GStrv
parse_slug_array (const char *literal)
{
  g_autofree char *inner = NULL;
  gsize length;

  if (literal == NULL || (length = strlen (literal)) < 2 || length == 2)
    return g_new0 (char *, 1);
  inner = g_strndup (literal + 1, length - 2);
  return g_strsplit (inner, ",", -1);
}

#define SESSION_COLUMNS \
  "a.id, a.username, a.full_name, a.role, e.id, e.code, e.name, " \
  "ARRAY (SELECT sv.slug FROM account_servizio x JOIN servizio sv ON sv.id = x.servizio_id " \
  "       WHERE x.account_id = a.id AND sv.ente_id = a.ente_id ORDER BY sv.slug)"

static SpSession *
session_from_row (PGresult *result,
                  int       row,
                  int       first)
{
  SpSession *session = g_new0 (SpSession, 1);
  SpUser *user = sp_user_new ();

  session->account_id = sp_db_get_int64 (result, row, first);
  user->username = g_strdup (sp_db_get (result, row, first + 1));
  user->full_name = g_strdup (sp_db_get (result, row, first + 2));
  user->role = sp_role_from_string (sp_db_get (result, row, first + 3));
  session->ente_id = sp_db_get_int64 (result, row, first + 4);
  user->ente_code = g_strdup (sp_db_get (result, row, first + 5));
  user->ente_name = g_strdup (sp_db_get (result, row, first + 6));
  user->servizi = parse_slug_array (sp_db_get (result, row, first + 7));
  session->user = user;
  return session;
}

static SpLoginResult *
refuse (SpLoginOutcome  outcome,
        const char     *locked_until)
{
  SpLoginResult *result = g_new0 (SpLoginResult, 1);

  result->outcome = outcome;
  result->locked_until = g_strdup (locked_until);
  return result;
}

static SpLoginResult *
record_failure (PGconn          *conn,
                SpLoginRequest  *request,
                const char      *account_id,
                GError         **error)
{
  g_autofree char *threshold = g_strdup_printf ("%d", request->lockout_threshold);
  g_autofree char *minutes = g_strdup_printf ("%d", request->lockout_minutes);
  g_autoptr(PGresult) updated = NULL;
  const char *locked_until;

  /* The failure that reaches the threshold locks the account and starts a new count. */
  updated = sp_db_exec (conn,
                        "UPDATE account SET"
                        "  locked_until = CASE WHEN failed_logins + 1 >= $2::integer"
                        "                      THEN now () + $3::integer * interval '1 minute' END,"
                        "  failed_logins = CASE WHEN failed_logins + 1 >= $2::integer"
                        "                       THEN 0 ELSE failed_logins + 1 END"
                        " WHERE id = $1::bigint"
                        " RETURNING to_json (locked_until) #>> '{}'",
                        3, SP_DB_PARAMS (account_id, threshold, minutes), error);
  if (updated == NULL || !sp_db_commit (conn, error))
    return NULL;

  locked_until = sp_db_get (updated, 0, 0);
  if (locked_until != NULL)
    {
      g_message ("Account %s locked after %d failed logins", request->username, request->lockout_threshold);
      return refuse (SP_LOGIN_LOCKED, locked_until);
    }
  return refuse (SP_LOGIN_INVALID_CREDENTIALS, NULL);
}

static SpLoginResult *
open_session (PGconn          *conn,
              SpLoginRequest  *request,
              const char      *account_id,
              GError         **error)
{
  g_autoptr(SpLoginResult) result = g_new0 (SpLoginResult, 1);
  g_autoptr(GBytes) token_hash = NULL;
  g_autofree char *hours = g_strdup_printf ("%d", request->session_hours);
  g_autoptr(PGresult) inserted = NULL;
  g_autoptr(PGresult) row = NULL;
  const char *params[4];
  int lengths[4] = { 0 };
  int formats[4] = { 1, 0, 0, 0 };

  result->token = sp_crypto_new_token (&token_hash);

  params[0] = g_bytes_get_data (token_hash, NULL);
  lengths[0] = (int) g_bytes_get_size (token_hash);
  params[1] = account_id;
  params[2] = hours;
  params[3] = request->user_agent;

  if (!sp_db_command (conn,
                      "UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = $1::bigint",
                      1, SP_DB_PARAMS (account_id), error)
      || !(inserted = sp_db_exec_binary (conn,
                                         "INSERT INTO session (token_hash, account_id, expires_at, user_agent)"
                                         " VALUES ($1, $2::bigint, now () + $3::integer * interval '1 hour', $4)"
                                         " RETURNING to_json (expires_at) #>> '{}'",
                                         4, params, lengths, formats, error))
      || !(row = sp_db_exec (conn, "SELECT " SESSION_COLUMNS
                                   " FROM account a JOIN ente e ON e.id = a.ente_id WHERE a.id = $1::bigint",
                             1, SP_DB_PARAMS (account_id), error))
      || !sp_db_commit (conn, error))
    return NULL;

  result->outcome = SP_LOGIN_OK;
  result->expires_at = g_strdup (sp_db_get (inserted, 0, 0));
  result->session = session_from_row (row, 0, 0);
  return g_steal_pointer (&result);
}

/**
 * sp_db_login: (SpDbFunc)
 * @request: an #SpLoginRequest
 *
 * Checks the password (scrypt, on this worker thread) under a row lock, so
 * concurrent attempts are counted one by one.
 *
 * Returns: (transfer full): an #SpLoginResult
 */
gpointer
sp_db_login (PGconn   *conn,
             gpointer  data,
             GError  **error)
{
  SpLoginRequest *request = data;
  g_autoptr(PGresult) account = NULL;
  SpLoginResult *result;
  const char *account_id;

  if (!sp_db_begin (conn, error))
    return NULL;

  account = sp_db_exec (conn,
                        "SELECT id, password_hash, disabled,"
                        "       locked_until > now (), to_json (locked_until) #>> '{}'"
                        " FROM account WHERE username = $1 FOR UPDATE",
                        1, SP_DB_PARAMS (request->username), error);
  if (account == NULL)
    goto failed;

  if (PQntuples (account) == 0 || sp_db_get_bool (account, 0, 2))
    {
      /* Unknown or disabled: take as long as a wrong password would. */
      sp_db_rollback (conn);
      sp_crypto_burn_password_time (request->password);
      return refuse (SP_LOGIN_INVALID_CREDENTIALS, NULL);
    }

  account_id = sp_db_get (account, 0, 0);
  if (sp_db_get_bool (account, 0, 3))
    {
      /* No password check while locked: a locked account is no oracle. */
      result = refuse (SP_LOGIN_LOCKED, sp_db_get (account, 0, 4));
      sp_db_rollback (conn);
      return result;
    }

  if (!sp_crypto_verify_password (request->password, sp_db_get (account, 0, 1)))
    result = record_failure (conn, request, account_id, error);
  else
    result = open_session (conn, request, account_id, error);
  if (result == NULL)
    goto failed;
  return result;

failed:
  sp_db_rollback (conn);
  return NULL;
}

/**
 * sp_db_session_lookup: (SpDbFunc)
 * @lookup: an #SpSessionLookup
 *
 * Returns: (transfer full): the #SpSession of a live token; otherwise
 *   %SP_ERROR_UNAUTHENTICATED for an unknown token and
 *   %SP_ERROR_SESSION_EXPIRED for an expired, idle or revoked one
 */
gpointer
sp_db_session_lookup (PGconn   *conn,
                      gpointer  data,
                      GError  **error)
{
  SpSessionLookup *lookup = data;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *idle = g_strdup_printf ("%d", lookup->idle_minutes);
  const char *params[] = { g_bytes_get_data (lookup->token_hash, NULL), idle };
  int lengths[] = { (int) g_bytes_get_size (lookup->token_hash), 0 };
  int formats[] = { 1, 0 };

  /* Touch last_seen_at at most every 30 s, so reads stay cheap. */
  result = sp_db_exec_binary (conn,
                              "WITH s AS ("
                              "  SELECT token_hash, account_id,"
                              "         revoked_at IS NULL AND expires_at > now ()"
                              "         AND last_seen_at > now () - $2::integer * interval '1 minute' AS live,"
                              "         last_seen_at < now () - interval '30 seconds' AS stale"
                              "  FROM session WHERE token_hash = $1),"
                              " touch AS ("
                              "  UPDATE session SET last_seen_at = now () FROM s"
                              "  WHERE session.token_hash = s.token_hash AND s.live AND s.stale)"
                              " SELECT s.live AND NOT a.disabled, " SESSION_COLUMNS
                              " FROM s JOIN account a ON a.id = s.account_id JOIN ente e ON e.id = a.ente_id",
                              2, params, lengths, formats, error);
  if (result == NULL)
    return NULL;

  if (PQntuples (result) == 0)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_UNAUTHENTICATED, "Unknown session");
      return NULL;
    }
  if (!sp_db_get_bool (result, 0, 0))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_SESSION_EXPIRED, "The session has expired, please log in again");
      return NULL;
    }
  return session_from_row (result, 0, 1);
}

/**
 * sp_db_session_revoke: (SpDbFunc)
 * @token_hash: the #GBytes SHA-256 of the token
 */
gpointer
sp_db_session_revoke (PGconn   *conn,
                      gpointer  data,
                      GError  **error)
{
  GBytes *token_hash = data;
  const char *params[] = { g_bytes_get_data (token_hash, NULL) };
  int lengths[] = { (int) g_bytes_get_size (token_hash) };
  int formats[] = { 1 };
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec_binary (conn,
                              "UPDATE session SET revoked_at = now ()"
                              " WHERE token_hash = $1 AND revoked_at IS NULL",
                              1, params, lengths, formats, error);
  return result != NULL ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * sp_db_ping: (SpDbFunc)
 */
gpointer
sp_db_ping (PGconn   *conn,
            gpointer  data,
            GError  **error)
{
  g_autoptr(PGresult) result = sp_db_exec (conn, "SELECT 1", 0, NULL, error);

  return result != NULL ? GINT_TO_POINTER (TRUE) : NULL;
}
