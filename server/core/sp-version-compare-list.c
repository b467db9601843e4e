/* sp-version-compare-fields.c: a comparison of two versions kept as a list of SpCompareField (for the PDF and the tests) */
#include "config.h"

#include <string.h>

#include "sp-version-compare-private.h"

/* The sink that keeps: the path and the labels where the walk is, the
 * labels one after the other with a NUL between them. */
typedef struct
{
  SpCompareSink  sink;
  GPtrArray     *fields;
  GString       *path;
  GString       *labels;
  guint          n_labels;
  GArray        *saved;    /* (path length, labels length, label count) at each step */
} FieldsSink;

static inline void
save (FieldsSink *self)
{
  gsize lengths[3] = { self->path->len, self->labels->len, self->n_labels };

  g_array_append_vals (self->saved, lengths, 3);
}

static void
fields_push_member (SpCompareSink       *sink,
                    const SpCompareText *key,
                    const SpCompareText *label)
{
  FieldsSink *self = (FieldsSink *) sink;

  save (self);
  if (self->path->len > 0)
    g_string_append_c (self->path, '.');
  g_string_append_len (self->path, key->text, key->len);
  if (label != NULL)
    {
      if (self->n_labels++ > 0)
        g_string_append_c (self->labels, '\0');
      g_string_append_len (self->labels, label->text, label->len);
    }
}

static void
fields_push_element (SpCompareSink       *sink,
                     guint                index,
                     const char          *key_member,
                     const SpCompareText *key,
                     guint                position)
{
  FieldsSink *self = (FieldsSink *) sink;

  save (self);
  if (key_member != NULL)
    {
      g_string_append_printf (self->path, "[%s=", key_member);
      g_string_append_len (self->path, key->text, key->len);
      g_string_append_c (self->path, ']');
    }
  else
    g_string_append_printf (self->path, "[%u]", index);
  if (self->n_labels == 0)
    self->n_labels = 1;
  else
    g_string_append_c (self->labels, ' ');
  g_string_append_printf (self->labels, "[%u]", position);
}

static void
fields_pop (SpCompareSink *sink)
{
  FieldsSink *self = (FieldsSink *) sink;
  gsize *lengths = &g_array_index (self->saved, gsize, self->saved->len - 3);

  g_string_truncate (self->path, lengths[0]);
  g_string_truncate (self->labels, lengths[1]);
  self->n_labels = lengths[2];
  g_array_set_size (self->saved, self->saved->len - 3);
}

/* A leaf as json-glib would have read it; %NULL when missing. */
static JsonNode *
value_node (SpCompareValue value)
{
  const SpJsonTapeNode *node;
  g_autofree char *text = NULL;
  gint64 i;
  double d;

  if (value.node == SP_JSON_TAPE_NONE)
    return NULL;
  node = &value.tape->nodes[value.node];
  switch ((SpJsonTapeType) node->type)
    {
    case SP_JSON_TAPE_STRING:
      text = g_strndup (sp_json_tape_text (value.tape, value.node), node->len);
      return json_node_init_string (json_node_alloc (), text);
    case SP_JSON_TAPE_NUMBER:
      if (sp_json_tape_number (value.tape, value.node, &i, &d))
        return json_node_init_int (json_node_alloc (), i);
      return json_node_init_double (json_node_alloc (), d);
    case SP_JSON_TAPE_TRUE:
    case SP_JSON_TAPE_FALSE:
      return json_node_init_boolean (json_node_alloc (), node->type == SP_JSON_TAPE_TRUE);
    case SP_JSON_TAPE_ARRAY:
      return json_node_init_array (json_node_alloc (), json_array_new ());
    case SP_JSON_TAPE_OBJECT:
      return json_node_init_object (json_node_alloc (), json_object_new ());
    case SP_JSON_TAPE_NULL:
    default:
      return json_node_init_null (json_node_alloc ());
    }
}

/* A field in one allocation: the struct, the label pointers, then the
 * path's and the labels' characters. */
static void
fields_field (SpCompareSink  *sink,
              SpCompareValue  old_value,
              SpCompareValue  new_value,
              SpChange        change)
{
  FieldsSink *self = (FieldsSink *) sink;
  guint n = self->n_labels;
  gsize head = sizeof (SpCompareField) + (n + 1) * sizeof (char *);
  SpCompareField *field = g_malloc (head + self->path->len + 1 + self->labels->len + 1);
  char *chars = (char *) field + head;

  field->labels = (GStrv) ((char *) field + sizeof (SpCompareField));
  field->path = memcpy (chars, self->path->str, self->path->len + 1);
  chars += self->path->len + 1;
  memcpy (chars, self->labels->str, self->labels->len + 1);
  for (guint i = 0; i < n; i++)
    {
      field->labels[i] = chars;
      chars += strlen (chars) + 1;
    }
  field->labels[n] = NULL;
  field->old_value = value_node (old_value);
  field->new_value = value_node (new_value);
  field->change = change;
  g_ptr_array_add (self->fields, field);
}

void
sp_compare_field_free (SpCompareField *field)
{
  if (field == NULL)
    return;
  g_clear_pointer (&field->old_value, json_node_unref);
  g_clear_pointer (&field->new_value, json_node_unref);
  g_free (field);
}

/**
 * sp_version_compare:
 * @old_snapshot: (nullable): the older version's snapshot, JSON text
 * @new_snapshot: (nullable): the newer version's snapshot, JSON text
 * @field_schema: (nullable): the service's `fields`
 *
 * Lists every field of either snapshot, unchanged ones too: the form data in
 * the schema's order, then the data members the schema does not know (in the
 * older version's order, then those only in the newer), then the metadata
 * (status, assignee, protocol, outcome, motivation, documents).
 *
 * Filled objects and arrays are walked into; their leaves are scalars, or an
 * empty object or array. Array elements are compared by position, except in
 * a schema field of `type: "list"` with an `item_key`, whose elements
 * (objects) are matched on that member, as documents are on their `id`; such an element's
 * path reads `[key=value]`. A list falls back to positions when an element
 * lacks a scalar key or two elements share one.
 *
 * Numbers compare by value across integer and floating point (5 equals 5.0);
 * a number never equals a string (5 and "5" are changed). Values are read
 * as json-glib reads them.
 *
 * The snapshots are read strictly (sp_json_tape_new()): PostgreSQL's jsonb
 * text always is. Metadata labels are in the calling thread's language
 * (sp_locale_push()).
 *
 * Returns: (transfer full) (element-type SpCompareField): the fields, or
 *   %NULL with %SP_ERROR_INTERNAL when a snapshot is not a JSON object
 */
GPtrArray *
sp_version_compare (const char  *old_snapshot,
                    gsize        old_len,
                    const char  *new_snapshot,
                    gsize        new_len,
                    JsonArray   *field_schema,
                    GError     **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_full (256, (GDestroyNotify) sp_compare_field_free);
  g_autoptr(GString) path = g_string_sized_new (128);
  g_autoptr(GString) labels = g_string_sized_new (128);
  g_autoptr(GArray) saved = g_array_sized_new (FALSE, FALSE, sizeof (gsize), 96);
  FieldsSink self = {
    { fields_push_member, fields_push_element, fields_pop, fields_field },
    fields, path, labels, 0, saved,
  };

  if (!sp_version_compare_walk (old_snapshot, old_len, new_snapshot, new_len, field_schema, &self.sink, error))
    return NULL;
  return g_steal_pointer (&fields);
}
