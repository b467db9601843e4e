/* test-auth.c: login, lockout, sessions and roles of the operator API, and hostile input */
#define G_LOG_DOMAIN "test-auth"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-test-env.h"
#include "sp-test-http.h"

#define LOGIN            "/api/v1.0/auth/login"
#define LOGOUT           "/api/v1.0/auth/logout"
#define ME               "/api/v1.0/auth/me"
#define PROTOCOL_CONFIG  "/api/v1.0/operator/protocol-config"

/* One environment for the whole binary: starting PostgreSQL takes a while. */
static SpTestEnv *env;

static void
create_account (const char *username,
                const char *role,
                const char *full_name,
                const char *servizi,
                const char *password)
{
  g_autoptr(GError) error = NULL;

  if (servizi != NULL)
    sp_test_env_admin (env, password, NULL, &error, "account-create", username, "--ente", SP_TEST_ENTE,
                       "--role", role, "--name", full_name, "--servizi", servizi, "--password-stdin", NULL);
  else
    sp_test_env_admin (env, password, NULL, &error, "account-create", username, "--ente", SP_TEST_ENTE,
                       "--role", role, "--name", full_name, "--password-stdin", NULL);
  g_assert_no_error (error);
}

static SpTestResponse *
login (const char *username,
       const char *password)
{
  g_autoptr(JsonNode) body = sp_test_json_object ("username", username, "password", password, NULL);

  return sp_test_post_json (env, LOGIN, NULL, body);
}

static SpTestResponse *
get (const char *path,
     const char *token)
{
  return sp_test_request (env, "GET", path, token, NULL, NULL, 0);
}

/* Seconds from now to an ISO 8601 time with offset. */
static double
seconds_from_now (const char *iso8601)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_nonnull (iso8601);
  when = g_date_time_new_from_iso8601 (iso8601, NULL);
  if (when == NULL)
    g_test_message ("not ISO 8601 with an offset: “%s”", iso8601);
  g_assert_nonnull (when);
  return g_date_time_difference (when, now) / (double) G_TIME_SPAN_SECOND;
}

static void
assert_string_array_is (JsonArray          *array,
                        const char * const *expected)
{
  g_assert_nonnull (array);
  g_assert_cmpuint (json_array_get_length (array), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < json_array_get_length (array); j++)
        found |= g_strcmp0 (json_node_get_string (json_array_get_element (array, j)), expected[i]) == 0;
      if (!found)
        g_test_message ("missing “%s”", expected[i]);
      g_assert_true (found);
    }
}

static void
test_login_ok (void)
{
  const char *servizi[] = { SP_TEST_SERVIZIO_INTERNAL, SP_TEST_SERVIZIO_EXTERNAL, NULL };
  g_autoptr(SpTestResponse) response = login (SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_autoptr(SpTestResponse) second = login (SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_autoptr(GRegex) url_safe = g_regex_new ("^[A-Za-z0-9_-]{43,}$", 0, 0, NULL);
  JsonObject *object, *user, *ente;
  const char *token;
  double expires_in;

  sp_test_assert_status (response, 200);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  object = sp_test_response_object (response);

  /* 256 random bits: at least 43 characters of URL-safe base64. */
  token = json_object_get_string_member_with_default (object, "token", NULL);
  g_assert_nonnull (token);
  g_assert_true (g_regex_match (url_safe, token, 0, NULL));
  g_assert_cmpstr (token, !=, json_object_get_string_member (sp_test_response_object (second), "token"));

  /* Absolute expiry: 12 hours (server.conf). */
  expires_in = seconds_from_now (json_object_get_string_member_with_default (object, "expires_at", NULL));
  g_assert_cmpfloat (expires_in, >, 11.9 * 3600);
  g_assert_cmpfloat (expires_in, <, 12.1 * 3600);

  user = json_object_get_object_member (object, "user");
  g_assert_nonnull (user);
  g_assert_cmpstr (json_object_get_string_member_with_default (user, "username", NULL), ==, SP_TEST_OPERATOR);
  g_assert_cmpstr (json_object_get_string_member_with_default (user, "full_name", NULL), ==, "Operatore di Prova");
  g_assert_cmpstr (json_object_get_string_member_with_default (user, "role", NULL), ==, "operatore");
  ente = json_object_get_object_member (user, "ente");
  g_assert_nonnull (ente);
  g_assert_cmpstr (json_object_get_string_member_with_default (ente, "code", NULL), ==, SP_TEST_ENTE);
  g_assert_cmpstr (json_object_get_string_member_with_default (ente, "name", NULL), ==, SP_TEST_ENTE_NAME);
  assert_string_array_is (json_object_get_array_member (user, "servizi"), servizi);

  /* Nothing secret comes back. */
  g_assert_null (strstr (sp_test_response_text (response), SP_TEST_PASSWORD));
  g_assert_null (strstr (sp_test_response_text (response), "scrypt"));
  g_assert_false (json_object_has_member (user, "password_hash"));
}

static void
test_session_stores_hash_only (void)
{
  g_autofree char *token = sp_test_login (env, SP_TEST_AUDITOR, SP_TEST_PASSWORD);
  g_autofree char *by_hash = NULL;
  g_autofree char *in_clear = NULL;
  g_autofree char *sql = NULL;

  g_assert_true (g_regex_match_simple ("^[A-Za-z0-9_-]+$", token, 0, 0));

  sql = g_strdup_printf ("SELECT count(*) FROM session WHERE token_hash = sha256(convert_to('%s', 'UTF8'))", token);
  by_hash = sp_test_env_sql (env, sql);
  g_assert_cmpstr (by_hash, ==, "1");

  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM session WHERE position(convert_to('%s', 'UTF8') IN token_hash) > 0"
                         " OR user_agent LIKE '%%%s%%'", token, token);
  in_clear = sp_test_env_sql (env, sql);
  g_assert_cmpstr (in_clear, ==, "0");
}

static void
test_login_wrong_password (void)
{
  g_autoptr(SpTestResponse) wrong = login (SP_TEST_OPERATOR2, "Password-sbagliata");
  g_autoptr(SpTestResponse) unknown = login ("nessuno.qui", SP_TEST_PASSWORD);
  g_autoptr(SpTestResponse) ok = NULL;
  JsonObject *a, *b;

  sp_test_assert_problem (wrong, 401, "invalid-credentials");
  sp_test_assert_problem (unknown, 401, "invalid-credentials");

  /* Same answer whether the user exists or not: no account enumeration. */
  a = sp_test_response_object (wrong);
  b = sp_test_response_object (unknown);
  g_assert_cmpstr (json_object_get_string_member (a, "detail"), ==, json_object_get_string_member (b, "detail"));
  g_assert_cmpstr (json_object_get_string_member (a, "title"), ==, json_object_get_string_member (b, "title"));

  /* A case variant of the password is wrong too. */
  {
    g_autoptr(SpTestResponse) upper = login (SP_TEST_OPERATOR2, "PASSWORD-DI-PROVA-1");

    sp_test_assert_problem (upper, 401, "invalid-credentials");
  }

  ok = login (SP_TEST_OPERATOR2, SP_TEST_PASSWORD);
  sp_test_assert_status (ok, 200);
}

static void
test_lockout (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpTestResponse) locked = NULL;
  g_autoptr(SpTestResponse) right_while_locked = NULL;
  g_autoptr(SpTestResponse) after_unlock = NULL;
  g_autofree char *failed = NULL;
  JsonObject *problem;
  double locked_for;

  create_account ("op.blocco", "operatore", "Operatore da bloccare", SP_TEST_SERVIZIO_INTERNAL, SP_TEST_PASSWORD);

  for (guint i = 1; i <= 4; i++)
    {
      g_autoptr(SpTestResponse) response = login ("op.blocco", "tentativo-sbagliato");

      g_test_message ("failure %u", i);
      sp_test_assert_problem (response, 401, "invalid-credentials");
    }

  /* The fifth failure locks the account and says so. */
  locked = login ("op.blocco", "tentativo-sbagliato");
  sp_test_assert_problem (locked, 423, "account-locked");
  problem = sp_test_response_object (locked);
  locked_for = seconds_from_now (json_object_get_string_member_with_default (problem, "locked_until", NULL));
  g_assert_cmpfloat (locked_for, >, 14 * 60);
  g_assert_cmpfloat (locked_for, <, 16 * 60);

  /* While locked, even the right password is refused. */
  right_while_locked = login ("op.blocco", SP_TEST_PASSWORD);
  sp_test_assert_problem (right_while_locked, 423, "account-locked");

  g_assert_true (sp_test_env_admin (env, NULL, NULL, &error, "account-unlock", "op.blocco", NULL));
  g_assert_no_error (error);

  after_unlock = login ("op.blocco", SP_TEST_PASSWORD);
  sp_test_assert_status (after_unlock, 200);

  /* A success starts the count again: four more failures do not lock. */
  for (guint i = 1; i <= 4; i++)
    {
      g_autoptr(SpTestResponse) response = login ("op.blocco", "tentativo-sbagliato");

      sp_test_assert_problem (response, 401, "invalid-credentials");
    }
  failed = sp_test_env_sql (env, "SELECT locked_until IS NULL FROM account WHERE username = 'op.blocco'");
  g_assert_cmpstr (failed, ==, "t");
  {
    g_autoptr(SpTestResponse) still_ok = login ("op.blocco", SP_TEST_PASSWORD);

    sp_test_assert_status (still_ok, 200);
  }
}

static void
test_lock_expires (void)
{
  g_autoptr(SpTestResponse) response = NULL;
  g_autofree char *out = NULL;

  create_account ("op.scadenza", "operatore", "Blocco che scade", SP_TEST_SERVIZIO_INTERNAL, SP_TEST_PASSWORD);
  for (guint i = 1; i <= 5; i++)
    {
      g_autoptr(SpTestResponse) failure = login ("op.scadenza", "sbagliata");

      g_assert_cmpuint (failure->status, ==, i < 5 ? 401 : 423);
    }

  /* Fifteen minutes later (moved back in the database), the lock is over. */
  out = sp_test_env_sql (env, "UPDATE account SET locked_until = now() - interval '1 second'"
                              " WHERE username = 'op.scadenza' RETURNING 1");
  g_assert_cmpstr (out, ==, "1");
  response = login ("op.scadenza", SP_TEST_PASSWORD);
  sp_test_assert_status (response, 200);
}

static void
test_logout_revokes (void)
{
  g_autofree char *token = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_autofree char *other = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_autoptr(SpTestResponse) me = get (ME, token);
  g_autoptr(SpTestResponse) out = sp_test_request (env, "POST", LOGOUT, token, NULL, NULL, 0);
  g_autoptr(SpTestResponse) me_after = get (ME, token);
  g_autoptr(SpTestResponse) out_again = sp_test_request (env, "POST", LOGOUT, token, NULL, NULL, 0);
  g_autoptr(SpTestResponse) other_me = get (ME, other);
  g_autoptr(SpTestResponse) no_token = sp_test_request (env, "POST", LOGOUT, NULL, NULL, NULL, 0);

  sp_test_assert_status (me, 200);
  sp_test_assert_status (out, 204);
  g_assert_cmpuint (g_bytes_get_size (out->body), ==, 0);

  sp_test_assert_problem (me_after, 401, "session-expired");
  sp_test_assert_problem (out_again, 401, "session-expired");
  sp_test_assert_problem (no_token, 401, "unauthenticated");

  /* Only that session: the user's other session lives on. */
  sp_test_assert_status (other_me, 200);
}

static void
test_me (void)
{
  g_autofree char *token = sp_test_login (env, SP_TEST_AUDITOR, SP_TEST_PASSWORD);
  g_autoptr(SpTestResponse) me = get (ME, token);
  JsonObject *user;

  sp_test_assert_status (me, 200);
  user = sp_test_response_object (me);
  /* The user itself, as in the login answer (maybe wrapped in "user"). */
  if (json_object_has_member (user, "user"))
    user = json_object_get_object_member (user, "user");
  g_assert_cmpstr (json_object_get_string_member_with_default (user, "username", NULL), ==, SP_TEST_AUDITOR);
  g_assert_cmpstr (json_object_get_string_member_with_default (user, "role", NULL), ==, "auditor");
  g_assert_cmpstr (json_object_get_string_member_with_default (json_object_get_object_member (user, "ente"), "code", NULL),
                   ==, SP_TEST_ENTE);
}

static char *
session_sql (const char *token,
             const char *set)
{
  g_assert_true (g_regex_match_simple ("^[A-Za-z0-9_-]+$", token, 0, 0));
  return g_strdup_printf ("UPDATE session SET %s WHERE token_hash = sha256(convert_to('%s', 'UTF8')) RETURNING 1",
                          set, token);
}

static void
test_idle_expiry (void)
{
  g_autofree char *token = sp_test_login (env, SP_TEST_OPERATOR2, SP_TEST_PASSWORD);
  g_autofree char *fresh = sp_test_login (env, SP_TEST_OPERATOR2, SP_TEST_PASSWORD);
  g_autofree char *idle = session_sql (token, "last_seen_at = now() - interval '2 hours'");
  g_autofree char *almost = session_sql (fresh, "last_seen_at = now() - interval '29 minutes'");
  g_autofree char *out = NULL;
  g_autofree char *seen = NULL;
  g_autofree char *seen_sql = NULL;
  g_autoptr(SpTestResponse) expired = NULL;
  g_autoptr(SpTestResponse) alive = NULL;

  out = sp_test_env_sql (env, idle);
  g_assert_cmpstr (out, ==, "1");
  expired = get (ME, token);
  sp_test_assert_problem (expired, 401, "session-expired");

  /* 29 minutes idle is still within 30; using it slides the idle window. */
  g_free (out);
  out = sp_test_env_sql (env, almost);
  g_assert_cmpstr (out, ==, "1");
  alive = get (ME, fresh);
  sp_test_assert_status (alive, 200);
  seen_sql = g_strdup_printf ("SELECT now() - last_seen_at < interval '1 minute' FROM session"
                              " WHERE token_hash = sha256(convert_to('%s', 'UTF8'))", fresh);
  seen = sp_test_env_sql (env, seen_sql);
  g_assert_cmpstr (seen, ==, "t");
}

static void
test_absolute_expiry (void)
{
  g_autofree char *token = sp_test_login (env, SP_TEST_OPERATOR2, SP_TEST_PASSWORD);
  g_autofree char *old = session_sql (token, "created_at = now() - interval '13 hours', "
                                             "expires_at = now() - interval '1 hour', last_seen_at = now()");
  g_autofree char *out = sp_test_env_sql (env, old);
  g_autoptr(SpTestResponse) expired = get (ME, token);
  g_autoptr(SpTestResponse) logout = NULL;

  g_assert_cmpstr (out, ==, "1");
  sp_test_assert_problem (expired, 401, "session-expired");

  /* An expired session cannot do anything else either. */
  logout = get (PROTOCOL_CONFIG, token);
  sp_test_assert_problem (logout, 401, "session-expired");
}

static void
test_no_or_garbage_token (void)
{
  g_autofree char *long_token = g_strnfill (4096, 'A');
  const char *garbage[] = {
    "garbage",
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "' OR '1'='1",
    "'; DROP TABLE session; --",
    "Ω≈ç√∫˜µ≤≥÷",
    long_token,
  };
  const char *schemes[] = { "Basic b3AucHJvdmE6UGFzc3dvcmQtZGktcHJvdmEtMQ==", "Bearer", "Bearer  ", "Token abc", "" };
  g_autoptr(SpTestResponse) none = get (ME, NULL);
  g_autofree char *tables = NULL;

  sp_test_assert_problem (none, 401, "unauthenticated");
  /* RFC 9110 §11.6.1: a 401 carries WWW-Authenticate. */
  g_assert_nonnull (soup_message_headers_get_one (none->headers, "WWW-Authenticate"));

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autoptr(SpTestResponse) response = get (ME, garbage[i]);

      g_test_message ("token %.40s", garbage[i]);
      sp_test_assert_problem (response, 401, "unauthenticated");
    }

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autoptr(SoupMessage) message = sp_test_message_new (env, "GET", ME, NULL, NULL, NULL, 0);
      g_autoptr(SpTestResponse) response = NULL;

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", schemes[i]);
      response = sp_test_send (sp_test_env_get_session (env), message);
      g_test_message ("Authorization: %s", schemes[i]);
      sp_test_assert_problem (response, 401, "unauthenticated");
    }

  tables = sp_test_env_sql (env, "SELECT to_regclass('public.session') IS NOT NULL");
  g_assert_cmpstr (tables, ==, "t");
}

static void
test_malformed_json (void)
{
  const char *bodies[] = {
    "{",
    "{\"username\":",
    "{\"username\":\"op.prova\",\"password\":\"x\"",
    "not json",
    "\xff\xfe{\"username\":\"op.prova\"}",
    "{\"username\":\"op\xc3\x28\",\"password\":\"x\"}",
    "",
    "   ",
    /* Not JSON either, even with the right credentials inside. */
    "{'username':'" SP_TEST_OPERATOR "','password':'" SP_TEST_PASSWORD "'}",
    "{\"username\":\"" SP_TEST_OPERATOR "\",\"password\":\"" SP_TEST_PASSWORD "\"} {\"x\":1}",
    "{\"username\":\"" SP_TEST_OPERATOR "\",\"password\":\"" SP_TEST_PASSWORD "\"} garbage",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(SpTestResponse) response = sp_test_request (env, "POST", LOGIN, NULL, "application/json",
                                                            bodies[i], -1);
      g_autofree char *shown = g_strescape (bodies[i], NULL);   /* TAP wants UTF-8 */

      g_test_message ("body %u: %s", i, shown);
      sp_test_assert_problem (response, 400, "invalid-input");
    }
}

static void
test_not_an_object (void)
{
  const char *bodies[] = {
    "[\"" SP_TEST_OPERATOR "\", \"" SP_TEST_PASSWORD "\"]",
    "[{\"username\":\"" SP_TEST_OPERATOR "\",\"password\":\"" SP_TEST_PASSWORD "\"}]",
    "\"" SP_TEST_OPERATOR "\"",
    "42",
    "null",
    "true",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(SpTestResponse) response = sp_test_request (env, "POST", LOGIN, NULL, "application/json",
                                                            bodies[i], -1);

      g_test_message ("body: %s", bodies[i]);
      sp_test_assert_problem (response, 400, "invalid-input");
    }
}

/* Like every 422: `errors` names each wrong field, and only those. */
static void
test_missing_fields (void)
{
  const struct { const char *body; const char *fields; const char *says; } cases[] = {
    { "{}", "username password", "is required" },
    { "{\"username\":\"" SP_TEST_OPERATOR "\"}", "password", "is required" },
    { "{\"password\":\"" SP_TEST_PASSWORD "\"}", "username", "is required" },
    { "{\"username\":\"\",\"password\":\"" SP_TEST_PASSWORD "\"}", "username", "must not be empty" },
    { "{\"username\":\"" SP_TEST_OPERATOR "\",\"password\":\"\"}", "password", "must not be empty" },
    { "{\"username\":null,\"password\":\"" SP_TEST_PASSWORD "\"}", "username", "must be a string" },
    { "{\"username\":42,\"password\":\"" SP_TEST_PASSWORD "\"}", "username", "must be a string" },
    { "{\"username\":\"" SP_TEST_OPERATOR "\",\"password\":[\"" SP_TEST_PASSWORD "\"]}", "password",
      "must be a string" },
    { "{\"username\":{\"$ne\":\"\"},\"password\":{\"$ne\":\"\"}}", "username password", "must be a string" },
    { "{\"user\":\"" SP_TEST_OPERATOR "\",\"pass\":\"" SP_TEST_PASSWORD "\"}", "username password", "is required" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpTestResponse) response = sp_test_request (env, "POST", LOGIN, NULL, "application/json",
                                                            cases[i].body, -1);
      g_autoptr(GString) fields = g_string_new (NULL);
      JsonObject *problem;
      JsonNode *errors;

      g_test_message ("body: %s → %s", cases[i].body, sp_test_response_text (response));
      sp_test_assert_problem (response, 422, "validation");
      problem = sp_test_response_object (response);
      errors = problem != NULL ? json_object_get_member (problem, "errors") : NULL;
      g_assert_nonnull (errors);
      g_assert_true (errors != NULL && JSON_NODE_HOLDS_ARRAY (errors));
      if (errors == NULL || !JSON_NODE_HOLDS_ARRAY (errors))
        continue;
      for (guint j = 0; j < json_array_get_length (json_node_get_array (errors)); j++)
        {
          JsonNode *entry = json_array_get_element (json_node_get_array (errors), j);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (entry) ? json_node_get_object (entry) : NULL;
          const char *field = object != NULL ? json_object_get_string_member_with_default (object, "field", "?") : "?";
          const char *message = object != NULL ? json_object_get_string_member_with_default (object, "message", "")
                                               : "";

          g_string_append_printf (fields, "%s%s", j > 0 ? " " : "", field);
          /* The message says what is wrong with that field, and the detail says it too. */
          g_assert_nonnull (strstr (message, field));
          g_assert_nonnull (strstr (message, cases[i].says));
          g_assert_nonnull (strstr (json_object_get_string_member_with_default (problem, "detail", ""), message));
        }
      g_assert_cmpstr (fields->str, ==, cases[i].fields);
    }
}

static void
test_content_type (void)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                           SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  const char *refused[] = { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                            "application/xml", "application/jsonx" };
  g_autoptr(SpTestResponse) none = sp_test_request (env, "POST", LOGIN, NULL, NULL, body, -1);
  g_autoptr(SpTestResponse) charset = sp_test_request (env, "POST", LOGIN, NULL, "application/json; charset=utf-8",
                                                       body, -1);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(SpTestResponse) response = sp_test_request (env, "POST", LOGIN, NULL, refused[i], body, -1);

      g_test_message ("Content-Type: %s", refused[i]);
      sp_test_assert_problem (response, 415, "unsupported-media-type");
    }
  sp_test_assert_problem (none, 415, "unsupported-media-type");

  /* Parameters of the JSON type are fine. */
  sp_test_assert_status (charset, 200);
}

static void
test_oversized_body (void)
{
  gsize size = 2 * 1024 * 1024;
  g_autofree char *big = g_malloc (size);
  g_autofree char *at_limit = NULL;
  const char *prefix = "{\"username\":\"nessuno.qui\",\"password\":\"";
  g_autoptr(SpTestResponse) response = NULL;
  g_autoptr(SpTestResponse) limit = NULL;
  g_autoptr(SpTestResponse) over = NULL;

  /* A valid JSON object of 2 MiB. */
  memset (big, 'x', size);
  memcpy (big, prefix, strlen (prefix));
  memcpy (big + size - 2, "\"}", 2);
  response = sp_test_request (env, "POST", LOGIN, NULL, "application/json", big, size);
  sp_test_assert_problem (response, 413, "payload-too-large");

  /* One byte over 1 MiB is too much; exactly 1 MiB is not (white space pads). */
  at_limit = g_malloc (1024 * 1024 + 1);
  memset (at_limit, ' ', 1024 * 1024 + 1);
  memcpy (at_limit, "{\"username\":\"nessuno.qui\",\"password\":\"x\"}",
          strlen ("{\"username\":\"nessuno.qui\",\"password\":\"x\"}"));
  limit = sp_test_request (env, "POST", LOGIN, NULL, "application/json", at_limit, 1024 * 1024);
  sp_test_assert_problem (limit, 401, "invalid-credentials");
  over = sp_test_request (env, "POST", LOGIN, NULL, "application/json", at_limit, 1024 * 1024 + 1);
  sp_test_assert_problem (over, 413, "payload-too-large");
}

/* The server must refuse an oversized body from its Content-Length, before
 * reading it. With "Expect: 100-continue" the client waits for that answer;
 * without, the server should still answer (and close) without waiting for
 * the 2 MiB that never come. */
static void
test_oversized_before_body (gconstpointer data)
{
  const char *expect = data;
  g_autofree char *request = g_strdup_printf ("POST /api/v1.0/auth/login HTTP/1.1\r\n"
                                              "Host: 127.0.0.1\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: 2097152\r\n"
                                              "%s"
                                              "\r\n", expect);
  g_autoptr(GError) error = NULL;
  g_autofree char *raw = NULL;
  gint64 start = g_get_monotonic_time ();

  raw = sp_test_raw_exchange (env, TRUE, request, 5, &error);
  g_test_message ("announced 2 MiB, sent none%s: after %.2f s: %.60s", *expect != '\0' ? " (Expect: 100-continue)" : "",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC,
                  raw != NULL ? raw : error->message);
  g_assert_no_error (error);
  g_assert_nonnull (raw);
  g_assert_true (raw != NULL && g_str_has_prefix (raw, "HTTP/1.1 413"));
  g_assert_true (raw != NULL && strstr (raw, "payload-too-large") != NULL);
  /* An id for the log and a support call, as every answer has. */
  g_assert_true (raw != NULL && strstr (raw, "\r\nX-Request-Id: ") != NULL);
  g_assert_true (raw != NULL && strstr (raw, "\"request_id\":") != NULL);
}

/* Peak resident memory of the server, in kB (Linux). */
static guint64
server_peak_kb (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", sp_test_env_get_server_pid (env));
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

/* An oversized body is refused, not buffered: 64 MiB sent anyway (no
 * "Expect: 100-continue") must not grow the server by anything like it. */
static void
test_oversized_not_buffered (void)
{
  gsize size = 64 * 1024 * 1024;
  g_autofree char *huge = g_malloc (size);
  g_autoptr(SpTestResponse) response = NULL;
  guint64 before, after;

  memset (huge, ' ', size);
  memcpy (huge, "{}", 2);
  before = server_peak_kb ();
  response = sp_test_request (env, "POST", LOGIN, NULL, "application/json", huge, size);
  after = server_peak_kb ();

  g_test_message ("64 MiB body: HTTP %u%s%s; server peak memory %" G_GUINT64_FORMAT " → %" G_GUINT64_FORMAT " kB",
                  response->status, response->error != NULL ? ", " : "",
                  response->error != NULL ? response->error->message : "", before, after);
  /* Refused: a 413, or a connection closed on the sender. */
  if (response->error == NULL)
    sp_test_assert_problem (response, 413, "payload-too-large");
  /* (Not after - before: the figure may also go down.) AddressSanitizer
   * keeps freed memory in quarantine: no figure to check there. */
  if (!sp_test_sanitized ())
    g_assert_cmpuint (after, <, before + 16 * 1024);
}

static void
assert_tables_intact (const char *accounts_before)
{
  const char *tables[] = { "account", "session", "ente", "servizio", "pratica", "version", "schema_migration" };
  g_autofree char *accounts = sp_test_env_sql (env, "SELECT count(*) FROM account");

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT to_regclass('public.%s') IS NOT NULL", tables[i]);
      g_autofree char *exists = sp_test_env_sql (env, sql);

      g_assert_cmpstr (exists, ==, "t");
    }
  g_assert_cmpstr (accounts, ==, accounts_before);
}

static void
test_sql_metacharacters (void)
{
  const char *payloads[] = {
    "x' OR '1'='1",
    "' OR 1=1 --",
    "'; DROP TABLE account; --",
    "op.prova'--",
    "op.prova' /*",
    "\"; DELETE FROM session; --",
    "$1",
    "\\'; SELECT pg_sleep(5); --",
    "%",
    "_",
    "op.prova\\",
    "ℌ𝔢𝔩𝔩𝔬 ✓ città — ü",
    "Robert'); DROP TABLE version;--",
    "op.prova' UNION SELECT password_hash FROM account --",
  };
  g_autofree char *accounts_before = sp_test_env_sql (env, "SELECT count(*) FROM account");
  g_autoptr(GError) error = NULL;

  create_account ("op.sql", "operatore", "Bersaglio", SP_TEST_SERVIZIO_INTERNAL, SP_TEST_PASSWORD);
  g_free (accounts_before);
  accounts_before = sp_test_env_sql (env, "SELECT count(*) FROM account");

  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autoptr(SpTestResponse) as_username = login (payloads[i], payloads[i]);
      g_autoptr(SpTestResponse) as_password = login ("op.sql", payloads[i]);
      g_autoptr(SpTestResponse) as_both = NULL;
      g_autoptr(JsonNode) extra = NULL;

      g_test_message ("payload: %s", payloads[i]);
      sp_test_assert_problem (as_username, 401, "invalid-credentials");
      sp_test_assert_problem (as_password, 401, "invalid-credentials");

      /* Unknown members are ignored, whatever they hold. */
      extra = sp_test_json_object ("username", payloads[i], "password", "x", payloads[i], payloads[i], NULL);
      as_both = sp_test_post_json (env, LOGIN, NULL, extra);
      g_assert_cmpuint (as_both->status, ==, 401);

      /* Keep op.sql below the lockout threshold. */
      g_assert_true (sp_test_env_admin (env, NULL, NULL, &error, "account-unlock", "op.sql", NULL));
      g_assert_no_error (error);
    }

  assert_tables_intact (accounts_before);
  {
    g_autoptr(SpTestResponse) still = login ("op.sql", SP_TEST_PASSWORD);

    sp_test_assert_status (still, 200);
  }
}

static void
test_admin_created_account (void)
{
  const char *servizi[] = { SP_TEST_SERVIZIO_INTERNAL, NULL };
  g_autoptr(SpTestResponse) response = NULL;
  g_autoptr(SpTestResponse) me = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *user;
  const char *token;

  create_account ("op.nuovo", "operatore", "Niccolò Dell'Àrca", SP_TEST_SERVIZIO_INTERNAL, "Una password lunga, con spazi è ok");

  response = login ("op.nuovo", "Una password lunga, con spazi è ok");
  sp_test_assert_status (response, 200);
  user = json_object_get_object_member (sp_test_response_object (response), "user");
  g_assert_cmpstr (json_object_get_string_member_with_default (user, "full_name", NULL), ==, "Niccolò Dell'Àrca");
  assert_string_array_is (json_object_get_array_member (user, "servizi"), servizi);

  token = json_object_get_string_member (sp_test_response_object (response), "token");
  me = get (ME, token);
  sp_test_assert_status (me, 200);

  /* The same username twice is refused by sportello-admin, and the first
   * account keeps its password. */
  g_assert_false (sp_test_env_admin (env, "Un-altra-password-lunga", NULL, &error, "account-create", "op.nuovo",
                                     "--ente", SP_TEST_ENTE, "--role", "operatore", "--name", "Doppione",
                                     "--password-stdin", NULL));
  g_assert_nonnull (error);
  g_test_message ("duplicate refused: %s", error != NULL ? error->message : "(accepted)");
  {
    g_autoptr(SpTestResponse) second = login ("op.nuovo", "Un-altra-password-lunga");
    g_autoptr(SpTestResponse) first = login ("op.nuovo", "Una password lunga, con spazi è ok");

    sp_test_assert_problem (second, 401, "invalid-credentials");
    sp_test_assert_status (first, 200);
  }
}

static void
test_password_reset_revokes (void)
{
  g_autofree char *token = NULL;
  g_autoptr(SpTestResponse) before = NULL;
  g_autoptr(SpTestResponse) after = NULL;
  g_autoptr(SpTestResponse) old_password = NULL;
  g_autoptr(SpTestResponse) new_password = NULL;
  g_autoptr(GError) error = NULL;

  create_account ("op.reset", "operatore", "Password da cambiare", SP_TEST_SERVIZIO_INTERNAL, SP_TEST_PASSWORD);
  token = sp_test_login (env, "op.reset", SP_TEST_PASSWORD);
  before = get (ME, token);
  sp_test_assert_status (before, 200);

  g_assert_true (sp_test_env_admin (env, "Nuova-password-2", NULL, &error,
                                    "password-reset", "op.reset", "--password-stdin", NULL));
  g_assert_no_error (error);

  after = get (ME, token);
  sp_test_assert_problem (after, 401, "session-expired");
  old_password = login ("op.reset", SP_TEST_PASSWORD);
  sp_test_assert_problem (old_password, 401, "invalid-credentials");
  new_password = login ("op.reset", "Nuova-password-2");
  sp_test_assert_status (new_password, 200);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* A failed check fails its test and the others still run and report. */
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/sportello/auth/login/ok", test_login_ok);
  g_test_add_func ("/sportello/auth/login/session-stores-hash-only", test_session_stores_hash_only);
  g_test_add_func ("/sportello/auth/login/wrong-password", test_login_wrong_password);
  g_test_add_func ("/sportello/auth/login/lockout", test_lockout);
  g_test_add_func ("/sportello/auth/login/lock-expires", test_lock_expires);
  g_test_add_func ("/sportello/auth/logout/revokes", test_logout_revokes);
  g_test_add_func ("/sportello/auth/me", test_me);
  g_test_add_func ("/sportello/auth/session/idle-expiry", test_idle_expiry);
  g_test_add_func ("/sportello/auth/session/absolute-expiry", test_absolute_expiry);
  g_test_add_func ("/sportello/auth/session/no-or-garbage-token", test_no_or_garbage_token);
  g_test_add_func ("/sportello/auth/input/malformed-json", test_malformed_json);
  g_test_add_func ("/sportello/auth/input/not-an-object", test_not_an_object);
  g_test_add_func ("/sportello/auth/input/missing-fields", test_missing_fields);
  g_test_add_func ("/sportello/auth/input/content-type", test_content_type);
  g_test_add_func ("/sportello/auth/input/oversized-body", test_oversized_body);
  g_test_add_data_func ("/sportello/auth/input/oversized-before-body/expect-continue",
                        "Expect: 100-continue\r\n", test_oversized_before_body);
  g_test_add_data_func ("/sportello/auth/input/oversized-before-body/no-expect", "", test_oversized_before_body);
  g_test_add_func ("/sportello/auth/input/oversized-not-buffered", test_oversized_not_buffered);
  g_test_add_func ("/sportello/auth/input/sql-metacharacters", test_sql_metacharacters);
  g_test_add_func ("/sportello/auth/admin/created-account-logs-in", test_admin_created_account);
  g_test_add_func ("/sportello/auth/admin/password-reset-revokes", test_password_reset_revokes);

  env = sp_test_env_start ();
  status = g_test_run ();
  sp_test_env_stop (env);
  return status;
}
