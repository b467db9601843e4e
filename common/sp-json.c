/* sp-json.c: strict JSON parsing and canonical serialisation */
#define G_LOG_DOMAIN "sp-json"

#include "config.h"

#include "sp-error.h"
#include "sp-json.h"

/**
 * sp_json_parse:
 *
 * Parses @data as UTF-8 JSON. Any failure is %SP_ERROR_INVALID_INPUT.
 */
JsonNode *
sp_json_parse (const char  *data,
               gsize        length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "The body is empty");
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "The body is not valid UTF-8");
      return NULL;
    }
  /* json-glib 1.6 is lenient (single quotes, trailing documents): refuse
   * what RFC 8259 refuses before it sees the text. */
  if (!sp_json_is_strict (data, length))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "Malformed JSON (RFC 8259)");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "Malformed JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "The body is empty");
      return NULL;
    }
  return json_node_ref (root);
}

/**
 * sp_json_parse_object:
 *
 * Like sp_json_parse() but the document must be an object.
 */
JsonObject *
sp_json_parse_object (const char  *data,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonNode) root = sp_json_parse (data, length, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "The body must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* json-glib 1.6 escapes control characters below U+001F only: it writes
 * U+001F raw, which JSON forbids and sp_json_parse() refuses. Outside strings
 * the byte cannot occur, so every one is escaped in place. */
char *
sp_json_to_string (JsonNode *node,
                   gsize    *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  GString *escaped;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, length);
  if (strchr (text, '\x1f') == NULL)
    return g_steal_pointer (&text);

  escaped = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\x1f')
      g_string_append (escaped, "\\u001f");
    else
      g_string_append_c (escaped, *p);
  if (length != NULL)
    *length = escaped->len;
  return g_string_free (escaped, FALSE);
}

/**
 * sp_json_require_string:
 *
 * Returns: (transfer none): the non-empty string @member of @object, or %NULL
 *   with %SP_ERROR_VALIDATION
 */
const char *
sp_json_require_string (JsonObject  *object,
                        const char  *member,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "“%s” is required", member);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "“%s” must be a string", member);
      return NULL;
    }
  value = json_node_get_string (node);
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "“%s” must not be empty", member);
      return NULL;
    }
  return value;
}

/* Typed getters that never warn: json-glib 1.6's *_with_default() print a
 * critical when the member holds an object or an array. */
static JsonNode *
value_member (JsonObject *object,
              const char *member,
              GType       type)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

/**
 * sp_json_get_string:
 *
 * Returns: (nullable): the string @member of @object, or @fallback when it is
 *   missing or not a string
 */
const char *
sp_json_get_string (JsonObject *object,
                    const char *member,
                    const char *fallback)
{
  JsonNode *node = value_member (object, member, G_TYPE_STRING);

  return node != NULL ? json_node_get_string (node) : fallback;
}

/**
 * sp_json_get_int:
 *
 * Returns: the integer @member of @object, or @fallback
 */
gint64
sp_json_get_int (JsonObject *object,
                 const char *member,
                 gint64      fallback)
{
  JsonNode *node = value_member (object, member, G_TYPE_INT64);

  return node != NULL ? json_node_get_int (node) : fallback;
}

/**
 * sp_json_get_bool:
 *
 * Returns: the boolean @member of @object, or @fallback
 */
gboolean
sp_json_get_bool (JsonObject *object,
                  const char *member,
                  gboolean    fallback)
{
  JsonNode *node = value_member (object, member, G_TYPE_BOOLEAN);

  return node != NULL ? json_node_get_boolean (node) : fallback;
}

/**
 * sp_json_array_get_string:
 *
 * Returns: (nullable): the string at @index, or %NULL when it is not one
 */
const char *
sp_json_array_get_string (JsonArray *array,
                          guint      index)
{
  JsonNode *node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void canonicalize_node (JsonNode *node, GString *out);

static int
compare_members (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
canonicalize_string (const char *s,
                     GString    *out)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), s);
  g_autofree char *quoted = sp_json_to_string (node, NULL);

  g_string_append (out, quoted);
}

static void
canonicalize_object (JsonObject *object,
                     GString    *out)
{
  g_autoptr(GList) members = json_object_get_members (object);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (names, l->data);
  g_ptr_array_sort (names, compare_members);

  g_string_append_c (out, '{');
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (i > 0)
        g_string_append_c (out, ',');
      canonicalize_string (name, out);
      g_string_append_c (out, ':');
      canonicalize_node (json_object_get_member (object, name), out);
    }
  g_string_append_c (out, '}');
}

static void
canonicalize_node (JsonNode *node,
                   GString  *out)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      canonicalize_object (json_node_get_object (node), out);
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            canonicalize_node (json_array_get_element (array, i), out);
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        canonicalize_string (json_node_get_string (node), out);
      else
        {
          g_autofree char *text = sp_json_to_string (node, NULL);

          g_string_append (out, text);
        }
      break;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * sp_json_canonicalize:
 *
 * Serialises @node with object members sorted by name and no white space, so
 * that equal documents give equal bytes.
 */
char *
sp_json_canonicalize (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  canonicalize_node (node, out);
  return g_string_free (out, FALSE);
}

/**
 * sp_json_builder_add_string_or_null:
 * @value: (nullable): the string
 *
 * Adds the member @member to the object being built: @value, or null.
 */
void
sp_json_builder_add_string_or_null (JsonBuilder *builder,
                                    const char  *member,
                                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}
