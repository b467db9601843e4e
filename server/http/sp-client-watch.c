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

struct _SpClientWatch
{
  SoupServerMessage *msg;
  GCancellable      *cancellable;
  gulong             disconnected_id;
  GSource           *source;
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
      watch->source = g_unix_fd_source_new (g_socket_get_fd (socket), (GIOCondition) PEER_CLOSED);
      g_source_set_callback (watch->source, G_SOURCE_FUNC (closed_cb), watch, NULL);
      g_source_attach (watch->source, g_main_context_get_thread_default ());
    }
  return watch;
}

void
sp_client_watch_free (SpClientWatch *watch)
{
  if (watch == NULL)
    return;
  if (watch->source != NULL)
    {
      g_source_destroy (watch->source);
      g_source_unref (watch->source);
    }
  g_clear_signal_handler (&watch->disconnected_id, watch->msg);
  g_clear_object (&watch->cancellable);
  g_clear_object (&watch->msg);
  g_free (watch);
}
