/* sp-bench-https.c: a bare libsoup HTTPS "hello" server and keep-alive connections driving a target, for the HTTPS benchmarks */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include "sp-bench-https.h"

guint
sp_bench_env_uint (const char *name,
          guint       fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  return text != NULL && g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &value, NULL) ? (guint) value : fallback;
}

static void
hello_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  static const char body[] = "{\"status\":\"hello\"}";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, sizeof body - 1);
}

/* As sportello-server does: without it, Nagle and delayed ACKs cost 40 ms a request. */
static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
}

static gpointer
hello_thread (gpointer data)
{
  SpBenchHello *hello = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  g_main_context_push_thread_default (hello->context);
  server = soup_server_new ("tls-certificate", hello->certificate, "server-header", "hello", NULL);
  soup_server_add_handler (server, NULL, hello_cb, NULL, NULL);
  g_signal_connect (server, "request-started", G_CALLBACK (request_started_cb), NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error))
    g_error ("bare server: %s", error->message);
  uris = soup_server_get_uris (server);
  g_async_queue_push (hello->ready, g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data)));
  g_main_loop_run (hello->loop);
  soup_server_disconnect (server);
  g_main_context_pop_thread_default (hello->context);
  return NULL;
}

void
sp_bench_hello_start (SpBenchHello *hello,
                      SpTestEnv    *env)
{
  g_autofree char *cert_file = sp_test_env_get_tls_file (env, "server.pem");
  g_autofree char *key_file = sp_test_env_get_tls_file (env, "server.key");
  g_autoptr(GError) error = NULL;

  hello->certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  if (hello->certificate == NULL)
    g_error ("%s: %s", cert_file, error->message);
  hello->context = g_main_context_new ();
  hello->loop = g_main_loop_new (hello->context, FALSE);
  hello->ready = g_async_queue_new ();
  hello->thread = g_thread_new ("bare-hello", hello_thread, hello);
  hello->url = g_async_queue_pop (hello->ready);
}

void
sp_bench_hello_stop (SpBenchHello *hello)
{
  g_main_loop_quit (hello->loop);
  g_thread_join (hello->thread);
  g_clear_pointer (&hello->loop, g_main_loop_unref);
  g_clear_pointer (&hello->context, g_main_context_unref);
  g_clear_pointer (&hello->ready, g_async_queue_unref);
  g_clear_object (&hello->certificate);
  g_clear_pointer (&hello->url, g_free);
}

/* As real HTTP clients (curl, wrk) do: without it, a POST's body waits
 * behind its headers for the server's delayed ACK (40 ms). */
/* As curl and wrk do, and as the desktop app does (sp-client-send.c): a 204
 * keeps its connection, which libsoup 3.2's client would close. */
static void
no_content_keeps_alive_cb (SoupMessage *message,
                           gpointer     user_data)
{
  if (soup_message_get_status (message) == SOUP_STATUS_NO_CONTENT)
    soup_message_headers_set_content_length (soup_message_get_response_headers (message), 0);
}

static void
network_event_cb (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_CONNECTED && G_IS_SOCKET_CONNECTION (connection))
    g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)), IPPROTO_TCP,
                         TCP_NODELAY, 1, NULL);
}

/* One keep-alive connection: its own session, one request at a time. */
static gpointer
connection_thread (gpointer data)
{
  SpBenchTarget *target = data;
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (target->ca_file, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("tls-database", database, "max-conns", 1,
                                                                  "max-conns-per-host", 1, "timeout", 30, NULL);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *first_error = NULL;
  g_autofree char *url = NULL;
  guint expected = target->expected_status != 0 ? target->expected_status : SOUP_STATUS_OK;
  guint errors = 0;
  gboolean connected = FALSE;
  guint index;

  g_mutex_lock (&target->lock);
  index = target->next_index++;
  g_mutex_unlock (&target->lock);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  url = target->per_connection ? g_strdup_printf (target->url, index) : g_strdup (target->url);
#pragma GCC diagnostic pop

  while (g_get_monotonic_time () < target->deadline)
    {
      g_autoptr(SoupMessage) message = soup_message_new (target->method != NULL ? target->method : "GET", url);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      g_signal_connect (message, "network-event", G_CALLBACK (network_event_cb), NULL);
      g_signal_connect (message, "got-headers", G_CALLBACK (no_content_keeps_alive_cb), NULL);
      /* libsoup opens a new connection for each POST unless told that it may
       * reuse one; a partner's client keeps its connection (wrk, curl). */
      soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
      if (target->authorization != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                      target->authorization);
      if (target->body != NULL)
        {
          g_autoptr(GBytes) request = g_bytes_new_static (target->body, strlen (target->body));

          soup_message_set_request_body_from_bytes (message, "application/json", request);
        }
      /* The connections' TLS handshakes one at a time: with sixteen at
       * once, glib-networking's client handshake twice in about 250 turns
       * waited for ever on a condition in its thread, the server's answer
       * unread in the socket, and the benchmark with it. */
      if (!connected)
        g_mutex_lock (&target->connect_lock);
      body = soup_session_send_and_read (session, message, NULL, &error);
      if (!connected)
        g_mutex_unlock (&target->connect_lock);
      connected = TRUE;
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (body == NULL || soup_message_get_status (message) != expected)
        {
          if (first_error == NULL)
            first_error = error != NULL ? g_strdup (error->message)
                                        : g_strdup_printf ("HTTP %u", soup_message_get_status (message));
          errors++;
          continue;
        }
      if (start >= target->warm_until)
        g_array_append_val (samples, ms);
    }

  g_mutex_lock (&target->lock);
  g_array_append_vals (target->samples, samples->data, samples->len);
  target->errors += errors;
  if (target->first_error == NULL)
    target->first_error = g_steal_pointer (&first_error);
  g_mutex_unlock (&target->lock);
  return NULL;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* Sorts @samples (milliseconds) for sp_bench_percentile(). */
void
sp_bench_sort_samples (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
}

double
sp_bench_percentile (GArray *samples,
                     double  p)
{
  guint index = (guint) (p * (samples->len - 1) + 0.5);

  return samples->len > 0 ? g_array_index (samples, double, MIN (index, samples->len - 1)) : 0;
}

/* Drives @connections keep-alive connections for @seconds, after a second of
 * warm-up. Called again, it adds to what the earlier runs measured, so that
 * targets measured in turns meet the same moments of a shared machine.
 * Returns: req/s over every run so far (the samples are sorted, for
 * sp_bench_percentile()) */
double
sp_bench_run_target (SpBenchTarget *target,
                     guint          connections,
                     guint          seconds)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  gint64 start = g_get_monotonic_time ();

  if (target->samples == NULL)
    {
      target->samples = g_array_new (FALSE, FALSE, sizeof (double));
      g_mutex_init (&target->lock);
      g_mutex_init (&target->connect_lock);
    }
  target->next_index = 0;
  target->warm_until = start + SP_BENCH_WARMUP_S * G_USEC_PER_SEC;
  target->deadline = target->warm_until + (gint64) seconds * G_USEC_PER_SEC;
  for (guint i = 0; i < connections; i++)
    g_ptr_array_add (threads, g_thread_new ("connection", connection_thread, target));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  target->measured_seconds += seconds;
  g_array_sort (target->samples, compare_doubles);
  return target->samples->len / (double) target->measured_seconds;
}

void
sp_bench_target_clear (SpBenchTarget *target)
{
  g_clear_pointer (&target->samples, g_array_unref);
  g_clear_pointer (&target->url, g_free);
  g_clear_pointer (&target->first_error, g_free);
  g_clear_pointer (&target->authorization, g_free);
  g_mutex_clear (&target->lock);
  g_mutex_clear (&target->connect_lock);
}

