/* test-json-tape.c: a JSON text read into a tape: its nodes, look-ups by key, numbers as json-glib reads them and by exact value, what it refuses */
#define G_LOG_DOMAIN "test-json-tape"

#include "config.h"

#include <string.h>

#include "sp-error.h"
#include "sp-json.h"
#include "sp-json-tape.h"

static SpJsonTape *
read_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  SpJsonTape *tape = sp_json_tape_new (text, strlen (text), 64, &error);

  g_assert_no_error (error);
  g_assert_nonnull (tape);
  return tape;
}

static char *
node_text (const SpJsonTape *tape,
           guint32           node)
{
  return g_strndup (sp_json_tape_text (tape, node), tape->nodes[node].len);
}

/* The nodes in document order; an object's value right after its key. */
static void
test_nodes (void)
{
  g_autoptr(SpJsonTape) tape = read_text (" {\"b\": [1, -2.5e3, \"x\", true, false, null, {}, []], \"a\": \"y\"} ");
  guint32 b, a;
  g_autofree char *number = NULL;

  g_assert_cmpuint (tape->nodes[0].type, ==, SP_JSON_TAPE_OBJECT);
  g_assert_cmpuint (tape->nodes[0].len, ==, 2);
  g_assert_false (tape->nodes[0].flags & SP_JSON_TAPE_SORTED);   /* "b" before "a" */
  b = sp_json_tape_member (tape, 0, 0);
  a = sp_json_tape_member (tape, 0, 1);
  g_assert_cmpuint (tape->nodes[b + 1].type, ==, SP_JSON_TAPE_ARRAY);
  g_assert_cmpuint (tape->nodes[b + 1].len, ==, 8);
  g_assert_cmpuint (tape->nodes[sp_json_tape_element (tape, b + 1, 0)].flags, ==, SP_JSON_TAPE_INTEGER);
  number = node_text (tape, sp_json_tape_element (tape, b + 1, 1));
  g_assert_cmpstr (number, ==, "-2.5e3");
  g_assert_cmpuint (tape->nodes[sp_json_tape_element (tape, b + 1, 1)].flags, ==, 0);
  g_assert_cmpuint (tape->nodes[sp_json_tape_element (tape, b + 1, 3)].type, ==, SP_JSON_TAPE_TRUE);
  g_assert_cmpuint (tape->nodes[sp_json_tape_element (tape, b + 1, 5)].type, ==, SP_JSON_TAPE_NULL);
  g_assert_cmpuint (tape->nodes[sp_json_tape_element (tape, b + 1, 6)].type, ==, SP_JSON_TAPE_OBJECT);
  g_assert_cmpuint (tape->nodes[sp_json_tape_element (tape, b + 1, 7)].len, ==, 0);
  g_assert_cmpuint (tape->nodes[a + 1].type, ==, SP_JSON_TAPE_STRING);

  /* Found by key, sorted or not. */
  g_assert_cmpuint (sp_json_tape_lookup (tape, 0, "a", 1), ==, a);
  g_assert_cmpuint (sp_json_tape_lookup (tape, 0, "b", 1), ==, b);
  g_assert_cmpuint (sp_json_tape_lookup (tape, 0, "c", 1), ==, SP_JSON_TAPE_NONE);
  g_assert_cmpuint (sp_json_tape_lookup (tape, sp_json_tape_element (tape, b + 1, 6), "a", 1), ==, SP_JSON_TAPE_NONE);
}

/* jsonb's order (shorter keys first, then by bytes) is seen, and used as it is. */
static void
test_sorted (void)
{
  g_autoptr(SpJsonTape) tape = read_text ("{\"z\": 1, \"ab\": 2, \"ac\": 3, \"città\": 4, \"b\\u00e9\": 5}");
  g_autoptr(SpJsonTape) unsorted = read_text ("{\"ab\": 2, \"z\": 1}");
  const char *keys[] = { "z", "ab", "ac", "città", "bé" };

  g_assert_false (tape->nodes[0].flags & SP_JSON_TAPE_SORTED);   /* "bé" after "città" */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      guint32 key = sp_json_tape_lookup (tape, 0, keys[i], strlen (keys[i]));
      g_autofree char *value = NULL;

      g_assert_cmpuint (key, !=, SP_JSON_TAPE_NONE);
      value = node_text (tape, key + 1);
      g_assert_cmpint (atoi (value), ==, (int) i + 1);
    }
  g_assert_false (unsorted->nodes[0].flags & SP_JSON_TAPE_SORTED);
  {
    g_autoptr(SpJsonTape) sorted = read_text ("{\"z\": 1, \"ab\": 2, \"bé\": 5, \"città\": 4}");

    g_assert_true (sorted->nodes[0].flags & SP_JSON_TAPE_SORTED);
    g_assert_cmpuint (sp_json_tape_lookup (sorted, 0, "città", strlen ("città")), ==,
                      sp_json_tape_member (sorted, 0, 3));
  }
}

/* Escapes are decoded apart; strings without them stay in the text. */
static void
test_strings (void)
{
  g_autoptr(SpJsonTape) tape = read_text ("[\"plain città 日本語\", \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", "
                                          "\"\\u00e9\\ud83d\\ude00\", \"\"]");
  g_autofree char *plain = node_text (tape, sp_json_tape_element (tape, 0, 0));
  g_autofree char *escaped = node_text (tape, sp_json_tape_element (tape, 0, 1));
  g_autofree char *unicode = node_text (tape, sp_json_tape_element (tape, 0, 2));

  g_assert_cmpstr (plain, ==, "plain città 日本語");
  g_assert_false (tape->nodes[sp_json_tape_element (tape, 0, 0)].flags & SP_JSON_TAPE_DECODED);
  g_assert_cmpstr (escaped, ==, "a\"b\\c/d\b\f\n\r\t");
  g_assert_true (tape->nodes[sp_json_tape_element (tape, 0, 1)].flags & SP_JSON_TAPE_DECODED);
  g_assert_cmpstr (unicode, ==, "é😀");
  g_assert_cmpuint (tape->nodes[sp_json_tape_element (tape, 0, 3)].len, ==, 0);
}

/* Numbers read as json-glib 1.6 reads them, its wrapping of big integers included. */
static void
test_numbers (void)
{
  const struct
  {
    const char *text;
    gboolean    integer;
    gint64      int_value;
    double      double_value;
  } cases[] = {
    { "5", TRUE, 5, 0 },
    { "-0", TRUE, 0, 0 },
    { "9223372036854775807", TRUE, G_MAXINT64, 0 },
    { "9223372036854775808", TRUE, G_MININT64, 0 },
    { "100000000000000000000", TRUE, -1, 0 },
    { "1.5", FALSE, 0, 1.5 },
    { "1E2", FALSE, 0, 100.0 },
    { "-0.0", FALSE, 0, -0.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("[%s]", cases[i].text);
      g_autoptr(SpJsonTape) tape = read_text (text);
      g_autoptr(JsonNode) node = json_from_string (text, NULL);
      JsonNode *element = json_array_get_element (json_node_get_array (node), 0);
      gint64 int_value = 0;
      double double_value = 0;
      gboolean integer = sp_json_tape_number (tape, 1, &int_value, &double_value);

      g_assert_cmpint (integer, ==, cases[i].integer);
      /* As json-glib itself says. */
      g_assert_cmpint (integer, ==, json_node_get_value_type (element) == G_TYPE_INT64);
      if (integer)
        {
          g_assert_cmpint (int_value, ==, cases[i].int_value);
          g_assert_cmpint (int_value, ==, json_node_get_int (element));
        }
      else
        {
          g_assert_cmpfloat (double_value, ==, cases[i].double_value);
          g_assert_cmpfloat (double_value, ==, json_node_get_double (element));
        }
    }
}

/* Numbers equal by exact decimal value, as jsonb's numeric: the same
 * number however written, never two numbers a double or a gint64 would
 * confuse; equal numbers hash alike. */
static void
test_number_equal (void)
{
  const struct
  {
    const char *a;
    const char *b;
    gboolean    equal;
  } cases[] = {
    { "1", "1", TRUE },
    { "1", "1.0", TRUE },
    { "1.50", "1.5", TRUE },
    { "-0", "0", TRUE },
    { "-0.0", "0e5", TRUE },
    { "120", "1.2e2", TRUE },
    { "120", "1200E-1", TRUE },
    { "0.05", "5e-2", TRUE },
    { "0.05", "0.050", TRUE },
    { "100000000000000000000", "1e20", TRUE },
    { "100000000000000000000", "1.000000000000000000000E+20", TRUE },
    { "-2.5", "-25e-1", TRUE },
    { "19.99", "19.989999999999998", FALSE },
    { "0.1", "0.1000000000000000055511151231257827021181583404541015625", FALSE },
    { "100000000000000000000", "100000000000000000001", FALSE },
    { "9223372036854775808", "-9223372036854775808", FALSE },
    { "1", "-1", FALSE },
    { "1", "10", FALSE },
    { "10", "100", FALSE },
    { "0.5", "5", FALSE },
    { "1.01", "1.1", FALSE },
    { "0", "1e-400", FALSE },
    { "1e400", "1e401", FALSE },
    /* Exponents past what is counted: equal only when written the same. */
    { "1e100000000000000000", "1e100000000000000000", TRUE },
    { "1e100000000000000000", "1e100000000000000001", FALSE },
    { "1e100000000000000000", "10e99999999999999999", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *a = cases[i].a;
      const char *b = cases[i].b;
      g_autofree char *text = g_strdup_printf ("[%s, %s]", a, b);
      g_autoptr(SpJsonTape) tape = read_text (text);   /* numbers as JSON has them */

      if (sp_json_number_equal (a, strlen (a), b, strlen (b)) != cases[i].equal
          || sp_json_number_equal (b, strlen (b), a, strlen (a)) != cases[i].equal)
        g_error ("%s and %s: %s expected", a, b, cases[i].equal ? "equal" : "different");
      if (cases[i].equal)
        g_assert_cmpuint (sp_json_number_hash (a, strlen (a)), ==, sp_json_number_hash (b, strlen (b)));
      g_assert_cmpuint (tape->nodes[1].type, ==, SP_JSON_TAPE_NUMBER);
    }
}

/* What RFC 8259 refuses, and what the tape refuses beyond it. */
/* Every member's value as it was written: spaces, escapes and digits kept. */
static void
test_member_text (void)
{
  const char *text = "{ \"n\" : 100000000000000000000 , \"d\":19.99,\"x\": 1.10e0, \"s\": \"a\\u00e8\\\"b\","
                     " \"p\": \"plain\", \"t\": true, \"f\": false, \"z\": null,"
                     " \"o\": { \"k\": [1.0, {}] }, \"a\": [ ], \"\\u006b\": -0.0}";
  const struct { const char *key; const char *text; } members[] = {
    { "n", "100000000000000000000" }, { "d", "19.99" }, { "x", "1.10e0" }, { "s", "\"a\\u00e8\\\"b\"" },
    { "p", "\"plain\"" }, { "t", "true" }, { "f", "false" }, { "z", "null" },
    { "o", "{ \"k\": [1.0, {}] }" }, { "a", "[ ]" }, { "k", "-0.0" },
  };
  g_autoptr(SpJsonTape) tape = read_text (text);
  guint32 start, end;
  gsize len = 0;

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *found = sp_json_tape_member_text (tape, 0, members[i].key, &len);
      g_autofree char *copy = g_strndup (found, len);

      g_assert_nonnull (found);
      g_assert_cmpstr (copy, ==, members[i].text);
    }
  g_assert_null (sp_json_tape_member_text (tape, 0, "assente", &len));
  sp_json_tape_span (tape, 0, &start, &end);
  g_assert_cmpuint (start, ==, 0);
  g_assert_cmpuint (end, ==, strlen (text));
}

static void
test_refused (void)
{
  const char *texts[] = {
    "", " ", "{", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\": 1,}", "{1: 2}", "[01]", "[1.]", "[.5]", "[+1]",
    "[-]", "[1e]", "[tru]", "[nul]", "\"abc", "[\"a\tb\"]", "[\"\\x\"]", "[\"\\u12\"]", "[1] [2]", "'a'",
    /* Beyond RFC 8259: */
    "[\"\\u0000\"]", "[\"\\ud800\"]", "[\"\\ude00\"]", "[\"\\ud800\\u0041\"]", "[\"\xff\"]", "[\"\xc3\"]",
    "[\"\xc0\x80\"]", "[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]",
    "{\"a\": 1, \"a\": 2}", "{\"b\": 1, \"a\": 2, \"b\": 3}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SpJsonTape) tape = sp_json_tape_new (texts[i], strlen (texts[i]), 64, &error);

      if (tape != NULL)
        g_error ("read: %s", texts[i]);
      g_assert_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT);
    }
}

/* Nesting up to the limit given, not past it; strings of every length
 * around the eight and sixteen bytes read at a time. */
static void
test_limits (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SpJsonTape) at_limit = NULL;
  g_autoptr(SpJsonTape) past_limit = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append (deep, "[");
  for (guint i = 0; i < 100; i++)
    g_string_append (deep, "]");
  at_limit = sp_json_tape_new (deep->str, deep->len, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (at_limit->n_nodes, ==, 100);
  past_limit = sp_json_tape_new (deep->str, deep->len, 99, &error);
  g_assert_null (past_limit);
  g_assert_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT);

  for (guint len = 0; len < 40; len++)
    for (guint special = 0; special <= len; special++)
      {
        g_autoptr(GString) text = g_string_new ("\"");
        g_autoptr(SpJsonTape) tape = NULL;
        g_autofree char *read = NULL;

        for (guint i = 0; i < len; i++)
          g_string_append (text, i == special ? "é" : "a");
        g_string_append_c (text, '"');
        tape = read_text (text->str);
        read = node_text (tape, 0);
        g_assert_cmpuint (strlen (read), ==, text->len - 2);
        g_assert_cmpint (memcmp (read, text->str + 1, text->len - 2), ==, 0);
      }
}

/* Whatever the tape reads, RFC 8259 allows. */
static void
test_strict_agrees (void)
{
  const char *texts[] = {
    "{}", "[]", "0", "-1.5e-3", "\"x\"", "true", "{\"a\": [1, {\"b\": null}], \"c\": \"d\"}", " [ 1 , 2 ] ",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(SpJsonTape) tape = read_text (texts[i]);

      g_assert_true (sp_json_is_strict (texts[i], strlen (texts[i])));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/json-tape/nodes", test_nodes);
  g_test_add_func ("/sportello/json-tape/sorted", test_sorted);
  g_test_add_func ("/sportello/json-tape/strings", test_strings);
  g_test_add_func ("/sportello/json-tape/numbers", test_numbers);
  g_test_add_func ("/sportello/json-tape/number-equal", test_number_equal);
  g_test_add_func ("/sportello/json-tape/member-text", test_member_text);
  g_test_add_func ("/sportello/json-tape/refused", test_refused);
  g_test_add_func ("/sportello/json-tape/limits", test_limits);
  g_test_add_func ("/sportello/json-tape/strict-agrees", test_strict_agrees);

  return g_test_run ();
}
