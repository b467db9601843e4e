/* sp-version-compare-list.c: a comparison of two versions kept as a list: compact rows, made SpCompareField on demand (the PDF, the tests) */
#define G_LOG_DOMAIN "sp-version-compare"

#include "config.h"

#include <string.h>

#include "sp-version-compare-private.h"

/* A step of a path, entered once by the walk and shared by the fields
 * under it: a member (@key and @label, which may be %NULL) or an array
 * element (@index or, keyed, @key_member=@key; @position). Texts are
 * borrowed from the tapes and the schema, or kept in the list's @chunk. */
typedef struct
{
  const char *key;
  const char *label;
  const char *key_member;
  guint32     key_len;
  guint32     label_len;
  guint32     parent;
  guint32     index;
  guint32     position;
  gboolean    element;
} Step;

typedef struct
{
  guint32 step;
  guint32 old_value;
  guint32 new_value;
  guint32 change;
} Row;

struct _SpCompareList
{
  SpCompareSink     sink;
  const SpJsonTape *old_tape;
  const SpJsonTape *new_tape;
  Step             *steps;
  guint32           n_steps;
  guint32           steps_size;
  guint32           current;   /* the step the walk is in */
  Row              *rows;
  guint32           n_rows;
  guint32           rows_size;
  GStringChunk     *chunk;
};

static inline Step *
add_step (SpCompareList *self)
{
  Step *step;

  if (G_UNLIKELY (self->n_steps == self->steps_size))
    {
      self->steps_size = MAX (256, 2 * self->steps_size);
      self->steps = g_renew (Step, self->steps, self->steps_size);
    }
  step = &self->steps[self->n_steps];
  step->parent = self->current;
  self->current = self->n_steps++;
  return step;
}

static void
list_push_member (SpCompareSink       *sink,
                  const SpCompareText *key,
                  const SpCompareText *label)
{
  Step *step = add_step ((SpCompareList *) sink);

  *step = (Step) { key->text, label != NULL ? label->text : NULL, NULL, key->len, label != NULL ? label->len : 0,
                   step->parent, 0, 0, FALSE };
}

static void
list_push_element (SpCompareSink       *sink,
                   guint                index,
                   const char          *key_member,
                   const SpCompareText *key,
                   guint                position)
{
  SpCompareList *self = (SpCompareList *) sink;
  Step *step = add_step (self);

  /* A key written for the element (a number's) lasts only for the call. */
  *step = (Step) { key != NULL ? g_string_chunk_insert_len (self->chunk, key->text, key->len) : NULL, NULL,
                   key_member, key != NULL ? key->len : 0, 0, step->parent, index, position, TRUE };
}

static void
list_pop (SpCompareSink *sink)
{
  SpCompareList *self = (SpCompareList *) sink;

  self->current = self->steps[self->current].parent;
}

static void
list_field (SpCompareSink  *sink,
            SpCompareValue  old_value,
            SpCompareValue  new_value,
            SpChange        change)
{
  SpCompareList *self = (SpCompareList *) sink;

  if (G_UNLIKELY (self->n_rows == self->rows_size))
    {
      self->rows_size = MAX (256, 2 * self->rows_size);
      self->rows = g_renew (Row, self->rows, self->rows_size);
    }
  self->rows[self->n_rows++] = (Row) { self->current, old_value.node, new_value.node, change };
}

/**
 * sp_version_compare_list:
 * @old_tape: (nullable): the older version's snapshot, read
 * @new_tape: (nullable): the newer version's snapshot, read
 * @schema: the service's schema, for comparisons
 *
 * Compares as sp_version_compare() does, keeping each field as a row: its
 * path as the steps that lead to it (shared by the fields under a step),
 * its values as nodes of the tapes, its change. Nothing is copied: the
 * list borrows the tapes and the schema's strings, which must outlive it.
 *
 * Returns: (transfer full): the fields
 */
SpCompareList *
sp_version_compare_list (const SpJsonTape *old_tape,
                         const SpJsonTape *new_tape,
                         SpCompareSchema  *schema)
{
  SpCompareList *self = g_new0 (SpCompareList, 1);
  guint32 nodes = MAX (old_tape != NULL ? old_tape->n_nodes : 0, new_tape != NULL ? new_tape->n_nodes : 0);

  /* About a field for every other node (a key and its value), as many steps. */
  self->rows_size = self->steps_size = nodes / 2 + 64;
  self->rows = g_new (Row, self->rows_size);
  self->steps = g_new (Step, self->steps_size);
  self->sink = (SpCompareSink) { list_push_member, list_push_element, list_pop, list_field };
  self->old_tape = old_tape;
  self->new_tape = new_tape;
  self->current = G_MAXUINT32;
  self->chunk = g_string_chunk_new (256);
  sp_version_compare_walk (old_tape, new_tape, schema, &self->sink);
  return self;
}

void
sp_compare_list_free (SpCompareList *self)
{
  if (self == NULL)
    return;
  g_free (self->steps);
  g_free (self->rows);
  g_string_chunk_free (self->chunk);
  g_free (self);
}

guint
sp_compare_list_get_length (SpCompareList *self)
{
  return self->n_rows;
}

SpChange
sp_compare_list_get_change (SpCompareList *self,
                            guint          i)
{
  g_return_val_if_fail (i < self->n_rows, SP_CHANGE_UNCHANGED);

  return self->rows[i].change;
}

/* A leaf as json-glib would have read it; %NULL when missing. */
static JsonNode *
value_node (const SpJsonTape *tape,
            guint32           value)
{
  const SpJsonTapeNode *node;
  g_autofree char *text = NULL;
  gint64 i;
  double d;

  if (value == SP_JSON_TAPE_NONE)
    return NULL;
  node = &tape->nodes[value];
  switch ((SpJsonTapeType) node->type)
    {
    case SP_JSON_TAPE_STRING:
      text = g_strndup (sp_json_tape_text (tape, value), node->len);
      return json_node_init_string (json_node_alloc (), text);
    case SP_JSON_TAPE_NUMBER:
      if (sp_json_tape_number (tape, value, &i, &d))
        return json_node_init_int (json_node_alloc (), i);
      return json_node_init_double (json_node_alloc (), d);
    case SP_JSON_TAPE_TRUE:
    case SP_JSON_TAPE_FALSE:
      return json_node_init_boolean (json_node_alloc (), node->type == SP_JSON_TAPE_TRUE);
    case SP_JSON_TAPE_ARRAY:
      {
        g_autoptr(JsonArray) array = json_array_new ();   /* the node refs it */

        return json_node_init_array (json_node_alloc (), array);
      }
    case SP_JSON_TAPE_OBJECT:
      {
        g_autoptr(JsonObject) object = json_object_new ();

        return json_node_init_object (json_node_alloc (), object);
      }
    case SP_JSON_TAPE_NULL:
    default:
      return json_node_init_null (json_node_alloc ());
    }
}

/* The bytes a value's number takes in a field, its NUL too; 0 when the
 * value is not a number. */
static gsize
number_len (const SpJsonTape *tape,
            guint32           value)
{
  if (value == SP_JSON_TAPE_NONE || tape->nodes[value].type != SP_JSON_TAPE_NUMBER)
    return 0;
  return tape->nodes[value].len + 1;
}

/* Copies a number's text of @len bytes (number_len()) to *@chars, past it. */
static char *
copy_number (const SpJsonTape  *tape,
             guint32            value,
             char             **chars,
             gsize              len)
{
  char *number = *chars;

  if (len == 0)
    return NULL;
  memcpy (number, sp_json_tape_text (tape, value), len - 1);
  number[len - 1] = '\0';
  *chars += len;
  return number;
}

/**
 * sp_compare_list_dup_field:
 *
 * Returns: (transfer full): field @i with its path and labels written out,
 *   its values as json-glib nodes and its numbers as their texts
 */
SpCompareField *
sp_compare_list_dup_field (SpCompareList *self,
                           guint          i)
{
  const Row *row;
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GString) path = g_string_sized_new (128);
  g_autoptr(GString) labels = g_string_sized_new (128);   /* NUL between them */
  guint n_labels = 0;
  SpCompareField *field;
  gsize old_number_len, new_number_len;
  gsize head;
  char *chars;

  g_return_val_if_fail (i < self->n_rows, NULL);

  row = &self->rows[i];
  for (guint32 s = row->step; s != G_MAXUINT32; s = self->steps[s].parent)
    g_array_append_val (chain, s);
  for (guint j = chain->len; j-- > 0;)
    {
      const Step *step = &self->steps[g_array_index (chain, guint32, j)];

      if (!step->element)
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append_len (path, step->key, step->key_len);
          if (step->label != NULL)
            {
              if (n_labels++ > 0)
                g_string_append_c (labels, '\0');
              g_string_append_len (labels, step->label, step->label_len);
            }
          continue;
        }
      if (step->key_member != NULL)
        {
          g_string_append_printf (path, "[%s=", step->key_member);
          g_string_append_len (path, step->key, step->key_len);
          g_string_append_c (path, ']');
        }
      else
        g_string_append_printf (path, "[%u]", step->index);
      /* The array's label followed by the position, or the position alone. */
      if (n_labels == 0)
        n_labels = 1;
      else
        g_string_append_c (labels, ' ');
      g_string_append_printf (labels, "[%u]", step->position);
    }

  /* One allocation: the struct, the label pointers, then the path's and
   * the labels' characters, then the numbers' (each with its NUL). */
  old_number_len = number_len (self->old_tape, row->old_value);
  new_number_len = number_len (self->new_tape, row->new_value);
  head = sizeof (SpCompareField) + (n_labels + 1) * sizeof (char *);
  field = g_malloc (head + path->len + 1 + labels->len + 1 + old_number_len + new_number_len);
  chars = (char *) field + head;
  field->labels = (GStrv) ((char *) field + sizeof (SpCompareField));
  field->path = memcpy (chars, path->str, path->len + 1);
  chars += path->len + 1;
  memcpy (chars, labels->str, labels->len + 1);
  for (guint j = 0; j < n_labels; j++)
    {
      field->labels[j] = chars;
      chars += strlen (chars) + 1;
    }
  field->labels[n_labels] = NULL;
  field->old_number = copy_number (self->old_tape, row->old_value, &chars, old_number_len);
  field->new_number = copy_number (self->new_tape, row->new_value, &chars, new_number_len);
  field->old_value = value_node (self->old_tape, row->old_value);
  field->new_value = value_node (self->new_tape, row->new_value);
  field->change = row->change;
  return field;
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
 * Numbers compare by their exact decimal value, as jsonb's numeric does
 * (5 equals 5.0 and -0 equals 0; 19.99 is not 19.989999999999998, the
 * same double); a number never equals a string (5 and "5" are
 * changed). Values are read as json-glib reads them, and numbers are also
 * kept as the snapshot writes them (#SpCompareField.old_number).
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
  g_autoptr(SpJsonTape) old_tape = NULL;
  g_autoptr(SpJsonTape) new_tape = NULL;
  g_autoptr(SpCompareSchema) schema = NULL;
  g_autoptr(SpCompareList) list = NULL;
  GPtrArray *fields;

  if (!sp_version_compare_read (old_snapshot, old_len, &old_tape, error)
      || !sp_version_compare_read (new_snapshot, new_len, &new_tape, error))
    return NULL;
  schema = sp_compare_schema_new (field_schema);
  list = sp_version_compare_list (old_tape, new_tape, schema);
  fields = g_ptr_array_new_full (list->n_rows, (GDestroyNotify) sp_compare_field_free);
  for (guint i = 0; i < list->n_rows; i++)
    g_ptr_array_add (fields, sp_compare_list_dup_field (list, i));
  return fields;
}
