/* sp-version-compare.c: two versions of a pratica compared field by field, with the schema's labels, in one walk of their texts */
#define G_LOG_DOMAIN "sp-version-compare"

#include "config.h"

#include <string.h>

#include "sp-error.h"
#include "sp-version-compare-spec.h"

/* Deeper than any form: the walk recurses once a level. */
#define MAX_DEPTH 512

/* What a value is, for the emptiness rule: the empty kinds first. */
typedef enum
{
  KIND_MISSING,
  KIND_NULL,
  KIND_EMPTY_STRING,
  KIND_EMPTY_CONTAINER,
  KIND_STRING,
  KIND_NUMBER,
  KIND_BOOLEAN,
  KIND_OBJECT,          /* filled */
  KIND_ARRAY,           /* filled */
} Kind;

#define KIND_IS_EMPTY(kind) ((kind) <= KIND_EMPTY_CONTAINER)
#define KIND_IS_CONTAINER(kind) ((kind) == KIND_OBJECT || (kind) == KIND_ARRAY)

/* The walk over the two tapes. @old_listed and @new_listed mark, by node,
 * the keys already listed; @table holds the keyed arrays' hash tables,
 * innermost last. Inside two containers of the same text (@same), nothing
 * is looked up or compared on the newer side: its nodes are @delta after
 * the older's, and every field is unchanged. */
typedef struct
{
  const SpJsonTape *old_tape;
  const SpJsonTape *new_tape;
  guint8           *old_listed;
  guint8           *new_listed;
  SpCompareSink    *sink;
  GArray           *table;
  gboolean          same;
  guint32           delta;
} Walk;

static inline Kind
kind_of (const SpJsonTape *tape,
         guint32           node)
{
  const SpJsonTapeNode *n;

  if (node == SP_JSON_TAPE_NONE)
    return KIND_MISSING;
  n = &tape->nodes[node];
  switch ((SpJsonTapeType) n->type)
    {
    case SP_JSON_TAPE_NULL:
      return KIND_NULL;
    case SP_JSON_TAPE_FALSE:
    case SP_JSON_TAPE_TRUE:
      return KIND_BOOLEAN;
    case SP_JSON_TAPE_NUMBER:
      return KIND_NUMBER;
    case SP_JSON_TAPE_STRING:
      return n->len > 0 ? KIND_STRING : KIND_EMPTY_STRING;
    case SP_JSON_TAPE_ARRAY:
      return n->len > 0 ? KIND_ARRAY : KIND_EMPTY_CONTAINER;
    case SP_JSON_TAPE_OBJECT:
      return n->len > 0 ? KIND_OBJECT : KIND_EMPTY_CONTAINER;
    default:
      return KIND_NULL;
    }
}

/* Two numbers by their exact decimal value, from their texts: 1 equals
 * 1.0, as jsonb's numeric equality says (the scale is how the number was
 * written, not another number; each side still shows its own text), and
 * -0 equals 0; but 19.99 is not 19.989999999999998, nor
 * 100000000000000000000 100000000000000000001, as a double or a gint64
 * would have them. */
static inline gboolean
number_equal (const SpJsonTape *a_tape,
              guint32           a,
              const SpJsonTape *b_tape,
              guint32           b)
{
  const char *a_text = sp_json_tape_text (a_tape, a);
  const char *b_text = sp_json_tape_text (b_tape, b);
  guint32 a_len = a_tape->nodes[a].len;
  guint32 b_len = b_tape->nodes[b].len;

  /* The same text, the usual case, without a call. */
  if (a_len == b_len && sp_json_tape_bytes_equal (a_text, b_text, a_len))
    return TRUE;
  return sp_json_number_equal (a_text, a_len, b_text, b_len);
}

/* Two filled scalars: the same JSON type (a number and a string never
 * match) and value. */
static gboolean
scalar_equal (const SpJsonTape *a_tape,
              guint32           a,
              Kind              ka,
              const SpJsonTape *b_tape,
              guint32           b,
              Kind              kb)
{
  if (ka != kb)
    return FALSE;
  switch (ka)
    {
    case KIND_STRING:
      return a_tape->nodes[a].len == b_tape->nodes[b].len
             && sp_json_tape_bytes_equal (sp_json_tape_text (a_tape, a), sp_json_tape_text (b_tape, b),
                                          a_tape->nodes[a].len);
    case KIND_NUMBER:
      return number_equal (a_tape, a, b_tape, b);
    case KIND_BOOLEAN:
      return a_tape->nodes[a].type == b_tape->nodes[b].type;
    case KIND_MISSING:
    case KIND_NULL:
    case KIND_EMPTY_STRING:
    case KIND_EMPTY_CONTAINER:
    case KIND_OBJECT:
    case KIND_ARRAY:
    default:
      return FALSE;
    }
}

static SpChange
classify (Walk    *walk,
          guint32  old_value,
          Kind     old_kind,
          guint32  new_value,
          Kind     new_kind)
{
  if (KIND_IS_EMPTY (old_kind) && KIND_IS_EMPTY (new_kind))
    return SP_CHANGE_UNCHANGED;
  if (KIND_IS_EMPTY (old_kind))
    return SP_CHANGE_ADDED;
  if (KIND_IS_EMPTY (new_kind))
    return SP_CHANGE_REMOVED;
  return scalar_equal (walk->old_tape, old_value, old_kind, walk->new_tape, new_value, new_kind)
         ? SP_CHANGE_UNCHANGED : SP_CHANGE_CHANGED;
}

static inline void
emit (Walk    *walk,
      guint32  old_value,
      Kind     old_kind,
      guint32  new_value,
      Kind     new_kind)
{
  SpCompareValue old_ref = { walk->old_tape, old_value };
  SpCompareValue new_ref = { walk->new_tape, new_value };

  walk->sink->field (walk->sink, old_ref, new_ref,
                     walk->same ? SP_CHANGE_UNCHANGED : classify (walk, old_value, old_kind, new_value, new_kind));
}

static inline SpCompareText
key_text (const SpJsonTape *tape,
          guint32           key)
{
  return (SpCompareText) { sp_json_tape_text (tape, key), tape->nodes[key].len,
                           !(tape->nodes[key].flags & SP_JSON_TAPE_DECODED) };
}

/* The key of member @key of @object, looked for first where it was in the
 * last object of the same description (@hint): the rows of a list have
 * their members in the same places. */
static inline guint32
find_member (const SpJsonTape    *tape,
             guint32              object,
             const SpCompareText *key,
             guint32             *hint)
{
  guint32 len = tape->nodes[object].len;

  for (guint32 i = *hint < len ? *hint : 0, tried = 0; tried < len && len <= 16; tried++, i = i + 1 < len ? i + 1 : 0)
    {
      guint32 candidate = sp_json_tape_member (tape, object, i);

      if (tape->nodes[candidate].len == key->len
          && sp_json_tape_bytes_equal (sp_json_tape_text (tape, candidate), key->text, key->len))
        {
          *hint = i;
          return candidate;
        }
    }
  return len > 16 ? sp_json_tape_lookup (tape, object, key->text, key->len) : SP_JSON_TAPE_NONE;
}

static inline guint32
value_of (guint32 key)
{
  return key != SP_JSON_TAPE_NONE ? key + 1 : SP_JSON_TAPE_NONE;
}

static void compare_node (Walk       *walk,
                          Spec *spec,
                          guint32     old_node,
                          guint32     new_node);

static void
compare_member (Walk                *walk,
                Spec          *spec,
                const SpCompareText *key,
                const SpCompareText *label,
                guint32              old_key,
                guint32              new_key)
{
  walk->sink->push_member (walk->sink, key, label);
  compare_node (walk, spec, value_of (old_key), value_of (new_key));
  walk->sink->pop (walk->sink);
}

/* Members of either object: the schema's first, in its order; then the
 * others, in the older version's order, then those only in the newer. The
 * passes over the others are skipped when the counts show there are none. */
static void
compare_objects (Walk       *walk,
                 Spec *spec,
                 guint32     old_object,
                 guint32     new_object)
{
  const SpJsonTape *old_tape = walk->old_tape;
  const SpJsonTape *new_tape = walk->new_tape;
  guint32 old_len = old_object != SP_JSON_TAPE_NONE ? old_tape->nodes[old_object].len : 0;
  guint32 new_len = new_object != SP_JSON_TAPE_NONE ? new_tape->nodes[new_object].len : 0;
  guint32 old_listed = 0;
  guint32 new_listed = 0;

  if (spec != NULL && spec->kind != SPEC_GROUP)
    spec = NULL;

  for (guint i = 0; spec != NULL && spec->children != NULL && i < spec->children->len; i++)
    {
      Spec *child = g_ptr_array_index (spec->children, i);
      guint32 old_key = old_len > 0 ? find_member (old_tape, old_object, &child->key, &child->hint)
                                    : SP_JSON_TAPE_NONE;
      guint32 new_key;

      if (walk->same)
        new_key = old_key != SP_JSON_TAPE_NONE ? old_key + walk->delta : SP_JSON_TAPE_NONE;
      else
        new_key = new_len > 0 ? find_member (new_tape, new_object, &child->key, &child->hint)
                              : SP_JSON_TAPE_NONE;

      if (old_key == SP_JSON_TAPE_NONE && new_key == SP_JSON_TAPE_NONE)
        continue;
      if (old_key != SP_JSON_TAPE_NONE)
        {
          walk->old_listed[old_key] = TRUE;
          old_listed++;
        }
      if (new_key != SP_JSON_TAPE_NONE)
        {
          walk->new_listed[new_key] = TRUE;
          new_listed++;
        }
      compare_member (walk, child, &child->key, child->label.text != NULL ? &child->label : NULL,
                      old_key, new_key);
    }

  for (guint32 i = 0; old_listed < old_len && i < old_len; i++)
    {
      guint32 old_key = sp_json_tape_member (old_tape, old_object, i);
      guint32 new_key = SP_JSON_TAPE_NONE;
      SpCompareText key;

      if (walk->old_listed[old_key])
        continue;
      key = key_text (old_tape, old_key);
      /* Mostly the same member at the same place. */
      if (walk->same)
        new_key = sp_json_tape_member (new_tape, new_object, i);
      else if (i < new_len)
        {
          guint32 candidate = sp_json_tape_member (new_tape, new_object, i);

          if (new_tape->nodes[candidate].len == key.len
              && sp_json_tape_bytes_equal (sp_json_tape_text (new_tape, candidate), key.text, key.len))
            new_key = candidate;
        }
      if (new_key == SP_JSON_TAPE_NONE && new_len > 0)
        new_key = sp_json_tape_lookup (new_tape, new_object, key.text, key.len);
      if (new_key != SP_JSON_TAPE_NONE)
        {
          walk->new_listed[new_key] = TRUE;
          new_listed++;
        }
      compare_member (walk, NULL, &key, &key, old_key, new_key);
    }

  for (guint32 i = 0; new_listed < new_len && i < new_len; i++)
    {
      guint32 new_key = sp_json_tape_member (new_tape, new_object, i);
      SpCompareText key;

      if (walk->new_listed[new_key])
        continue;
      key = key_text (new_tape, new_key);
      compare_member (walk, NULL, &key, &key, SP_JSON_TAPE_NONE, new_key);
    }
}

static void
compare_positional (Walk       *walk,
                    Spec *item,
                    guint32     old_array,
                    guint32     new_array)
{
  guint32 old_len = old_array != SP_JSON_TAPE_NONE ? walk->old_tape->nodes[old_array].len : 0;
  guint32 new_len = new_array != SP_JSON_TAPE_NONE ? walk->new_tape->nodes[new_array].len : 0;

  for (guint32 i = 0; i < MAX (old_len, new_len); i++)
    {
      walk->sink->push_element (walk->sink, i, NULL, NULL, i + 1);
      compare_node (walk, item,
                    i < old_len ? sp_json_tape_element (walk->old_tape, old_array, i) : SP_JSON_TAPE_NONE,
                    i < new_len ? sp_json_tape_element (walk->new_tape, new_array, i) : SP_JSON_TAPE_NONE);
      walk->sink->pop (walk->sink);
    }
}

/* The key of an element: a filled scalar member, or %SP_JSON_TAPE_NONE. */
static guint32
element_key (const SpJsonTape *tape,
             guint32           element,
             const char       *member,
             gsize             member_len)
{
  guint32 key;
  Kind kind;

  if (tape->nodes[element].type != SP_JSON_TAPE_OBJECT || tape->nodes[element].len == 0)
    return SP_JSON_TAPE_NONE;
  key = value_of (sp_json_tape_lookup (tape, element, member, member_len));
  kind = kind_of (tape, key);
  return !KIND_IS_EMPTY (kind) && !KIND_IS_CONTAINER (kind) ? key : SP_JSON_TAPE_NONE;
}

/* Keys of keyed arrays hash by value, as they compare: 5.0 as 5. */
static guint
key_hash (const SpJsonTape *tape,
          guint32           key)
{
  const SpJsonTapeNode *node = &tape->nodes[key];

  switch ((SpJsonTapeType) node->type)
    {
    case SP_JSON_TAPE_STRING:
      {
        const char *text = sp_json_tape_text (tape, key);
        guint hash = 5381;

        for (guint32 i = 0; i < node->len; i++)
          hash = hash * 33 + (guchar) text[i];
        return hash;
      }
    case SP_JSON_TAPE_NUMBER:
      return sp_json_number_hash (sp_json_tape_text (tape, key), node->len);
    case SP_JSON_TAPE_TRUE:
      return 1;
    case SP_JSON_TAPE_FALSE:
    case SP_JSON_TAPE_NULL:
    case SP_JSON_TAPE_ARRAY:
    case SP_JSON_TAPE_OBJECT:
    default:
      return 0;
    }
}

/* A hash table of an array's elements by key, at @offset in the walk's
 * tables: @mask + 1 slots of (key node, 1 + index), 0 when free; then each
 * element's key, in order. */
typedef struct
{
  const SpJsonTape *tape;
  guint             offset;
  guint             mask;
} Index;

static inline guint32
index_key (Walk        *walk,
           const Index *index,
           guint32      i)
{
  return g_array_index (walk->table, guint32, index->offset + 2 * (index->mask + 1) + i);
}

/* Looks @key up; returns 1 + its element's index, or 0. */
static guint32
index_find (Walk             *walk,
            const Index      *index,
            const SpJsonTape *tape,
            guint32           key,
            guint             hash)
{
  const guint32 *slots = &g_array_index (walk->table, guint32, index->offset);
  Kind kind = kind_of (tape, key);

  for (guint slot = hash & index->mask; slots[2 * slot + 1] != 0; slot = (slot + 1) & index->mask)
    if (scalar_equal (index->tape, slots[2 * slot], kind_of (index->tape, slots[2 * slot]), tape, key, kind))
      return slots[2 * slot + 1];
  return 0;
}

/* Fills @index with the elements of @array by @member; %FALSE when an
 * element has no key or two share one. */
static gboolean
index_by_key (Walk             *walk,
              Index            *index,
              const SpJsonTape *tape,
              guint32           array,
              const char       *member)
{
  guint32 len = array != SP_JSON_TAPE_NONE ? tape->nodes[array].len : 0;
  gsize member_len = strlen (member);
  guint size = 4;

  while (size < 2 * len)
    size *= 2;
  index->tape = tape;
  index->offset = walk->table->len;
  index->mask = size - 1;
  g_array_set_size (walk->table, walk->table->len + 2 * size + len);
  for (guint32 i = 0; i < len; i++)
    {
      guint32 key = element_key (tape, sp_json_tape_element (tape, array, i), member, member_len);
      guint hash;
      guint slot;
      guint32 *slots;

      if (key == SP_JSON_TAPE_NONE)
        return FALSE;
      hash = key_hash (tape, key);
      if (index_find (walk, index, tape, key, hash) != 0)
        return FALSE;
      slots = &g_array_index (walk->table, guint32, index->offset);
      for (slot = hash & index->mask; slots[2 * slot + 1] != 0; slot = (slot + 1) & index->mask)
        ;
      slots[2 * slot] = key;
      slots[2 * slot + 1] = i + 1;
      slots[2 * size + i] = key;
    }
  return TRUE;
}

/* A key as text: a string or a number as the snapshot writes it. */
static SpCompareText
format_key (const SpJsonTape *tape,
            guint32           key)
{
  switch ((SpJsonTapeType) tape->nodes[key].type)
    {
    case SP_JSON_TAPE_STRING:
    case SP_JSON_TAPE_NUMBER:
      return key_text (tape, key);
    case SP_JSON_TAPE_TRUE:
      return (SpCompareText) { "true", 4, TRUE };
    case SP_JSON_TAPE_FALSE:
      return (SpCompareText) { "false", 5, TRUE };
    case SP_JSON_TAPE_NULL:
    case SP_JSON_TAPE_ARRAY:
    case SP_JSON_TAPE_OBJECT:
    default:
      return (SpCompareText) { "", 0, TRUE };
    }
}

static void
compare_keyed_element (Walk             *walk,
                       Spec       *list,
                       const SpJsonTape *key_tape,
                       guint32           key,
                       guint             position,
                       guint32           old_element,
                       guint32           new_element)
{
  SpCompareText text = format_key (key_tape, key);

  walk->sink->push_element (walk->sink, 0, list->item_key, &text, position);
  compare_node (walk, list->item, old_element, new_element);
  walk->sink->pop (walk->sink);
}

/* Elements matched on the list's key: those of the older version in its
 * order (with their match, or none), then those only in the newer. Returns
 * %FALSE, having done nothing, when the keys cannot identify the elements. */
static gboolean
compare_keyed (Walk       *walk,
               Spec *list,
               guint32     old_array,
               guint32     new_array)
{
  const SpJsonTape *old_tape = walk->old_tape;
  const SpJsonTape *new_tape = walk->new_tape;
  guint32 old_len = old_array != SP_JSON_TAPE_NONE ? old_tape->nodes[old_array].len : 0;
  guint32 new_len = new_array != SP_JSON_TAPE_NONE ? new_tape->nodes[new_array].len : 0;
  guint table_len = walk->table->len;
  guint32 matched = 0;
  Index old_index, new_index;

  if (!index_by_key (walk, &old_index, old_tape, old_array, list->item_key)
      || (!walk->same && !index_by_key (walk, &new_index, new_tape, new_array, list->item_key)))
    {
      g_array_set_size (walk->table, table_len);
      return FALSE;
    }

  for (guint32 i = 0; i < old_len; i++)
    {
      guint32 old_element = sp_json_tape_element (old_tape, old_array, i);
      guint32 key = index_key (walk, &old_index, i);
      guint32 j = walk->same ? i + 1 : index_find (walk, &new_index, old_tape, key, key_hash (old_tape, key));

      matched += j > 0;
      compare_keyed_element (walk, list, old_tape, key, j > 0 ? j : i + 1, old_element,
                             j > 0 ? sp_json_tape_element (new_tape, new_array, j - 1) : SP_JSON_TAPE_NONE);
    }
  for (guint32 j = 0; matched < new_len && j < new_len; j++)
    {
      guint32 new_element = sp_json_tape_element (new_tape, new_array, j);
      guint32 key = index_key (walk, &new_index, j);

      if (index_find (walk, &old_index, new_tape, key, key_hash (new_tape, key)) == 0)
        compare_keyed_element (walk, list, new_tape, key, j + 1, SP_JSON_TAPE_NONE, new_element);
    }
  g_array_set_size (walk->table, table_len);
  return TRUE;
}

static void
compare_arrays (Walk       *walk,
                Spec *spec,
                guint32     old_array,
                guint32     new_array)
{
  if (spec == NULL || spec->kind != SPEC_LIST)
    compare_positional (walk, NULL, old_array, new_array);
  else if (spec->item_key == NULL || !compare_keyed (walk, spec, old_array, new_array))
    compare_positional (walk, spec->item, old_array, new_array);
}

/* A filled object or array against the same kind, or against nothing. */
static void
compare_containers (Walk       *walk,
                    Spec *spec,
                    guint32     old_node,
                    guint32     new_node,
                    Kind        kind)
{
  if (kind == KIND_OBJECT)
    compare_objects (walk, spec, old_node, new_node);
  else
    compare_arrays (walk, spec, old_node, new_node);
}

/* Filled objects and arrays are walked into; anything else is a leaf. When
 * the two sides differ in kind, each is listed against nothing, and an empty
 * side next to a filled container is not listed at all (the container's
 * members say what was added or removed). */
static void
compare_node (Walk       *walk,
              Spec *spec,
              guint32     old_node,
              guint32     new_node)
{
  Kind old_kind = kind_of (walk->old_tape, old_node);
  Kind new_kind = kind_of (walk->new_tape, new_node);

  if (!KIND_IS_CONTAINER (old_kind) && !KIND_IS_CONTAINER (new_kind))
    {
      emit (walk, old_node, old_kind, new_node, new_kind);
      return;
    }
  if (old_kind == new_kind)
    {
      if (walk->same || !sp_json_tape_same_text (walk->old_tape, old_node, walk->new_tape, new_node))
        {
          compare_containers (walk, spec, old_node, new_node, old_kind);
          return;
        }
      walk->same = TRUE;
      walk->delta = new_node - old_node;
      compare_containers (walk, spec, old_node, new_node, old_kind);
      walk->same = FALSE;
      return;
    }

  if (KIND_IS_CONTAINER (old_kind))
    compare_containers (walk, spec, old_node, SP_JSON_TAPE_NONE, old_kind);
  else if (!KIND_IS_EMPTY (old_kind))
    emit (walk, old_node, old_kind, SP_JSON_TAPE_NONE, KIND_MISSING);
  if (KIND_IS_CONTAINER (new_kind))
    compare_containers (walk, spec, SP_JSON_TAPE_NONE, new_node, new_kind);
  else if (!KIND_IS_EMPTY (new_kind))
    emit (walk, SP_JSON_TAPE_NONE, KIND_MISSING, new_node, new_kind);
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
 * sp_version_compare_read:
 * @snapshot: (nullable): a version's snapshot, JSON text
 * @tape: (out): the text read, or %NULL when there is no text (no snapshot)
 *
 * Returns: %FALSE with %SP_ERROR_INTERNAL when the text is not a JSON object
 */
gboolean
sp_version_compare_read (const char  *snapshot,
                         gsize        len,
                         SpJsonTape **tape,
                         GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *tape = NULL;
  if (snapshot == NULL)
    return TRUE;
  *tape = sp_json_tape_new (snapshot, len, MAX_DEPTH, &local_error);
  if (*tape != NULL && (*tape)->nodes[0].type == SP_JSON_TAPE_OBJECT)
    return TRUE;
  g_clear_pointer (tape, sp_json_tape_free);
  g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "The snapshot is not a JSON object%s%s",
               local_error != NULL ? ": " : "", local_error != NULL ? local_error->message : "");
  return FALSE;
}

/**
 * sp_version_compare_walk:
 * @old_tape: (nullable): the older version's snapshot, read
 * @new_tape: (nullable): the newer version's snapshot, read
 * @schema: what the walk knows of the snapshots' shape
 * @sink: what the fields are handed to
 *
 * The comparison itself (sp_version_compare() says what it lists), handing
 * each field to @sink as the walk finds it.
 */
void
sp_version_compare_walk (const SpJsonTape *old_tape,
                         const SpJsonTape *new_tape,
                         SpCompareSchema  *schema,
                         SpCompareSink    *sink)
{
  Spec *root = sp_compare_schema_get_root (schema);
  g_autoptr(GArray) table = g_array_sized_new (FALSE, TRUE, sizeof (guint32), 256);
  g_autofree guint8 *old_listed = old_tape != NULL ? g_malloc0 (old_tape->n_nodes) : NULL;
  g_autofree guint8 *new_listed = new_tape != NULL ? g_malloc0 (new_tape->n_nodes) : NULL;
  Walk walk = { old_tape, new_tape, old_listed, new_listed, sink, table, FALSE, 0 };

  compare_objects (&walk, root, old_tape != NULL ? 0 : SP_JSON_TAPE_NONE, new_tape != NULL ? 0 : SP_JSON_TAPE_NONE);
}
