/* sp-protocol-config.c: the protocol configuration of a service (Arrivo and Risposta) */
#define G_LOG_DOMAIN "sp-protocol-config"

#include "config.h"

#include "sp-error.h"
#include "sp-json.h"
#include "sp-protocol-config.h"

static void
entry_free (gpointer data)
{
  SpProtocolEntry *entry = data;

  g_free (entry->key);
  g_free (entry->label);
  g_free (entry->value);
  g_free (entry);
}

const char *
sp_protocol_provider_to_string (SpProtocolProvider provider)
{
  return provider == SP_PROTOCOL_PROVIDER_EXTERNAL ? "external" : "internal";
}

gboolean
sp_protocol_provider_from_string (const char         *name,
                                  SpProtocolProvider *provider)
{
  if (g_strcmp0 (name, "internal") == 0)
    *provider = SP_PROTOCOL_PROVIDER_INTERNAL;
  else if (g_strcmp0 (name, "external") == 0)
    *provider = SP_PROTOCOL_PROVIDER_EXTERNAL;
  else
    return FALSE;
  return TRUE;
}

SpProtocolConfig *
sp_protocol_config_new (void)
{
  SpProtocolConfig *config = g_new0 (SpProtocolConfig, 1);

  config->arrivo = g_ptr_array_new_with_free_func (entry_free);
  config->risposta = g_ptr_array_new_with_free_func (entry_free);
  return config;
}

void
sp_protocol_config_free (SpProtocolConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->servizio_slug);
  g_free (config->servizio_name);
  g_ptr_array_unref (config->arrivo);
  g_ptr_array_unref (config->risposta);
  g_free (config);
}

static gboolean
read_entries (JsonObject  *protocol,
              const char  *member,
              GPtrArray   *entries,
              GError     **error)
{
  JsonNode *node = json_object_get_member (protocol, member);
  JsonArray *array;

  g_ptr_array_set_size (entries, 0);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "“%s” must be an array", member);
      return FALSE;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      SpProtocolEntry *entry;
      const char *key;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION,
                       "“%s[%u]” must be an object with key, label and value", member, i);
          return FALSE;
        }
      object = json_node_get_object (element);
      if (!(key = sp_json_require_string (object, "key", error)))
        return FALSE;

      entry = g_new0 (SpProtocolEntry, 1);
      entry->key = g_strdup (key);
      entry->label = g_strdup (sp_json_get_string (object, "label", key));
      entry->value = g_strdup (sp_json_get_string (object, "value", ""));
      g_ptr_array_add (entries, entry);
    }
  return TRUE;
}

/**
 * sp_protocol_config_set_entries:
 * @protocol: `{"arrivo": [{key, label, value}…], "risposta": […]}`
 *
 * Replaces the *Arrivo* and *Risposta* entries of @config.
 */
gboolean
sp_protocol_config_set_entries (SpProtocolConfig  *config,
                                JsonNode          *protocol,
                                GError           **error)
{
  JsonObject *object;

  if (protocol == NULL || JSON_NODE_HOLDS_NULL (protocol))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (protocol))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION,
                           "The protocol configuration must be an object");
      return FALSE;
    }
  object = json_node_get_object (protocol);
  return read_entries (object, "arrivo", config->arrivo, error)
         && read_entries (object, "risposta", config->risposta, error);
}

SpProtocolConfig *
sp_protocol_config_from_json (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(SpProtocolConfig) config = sp_protocol_config_new ();
  const char *slug;
  const char *name;

  if (!(slug = sp_json_require_string (object, "servizio", error))
      || !(name = sp_json_require_string (object, "name", error)))
    return NULL;
  config->servizio_slug = g_strdup (slug);
  config->servizio_name = g_strdup (name);
  config->protocol_required = sp_json_get_bool (object, "protocol_required", FALSE);
  if (!sp_protocol_provider_from_string (sp_json_get_string (object, "provider", NULL),
                                         &config->provider))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "“provider” must be internal or external");
      return NULL;
    }
  if (!sp_protocol_config_set_entries (config, json_object_get_member (object, "protocol"), error))
    return NULL;

  return g_steal_pointer (&config);
}

static void
write_entries (JsonBuilder *builder,
               const char  *member,
               GPtrArray   *entries)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      const SpProtocolEntry *entry = g_ptr_array_index (entries, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "key");
      json_builder_add_string_value (builder, entry->key);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, entry->label);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, entry->value);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

void
sp_protocol_config_to_json (const SpProtocolConfig *config,
                            JsonBuilder            *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "servizio");
  json_builder_add_string_value (builder, config->servizio_slug);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, config->servizio_name);
  json_builder_set_member_name (builder, "protocol_required");
  json_builder_add_boolean_value (builder, config->protocol_required);
  json_builder_set_member_name (builder, "provider");
  json_builder_add_string_value (builder, sp_protocol_provider_to_string (config->provider));
  json_builder_set_member_name (builder, "protocol");
  json_builder_begin_object (builder);
  write_entries (builder, "arrivo", config->arrivo);
  write_entries (builder, "risposta", config->risposta);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/**
 * sp_protocol_entries_main_number:
 * @entries: protocol entries as a partner sends them (any JSON values)
 *
 * The main-number rule of DESIGN.md §4: the first entry that is a string,
 * or an object with a string member `numero`, is the pratica's main
 * protocol number (when it has none yet).
 *
 * Returns: (transfer none) (nullable): that number, owned by @entries
 */
const char *
sp_protocol_entries_main_number (JsonArray *entries)
{
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      const char *number = sp_protocol_entry_get_number (json_array_get_element (entries, i));

      if (number != NULL)
        return number;
    }
  return NULL;
}

/**
 * sp_protocol_entry_get_number:
 * @entry: one protocol entry as a partner sent it (any JSON value)
 *
 * The number an entry carries, as the main-number rule reads it: the entry
 * itself when it is a string, or its string member `numero`; never empty.
 *
 * Returns: (transfer none) (nullable): that number, owned by @entry
 */
const char *
sp_protocol_entry_get_number (JsonNode *entry)
{
  const char *number = NULL;

  if (entry == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (entry) && json_node_get_value_type (entry) == G_TYPE_STRING)
    number = json_node_get_string (entry);
  else if (JSON_NODE_HOLDS_OBJECT (entry))
    number = sp_json_get_string (json_node_get_object (entry), "numero", NULL);
  return number != NULL && *number != '\0' ? number : NULL;
}
