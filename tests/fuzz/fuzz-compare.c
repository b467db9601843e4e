/* fuzz-compare.c: fuzz target for the comparison of two snapshots read from their text (sp-json-tape.c, sp-version-compare*.c) */
#define G_LOG_DOMAIN "fuzz"

#include "config.h"

#include <string.h>

#include "sp-fuzz-replay.h"
#include "sp-json.h"
#include "sp-version-compare.h"

/* The schema the corpus's snapshots use: a group, a keyed list, a list. */
static const char schema_text[] =
  "[{\"key\": \"a\", \"label\": \"A \\\"quoted\\\"\", \"type\": \"group\", \"fields\": [{\"key\": \"b\", \"label\": \"B\"}]},"
  " {\"key\": \"l\", \"label\": \"L\", \"type\": \"list\", \"item_key\": \"k\", \"fields\": [{\"key\": \"k\", \"label\": \"K\"}]},"
  " {\"key\": \"p\", \"label\": \"P\", \"type\": \"list\", \"fields\": [{\"key\": \"x\", \"label\": \"X\"}]}]";

/* Input: the older snapshot, a newline, the newer. Whatever they are, the
 * comparison fails cleanly or writes strict JSON (numbers copied as
 * written, 1e400 too), and its two writers agree on the fields. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static JsonNode *schema;
  const char *text = (const char *) data;
  const char *split = memchr (text, '\n', size);
  gsize old_len = split != NULL ? (gsize) (split - text) : size;
  const char *new_text = split != NULL ? split + 1 : text;
  gsize new_len = split != NULL ? size - old_len - 1 : size;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GError) error = NULL;
  gboolean written;

  if (schema == NULL)
    schema = sp_json_parse (schema_text, strlen (schema_text), NULL);
  written = sp_version_compare_append_json (text, old_len, new_text, new_len, json_node_get_array (schema), out,
                                            &error);
  fields = sp_version_compare (text, old_len, new_text, new_len, json_node_get_array (schema), NULL);
  g_assert_true (written == (fields != NULL));
  if (written)
    {
      g_autoptr(JsonNode) parsed = sp_json_parse (out->str, out->len, NULL);

      g_assert_nonnull (parsed);
      g_assert_true (sp_json_is_strict (out->str, out->len));
      g_assert_cmpuint (json_array_get_length (json_node_get_array (parsed)), ==, fields->len);
    }
  return 0;
}
