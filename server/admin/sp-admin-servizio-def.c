/* sp-admin-servizio-def.c: reads and validates a servizio definition (servizio-import, load-demo) */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-admin-servizio-def.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-processing.h"

#define MAX_DEPTH 8

static const char * const field_types[] = {
  "text", "textarea", "date", "number", "email", "checkbox", "select", "group", NULL };

static const char * const root_members[] = {
  "slug", "name", "description", "active", "protocol_required", "protocol_provider", "protocol",
  "deadline_days", "signed_response_required", "fields", "steps", "texts", "scheda_informativa", NULL };
static const char * const field_members[] = {
  "key", "label", "type", "required", "sensitive", "options", "fields", "help", NULL };
static const char * const step_members[] = { "key", "title", "only_if_approved", "fields", NULL };
static const char * const step_field_members[] = { "key", "label", "type", "required", "options", "help", NULL };
static const char * const protocol_members[] = { "arrivo", "risposta", NULL };
static const char * const entry_members[] = { "key", "label", "value", NULL };
static const char * const scheda_members[] = { "data", "metadata", NULL };

/* Generic steps every service has; a service's own steps may not reuse their keys. */
static const char * const reserved_steps[] = { "esito", "risposta", NULL };

static gboolean
fail (GError     **error,
      const char  *path,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
      const char  *path,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "%s%s%s", path, *path != '\0' ? ": " : "", message);
  return FALSE;
}

static gboolean
check_members (JsonObject          *object,
               const char * const  *allowed,
               const char          *path,
               GError             **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_autofree char *list = g_strjoinv (", ", (char **) allowed);

        return fail (error, path, "unknown member “%s” (expected %s)", (char *) l->data, list);
      }
  return TRUE;
}

static gboolean
is_type (JsonNode *node,
         GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* A string member; NULL (and TRUE) when absent and optional. */
static gboolean
get_string (JsonObject   *object,
            const char   *member,
            gboolean      required,
            const char   *path,
            const char  **value,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL && !required)
    return TRUE;
  if (node == NULL)
    return fail (error, path, "missing %s", member);
  if (!is_type (node, G_TYPE_STRING))
    return fail (error, path, "“%s” must be a string", member);
  *value = json_node_get_string (node);
  if (required)
    {
      g_autofree char *copy = g_strstrip (g_strdup (*value));

      if (*copy == '\0')
        return fail (error, path, "empty %s", member);
    }
  return TRUE;
}

/* Checks a boolean member and writes the default back when it is absent. */
static gboolean
normalise_bool (JsonObject  *object,
                const char  *member,
                gboolean     default_value,
                const char  *path,
                gboolean    *value,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    json_object_set_boolean_member (object, member, default_value);
  else if (!is_type (node, G_TYPE_BOOLEAN))
    return fail (error, path, "“%s” must be true or false", member);
  if (value != NULL)
    *value = json_object_get_boolean_member (object, member);
  return TRUE;
}

static gboolean
check_key (const char  *key,
           const char  *path,
           GError     **error)
{
  if (!g_regex_match_simple ("^[a-z][a-z0-9_]{0,63}$", key, 0, 0))
    return fail (error, path, "bad key “%s”: use lower-case letters, digits and _, starting with a letter", key);
  return TRUE;
}

static gboolean
check_options (JsonNode    *node,
               const char  *path,
               GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *options;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return fail (error, path, "a select needs “options”, a non-empty array");
  options = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      JsonNode *option = json_array_get_element (options, i);
      const char *value = NULL;

      if (is_type (option, G_TYPE_STRING))
        value = json_node_get_string (option);
      else if (JSON_NODE_HOLDS_OBJECT (option)
               && is_type (json_object_get_member (json_node_get_object (option), "value"), G_TYPE_STRING)
               && is_type (json_object_get_member (json_node_get_object (option), "label"), G_TYPE_STRING))
        value = json_object_get_string_member (json_node_get_object (option), "value");
      if (value == NULL || *value == '\0')
        return fail (error, path, "options[%u] must be a non-empty string or {value, label}", i);
      if (!g_hash_table_add (seen, (gpointer) value))
        return fail (error, path, "duplicate option “%s”", value);
    }
  return TRUE;
}

static gboolean validate_fields (JsonNode *node, const char *path, guint depth, GHashTable *top_keys, GError **error);

static gboolean
validate_field (JsonNode    *node,
                const char  *path,
                guint        depth,
                GHashTable  *keys,
                GError     **error)
{
  JsonObject *field;
  const char *key, *label, *type;
  g_autofree char *here = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, path, "a field must be an object with key, label and type");
  field = json_node_get_object (node);
  if (!get_string (field, "key", TRUE, path, &key, error) || !check_key (key, path, error))
    return FALSE;
  here = g_strdup_printf ("%s (“%s”)", path, key);
  if (!g_hash_table_add (keys, (gpointer) key))
    return fail (error, here, "duplicate key “%s”", key);
  if (!check_members (field, field_members, here, error)
      || !get_string (field, "label", TRUE, here, &label, error)
      || !get_string (field, "type", TRUE, here, &type, error))
    return FALSE;
  if (!g_strv_contains (field_types, type))
    {
      g_autofree char *list = g_strjoinv (", ", (char **) field_types);

      return fail (error, here, "unknown type “%s” (expected %s)", type, list);
    }
  if (!normalise_bool (field, "required", FALSE, here, NULL, error)
      || !normalise_bool (field, "sensitive", FALSE, here, NULL, error)
      || !get_string (field, "help", FALSE, here, &label, error))
    return FALSE;

  if (g_str_equal (type, "select"))
    return check_options (json_object_get_member (field, "options"), here, error);
  if (json_object_has_member (field, "options"))
    return fail (error, here, "only a select has “options”");
  if (g_str_equal (type, "group"))
    {
      if (depth >= MAX_DEPTH)
        return fail (error, here, "groups nest deeper than %d levels", MAX_DEPTH);
      return validate_fields (json_object_get_member (field, "fields"), here, depth + 1, NULL, error);
    }
  if (json_object_has_member (field, "fields"))
    return fail (error, here, "only a group has “fields”");
  return TRUE;
}

static gboolean
validate_fields (JsonNode    *node,
                 const char  *path,
                 guint        depth,
                 GHashTable  *top_keys,
                 GError     **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *fields;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return fail (error, path, "“fields” must be a non-empty array");
  fields = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      g_autofree char *here = g_strdup_printf ("%s%sfields[%u]", path, *path != '\0' ? " › " : "", i);

      if (!validate_field (json_array_get_element (fields, i), here, depth, keys, error))
        return FALSE;
    }
  if (top_keys != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, keys);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (top_keys, key);
    }
  return TRUE;
}

/* A step's field: a type of Elabora's (common/sp-processing.c), a choice
 * with its options as plain strings. */
static gboolean
validate_step_field (JsonNode    *node,
                     const char  *path,
                     GHashTable  *keys,
                     GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *here = NULL;
  JsonObject *field;
  JsonNode *options;
  const char *key, *label, *type;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, path, "a field must be an object with key, label and type");
  field = json_node_get_object (node);
  if (!get_string (field, "key", TRUE, path, &key, error) || !check_key (key, path, error))
    return FALSE;
  here = g_strdup_printf ("%s (“%s”)", path, key);
  if (!g_hash_table_add (keys, (gpointer) key))
    return fail (error, here, "duplicate key “%s”", key);
  if (!check_members (field, step_field_members, here, error)
      || !get_string (field, "label", TRUE, here, &label, error)
      || !get_string (field, "type", TRUE, here, &type, error)
      || !normalise_bool (field, "required", FALSE, here, NULL, error)
      || !get_string (field, "help", FALSE, here, &label, error))
    return FALSE;
  if (sp_step_field_type_from_string (type) == SP_STEP_FIELD_INVALID)
    return fail (error, here, "unknown type “%s” (expected text, number, date, choice or checkbox)", type);

  options = json_object_get_member (field, "options");
  if (sp_step_field_type_from_string (type) != SP_STEP_FIELD_CHOICE)
    return options == NULL ? TRUE : fail (error, here, "only a choice has “options”");
  if (options == NULL || !JSON_NODE_HOLDS_ARRAY (options) || json_array_get_length (json_node_get_array (options)) == 0)
    return fail (error, here, "a choice needs “options”, a non-empty array of strings");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (options)); i++)
    {
      const char *option = sp_json_array_get_string (json_node_get_array (options), i);

      if (option == NULL || *option == '\0')
        return fail (error, here, "options[%u] must be a non-empty string", i);
      if (!g_hash_table_add (seen, (gpointer) option))
        return fail (error, here, "duplicate option “%s”", option);
    }
  return TRUE;
}

static gboolean
validate_step_fields (JsonNode    *node,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *fields;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) == 0)
    return fail (error, path, "“fields” must be a non-empty array");
  fields = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      g_autofree char *here = g_strdup_printf ("%s › fields[%u]", path, i);

      if (!validate_step_field (json_array_get_element (fields, i), here, keys, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
validate_steps (JsonNode    *node,
                GHashTable  *field_keys,
                GError     **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *steps;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, "steps", "must be an array");
  steps = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonNode *element = json_array_get_element (steps, i);
      g_autofree char *path = g_strdup_printf ("steps[%u]", i);
      g_autofree char *here = NULL;
      const char *key, *title;
      JsonObject *step;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail (error, path, "a step must be an object with key, title and fields");
      step = json_node_get_object (element);
      if (!get_string (step, "key", TRUE, path, &key, error) || !check_key (key, path, error))
        return FALSE;
      here = g_strdup_printf ("%s (“%s”)", path, key);
      if (g_strv_contains (reserved_steps, key))
        return fail (error, here, "“%s” is a generic step of every servizio", key);
      /* Step values are kept in the pratica data under the step's key. */
      if (g_hash_table_contains (field_keys, key))
        return fail (error, here, "the key “%s” is also a field of the form", key);
      if (!g_hash_table_add (keys, (gpointer) key))
        return fail (error, here, "duplicate key “%s”", key);
      if (!check_members (step, step_members, here, error)
          || !get_string (step, "title", TRUE, here, &title, error)
          || !normalise_bool (step, "only_if_approved", FALSE, here, NULL, error)
          || !validate_step_fields (json_object_get_member (step, "fields"), here, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
validate_entries (JsonObject  *protocol,
                  const char  *member,
                  GError     **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *node = json_object_get_member (protocol, member);
  JsonArray *entries;

  if (node == NULL)
    {
      json_object_set_array_member (protocol, member, json_array_new ());
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, "protocol", "“%s” must be an array", member);
  entries = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonNode *element = json_array_get_element (entries, i);
      g_autofree char *path = g_strdup_printf ("protocol › %s[%u]", member, i);
      const char *key, *label, *value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail (error, path, "an entry must be an object with key, label and value");
      if (!check_members (json_node_get_object (element), entry_members, path, error)
          || !get_string (json_node_get_object (element), "key", TRUE, path, &key, error)
          || !get_string (json_node_get_object (element), "label", TRUE, path, &label, error)
          || !get_string (json_node_get_object (element), "value", TRUE, path, &value, error))
        return FALSE;
      if (!g_hash_table_add (keys, (gpointer) key))
        return fail (error, path, "duplicate key “%s”", key);
    }
  return TRUE;
}

static gboolean
validate_protocol (JsonObject  *root,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (root, "protocol");
  JsonObject *protocol;

  if (node == NULL)
    {
      json_object_set_object_member (root, "protocol", json_object_new ());
      node = json_object_get_member (root, "protocol");
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, "protocol", "must be an object {arrivo: […], risposta: […]}");
  protocol = json_node_get_object (node);
  return check_members (protocol, protocol_members, "protocol", error)
         && validate_entries (protocol, "arrivo", error)
         && validate_entries (protocol, "risposta", error);
}

static gboolean
validate_texts (JsonObject  *root,
                GError     **error)
{
  JsonNode *node = json_object_get_member (root, "texts");
  g_autoptr(GList) members = NULL;

  if (node == NULL)
    {
      json_object_set_object_member (root, "texts", json_object_new ());
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, "texts", "must be an object {step: text}");
  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next)
    if (!is_type (json_object_get_member (json_node_get_object (node), l->data), G_TYPE_STRING))
      return fail (error, "texts", "the text of step “%s” must be a string", (char *) l->data);
  return TRUE;
}

static gboolean
validate_scheda (JsonObject  *root,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (root, "scheda_informativa");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, "scheda_informativa", "must be an object {data, metadata}");
  return check_members (json_node_get_object (node), scheda_members, "scheda_informativa", error);
}

static gboolean
validate_deadline (JsonObject  *root,
                   int         *days,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (root, "deadline_days");

  *days = 30;
  if (node == NULL)
    return TRUE;
  if (!is_type (node, G_TYPE_INT64) || json_node_get_int (node) < 1 || json_node_get_int (node) > 3650)
    return fail (error, "deadline_days", "must be a whole number of days between 1 and 3650");
  *days = (int) json_node_get_int (node);
  return TRUE;
}

static JsonNode *
deep_copy (JsonNode *node)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = sp_json_to_string (node, NULL);

  if (!json_parser_load_from_data (parser, text, -1, NULL))
    g_assert_not_reached ();
  return json_node_ref (json_parser_get_root (parser));
}

/**
 * sp_admin_servizio_def_from_json:
 *
 * Validates @root; nothing is kept on failure, and the error names the
 * member at fault (e.g. `fields[2] (“richiedente”) › fields[0] (“cap”): unknown type “txt”`).
 */
SpAdminServizioDef *
sp_admin_servizio_def_from_json (JsonNode  *root,
                                 GError   **error)
{
  g_autoptr(SpAdminServizioDef) def = g_new0 (SpAdminServizioDef, 1);
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(GHashTable) field_keys = g_hash_table_new (g_str_hash, g_str_equal);
  const char *slug, *name, *description, *provider;
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, "", "a servizio must be a JSON object");
      return NULL;
    }
  /* Defaults are written into a private, mutable copy. */
  copy = deep_copy (root);
  object = json_node_get_object (copy);

  if (!check_members (object, root_members, "", error)
      || !get_string (object, "slug", TRUE, "", &slug, error))
    return NULL;
  if (!g_regex_match_simple ("^[a-z0-9][a-z0-9-]{0,63}$", slug, 0, 0))
    {
      fail (error, "slug", "bad slug “%s”: use lower-case letters, digits and - (at most 64)", slug);
      return NULL;
    }
  if (!get_string (object, "name", TRUE, "", &name, error)
      || !get_string (object, "description", FALSE, "", &description, error)
      || !get_string (object, "protocol_provider", FALSE, "", &provider, error)
      || !normalise_bool (object, "active", TRUE, "", &def->active, error)
      || !normalise_bool (object, "protocol_required", TRUE, "", &def->protocol_required, error)
      || !normalise_bool (object, "signed_response_required", FALSE, "", &def->signed_response_required, error)
      || !validate_deadline (object, &def->deadline_days, error))
    return NULL;
  if (provider != NULL && !g_str_equal (provider, "internal") && !g_str_equal (provider, "external"))
    {
      fail (error, "protocol_provider", "must be internal or external, not “%s”", provider);
      return NULL;
    }
  if (!json_object_has_member (object, "steps"))
    json_object_set_array_member (object, "steps", json_array_new ());
  if (!validate_protocol (object, error)
      || !validate_fields (json_object_get_member (object, "fields"), "", 0, field_keys, error)
      || !validate_steps (json_object_get_member (object, "steps"), field_keys, error)
      || !validate_texts (object, error)
      || !validate_scheda (object, error))
    return NULL;

  def->slug = g_strdup (slug);
  def->name = g_strstrip (g_strdup (name));
  def->description = g_strdup (description != NULL ? description : "");
  def->protocol_provider = g_strdup (provider != NULL ? provider : "internal");
  def->protocol = json_node_copy (json_object_get_member (object, "protocol"));
  def->fields = json_node_copy (json_object_get_member (object, "fields"));
  def->steps = json_node_copy (json_object_get_member (object, "steps"));
  def->texts = json_node_copy (json_object_get_member (object, "texts"));
  if (json_object_has_member (object, "scheda_informativa")
      && !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "scheda_informativa")))
    def->scheda_informativa = json_node_copy (json_object_get_member (object, "scheda_informativa"));
  return g_steal_pointer (&def);
}

/**
 * sp_admin_servizio_def_from_data:
 * @source: the file or resource name, to prefix errors with
 */
SpAdminServizioDef *
sp_admin_servizio_def_from_data (const char  *data,
                                 gsize        length,
                                 const char  *source,
                                 GError     **error)
{
  g_autoptr(JsonNode) root = sp_json_parse (data, length, error);
  SpAdminServizioDef *def;

  if (root == NULL || !(def = sp_admin_servizio_def_from_json (root, error)))
    {
      g_prefix_error (error, "%s: ", source);
      return NULL;
    }
  return def;
}

void
sp_admin_servizio_def_free (SpAdminServizioDef *def)
{
  if (def == NULL)
    return;
  g_free (def->slug);
  g_free (def->name);
  g_free (def->description);
  g_free (def->protocol_provider);
  g_clear_pointer (&def->protocol, json_node_unref);
  g_clear_pointer (&def->fields, json_node_unref);
  g_clear_pointer (&def->steps, json_node_unref);
  g_clear_pointer (&def->texts, json_node_unref);
  g_clear_pointer (&def->scheda_informativa, json_node_unref);
  g_free (def);
}
