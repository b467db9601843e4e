/* sp-version-compare.c: two versions of a pratica compared field by field, with the schema's labels */
#define G_LOG_DOMAIN "sp-version-compare"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sp-json.h"
#include "sp-version-compare-private.h"

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

#define KIND_IS_EMPTY(kind) ((kind) <= NODE_EMPTY_CONTAINER)

/* An integer and a double are equal when they are the same number exactly
 * (5 and 5.0; not 2^53 + 1 and 2^53). */
static gboolean
int_equals_double (gint64 i,
                   double d)
{
  return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && (gint64) d == i && (double) (gint64) d == d;
}

/* Two filled scalars: the same JSON type (a number and a string never
 * match) and value. */
static gboolean
scalar_equal (JsonNode *a,
              NodeKind  ka,
              JsonNode *b,
              NodeKind  kb)
{
  if (ka == NODE_INT && kb == NODE_DOUBLE)
    return int_equals_double (json_node_get_int (a), json_node_get_double (b));
  if (ka == NODE_DOUBLE && kb == NODE_INT)
    return int_equals_double (json_node_get_int (b), json_node_get_double (a));
  if (ka != kb)
    return FALSE;
  switch (ka)
    {
    case NODE_STRING:
      return strcmp (json_node_get_string (a), json_node_get_string (b)) == 0;
    case NODE_INT:
      return json_node_get_int (a) == json_node_get_int (b);
    case NODE_DOUBLE:
      return json_node_get_double (a) == json_node_get_double (b);
    case NODE_BOOLEAN:
      return !json_node_get_boolean (a) == !json_node_get_boolean (b);
    case NODE_MISSING:
    case NODE_NULL:
    case NODE_EMPTY_STRING:
    case NODE_EMPTY_CONTAINER:
    case NODE_OBJECT:
    case NODE_ARRAY:
    default:
      return FALSE;
    }
}

static SpChange
classify (JsonNode *old_value,
          NodeKind  old_kind,
          JsonNode *new_value,
          NodeKind  new_kind)
{
  if (KIND_IS_EMPTY (old_kind) && KIND_IS_EMPTY (new_kind))
    return SP_CHANGE_UNCHANGED;
  if (KIND_IS_EMPTY (old_kind))
    return SP_CHANGE_ADDED;
  if (KIND_IS_EMPTY (new_kind))
    return SP_CHANGE_REMOVED;
  return scalar_equal (old_value, old_kind, new_value, new_kind) ? SP_CHANGE_UNCHANGED : SP_CHANGE_CHANGED;
}

/* The walk: the path and labels of where it is, and the fields found so far.
 * A label is borrowed text, or (an array element's) text in @scratch, so
 * that walking allocates nothing but the fields. */
typedef struct
{
  const char *text;     /* NULL: at @offset in the walk's scratch */
  gsize       offset;
  gsize       len;
} Label;

typedef struct
{
  GPtrArray *fields;
  GString   *path;
  GArray    *labels;
  GString   *scratch;
} Walk;

typedef struct
{
  gsize    path_len;
  guint    labels_len;
  gsize    scratch_len;
  gboolean replaced;
  Label    saved;
} Step;

static inline Step
step_begin (Walk *walk)
{
  Step step = { walk->path->len, walk->labels->len, walk->scratch->len, FALSE, { NULL, 0, 0 } };

  return step;
}

static inline const char *
label_text (Walk        *walk,
            const Label *label)
{
  return label->text != NULL ? label->text : walk->scratch->str + label->offset;
}

static Step
push_member (Walk       *walk,
             const char *key,
             const char *label)
{
  Step step = step_begin (walk);

  if (walk->path->len > 0)
    g_string_append_c (walk->path, '.');
  g_string_append (walk->path, key);
  if (label != NULL)
    {
      Label entry = { label, 0, strlen (label) };

      g_array_append_val (walk->labels, entry);
    }
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

/* A key as text: a string as it is, a number or boolean as JSON writes it. */
static void
append_key (GString  *string,
            JsonNode *key,
            NodeKind  kind)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  switch (kind)
    {
    case NODE_STRING:
      g_string_append (string, json_node_get_string (key));
      break;
    case NODE_INT:
      g_string_append_printf (string, "%" G_GINT64_FORMAT, json_node_get_int (key));
      break;
    case NODE_DOUBLE:
      g_string_append (string, g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (key)));
      break;
    case NODE_BOOLEAN:
      g_string_append (string, json_node_get_boolean (key) ? "true" : "false");
      break;
    case NODE_MISSING:
    case NODE_NULL:
    case NODE_EMPTY_STRING:
    case NODE_EMPTY_CONTAINER:
    case NODE_OBJECT:
    case NODE_ARRAY:
    default:
      break;
    }
}

/* An array element: `[index]` in the path, or `[member=key]` for a keyed
 * array; the array's label (the last one) followed by ` [position]`, 1-based. */
static Step
push_element (Walk       *walk,
              guint       index,
              const char *key_member,
              JsonNode   *key,
              guint       position)
{
  Step step = step_begin (walk);
  Label entry = { NULL, walk->scratch->len, 0 };

  g_string_append_c (walk->path, '[');
  if (key_member != NULL)
    {
      g_string_append (walk->path, key_member);
      g_string_append_c (walk->path, '=');
      append_key (walk->path, key, sp_compare_node_kind (key));
    }
  else
    append_uint (walk->path, index);
  g_string_append_c (walk->path, ']');

  if (walk->labels->len > 0)
    {
      Label *top = &g_array_index (walk->labels, Label, walk->labels->len - 1);

      step.saved = *top;
      step.replaced = TRUE;
      /* @top may be in the scratch itself: g_string_append_len() copes. */
      g_string_append_len (walk->scratch, label_text (walk, top), top->len);
      g_string_append_c (walk->scratch, ' ');
      g_array_set_size (walk->labels, walk->labels->len - 1);
    }
  g_string_append_c (walk->scratch, '[');
  append_uint (walk->scratch, position);
  g_string_append_c (walk->scratch, ']');
  entry.len = walk->scratch->len - entry.offset;
  g_array_append_val (walk->labels, entry);
  return step;
}

static void
pop (Walk       *walk,
     const Step *step)
{
  g_string_truncate (walk->path, step->path_len);
  g_string_truncate (walk->scratch, step->scratch_len);
  g_array_set_size (walk->labels, step->labels_len);
  if (step->replaced)
    g_array_index (walk->labels, Label, step->labels_len - 1) = step->saved;
}

/* One field, in one allocation: the struct, the label pointers, then the
 * path's and the labels' characters. */
static void
emit (Walk     *walk,
      JsonNode *old_value,
      NodeKind  old_kind,
      JsonNode *new_value,
      NodeKind  new_kind)
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

      field->labels[i] = memcpy (chars, label_text (walk, label), label->len);
      chars[label->len] = '\0';
      chars += label->len + 1;
    }
  field->labels[n] = NULL;
  field->old_value = old_value != NULL ? json_node_ref (old_value) : NULL;
  field->new_value = new_value != NULL ? json_node_ref (new_value) : NULL;
  field->change = classify (old_value, old_kind, new_value, new_kind);
  g_ptr_array_add (walk->fields, field);
}

static void compare_node (Walk       *walk,
                          const Spec *spec,
                          JsonNode   *old_node,
                          JsonNode   *new_node);

/* Members of either object: the schema's first, in its order; then the
 * others, in the older version's order, then those only in the newer. The
 * passes over the others are skipped when the counts show there are none. */
typedef struct
{
  Walk       *walk;
  const Spec *spec;
  JsonObject *other;
  gboolean    is_old;
  guint       found;    /* older pass: members also in the newer version */
} MemberPass;

static void
compare_unknown_member_cb (JsonObject *object,
                           const char *name,
                           JsonNode   *node,
                           gpointer    user_data)
{
  MemberPass *pass = user_data;
  JsonNode *other;
  Step step;

  if (spec_member (pass->spec, name) != NULL)
    return;
  other = pass->other != NULL ? json_object_get_member (pass->other, name) : NULL;
  if (other != NULL)
    {
      if (!pass->is_old)
        return;
      pass->found++;
    }
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
  guint old_listed = 0;
  guint new_listed = 0;

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
      old_listed += old_node != NULL;
      new_listed += new_node != NULL;
      step = push_member (walk, child->key, child->label);
      compare_node (walk, child, old_node, new_node);
      pop (walk, &step);
    }

  if (old_object != NULL && old_listed < json_object_get_size (old_object))
    {
      MemberPass pass = { walk, spec, new_object, TRUE, 0 };

      json_object_foreach_member (old_object, compare_unknown_member_cb, &pass);
      new_listed += pass.found;
    }
  if (new_object != NULL && new_listed < json_object_get_size (new_object))
    {
      MemberPass pass = { walk, spec, old_object, FALSE, 0 };

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

/* Keys of keyed arrays: filled scalars, equal as leaves are. */
static guint
key_hash (gconstpointer key)
{
  JsonNode *node = (JsonNode *) key;

  switch (sp_compare_node_kind (node))
    {
    case NODE_STRING:
      return g_str_hash (json_node_get_string (node));
    case NODE_BOOLEAN:
      return json_node_get_boolean (node) ? 1 : 0;
    case NODE_DOUBLE:
      {
        double d = json_node_get_double (node);
        gint64 i = d >= -9223372036854775808.0 && d < 9223372036854775808.0 ? (gint64) d : 0;

        /* 5.0 hashes as 5, which it equals. */
        return int_equals_double (i, d) ? g_int64_hash (&i) : g_double_hash (&d);
      }
    case NODE_INT:
      {
        gint64 i = json_node_get_int (node);

        return g_int64_hash (&i);
      }
    case NODE_MISSING:
    case NODE_NULL:
    case NODE_EMPTY_STRING:
    case NODE_EMPTY_CONTAINER:
    case NODE_OBJECT:
    case NODE_ARRAY:
    default:
      return 0;
    }
}

static gboolean
key_equal (gconstpointer a,
           gconstpointer b)
{
  JsonNode *x = (JsonNode *) a;
  JsonNode *y = (JsonNode *) b;

  return scalar_equal (x, sp_compare_node_kind (x), y, sp_compare_node_kind (y));
}

/* The key of an element: a filled scalar member, or %NULL. */
static JsonNode *
element_key (JsonNode   *element,
             const char *member)
{
  JsonNode *key;
  NodeKind kind;

  if (element == NULL || !JSON_NODE_HOLDS_OBJECT (element))
    return NULL;
  key = json_object_get_member (json_node_get_object (element), member);
  kind = sp_compare_node_kind (key);
  return !KIND_IS_EMPTY (kind) && kind != NODE_OBJECT && kind != NODE_ARRAY ? key : NULL;
}

/* Key → 1 + index; %NULL when an element has no key or two share one. */
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

static void
compare_keyed_element (Walk       *walk,
                       const Spec *list,
                       JsonNode   *key,
                       guint       position,
                       JsonNode   *old_element,
                       JsonNode   *new_element)
{
  Step step = push_element (walk, 0, list->item_key, key, position);

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
  guint matched = 0;

  if (old_index == NULL || new_index == NULL)
    return FALSE;

  for (guint i = 0; i < old_len; i++)
    {
      JsonNode *old_element = json_array_get_element (old_array, i);
      JsonNode *key = element_key (old_element, list->item_key);
      guint j = GPOINTER_TO_UINT (g_hash_table_lookup (new_index, key));

      matched += j > 0;
      compare_keyed_element (walk, list, key, j > 0 ? j : i + 1, old_element,
                             j > 0 ? json_array_get_element (new_array, j - 1) : NULL);
    }
  for (guint j = 0; matched < new_len && j < new_len; j++)
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
                    JsonNode   *new_node,
                    NodeKind    kind)
{
  if (kind == NODE_OBJECT)
    compare_objects (walk, spec,
                     old_node != NULL ? json_node_get_object (old_node) : NULL,
                     new_node != NULL ? json_node_get_object (new_node) : NULL);
  else
    compare_arrays (walk, spec,
                    old_node != NULL ? json_node_get_array (old_node) : NULL,
                    new_node != NULL ? json_node_get_array (new_node) : NULL);
}

#define KIND_IS_CONTAINER(kind) ((kind) == NODE_OBJECT || (kind) == NODE_ARRAY)

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
  NodeKind old_kind = sp_compare_node_kind (old_node);
  NodeKind new_kind = sp_compare_node_kind (new_node);

  if (!KIND_IS_CONTAINER (old_kind) && !KIND_IS_CONTAINER (new_kind))
    {
      emit (walk, old_node, old_kind, new_node, new_kind);
      return;
    }
  if (old_kind == new_kind)
    {
      compare_containers (walk, spec, old_node, new_node, old_kind);
      return;
    }

  if (KIND_IS_CONTAINER (old_kind))
    compare_containers (walk, spec, old_node, NULL, old_kind);
  else if (!KIND_IS_EMPTY (old_kind))
    emit (walk, old_node, old_kind, NULL, NODE_MISSING);
  if (KIND_IS_CONTAINER (new_kind))
    compare_containers (walk, spec, NULL, new_node, new_kind);
  else if (!KIND_IS_EMPTY (new_kind))
    emit (walk, NULL, NODE_MISSING, new_node, new_kind);
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
  g_autoptr(GString) scratch = g_string_sized_new (256);
  Walk walk = { NULL, path, labels, scratch };

  walk.fields = g_ptr_array_new_full (256, (GDestroyNotify) sp_compare_field_free);
  compare_objects (&walk, root, old_snapshot, new_snapshot);
  return walk.fields;
}

/* What @node is (%NULL: missing), looked at once: the comparison asks often. */
NodeKind
sp_compare_node_kind (JsonNode *node)
{
  if (node == NULL)
    return NODE_MISSING;
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      return NODE_NULL;
    case JSON_NODE_OBJECT:
      return json_object_get_size (json_node_get_object (node)) > 0 ? NODE_OBJECT : NODE_EMPTY_CONTAINER;
    case JSON_NODE_ARRAY:
      return json_array_get_length (json_node_get_array (node)) > 0 ? NODE_ARRAY : NODE_EMPTY_CONTAINER;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return *json_node_get_string (node) != '\0' ? NODE_STRING : NODE_EMPTY_STRING;
        case G_TYPE_INT64:
          return NODE_INT;
        case G_TYPE_DOUBLE:
          return NODE_DOUBLE;
        case G_TYPE_BOOLEAN:
          return NODE_BOOLEAN;
        default:
          return NODE_NULL;
        }
    default:
      return NODE_NULL;
    }
}
