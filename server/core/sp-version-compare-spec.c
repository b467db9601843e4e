/* sp-version-compare-spec.c: what the comparison knows of a snapshot's shape: the service's field schema and the metadata */
#define G_LOG_DOMAIN "sp-version-compare"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sp-version-compare-spec.h"

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

/**
 * sp_compare_text_is_plain:
 *
 * Returns: whether @text holds nothing JSON escapes: `"`, `\` or a control character
 */
gboolean
sp_compare_text_is_plain (const char *text,
                          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if ((guchar) text[i] < 0x20 || text[i] == '"' || text[i] == '\\')
      return FALSE;
  return TRUE;
}

static SpCompareText
text_new (const char *text)
{
  gsize len = text != NULL ? strlen (text) : 0;

  return (SpCompareText) { text, len, sp_compare_text_is_plain (text, len) };
}

static Spec *
spec_new (SpecKind    kind,
          const char *key,
          const char *label)
{
  Spec *spec = g_new0 (Spec, 1);

  spec->kind = kind;
  spec->key = text_new (key);
  spec->label = text_new (label);
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

static gboolean
spec_has_key (const Spec *group,
              const Spec *child)
{
  for (guint i = 0; i < group->children->len; i++)
    {
      const Spec *known = g_ptr_array_index (group->children, i);

      if (known->key.len == child->key.len && memcmp (known->key.text, child->key.text, child->key.len) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Adds @child to the members of @group; a key already there keeps its
 * first description. A group's keys are few: looked through, until they
 * are many. */
static void
spec_add (Spec *group,
          Spec *child)
{
  if (group->children == NULL)
    group->children = g_ptr_array_new_with_free_func ((GDestroyNotify) spec_free);
  if (group->by_key == NULL && group->children->len >= 16)
    {
      group->by_key = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < group->children->len; i++)
        {
          Spec *known = g_ptr_array_index (group->children, i);

          g_hash_table_insert (group->by_key, (gpointer) known->key.text, known);
        }
    }
  if (group->by_key != NULL ? g_hash_table_contains (group->by_key, child->key.text) : spec_has_key (group, child))
    {
      spec_free (child);
      return;
    }
  g_ptr_array_add (group->children, child);
  if (group->by_key != NULL)
    g_hash_table_insert (group->by_key, (gpointer) child->key.text, child);
}

/* A schema field's members, read in one pass (sp_json_get_string()'s
 * rule: a member that is not a string is missing). */
typedef struct
{
  const char *key;
  const char *label;
  const char *type;
  const char *item_key;
  JsonArray  *fields;
} SchemaField;

static void
schema_field_read (JsonObject  *object,
                   SchemaField *field)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  *field = (SchemaField) { NULL, NULL, "text", NULL, NULL };
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const char *text = JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                         ? json_node_get_string (value) : NULL;

      /* The five names begin with five letters. */
      switch (name[0])
        {
        case 'k':
          if (g_str_equal (name, "key"))
            field->key = text;
          break;
        case 'l':
          if (g_str_equal (name, "label"))
            field->label = text;
          break;
        case 't':
          if (g_str_equal (name, "type"))
            field->type = text != NULL ? text : "text";
          break;
        case 'i':
          if (g_str_equal (name, "item_key"))
            field->item_key = text;
          break;
        case 'f':
          if (g_str_equal (name, "fields"))
            field->fields = JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL;
          break;
        default:
          break;
        }
    }
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
      SchemaField field;
      Spec *child;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      schema_field_read (json_node_get_object (node), &field);
      if (field.key == NULL)
        continue;
      if (g_str_equal (field.type, "group"))
        child = spec_new (SPEC_GROUP, field.key, field.label != NULL ? field.label : field.key);
      else if (g_str_equal (field.type, "list"))
        child = spec_new (SPEC_LIST, field.key, field.label != NULL ? field.label : field.key);
      else
        child = spec_new (SPEC_LEAF, field.key, field.label != NULL ? field.label : field.key);

      if (child->kind == SPEC_GROUP)
        spec_add_schema (child, field.fields);
      else if (child->kind == SPEC_LIST)
        {
          child->item_key = field.item_key;
          if (field.fields != NULL)
            {
              child->item = spec_new (SPEC_GROUP, NULL, NULL);
              spec_add_schema (child->item, field.fields);
            }
          else
            child->item_key = NULL;
        }
      spec_add (group, child);
    }
}

/**
 * spec_new_snapshot:
 * @field_schema: (nullable): the service's `fields`
 *
 * The whole snapshot: the form data (no label of its own: its fields carry
 * the schema's), then the metadata with labels in the calling thread's
 * language. Strings are borrowed from the schema and the message catalog.
 */
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

struct _SpCompareSchema
{
  Spec *root;
};

/**
 * sp_compare_schema_new:
 * @field_schema: (nullable): the service's `fields`
 *
 * Returns: (transfer full): the schema for comparisons of the service's
 *   pratiche (spec_new_snapshot())
 */
SpCompareSchema *
sp_compare_schema_new (JsonArray *field_schema)
{
  SpCompareSchema *schema = g_new (SpCompareSchema, 1);

  schema->root = spec_new_snapshot (field_schema);
  return schema;
}

void
sp_compare_schema_free (SpCompareSchema *schema)
{
  if (schema == NULL)
    return;
  spec_free (schema->root);
  g_free (schema);
}

/* Returns: (transfer none): the description of the whole snapshot */
Spec *
sp_compare_schema_get_root (SpCompareSchema *schema)
{
  return schema->root;
}
