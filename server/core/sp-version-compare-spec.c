/* sp-version-compare-spec.c: what the comparison knows of a snapshot's shape: the service's field schema and the metadata */
#define G_LOG_DOMAIN "sp-version-compare"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sp-json.h"
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

void
sp_compare_spec_free (Spec *spec)
{
  if (spec == NULL)
    return;
  g_clear_pointer (&spec->item, sp_compare_spec_free);
  g_clear_pointer (&spec->children, g_ptr_array_unref);
  g_clear_pointer (&spec->by_key, g_hash_table_unref);
  g_free (spec);
}

/* Adds @child to the members of @group; a key already there keeps its first description. */
static void
spec_add (Spec *group,
          Spec *child)
{
  if (group->children == NULL)
    {
      group->children = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_compare_spec_free);
      group->by_key = g_hash_table_new (g_str_hash, g_str_equal);
    }
  if (g_hash_table_contains (group->by_key, child->key.text))
    {
      sp_compare_spec_free (child);
      return;
    }
  g_ptr_array_add (group->children, child);
  g_hash_table_insert (group->by_key, (gpointer) child->key.text, child);
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

/**
 * sp_compare_spec_new_snapshot:
 * @field_schema: (nullable): the service's `fields`
 *
 * The whole snapshot: the form data (no label of its own: its fields carry
 * the schema's), then the metadata with labels in the calling thread's
 * language. Strings are borrowed from the schema and the message catalog.
 */
Spec *
sp_compare_spec_new_snapshot (JsonArray *field_schema)
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
