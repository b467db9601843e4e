/* sp-dispatch.c: from a request to its handler: route, body, authentication, role */
#define G_LOG_DOMAIN "sp-server"

#include "config.h"

#include "sp-crypto.h"
#include "sp-db-accounts.h"
#include "sp-dispatch.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-request.h"
#include "sp-router.h"
#include "sp-server.h"

static void
run_handler (SpRequest *request)
{
  guint role_bit = 1u << request->session->user->role;

  if (request->route->auth == SP_AUTH_SESSION && (request->route->roles & role_bit) == 0)
    {
      sp_request_reply_problem (request, SP_ERROR_FORBIDDEN, "Your role does not allow this");
      return;
    }
  request->route->handler (request);
}

static void
session_lookup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  request->session = sp_db_run_finish (request->server->db, result, &error);
  if (request->session == NULL)
    {
      sp_request_reply_error (request, error);
      return;
    }
  run_handler (request);
}

static void
authenticate_session (SpRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  SpSessionLookup *lookup;

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0
      || authorization[7] == '\0' || strlen (authorization + 7) > 128)
    {
      sp_request_reply_problem (request, SP_ERROR_UNAUTHENTICATED, "A session token is required");
      return;
    }

  request->token_hash = sp_crypto_token_hash (authorization + 7);
  lookup = g_new0 (SpSessionLookup, 1);
  lookup->token_hash = g_bytes_ref (request->token_hash);
  lookup->idle_minutes = request->server->config->session_idle_minutes;
  sp_db_run_async (request->server->db, sp_db_session_lookup, lookup,
                   (GDestroyNotify) sp_session_lookup_free, (GDestroyNotify) sp_session_free,
                   NULL, session_lookup_cb, request);
}

static gboolean
is_json (SoupServerMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg), NULL);

  return type != NULL && g_ascii_strcasecmp (type, "application/json") == 0;
}

static gboolean
parse_body (SpRequest *request)
{
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
  g_autoptr(GError) error = NULL;

  if (body->length > request->route->max_body)
    {
      sp_request_reply_problem (request, SP_ERROR_PAYLOAD_TOO_LARGE, "The body is too large");
      return FALSE;
    }
  if (!is_json (request->msg))
    {
      sp_request_reply_problem (request, SP_ERROR_UNSUPPORTED_MEDIA_TYPE, "The body must be application/json");
      return FALSE;
    }
  if (!(request->body = sp_json_parse_object (body->data, body->length, &error)))
    {
      sp_request_reply_error (request, error);
      return FALSE;
    }
  return TRUE;
}

/**
 * sp_dispatch:
 *
 * Routes @msg, parses its JSON body, authenticates the caller and runs the
 * route's handler; the message stays paused until the handler answers.
 */
void
sp_dispatch (SpServer          *self,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query)
{
  SpRequest *request = sp_request_new (self, msg);
  SpRouteMatch match;

  if (query != NULL)
    request->query = g_hash_table_ref (query);

  soup_server_message_pause (msg);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");

  match = sp_router_match (soup_server_message_get_method (msg), path, &request->route, &request->params);
  if (match == SP_ROUTE_NO_PATH)
    {
      sp_request_reply_problem (request, SP_ERROR_NOT_FOUND, "There is no such resource");
      return;
    }
  if (match == SP_ROUTE_NO_METHOD)
    {
      g_autofree char *allow = sp_router_allowed_methods (path);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
      sp_request_reply_problem (request, SP_ERROR_METHOD_NOT_ALLOWED, "The resource does not accept this method");
      return;
    }

  if (request->route->json_body && !parse_body (request))
    return;

  if (request->route->auth == SP_AUTH_SESSION)
    authenticate_session (request);
  else
    request->route->handler (request);
}
