/* sp-listener.c: accepts client connections, bounds them and their timeouts, hands them to libsoup */
#define G_LOG_DOMAIN "sp-server"

#include "config.h"

#include <errno.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "sp-conn-stream.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-listener.h"

/*
 * The server accepts its connections itself instead of letting libsoup
 * listen: every connection is in a registry from accept to close, so none
 * outlives its client (see sp-conn-stream.c), each phase has its timeout,
 * and the number of connections, in all and per client address, is bounded.
 *
 * A connection goes through these states; the sweep, once a second, ends
 * those that overstay:
 *
 *   HANDSHAKE  TLS handshake                     tls-handshake-timeout
 *   HEADERS    a request's headers               header-timeout (from their first byte;
 *                                                for the first request, from the handshake)
 *   BODY       a request's body                  body-timeout without a byte
 *   HANDLING   the handler, then the answer      (the database's own timeouts)
 *   IDLE       between requests                  idle-timeout
 *   REFUSING   beyond a cap: 503, then closed    tls-handshake-timeout
 */
typedef enum
{
  CONN_HANDSHAKE,
  CONN_HEADERS,
  CONN_BODY,
  CONN_HANDLING,
  CONN_IDLE,
  CONN_REFUSING,
} ConnState;

/* Refusals in progress at once; beyond, a connection is closed unanswered. */
#define MAX_REFUSALS      64
/* Descriptors kept for everything but client connections: the log, the
 * database connections, GLib's own (a GLib that cannot make one aborts). */
#define RESERVED_FDS      64
#define SWEEP_SECONDS     1
#define BACKOFF_MIN_MS    50
#define BACKOFF_MAX_MS    1000
#define LOG_EVERY_SECONDS 10

typedef struct
{
  SpListener        *listener;   /* NULL once the listener is freed */
  GSocketConnection *tcp;
  GTlsConnection    *tls;
  SpConnStream      *stream;     /* once handed to libsoup */
  GSocketAddress    *remote;
  char              *address;
  GCancellable      *cancellable;
  ConnState          state;
  gint64             since_us;
  char              *refusal;
} Conn;

struct _SpListener
{
  SoupServer       *soup;
  GTlsCertificate  *certificate;
  GTlsDatabase     *partner_ca;   /* nullable: no [server] partner-ca */
  GTlsDatabase     *database;     /* given to each connection: see sp_listener_new() */
  const SpConfig   *config;
  GSocketListener  *socket_listener;
  GSocketAddress   *address;
  GCancellable     *cancellable;
  GSocket          *anchor;
  char             *anchor_dir;
  GHashTable       *connections;  /* Conn* → Conn*, owned */
  GHashTable       *by_remote;    /* GSocketAddress* → Conn* */
  GHashTable       *per_address;  /* char* → count */
  guint             n_refusing;
  guint             n_refused;
  guint             n_dropped;
  gint64            last_log_us;
  guint             sweep_id;
  guint             backoff_id;
  guint             backoff_ms;
};

static void accept_next (SpListener *self);

static void
conn_free (Conn *conn)
{
  g_clear_object (&conn->stream);
  g_clear_object (&conn->tls);
  g_clear_object (&conn->tcp);
  g_clear_object (&conn->remote);
  g_clear_object (&conn->cancellable);
  g_free (conn->address);
  g_free (conn->refusal);
  g_free (conn);
}

static void
count_address (SpListener *self,
               const char *address,
               int         delta)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, address)) + delta;

  if (count == 0)
    g_hash_table_remove (self->per_address, address);
  else
    g_hash_table_replace (self->per_address, g_strdup (address), GUINT_TO_POINTER (count));
}

/* Forgets @conn, whose streams are closed or closing. */
static void
conn_forget (Conn *conn)
{
  SpListener *self = conn->listener;

  if (self == NULL)
    {
      conn_free (conn);
      return;
    }
  if (conn->state == CONN_REFUSING)
    self->n_refusing--;
  else
    count_address (self, conn->address, -1);
  if (conn->remote != NULL)
    g_hash_table_remove (self->by_remote, conn->remote);
  g_hash_table_remove (self->connections, conn);
}

static void
conn_set_state (Conn      *conn,
                ConnState  state)
{
  conn->state = state;
  conn->since_us = g_get_monotonic_time ();
  if (conn->stream != NULL)
    sp_conn_stream_set_idle (conn->stream, state == CONN_IDLE);
}

static void
closed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
  conn_forget (user_data);
}

/* Closes a connection libsoup never saw. */
static void
conn_close (Conn *conn)
{
  GIOStream *stream = conn->tls != NULL ? G_IO_STREAM (conn->tls) : G_IO_STREAM (conn->tcp);

  g_socket_shutdown (g_socket_connection_get_socket (conn->tcp), TRUE, TRUE, NULL);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, closed_cb, conn);
}

static Conn *
conn_for_message (SpListener        *self,
                  SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_hash_table_lookup (self->by_remote, remote) : NULL;
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  Conn *conn = conn_for_message (user_data, msg);

  if (conn != NULL)
    conn_set_state (conn, CONN_BODY);
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  SpListener *self = user_data;
  Conn *conn = conn_for_message (self, msg);

  if (conn == NULL)
    return;
  conn_set_state (conn, CONN_HEADERS);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), self);
}

static void
request_read_cb (SoupServer        *soup,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  Conn *conn = conn_for_message (user_data, msg);

  if (conn != NULL)
    conn_set_state (conn, CONN_HANDLING);
}

static void
request_done_cb (SoupServer        *soup,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  Conn *conn = conn_for_message (user_data, msg);

  if (conn != NULL)
    conn_set_state (conn, CONN_IDLE);
}

static void
stream_closed_cb (SpConnStream *stream,
                  gpointer      user_data)
{
  conn_forget (user_data);
}

static void
hand_to_soup (Conn *conn)
{
  SpListener *self = conn->listener;
  GSocket *socket = g_socket_connection_get_socket (conn->tcp);
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (conn->tcp, NULL);
  g_autoptr(GError) error = NULL;

  conn->stream = sp_conn_stream_new (conn->tls, socket, stream_closed_cb, conn);
  g_hash_table_insert (self->by_remote, conn->remote, conn);
  conn_set_state (conn, CONN_HEADERS);
  if (!soup_server_accept_iostream (self->soup, G_IO_STREAM (conn->stream),
                                    local != NULL ? local : self->address, conn->remote, &error))
    {
      g_debug ("libsoup refused a connection from %s: %s", conn->address, error->message);
      g_io_stream_close (G_IO_STREAM (conn->stream), NULL, NULL);
    }
}

static void
refusal_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Conn *conn = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  conn_close (conn);
}

/* 503 on the TLS connection, without libsoup, then closed. */
static void
refuse (Conn *conn)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (conn->tls));

  g_output_stream_write_all_async (output, conn->refusal, strlen (conn->refusal), G_PRIORITY_DEFAULT,
                                   conn->cancellable, refusal_written_cb, conn);
}

static void
handshake_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Conn *conn = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error))
    {
      g_debug ("TLS handshake with %s failed: %s", conn->address, error->message);
      conn_close (conn);
      return;
    }
  if (conn->listener == NULL)
    conn_close (conn);
  else if (conn->state == CONN_REFUSING)
    refuse (conn);
  else
    hand_to_soup (conn);
}

typedef struct
{
  GIOStream       *tcp;
  GTlsCertificate *certificate;
  GTlsDatabase    *partner_ca;
  GTlsDatabase    *database;
} TlsStart;

static void
tls_start_free (TlsStart *start)
{
  g_object_unref (start->tcp);
  g_object_unref (start->certificate);
  g_object_unref (start->database);
  g_clear_object (&start->partner_ca);
  g_free (start);
}

/* A client certificate that does not chain to the partner CA (or expired)
 * still opens the connection: each request that needs a partner reads its
 * errors (sp_listener_get_peer_certificate()) and answers 401 with a
 * problem, rather than a handshake failure nobody can read. */
static gboolean
accept_certificate_cb (GTlsConnection       *tls,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  return TRUE;
}

/* GnuTLS parses the certificate and its key anew for each connection: a
 * worker thread does it, not the main loop (a flood of handshakes would
 * stall every request). */
static void
tls_start_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TlsStart *start = task_data;
  GError *error = NULL;
  GType type = g_tls_backend_get_server_connection_type (g_tls_backend_get_default ());
  GIOStream *tls = g_initable_new (type, NULL, &error,
                                   "base-io-stream", start->tcp,
                                   "certificate", start->certificate,
                                   "database", start->database,
                                   NULL);

  /* Partners may authenticate with a client certificate: ask for one. */
  if (tls != NULL && start->partner_ca != NULL)
    {
      g_object_set (tls, "authentication-mode", G_TLS_AUTHENTICATION_REQUESTED, NULL);
      g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
    }
  if (tls != NULL)
    g_task_return_pointer (task, tls, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
tls_started_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Conn *conn = user_data;
  g_autoptr(GError) error = NULL;

  conn->tls = g_task_propagate_pointer (G_TASK (result), &error);
  if (conn->tls == NULL || conn->listener == NULL || g_cancellable_is_cancelled (conn->cancellable))
    {
      if (error != NULL)
        g_warning ("Cannot start TLS with %s: %s", conn->address, error->message);
      conn_close (conn);
      return;
    }
  g_tls_connection_set_require_close_notify (conn->tls, FALSE);
  g_tls_connection_set_advertised_protocols (conn->tls, (const char * const []) { "http/1.1", NULL });
  g_tls_connection_handshake_async (conn->tls, G_PRIORITY_DEFAULT, conn->cancellable, handshake_cb, conn);
}

static void
start_tls (Conn *conn)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, tls_started_cb, conn);
  TlsStart *start = g_new0 (TlsStart, 1);

  start->tcp = g_object_ref (G_IO_STREAM (conn->tcp));
  start->certificate = g_object_ref (conn->listener->certificate);
  start->database = g_object_ref (conn->listener->database);
  if (conn->listener->partner_ca != NULL)
    start->partner_ca = g_object_ref (conn->listener->partner_ca);
  g_task_set_source_tag (task, start_tls);
  g_task_set_task_data (task, start, (GDestroyNotify) tls_start_free);
  g_task_run_in_thread (task, tls_start_thread);
}

static gboolean
client_hello_cb (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  Conn *conn = user_data;
  char byte;
  gssize peeked;

  if (conn->listener == NULL || g_cancellable_is_cancelled (conn->cancellable))
    {
      conn_close (conn);
      return G_SOURCE_REMOVE;
    }
  peeked = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (peeked < 0 && (errno == EAGAIN || errno == EINTR))
    return G_SOURCE_CONTINUE;
  if (peeked == 1)
    start_tls (conn);
  else
    conn_close (conn);   /* gone before a word: no TLS to set up */
  return G_SOURCE_REMOVE;
}

/* Setting up TLS is dear: glib-networking loads the whole system trust
 * store into each new server connection, and its handshake holds a worker
 * thread while it waits for the client (blocking reads). Connections that
 * open and send nothing, or close at once, would take every worker and
 * keep real clients' handshakes past their timeout. So TLS starts with the
 * client's first bytes; until then the connection waits in the main loop,
 * under the handshake timeout, and one closed unheard costs nothing. */
static void
wait_for_client_hello (Conn *conn)
{
  GSocket *socket = g_socket_connection_get_socket (conn->tcp);
  g_autoptr(GSource) source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, conn->cancellable);

  g_source_set_callback (source, (GSourceFunc) G_CALLBACK (client_hello_cb), conn, NULL);
  g_source_attach (source, NULL);
}

static char *
refusal_response (const char *detail)
{
  g_autoptr(GError) error = g_error_new_literal (SP_ERROR, SP_ERROR_UNAVAILABLE, detail);
  g_autoptr(JsonNode) problem = sp_problem_new (error, NULL);
  g_autofree char *body = sp_json_to_string (problem, NULL);

  return g_strdup_printf ("HTTP/1.1 503 Service Unavailable\r\n"
                          "Content-Type: application/problem+json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Retry-After: 5\r\n"
                          "Cache-Control: no-store\r\n"
                          "Connection: close\r\n\r\n%s",
                          strlen (body), body);
}

static void
log_refusals (SpListener *self)
{
  gint64 now = g_get_monotonic_time ();

  if (now - self->last_log_us < LOG_EVERY_SECONDS * G_USEC_PER_SEC)
    return;
  self->last_log_us = now;
  g_message ("Connection limits reached: %u connections refused with 503, %u closed unanswered "
             "(%u open, [limits] max-connections %d, max-connections-per-address %d)",
             self->n_refused, self->n_dropped, g_hash_table_size (self->connections),
             self->config->max_connections, self->config->max_connections_per_address);
  self->n_refused = self->n_dropped = 0;
}

/* How many client connections the descriptor limit leaves room for. */
static guint
descriptor_budget (SpListener *self)
{
  struct rlimit limit;
  rlim_t reserved = RESERVED_FDS + self->config->database_pool_size + self->config->jobs_pool_size;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return G_MAXUINT;
  return limit.rlim_cur > reserved ? (guint) MIN (limit.rlim_cur - reserved, G_MAXUINT) : 0;
}

/* Why a new connection from @address must be refused, or NULL. */
static const char *
over_limit (SpListener *self,
            const char *address)
{
  guint open = g_hash_table_size (self->connections) - self->n_refusing;

  if (open >= (guint) self->config->max_connections)
    return "The server has too many connections open; try again shortly";
  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->per_address, address))
      >= (guint) self->config->max_connections_per_address)
    return "Too many connections from your address; try again shortly";
  return NULL;
}

static void
accept_connection (SpListener        *self,
                   GSocketConnection *tcp)
{
  GSocket *socket = g_socket_connection_get_socket (tcp);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (tcp, NULL);
  const char *refusal;
  Conn *conn;

  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    {
      g_io_stream_close (G_IO_STREAM (tcp), NULL, NULL);
      return;
    }

  conn = g_new0 (Conn, 1);
  conn->listener = self;
  conn->tcp = g_object_ref (tcp);
  conn->remote = g_steal_pointer (&remote);
  conn->address = g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (conn->remote)));
  conn->cancellable = g_cancellable_new ();

  refusal = over_limit (self, conn->address);
  if (g_hash_table_size (self->connections) >= descriptor_budget (self)
      || (refusal != NULL && self->n_refusing >= MAX_REFUSALS))
    {
      self->n_dropped++;
      log_refusals (self);
      g_io_stream_close (G_IO_STREAM (tcp), NULL, NULL);
      conn_free (conn);
      return;
    }

  /* Answers are small: send them at once (Nagle against delayed ACK costs
   * 40 ms); notice a client that vanished while its request is handled. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  g_socket_set_keepalive (socket, TRUE);

  g_hash_table_add (self->connections, conn);
  if (refusal != NULL)
    {
      conn_set_state (conn, CONN_REFUSING);
      conn->refusal = refusal_response (refusal);
      self->n_refusing++;
      self->n_refused++;
      log_refusals (self);
    }
  else
    {
      conn_set_state (conn, CONN_HANDSHAKE);
      count_address (self, conn->address, 1);
    }
  wait_for_client_hello (conn);
}

static gboolean
retry_accept_cb (gpointer user_data)
{
  SpListener *self = user_data;

  self->backoff_id = 0;
  accept_next (self);
  return G_SOURCE_REMOVE;
}

static void
accepted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SpListener *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) tcp = g_socket_listener_accept_finish (G_SOCKET_LISTENER (object), result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (tcp == NULL)
    {
      /* EMFILE and friends: never stop listening; wait for descriptors to
       * come free (the sweep closes idle connections) and try again. */
      self->backoff_ms = CLAMP (self->backoff_ms * 2, BACKOFF_MIN_MS, BACKOFF_MAX_MS);
      g_warning ("Cannot accept a connection (%s); trying again in %u ms", error->message, self->backoff_ms);
      self->backoff_id = g_timeout_add (self->backoff_ms, retry_accept_cb, self);
      return;
    }
  self->backoff_ms = 0;
  accept_connection (self, tcp);
  accept_next (self);
}

static void
accept_next (SpListener *self)
{
  g_socket_listener_accept_async (self->socket_listener, self->cancellable, accepted_cb, self);
}

static gboolean
overstayed (gint64  since_us,
            int     seconds,
            gint64  now)
{
  return now - since_us > (gint64) seconds * G_USEC_PER_SEC;
}

static gboolean
sweep_cb (gpointer user_data)
{
  SpListener *self = user_data;
  const SpConfig *config = self->config;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Conn *conn;

  /* What the sweep does takes effect later, from the main loop: the
   * registry does not change under the iterator. */
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    {
      switch (conn->state)
        {
        case CONN_HANDSHAKE:
        case CONN_REFUSING:
          if (overstayed (conn->since_us, config->tls_handshake_timeout, now))
            g_cancellable_cancel (conn->cancellable);
          break;
        case CONN_HEADERS:
          if (overstayed (conn->since_us, config->header_timeout, now))
            sp_conn_stream_abort (conn->stream);
          break;
        case CONN_BODY:
          if (overstayed (MAX (conn->since_us, sp_conn_stream_get_last_read (conn->stream)),
                          config->body_timeout, now))
            sp_conn_stream_abort (conn->stream);
          break;
        case CONN_IDLE:
          if (overstayed (conn->since_us, config->idle_timeout, now))
            sp_conn_stream_end (conn->stream);
          break;
        case CONN_HANDLING:
        default:
          break;
        }
    }
  return G_SOURCE_CONTINUE;
}

/*
 * libsoup 3.2 keeps a connection alive after a request only while it has a
 * listening socket of its own. It gets one that no client can ever reach:
 * a Unix socket whose name is removed at once.
 */
static GSocket *
keep_alive_anchor (SoupServer  *soup,
                   char       **dir,
                   GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;

  if (!(*dir = g_dir_make_tmp ("sportello-XXXXXX", error)))
    return NULL;
  path = g_build_filename (*dir, "anchor", NULL);
  address = g_unix_socket_address_new (path);
  if (!(socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error))
      || !g_socket_bind (socket, address, FALSE, error)
      || !g_socket_listen (socket, error))
    return NULL;
  g_unlink (path);
  g_rmdir (*dir);
  if (!soup_server_listen_socket (soup, socket, 0, error))
    return NULL;
  return g_steal_pointer (&socket);
}

SpListener *
sp_listener_new (SoupServer       *soup,
                 GTlsCertificate  *certificate,
                 const SpConfig   *config,
                 GError          **error)
{
  g_autoptr(SpListener) self = g_new0 (SpListener, 1);

  self->soup = g_object_ref (soup);
  self->certificate = g_object_ref (certificate);
  self->config = config;
  if (config->partner_ca != NULL && *config->partner_ca != '\0'
      && !(self->partner_ca = g_tls_file_database_new (config->partner_ca, error)))
    {
      g_prefix_error (error, "[server] partner-ca %s: ", config->partner_ca);
      return NULL;
    }
  /* Each connection gets its database at construction: without one,
   * glib-networking 2.74 loads the whole system trust store into every new
   * server connection (thousands of certificates parsed per handshake).
   * Without a partner CA nobody is asked for a certificate, so the server's
   * own certificate file stands in, never consulted. */
  if (self->partner_ca != NULL)
    self->database = g_object_ref (self->partner_ca);
  else if (!(self->database = g_tls_file_database_new (config->tls_certificate, error)))
    {
      g_prefix_error (error, "[server] tls-certificate %s: ", config->tls_certificate);
      return NULL;
    }
  self->cancellable = g_cancellable_new ();
  self->socket_listener = g_socket_listener_new ();
  g_socket_listener_set_backlog (self->socket_listener, 1024);
  self->connections = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) conn_free, NULL);
  self->by_remote = g_hash_table_new (NULL, NULL);
  self->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!(self->anchor = keep_alive_anchor (soup, &self->anchor_dir, error)))
    return NULL;

  g_signal_connect (soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (soup, "request-read", G_CALLBACK (request_read_cb), self);
  g_signal_connect (soup, "request-finished", G_CALLBACK (request_done_cb), self);
  g_signal_connect (soup, "request-aborted", G_CALLBACK (request_done_cb), self);
  return g_steal_pointer (&self);
}

/**
 * sp_listener_listen:
 *
 * Listens on @address (port 0: any free port) and accepts from now on.
 */
gboolean
sp_listener_listen (SpListener      *self,
                    GSocketAddress  *address,
                    GError         **error)
{
  if (!g_socket_listener_add_address (self->socket_listener, address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &self->address, error))
    return FALSE;
  self->sweep_id = g_timeout_add_seconds (SWEEP_SECONDS, sweep_cb, self);
  accept_next (self);
  return TRUE;
}

/**
 * sp_listener_get_peer_certificate:
 * @errors: (out): what is wrong with it, checked against `[server]
 *   partner-ca` (0: it chains to the partner CA and is valid now)
 *
 * Returns: (transfer none) (nullable): the client certificate of the
 *   connection of @msg, if the client sent one
 */
GTlsCertificate *
sp_listener_get_peer_certificate (SpListener            *self,
                                  SoupServerMessage     *msg,
                                  GTlsCertificateFlags  *errors)
{
  Conn *conn = conn_for_message (self, msg);
  GTlsCertificate *certificate;

  *errors = 0;
  if (conn == NULL || conn->tls == NULL || self->partner_ca == NULL
      || !(certificate = g_tls_connection_get_peer_certificate (conn->tls)))
    return NULL;
  *errors = g_tls_connection_get_peer_certificate_errors (conn->tls);
  return certificate;
}

/**
 * sp_listener_get_address:
 *
 * Returns: (nullable) (transfer none): the address listened on, with its port
 */
GSocketAddress *
sp_listener_get_address (SpListener *self)
{
  return self->address;
}

/**
 * sp_listener_get_socket:
 *
 * Returns: (nullable) (transfer none): the socket of @msg's connection
 */
GSocket *
sp_listener_get_socket (SpListener        *self,
                        SoupServerMessage *msg)
{
  Conn *conn = conn_for_message (self, msg);

  return conn != NULL ? g_socket_connection_get_socket (conn->tcp) : NULL;
}

void
sp_listener_free (SpListener *self)
{
  GHashTableIter iter;
  Conn *conn;

  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_handle_id (&self->backoff_id, g_source_remove);
  if (self->soup != NULL)
    g_signal_handlers_disconnect_by_data (self->soup, self);
  if (self->socket_listener != NULL)
    g_socket_listener_close (self->socket_listener);

  /* Connections still open end with their pending operations. */
  if (self->connections != NULL)
    {
      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
        {
          conn->listener = NULL;
          g_cancellable_cancel (conn->cancellable);
          g_hash_table_iter_steal (&iter);
        }
    }

  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_pointer (&self->by_remote, g_hash_table_unref);
  g_clear_pointer (&self->per_address, g_hash_table_unref);
  g_clear_object (&self->socket_listener);
  g_clear_object (&self->address);
  g_clear_object (&self->anchor);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->certificate);
  g_clear_object (&self->partner_ca);
  g_clear_object (&self->database);
  g_clear_object (&self->soup);
  g_free (self->anchor_dir);
  g_free (self);
}
