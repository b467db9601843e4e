/* sp-raw-client.c: raw HTTP/1.1 connections, TLS or not, for the chaos tests */
#define G_LOG_DOMAIN "sp-chaos"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>

#include "sp-raw-client.h"

/**
 * sp_raw_connect:
 * @url: the server's base URL (https://host:port)
 * @local_ip: (nullable): the loopback address to connect from
 * @tls: whether to complete a TLS handshake, trusting @ca_file
 * @timeout_seconds: how long any later read or write may block
 *
 * Returns: (transfer full): the connection, or %NULL with @error set
 */
GIOStream *
sp_raw_connect (const char  *url,
                const char  *ca_file,
                const char  *local_ip,
                gboolean     tls,
                guint        timeout_seconds,
                GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, error);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) tcp = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GIOStream) tls_stream = NULL;

  if (uri == NULL)
    return NULL;
  if (local_ip != NULL)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (local_ip);
      g_autoptr(GSocketAddress) local = g_inet_socket_address_new (inet, 0);

      g_socket_client_set_local_address (client, local);
    }
  g_socket_client_set_timeout (client, timeout_seconds);
  g_socket_client_set_enable_proxy (client, FALSE);
  if (!(tcp = g_socket_client_connect_to_host (client, g_uri_get_host (uri), (guint16) g_uri_get_port (uri),
                                               NULL, error)))
    return NULL;
  /* As real clients do: a request written after the handshake must not wait
   * for the server's delayed ACK. */
  g_socket_set_option (g_socket_connection_get_socket (tcp), IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  if (!tls)
    return G_IO_STREAM (g_steal_pointer (&tcp));

  identity = g_network_address_new (g_uri_get_host (uri), (guint16) g_uri_get_port (uri));
  if (!(database = g_tls_file_database_new (ca_file, error))
      || !(tls_stream = g_tls_client_connection_new (G_IO_STREAM (tcp), identity, error)))
    return NULL;
  g_tls_connection_set_database (G_TLS_CONNECTION (tls_stream), database);
  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls_stream), NULL, error))
    return NULL;
  return g_steal_pointer (&tls_stream);
}

gboolean
sp_raw_send (GIOStream   *stream,
             const char  *text,
             GError     **error)
{
  return g_output_stream_write_all (g_io_stream_get_output_stream (stream), text, strlen (text),
                                    NULL, NULL, error)
         && g_output_stream_flush (g_io_stream_get_output_stream (stream), NULL, error);
}

/**
 * sp_raw_read_response:
 * @headers: (out) (optional): the status line and headers
 *
 * Reads one response with a Content-Length body.
 *
 * Returns: its status, or -1 with @error set
 */
/**
 * sp_raw_poll_status:
 *
 * Reads, without waiting, what the server has sent: for a client that
 * sends slowly and wants to know whether it was answered meanwhile.
 *
 * Returns: the status of the response that arrived; 0 if nothing has
 *   arrived; -1 if the connection was closed without one, or failed
 */
int
sp_raw_poll_status (GIOStream *stream)
{
  GInputStream *input = g_io_stream_get_input_stream (stream);
  g_autoptr(GError) error = NULL;
  char start[64] = { 0 };
  gssize n;

  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (input), -1);
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (input), start, sizeof start - 1, NULL, &error);
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return 0;
  if (n >= 12 && g_str_has_prefix (start, "HTTP/1.1 "))
    return atoi (start + 9);
  return -1;
}

int
sp_raw_read_response (GIOStream  *stream,
                      char      **headers,
                      GError    **error)
{
  GInputStream *input = g_io_stream_get_input_stream (stream);
  g_autoptr(GString) head = g_string_new (NULL);
  const char *length;
  gsize left;
  char c;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      gssize n = g_input_stream_read (input, &c, 1, NULL, error);

      if (n < 0)
        return -1;
      if (n == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "Closed before the response");
          return -1;
        }
      g_string_append_c (head, c);
    }
  if (!g_str_has_prefix (head->str, "HTTP/1.1 ") || head->len < 12)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Not an HTTP response: %s", head->str);
      return -1;
    }
  length = strstr (head->str, "\r\nContent-Length: ");
  left = length != NULL ? strtoul (length + 18, NULL, 10) : 0;
  while (left > 0)
    {
      char buffer[4096];
      gssize n = g_input_stream_read (input, buffer, MIN (left, sizeof buffer), NULL, error);

      if (n <= 0)
        {
          if (n == 0)
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "Closed in the body");
          return -1;
        }
      left -= (gsize) n;
    }
  if (headers != NULL)
    *headers = g_strdup (head->str);
  return atoi (head->str + 9);
}

/**
 * sp_raw_wait_closed:
 *
 * Waits for the server to close @stream, reading and dropping what it sends.
 *
 * Returns: the seconds it took, or -1 if it was still open after @max_seconds
 */
double
sp_raw_wait_closed (GIOStream *stream,
                    double     max_seconds)
{
  GInputStream *input = g_io_stream_get_input_stream (stream);
  gint64 start = g_get_monotonic_time ();
  char buffer[512];

  while ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC < max_seconds)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error);

      if (n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)))
        return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
    }
  return -1;
}

/* The descriptors process @pid has open. */
guint
sp_raw_count_fds (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}
