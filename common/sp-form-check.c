/* sp-form-check.c: whether values fit their field: one check by type for form data and processing steps */
#define G_LOG_DOMAIN "sp-form"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-form.h"
#include "sp-json.h"
#include "sp-processing.h"

/* The longest text a form field holds. */
#define MAX_FORM_TEXT 10000

static gboolean
is_date (const char *text)
{
  guint64 year, month, day;
  g_auto(GStrv) parts = NULL;

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  parts = g_strsplit (text, "-", 3);
  return g_ascii_string_to_unsigned (parts[0], 10, 1, 9999, &year, NULL)
         && g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &month, NULL)
         && g_ascii_string_to_unsigned (parts[2], 10, 1, 31, &day, NULL)
         && g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

static gboolean
is_email (const char *text)
{
  const char *at = strchr (text, '@');

  return at != NULL && at != text && strchr (at + 1, '@') == NULL && strchr (at + 1, '.') != NULL
         && strpbrk (text, " \t\r\n<>\",;") == NULL;
}

/**
 * sp_form_check_value:
 * @type: the field's type: text, textarea, email, number, date, choice or
 *   select (one of @options), checkbox
 * @options: (nullable): the allowed values of a choice or select
 * @value: a value that is not null
 *
 * The one check of a value against its field's type, for the form data of
 * a pratica and for the fields of processing steps.
 *
 * Returns: %NULL if @value fits, else what is wrong with it (translated)
 */
const char *
sp_form_check_value (const char         *type,
                     const char * const *options,
                     JsonNode           *value)
{
  GType held = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;
  const char *text = held == G_TYPE_STRING ? json_node_get_string (value) : NULL;

  if (g_strcmp0 (type, "text") == 0 || g_strcmp0 (type, "textarea") == 0)
    return text != NULL ? NULL : _("Must be text");
  if (g_strcmp0 (type, "email") == 0)
    return text != NULL && (*text == '\0' || is_email (text)) ? NULL : _("Must be an e-mail address");
  if (g_strcmp0 (type, "number") == 0)
    return held == G_TYPE_INT64 || held == G_TYPE_DOUBLE ? NULL : _("Must be a number");
  if (g_strcmp0 (type, "date") == 0)
    return text != NULL && (*text == '\0' || is_date (text)) ? NULL : _("Must be a date (YYYY-MM-DD)");
  if (g_strcmp0 (type, "choice") == 0 || g_strcmp0 (type, "select") == 0)
    return text != NULL && (*text == '\0' || (options != NULL && g_strv_contains (options, text)))
           ? NULL : _("Must be one of the options");
  if (g_strcmp0 (type, "checkbox") == 0)
    return held == G_TYPE_BOOLEAN ? NULL : _("Must be true or false");
  return _("Unknown field type");
}

static GStrv
options_of (JsonObject *field)
{
  JsonNode *node = json_object_get_member (field, "options");
  g_autoptr(GStrvBuilder) options = g_strv_builder_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      {
        const char *option = sp_json_array_get_string (json_node_get_array (node), i);

        if (option != NULL)
          g_strv_builder_add (options, option);
      }
  return g_strv_builder_end (options);
}

static gboolean
is_empty (JsonNode *value)
{
  return value == NULL || JSON_NODE_HOLDS_NULL (value)
         || (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
             && *json_node_get_string (value) == '\0');
}

static void
check_object (JsonArray  *schema,
              JsonObject *data,
              const char *prefix,
              JsonArray  *errors)
{
  g_autoptr(GList) members = json_object_get_members (data);

  for (guint i = 0; i < json_array_get_length (schema); i++)
    {
      JsonObject *field = json_array_get_object_element (schema, i);
      const char *key = sp_json_get_string (field, "key", "");
      const char *type = sp_json_get_string (field, "type", "text");
      g_autofree char *path = prefix != NULL ? g_strconcat (prefix, ".", key, NULL) : g_strdup (key);
      JsonNode *value = json_object_get_member (data, key);
      const char *problem = NULL;

      if (is_empty (value))
        {
          if (sp_json_get_bool (field, "required", FALSE))
            sp_field_errors_add (errors, path, _("Required"));
          continue;
        }
      if (g_str_equal (type, "group"))
        {
          JsonNode *fields = json_object_get_member (field, "fields");

          if (!JSON_NODE_HOLDS_OBJECT (value))
            sp_field_errors_add (errors, path, _("Must be an object of field values"));
          else if (fields != NULL && JSON_NODE_HOLDS_ARRAY (fields))
            check_object (json_node_get_array (fields), json_node_get_object (value), path, errors);
          continue;
        }
      {
        g_auto(GStrv) options = options_of (field);

        problem = sp_form_check_value (type, (const char * const *) options, value);
      }
      if (problem == NULL && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
          && g_utf8_strlen (json_node_get_string (value), -1) > MAX_FORM_TEXT)
        problem = _("The text is too long");
      if (problem != NULL)
        sp_field_errors_add (errors, path, problem);
    }

  /* What the schema does not name is refused, not kept unseen. */
  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < json_array_get_length (schema) && !known; i++)
        known = g_strcmp0 (sp_json_get_string (json_array_get_object_element (schema, i), "key", NULL), l->data) == 0;
      if (!known)
        {
          g_autofree char *path = prefix != NULL ? g_strconcat (prefix, ".", l->data, NULL) : g_strdup (l->data);

          sp_field_errors_add (errors, path, _("Not a field of this form"));
        }
    }
}

/**
 * sp_form_check:
 * @schema: a service's field schema
 * @data: form data
 * @prefix: (nullable): what the paths of @errors begin with (`dati`)
 * @errors: where `{field, message}` is added for each problem, with the
 *   field's dotted path (`dati.richiedente.indirizzo.cap`)
 *
 * Checks form data against the field schema: required fields, each value's
 * type (sp_form_check_value()), nested groups, members the schema lacks.
 *
 * Returns: whether @data fits
 */
gboolean
sp_form_check (JsonArray  *schema,
               JsonObject *data,
               const char *prefix,
               JsonArray  *errors)
{
  guint before = json_array_get_length (errors);

  check_object (schema, data, prefix, errors);
  return json_array_get_length (errors) == before;
}
