/* sp-client-send.c: SpClient's requests: JSON, a streamed upload or a stream over HTTPS, TLS trust, errors for the user */
#define G_LOG_DOMAIN "sp-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-certificate.h"
#include "sp-client-private.h"
#include "sp-error.h"
#include "sp-json.h"

typedef struct
{
  SoupMessage          *message;
  char                 *token;          /* the token the request was sent with */
  char                 *host_port;
  GTlsCertificate      *untrusted_certificate;
  GTlsCertificate      *untrusted_anchor;   /* what the user is asked to trust */
  GTlsCertificateFlags  untrusted_errors;
  gboolean              untrusted_changed;
  char                 *problem;        /* streams: the body of an error answer */
  JsonNode             *problem_node;   /* the parsed problem of an error answer */
  GBytes               *body;           /* the text of a JSON answer read */
  GFileProgressCallback progress_callback;  /* uploads: bytes of the body sent */
  gpointer              progress_data;
  goffset               sent;
  goffset               length;
} Request;

/* The most of an error answer's body that is read (a problem JSON is small). */
#define MAX_PROBLEM_SIZE (64 * 1024)

static void
request_free (gpointer data)
{
  Request *request = data;

  g_clear_object (&request->message);
  g_free (request->token);
  g_free (request->host_port);
  g_clear_object (&request->untrusted_certificate);
  g_clear_object (&request->untrusted_anchor);
  g_free (request->problem);
  g_clear_pointer (&request->problem_node, json_node_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

static char *
uri_host_port (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  int port = g_uri_get_port (uri);

  if (port <= 0)
    port = 443;
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", host, port);
  return g_strdup_printf ("%s:%d", host, port);
}

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       GTask                *task)
{
  SpClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GUri *uri = soup_message_get_uri (message);
  g_autoptr(GSocketConnectable) identity = g_network_address_new (g_uri_get_host (uri),
                                                                  g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 443);
  GTlsCertificate *anchor = sp_certificate_get_anchor (certificate, identity);
  g_autofree char *fingerprint = sp_certificate_get_fingerprint (certificate);
  g_autofree char *anchor_fingerprint = sp_certificate_get_fingerprint (anchor);
  g_autofree char *known = sp_client_lookup_trusted_fingerprint (self, request->host_port);

  /* Trusted: the authority the user accepted for this server, or the
   * server's own certificate (what versions before the authority kept). */
  if (known != NULL
      && ((anchor_fingerprint != NULL && g_ascii_strcasecmp (known, anchor_fingerprint) == 0)
          || (fingerprint != NULL && g_ascii_strcasecmp (known, fingerprint) == 0)))
    return TRUE;

  g_debug ("Certificate of %s not trusted (flags 0x%x, fingerprint %s, anchor %s, known %s)",
           request->host_port, errors, fingerprint, anchor_fingerprint, known ? known : "none");
  g_set_object (&request->untrusted_certificate, certificate);
  g_set_object (&request->untrusted_anchor, anchor);
  request->untrusted_errors = errors;
  request->untrusted_changed = known != NULL;
  return FALSE;
}

/* A failure to talk to @host_port, for the user. */
static GError *
network_error (const char   *host_port,
               const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  g_debug ("Request to %s failed: %s", host_port, error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (SP_ERROR, SP_ERROR_UNREACHABLE,
                        _("The server %s refused the connection. Check the address and that the service is running."),
                        host_port);
  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (SP_ERROR, SP_ERROR_UNREACHABLE,
                        _("The server name in %s cannot be found. Check the address."),
                        host_port);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (SP_ERROR, SP_ERROR_UNREACHABLE,
                        _("The server %s did not answer in time. Try again later."),
                        host_port);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (SP_ERROR, SP_ERROR_UNREACHABLE,
                        _("A secure connection with %s cannot be established (%s)."),
                        host_port, error->message);

  return g_error_new (SP_ERROR, SP_ERROR_UNREACHABLE,
                      _("The server %s cannot be reached (%s). Check the address and the network connection."),
                      host_port, error->message);
}

/* A failure of @request for the user; an untrusted certificate is kept for the UI to show. */
static GError *
request_error (SpClient     *self,
               Request      *request,
               const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && request->untrusted_certificate != NULL)
    {
      sp_client_remember_untrusted (self, request->host_port, request->untrusted_certificate,
                                    request->untrusted_anchor, request->untrusted_errors,
                                    request->untrusted_changed);
      return g_error_new (SP_ERROR, SP_ERROR_UNTRUSTED_CERTIFICATE,
                          _("The certificate of the server %s is not trusted."),
                          request->host_port);
    }

  return network_error (request->host_port, error);
}

/* The end of a lock in local time: "14:35" today, else the date as well. */
static char *
format_lock_end (const char *iso8601)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (iso8601, NULL);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time_text = NULL;
  g_autofree char *date_text = NULL;

  if (when == NULL)
    return NULL;

  local = g_date_time_to_local (when);
  time_text = g_date_time_format (local, "%H:%M");
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: %s is a time of today, e.g. 14:35 */
    return g_strdup_printf (_("Too many failed attempts: the account is locked until %s."), time_text);

  date_text = g_date_time_format (local, "%x");
  /* Translators: a date, then a time, e.g. 23/11/2026 and 09:05 */
  return g_strdup_printf (_("Too many failed attempts: the account is locked until %s at %s."),
                          date_text, time_text);
}

static GError *
response_error (guint     status,
                JsonNode *problem)
{
  g_autoptr(GError) error = sp_problem_to_error (status, problem);

  g_debug ("HTTP status %u: %s", status, error->message);

  switch ((SpError) error->code)
    {
    case SP_ERROR_ACCOUNT_LOCKED:
      {
        JsonObject *object = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem) ? json_node_get_object (problem) : NULL;
        const char *until = object ? sp_json_get_string (object, "locked_until", NULL) : NULL;
        g_autofree char *message = until ? format_lock_end (until) : NULL;

        if (message != NULL)
          return g_error_new_literal (SP_ERROR, SP_ERROR_ACCOUNT_LOCKED, message);
        return g_error_new_literal (SP_ERROR, SP_ERROR_ACCOUNT_LOCKED,
                                    _("Too many failed attempts: the account is temporarily locked."));
      }

    case SP_ERROR_INTERNAL:
    case SP_ERROR_UNAVAILABLE:
      return g_error_new (SP_ERROR, error->code,
                          _("The server replied with an error (%u %s). Try again later; if the problem persists, contact support."),
                          status, soup_status_get_phrase (status));

    case SP_ERROR_INVALID_INPUT:
    case SP_ERROR_UNAUTHENTICATED:
    case SP_ERROR_INVALID_CREDENTIALS:
    case SP_ERROR_SESSION_EXPIRED:
    case SP_ERROR_FORBIDDEN:
    case SP_ERROR_NOT_FOUND:
    case SP_ERROR_METHOD_NOT_ALLOWED:
    case SP_ERROR_CONFLICT:
    case SP_ERROR_TRANSITION_NOT_ALLOWED:
    case SP_ERROR_ALREADY_TAKEN:
    case SP_ERROR_PAYLOAD_TOO_LARGE:
    case SP_ERROR_UNSUPPORTED_MEDIA_TYPE:
    case SP_ERROR_VALIDATION:
    case SP_ERROR_UNKNOWN_EVENT:
    case SP_ERROR_UNREACHABLE:
    case SP_ERROR_UNTRUSTED_CERTIFICATE:
    default:
      /* The server's detail is for logs; the user reads the translated title.
       * A caller that knows better reads the problem itself
       * (sp_client_send_json_get_problem()). */
      return g_error_new (SP_ERROR, error->code, "%s.", sp_error_get_title (error->code));
    }
}

/* A non-2xx answer for the user; a 401 on the current session ends it, wherever it happens. */
static GError *
status_error (SpClient *self,
              Request  *request,
              guint     status,
              GBytes   *body)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  GError *error;

  g_clear_pointer (&request->problem_node, json_node_unref);
  if (size > 0)
    request->problem_node = sp_json_parse (data, size, NULL);
  error = response_error (status, request->problem_node);

  if (request->token != NULL
      && g_strcmp0 (request->token, self->token) == 0
      && (g_error_matches (error, SP_ERROR, SP_ERROR_SESSION_EXPIRED)
          || g_error_matches (error, SP_ERROR, SP_ERROR_UNAUTHENTICATED)))
    sp_client_expire_session (self);
  return error;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  gsize size = 0;
  const char *data;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, request_error (self, request, error));
      return;
    }

  status = soup_message_get_status (request->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, status_error (self, request, status, body));
      return;
    }

  data = g_bytes_get_data (body, &size);
  if (status == SOUP_STATUS_NO_CONTENT || size == 0)
    {
      g_task_return_pointer (task, json_node_new (JSON_NODE_NULL), (GDestroyNotify) json_node_unref);
      return;
    }

  {
    JsonNode *node = sp_json_parse (data, size, &error);

    if (node == NULL)
      {
        g_debug ("Unreadable response: %s", error->message);
        g_task_return_new_error (task, SP_ERROR, SP_ERROR_INTERNAL, "%s",
                                 _("The server sent a response that cannot be read."));
        return;
      }
    request->body = g_bytes_ref (body);
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
  }
}

/* libsoup 3.2's client takes an answer without Content-Length for one that
 * ends with its connection, 204 included, and closes the connection after
 * it: the next request would pay a TLS handshake. A 204 has no body; say
 * so, and the connection stays for the next request. */
static void
got_headers_cb (SoupMessage *message,
                gpointer     user_data)
{
  if (soup_message_get_status (message) == SOUP_STATUS_NO_CONTENT)
    soup_message_headers_set_content_length (soup_message_get_response_headers (message), 0);
}

/* A task for a request of @path with its message, or %NULL when it already
 * failed (the address is missing or not valid). */
static GTask *
request_task_new (SpClient            *self,
                  const char          *method,
                  const char          *path,
                  const char          *token,
                  const char          *accept,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  Request *request;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if (self->base_url == NULL)
    {
      g_task_return_new_error (task, SP_ERROR, SP_ERROR_INVALID_INPUT, "%s",
                               _("The server address is missing."));
      return NULL;
    }

  url = g_strconcat (self->base_url, path, NULL);
  request = g_new0 (Request, 1);
  request->message = soup_message_new (method, url);
  request->token = g_strdup (token);
  g_task_set_task_data (task, request, request_free);

  if (request->message == NULL)
    {
      g_task_return_new_error (task, SP_ERROR, SP_ERROR_INVALID_INPUT, "%s",
                               _("The server address is not valid."));
      return NULL;
    }
  request->host_port = uri_host_port (soup_message_get_uri (request->message));

  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept", accept);
  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }

  g_signal_connect_object (request->message, "accept-certificate",
                           G_CALLBACK (accept_certificate_cb), task, 0);
  g_signal_connect (request->message, "got-headers", G_CALLBACK (got_headers_cb), NULL);

  return g_steal_pointer (&task);
}

/**
 * sp_client_send_json_async:
 * @token: (nullable): the session token to send as Bearer
 * @body: (nullable): the JSON request body
 *
 * Sends one request; the result is the parsed JSON body (a null node for an
 * empty body) or an %SP_ERROR.
 */
void
sp_client_send_json_async (SpClient            *self,
                           const char          *method,
                           const char          *path,
                           const char          *token,
                           JsonNode            *body,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GBytes) bytes = NULL;

  if (body != NULL)
    {
      gsize length = 0;
      char *text = sp_json_to_string (body, &length);

      bytes = g_bytes_new_take (text, length);
    }
  sp_client_send_json_text_async (self, method, path, token, bytes, cancellable, callback, user_data);
}

/**
 * sp_client_send_json_text_async:
 * @token: (nullable): the session token to send as Bearer
 * @body: (nullable): the JSON text of the request body
 *
 * As sp_client_send_json_async(), with a body written as text, for what
 * json-glib cannot write: a number as the operator typed it
 * (sp_json_text_add_number()). Finished by sp_client_send_json_finish().
 */
void
sp_client_send_json_text_async (SpClient            *self,
                                const char          *method,
                                const char          *path,
                                const char          *token,
                                GBytes              *body,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Request *request;

  task = request_task_new (self, method, path, token, "application/json, application/problem+json",
                           sp_client_send_json_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  request = g_task_get_task_data (task);

  if (body != NULL)
    soup_message_set_request_body_from_bytes (request->message, "application/json", body);

  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    cancellable, send_cb, task);
}

static void
wrote_body_data_cb (SoupMessage *message,
                    guint        chunk_size,
                    Request     *request)
{
  request->sent += chunk_size;
  if (request->progress_callback != NULL)
    request->progress_callback (request->sent, request->length, request->progress_data);
}

/**
 * sp_client_send_body_async:
 * @token: (nullable): the session token to send as Bearer
 * @body: the request body, read as it is sent: never held whole in memory
 * @length: the body's length in bytes
 * @content_type: the body's media type
 * @filename: (nullable): the file's name, sent in `Content-Disposition`
 * @progress_callback: (nullable) (scope call): called with the bytes sent
 *   so far and @length after every chunk written, in the caller's main context
 * @progress_data: data for @progress_callback, valid until @callback runs
 *
 * Sends one request whose body is streamed from @body; the answer is read
 * as sp_client_send_json_async() reads it (sp_client_send_json_finish(),
 * sp_client_send_json_get_problem()).
 */
void
sp_client_send_body_async (SpClient              *self,
                           const char            *method,
                           const char            *path,
                           const char            *token,
                           GInputStream          *body,
                           goffset                length,
                           const char            *content_type,
                           const char            *filename,
                           GFileProgressCallback  progress_callback,
                           gpointer               progress_data,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data)
{
  GTask *task;
  Request *request;

  g_return_if_fail (G_IS_INPUT_STREAM (body));
  g_return_if_fail (length >= 0);

  task = request_task_new (self, method, path, token, "application/json, application/problem+json",
                           sp_client_send_json_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  request = g_task_get_task_data (task);
  request->progress_callback = progress_callback;
  request->progress_data = progress_data;
  request->length = length;

  soup_message_set_request_body (request->message, content_type, body, length);
  if (filename != NULL)
    {
      g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

      /* libsoup writes a name that is not ASCII as filename*=UTF-8''… (RFC 6266). */
      g_hash_table_insert (params, (gpointer) "filename", (gpointer) filename);
      soup_message_headers_set_content_disposition (soup_message_get_request_headers (request->message),
                                                    "attachment", params);
    }
  g_signal_connect (request->message, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), request);

  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    cancellable, send_cb, task);
}

JsonNode *
sp_client_send_json_finish (SpClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sp_client_send_json_get_problem:
 * @result: the result of sp_client_send_json_async() or
 *   sp_client_send_stream_async(), after its finish failed
 *
 * The problem body (RFC 9457) the server answered with, for a caller that
 * reads more of it than the error has: the members the server adds for that
 * request, or its `detail` when the server words it for people.
 *
 * Returns: (transfer none) (nullable): the parsed body of the error answer
 */
JsonNode *
sp_client_send_json_get_problem (GAsyncResult *result)
{
  Request *request;

  g_return_val_if_fail (G_IS_TASK (result), NULL);

  request = g_task_get_task_data (G_TASK (result));
  return request != NULL ? request->problem_node : NULL;
}

/**
 * sp_client_send_json_get_body:
 * @result: the result of sp_client_send_json_async(), after its finish
 *   returned a node
 *
 * The text the node was read from, for a caller that reads more of it
 * than json-glib keeps: a number's digits as written.
 *
 * Returns: (transfer none) (nullable): the body of the answer; %NULL when
 *   it was empty
 */
GBytes *
sp_client_send_json_get_body (GAsyncResult *result)
{
  Request *request;

  g_return_val_if_fail (G_IS_TASK (result), NULL);

  request = g_task_get_task_data (G_TASK (result));
  return request != NULL ? request->body : NULL;
}

/**
 * sp_client_send_json_done_cb:
 * @task: (transfer full): a #GTask to return %TRUE on, or the error
 *
 * The callback of a request whose answer has nothing to read (204).
 */
void
sp_client_send_json_done_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      task)
{
  g_autoptr(GTask) owned = task;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  if (!(node = sp_client_send_json_finish (SP_CLIENT (object), result, &error)))
    g_task_return_error (owned, error);
  else
    g_task_return_boolean (owned, TRUE);
}

/**
 * sp_client_return_if_signed_out:
 *
 * Fails @task with %SP_ERROR_SESSION_EXPIRED when nobody is signed in.
 *
 * Returns: %TRUE when it did (the caller returns, @task is still its own)
 */
gboolean
sp_client_return_if_signed_out (SpClient *self,
                                GTask    *task)
{
  if (self->token != NULL)
    return FALSE;
  g_task_return_new_error (task, SP_ERROR, SP_ERROR_SESSION_EXPIRED, "%s.",
                           sp_error_get_title (SP_ERROR_SESSION_EXPIRED));
  return TRUE;
}

static void
read_problem_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  gsize size = 0;

  /* A body that cannot be read still has its status. */
  g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &size, NULL);
  body = g_bytes_new (request->problem, size);
  g_task_return_error (task, status_error (self, request, soup_message_get_status (request->message), body));
}

static void
send_stream_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpClient *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, request_error (self, request, error));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (request->message)))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      request->problem = g_malloc (MAX_PROBLEM_SIZE);
      g_input_stream_read_all_async (stream, request->problem, MAX_PROBLEM_SIZE, G_PRIORITY_DEFAULT,
                                     cancellable, read_problem_cb, g_steal_pointer (&task));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&stream), g_object_unref);
}

/**
 * sp_client_send_stream_async:
 * @token: (nullable): the session token to send as Bearer
 * @accept: the media types to ask for (`Accept`)
 *
 * Sends one request without a body and answers as soon as the response
 * headers arrive: the result is the body as a stream, to read in the
 * caller's main context. An error answer is read and mapped as
 * sp_client_send_json_async() does. Errors while reading the stream go
 * through sp_client_transfer_error().
 */
void
sp_client_send_stream_async (SpClient            *self,
                             const char          *method,
                             const char          *path,
                             const char          *token,
                             const char          *accept,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  Request *request;

  task = request_task_new (self, method, path, token, accept, sp_client_send_stream_async,
                           cancellable, callback, user_data);
  if (task == NULL)
    return;
  request = g_task_get_task_data (task);

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           cancellable, send_stream_cb, task);
}

/**
 * sp_client_send_stream_finish:
 * @message: (out) (optional) (transfer full): the message, for the response headers
 *
 * Returns: (transfer full): the response body, or %NULL with an %SP_ERROR
 */
GInputStream *
sp_client_send_stream_finish (SpClient      *self,
                              GAsyncResult  *result,
                              SoupMessage  **message,
                              GError       **error)
{
  GInputStream *stream;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  stream = g_task_propagate_pointer (G_TASK (result), error);
  if (stream != NULL && message != NULL)
    {
      Request *request = g_task_get_task_data (G_TASK (result));

      *message = g_object_ref (request->message);
    }
  return stream;
}

/**
 * sp_client_transfer_error:
 * @message: the message whose body was being read
 * @error: the error of reading it
 *
 * Returns: (transfer full): the error for the user, in %SP_ERROR (or the
 *   cancellation as it is)
 */
GError *
sp_client_transfer_error (SpClient     *self,
                          SoupMessage  *message,
                          const GError *error)
{
  g_autofree char *host_port = uri_host_port (soup_message_get_uri (message));

  return network_error (host_port, error);
}

/**
 * sp_client_unreadable_error:
 * @what: what was read, for the debug log
 * @cause: (nullable): why it could not be
 *
 * Returns: (transfer full): the error a user is shown when a response of
 *   the server makes no sense to the app
 */
GError *
sp_client_unreadable_error (const char   *what,
                            const GError *cause)
{
  g_debug ("Unreadable %s: %s", what, cause != NULL ? cause->message : "not an object");
  return g_error_new_literal (SP_ERROR, SP_ERROR_INTERNAL, _("The server sent a response that cannot be read."));
}
