/* sp-server.c: the HTTPS server: its listener, body limits, then dispatch to the handlers */
#define G_LOG_DOMAIN "sp-server"

#include "config.h"

#include "sp-dispatch.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-listener.h"
#include "sp-request.h"
#include "sp-router.h"
#include "sp-partner-auth.h"
#include "sp-prometheus-access.h"
#include "sp-request-stats.h"
#include "sp-server.h"
#include "sp-upload.h"

/* After the 413, what the client still sends is read and dropped for a while
 * (a "lingering close"), so it can finish writing and read the answer
 * instead of meeting a reset connection. */
#define LINGER_BYTES    (32 * 1024 * 1024)
#define LINGER_SECONDS  10
/* A value of the catalogue is read again after this long even if no change
 * was announced (a belt to LISTEN's braces). */
#define CATALOGUE_MAX_AGE_SECONDS 300

typedef struct
{
  GIOStream    *stream;
  char         *response;
  gsize         length;
  GCancellable *cancellable;
  guint         timeout_id;
  gsize         drained;
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  g_clear_handle_id (&refusal->timeout_id, g_source_remove);
  g_object_unref (refusal->cancellable);
  g_object_unref (refusal->stream);
  g_free (refusal->response);
  g_free (refusal);
}

static void
refusal_closed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
  refusal_free (user_data);
}

static gboolean
refusal_timeout_cb (gpointer user_data)
{
  Refusal *refusal = user_data;

  refusal->timeout_id = 0;
  g_cancellable_cancel (refusal->cancellable);
  return G_SOURCE_REMOVE;
}

static void
refusal_drained_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;
  gssize skipped = g_input_stream_skip_finish (G_INPUT_STREAM (object), result, NULL);

  if (skipped > 0 && (refusal->drained += skipped) < LINGER_BYTES)
    {
      g_input_stream_skip_async (G_INPUT_STREAM (object), 64 * 1024, G_PRIORITY_LOW, refusal->cancellable,
                                 refusal_drained_cb, refusal);
      return;
    }
  g_io_stream_close_async (refusal->stream, G_PRIORITY_DEFAULT, NULL, refusal_closed_cb, refusal);
}

static void
refusal_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  refusal->timeout_id = g_timeout_add_seconds (LINGER_SECONDS, refusal_timeout_cb, refusal);
  g_input_stream_skip_async (g_io_stream_get_input_stream (refusal->stream), 64 * 1024, G_PRIORITY_LOW,
                             refusal->cancellable, refusal_drained_cb, refusal);
}

static void
append_header_cb (const char *name,
                  const char *value,
                  gpointer    user_data)
{
  if (g_ascii_strcasecmp (name, "Connection") != 0 && g_ascii_strcasecmp (name, "Content-Length") != 0)
    g_string_append_printf (user_data, "%s: %s\r\n", name, value);
}

/**
 * sp_server_refuse:
 * @msg: a request whose body has not been read, with its answer set
 *   (status, headers, body)
 *
 * Sends the answer set on @msg at once and closes the connection, without
 * reading the body: the connection is taken from libsoup and the answer
 * written on it. What the client still sends is read and dropped for a
 * while, so that it can read the answer.
 */
void
sp_server_refuse (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  guint status = soup_server_message_get_status (msg);
  GString *response = g_string_new (NULL);
  Refusal *refusal = g_new0 (Refusal, 1);

  g_string_append_printf (response, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  soup_message_headers_foreach (soup_server_message_get_response_headers (msg), append_header_cb, response);
  g_string_append_printf (response, "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          g_bytes_get_size (body));
  g_string_append_len (response, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body));

  refusal->length = response->len;
  refusal->response = g_string_free (response, FALSE);
  refusal->cancellable = g_cancellable_new ();
  refusal->stream = soup_server_message_steal_connection (msg);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (refusal->stream),
                                   refusal->response, refusal->length, G_PRIORITY_DEFAULT,
                                   NULL, refusal_written_cb, refusal);
}

/* Answers 413 at once and closes the connection, without reading the body. */
static void
refuse_oversized (SoupServerMessage *msg,
                  gsize              limit)
{
  g_autofree char *detail = g_strdup_printf ("The body exceeds %" G_GSIZE_FORMAT " bytes", limit);
  g_autoptr(GError) error = g_error_new_literal (SP_ERROR, SP_ERROR_PAYLOAD_TOO_LARGE, detail);
  g_autoptr(JsonNode) problem = sp_problem_new (error, NULL);

  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  sp_message_set_problem (msg, problem);
  g_message ("Request %s: %s %s refused: body over %" G_GSIZE_FORMAT " bytes",
             soup_message_headers_get_one (headers, "X-Request-Id"), soup_server_message_get_method (msg),
             g_uri_get_path (soup_server_message_get_uri (msg)), limit);
  /* An upload refused on the way: its request waits for a body that will
   * not come, and its file goes with the message. */
  g_object_ref (msg);
  sp_request_discard_parked (msg);
  sp_server_refuse (msg);
  g_object_unref (msg);
}

/**
 * sp_server_accept_body:
 * @msg: a request of a %SP_BODY_FILE route whose caller was admitted
 *
 * Streams the body of @msg to disk from now on (sp-upload.c), refusing it
 * past the route's limit.
 *
 * Returns: %FALSE with @error when the upload cannot be stored now
 */
gboolean
sp_server_accept_body (SpServer          *self,
                       SoupServerMessage *msg,
                       gsize              limit,
                       GError           **error)
{
  return sp_upload_begin (msg, self->config->upload_dir, limit, refuse_oversized, error) != NULL;
}

/* A chunked body has no length up front: count it as it comes. */
static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  gsize limit = GPOINTER_TO_SIZE (user_data);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (soup_server_message_get_status (msg) == 0 && body->length > limit)
    refuse_oversized (msg, limit);
}

/* Runs once the headers are in, before the body is read: an oversized body is
 * refused here and never held in memory, and the caller of an upload is
 * admitted or refused before any of it is read. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SpServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SpBody body;
  gsize limit = sp_router_max_body (soup_server_message_get_method (msg), path, &body);

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if (soup_message_headers_get_content_length (headers) > limit)
        refuse_oversized (msg, limit);
      break;

    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_EOF:
    case SOUP_ENCODING_UNRECOGNIZED:
    case SOUP_ENCODING_BYTERANGES:
      /* A file counts itself (sp-upload.c). */
      if (body != SP_BODY_FILE)
        g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), GSIZE_TO_POINTER (limit));
      break;

    case SOUP_ENCODING_NONE:
    default:
      break;
    }

  /* A file goes to disk as it arrives, once its caller is admitted (nothing
   * of it is read before): the handler finds it complete. */
  if (body == SP_BODY_FILE && soup_server_message_get_status (msg) == 0)
    sp_dispatch_headers (self, msg, path, query);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  sp_dispatch (user_data, msg, path, query);
}

SpServer *
sp_server_new (SpConfig  *config,
               GError   **error)
{
  g_autoptr(SpServer) self = g_new0 (SpServer, 1);
  g_autoptr(GTlsCertificate) certificate = NULL;
  SpDbOptions db_options;

  self->config = config;

  if (!(certificate = g_tls_certificate_new_from_files (config->tls_certificate, config->tls_key, error)))
    return NULL;
  if (!(self->openapi = g_resources_lookup_data ("/it/sportello/server/openapi.json", 0, error)))
    return NULL;

  /* Verifies the download links that the e-mails carry. */
  if (*config->link_secret_file != '\0'
      && !(self->links = sp_links_new (config->link_secret_file, NULL, config->link_days, error)))
    {
      g_prefix_error (error, "[links] secret-file: ");
      return NULL;
    }

  if (!(self->prometheus_gate = sp_prometheus_gate_new (config, error)))
    return NULL;

  sp_db_options_from_config (&db_options, config);
  self->db = sp_db_new (config->database, config->database_pool_size, &db_options);
  self->workers = sp_workers_new ((guint) config->cpu_workers, 0);
  self->partner_auth = sp_partner_auth_new ();
  self->catalogue = sp_catalogue_new (CATALOGUE_MAX_AGE_SECONDS);
  self->request_stats = sp_request_stats_new ();
  /* libsoup speaks HTTP; TLS and the connections are the listener's. */
  self->soup = soup_server_new ("server-header", "sportello/" PACKAGE_VERSION, NULL);
  if (!(self->listener = sp_listener_new (self->soup, certificate, config, error)))
    return NULL;

  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);

  return g_steal_pointer (&self);
}

void
sp_server_free (SpServer *self)
{
  if (self == NULL)
    return;
  /* libsoup closes the connections it has, then the listener the others. */
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_pointer (&self->listener, sp_listener_free);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->workers, sp_workers_free);
  g_clear_pointer (&self->db, sp_db_free);
  g_clear_pointer (&self->openapi, g_bytes_unref);
  g_clear_pointer (&self->links, sp_links_free);
  g_clear_pointer (&self->partner_auth, sp_partner_auth_free);
  g_clear_pointer (&self->catalogue, sp_catalogue_free);
  g_clear_pointer (&self->request_stats, sp_request_stats_free);
  g_clear_pointer (&self->prometheus_gate, sp_prometheus_gate_free);
  g_free (self);
}

/**
 * sp_server_listen:
 *
 * Listens with HTTPS only on the configured address and port.
 */
gboolean
sp_server_listen (SpServer  *self,
                  GError   **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->config->listen_address);
  g_autoptr(GSocketAddress) address = NULL;

  if (inet == NULL)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "[server] listen-address “%s” is not an IP address",
                   self->config->listen_address);
      return FALSE;
    }
  address = g_inet_socket_address_new (inet, (guint16) self->config->port);
  return sp_listener_listen (self->listener, address, error);
}

/**
 * sp_server_get_url:
 *
 * Returns: the base URL the server listens on, with the real port
 */
char *
sp_server_get_url (SpServer *self)
{
  GSocketAddress *address = sp_listener_get_address (self->listener);
  g_autofree char *host = NULL;

  if (address == NULL)
    return NULL;
  host = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
  return g_strdup_printf (strchr (host, ':') != NULL ? "https://[%s]:%u" : "https://%s:%u",
                          host, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}
