/* test-json.c: strict parsing, canonical JSON and the version hash chain of common/ */
#define G_LOG_DOMAIN "test-json"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-error.h"
#include "sp-json.h"

/* Returns FALSE (and says so) if @data was accepted. */
static gboolean
parse_fails (const char *data,
             gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = sp_json_parse (data, length < 0 ? (data != NULL ? strlen (data) : 0) : (gsize) length, &error);
  if (node != NULL)
    {
      g_test_message ("not JSON, but accepted: %s", data);
      return FALSE;
    }
  g_assert_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT);
  g_assert_nonnull (error->message);
  return TRUE;
}

static void
assert_parse_fails (const char *data,
                    gssize      length)
{
  g_assert_true (parse_fails (data, length));
}

static void
test_parse_empty (void)
{
  assert_parse_fails (NULL, 0);
  assert_parse_fails ("", 0);
  assert_parse_fails ("{}", 0);     /* length wins over the data */
  assert_parse_fails ("   ", -1);
  assert_parse_fails ("\n\t ", -1);
}

static void
test_parse_invalid_utf8 (void)
{
  assert_parse_fails ("{\"a\":\"\xff\"}", -1);
  assert_parse_fails ("{\"a\":\"\xc3\"}", -1);            /* truncated sequence */
  assert_parse_fails ("{\"a\":\"\xc0\xaf\"}", -1);        /* overlong "/" */
  assert_parse_fails ("{\"a\":\"\xed\xa0\x80\"}", -1);    /* UTF-16 surrogate */
  assert_parse_fails ("{\"\xfe\":1}", -1);
}

static void
test_parse_malformed (void)
{
  const char *malformed[] = {
    "{", "}", "[1,2", "{\"a\":}", "{'a':1}", "{a:1}", "nul", "tru",
    "{\"a\":1}}", "{\"a\":1} {\"b\":2}", "{\"a\" 1}", "[1 2]", "\"unterminated",
    "{\"a\":01x}", "{\"a\":1,}", "[1,]",
  };
  guint n_accepted = 0;

  /* Check them all, then fail listing every one that got through. */
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    n_accepted += !parse_fails (malformed[i], -1);

  /* A NUL inside the body is not JSON. */
  n_accepted += !parse_fails ("{\"a\":1}\0", 8);
  n_accepted += !parse_fails ("{\"a\":\"x\0y\"}", 11);

  if (n_accepted > 0)
    g_test_fail_printf ("%u documents that are not JSON were accepted (listed above)", n_accepted);
}

static void
test_parse_ok (void)
{
  const char *data = "{\"a\":1}trailing bytes outside the length";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) array = NULL;
  g_autoptr(JsonNode) utf8 = NULL;

  node = sp_json_parse (data, 7, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "a"), ==, 1);

  array = sp_json_parse ("[1, \"due\", null]", 16, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (array));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (array)), ==, 3);

  utf8 = sp_json_parse ("{\"città\":\"Forlì\"}", strlen ("{\"città\":\"Forlì\"}"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (utf8), "città"), ==, "Forlì");
}

static void
test_parse_object (void)
{
  const char *not_objects[] = { "[1]", "\"testo\"", "42", "null", "true", "[]" };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (not_objects); i++)
    {
      g_autoptr(JsonObject) wrong = sp_json_parse_object (not_objects[i], strlen (not_objects[i]), &error);

      g_assert_null (wrong);
      g_assert_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT);
      g_clear_error (&error);
    }

  g_assert_null (sp_json_parse_object ("{", 1, &error));
  g_assert_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  object = sp_json_parse_object ("{\"x\":true}", 10, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (object, "x"));
}

static void
test_require_string (void)
{
  const char *data = "{\"ok\":\"valore\",\"empty\":\"\",\"number\":3,\"null\":null,"
                     "\"object\":{},\"array\":[\"a\"],\"bool\":false}";
  const char *bad[] = { "missing", "empty", "number", "null", "object", "array", "bool" };
  const char *says[] = { "is required", "must not be empty", "must be a string", "must be a string",
                         "must be a string", "must be a string", "must be a string" };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = sp_json_parse_object (data, strlen (data), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (sp_json_require_string (object, "ok", &error), ==, "valore");
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_null (sp_json_require_string (object, bad[i], &error));
      g_assert_error (error, SP_ERROR, SP_ERROR_VALIDATION);
      /* The message names the field, so the client can show it. */
      g_assert_nonnull (strstr (error->message, bad[i]));
      /* And what is wrong with it: absent, empty or not a string. */
      g_assert_nonnull (strstr (error->message, says[i]));
      g_clear_error (&error);
    }
}

static char *
canonical_of (const char *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = sp_json_parse (data, strlen (data), &error);

  g_assert_no_error (error);
  return sp_json_canonicalize (node);
}

static void
test_canonical_sorted (void)
{
  g_autofree char *nested = NULL;
  g_autofree char *reordered = NULL;
  g_autofree char *bytes_order = NULL;
  g_autofree char *values = NULL;
  g_autofree char *array_order = NULL;

  nested = canonical_of ("{ \"b\": 1, \"a\": { \"d\": [ { \"z\": 1, \"y\": 2 } ], \"c\": null } }");
  g_assert_cmpstr (nested, ==, "{\"a\":{\"c\":null,\"d\":[{\"y\":2,\"z\":1}]},\"b\":1}");

  reordered = canonical_of ("{\"a\":{\"c\":null,\"d\":[{\"y\":2,\"z\":1}]},\n  \"b\":1}");
  g_assert_cmpstr (reordered, ==, nested);

  /* Byte order of the UTF-8 names: upper case before lower case, "é" after "z". */
  bytes_order = canonical_of ("{\"é\":1,\"z\":2,\"a\":3,\"B\":4,\"aa\":5,\"\":6}");
  g_assert_cmpstr (bytes_order, ==, "{\"\":6,\"B\":4,\"a\":3,\"aa\":5,\"z\":2,\"é\":1}");

  values = canonical_of ("{\"t\":true,\"f\":false,\"n\":null,\"i\":-42,\"d\":1.5,\"e\":[],\"o\":{}}");
  g_assert_cmpstr (values, ==, "{\"d\":1.5,\"e\":[],\"f\":false,\"i\":-42,\"n\":null,\"o\":{},\"t\":true}");

  /* Arrays keep their order. */
  array_order = canonical_of ("[3,1,2,{\"b\":0,\"a\":0}]");
  g_assert_cmpstr (array_order, ==, "[3,1,2,{\"a\":0,\"b\":0}]");
}

static void
test_canonical_escapes (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) reparsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *again = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "k\"ey");
  json_builder_add_string_value (builder, "riga\nvirgolette\"barra\\tab\tcr\rbell\x01 è €");
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);

  canonical = sp_json_canonicalize (node);
  g_assert_cmpstr (canonical, ==,
                   "{\"k\\\"ey\":\"riga\\nvirgolette\\\"barra\\\\tab\\tcr\\rbell\\u0001 è €\"}");

  /* The canonical text is JSON that gives back the same document and bytes. */
  reparsed = sp_json_parse (canonical, strlen (canonical), &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (node, reparsed));
  again = sp_json_canonicalize (reparsed);
  g_assert_cmpstr (again, ==, canonical);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/json/parse/empty", test_parse_empty);
  g_test_add_func ("/sportello/json/parse/invalid-utf8", test_parse_invalid_utf8);
  g_test_add_func ("/sportello/json/parse/malformed", test_parse_malformed);
  g_test_add_func ("/sportello/json/parse/ok", test_parse_ok);
  g_test_add_func ("/sportello/json/parse/object", test_parse_object);
  g_test_add_func ("/sportello/json/require-string", test_require_string);
  g_test_add_func ("/sportello/json/canonical/sorted", test_canonical_sorted);
  g_test_add_func ("/sportello/json/canonical/escapes", test_canonical_escapes);

  return g_test_run ();
}
