/* sp-version-compare-json.c: a comparison of two versions as JSON, written straight to text as the walk goes, or with a JsonBuilder */
#define G_LOG_DOMAIN "sp-version-compare"

#include "config.h"

#include <string.h>

#include "sp-version-compare-private.h"

static void
add_value (JsonBuilder *builder,
           JsonNode    *value)
{
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_value (builder, json_node_ref (value));
}

/**
 * sp_version_compare_to_json:
 * @fields: (element-type SpCompareField): from sp_version_compare()
 *
 * Writes an array of `{path, labels, old, new, change}`; `old` and `new` are
 * the JSON values, `null` when missing. sp_version_compare_append_json()
 * writes the same directly, but for numbers, which it copies as the
 * snapshots write them: here they are what json-glib holds (a gint64,
 * wrapped past 64 bits, or a double).
 */
void
sp_version_compare_to_json (GPtrArray   *fields,
                            JsonBuilder *builder)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < fields->len; i++)
    {
      const SpCompareField *field = g_ptr_array_index (fields, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, field->path);
      json_builder_set_member_name (builder, "labels");
      json_builder_begin_array (builder);
      for (guint j = 0; field->labels[j] != NULL; j++)
        json_builder_add_string_value (builder, field->labels[j]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "old");
      add_value (builder, field->old_value);
      json_builder_set_member_name (builder, "new");
      add_value (builder, field->new_value);
      json_builder_set_member_name (builder, "change");
      json_builder_add_string_value (builder, sp_change_to_string (field->change));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* The inside of a JSON string: `"`, `\\` and control characters escaped,
 * UTF-8 as it is. */
static void
append_escaped (GString    *out,
                const char *text,
                gsize       len)
{
  const char *run = text;
  const char *end = text + len;

  for (const char *p = text; p < end; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      sp_compare_append (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':
          sp_compare_append_literal (out, "\\\"");
          break;
        case '\\':
          sp_compare_append_literal (out, "\\\\");
          break;
        case '\n':
          sp_compare_append_literal (out, "\\n");
          break;
        case '\r':
          sp_compare_append_literal (out, "\\r");
          break;
        case '\t':
          sp_compare_append_literal (out, "\\t");
          break;
        default:
          g_string_append_printf (out, "\\u%04x", c);
          break;
        }
    }
  sp_compare_append (out, run, end - run);
}

static inline void
append_text (GString             *out,
             const SpCompareText *text)
{
  if (text->plain)
    sp_compare_append (out, text->text, text->len);
  else
    append_escaped (out, text->text, text->len);
}

static void
append_uint (GString *out,
             guint64  value)
{
  char digits[24];
  guint n = 0;

  do
    digits[n++] = '0' + value % 10;
  while ((value /= 10) > 0);
  while (n > 0)
    sp_compare_append_c (out, digits[--n]);
}

static void
append_value (GString        *out,
              SpCompareValue  value)
{
  const SpJsonTapeNode *node;

  if (value.node == SP_JSON_TAPE_NONE)
    {
      sp_compare_append_literal (out, "null");
      return;
    }
  node = &value.tape->nodes[value.node];
  switch ((SpJsonTapeType) node->type)
    {
    case SP_JSON_TAPE_STRING:
      sp_compare_append_c (out, '"');
      if (node->flags & SP_JSON_TAPE_DECODED)
        append_escaped (out, sp_json_tape_text (value.tape, value.node), node->len);
      else
        sp_compare_append (out, sp_json_tape_text (value.tape, value.node), node->len);
      sp_compare_append_c (out, '"');
      break;
    case SP_JSON_TAPE_NUMBER:
      /* As the snapshot writes it, which is JSON: 19.99, 100000000000000000000. */
      sp_compare_append (out, sp_json_tape_text (value.tape, value.node), node->len);
      break;
    case SP_JSON_TAPE_TRUE:
      sp_compare_append_literal (out, "true");
      break;
    case SP_JSON_TAPE_FALSE:
      sp_compare_append_literal (out, "false");
      break;
    case SP_JSON_TAPE_ARRAY:
      sp_compare_append_literal (out, "[]");   /* a leaf: empty */
      break;
    case SP_JSON_TAPE_OBJECT:
      sp_compare_append_literal (out, "{}");
      break;
    case SP_JSON_TAPE_NULL:
    default:
      sp_compare_append_literal (out, "null");
      break;
    }
}

/* The sink that writes: the path and the labels where the walk is, kept
 * escaped, the last label without its closing quote (an element's label
 * adds to it). */
typedef struct
{
  SpCompareSink  sink;
  GString       *out;
  GString       *path;
  GString       *labels;
  gsize         *saved;    /* (path length, labels length) at each step */
  guint          n_saved;
  guint          saved_size;
  gboolean       first;
} JsonSink;

static inline void
save (JsonSink *self)
{
  if (G_UNLIKELY (self->n_saved + 2 > self->saved_size))
    {
      self->saved_size = MAX (64, 2 * self->saved_size);
      self->saved = g_renew (gsize, self->saved, self->saved_size);
    }
  self->saved[self->n_saved++] = self->path->len;
  self->saved[self->n_saved++] = self->labels->len;
}

static void
json_push_member (SpCompareSink       *sink,
                  const SpCompareText *key,
                  const SpCompareText *label)
{
  JsonSink *self = (JsonSink *) sink;

  save (self);
  if (self->path->len > 0)
    sp_compare_append_c (self->path, '.');
  append_text (self->path, key);
  if (label != NULL)
    {
      if (self->labels->len > 0)
        sp_compare_append_literal (self->labels, "\",\"");
      else
        sp_compare_append_c (self->labels, '"');
      append_text (self->labels, label);
    }
}

static void
json_push_element (SpCompareSink       *sink,
                   guint                index,
                   const char          *key_member,
                   const SpCompareText *key,
                   guint                position)
{
  JsonSink *self = (JsonSink *) sink;

  save (self);
  sp_compare_append_c (self->path, '[');
  if (key_member != NULL)
    {
      append_escaped (self->path, key_member, strlen (key_member));
      sp_compare_append_c (self->path, '=');
      append_text (self->path, key);
    }
  else
    append_uint (self->path, index);
  sp_compare_append_c (self->path, ']');

  if (self->labels->len > 0)
    sp_compare_append_literal (self->labels, " [");
  else
    sp_compare_append_literal (self->labels, "\"[");
  append_uint (self->labels, position);
  sp_compare_append_c (self->labels, ']');
}

static void
json_pop (SpCompareSink *sink)
{
  JsonSink *self = (JsonSink *) sink;

  self->n_saved -= 2;
  g_string_truncate (self->path, self->saved[self->n_saved]);
  g_string_truncate (self->labels, self->saved[self->n_saved + 1]);
}

/* What ends a field, by change. */
static const struct
{
  const char *text;
  gsize       len;
} endings[] = {
#define ENDING(change) { ",\"change\":\"" change "\"}", sizeof (",\"change\":\"" change "\"}") - 1 }
  [SP_CHANGE_UNCHANGED] = ENDING ("unchanged"),
  [SP_CHANGE_ADDED] = ENDING ("added"),
  [SP_CHANGE_CHANGED] = ENDING ("changed"),
  [SP_CHANGE_REMOVED] = ENDING ("removed"),
#undef ENDING
};

static void
json_field (SpCompareSink  *sink,
            SpCompareValue  old_value,
            SpCompareValue  new_value,
            SpChange        change)
{
  JsonSink *self = (JsonSink *) sink;
  GString *out = self->out;

  if (self->first)
    sp_compare_append_literal (out, "{\"path\":\"");
  else
    sp_compare_append_literal (out, ",{\"path\":\"");
  self->first = FALSE;
  sp_compare_append (out, self->path->str, self->path->len);
  sp_compare_append_literal (out, "\",\"labels\":[");
  if (self->labels->len > 0)
    {
      sp_compare_append (out, self->labels->str, self->labels->len);
      sp_compare_append_c (out, '"');
    }
  sp_compare_append_literal (out, "],\"old\":");
  append_value (out, old_value);
  sp_compare_append_literal (out, ",\"new\":");
  append_value (out, new_value);
  sp_compare_append (out, endings[change].text, endings[change].len);
}

/**
 * sp_version_compare_append_json:
 * @old_snapshot: (nullable): the older version's snapshot, JSON text
 * @new_snapshot: (nullable): the newer version's snapshot, JSON text
 * @field_schema: (nullable): the service's `fields`
 * @out: where to append
 *
 * Compares as sp_version_compare() does and appends the JSON text that
 * sp_version_compare_to_json() builds from its fields, written as the walk
 * finds them: strings and numbers are copied from the snapshots' text, so
 * that every number reads exactly as it is stored (`19.99`, not the
 * double's `19.989999999999998`; `100000000000000000000`, not a gint64).
 *
 * Returns: %FALSE with %SP_ERROR_INTERNAL when a snapshot is not a JSON
 *   object, having appended nothing
 */
gboolean
sp_version_compare_append_json (const char  *old_snapshot,
                                gsize        old_len,
                                const char  *new_snapshot,
                                gsize        new_len,
                                JsonArray   *field_schema,
                                GString     *out,
                                GError     **error)
{
  g_autoptr(GString) path = g_string_sized_new (256);
  g_autoptr(GString) labels = g_string_sized_new (256);
  JsonSink self = {
    { json_push_member, json_push_element, json_pop, json_field },
    out, path, labels, NULL, 0, 0, TRUE,
  };
  g_autoptr(SpJsonTape) old_tape = NULL;
  g_autoptr(SpJsonTape) new_tape = NULL;
  g_autoptr(SpCompareSchema) schema = NULL;
  gsize start = out->len;

  if (!sp_version_compare_read (old_snapshot, old_len, &old_tape, error)
      || !sp_version_compare_read (new_snapshot, new_len, &new_tape, error))
    return FALSE;
  /* Room for what is written, once: about three bytes for each compared
   * (paths and labels repeat for every field). */
  g_string_set_size (out, start + 3 * (old_len + new_len));
  g_string_truncate (out, start);
  sp_compare_append_c (out, '[');
  schema = sp_compare_schema_new (field_schema);
  sp_version_compare_walk (old_tape, new_tape, schema, &self.sink);
  g_free (self.saved);
  sp_compare_append_c (out, ']');
  return TRUE;
}
