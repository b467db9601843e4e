/* sp-conn-stream.c: one client connection as libsoup sees it, with an end the listener controls */
#define G_LOG_DOMAIN "sp-server"

#include "config.h"

#include "sp-conn-stream.h"

/*
 * libsoup 3.2 never closes a keep-alive connection whose client goes away
 * between two requests (the end of the stream comes before any byte of a
 * request, and libsoup forgets the connection instead of closing it; fixed
 * in libsoup 3.3). So the server hands libsoup this stream over the TLS
 * connection: between requests, the end of the stream (or an end the
 * listener decides, for an idle connection) reaches libsoup as a request
 * line it refuses, which libsoup answers by closing the connection through
 * its own path, freeing everything it holds. The socket is shut down first
 * (for writing, so the client never reads that refusal; for reading, so that
 * a read libsoup waits for returns at once).
 *
 * In a request, sp_conn_stream_abort() makes the next read fail: libsoup
 * drops the request and closes the connection.
 */
#define END_REQUEST "SPORTELLO-END-OF-CONNECTION\r\n\r\n"

typedef struct _SpConnInput SpConnInput;

struct _SpConnStream
{
  GIOStream               parent_instance;

  GTlsConnection         *tls;
  GSocket                *socket;
  SpConnInput            *input;
  SpConnStreamClosedFunc  closed;
  gpointer                closed_data;
  gint64                  last_read_us;
  gsize                   end_offset;
  guint                   idle : 1;
  guint                   ending : 1;
  guint                   aborted : 1;
  guint                   notified : 1;
};

struct _SpConnInput
{
  GInputStream  parent_instance;
  SpConnStream *conn;  /* not owned: the connection owns its input */
};

#define SP_TYPE_CONN_INPUT (sp_conn_input_get_type ())
G_DECLARE_FINAL_TYPE (SpConnInput, sp_conn_input, SP, CONN_INPUT, GInputStream)

static void sp_conn_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SpConnInput, sp_conn_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM, sp_conn_input_pollable_init))

G_DEFINE_FINAL_TYPE (SpConnStream, sp_conn_stream, G_TYPE_IO_STREAM)

static GPollableInputStream *
tls_input (SpConnStream *conn)
{
  return G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (G_IO_STREAM (conn->tls)));
}

/* The end as libsoup must see it between requests: a request line it refuses. */
static gssize
read_end (SpConnStream *conn,
          void         *buffer,
          gsize         count)
{
  gsize left = strlen (END_REQUEST) - conn->end_offset;
  gsize n = MIN (left, count);

  memcpy (buffer, END_REQUEST + conn->end_offset, n);
  conn->end_offset += n;
  return (gssize) n;
}

static void
begin_end (SpConnStream *conn)
{
  if (conn->ending)
    return;
  conn->ending = TRUE;
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
}

static gssize
conn_read (SpConnInput   *self,
           void          *buffer,
           gsize          count,
           gboolean       blocking,
           GCancellable  *cancellable,
           GError       **error)
{
  SpConnStream *conn = self->conn;
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (conn->aborted)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The client stopped sending");
      return -1;
    }
  if (conn->ending)
    return read_end (conn, buffer, count);

  n = g_pollable_stream_read (G_INPUT_STREAM (tls_input (conn)), buffer, count, blocking, cancellable, &local_error);
  if (n > 0)
    {
      conn->last_read_us = g_get_monotonic_time ();
      return n;
    }
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)
      || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  /* The end of the stream, or the client reset it. */
  if (conn->idle)
    {
      begin_end (conn);
      return read_end (conn, buffer, count);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  return 0;
}

static gssize
sp_conn_input_read (GInputStream  *stream,
                    void          *buffer,
                    gsize          count,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return conn_read (SP_CONN_INPUT (stream), buffer, count, TRUE, cancellable, error);
}

static gssize
sp_conn_input_read_nonblocking (GPollableInputStream  *stream,
                                void                  *buffer,
                                gsize                  count,
                                GError               **error)
{
  return conn_read (SP_CONN_INPUT (stream), buffer, count, FALSE, NULL, error);
}

static gboolean
sp_conn_input_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static gboolean
sp_conn_input_is_readable (GPollableInputStream *stream)
{
  SpConnStream *conn = SP_CONN_INPUT (stream)->conn;

  return conn->aborted || conn->ending || g_pollable_input_stream_is_readable (tls_input (conn));
}

/* The TLS stream's own source: when the listener ends or aborts the
 * connection it shuts the socket down for reading too, which makes that
 * source ready at once (and conn_read answers with the end, or the error).
 * No source of its own around it: GLib 2.74 wakes the main loop for every
 * nested source that a dispatch blocks and unblocks, and this one would be
 * waited on at every read. */
static GSource *
sp_conn_input_create_source (GPollableInputStream *stream,
                             GCancellable         *cancellable)
{
  SpConnStream *conn = SP_CONN_INPUT (stream)->conn;

  return g_pollable_input_stream_create_source (tls_input (conn), cancellable);
}

static void
sp_conn_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = sp_conn_input_can_poll;
  iface->is_readable = sp_conn_input_is_readable;
  iface->create_source = sp_conn_input_create_source;
  iface->read_nonblocking = sp_conn_input_read_nonblocking;
}

static void
sp_conn_input_class_init (SpConnInputClass *klass)
{
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  input_class->read_fn = sp_conn_input_read;
}

static void
sp_conn_input_init (SpConnInput *self)
{
}

static void
notify_closed (SpConnStream *self)
{
  if (self->notified)
    return;
  self->notified = TRUE;
  if (self->closed != NULL)
    self->closed (self, self->closed_data);
}

static GInputStream *
sp_conn_stream_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (SP_CONN_STREAM (stream)->input);
}

static GOutputStream *
sp_conn_stream_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (G_IO_STREAM (SP_CONN_STREAM (stream)->tls));
}

static gboolean
sp_conn_stream_close_fn (GIOStream     *stream,
                         GCancellable  *cancellable,
                         GError       **error)
{
  SpConnStream *self = SP_CONN_STREAM (stream);

  g_input_stream_close (G_INPUT_STREAM (self->input), NULL, NULL);
  /* The close_notify may fail on a socket already shut down: nothing is lost. */
  g_io_stream_close (G_IO_STREAM (self->tls), cancellable, NULL);
  notify_closed (self);
  return TRUE;
}

static void
tls_closed_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SpConnStream *self = g_task_get_source_object (task);

  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
  g_input_stream_close (G_INPUT_STREAM (self->input), NULL, NULL);
  notify_closed (self);
  g_task_return_boolean (task, TRUE);
}

/* GIOStream's default would close in a thread; the TLS stream closes itself
 * asynchronously on the main context. */
static void
sp_conn_stream_close_async (GIOStream           *stream,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  SpConnStream *self = SP_CONN_STREAM (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, sp_conn_stream_close_async);
  g_io_stream_close_async (G_IO_STREAM (self->tls), io_priority, cancellable, tls_closed_cb, task);
}

static gboolean
sp_conn_stream_close_finish (GIOStream     *stream,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sp_conn_stream_finalize (GObject *object)
{
  SpConnStream *self = SP_CONN_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->socket);
  g_clear_object (&self->tls);

  G_OBJECT_CLASS (sp_conn_stream_parent_class)->finalize (object);
}

static void
sp_conn_stream_class_init (SpConnStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = sp_conn_stream_finalize;
  stream_class->get_input_stream = sp_conn_stream_get_input_stream;
  stream_class->get_output_stream = sp_conn_stream_get_output_stream;
  stream_class->close_fn = sp_conn_stream_close_fn;
  stream_class->close_async = sp_conn_stream_close_async;
  stream_class->close_finish = sp_conn_stream_close_finish;
}

static void
sp_conn_stream_init (SpConnStream *self)
{
  self->last_read_us = g_get_monotonic_time ();
}

/**
 * sp_conn_stream_new:
 * @tls: the client's TLS connection, its handshake done
 * @socket: its socket, shut down when the connection ends
 * @closed: called once when the stream is closed
 *
 * Returns: (transfer full): the stream to hand to soup_server_accept_iostream()
 */
SpConnStream *
sp_conn_stream_new (GTlsConnection         *tls,
                    GSocket                *socket,
                    SpConnStreamClosedFunc  closed,
                    gpointer                user_data)
{
  SpConnStream *self = g_object_new (SP_TYPE_CONN_STREAM, NULL);

  self->tls = g_object_ref (tls);
  self->socket = g_object_ref (socket);
  self->input = g_object_new (SP_TYPE_CONN_INPUT, NULL);
  self->input->conn = self;
  self->closed = closed;
  self->closed_data = user_data;
  return self;
}

/**
 * sp_conn_stream_set_idle:
 *
 * Tells whether the connection is between two requests, where its end must
 * reach libsoup as a refused request line.
 */
void
sp_conn_stream_set_idle (SpConnStream *self,
                         gboolean      idle)
{
  self->idle = !!idle;
}

/**
 * sp_conn_stream_get_last_read:
 *
 * Returns: the monotonic time of the last bytes read from the client
 */
gint64
sp_conn_stream_get_last_read (SpConnStream *self)
{
  return self->last_read_us;
}

/**
 * sp_conn_stream_end:
 *
 * Ends an idle connection: libsoup closes it at its next read, at once.
 */
void
sp_conn_stream_end (SpConnStream *self)
{
  begin_end (self);
}

/**
 * sp_conn_stream_abort:
 *
 * Aborts the request being read: the next read fails and libsoup closes the
 * connection.
 */
void
sp_conn_stream_abort (SpConnStream *self)
{
  if (self->aborted)
    return;
  self->aborted = TRUE;
  g_socket_shutdown (self->socket, TRUE, TRUE, NULL);
}
