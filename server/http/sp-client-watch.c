/* sp-client-watch.c: cancels a request's work when its client disconnects or closes its connection */
#define G_LOG_DOMAIN "sp-request"

#include "config.h"

#include "sp-client-watch.h"

/* A TLS record of type alert: close_notify, or a fatal error; either way the
 * client will read no answer. */
#define TLS_ALERT 0x15

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

/* While the message is paused nobody reads its socket: readable means the
 * peer closed it (nothing to peek), sent a TLS alert, or pipelined another
 * request, after which there is nothing more to learn. */
static gboolean
readable_cb (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  SpClientWatch *watch = user_data;
  guint8 first = 0;
  GInputVector vector = { &first, 1 };
  int flags = G_SOCKET_MSG_PEEK;
  g_autoptr(GError) error = NULL;
  gssize peeked;

  if ((condition & (G_IO_HUP | G_IO_ERR)) != 0)
    {
      gone (watch);
      return G_SOURCE_REMOVE;
    }
  peeked = g_socket_receive_message (socket, NULL, &vector, 1, NULL, NULL, &flags, NULL, &error);
  if (peeked < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;
  if (peeked <= 0 || first == TLS_ALERT)
    gone (watch);
  return G_SOURCE_REMOVE;
}

/**
 * sp_client_watch_new:
 * @cancellable: cancelled when the client of @msg goes away
 *
 * Returns: (transfer full): the watch; free it before answering @msg
 */
SpClientWatch *
sp_client_watch_new (SoupServerMessage *msg,
                     GCancellable      *cancellable)
{
  SpClientWatch *watch = g_new0 (SpClientWatch, 1);
  GSocket *socket = soup_server_message_get_socket (msg);

  watch->msg = g_object_ref (msg);
  watch->cancellable = g_object_ref (cancellable);
  watch->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (disconnected_cb), watch);
  if (socket != NULL)
    {
      watch->source = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (watch->source, G_SOURCE_FUNC (readable_cb), watch, NULL);
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
