/* test-error.c: the error domain, its HTTP mapping and problem JSON (RFC 9457) */
#define G_LOG_DOMAIN "test-error"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "sp-error.h"
#include "sp-json.h"

/* The contract of sp-error.h and of the API (problem types the client knows). */
static const struct { SpError code; guint status; const char *slug; } expected[] = {
  { SP_ERROR_INTERNAL, 500, "internal" },
  { SP_ERROR_INVALID_INPUT, 400, "invalid-input" },
  { SP_ERROR_UNAUTHENTICATED, 401, "unauthenticated" },
  { SP_ERROR_INVALID_CREDENTIALS, 401, "invalid-credentials" },
  { SP_ERROR_SESSION_EXPIRED, 401, "session-expired" },
  { SP_ERROR_FORBIDDEN, 403, "forbidden" },
  { SP_ERROR_NOT_FOUND, 404, "not-found" },
  { SP_ERROR_METHOD_NOT_ALLOWED, 405, "method-not-allowed" },
  { SP_ERROR_CONFLICT, 409, "conflict" },
  { SP_ERROR_TRANSITION_NOT_ALLOWED, 409, "transition-not-allowed" },
  { SP_ERROR_ALREADY_TAKEN, 409, "already-taken" },
  { SP_ERROR_PAYLOAD_TOO_LARGE, 413, "payload-too-large" },
  { SP_ERROR_UNSUPPORTED_MEDIA_TYPE, 415, "unsupported-media-type" },
  { SP_ERROR_VALIDATION, 422, "validation" },
  { SP_ERROR_UNKNOWN_EVENT, 422, "unknown-event" },
  { SP_ERROR_ACCOUNT_LOCKED, 423, "account-locked" },
  { SP_ERROR_UNAVAILABLE, 503, "unavailable" },
  /* Client-side conditions never travel over HTTP; if they ever did, 500. */
  { SP_ERROR_UNREACHABLE, 500, "unreachable" },
  { SP_ERROR_UNTRUSTED_CERTIFICATE, 500, "untrusted-certificate" },
};

static void
test_every_code_mapped (void)
{
  /* The enum is dense from 0: every value up to the last is in the table. */
  g_assert_cmpint (G_N_ELEMENTS (expected), ==, SP_ERROR_UNTRUSTED_CERTIFICATE + 1);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      SpError back = SP_ERROR_INTERNAL;
      const char *title = sp_error_get_title (expected[i].code);

      g_assert_cmpint (expected[i].code, ==, i);
      g_assert_cmpuint (sp_error_get_http_status (expected[i].code), ==, expected[i].status);
      g_assert_cmpstr (sp_error_get_slug (expected[i].code), ==, expected[i].slug);
      g_assert_nonnull (title);
      g_assert_cmpstr (title, !=, "");
      g_assert_true (sp_error_from_slug (expected[i].slug, &back));
      g_assert_cmpint (back, ==, expected[i].code);

      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (sp_error_get_slug (expected[j].code), !=, sp_error_get_slug (expected[i].code));
    }
}

static void
test_unknown_slug (void)
{
  SpError code = SP_ERROR_FORBIDDEN;

  g_assert_false (sp_error_from_slug ("nope", &code));
  g_assert_false (sp_error_from_slug ("", &code));
  g_assert_false (sp_error_from_slug ("Forbidden", &code));
  g_assert_false (sp_error_from_slug (NULL, &code));
  g_assert_cmpint (code, ==, SP_ERROR_FORBIDDEN);

  /* A code outside the enum is an internal error, never garbage. */
  g_assert_cmpuint (sp_error_get_http_status ((SpError) 1000), ==, 500);
  g_assert_cmpstr (sp_error_get_slug ((SpError) 1000), ==, "internal");
}

static JsonNode *
reparse (JsonNode *node)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sp_json_to_string (node, NULL);
  JsonNode *parsed = sp_json_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  return parsed;
}

static void
test_problem_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(GError) error = g_error_new (SP_ERROR, expected[i].code, "Dettaglio %u: “%s”", i, expected[i].slug);
      g_autoptr(GError) back = NULL;
      g_autoptr(JsonNode) problem = sp_problem_new (error, NULL);
      g_autoptr(JsonNode) wire = reparse (problem);
      g_autofree char *type = g_strconcat ("urn:sportello:problem:", expected[i].slug, NULL);
      JsonObject *object;
      gboolean hides_detail = expected[i].code == SP_ERROR_INTERNAL || expected[i].code == SP_ERROR_UNAVAILABLE;

      g_assert_true (JSON_NODE_HOLDS_OBJECT (wire));
      object = json_node_get_object (wire);
      g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, type);
      g_assert_cmpint (json_object_get_int_member (object, "status"), ==, expected[i].status);
      g_assert_cmpstr (json_object_get_string_member (object, "title"), !=, "");
      g_assert_false (json_object_has_member (object, "errors"));
      if (hides_detail)
        g_assert_cmpstr (json_object_get_string_member (object, "detail"), !=, error->message);
      else
        g_assert_cmpstr (json_object_get_string_member (object, "detail"), ==, error->message);

      back = sp_problem_to_error (expected[i].status, wire);
      g_assert_error (back, SP_ERROR, (int) expected[i].code);
      if (!hides_detail)
        g_assert_cmpstr (back->message, ==, error->message);
    }
}

static void
test_problem_field_errors (void)
{
  const char *fields = "[{\"field\":\"username\",\"message\":\"obbligatorio\"},"
                       "{\"field\":\"password\",\"message\":\"obbligatorio\"}]";
  g_autoptr(GError) error = g_error_new_literal (SP_ERROR, SP_ERROR_VALIDATION, "Campi mancanti");
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) field_errors = sp_json_parse (fields, strlen (fields), &parse_error);
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(JsonNode) wire = NULL;
  g_autoptr(GError) back = NULL;
  JsonObject *object;

  g_assert_no_error (parse_error);
  problem = sp_problem_new (error, field_errors);
  wire = reparse (problem);
  object = json_node_get_object (wire);
  g_assert_cmpint (json_object_get_int_member (object, "status"), ==, 422);
  g_assert_true (json_node_equal (json_object_get_member (object, "errors"), field_errors));

  back = sp_problem_to_error (422, wire);
  g_assert_error (back, SP_ERROR, SP_ERROR_VALIDATION);
  g_assert_cmpstr (back->message, ==, "Campi mancanti");
}

static void
test_problem_no_leak (void)
{
  const char *secret = "SELECT password_hash FROM account WHERE username = 'admin' -- conn host=/tmp password=hunter2";
  g_autoptr(GError) io_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, secret);
  g_autoptr(GError) internal = g_error_new_literal (SP_ERROR, SP_ERROR_INTERNAL, secret);
  g_autoptr(GError) unavailable = g_error_new_literal (SP_ERROR, SP_ERROR_UNAVAILABLE, secret);
  GError *errors[] = { io_error, internal, unavailable };

  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      g_autoptr(JsonNode) problem = sp_problem_new (errors[i], NULL);
      g_autofree char *text = sp_json_to_string (problem, NULL);
      JsonObject *object = json_node_get_object (problem);

      g_test_message ("%s", text);
      g_assert_null (strstr (text, "hunter2"));
      g_assert_null (strstr (text, "SELECT"));
      g_assert_null (strstr (text, "password_hash"));
      if (i == 2)
        {
          g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "urn:sportello:problem:unavailable");
          g_assert_cmpint (json_object_get_int_member (object, "status"), ==, 503);
        }
      else
        {
          /* Another domain is reported as internal, whatever its code. */
          g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "urn:sportello:problem:internal");
          g_assert_cmpint (json_object_get_int_member (object, "status"), ==, 500);
        }
    }
}

static void
test_problem_to_error_foreign (void)
{
  const struct { guint status; const char *body; SpError code; } cases[] = {
    /* No body at all: guessed from the status. */
    { 404, NULL, SP_ERROR_NOT_FOUND },
    { 401, NULL, SP_ERROR_UNAUTHENTICATED },
    { 423, NULL, SP_ERROR_ACCOUNT_LOCKED },
    { 413, NULL, SP_ERROR_PAYLOAD_TOO_LARGE },
    { 502, NULL, SP_ERROR_INTERNAL },
    { 200, NULL, SP_ERROR_INTERNAL },
    /* A proxy's problem, or an unknown slug of ours: the status decides. */
    { 409, "{\"type\":\"urn:other:conflict\",\"detail\":\"altro\"}", SP_ERROR_CONFLICT },
    { 423, "{\"type\":\"urn:sportello:problem:nope\"}", SP_ERROR_ACCOUNT_LOCKED },
    { 403, "[\"not\", \"an\", \"object\"]", SP_ERROR_FORBIDDEN },
    { 400, "{\"type\":42,\"detail\":7}", SP_ERROR_INVALID_INPUT },
    /* A known slug wins over an odd status. */
    { 400, "{\"type\":\"urn:sportello:problem:session-expired\"}", SP_ERROR_SESSION_EXPIRED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(GError) error = NULL;

      if (cases[i].body != NULL)
        {
          g_autoptr(GError) parse_error = NULL;

          body = sp_json_parse (cases[i].body, strlen (cases[i].body), &parse_error);
          g_assert_no_error (parse_error);
        }
      error = sp_problem_to_error (cases[i].status, body);
      g_assert_error (error, SP_ERROR, (int) cases[i].code);
      g_assert_nonnull (error->message);
      g_assert_cmpstr (error->message, !=, "");
    }
}

/* A body from the network (a proxy, a broken server) must not trip a
 * g_return_if_fail(): criticals are fatal here, so run in a subprocess. */
static void
test_problem_to_error_non_scalar (void)
{
  if (g_test_subprocess ())
    {
      const char *bodies[] = {
        "{\"type\":\"urn:sportello:problem:forbidden\",\"detail\":[\"a\"]}",
        "{\"type\":{\"slug\":\"forbidden\"},\"detail\":\"x\"}",
        "{\"type\":[],\"detail\":{}}",
      };

      /* Criticals are fatal even when run by hand without G_DEBUG. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
        {
          g_autoptr(GError) parse_error = NULL;
          g_autoptr(JsonNode) body = sp_json_parse (bodies[i], strlen (bodies[i]), &parse_error);
          g_autoptr(GError) error = NULL;

          g_assert_no_error (parse_error);
          g_printerr ("case: %s\n", bodies[i]);
          error = sp_problem_to_error (403, body);
          g_assert_error (error, SP_ERROR, SP_ERROR_FORBIDDEN);
        }
      return;
    }

  /* A soft failure, so the tests after this one still run and report. */
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (!g_test_trap_has_passed ())
    g_test_fail_printf ("non-scalar members of untrusted JSON tripped a critical or an assertion "
                        "(the child's stderr is above)");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/error/every-code-mapped", test_every_code_mapped);
  g_test_add_func ("/sportello/error/unknown-slug", test_unknown_slug);
  g_test_add_func ("/sportello/error/problem/round-trip", test_problem_round_trip);
  g_test_add_func ("/sportello/error/problem/field-errors", test_problem_field_errors);
  g_test_add_func ("/sportello/error/problem/no-leak", test_problem_no_leak);
  g_test_add_func ("/sportello/error/problem/foreign", test_problem_to_error_foreign);
  g_test_add_func ("/sportello/error/problem/non-scalar-members", test_problem_to_error_non_scalar);

  return g_test_run ();
}
