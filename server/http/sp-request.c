/* sp-request.c: a request in flight and the ways to answer it (JSON, problem, no content) */
#define G_LOG_DOMAIN "sp-request"

#include "config.h"

#include "sp-json.h"
#include "sp-log.h"
#include "sp-request.h"
#include "sp-request-stats.h"
#include "sp-server.h"

#define PARKED_KEY "sp-request"

/* A request's id: random hex, unique enough to find one answer in the log. */
static void
make_request_id (char id[17])
{
  g_snprintf (id, 17, "%08x%08x", g_random_int (), g_random_int ());
}

SpRequest *
sp_request_new (SpServer          *server,
                SoupServerMessage *msg)
{
  SpRequest *request = g_new0 (SpRequest, 1);

  request->server = server;
  request->msg = g_object_ref (msg);
  request->started_us = g_get_monotonic_time ();
  request->dispatching = TRUE;
  request->cancellable = g_cancellable_new ();
  make_request_id (request->request_id);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Request-Id",
                                request->request_id);
  return request;
}

/**
 * sp_request_new_early:
 *
 * A request whose headers are in and whose body is not read: it is routed
 * and its caller admitted (or refused, on a connection then closed) before
 * any of the body is read. See sp_request_accept_body().
 */
SpRequest *
sp_request_new_early (SpServer          *server,
                      SoupServerMessage *msg)
{
  SpRequest *request = sp_request_new (server, msg);

  request->early = TRUE;
  return request;
}

static void
request_free (SpRequest *request)
{
  g_clear_pointer (&request->params, g_hash_table_unref);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_clear_pointer (&request->body, json_object_unref);
  g_clear_pointer (&request->body_array, json_array_unref);
  g_clear_pointer (&request->body_tape, sp_json_tape_free);
  g_clear_pointer (&request->upload, sp_upload_free);
  g_clear_pointer (&request->watch, sp_client_watch_free);
  g_clear_object (&request->cancellable);
  g_clear_pointer (&request->principal, sp_principal_unref);
  g_clear_pointer (&request->session, sp_session_free);
  g_clear_pointer (&request->token_hash, g_bytes_unref);
  g_clear_object (&request->msg);
  g_free (request);
}

const char *
sp_request_get_param (SpRequest  *request,
                      const char *name)
{
  return request->params != NULL ? g_hash_table_lookup (request->params, name) : NULL;
}

const char *
sp_request_get_query (SpRequest  *request,
                      const char *name)
{
  return request->query != NULL ? g_hash_table_lookup (request->query, name) : NULL;
}

/* As deep as sp_json_parse() lets a body nest: 128 levels below the root. */
#define BODY_TAPE_DEPTH 129

/**
 * sp_request_body_tape:
 * @request: a request with a JSON body, parsed (SP_BODY_JSON, SP_BODY_JSON_ARRAY)
 *
 * The body as the client wrote it, for what is stored as sent
 * (sp_json_tape_member_text()): json-glib reads numbers into doubles and
 * 64-bit integers, which round 19.99 and wrap 10^20. Read on the first call
 * only, so that routes that store nothing as sent never read it twice. The
 * tape is stricter than json-glib, and a 400 refuses what jsonb could not keep
 * as written: a key twice in an object (jsonb keeps one), U+0000 or a lone
 * surrogate (jsonb refuses them).
 *
 * Returns: (transfer none) (nullable): the tape, or %NULL having answered 400
 */
const SpJsonTape *
sp_request_body_tape (SpRequest *request)
{
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
  g_autoptr(GError) error = NULL;

  if (request->body_tape == NULL
      && !(request->body_tape = sp_json_tape_new (body->data, body->length, BODY_TAPE_DEPTH, &error)))
    {
      sp_request_reply_error (request, error);
      return NULL;
    }
  return request->body_tape;
}

/* One line per request; those of monitors' probes only at debug level. */
static void
log_request (SpRequest *request)
{
  SoupServerMessage *msg = request->msg;
  guint code = soup_server_message_get_status (msg);
  gboolean probed = request->route != NULL && request->route->probe && SOUP_STATUS_IS_SUCCESSFUL (code);
  GLogLevelFlags level = probed ? G_LOG_LEVEL_DEBUG : G_LOG_LEVEL_INFO;
  g_autofree char *status = NULL;
  g_autofree char *duration = NULL;

  if (!sp_log_would_write (level))
    return;
  status = g_strdup_printf ("%u", code);
  duration = g_strdup_printf ("%.1f", (g_get_monotonic_time () - request->started_us) / 1000.0);
  g_log_structured (G_LOG_DOMAIN, level,
                    "STATUS", status,
                    "DURATION_MS", duration,
                    "USER", request->principal != NULL ? sp_principal_get_name (request->principal) : "-",
                    "MESSAGE", "%s %s", soup_server_message_get_method (msg),
                    g_uri_get_path (soup_server_message_get_uri (msg)));
}

/* Logs the request, resumes the message and frees the request; while it
 * is dispatched, sp_request_end_dispatch() frees it. */
static void
finish (SpRequest *request)
{
  SoupServerMessage *msg = request->msg;

  sp_request_stats_record (request->server->request_stats, request->route, soup_server_message_get_status (msg),
                           (g_get_monotonic_time () - request->started_us) / (double) G_USEC_PER_SEC);
  log_request (request);
  /* Refused before its body: answered on a connection then closed. */
  if (request->early)
    {
      g_clear_pointer (&request->watch, sp_client_watch_free);
      sp_server_refuse (msg);
      if (request->dispatching)
        request->answered = TRUE;
      else
        request_free (request);
      return;
    }
  if (request->dispatching)
    {
      request->answered = TRUE;
      return;
    }
  /* The client's going away no longer matters. */
  g_clear_pointer (&request->watch, sp_client_watch_free);
  soup_server_message_unpause (msg);
  request_free (request);
}

/**
 * sp_request_end_dispatch:
 * @socket: (nullable): the socket of the request's connection
 *
 * Ends the dispatch of @request: frees it if it was answered meanwhile;
 * otherwise pauses its message until it is, and watches @socket so that
 * the request's cancellable is cancelled if the client goes away.
 */
void
sp_request_end_dispatch (SpRequest *request,
                         GSocket   *socket)
{
  request->dispatching = FALSE;
  if (request->answered)
    {
      request_free (request);
      return;
    }
  if (request->parked)
    return;
  soup_server_message_pause (request->msg);
  request->watch = sp_client_watch_new (request->msg, socket, request->cancellable);
}

/**
 * sp_request_discard_parked:
 * @msg: a request whose body will not be read to its end
 *
 * Frees the request sp_request_accept_body() left on @msg, if any: its
 * body was refused on the way, or its client went away.
 */
void
sp_request_discard_parked (SoupServerMessage *msg)
{
  SpRequest *request = g_object_steal_data (G_OBJECT (msg), PARKED_KEY);

  if (request != NULL)
    {
      g_signal_handlers_disconnect_by_data (msg, request);
      request_free (request);
    }
}

static void
parked_finished_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  sp_request_discard_parked (msg);
}

/**
 * sp_request_accept_body:
 * @request: an early request (sp_request_new_early()) whose caller is admitted
 *
 * Reads the body now: it streams to disk (sp_server_accept_body()) while
 * the request waits on its message, where sp_request_resume() finds it once
 * the body is in. When the upload cannot be stored, answers an error.
 */
void
sp_request_accept_body (SpRequest *request)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (request->early && !request->parked);

  if (!sp_server_accept_body (request->server, request->msg, request->route->max_body, &error))
    {
      sp_request_reply_error (request, error);
      return;
    }
  request->early = FALSE;
  request->parked = TRUE;
  g_object_set_data (G_OBJECT (request->msg), PARKED_KEY, request);
  g_signal_connect (request->msg, "finished", G_CALLBACK (parked_finished_cb), request);
  if (!request->dispatching)
    {
      g_clear_pointer (&request->watch, sp_client_watch_free);
      soup_server_message_unpause (request->msg);
    }
}

/**
 * sp_request_resume:
 * @msg: a request whose body is in
 *
 * Returns: (transfer full) (nullable): the request sp_request_accept_body()
 *   left on @msg, dispatching again
 */
SpRequest *
sp_request_resume (SoupServerMessage *msg)
{
  SpRequest *request = g_object_steal_data (G_OBJECT (msg), PARKED_KEY);

  if (request == NULL)
    return NULL;
  g_signal_handlers_disconnect_by_data (msg, request);
  request->parked = FALSE;
  request->dispatching = TRUE;
  return request;
}

void
sp_request_reply_bytes (SpRequest  *request,
                        guint       status,
                        const char *content_type,
                        GBytes     *bytes)
{
  soup_server_message_set_status (request->msg, status, NULL);
  /* As soup_server_message_set_response() does, without copying the body. */
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg), "Content-Type",
                                content_type);
  soup_message_body_append_bytes (soup_server_message_get_response_body (request->msg), bytes);
  finish (request);
}

/**
 * sp_request_reply_stream:
 * @content_length: the body's length, known before it is read
 *
 * Answers with headers now and a body that the caller feeds a chunk at a
 * time (soup_message_body_append_bytes(), then soup_server_message_unpause();
 * soup_message_body_complete() at the end), kept in memory only until written.
 *
 * Returns: (transfer full): the message to feed; @request is freed
 */
SoupServerMessage *
sp_request_reply_stream (SpRequest  *request,
                         guint       status,
                         const char *content_type,
                         gint64      content_length)
{
  SoupServerMessage *msg = g_object_ref (request->msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_set_content_type (headers, content_type, NULL);
  soup_message_headers_set_content_length (headers, content_length);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  finish (request);
  return msg;
}

void
sp_request_reply_json (SpRequest *request,
                       guint      status,
                       JsonNode  *node)
{
  gsize length;
  g_autofree char *text = sp_json_to_string (node, &length);

  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
  finish (request);
}

void
sp_request_reply_builder (SpRequest   *request,
                          guint        status,
                          JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  sp_request_reply_json (request, status, root);
}

/* libsoup 3.2 writes a 204 without Content-Length (RFC 9110), then takes an
 * answer without one for an answer that ends with its connection, and
 * closes it: a keep-alive client would pay a TLS handshake for every 204.
 * Once the headers are out, say the body was empty. */
static void
no_content_written_cb (SoupServerMessage *msg,
                       gpointer           user_data)
{
  soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), 0);
}

void
sp_request_reply_no_content (SpRequest *request)
{
  soup_server_message_set_status (request->msg, SOUP_STATUS_NO_CONTENT, NULL);
  g_signal_connect (request->msg, "wrote-headers", G_CALLBACK (no_content_written_cb), NULL);
  finish (request);
}

/**
 * sp_message_set_problem:
 *
 * Sets @problem (RFC 9457) as the response of @msg, with its status, and the
 * request id of the answer's `X-Request-Id` (a new one if it has none) as
 * its `request_id` member. A 401
 * challenges for a session token unless a challenge is set already. A 503
 * says when to try again (`Retry-After`, unless already set).
 */
void
sp_message_set_problem (SoupServerMessage *msg,
                        JsonNode          *problem)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  JsonObject *object = json_node_get_object (problem);
  guint status = (guint) sp_json_get_int (object, "status", 500);
  const char *request_id = soup_message_headers_get_one (headers, "X-Request-Id");
  char early_id[17];
  gsize length;
  char *text;

  /* Refused before it was a request (a body too large, on the way): an id
   * all the same, for the log line and the partner's support call. */
  if (request_id == NULL)
    {
      make_request_id (early_id);
      soup_message_headers_replace (headers, "X-Request-Id", early_id);
      request_id = early_id;
    }
  json_object_set_string_member (object, "request_id", request_id);
  text = sp_json_to_string (problem, &length);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/problem+json", SOUP_MEMORY_TAKE, text, length);
  /* The partner API sets its own challenge (Basic) first. */
  if (status == SOUP_STATUS_UNAUTHORIZED && soup_message_headers_get_one (headers, "WWW-Authenticate") == NULL)
    soup_message_headers_replace (headers, "WWW-Authenticate", "Bearer realm=\"sportello\"");
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE && soup_message_headers_get_one (headers, "Retry-After") == NULL)
    soup_message_headers_replace (headers, "Retry-After", "1");   /* seconds: a busy pool frees up fast */
}

void
sp_request_reply_problem_node (SpRequest *request,
                               JsonNode  *problem)
{
  sp_message_set_problem (request->msg, problem);
  finish (request);
}

void
sp_request_reply_error (SpRequest    *request,
                        const GError *error)
{
  g_autoptr(JsonNode) problem = sp_problem_new (error, NULL);
  const char *method = soup_server_message_get_method (request->msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (request->msg));

  /* What went wrong inside (PostgreSQL's message, SQLSTATE and detail) goes to
   * the log under the request id; the client gets the generic problem. */
  if (error->domain != SP_ERROR || error->code == SP_ERROR_INTERNAL)
    g_warning ("Request %s: %s %s failed: %s", request->request_id, method, path, error->message);
  else if (error->code == SP_ERROR_UNAVAILABLE)
    g_message ("Request %s: %s %s unavailable: %s", request->request_id, method, path, error->message);

  sp_request_reply_problem_node (request, problem);
}

void
sp_request_reply_problem (SpRequest  *request,
                          SpError     code,
                          const char *detail)
{
  g_autoptr(GError) error = g_error_new_literal (SP_ERROR, code, detail);

  sp_request_reply_error (request, error);
}

/**
 * sp_request_reply_field_errors:
 * @errors: one `{field, message}` per wrong member of the body
 *   (sp_problem_add_field_error()); not empty
 *
 * Answers 422 `validation`, naming every wrong field in `errors`; the
 * detail says what is wrong with them, in one line.
 */
void
sp_request_reply_field_errors (SpRequest *request,
                               JsonArray *errors)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), errors);
  g_autoptr(JsonNode) problem = NULL;

  for (guint i = 0; i < json_array_get_length (errors); i++)
    {
      JsonObject *entry = json_array_get_object_element (errors, i);

      g_string_append_printf (detail, "%s%s", i > 0 ? "; " : "", json_object_get_string_member (entry, "message"));
    }
  error = g_error_new_literal (SP_ERROR, SP_ERROR_VALIDATION, detail->str);
  problem = sp_problem_new (error, node);
  sp_request_reply_problem_node (request, problem);
}

/**
 * sp_request_reply_failure:
 *
 * Answers a database call's failure: as sp_request_reply_error(), unless the
 * call was cancelled because the client went away, which is no error of the
 * server's: then the message is just released.
 */
void
sp_request_reply_failure (SpRequest    *request,
                          const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      soup_server_message_set_status (request->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      finish (request);
      return;
    }
  sp_request_reply_error (request, error);
}
