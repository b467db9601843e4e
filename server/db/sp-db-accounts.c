/* sp-db-accounts.c: SQL for login, lockout, sessions and logout */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-crypto.h"
#include "sp-db-accounts.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"

void
sp_session_free (SpSession *session)
{
  if (session == NULL)
    return;
  sp_user_free (session->user);
  g_clear_pointer (&session->servizio_ids, g_array_unref);
  g_free (session);
}

void
sp_login_account_free (SpLoginAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->username);
  g_free (account->password_hash);
  g_free (account->locked_until);
  g_free (account);
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

/* {1,2,3}: a bigint[] as PostgreSQL writes it. */
static GArray *
parse_ids (const char *literal)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) parts = NULL;

  if (literal == NULL || strlen (literal) < 3)
    return ids;
  parts = g_strsplit_set (literal, "{,}", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      gint64 id;

      if (*parts[i] != '\0' && g_ascii_string_to_signed (parts[i], 10, 1, G_MAXINT64, &id, NULL))
        g_array_append_val (ids, id);
    }
  return ids;
}

#define SESSION_COLUMNS \
  "a.id, a.username, a.full_name, a.role, e.id, e.code, e.name, " \
  "ARRAY (SELECT sv.slug FROM account_servizio x JOIN servizio sv ON sv.id = x.servizio_id " \
  "       WHERE x.account_id = a.id AND sv.ente_id = a.ente_id ORDER BY sv.slug)"
#define SESSION_N_COLUMNS 8

/* The services whose pratiche the account may see: those of its ente it is
 * enabled for, or all of its ente's for an auditor. */
#define VISIBLE_SERVIZI \
  "ARRAY (SELECT sv.id FROM servizio sv WHERE sv.ente_id = a.ente_id" \
  "       AND (a.role = 'auditor' OR EXISTS (SELECT 1 FROM account_servizio x" \
  "                                         WHERE x.account_id = a.id AND x.servizio_id = sv.id))" \
  "       ORDER BY sv.id)"

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

static gpointer
login_lookup (PGconn   *conn,
              gpointer  data,
              GError  **error)
{
  const char *username = data;
  g_autoptr(PGresult) row = NULL;
  SpLoginAccount *account;

  /* Whether the lock is still on is the database's word, not this host's clock. */
  row = sp_db_exec (conn,
                    "SELECT id, password_hash,"
                    "       CASE WHEN locked_until > now () THEN to_json (locked_until) #>> '{}' END"
                    " FROM account WHERE username = $1 AND NOT disabled",
                    1, SP_DB_PARAMS (username), error);
  if (row == NULL)
    return NULL;

  account = g_new0 (SpLoginAccount, 1);
  account->username = g_strdup (username);
  if (PQntuples (row) == 1)
    {
      account->account_id = sp_db_get_int64 (row, 0, 0);
      account->password_hash = g_strdup (sp_db_get (row, 0, 1));
      account->locked_until = g_strdup (sp_db_get (row, 0, 2));
    }
  return account;
}

/**
 * sp_db_login_lookup_async:
 * @username: the username, lower case
 *
 * Reads the account's password hash and lockout, in one short statement
 * that takes no lock.
 */
void
sp_db_login_lookup_async (SpDb                *db,
                          const char          *username,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sp_db_login_lookup_async);
  sp_db_task_run (db, SP_DB_ONCE, task, login_lookup, g_strdup (username), g_free, (GDestroyNotify) sp_login_account_free);
}

/**
 * sp_db_login_lookup_finish:
 *
 * Returns: (transfer full): the #SpLoginAccount; its @account_id is 0 for an
 *   unknown or disabled username, which must cost as long as a wrong password
 */
SpLoginAccount *
sp_db_login_lookup_finish (SpDb          *db,
                           GAsyncResult  *result,
                           GError       **error)
{
  return sp_db_task_finish (result, sp_db_login_lookup_async, error);
}

typedef struct
{
  char  *account_id;
  char  *username;
  char  *password_hash;
  char  *user_agent;
  int    session_hours;
  int    lockout_threshold;
  int    lockout_minutes;
} Outcome;

static void
outcome_free (gpointer data)
{
  Outcome *outcome = data;

  g_free (outcome->account_id);
  g_free (outcome->username);
  g_free (outcome->password_hash);
  g_free (outcome->user_agent);
  g_free (outcome);
}

static Outcome *
outcome_new (const SpLoginAccount *account)
{
  Outcome *outcome = g_new0 (Outcome, 1);

  outcome->account_id = g_strdup_printf ("%" G_GINT64_FORMAT, account->account_id);
  outcome->username = g_strdup (account->username);
  outcome->password_hash = g_strdup (account->password_hash);
  return outcome;
}

/* Whether the account is locked now, as the reason a login was refused. */
static SpLoginResult *
refuse_locked_or_invalid (PGconn      *conn,
                          const char  *account_id,
                          GError     **error)
{
  g_autoptr(PGresult) locked = sp_db_exec (conn,
                                           "SELECT to_json (locked_until) #>> '{}' FROM account"
                                           " WHERE id = $1::bigint AND locked_until > now ()",
                                           1, SP_DB_PARAMS (account_id), error);

  if (locked == NULL)
    return NULL;
  if (PQntuples (locked) == 1)
    return refuse (SP_LOGIN_LOCKED, sp_db_get (locked, 0, 0));
  return refuse (SP_LOGIN_INVALID_CREDENTIALS, NULL);
}

/* The password matched. One statement, so that the row lock lasts no longer
 * than it: the account must still be enabled, unlocked (concurrent failures
 * may have locked it meanwhile) and hold the hash that was checked (not
 * reset meanwhile); then the failed logins are cleared and a session opens. */
static gpointer
login_success (PGconn   *conn,
               gpointer  data,
               GError  **error)
{
  Outcome *outcome = data;
  g_autoptr(SpLoginResult) result = g_new0 (SpLoginResult, 1);
  g_autoptr(GBytes) token_hash = NULL;
  g_autofree char *hours = g_strdup_printf ("%d", outcome->session_hours);
  g_autoptr(PGresult) row = NULL;
  const char *params[5];
  int lengths[5] = { 0 };
  int formats[5] = { 1, 0, 0, 0, 0 };

  result->token = sp_crypto_new_token (&token_hash);
  params[0] = g_bytes_get_data (token_hash, NULL);
  lengths[0] = (int) g_bytes_get_size (token_hash);
  params[1] = outcome->account_id;
  params[2] = hours;
  params[3] = outcome->user_agent;
  params[4] = outcome->password_hash;

  row = sp_db_exec_binary (conn,
                           "WITH cleared AS ("
                           "  UPDATE account SET failed_logins = 0, locked_until = NULL"
                           "  WHERE id = $2::bigint AND NOT disabled AND password_hash = $5"
                           "    AND (locked_until IS NULL OR locked_until <= now ())"
                           "  RETURNING id),"
                           " opened AS ("
                           "  INSERT INTO session (token_hash, account_id, expires_at, user_agent)"
                           "  SELECT $1, id, now () + $3::integer * interval '1 hour', $4 FROM cleared"
                           "  RETURNING expires_at)"
                           " SELECT to_json (opened.expires_at) #>> '{}', " SESSION_COLUMNS
                           " FROM opened, account a JOIN ente e ON e.id = a.ente_id WHERE a.id = $2::bigint",
                           5, params, lengths, formats, error);
  if (row == NULL)
    return NULL;
  if (PQntuples (row) == 0)
    return refuse_locked_or_invalid (conn, outcome->account_id, error);

  result->outcome = SP_LOGIN_OK;
  result->expires_at = g_strdup (sp_db_get (row, 0, 0));
  result->session = session_from_row (row, 0, 1);
  return g_steal_pointer (&result);
}

/**
 * sp_db_login_record_success_async:
 * @account: the account whose password was just checked and matched
 * @user_agent: (nullable): the client's User-Agent, kept with the session
 *
 * Opens a session and clears the failed logins, unless the account was
 * locked, disabled or given another password since it was looked up.
 */
void
sp_db_login_record_success_async (SpDb                 *db,
                                  const SpLoginAccount *account,
                                  const char           *user_agent,
                                  int                   session_hours,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  Outcome *outcome;
  GTask *task;

  g_return_if_fail (account->account_id != 0);

  outcome = outcome_new (account);
  outcome->user_agent = g_strdup (user_agent);
  outcome->session_hours = session_hours;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_db_login_record_success_async);
  sp_db_task_run (db, SP_DB_RETRY, task, login_success, outcome, outcome_free, (GDestroyNotify) sp_login_result_free);
}

/**
 * sp_db_login_record_success_finish:
 *
 * Returns: (transfer full): an #SpLoginResult: a session, or why not
 */
SpLoginResult *
sp_db_login_record_success_finish (SpDb          *db,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return sp_db_task_finish (result, sp_db_login_record_success_async, error);
}

/* One statement: the row lock of the UPDATE counts concurrent failures one
 * by one. The failure that reaches the threshold locks the account and starts
 * a new count; a failure checked while another one locked the account does
 * not count again. */
static gpointer
login_failure (PGconn   *conn,
               gpointer  data,
               GError  **error)
{
  Outcome *outcome = data;
  g_autofree char *threshold = g_strdup_printf ("%d", outcome->lockout_threshold);
  g_autofree char *minutes = g_strdup_printf ("%d", outcome->lockout_minutes);
  g_autoptr(PGresult) updated = NULL;
  const char *locked_until;

  updated = sp_db_exec (conn,
                        "UPDATE account SET"
                        "  locked_until = CASE WHEN failed_logins + 1 >= $2::integer"
                        "                      THEN now () + $3::integer * interval '1 minute' END,"
                        "  failed_logins = CASE WHEN failed_logins + 1 >= $2::integer"
                        "                       THEN 0 ELSE failed_logins + 1 END"
                        " WHERE id = $1::bigint AND NOT disabled AND password_hash = $4"
                        "   AND (locked_until IS NULL OR locked_until <= now ())"
                        " RETURNING to_json (locked_until) #>> '{}'",
                        4, SP_DB_PARAMS (outcome->account_id, threshold, minutes, outcome->password_hash),
                        error);
  if (updated == NULL)
    return NULL;

  if (PQntuples (updated) == 1)
    {
      locked_until = sp_db_get (updated, 0, 0);
      if (locked_until == NULL)
        return refuse (SP_LOGIN_INVALID_CREDENTIALS, NULL);
      g_message ("Account %s locked after %d failed logins", outcome->username, outcome->lockout_threshold);
      return refuse (SP_LOGIN_LOCKED, locked_until);
    }

  /* Locked meanwhile by a concurrent failure (or disabled, or reset). */
  return refuse_locked_or_invalid (conn, outcome->account_id, error);
}

/**
 * sp_db_login_record_failure_async:
 * @account: the account whose password was just checked and did not match
 *
 * Counts the failed login; the one that reaches @lockout_threshold locks the
 * account for @lockout_minutes.
 */
void
sp_db_login_record_failure_async (SpDb                 *db,
                                  const SpLoginAccount *account,
                                  int                   lockout_threshold,
                                  int                   lockout_minutes,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  Outcome *outcome;
  GTask *task;

  g_return_if_fail (account->account_id != 0);

  outcome = outcome_new (account);
  outcome->lockout_threshold = lockout_threshold;
  outcome->lockout_minutes = lockout_minutes;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_db_login_record_failure_async);
  sp_db_task_run (db, SP_DB_RETRY, task, login_failure, outcome, outcome_free, (GDestroyNotify) sp_login_result_free);
}

/**
 * sp_db_login_record_failure_finish:
 *
 * Returns: (transfer full): an #SpLoginResult: refused, or locked now
 */
SpLoginResult *
sp_db_login_record_failure_finish (SpDb          *db,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return sp_db_task_finish (result, sp_db_login_record_failure_async, error);
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
  SpSession *session;
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
                              " SELECT s.live AND NOT a.disabled, " SESSION_COLUMNS ", " VISIBLE_SERVIZI
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
  session = session_from_row (result, 0, 1);
  session->servizio_ids = parse_ids (sp_db_get (result, 0, 1 + SESSION_N_COLUMNS));
  return session;
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
