/* sp-version-compare.c: two versions of a pratica compared field by field, with the schema's labels */
#define G_LOG_DOMAIN "sp-version-compare"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sp-json.h"
#include "sp-version-compare.h"

/* What the comparison knows of a snapshot's shape: the service's field schema
 * for the form data and a fixed description of the metadata. Strings are
 * borrowed from the schema or from the message catalog for one comparison. */
typedef enum
{
  SPEC_LEAF,
  SPEC_GROUP,
  SPEC_LIST,
} SpecKind;

typedef struct _Spec Spec;

struct _Spec
{
  SpecKind    kind;
  const char *key;
  const char *label;     /* NULL: the step has no label of its own (`data`) */
  const char *item_key;  /* LIST: the member that identifies an element */
  Spec       *item;      /* LIST: the members of an element, as a GROUP */
  GPtrArray  *children;  /* GROUP: Spec, in the schema's order */
  GHashTable *by_key;    /* GROUP: key → Spec */
};

/* The metadata of a snapshot (server/sql/0005_version_chain.sql), in the
 * order the compare view lists them; @depth nests a row in the row before
 * it of lower depth (a GROUP's member, or a LIST element's member). */
typedef struct
{
  const char *key;
  const char *label;
  guint       depth;
  SpecKind    kind;
  const char *item_key;
} MetaField;

static const MetaField meta_fields[] = {
  { "status", NC_ ("version field", "Status"), 0, SPEC_LEAF, NULL },
  { "assigned_to", NC_ ("version field", "Assigned to"), 0, SPEC_LEAF, NULL },
  { "protocol", NC_ ("version field", "Protocol"), 0, SPEC_GROUP, NULL },
  { "number", NC_ ("version field", "Number"), 1, SPEC_LEAF, NULL },
  { "date", NC_ ("version field", "Date"), 1, SPEC_LEAF, NULL },
  { "entries", NC_ ("version field", "Entries"), 1, SPEC_LIST, NULL },
  { "outcome", NC_ ("version field", "Outcome"), 0, SPEC_LEAF, NULL },
  { "motivation", NC_ ("version field", "Motivation"), 0, SPEC_LEAF, NULL },
  { "documents", NC_ ("version field", "Documents"), 0, SPEC_LIST, "id" },
  { "id", NC_ ("version field", "Identifier"), 1, SPEC_LEAF, NULL },
  { "kind", NC_ ("version field", "Type"), 1, SPEC_LEAF, NULL },
  { "filename", NC_ ("version field", "File name"), 1, SPEC_LEAF, NULL },
  { "sha256", NC_ ("version field", "SHA-256"), 1, SPEC_LEAF, NULL },
};

static Spec *
spec_new (SpecKind    kind,
          const char *key,
          const char *label)
{
  Spec *spec = g_new0 (Spec, 1);

  spec->kind = kind;
  spec->key = key;
  spec->label = label;
  return spec;
}

static void
spec_free (Spec *spec)
{
  if (spec == NULL)
    return;
  g_clear_pointer (&spec->item, spec_free);
  g_clear_pointer (&spec->children, g_ptr_array_unref);
  g_clear_pointer (&spec->by_key, g_hash_table_unref);
  g_free (spec);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Spec, spec_free)

/* Adds @child to the members of @group; a key already there keeps its first description. */
static void
spec_add (Spec *group,
          Spec *child)
{
  if (group->children == NULL)
    {
      group->children = g_ptr_array_new_with_free_func ((GDestroyNotify) spec_free);
      group->by_key = g_hash_table_new (g_str_hash, g_str_equal);
    }
  if (g_hash_table_contains (group->by_key, child->key))
    {
      spec_free (child);
      return;
    }
  g_ptr_array_add (group->children, child);
  g_hash_table_insert (group->by_key, (gpointer) child->key, child);
}

static const Spec *
spec_member (const Spec *group,
             const char *key)
{
  if (group == NULL || group->by_key == NULL)
    return NULL;
  return g_hash_table_lookup (group->by_key, key);
}

static JsonArray *
get_array_member (JsonObject *object,
                  const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The schema's fields (`{key, label, type, fields, item_key}`) as members of
 * @group: `group` nests its `fields`; `list` describes an array whose elements
 * hold its `fields`, matched between versions on the member named by
 * `item_key` (not `key`, which names the field itself). */
static void
spec_add_schema (Spec      *group,
                 JsonArray *fields)
{
  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    {
      JsonNode *node = json_array_get_element (fields, i);
      JsonObject *field;
      const char *key;
      const char *type;
      Spec *child;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      field = json_node_get_object (node);
      key = sp_json_get_string (field, "key", NULL);
      if (key == NULL)
        continue;
      type = sp_json_get_string (field, "type", "text");
      if (g_str_equal (type, "group"))
        child = spec_new (SPEC_GROUP, key, sp_json_get_string (field, "label", key));
      else if (g_str_equal (type, "list"))
        child = spec_new (SPEC_LIST, key, sp_json_get_string (field, "label", key));
      else
        child = spec_new (SPEC_LEAF, key, sp_json_get_string (field, "label", key));

      if (child->kind == SPEC_GROUP)
        spec_add_schema (child, get_array_member (field, "fields"));
      else if (child->kind == SPEC_LIST)
        {
          JsonArray *item_fields = get_array_member (field, "fields");

          child->item_key = sp_json_get_string (field, "item_key", NULL);
          if (item_fields != NULL)
            {
              child->item = spec_new (SPEC_GROUP, NULL, NULL);
              spec_add_schema (child->item, item_fields);
            }
          else
            child->item_key = NULL;
        }
      spec_add (group, child);
    }
}

/* The whole snapshot: the form data (no label of its own: its fields carry
 * the schema's), then the metadata with labels in the caller's language. */
static Spec *
spec_new_snapshot (JsonArray *field_schema)
{
  Spec *root = spec_new (SPEC_GROUP, NULL, NULL);
  Spec *data = spec_new (SPEC_GROUP, "data", NULL);
  Spec *parents[2] = { root, NULL };

  spec_add_schema (data, field_schema);
  spec_add (root, data);
  for (guint i = 0; i < G_N_ELEMENTS (meta_fields); i++)
    {
      const MetaField *meta = &meta_fields[i];
      Spec *spec = spec_new (meta->kind, meta->key,
                             g_dpgettext2 (GETTEXT_PACKAGE, "version field", meta->label));
      Spec *parent = parents[meta->depth];

      spec->item_key = meta->item_key;
      if (parent->kind == SPEC_LIST)
        {
          if (parent->item == NULL)
            parent->item = spec_new (SPEC_GROUP, NULL, NULL);
          parent = parent->item;
        }
      spec_add (parent, spec);
      if (meta->depth == 0)
        parents[1] = spec;
    }
  return root;
}

/* The walk: the path and labels of where it is, and the fields found so far. */
typedef struct
{
  const char *text;
  gsize       len;
  char       *owned;
} Label;

typedef struct
{
  GPtrArray *fields;
  GString   *path;
  GArray    *labels;
} Walk;

typedef struct
{
  gsize    path_len;
  guint    labels_len;
  gboolean replaced;
  Label    saved;
} Step;

static void
push_label (Walk       *walk,
            const char *text,
            char       *owned)
{
  Label label = { text, strlen (text), owned };

  g_array_append_val (walk->labels, label);
}

static Step
push_member (Walk       *walk,
             const char *key,
             const char *label)
{
  Step step = { walk->path->len, walk->labels->len, FALSE, { NULL, 0, NULL } };

  if (walk->path->len > 0)
    g_string_append_c (walk->path, '.');
  g_string_append (walk->path, key);
  if (label != NULL)
    push_label (walk, label, NULL);
  return step;
}

static void
append_uint (GString *string,
             guint    value)
{
  char digits[16];
  guint n = 0;

  do
    digits[n++] = '0' + value % 10;
  while ((value /= 10) > 0);
  while (n > 0)
    g_string_append_c (string, digits[--n]);
}

/* An array element: `[index]` in the path (or `[member=key]` for a keyed
 * array), and the array's label followed by the 1-based `[position]`. */
static Step
push_element (Walk       *walk,
              guint       index,
              const char *key_member,
              const char *key,
              guint       position)
{
  Step step = { walk->path->len, walk->labels->len, FALSE, { NULL, 0, NULL } };
  GString *text = g_string_sized_new (32);

  g_string_append_c (walk->path, '[');
  if (key_member != NULL)
    {
      g_string_append (walk->path, key_member);
      g_string_append_c (walk->path, '=');
      g_string_append (walk->path, key);
    }
  else
    append_uint (walk->path, index);
  g_string_append_c (walk->path, ']');

  if (walk->labels->len > 0)
    {
      Label *top = &g_array_index (walk->labels, Label, walk->labels->len - 1);

      step.saved = *top;
      step.replaced = TRUE;
      g_string_append_len (text, top->text, top->len);
      g_string_append_c (text, ' ');
      g_array_set_size (walk->labels, walk->labels->len - 1);
    }
  g_string_append_c (text, '[');
  append_uint (text, position);
  g_string_append_c (text, ']');
  push_label (walk, text->str, text->str);
  g_string_free (text, FALSE);
  return step;
}

static void
pop (Walk       *walk,
     const Step *step)
{
  g_string_truncate (walk->path, step->path_len);
  for (guint i = step->labels_len; i < walk->labels->len; i++)
    g_free (g_array_index (walk->labels, Label, i).owned);
  g_array_set_size (walk->labels, step->labels_len);
  if (step->replaced)
    g_array_index (walk->labels, Label, step->labels_len - 1) = step->saved;
}

/* Emptiness and equality of leaves. */
static gboolean
is_empty (JsonNode *node)
{
  if (node == NULL)
    return TRUE;
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_OBJECT:
      return json_object_get_size (json_node_get_object (node)) == 0;
    case JSON_NODE_ARRAY:
      return json_array_get_length (json_node_get_array (node)) == 0;
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) == G_TYPE_STRING && *json_node_get_string (node) == '\0';
    default:
      return FALSE;
    }
}

static gboolean
is_filled_container (JsonNode *node)
{
  return node != NULL && (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node)) && !is_empty (node);
}

/* An integer and a double are equal when they are the same number exactly
 * (5 and 5.0; not 2^53 + 1 and 2^53). */
static gboolean
int_equals_double (gint64 i,
                   double d)
{
  return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && (gint64) d == i && (double) (gint64) d == d;
}

/* Two scalars: the same JSON type (a number and a string never match) and value. */
static gboolean
scalar_equal (JsonNode *a,
              JsonNode *b)
{
  GType ta, tb;

  if (!JSON_NODE_HOLDS_VALUE (a) || !JSON_NODE_HOLDS_VALUE (b))
    return JSON_NODE_TYPE (a) == JSON_NODE_TYPE (b) && is_empty (a) && is_empty (b);
  ta = json_node_get_value_type (a);
  tb = json_node_get_value_type (b);
  if (ta == G_TYPE_STRING && tb == G_TYPE_STRING)
    return strcmp (json_node_get_string (a), json_node_get_string (b)) == 0;
  if (ta == G_TYPE_BOOLEAN && tb == G_TYPE_BOOLEAN)
    return !json_node_get_boolean (a) == !json_node_get_boolean (b);
  if (ta == G_TYPE_INT64 && tb == G_TYPE_INT64)
    return json_node_get_int (a) == json_node_get_int (b);
  if (ta == G_TYPE_DOUBLE && tb == G_TYPE_DOUBLE)
    return json_node_get_double (a) == json_node_get_double (b);
  if (ta == G_TYPE_INT64 && tb == G_TYPE_DOUBLE)
    return int_equals_double (json_node_get_int (a), json_node_get_double (b));
  if (ta == G_TYPE_DOUBLE && tb == G_TYPE_INT64)
    return int_equals_double (json_node_get_int (b), json_node_get_double (a));
  return FALSE;
}

static SpChange
classify (JsonNode *old_value,
          JsonNode *new_value)
{
  gboolean old_empty = is_empty (old_value);
  gboolean new_empty = is_empty (new_value);

  if (old_empty && new_empty)
    return SP_CHANGE_UNCHANGED;
  if (old_empty)
    return SP_CHANGE_ADDED;
  if (new_empty)
    return SP_CHANGE_REMOVED;
  return scalar_equal (old_value, new_value) ? SP_CHANGE_UNCHANGED : SP_CHANGE_CHANGED;
}

/* One field, in one allocation: the struct, the label pointers, then the
 * path's and the labels' characters. */
static void
emit (Walk     *walk,
      JsonNode *old_value,
      JsonNode *new_value)
{
  guint n = walk->labels->len;
  gsize head = sizeof (SpCompareField) + (n + 1) * sizeof (char *);
  gsize size = head + walk->path->len + 1;
  SpCompareField *field;
  char *chars;

  for (guint i = 0; i < n; i++)
    size += g_array_index (walk->labels, Label, i).len + 1;

  field = g_malloc (size);
  field->labels = (GStrv) ((char *) field + sizeof (SpCompareField));
  chars = (char *) field + head;
  field->path = memcpy (chars, walk->path->str, walk->path->len + 1);
  chars += walk->path->len + 1;
  for (guint i = 0; i < n; i++)
    {
      const Label *label = &g_array_index (walk->labels, Label, i);

      field->labels[i] = memcpy (chars, label->text, label->len);
      chars[label->len] = '\0';
      chars += label->len + 1;
    }
  field->labels[n] = NULL;
  field->old_value = old_value != NULL ? json_node_ref (old_value) : NULL;
  field->new_value = new_value != NULL ? json_node_ref (new_value) : NULL;
  field->change = classify (old_value, new_value);
  g_ptr_array_add (walk->fields, field);
}

static void compare_node (Walk       *walk,
                          const Spec *spec,
                          JsonNode   *old_node,
                          JsonNode   *new_node);

/* Members of either object: the schema's first, in its order; then the
 * others, in the older version's order, then those only in the newer. */
typedef struct
{
  Walk       *walk;
  const Spec *spec;
  JsonObject *other;
  gboolean    is_old;
} MemberPass;

static void
compare_unknown_member_cb (JsonObject *object,
                           const char *name,
                           JsonNode   *node,
                           gpointer    user_data)
{
  MemberPass *pass = user_data;
  JsonNode *other = pass->other != NULL ? json_object_get_member (pass->other, name) : NULL;
  Step step;

  if (spec_member (pass->spec, name) != NULL || (!pass->is_old && other != NULL))
    return;
  step = push_member (pass->walk, name, name);
  if (pass->is_old)
    compare_node (pass->walk, NULL, node, other);
  else
    compare_node (pass->walk, NULL, NULL, node);
  pop (pass->walk, &step);
}

static void
compare_objects (Walk       *walk,
                 const Spec *spec,
                 JsonObject *old_object,
                 JsonObject *new_object)
{
  if (spec != NULL && spec->kind != SPEC_GROUP)
    spec = NULL;

  for (guint i = 0; spec != NULL && spec->children != NULL && i < spec->children->len; i++)
    {
      const Spec *child = g_ptr_array_index (spec->children, i);
      JsonNode *old_node = old_object != NULL ? json_object_get_member (old_object, child->key) : NULL;
      JsonNode *new_node = new_object != NULL ? json_object_get_member (new_object, child->key) : NULL;
      Step step;

      if (old_node == NULL && new_node == NULL)
        continue;
      step = push_member (walk, child->key, child->label);
      compare_node (walk, child, old_node, new_node);
      pop (walk, &step);
    }

  if (old_object != NULL)
    {
      MemberPass pass = { walk, spec, new_object, TRUE };

      json_object_foreach_member (old_object, compare_unknown_member_cb, &pass);
    }
  if (new_object != NULL)
    {
      MemberPass pass = { walk, spec, old_object, FALSE };

      json_object_foreach_member (new_object, compare_unknown_member_cb, &pass);
    }
}

static void
compare_positional (Walk       *walk,
                    const Spec *item,
                    JsonArray  *old_array,
                    JsonArray  *new_array)
{
  guint old_len = old_array != NULL ? json_array_get_length (old_array) : 0;
  guint new_len = new_array != NULL ? json_array_get_length (new_array) : 0;

  for (guint i = 0; i < MAX (old_len, new_len); i++)
    {
      Step step = push_element (walk, i, NULL, NULL, i + 1);

      compare_node (walk, item,
                    i < old_len ? json_array_get_element (old_array, i) : NULL,
                    i < new_len ? json_array_get_element (new_array, i) : NULL);
      pop (walk, &step);
    }
}

/* Keys of keyed arrays: scalars, equal as leaves are. */
static guint
key_hash (gconstpointer key)
{
  JsonNode *node = (JsonNode *) key;
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_STRING)
    return g_str_hash (json_node_get_string (node));
  if (type == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node) ? 1 : 0;
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);
      gint64 i = d >= -9223372036854775808.0 && d < 9223372036854775808.0 ? (gint64) d : 0;

      /* 5.0 hashes as 5, which it equals. */
      return int_equals_double (i, d) ? g_int64_hash (&i) : g_double_hash (&d);
    }
  {
    gint64 i = json_node_get_int (node);

    return g_int64_hash (&i);
  }
}

static gboolean
key_equal (gconstpointer a,
           gconstpointer b)
{
  return scalar_equal ((JsonNode *) a, (JsonNode *) b);
}

static JsonNode *
element_key (JsonNode   *element,
             const char *member)
{
  JsonNode *key;

  if (element == NULL || !JSON_NODE_HOLDS_OBJECT (element))
    return NULL;
  key = json_object_get_member (json_node_get_object (element), member);
  return key != NULL && JSON_NODE_HOLDS_VALUE (key) ? key : NULL;
}

/* Key → 1 + index; %NULL when an element has no scalar key or two share one. */
static GHashTable *
index_by_key (JsonArray  *array,
              const char *member)
{
  g_autoptr(GHashTable) index = g_hash_table_new (key_hash, key_equal);

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *key = element_key (json_array_get_element (array, i), member);

      if (key == NULL || !g_hash_table_insert (index, key, GUINT_TO_POINTER (i + 1)))
        return NULL;
    }
  return g_steal_pointer (&index);
}

static char *
key_to_text (JsonNode *key)
{
  GType type = json_node_get_value_type (key);
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (key));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (key) ? "true" : "false");
  if (type == G_TYPE_DOUBLE)
    return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (key)));
  return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (key));
}

static void
compare_keyed_element (Walk       *walk,
                       const Spec *list,
                       JsonNode   *key,
                       guint       position,
                       JsonNode   *old_element,
                       JsonNode   *new_element)
{
  g_autofree char *text = key_to_text (key);
  Step step = push_element (walk, 0, list->item_key, text, position);

  compare_node (walk, list->item, old_element, new_element);
  pop (walk, &step);
}

/* Elements matched on the list's key: those of the older version in its
 * order (with their match, or none), then those only in the newer. Returns
 * %FALSE, having done nothing, when the keys cannot identify the elements. */
static gboolean
compare_keyed (Walk       *walk,
               const Spec *list,
               JsonArray  *old_array,
               JsonArray  *new_array)
{
  g_autoptr(GHashTable) old_index = index_by_key (old_array, list->item_key);
  g_autoptr(GHashTable) new_index = index_by_key (new_array, list->item_key);
  guint old_len = old_array != NULL ? json_array_get_length (old_array) : 0;
  guint new_len = new_array != NULL ? json_array_get_length (new_array) : 0;

  if (old_index == NULL || new_index == NULL)
    return FALSE;

  for (guint i = 0; i < old_len; i++)
    {
      JsonNode *old_element = json_array_get_element (old_array, i);
      JsonNode *key = element_key (old_element, list->item_key);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (new_index, key));

      compare_keyed_element (walk, list, key, j > 0 ? j : i + 1, old_element,
                             j > 0 ? json_array_get_element (new_array, j - 1) : NULL);
    }
  for (guint j = 0; j < new_len; j++)
    {
      JsonNode *new_element = json_array_get_element (new_array, j);
      JsonNode *key = element_key (new_element, list->item_key);

      if (!g_hash_table_contains (old_index, key))
        compare_keyed_element (walk, list, key, j + 1, NULL, new_element);
    }
  return TRUE;
}

static void
compare_arrays (Walk       *walk,
                const Spec *spec,
                JsonArray  *old_array,
                JsonArray  *new_array)
{
  if (spec == NULL || spec->kind != SPEC_LIST)
    compare_positional (walk, NULL, old_array, new_array);
  else if (spec->item_key == NULL || !compare_keyed (walk, spec, old_array, new_array))
    compare_positional (walk, spec->item, old_array, new_array);
}

/* A filled object or array against the same kind, or against nothing. */
static void
compare_containers (Walk       *walk,
                    const Spec *spec,
                    JsonNode   *old_node,
                    JsonNode   *new_node)
{
  JsonNode *any = old_node != NULL ? old_node : new_node;

  if (JSON_NODE_HOLDS_OBJECT (any))
    compare_objects (walk, spec,
                     old_node != NULL ? json_node_get_object (old_node) : NULL,
                     new_node != NULL ? json_node_get_object (new_node) : NULL);
  else
    compare_arrays (walk, spec,
                    old_node != NULL ? json_node_get_array (old_node) : NULL,
                    new_node != NULL ? json_node_get_array (new_node) : NULL);
}

/* Filled objects and arrays are walked into; anything else is a leaf. When
 * the two sides differ in kind, each is listed against nothing, and an empty
 * side next to a filled container is not listed at all (the container's
 * members say what was added or removed). */
static void
compare_node (Walk       *walk,
              const Spec *spec,
              JsonNode   *old_node,
              JsonNode   *new_node)
{
  gboolean old_container = is_filled_container (old_node);
  gboolean new_container = is_filled_container (new_node);

  if (!old_container && !new_container)
    {
      emit (walk, old_node, new_node);
      return;
    }
  if (old_container && new_container && JSON_NODE_TYPE (old_node) == JSON_NODE_TYPE (new_node))
    {
      compare_containers (walk, spec, old_node, new_node);
      return;
    }

  if (old_container)
    compare_containers (walk, spec, old_node, NULL);
  else if (!is_empty (old_node))
    emit (walk, old_node, NULL);
  if (new_container)
    compare_containers (walk, spec, NULL, new_node);
  else if (!is_empty (new_node))
    emit (walk, NULL, new_node);
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
 * sp_change_to_string:
 *
 * Returns: the change as the compare JSON writes it: `unchanged`, `added`,
 *   `changed` or `removed`
 */
const char *
sp_change_to_string (SpChange change)
{
  switch (change)
    {
    case SP_CHANGE_UNCHANGED:
      return "unchanged";
    case SP_CHANGE_ADDED:
      return "added";
    case SP_CHANGE_CHANGED:
      return "changed";
    case SP_CHANGE_REMOVED:
      return "removed";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * sp_version_compare:
 * @old_snapshot: (nullable): the older version's snapshot
 * @new_snapshot: (nullable): the newer version's snapshot
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
 * a number never equals a string (5 and "5" are changed).
 *
 * Metadata labels are in the calling thread's language (sp_locale_push()).
 *
 * Returns: (transfer full) (element-type SpCompareField): the fields
 */
GPtrArray *
sp_version_compare (JsonObject *old_snapshot,
                    JsonObject *new_snapshot,
                    JsonArray  *field_schema)
{
  g_autoptr(Spec) root = spec_new_snapshot (field_schema);
  g_autoptr(GString) path = g_string_sized_new (128);
  g_autoptr(GArray) labels = g_array_sized_new (FALSE, FALSE, sizeof (Label), 16);
  Walk walk = { NULL, path, labels };

  walk.fields = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_compare_field_free);
  compare_objects (&walk, root, old_snapshot, new_snapshot);
  return walk.fields;
}

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
 * the JSON values, `null` when missing.
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
