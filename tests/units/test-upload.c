/* test-upload.c: request bodies streamed to disk: never accumulated, hashed, capped, cleaned up */
#define G_LOG_DOMAIN "sp-test"

#include "config.h"

#include <glib/gstdio.h>

#include "sp-json.h"
#include "sp-upload.h"

#define MAX_SIZE (32 * 1024 * 1024)

typedef struct
{
  SoupServer *server;
  char       *dir;
  char       *url;
  GMainLoop  *loop;
} Fixture;

static void
refuse_cb (SoupServerMessage *msg,
           gsize              limit)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  const char answer[] = "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

  gsize drained = 0;
  gssize skipped;

  g_output_stream_write_all (g_io_stream_get_output_stream (stream), answer, strlen (answer), NULL, NULL, NULL);
  /* As sp_server_refuse() does: what the client still sends is read and
   * dropped before the connection closes. Closed at once, with the body
   * unread, the connection is reset, and the client may see the reset
   * before the answer. */
  while (drained < 16 * 1024 * 1024
         && (skipped = g_input_stream_skip (g_io_stream_get_input_stream (stream), 64 * 1024, NULL, NULL)) > 0)
    drained += (gsize) skipped;
  g_io_stream_close (stream, NULL, NULL);
}

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Fixture *fixture = user_data;
  gsize limit = g_str_equal (path, "/small") ? 1024 * 1024 : MAX_SIZE;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (sp_upload_begin (msg, fixture->dir, limit, refuse_cb, &error));
  g_assert_no_error (error);
}

typedef struct
{
  SoupServerMessage *msg;
  SpUpload          *upload;
} Pending;

static void
closed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  SoupMessageBody *body = soup_server_message_get_request_body (pending->msg);
  g_autofree char *text = NULL;
  gsize length;

  json_builder_begin_object (builder);
  if (sp_upload_close_finish (result, &error))
    {
      g_autofree char *contents = NULL;
      gsize on_disk = 0;

      g_assert_true (g_file_get_contents (sp_upload_get_path (pending->upload), &contents, &on_disk, NULL));
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, (gint64) sp_upload_get_size (pending->upload));
      json_builder_set_member_name (builder, "on_disk");
      json_builder_add_int_value (builder, (gint64) on_disk);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, sp_upload_get_sha256 (pending->upload));
      json_builder_set_member_name (builder, "filename");
      if (sp_upload_get_filename (pending->upload) != NULL)
        json_builder_add_string_value (builder, sp_upload_get_filename (pending->upload));
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "content_type");
      json_builder_add_string_value (builder, sp_upload_get_content_type (pending->upload));
    }
  else
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error->message);
    }
  /* What libsoup kept of the body in memory. */
  json_builder_set_member_name (builder, "accumulated");
  json_builder_add_int_value (builder, body->length);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = sp_json_to_string (root, &length);
  soup_server_message_set_status (pending->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (pending->msg, "application/json", SOUP_MEMORY_COPY, text, length);
  soup_server_message_unpause (pending->msg);
  g_object_unref (pending->msg);
  sp_upload_free (pending->upload);
  g_free (pending);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->msg = g_object_ref (msg);
  pending->upload = sp_upload_steal (msg);
  g_assert_nonnull (pending->upload);
  soup_server_message_pause (msg);
  sp_upload_close_async (pending->upload, NULL, closed_cb, pending);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint count = 0;

  while (handle != NULL && g_dir_read_name (handle) != NULL)
    count++;
  return count;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;

  fixture->dir = g_dir_make_tmp ("sp-upload-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_early_handler (fixture->server, NULL, early_cb, fixture, NULL);
  soup_server_add_handler (fixture->server, NULL, handler_cb, fixture, NULL);
  g_assert_true (soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (fixture->server);
  fixture->url = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  fixture->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_object_unref (fixture->server);
  g_assert_cmpuint (count_files (fixture->dir), ==, 0);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->url);
  g_main_loop_unref (fixture->loop);
}

typedef struct
{
  Fixture    *fixture;
  const char *path;
  GBytes     *body;
  gboolean    chunked;
  const char *disposition;
  guint       status;
  JsonNode   *answer;
} Upload;

static gpointer
client_thread (gpointer data)
{
  Upload *upload = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (upload->body);
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *url = g_strconcat (upload->fixture->url, upload->path + 1, NULL);

  g_main_context_push_thread_default (context);
  session = soup_session_new ();
  msg = soup_message_new ("POST", url);
  soup_message_set_request_body (msg, "application/pdf", stream,
                                 upload->chunked ? -1 : (gssize) g_bytes_get_size (upload->body));
  if (upload->disposition != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Content-Disposition",
                                  upload->disposition);
  answer = soup_session_send_and_read (session, msg, NULL, NULL);
  upload->status = soup_message_get_status (msg);
  if (upload->status == SOUP_STATUS_OK)
    upload->answer = json_from_string (g_bytes_get_data (answer, NULL), NULL);
  g_main_context_pop_thread_default (context);
  g_main_loop_quit (upload->fixture->loop);
  return NULL;
}

static void
run_upload (Upload *upload)
{
  g_autoptr(GThread) thread = g_thread_new ("client", client_thread, upload);

  g_main_loop_run (upload->fixture->loop);
  g_thread_join (g_steal_pointer (&thread));
  /* What is left to do for the server: close connections, free messages. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GBytes *
make_body (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 2654435761u >> 13);
  return g_bytes_new_take (data, size);
}

static void
assert_stored (Upload *upload)
{
  JsonObject *answer;
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, upload->body);

  g_assert_cmpuint (upload->status, ==, SOUP_STATUS_OK);
  answer = json_node_get_object (upload->answer);
  g_assert_cmpstr (json_object_get_string_member_with_default (answer, "error", NULL), ==, NULL);
  g_assert_cmpint (json_object_get_int_member (answer, "size"), ==, g_bytes_get_size (upload->body));
  g_assert_cmpint (json_object_get_int_member (answer, "on_disk"), ==, g_bytes_get_size (upload->body));
  g_assert_cmpstr (json_object_get_string_member (answer, "sha256"), ==, sha256);
  g_assert_cmpint (json_object_get_int_member (answer, "accumulated"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (answer, "content_type"), ==, "application/pdf");
}

static void
test_content_length (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) body = make_body (20 * 1024 * 1024);
  Upload upload = { fixture, "/upload", body, FALSE, "attachment; filename=\"risposta firmata.pdf\"" };

  run_upload (&upload);
  assert_stored (&upload);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (upload.answer), "filename"), ==,
                   "risposta firmata.pdf");
  json_node_unref (upload.answer);
}

static void
test_chunked (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GBytes) body = make_body (3 * 1024 * 1024 + 17);
  Upload upload = { fixture, "/upload", body, TRUE, "attachment; filename=\"../../etc/passwd\"" };

  run_upload (&upload);
  assert_stored (&upload);
  /* Of a name with a path, only its last part. */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (upload.answer), "filename"), ==, "passwd");
  json_node_unref (upload.answer);
}

static void
test_over_the_cap (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) body = make_body (3 * 1024 * 1024);
  Upload upload = { fixture, "/small", body, TRUE, "attachment; filename=\"..\"" };

  run_upload (&upload);
  g_assert_cmpuint (upload.status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
}

/* A client that goes away in the middle leaves no file behind. */
static void
test_client_gone (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GUri) uri = g_uri_parse (fixture->url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GBytes) part = make_body (256 * 1024);
  const char head[] = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\n"
                      "Content-Length: 10485760\r\n\r\n";
  GOutputStream *output;
  gint64 deadline;

  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri), (guint16) g_uri_get_port (uri),
                                                NULL, NULL);
  g_assert_nonnull (connection);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_assert_true (g_output_stream_write_all (output, head, strlen (head), NULL, NULL, NULL));
  g_assert_true (g_output_stream_write_all (output, g_bytes_get_data (part, NULL), g_bytes_get_size (part),
                                            NULL, NULL, NULL));

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (count_files (fixture->dir) == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (count_files (fixture->dir), ==, 1);

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (count_files (fixture->dir) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/upload/content-length", Fixture, NULL, fixture_set_up, test_content_length, fixture_tear_down);
  g_test_add ("/upload/chunked", Fixture, NULL, fixture_set_up, test_chunked, fixture_tear_down);
  g_test_add ("/upload/over-the-cap", Fixture, NULL, fixture_set_up, test_over_the_cap, fixture_tear_down);
  g_test_add ("/upload/client-gone", Fixture, NULL, fixture_set_up, test_client_gone, fixture_tear_down);
  return g_test_run ();
}
