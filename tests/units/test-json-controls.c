/* test-json-controls.c: every control character written by the server's JSON comes back through the strict parser */
#define G_LOG_DOMAIN "test-json-controls"

#include "config.h"

#include "sp-dashboard.h"
#include "sp-json.h"

/* A string member with @c inside, as an applicant's name or a form value
 * stored from a partner's "\u00XX" escape would carry it. */
static void
test_round_trip (void)
{
  for (guint c = 1; c < 0x80; c++)
    {
      g_autofree char *value = g_strdup_printf ("a%cb", (char) c);
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(JsonNode) parsed = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      g_autofree char *canonical = NULL;
      gsize length;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "nome");
      json_builder_add_string_value (builder, value);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);

      text = sp_json_to_string (root, &length);
      g_assert_cmpuint (length, ==, strlen (text));
      parsed = sp_json_parse (text, length, &error);
      if (parsed == NULL)
        g_test_message ("U+%04X: %s", c, error->message);
      g_assert_no_error (error);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (parsed), "nome"), ==, value);

      /* JSON allows no raw control character inside a string. */
      canonical = sp_json_canonicalize (root);
      for (const char *p = canonical; *p != '\0'; p++)
        g_assert_cmpuint ((guchar) *p, >=, 0x20);
    }
}

/* The dashboard's cursor carries the last row's values: it must decode again. */
static void
test_cursor (void)
{
  for (guint c = 1; c < 0x20; c++)
    {
      g_autofree char *value = g_strdup_printf ("Rossi%c", (char) c);
      const char *values[] = { value, "Mario", "3f2a1c5e-0000-4000-8000-000000000001", NULL };
      g_autofree char *cursor = sp_cursor_encode (SP_SORT_APPLICANT, FALSE, values);
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) decoded = sp_cursor_decode (cursor, SP_SORT_APPLICANT, FALSE, &error);

      g_assert_no_error (error);
      g_assert_cmpstrv (decoded, values);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sportello/json/control-characters", test_round_trip);
  g_test_add_func ("/sportello/json/control-characters-in-cursors", test_cursor);
  return g_test_run ();
}
