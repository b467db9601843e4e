/* test-server.c: sportello-server as a whole: health, routing, TLS, migrations, the version table */
#define G_LOG_DOMAIN "test-server"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-test-env.h"
#include "sp-test-http.h"

/* One environment for the whole binary: starting PostgreSQL takes a while. */
static SpTestEnv *env;

static void
assert_health_ok (SpTestResponse *response)
{
  JsonObject *object;

  sp_test_assert_status (response, 200);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  object = sp_test_response_object (response);
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "status", NULL), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "database", NULL), ==, "ok");
  g_assert_nonnull (json_object_get_string_member_with_default (object, "version", NULL));
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "version", NULL), !=, "");
}

static void
test_health_ok (void)
{
  g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", "/api/v1.0/health", NULL, NULL, NULL, 0);

  assert_health_ok (response);
}

/* Polls /health until it reports @status, each answer in < 500 ms (it is
 * read from the server's state, never a query); returns the seconds taken. */
static double
wait_for_health (const char *status,
                 guint       http_status,
                 double      timeout_seconds)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) (timeout_seconds * G_USEC_PER_SEC);

  for (;;)
    {
      gint64 sent = g_get_monotonic_time ();
      g_autoptr(SpTestResponse) health = sp_test_request (env, "GET", "/api/v1.0/health", NULL, NULL, NULL, 0);
      double elapsed_ms = (g_get_monotonic_time () - sent) / 1000.0;
      JsonObject *object = sp_test_response_object (health);

      g_assert_cmpfloat (elapsed_ms, <, 500 * sp_test_time_scale ());
      if (health->status == http_status && object != NULL
          && g_strcmp0 (json_object_get_string_member_with_default (object, "status", NULL), status) == 0)
        {
          g_assert_cmpstr (json_object_get_string_member_with_default (object, "database", NULL), ==,
                           g_str_equal (status, "ok") ? "ok" : "unreachable");
          return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_test_message ("health still answers %u %s", health->status, sp_test_response_text (health));
          g_assert_not_reached ();
        }
      g_usleep (G_USEC_PER_SEC / 10);
    }
}

static void
test_health_database_down (void)
{
  double seconds;

  /* Health is the last periodic check's outcome: check every second. */
  sp_test_env_set_config (env, "database", "health-interval-seconds", "1");
  sp_test_env_restart_server (env);

  sp_test_env_stop_database (env);
  seconds = wait_for_health ("degraded", 503, 5);
  g_test_message ("health degraded %.1f s after PostgreSQL stopped", seconds);

  /* Operator endpoints fail cleanly too: a problem, not a hang or a crash. */
  {
    g_autoptr(JsonNode) body = sp_test_json_object ("username", SP_TEST_OPERATOR,
                                                    "password", SP_TEST_PASSWORD, NULL);
    g_autoptr(SpTestResponse) login = sp_test_post_json (env, "/api/v1.0/auth/login", NULL, body);

    sp_test_assert_problem (login, 503, "unavailable");
    g_assert_nonnull (soup_message_headers_get_one (login->headers, "Retry-After"));
  }

  sp_test_env_start_database (env);

  /* The server notices by itself, no restart. */
  seconds = wait_for_health ("ok", 200, 5);
  g_test_message ("health ok %.1f s after PostgreSQL came back", seconds);

  /* Then every pooled connection works (pool-size is 4): log in, which
   * writes, and read back, several times in a row. */
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(SpTestResponse) health = sp_test_request (env, "GET", "/api/v1.0/health", NULL, NULL, NULL, 0);
      g_autofree char *token = NULL;
      g_autoptr(SpTestResponse) me = NULL;

      assert_health_ok (health);
      token = sp_test_login (env, SP_TEST_OPERATOR2, SP_TEST_PASSWORD);
      me = sp_test_request (env, "GET", "/api/v1.0/auth/me", token, NULL, NULL, 0);
      sp_test_assert_status (me, 200);
    }
}

static void
test_unknown_route (void)
{
  const char *paths[] = {
    "/api/v1.0/nope",
    "/api/v1.0/health/extra",
    "/api/v2.0/health",
    "/",
    "/api/v1.0/auth/login/../../health/x",
    "/api/v1.0/auth/me/",
    "/api/v1.0//health",
    "/API/V1.0/HEALTH",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", paths[i], NULL, NULL, NULL, 0);

      g_test_message ("GET %s", paths[i]);
      sp_test_assert_problem (response, 404, "not-found");
    }
}

static void
test_odd_paths (void)
{
  const char *paths[] = {
    "/api/v1.0/%00",
    "/api/v1.0/health%00",
    "/api/v1.0/%2e%2e/%2e%2e/etc/passwd",
    "/api/v1.0/operator/protocol-config%2f..%2f..",
    "/api/v1.0/\xc3\x28",
  };

  /* Whatever the server makes of them: a client error, never a 5xx or a
   * dropped connection. */
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", paths[i], NULL, NULL, NULL, 0);
      g_autofree char *shown = g_strescape (paths[i], NULL);   /* TAP wants UTF-8 */

      g_test_message ("GET %s → %u %s %s", shown, response->status,
                      response->content_type != NULL ? response->content_type : "(no type)",
                      sp_test_response_text (response));
      g_assert_no_error (response->error);
      g_assert_cmpuint (response->status, >=, 400);
      g_assert_cmpuint (response->status, <, 500);
    }
}

static void
test_wrong_method (void)
{
  const struct { const char *method; const char *path; const char *allow; } cases[] = {
    { "DELETE", "/api/v1.0/health", "GET" },
    { "POST", "/api/v1.0/health", "GET" },
    { "GET", "/api/v1.0/auth/login", "POST" },
    { "PUT", "/api/v1.0/auth/me", "GET" },
    { "GET", "/api/v1.0/auth/logout", "POST" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpTestResponse) response = sp_test_request (env, cases[i].method, cases[i].path,
                                                            NULL, NULL, NULL, 0);
      const char *allow;

      g_test_message ("%s %s", cases[i].method, cases[i].path);
      sp_test_assert_problem (response, 405, "method-not-allowed");
      /* RFC 9110 §15.5.6: a 405 response must carry Allow. */
      allow = soup_message_headers_get_one (response->headers, "Allow");
      g_assert_nonnull (allow);
      g_assert_nonnull (strstr (allow, cases[i].allow));
    }
}

static void
test_openapi_served (void)
{
  g_autoptr(SpTestResponse) response = sp_test_request (env, "GET", "/api/v1.0/openapi.json", NULL, NULL, NULL, 0);
  g_autofree char *source = g_build_filename (sp_test_env_get_source_dir (), "data", "openapi.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *document;
  JsonObject *paths;
  const char *version;

  sp_test_assert_status (response, 200);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  document = sp_test_response_object (response);
  version = json_object_get_string_member_with_default (document, "openapi", "");
  g_assert_true (g_str_has_prefix (version, "3.1."));
  g_assert_true (json_object_has_member (document, "info"));
  paths = json_object_get_object_member (document, "paths");
  g_assert_nonnull (paths);
  g_assert_true (json_object_has_member (paths, "/api/v1.0/health")
                 || json_object_has_member (paths, "/health"));

  /* It is the document of the source tree, not a stale copy. */
  json_parser_load_from_file (parser, source, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (json_parser_get_root (parser), response->json));
}

static void
test_tls_wrong_ca (void)
{
  g_autofree char *ca2 = sp_test_env_get_tls_file (env, "ca2.pem");
  g_autofree char *ca1 = sp_test_env_get_tls_file (env, "ca1.pem");
  g_autoptr(SoupSession) wrong = sp_test_session_new (ca2, NULL);
  g_autoptr(SoupSession) right = sp_test_session_new (ca1, NULL);
  g_autoptr(SoupMessage) message = sp_test_message_new (env, "GET", "/api/v1.0/health", NULL, NULL, NULL, 0);
  g_autoptr(SoupMessage) control = sp_test_message_new (env, "GET", "/api/v1.0/health", NULL, NULL, NULL, 0);
  g_autoptr(SpTestResponse) refused = sp_test_send (wrong, message);
  g_autoptr(SpTestResponse) accepted = sp_test_send (right, control);

  /* A client trusting only CA 2 refuses the server's certificate. */
  g_assert_nonnull (refused->error);
  g_test_message ("trusting CA 2: %s", refused->error->message);
  g_assert_true (refused->error->domain == G_TLS_ERROR || refused->error->domain == G_IO_ERROR);
  g_assert_cmpuint (refused->status, ==, 0);

  /* The same request trusting CA 1 goes through. */
  assert_health_ok (accepted);
}

static void
test_tls_certificate_identity (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GUri) uri = g_uri_parse (sp_test_env_get_url (env), G_URI_FLAGS_NONE, &error);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autofree char *expected_pem = NULL;
  g_autofree char *server_cert = sp_test_env_get_tls_file (env, "server.pem");
  g_autofree char *presented_pem = NULL;
  GTlsCertificate *presented;

  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "https");
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  identity = g_network_address_new ("127.0.0.1", g_uri_get_port (uri));
  tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  g_assert_no_error (error);
  database = g_tls_file_database_new (sp_test_env_get_ca_file (env), &error);
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  g_assert_true (g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error));
  g_assert_no_error (error);

  /* The server presents the configured certificate, over TLS 1.2 or newer. */
  presented = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (tls));
  g_assert_nonnull (presented);
  g_object_get (presented, "certificate-pem", &presented_pem, NULL);
  g_file_get_contents (server_cert, &expected_pem, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (expected_pem, g_strstrip (presented_pem)));
  g_assert_cmpint (g_tls_connection_get_peer_certificate_errors (G_TLS_CONNECTION (tls)), ==, 0);
  g_assert_cmpint (g_tls_connection_get_protocol_version (G_TLS_CONNECTION (tls)), >=, G_TLS_PROTOCOL_VERSION_TLS_1_2);
  g_io_stream_close (tls, NULL, NULL);
}

/* Runs openssl s_client with @protocol; TRUE if the handshake succeeded. */
static gboolean
handshake_with (const char *protocol)
{
  g_autoptr(GUri) uri = g_uri_parse (sp_test_env_get_url (env), G_URI_FLAGS_NONE, NULL);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *negotiated = NULL;
  const char *line;
  gboolean ok;

  /* SECLEVEL=0 so that the client side offers the old protocols at all. */
  ok = sp_test_env_run (env, "", &out, &err, &error, "openssl", "s_client", "-connect", address,
                        protocol, "-cipher", "DEFAULT@SECLEVEL=0", "-CAfile", sp_test_env_get_ca_file (env),
                        "-verify_return_error", NULL);
  if (out != NULL && (line = strstr (out, "Protocol  :")) != NULL)
    negotiated = g_strndup (line, strcspn (line, "\n"));
  g_test_message ("openssl s_client %s: %s %s", protocol, ok ? "handshake completed," : "refused",
                  negotiated != NULL ? negotiated : "");
  return ok;
}

static void
test_tls_old_protocols_refused (void)
{
  /* DESIGN.md §8: TLS 1.2 or newer only. */
  g_assert_true (handshake_with ("-tls1_2"));
  g_assert_false (handshake_with ("-tls1_1"));
  g_assert_false (handshake_with ("-tls1"));
}

static void
test_plain_http_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *http_url = g_strconcat ("http://", sp_test_env_get_url (env) + strlen ("https://"),
                                           "/api/v1.0/health", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", http_url);
  g_autoptr(SpTestResponse) response = sp_test_send (sp_test_env_get_session (env), message);
  g_autofree char *raw = NULL;

  /* libsoup speaking plain HTTP to the TLS port gets no answer. */
  g_test_message ("plain HTTP via libsoup: status %u, %s", response->status,
                  response->error != NULL ? response->error->message : "no error");
  g_assert_nonnull (response->error);
  g_assert_cmpuint (response->status, ==, 0);

  /* Nor does a hand-written request: the port speaks TLS only. */
  raw = sp_test_raw_exchange (env, FALSE, "GET /api/v1.0/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 10, &error);
  g_test_message ("plain HTTP by hand: %s", raw != NULL ? raw : error->message);
  g_assert_true (raw == NULL || !g_str_has_prefix (raw, "HTTP/"));
}

static void
test_migrations_idempotent (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = sp_test_env_sql (env, "SELECT count(*) FROM schema_migration");
  g_autofree char *tables_before = sp_test_env_sql (env, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
  g_autofree char *output = NULL;
  g_autofree char *after = NULL;
  g_autofree char *tables_after = NULL;
  g_autoptr(GRegex) none_applied = g_regex_new ("\\b(0|no) migrations? applied\\b", G_REGEX_CASELESS, 0, NULL);

  g_assert_cmpstr (before, !=, "0");

  g_assert_true (sp_test_env_admin (env, NULL, &output, &error, "migrate", NULL));
  g_assert_no_error (error);
  g_test_message ("sportello-admin migrate, again: %s", output);
  g_assert_true (g_regex_match (none_applied, output, 0, NULL));

  after = sp_test_env_sql (env, "SELECT count(*) FROM schema_migration");
  tables_after = sp_test_env_sql (env, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (tables_after, ==, tables_before);

  /* The server applies migrations at start too: a restart changes nothing. */
  sp_test_env_restart_server (env);
  g_clear_pointer (&after, g_free);
  after = sp_test_env_sql (env, "SELECT count(*) FROM schema_migration");
  g_assert_cmpstr (after, ==, before);
  {
    g_autoptr(SpTestResponse) health = sp_test_request (env, "GET", "/api/v1.0/health", NULL, NULL, NULL, 0);

    assert_health_ok (health);
  }
}

/* A pratica with one version, written straight into the tables. */
static void
insert_version (void)
{
  g_autofree char *out = sp_test_env_sql (env,
    "WITH e AS (SELECT id FROM ente WHERE code = '" SP_TEST_ENTE "'),"
    " s AS (SELECT id FROM servizio WHERE slug = '" SP_TEST_SERVIZIO_INTERNAL "' AND ente_id = (SELECT id FROM e)),"
    " c AS (INSERT INTO citizen (codice_fiscale, nome, cognome, email)"
    "       VALUES ('RSSMRA80A01H501U', 'Mario', 'Rossi', 'mario.rossi@example.org') RETURNING id),"
    " p AS (INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
    "       applicant_cognome, applicant_email, status)"
    "       SELECT (SELECT id FROM e), (SELECT id FROM s), '2026-999999', c.id, 'RSSMRA80A01H501U',"
    "       'Mario', 'Rossi', 'mario.rossi@example.org', 2000 FROM c RETURNING id)"
    " INSERT INTO version (pratica_id, number, operation, status, actor_name, actor_role, snapshot, hash)"
    " SELECT p.id, 1, 'Invio', 2000, 'Mario Rossi', 'cittadino', '{}',"
    "        'eca8cfb31ab74533e1eb2f4c74d2d55dfe3c79ac704787e54be8647ea7777eb1' FROM p"
    " RETURNING number");

  g_assert_cmpstr (out, ==, "1");
}

static void
test_version_append_only (void)
{
  const char *refused[] = {
    "UPDATE version SET note = 'ritoccata'",
    "UPDATE version SET hash = repeat('0', 64) WHERE number = 1",
    "DELETE FROM version",
    "TRUNCATE version CASCADE",
  };
  g_autofree char *count = NULL;
  g_autofree char *hash = NULL;

  insert_version ();

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (sp_test_env_try_sql (env, refused[i], NULL, &error));
      g_test_message ("%s → %s", refused[i], error->message);
      g_assert_nonnull (strstr (error->message, "append-only"));
    }

  count = sp_test_env_sql (env, "SELECT count(*) FROM version");
  hash = sp_test_env_sql (env, "SELECT hash FROM version WHERE number = 1");
  g_assert_cmpstr (count, ==, "1");
  g_assert_cmpstr (hash, ==, "eca8cfb31ab74533e1eb2f4c74d2d55dfe3c79ac704787e54be8647ea7777eb1");

  /* Appending stays possible. */
  g_clear_pointer (&count, g_free);
  count = sp_test_env_sql (env,
    "INSERT INTO version (pratica_id, number, operation, status, actor_name, actor_role, snapshot,"
    " previous_hash, hash) SELECT pratica_id, 2, 'Protocollazione', 3000, 'Sistema', 'system', '{}', hash,"
    " '8ff39a3294bd89735bba7b01ce788b6deb10250c63557496ca82e62af8897502' FROM version WHERE number = 1"
    " RETURNING number");
  g_assert_cmpstr (count, ==, "2");
}

static void
test_clean_shutdown (void)
{
  /* SIGTERM: exit status 0 within 10 s (asserted by the harness), then a
   * new process serves again. */
  sp_test_env_restart_server (env);
  {
    g_autoptr(SpTestResponse) health = sp_test_request (env, "GET", "/api/v1.0/health", NULL, NULL, NULL, 0);

    assert_health_ok (health);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* A failed check fails its test and the others still run and report. */
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/sportello/server/health/ok", test_health_ok);
  g_test_add_func ("/sportello/server/routing/unknown-route", test_unknown_route);
  g_test_add_func ("/sportello/server/routing/odd-paths", test_odd_paths);
  g_test_add_func ("/sportello/server/routing/wrong-method", test_wrong_method);
  g_test_add_func ("/sportello/server/openapi/served", test_openapi_served);
  g_test_add_func ("/sportello/server/tls/wrong-ca", test_tls_wrong_ca);
  g_test_add_func ("/sportello/server/tls/certificate-identity", test_tls_certificate_identity);
  g_test_add_func ("/sportello/server/tls/plain-http-refused", test_plain_http_refused);
  g_test_add_func ("/sportello/server/tls/old-protocols-refused", test_tls_old_protocols_refused);
  g_test_add_func ("/sportello/server/database/migrations-idempotent", test_migrations_idempotent);
  g_test_add_func ("/sportello/server/database/version-append-only", test_version_append_only);
  g_test_add_func ("/sportello/server/resilience/database-down", test_health_database_down);
  g_test_add_func ("/sportello/server/lifecycle/clean-shutdown", test_clean_shutdown);

  env = sp_test_env_start ();
  status = g_test_run ();
  sp_test_env_stop (env);
  return status;
}
