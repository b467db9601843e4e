/* sp-handlers-auth.c: operator and auditor login, logout and "me" */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

#include "sp-crypto.h"
#include "sp-db-accounts.h"
#include "sp-handlers.h"
#include "sp-json.h"
#include "sp-server.h"

static void
reply_locked (SpRequest  *request,
              const char *locked_until)
{
  g_autofree char *detail = g_strdup_printf ("Too many failed logins: the account is locked until %s",
                                             locked_until);
  g_autoptr(GError) error = g_error_new_literal (SP_ERROR, SP_ERROR_ACCOUNT_LOCKED, detail);
  g_autoptr(JsonNode) problem = sp_problem_new (error, NULL);

  json_object_set_string_member (json_node_get_object (problem), "locked_until", locked_until);
  sp_request_reply_problem_node (request, problem);
}

/* One login on its way: look-up, password check, record. */
typedef struct
{
  SpRequest       *request;
  SpLoginAccount  *account;
  char            *password;   /* wiped once checked */
  char            *user_agent;
  gboolean         matches;    /* written by the worker */
} Login;

static void
wipe_password (Login *login)
{
  if (login->password != NULL)
    memset (login->password, 0, strlen (login->password));
  g_clear_pointer (&login->password, g_free);
}

static void
login_free (Login *login)
{
  wipe_password (login);
  sp_login_account_free (login->account);
  g_free (login->user_agent);
  g_free (login);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Login, login_free)

static void
reply_login (SpRequest     *request,
             SpLoginResult *login)
{
  g_autoptr(JsonBuilder) builder = NULL;

  switch (login->outcome)
    {
    case SP_LOGIN_INVALID_CREDENTIALS:
      sp_request_reply_problem (request, SP_ERROR_INVALID_CREDENTIALS, "Wrong username or password");
      return;

    case SP_LOGIN_LOCKED:
      reply_locked (request, login->locked_until);
      return;

    case SP_LOGIN_OK:
      break;

    default:
      g_assert_not_reached ();
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, login->token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, login->expires_at);
  json_builder_set_member_name (builder, "idle_timeout_minutes");
  json_builder_add_int_value (builder, request->server->config->session_idle_minutes);
  json_builder_set_member_name (builder, "user");
  sp_user_to_json (login->session->user, builder);
  json_builder_end_object (builder);

  g_message ("%s logged in", login->session->user->username);
  sp_request_reply_builder (request, SOUP_STATUS_OK, builder);
}

static void
recorded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Login) login = user_data;
  SpDb *db = login->request->server->db;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpLoginResult) outcome = NULL;

  if (login->matches)
    outcome = sp_db_login_record_success_finish (db, result, &error);
  else
    outcome = sp_db_login_record_failure_finish (db, result, &error);
  if (outcome == NULL)
    sp_request_reply_error (login->request, error);
  else
    reply_login (login->request, outcome);
}

/* SpWorkFunc: scrypt, on a CPU worker, with no database connection held. An
 * unknown or disabled username costs as long as a wrong password. */
static gpointer
check_password (gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Login *login = data;

  if (login->account->account_id == 0)
    sp_crypto_burn_password_time (login->password);
  else
    login->matches = sp_crypto_verify_password (login->password, login->account->password_hash);
  return GINT_TO_POINTER (TRUE);
}

static void
checked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Login *login = user_data;
  SpServer *server = login->request->server;
  g_autoptr(GError) error = NULL;

  wipe_password (login);
  if (sp_workers_run_finish (server->workers, result, &error) == NULL)
    {
      sp_request_reply_failure (login->request, error);
      login_free (login);
      return;
    }
  if (login->account->account_id == 0)
    {
      sp_request_reply_problem (login->request, SP_ERROR_INVALID_CREDENTIALS, "Wrong username or password");
      login_free (login);
      return;
    }

  if (login->matches)
    sp_db_login_record_success_async (server->db, login->account, login->user_agent,
                                      server->config->session_absolute_hours, NULL, recorded_cb, login);
  else
    sp_db_login_record_failure_async (server->db, login->account, server->config->lockout_threshold,
                                      server->config->lockout_minutes, NULL, recorded_cb, login);
}

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Login *login = user_data;
  SpServer *server = login->request->server;
  g_autoptr(GError) error = NULL;

  login->account = sp_db_login_lookup_finish (server->db, result, &error);
  if (login->account == NULL)
    {
      sp_request_reply_failure (login->request, error);
      login_free (login);
      return;
    }
  /* No password check while locked: a locked account is no oracle. */
  if (login->account->locked_until != NULL)
    {
      reply_locked (login->request, login->account->locked_until);
      login_free (login);
      return;
    }
  /* A client that hangs up costs no hash; one that waits has its outcome
   * recorded whatever happens next (no cancellable): a failure always counts. */
  sp_workers_run_async (server->workers, check_password, login, NULL, NULL, login->request->cancellable,
                        checked_cb, login);
}

/* Both members are checked, so that a 422 names every wrong one. */
static gboolean
read_credentials (SpRequest   *request,
                  const char **username,
                  const char **password)
{
  const char *members[] = { "username", "password" };
  const char **values[] = { username, password };
  g_autoptr(JsonArray) errors = json_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!(*values[i] = sp_json_require_string (request->body, members[i], &error)))
        sp_problem_add_field_error (errors, members[i], error->message);
    }
  if (json_array_get_length (errors) == 0)
    return TRUE;
  sp_request_reply_field_errors (request, errors);
  return FALSE;
}

/* POST /api/v1.0/auth/login {username, password}: the account is looked up,
 * the password checked on the CPU workers, and the outcome recorded; no
 * database connection is held while scrypt runs. */
void
sp_handle_login (SpRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  g_autofree char *lower = NULL;
  const char *username;
  const char *password;
  Login *login;

  if (!read_credentials (request, &username, &password))
    return;
  if (strlen (username) > 64 || strlen (password) > 1024)
    {
      sp_request_reply_problem (request, SP_ERROR_INVALID_CREDENTIALS, "Wrong username or password");
      return;
    }

  login = g_new0 (Login, 1);
  login->request = request;
  login->password = g_strdup (password);
  login->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  lower = g_utf8_strdown (username, -1);
  sp_db_login_lookup_async (request->server->db, lower, request->cancellable, looked_up_cb, login);
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  if (sp_db_run_finish (request->server->db, result, &error) == NULL)
    {
      sp_request_reply_error (request, error);
      return;
    }
  g_message ("%s logged out", request->session->user->username);
  sp_request_reply_no_content (request);
}

/* POST /api/v1.0/auth/logout: revokes the calling session. */
void
sp_handle_logout (SpRequest *request)
{
  sp_db_run_async (request->server->db, sp_db_session_revoke, g_bytes_ref (request->token_hash),
                   (GDestroyNotify) g_bytes_unref, NULL, NULL, logout_cb, request);
}

/* GET /api/v1.0/auth/me */
void
sp_handle_me (SpRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  sp_user_to_json (request->session->user, builder);
  sp_request_reply_builder (request, SOUP_STATUS_OK, builder);
}
