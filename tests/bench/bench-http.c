/* bench-http.c: req/s, p50 and p99 of /health and a dashboard page over HTTPS keep-alive, against a bare libsoup server */
#define G_LOG_DOMAIN "bench"

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>

#include "sp-test-dashboard.h"
#include "sp-test-env.h"
#include "sp-test-http.h"

#define WARMUP_S 1

/* A bare libsoup 3 HTTPS server answering "hello", on a thread and main
 * context of its own, as single-threaded as sportello-server. */
typedef struct
{
  GTlsCertificate *certificate;
  GMainContext    *context;
  GMainLoop       *loop;
  GAsyncQueue     *ready;
  GThread         *thread;
  char            *url;
} Hello;

/* One target: a URL, a token, and the samples of every connection. */
typedef struct
{
  const char   *name;
  char         *url;
  const char   *token;
  const char   *ca_file;
  gint64        warm_until;
  gint64        deadline;
  GMutex        lock;
  GArray       *samples;      /* milliseconds */
  guint         errors;
  char         *first_error;
} Target;

static guint
env_uint (const char *name,
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
  Hello *hello = data;
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

static void
hello_start (Hello     *hello,
             SpTestEnv *env)
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

static void
hello_stop (Hello *hello)
{
  g_main_loop_quit (hello->loop);
  g_thread_join (hello->thread);
  g_clear_pointer (&hello->loop, g_main_loop_unref);
  g_clear_pointer (&hello->context, g_main_context_unref);
  g_clear_pointer (&hello->ready, g_async_queue_unref);
  g_clear_object (&hello->certificate);
  g_clear_pointer (&hello->url, g_free);
}

/* One keep-alive connection: its own session, one request at a time. */
static gpointer
connection_thread (gpointer data)
{
  Target *target = data;
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (target->ca_file, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("tls-database", database, "max-conns", 1,
                                                                  "max-conns-per-host", 1, "timeout", 30, NULL);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *bearer = target->token != NULL ? g_strconcat ("Bearer ", target->token, NULL) : NULL;
  g_autofree char *first_error = NULL;
  guint errors = 0;

  while (g_get_monotonic_time () < target->deadline)
    {
      g_autoptr(SoupMessage) message = soup_message_new ("GET", target->url);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (bearer != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
      body = soup_session_send_and_read (session, message, NULL, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (body == NULL || soup_message_get_status (message) != SOUP_STATUS_OK)
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

static double
percentile (GArray *samples,
            double  p)
{
  guint index = (guint) (p * (samples->len - 1) + 0.5);

  return samples->len > 0 ? g_array_index (samples, double, MIN (index, samples->len - 1)) : 0;
}

/* Drives @connections keep-alive connections for @seconds; returns req/s. */
static double
run_target (Target *target,
            guint   connections,
            guint   seconds)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  gint64 start = g_get_monotonic_time ();

  target->samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_mutex_init (&target->lock);
  target->warm_until = start + WARMUP_S * G_USEC_PER_SEC;
  target->deadline = target->warm_until + (gint64) seconds * G_USEC_PER_SEC;
  for (guint i = 0; i < connections; i++)
    g_ptr_array_add (threads, g_thread_new ("connection", connection_thread, target));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  g_array_sort (target->samples, compare_doubles);
  return target->samples->len / (double) seconds;
}

static void
target_clear (Target *target)
{
  g_clear_pointer (&target->samples, g_array_unref);
  g_clear_pointer (&target->url, g_free);
  g_clear_pointer (&target->first_error, g_free);
  g_mutex_clear (&target->lock);
}

/* A few thousand pratiche and the operator who sees the most of them. */
static char *
dashboard_login (SpTestEnv *env)
{
  g_autofree char *generated = NULL;
  g_autofree char *operator = NULL;
  g_autoptr(GError) error = NULL;

  if (!sp_test_env_admin (env, SP_TEST_PASSWORD, &generated, &error, "generate", "5000", "--servizi", "5",
                          "--operators", "3", "--ente", "bench", "--password-stdin", NULL))
    g_error ("generate: %s", error->message);
  operator = sp_test_env_sql (env,
                              "SELECT a.username FROM account a JOIN account_servizio x ON x.account_id = a.id"
                              " JOIN pratica_count c ON c.servizio_id = x.servizio_id WHERE a.role = 'operatore'"
                              " GROUP BY a.id ORDER BY sum (c.n) DESC, a.id LIMIT 1");
  return sp_test_login (env, operator, SP_TEST_PASSWORD);
}

/* The page must really hold 50 rows, or the figure would flatter the server. */
static void
check_page (SpTestEnv  *env,
            const char *token,
            const char *path)
{
  g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", path, token, NULL, NULL, 0);
  JsonNode *items;

  sp_test_assert_status (response, 200);
  items = json_object_get_member (sp_test_response_object (response), "items");
  g_assert_nonnull (items);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (items)), ==, 50);
}

int
main (int   argc,
      char *argv[])
{
  guint connections = env_uint ("SP_BENCH_HTTP_CONNECTIONS", 16);
  guint seconds = env_uint ("SP_BENCH_HTTP_SECONDS", 10);
  g_autofree char *token = NULL;
  g_autofree char *dashboard = NULL;
  Hello hello = { 0 };
  Target targets[3] = {
    { .name = "bare hello" },
    { .name = "/health" },
    { .name = "dashboard 50 rows" },
  };
  double rates[G_N_ELEMENTS (targets)];
  const double goals[G_N_ELEMENTS (targets)] = { 1, 0.8, 0.1 };
  guint errors = 0;
  SpTestEnv *env;

  setvbuf (stdout, NULL, _IOLBF, 0);
  env = sp_test_env_start ();
  token = dashboard_login (env);
  dashboard = sp_test_dashboard_path (SP_BUCKET_TUTTE, SP_SORT_SUBMITTED, TRUE, NULL, 50, NULL);
  check_page (env, token, dashboard);
  hello_start (&hello, env);

  targets[0].url = g_strconcat (hello.url, "/", NULL);
  targets[1].url = g_strconcat (sp_test_env_get_url (env), "/api/v1.0/health", NULL);
  targets[2].url = g_strconcat (sp_test_env_get_url (env), dashboard, NULL);
  targets[2].token = token;

  printf ("# %u HTTPS keep-alive connections (a thread and session each, one request at a time),"
          " %u s per target after %d s of warm-up\n", connections, seconds, WARMUP_S);
  printf ("# dashboard: GET %s (first page, with the counts)\n", dashboard);
  printf ("%-18s %9s %9s %9s %8s %6s\n", "target", "req/s", "p50 ms", "p99 ms", "ratio", "goal");
  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      Target *target = &targets[i];

      target->ca_file = sp_test_env_get_ca_file (env);
      rates[i] = run_target (target, connections, seconds);
      printf ("%-18s %9.0f %9.2f %9.2f %7.0f%% %5.0f%%%s\n", target->name, rates[i], percentile (target->samples, 0.5),
              percentile (target->samples, 0.99), 100 * rates[i] / rates[0], 100 * goals[i],
              rates[i] < goals[i] * rates[0] ? "  below the goal" : "");
      if (target->errors > 0)
        printf ("# %s: %u failed requests, the first: %s\n", target->name, target->errors, target->first_error);
      errors += target->errors;
    }

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    target_clear (&targets[i]);
  hello_stop (&hello);
  sp_test_env_stop (env);
  return errors > 0 ? 1 : 0;
}
