/* sp-admin-demo-lists.c: the demo's word lists (names, birthplaces, streets, companies, form texts), read from data/demo */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include <gio/gio.h>

#include "sp-admin-demo.h"
#include "sp-error.h"
#include "sp-json.h"

#define DEMO_RESOURCES "/it/sportello/admin/demo/"

static const char * const files[] = { "people.json", "form-texts.json" };

/* name → GStrv, or JsonArray of objects (birthplaces), for the life of the process. */
static GHashTable *strings;
static GHashTable *objects;

static gboolean
add_member (const char  *file,
            const char  *name,
            JsonNode    *node,
            GError     **error)
{
  JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = array != NULL ? json_array_get_length (array) : 0;

  if (n == 0)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "%s: “%s” is not a list with items", file, name);
      return FALSE;
    }
  if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)))
    {
      g_hash_table_insert (objects, g_strdup (name), json_array_ref (array));
      return TRUE;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (json_node_get_value_type (item) != G_TYPE_STRING)
        {
          g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "%s: “%s” mixes texts and other values", file, name);
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (item));
    }
  g_hash_table_insert (strings, g_strdup (name), g_strv_builder_end (builder));
  return TRUE;
}

static gboolean
load_file (const char  *file,
           GError     **error)
{
  g_autofree char *path = g_strconcat (DEMO_RESOURCES, file, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_autoptr(JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (bytes == NULL
      || !(root = sp_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error)))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "%s: not an object of lists", file);
      return FALSE;
    }
  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &name, &node))
    if (!add_member (file, name, node, error))
      return FALSE;
  return TRUE;
}

/**
 * sp_demo_lists_load:
 *
 * Reads the lists once; load-demo and generate call it before drawing.
 */
gboolean
sp_demo_lists_load (GError **error)
{
  if (strings != NULL)
    return TRUE;
  strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_array_unref);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    if (!load_file (files[i], error))
      {
        g_clear_pointer (&strings, g_hash_table_unref);
        g_clear_pointer (&objects, g_hash_table_unref);
        return FALSE;
      }
  return TRUE;
}

/**
 * sp_demo_list:
 * @name: a list of texts in data/demo/people.json or form-texts.json
 *
 * Returns: (transfer none): its texts, %NULL-terminated
 */
const char * const *
sp_demo_list (const char *name)
{
  const char * const *list = strings != NULL ? g_hash_table_lookup (strings, name) : NULL;

  g_assert (list != NULL);   /* sp_demo_lists_load() first; a name the files have */
  return list;
}

/**
 * sp_demo_records:
 * @name: a list of objects (e.g. "birthplaces")
 *
 * Returns: (transfer none): its objects
 */
JsonArray *
sp_demo_records (const char *name)
{
  JsonArray *records = objects != NULL ? g_hash_table_lookup (objects, name) : NULL;

  g_assert (records != NULL);
  return records;
}
