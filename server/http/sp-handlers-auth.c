/* sp-handlers-auth.c: operator and auditor login, logout and "me" */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

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

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpLoginResult) login = sp_db_run_finish (request->server->db, result, &error);
  g_autoptr(JsonBuilder) builder = NULL;

  if (login == NULL)
    {
      sp_request_reply_error (request, error);
      return;
    }

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

/* POST /api/v1.0/auth/login {username, password} */
void
sp_handle_login (SpRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  g_autoptr(GError) error = NULL;
  SpConfig *config = request->server->config;
  SpLoginRequest *login;
  const char *username;
  const char *password;

  if (!(username = sp_json_require_string (request->body, "username", &error))
      || !(password = sp_json_require_string (request->body, "password", &error)))
    {
      sp_request_reply_error (request, error);
      return;
    }
  if (strlen (username) > 64 || strlen (password) > 1024)
    {
      sp_request_reply_problem (request, SP_ERROR_INVALID_CREDENTIALS, "Wrong username or password");
      return;
    }

  login = g_new0 (SpLoginRequest, 1);
  login->username = g_utf8_strdown (username, -1);
  login->password = g_strdup (password);
  login->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  login->lockout_threshold = config->lockout_threshold;
  login->lockout_minutes = config->lockout_minutes;
  login->session_hours = config->session_absolute_hours;

  sp_db_run_async (request->server->db, sp_db_login, login,
                   (GDestroyNotify) sp_login_request_free, (GDestroyNotify) sp_login_result_free,
                   NULL, login_cb, request);
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
