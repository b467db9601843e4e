/* sp-dispatch.c: from a request to its handler: route, body, the caller (its principal), the route's callers; uploads admitted at their headers */
#define G_LOG_DOMAIN "sp-server"

#include "config.h"

#include "sp-crypto.h"
#include "sp-db-session.h"
#include "sp-dispatch.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-partner-auth.h"
#include "sp-request.h"
#include "sp-router.h"
#include "sp-server.h"
#include "sp-upload.h"

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
  if (request->route->body == SP_BODY_JSON_ARRAY)
    {
      g_autoptr(JsonNode) root = sp_json_parse (body->data, body->length, &error);

      if (root != NULL && !JSON_NODE_HOLDS_ARRAY (root))
        {
          sp_request_reply_problem (request, SP_ERROR_INVALID_INPUT, "The body must be a JSON array");
          return FALSE;
        }
      if (root != NULL)
        request->body_array = json_array_ref (json_node_get_array (root));
    }
  else
    request->body = sp_json_parse_object (body->data, body->length, &error);
  if (request->body == NULL && request->body_array == NULL)
    {
      sp_request_reply_error (request, error);
      return FALSE;
    }
  return TRUE;
}

/* A partner acts only in its own name: the {partner} of the path is its
 * slug, or 403. */
static gboolean
partner_matches (SpRequest *request)
{
  const char *partner = sp_request_get_param (request, "partner");

  if (partner == NULL || sp_principal_get_kind (request->principal) != SP_PRINCIPAL_PARTNER
      || g_str_equal (partner, sp_principal_get_name (request->principal)))
    return TRUE;
  sp_request_reply_problem (request, SP_ERROR_FORBIDDEN, "The path names another partner");
  return FALSE;
}

/* The caller is known: run the handler if the route accepts its kind, with
 * its JSON body parsed (a caller refused never has its body parsed); for an
 * upload not read yet, its admission instead (the route's own checks, which
 * accept the body or refuse it). */
static void
run_handler (SpRequest *request)
{
  if (!sp_principal_is_allowed (request->principal, request->route->principals))
    {
      sp_request_reply_problem (request, SP_ERROR_FORBIDDEN, "Your role does not allow this");
      return;
    }
  if (!partner_matches (request))
    return;
  if ((request->route->body == SP_BODY_JSON || request->route->body == SP_BODY_JSON_ARRAY) && !parse_body (request))
    return;
  if (!request->early)
    request->route->handler (request);
  else if (request->route->admit != NULL)
    request->route->admit (request);
  else
    sp_request_accept_body (request);
}

static void
session_lookup_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  request->principal = sp_db_session_lookup_finish (request->server->db, result, &request->session, &error);
  if (request->principal == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  run_handler (request);
}

/* Builds the request's principal from its credentials: a session token
 * (Bearer) of an operator or auditor, or on the routes partners call, a
 * partner's HTTP Basic or client certificate (sp-partner-auth.c). Partner
 * credentials open no other route: they get 401 there; a session token on a
 * partner's route is an operator's, refused with 403 like any role. */
static void
authenticate (SpRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  gboolean bearer = authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0;

  if ((request->route->principals & SP_PRINCIPAL_PARTNER) != 0 && !bearer)
    {
      sp_partner_authenticate (request, run_handler);
      return;
    }
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0
      || authorization[7] == '\0' || strlen (authorization + 7) > 128)
    {
      sp_request_reply_problem (request, SP_ERROR_UNAUTHENTICATED, "A session token is required");
      return;
    }

  request->token_hash = sp_crypto_token_hash (authorization + 7);
  sp_db_session_lookup_async (request->server->db, request->token_hash,
                              request->server->config->session_idle_minutes,
                              request->cancellable, session_lookup_cb, request);
}

/* A public route needs nobody's credentials, and reads none. */
static void
admit (SpRequest *request)
{
  if ((request->route->principals & SP_PRINCIPAL_ANONYMOUS) != 0)
    {
      request->principal = sp_principal_new_anonymous ();
      run_handler (request);
    }
  else
    authenticate (request);
}

/* The file of a SP_BODY_FILE route is all on disk, with its SHA-256; its
 * caller was admitted before any of it was read. */
static void
upload_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;

  if (!sp_upload_close_finish (result, &error))
    {
      sp_request_reply_error (request, error);
      return;
    }
  request->route->handler (request);
}

/* Routes the request, then admits its caller. */
static void
route (SpRequest  *request,
       const char *path)
{
  SoupServerMessage *msg = request->msg;
  SpRouteMatch match;

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

  /* An upload is admitted at its headers (sp_dispatch_headers()) and goes
   * on with sp_request_resume(): never here with its body. */
  if (request->route->body == SP_BODY_FILE && !request->early)
    {
      sp_request_reply_problem (request, SP_ERROR_INTERNAL, "The upload was not admitted");
      return;
    }
  admit (request);
}

/* Pauses @request until it is answered, or until its body comes. */
static void
end_dispatch (SpServer  *self,
              SpRequest *request)
{
  gboolean waits = !request->answered && !request->parked;

  sp_request_end_dispatch (request, waits ? sp_listener_get_socket (self->listener, request->msg) : NULL);
}

/**
 * sp_dispatch_headers:
 *
 * For a route that takes a file, at its headers: routes @msg and admits its
 * caller (credentials, role, the route's own checks) before any of the body
 * is read. An admitted request reads its body to disk and waits on @msg
 * for sp_dispatch(); a refused one is answered on a connection then closed,
 * without a byte of its body written anywhere.
 */
void
sp_dispatch_headers (SpServer          *self,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query)
{
  SpRequest *request = sp_request_new_early (self, msg);

  if (query != NULL)
    request->query = g_hash_table_ref (query);
  route (request, path);
  end_dispatch (self, request);
}

/**
 * sp_dispatch:
 *
 * Routes @msg, parses its JSON body, builds the caller's principal, refuses
 * callers the route does not accept (401 without valid credentials, 403 for
 * the others) and runs the route's handler. A request that is not answered
 * at once stays paused until the handler answers, and the request's
 * cancellable is cancelled if the client goes away meanwhile.
 */
void
sp_dispatch (SpServer          *self,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query)
{
  SpRequest *request = sp_request_resume (msg);

  if (request != NULL)
    {
      /* An admitted upload, its body now on disk. */
      request->upload = sp_upload_steal (msg);
      sp_upload_close_async (request->upload, request->cancellable, upload_closed_cb, request);
    }
  else
    {
      request = sp_request_new (self, msg);
      if (query != NULL)
        request->query = g_hash_table_ref (query);
      route (request, path);
    }
  end_dispatch (self, request);
}
