/* sp-test-http.c: synchronous HTTPS requests to the test server, and their checks */
#define G_LOG_DOMAIN "sp-test-http"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-test-http.h"
#include "sp-test-responses.h"

#define REQUEST_TIMEOUT_S 30

/**
 * sp_test_session_new:
 * @ca_file: the only CA to trust
 * @client_certificate: (nullable): presented when the server asks for one
 */
SoupSession *
sp_test_session_new (const char      *ca_file,
                     GTlsCertificate *client_certificate)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  SoupSession *session;

  database = g_tls_file_database_new (ca_file, &error);
  g_assert_no_error (error);

  session = soup_session_new_with_options ("tls-database", database,
                                           "timeout", REQUEST_TIMEOUT_S,
                                           "idle-timeout", REQUEST_TIMEOUT_S,
                                           "user-agent", "sportello-tests",
                                           NULL);
  if (client_certificate != NULL)
    g_object_set_data_full (G_OBJECT (session), "sp-client-certificate",
                            g_object_ref (client_certificate), g_object_unref);
  return session;
}

static gboolean
request_certificate_cb (SoupMessage          *message,
                        GTlsClientConnection *connection,
                        gpointer              user_data)
{
  GTlsCertificate *certificate = user_data;

  soup_message_set_tls_client_certificate (message, certificate);
  return TRUE;
}

/**
 * sp_test_message_new:
 * @path: absolute path on the test server (`/api/v1.0/…`)
 * @bearer_token: (nullable): sent as `Authorization: Bearer …`
 * @content_type: (nullable): of @body
 * @body: (nullable): the request body
 * @body_len: its length, or -1 if NUL-terminated
 */
SoupMessage *
sp_test_message_new (SpTestEnv  *env,
                     const char *method,
                     const char *path,
                     const char *bearer_token,
                     const char *content_type,
                     const char *body,
                     gssize      body_len)
{
  g_autofree char *url = g_strconcat (sp_test_env_get_url (env), path, NULL);
  SoupMessage *message = soup_message_new (method, url);

  g_assert_nonnull (message);
  if (bearer_token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", bearer_token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", value);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len < 0 ? strlen (body) : (gsize) body_len);

      soup_message_set_request_body_from_bytes (message, content_type, bytes);
    }
  else if (content_type != NULL)
    soup_message_headers_set_content_type (soup_message_get_request_headers (message), content_type, NULL);
  return message;
}

/**
 * sp_test_send:
 *
 * Sends @message and reads the whole answer. A transport failure is not an
 * assertion: it is in the response's error, for the tests that expect one.
 */
SpTestResponse *
sp_test_send (SoupSession *session,
              SoupMessage *message)
{
  SpTestResponse *response = g_new0 (SpTestResponse, 1);
  GTlsCertificate *certificate = g_object_get_data (G_OBJECT (session), "sp-client-certificate");
  const char *type;

  if (certificate != NULL)
    g_signal_connect (message, "request-certificate", G_CALLBACK (request_certificate_cb), certificate);

  response->body = soup_session_send_and_read (session, message, NULL, &response->error);
  if (response->body == NULL)
    return response;

  response->text = g_strndup (g_bytes_get_data (response->body, NULL), g_bytes_get_size (response->body));
  response->status = soup_message_get_status (message);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (message));
  type = soup_message_headers_get_content_type (response->headers, NULL);
  response->content_type = g_strdup (type);

  if (g_bytes_get_size (response->body) > 0 && type != NULL
      && (g_str_equal (type, "application/json") || g_str_has_suffix (type, "+json")))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (response->body, &size);

      if (json_parser_load_from_data (parser, data, size, NULL) && json_parser_get_root (parser) != NULL)
        response->json = json_node_copy (json_parser_get_root (parser));
    }
  sp_test_responses_record (message, response);
  return response;
}

SpTestResponse *
sp_test_request (SpTestEnv  *env,
                 const char *method,
                 const char *path,
                 const char *bearer_token,
                 const char *content_type,
                 const char *body,
                 gssize      body_len)
{
  g_autoptr(SoupMessage) message = sp_test_message_new (env, method, path, bearer_token,
                                                         content_type, body, body_len);

  return sp_test_send (sp_test_env_get_session (env), message);
}

SpTestResponse *
sp_test_post_json (SpTestEnv  *env,
                   const char *path,
                   const char *bearer_token,
                   JsonNode   *body)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length;

  json_generator_set_root (generator, body);
  text = json_generator_to_data (generator, &length);
  return sp_test_request (env, "POST", path, bearer_token, "application/json", text, length);
}

void
sp_test_response_free (SpTestResponse *response)
{
  if (response == NULL)
    return;
  g_clear_error (&response->error);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response->content_type);
  g_free (response->text);
  g_free (response);
}

/**
 * sp_test_response_text:
 *
 * Returns: the body as text, for messages
 */
const char *
sp_test_response_text (SpTestResponse *response)
{
  return response->text != NULL ? response->text : "";
}

/**
 * sp_test_response_object:
 *
 * Asserts that the body is a JSON object.
 *
 * Returns: (transfer none): it (an empty object if the assertion failed and
 *   assertions are not fatal)
 */
JsonObject *
sp_test_response_object (SpTestResponse *response)
{
  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    g_test_message ("expected a JSON object, got HTTP %u %s: %s", response->status,
                    response->content_type != NULL ? response->content_type : "(no type)",
                    sp_test_response_text (response));
  g_assert_nonnull (response->json);
  g_assert_true (response->json != NULL && JSON_NODE_HOLDS_OBJECT (response->json));
  /* With non-fatal assertions the test goes on: give it an empty object. */
  if (response->json == NULL || !JSON_NODE_HOLDS_OBJECT (response->json))
    {
      g_clear_pointer (&response->json, json_node_unref);
      response->json = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (response->json, json_object_new ());
    }
  return json_node_get_object (response->json);
}

void
sp_test_assert_problem_at (SpTestResponse *response,
                           guint           status,
                           const char     *slug,
                           const char     *location)
{
  g_autofree char *type = g_strconcat ("urn:sportello:problem:", slug, NULL);
  JsonObject *problem;

  if (response->status != status || g_strcmp0 (response->content_type, "application/problem+json") != 0)
    g_test_message ("%s: expected %u %s, got HTTP %u %s: %s%s%s", location, status, slug, response->status,
                    response->content_type != NULL ? response->content_type : "(no type)",
                    sp_test_response_text (response),
                    response->error != NULL ? " error: " : "",
                    response->error != NULL ? response->error->message : "");
  g_assert_no_error (response->error);
  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (response->content_type, ==, "application/problem+json");

  /* RFC 9457 as DESIGN.md §5 has it: type, title, status, detail. */
  problem = sp_test_response_object (response);
  g_assert_cmpstr (json_object_get_string_member_with_default (problem, "type", NULL), ==, type);
  g_assert_cmpint (json_object_get_int_member_with_default (problem, "status", 0), ==, status);
  g_assert_true (json_object_has_member (problem, "title"));
  g_assert_nonnull (json_object_get_string_member_with_default (problem, "title", NULL));
  g_assert_cmpstr (json_object_get_string_member_with_default (problem, "title", NULL), !=, "");
  g_assert_true (json_object_has_member (problem, "detail"));
  g_assert_nonnull (json_object_get_string_member_with_default (problem, "detail", NULL));
}

/**
 * sp_test_json_object:
 * @first_member: name, then its string value, and so on, %NULL-terminated
 *
 * Builds a flat JSON object of strings (escaping whatever the strings hold).
 */
JsonNode *
sp_test_json_object (const char *first_member,
                     ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_member);
  for (const char *name = first_member; name != NULL; name = va_arg (args, const char *))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, va_arg (args, const char *));
    }
  va_end (args);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * sp_test_login:
 *
 * Logs in and asserts success.
 *
 * Returns: the session token
 */
char *
sp_test_login (SpTestEnv  *env,
               const char *username,
               const char *password)
{
  g_autoptr(JsonNode) body = sp_test_json_object ("username", username, "password", password, NULL);
  g_autoptr(SpTestResponse) response = sp_test_post_json (env, "/api/v1.0/auth/login", NULL, body);
  const char *token;

  sp_test_assert_status (response, 200);
  token = json_object_get_string_member_with_default (sp_test_response_object (response), "token", NULL);
  g_assert_nonnull (token);
  g_assert_cmpstr (token, !=, "");
  return g_strdup (token);
}

/* Whether @buffer holds a whole HTTP response (headers and a body whose
 * length they state). */
static gboolean
response_complete (GString *buffer)
{
  const char *end = strstr (buffer->str, "\r\n\r\n");
  g_autofree char *head = NULL;
  const char *length;

  if (end == NULL)
    return FALSE;
  head = g_ascii_strdown (buffer->str, end - buffer->str);
  if ((length = strstr (head, "\r\ncontent-length:")) != NULL)
    {
      guint64 size = g_ascii_strtoull (length + strlen ("\r\ncontent-length:"), NULL, 10);

      return (gsize) (buffer->len - (end + 4 - buffer->str)) >= size;
    }
  if (strstr (head, "chunked") != NULL)
    return g_str_has_suffix (buffer->str, "0\r\n\r\n");
  return FALSE;
}

/**
 * sp_test_raw_exchange:
 * @use_tls: wrap the connection in TLS, trusting the environment's CA
 * @request: bytes to send as they are
 * @timeout_seconds: how long to wait for the answer
 *
 * For what a well-behaved client cannot do: send headers without the body
 * they announce, or plain HTTP to the TLS port.
 *
 * Returns: what the server answered (a whole response, or whatever came
 *   before it closed the connection); %NULL with %G_IO_ERROR_TIMED_OUT if no
 *   whole response came in time, or another error
 */
char *
sp_test_raw_exchange (SpTestEnv   *env,
                      gboolean     use_tls,
                      const char  *request,
                      guint        timeout_seconds,
                      GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (sp_test_env_get_url (env), G_URI_FLAGS_NONE, error);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GString) buffer = g_string_new (NULL);
  char chunk[4096];

  if (uri == NULL)
    return NULL;
  g_socket_client_set_timeout (client, timeout_seconds);
  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri), g_uri_get_port (uri), NULL, error);
  if (connection == NULL)
    return NULL;
  g_socket_set_timeout (g_socket_connection_get_socket (connection), timeout_seconds);

  if (use_tls)
    {
      g_autoptr(GSocketConnectable) identity = g_network_address_new (g_uri_get_host (uri), g_uri_get_port (uri));
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (sp_test_env_get_ca_file (env), error);

      if (database == NULL)
        return NULL;
      stream = g_tls_client_connection_new (G_IO_STREAM (connection), identity, error);
      if (stream == NULL)
        return NULL;
      g_tls_connection_set_database (G_TLS_CONNECTION (stream), database);
      if (!g_tls_connection_handshake (G_TLS_CONNECTION (stream), NULL, error))
        return NULL;
    }
  else
    stream = G_IO_STREAM (g_object_ref (connection));

  if (!g_output_stream_write_all (g_io_stream_get_output_stream (stream), request, strlen (request),
                                  NULL, NULL, error))
    return NULL;

  while (!response_complete (buffer))
    {
      g_autoptr(GError) read_error = NULL;
      gssize n = g_input_stream_read (g_io_stream_get_input_stream (stream), chunk, sizeof chunk,
                                      NULL, &read_error);

      if (n == 0)
        break;          /* the server closed the connection */
      if (n < 0)
        {
          if (buffer->len > 0 && !g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            break;      /* a reset after an answer */
          g_propagate_error (error, g_steal_pointer (&read_error));
          return NULL;
        }
      g_string_append_len (buffer, chunk, n);
    }

  return g_strdup (buffer->str);
}

/**
 * sp_test_response_find:
 * @array: a member of the response's object holding an array of objects
 * @key: a string member of those objects
 *
 * Returns: (transfer none): the first object of @array whose @key is
 *   @value; fails the test if there is none
 */
JsonObject *
sp_test_response_find (SpTestResponse *response,
                       const char     *array,
                       const char     *key,
                       const char     *value)
{
  JsonArray *objects = json_object_get_array_member (sp_test_response_object (response), array);

  for (guint i = 0; i < json_array_get_length (objects); i++)
    {
      JsonObject *object = json_array_get_object_element (objects, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (object, key, NULL), value) == 0)
        return object;
    }
  g_error ("No %s with %s %s in the answer", array, key, value);
}

/**
 * sp_test_field_error:
 *
 * Returns: (nullable): the message of a 422's `errors` entry for @field
 */
const char *
sp_test_field_error (SpTestResponse *response,
                     const char     *field)
{
  JsonObject *problem = response->json != NULL && JSON_NODE_HOLDS_OBJECT (response->json)
                        ? json_node_get_object (response->json) : NULL;
  JsonNode *errors = problem != NULL ? json_object_get_member (problem, "errors") : NULL;

  for (guint i = 0; errors != NULL && JSON_NODE_HOLDS_ARRAY (errors)
       && i < json_array_get_length (json_node_get_array (errors)); i++)
    {
      JsonObject *entry = json_array_get_object_element (json_node_get_array (errors), i);

      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "field", NULL), field) == 0)
        return json_object_get_string_member_with_default (entry, "message", NULL);
    }
  return NULL;
}
