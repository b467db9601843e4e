/* fuzz-cursor.c: fuzz target for the dashboard's keyset cursors: decoding, and encoding back and forth */
#define G_LOG_DOMAIN "fuzz"

#include "config.h"

#include "sp-dashboard.h"
#include "sp-error.h"
#include "sp-fuzz-replay.h"

static void
assert_strv_equal (char **a,
                   char **b)
{
  g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
  for (guint i = 0; a[i] != NULL; i++)
    g_assert_cmpstr (a[i], ==, b[i]);
}

/* A cursor from a client: rejected, or decoded to the values of its order,
 * which encode to a cursor decoding to the same values. */
static void
check_decode (const char *text)
{
  for (guint key = 0; key < SP_N_SORT_KEYS; key++)
    for (guint descending = 0; descending < 2; descending++)
      {
        g_autoptr(GError) error = NULL;
        g_auto(GStrv) values = sp_cursor_decode (text, key, descending, &error);
        g_autofree char *again = NULL;
        g_auto(GStrv) decoded = NULL;

        if (values == NULL)
          {
            g_assert_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT);
            continue;
          }
        g_assert_no_error (error);
        g_assert_cmpuint (g_strv_length (values), ==, sp_sort_key_n_values (key) + 1);
        again = sp_cursor_encode (key, descending, (const char * const *) values);
        decoded = sp_cursor_decode (again, key, descending, NULL);
        g_assert_nonnull (decoded);
        assert_strv_equal (values, decoded);
        /* A cursor continues its own order only. */
        g_assert_null (sp_cursor_decode (again, key, !descending, NULL));
      }
}

/* Lines of the input as the sort values and id of a row: the cursor the
 * server would give must come back as the same values. */
static void
check_round_trip (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_auto(GStrv) lines = g_strsplit (valid, "\n", 4);
  guint n_lines = g_strv_length (lines);

  for (guint key = 0; key < SP_N_SORT_KEYS; key++)
    {
      guint n_values = sp_sort_key_n_values (key) + 1;
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) values = NULL;
      g_autofree char *cursor = NULL;
      g_auto(GStrv) decoded = NULL;
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < n_values; i++)
        g_strv_builder_add (builder, i < n_lines ? lines[i] : "");
      values = g_strv_builder_end (builder);
      cursor = sp_cursor_encode (key, key % 2, (const char * const *) values);
      g_assert_cmpuint (strspn (cursor, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
                        ==, strlen (cursor));
      decoded = sp_cursor_decode (cursor, key, key % 2, &error);
      /* Cursors over 4096 bytes are refused, even the server's own. */
      if (strlen (cursor) > 4096)
        {
          g_assert_null (decoded);
          continue;
        }
      g_assert_no_error (error);
      assert_strv_equal (values, decoded);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);

  check_decode (text);
  check_round_trip (text);
  return 0;
}
