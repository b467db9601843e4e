/* sp-client-watch.c: cancels a request's work when its client disconnects or hangs up */
#define G_LOG_DOMAIN "sp-request"

#include "config.h"

#include <glib-unix.h>
#include <poll.h>

#include "sp-client-watch.h"

/* The peer shut its side of the connection (Linux, without _GNU_SOURCE's
 * name for it): a client that hangs up while its request is paused, when
 * nobody reads the socket. A pipelined request does not count. */
#if defined(__linux__) && !defined(POLLRDHUP)
#define POLLRDHUP 0x2000
#endif
#ifdef POLLRDHUP
#define PEER_CLOSED (G_IO_HUP | G_IO_ERR | POLLRDHUP)
#else
#define PEER_CLOSED (G_IO_HUP | G_IO_ERR)
#endif

/* Most requests are answered within a few milliseconds, before a client's
 * hanging up could matter: their socket is watched only once they have
 * waited this long. A descriptor added to the main loop's poll, and removed,
 * wakes the loop each time: two system calls a request, for nothing. */
#define WATCH_AFTER_MS 100

struct _SpClientWatch
{
  SoupServerMessage *msg;
  GCancellable      *cancellable;
  gulong             disconnected_id;
  GSocket           *socket;
  GSource           *delay;    /* until the socket is watched */
  GSource           *source;   /* the socket's watch */
};

static void
gone (SpClientWatch *watch)
{
  if (!g_cancellable_is_cancelled (watch->cancellable))
    g_debug ("The client of %s %s went away", soup_server_message_get_method (watch->msg),
             g_uri_get_path (soup_server_message_get_uri (watch->msg)));
  g_cancellable_cancel (watch->cancellable);
}

static void
disconnected_cb (SoupServerMessage *msg,
                 gpointer           user_data)
{
  gone (user_data);
}

static gboolean
closed_cb (int           fd,
           GIOCondition  condition,
           gpointer      user_data)
{
  gone (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
watch_cb (gpointer user_data)
{
  SpClientWatch *watch = user_data;

  g_clear_pointer (&watch->delay, g_source_unref);
  if (g_socket_is_closed (watch->socket) || g_cancellable_is_cancelled (watch->cancellable))
    return G_SOURCE_REMOVE;
  watch->source = g_unix_fd_source_new (g_socket_get_fd (watch->socket), (GIOCondition) PEER_CLOSED);
  g_source_set_callback (watch->source, G_SOURCE_FUNC (closed_cb), watch, NULL);
  g_source_attach (watch->source, g_main_context_get_thread_default ());
  return G_SOURCE_REMOVE;
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/**
 * sp_client_watch_new:
 * @socket: (nullable): the socket of @msg's connection
 * @cancellable: cancelled when the client of @msg goes away
 *
 * Returns: (transfer full): the watch; free it before answering @msg
 */
SpClientWatch *
sp_client_watch_new (SoupServerMessage *msg,
                     GSocket           *socket,
                     GCancellable      *cancellable)
{
  SpClientWatch *watch = g_new0 (SpClientWatch, 1);

  watch->msg = g_object_ref (msg);
  watch->cancellable = g_object_ref (cancellable);
  watch->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (disconnected_cb), watch);
  if (socket != NULL)
    {
      watch->socket = g_object_ref (socket);
      watch->delay = g_timeout_source_new (WATCH_AFTER_MS);
      g_source_set_callback (watch->delay, watch_cb, watch, NULL);
      g_source_attach (watch->delay, g_main_context_get_thread_default ());
    }
  return watch;
}

void
sp_client_watch_free (SpClientWatch *watch)
{
  if (watch == NULL)
    return;
  clear_source (&watch->delay);
  clear_source (&watch->source);
  g_clear_object (&watch->socket);
  g_clear_signal_handler (&watch->disconnected_id, watch->msg);
  g_clear_object (&watch->cancellable);
  g_clear_object (&watch->msg);
  g_free (watch);
}
