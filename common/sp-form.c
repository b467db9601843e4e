/* sp-form.c: a service's form data read through its field schema, with labels and nested groups */
#define G_LOG_DOMAIN "sp-form"

#include "config.h"

#include <string.h>

#include "sp-form.h"
#include "sp-json-tape.h"
#include "sp-json.h"

void
sp_form_field_free (SpFormField *field)
{
  if (field == NULL)
    return;
  g_free (field->path);
  g_strfreev (field->labels);
  g_free (field->type);
  g_free (field->value);
  g_free (field);
}

/* @value as sp_form_value_to_text() writes it, its numbers from their text
 * at @node of @tape (the data's text) when there is one. */
static char *
value_to_text (JsonNode            *value,
               const SpJsonTape    *tape,
               guint32              node,
               const char          *type,
               const SpValueFormat *format)
{
  gboolean known = tape != NULL && node != SP_JSON_TAPE_NONE;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return NULL;

  if (JSON_NODE_HOLDS_VALUE (value))
    {
      GType value_type = json_node_get_value_type (value);

      if (known && tape->nodes[node].type == SP_JSON_TAPE_NUMBER)
        {
          g_autofree char *number = g_strndup (sp_json_tape_text (tape, node), tape->nodes[node].len);

          return sp_form_number_to_text (number, format);
        }
      if (value_type == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (value);
          char *formatted = NULL;

          if (text == NULL || *text == '\0')
            return NULL;
          if (g_strcmp0 (type, "date") == 0)
            formatted = sp_value_format_date (format, text);
          else if (g_strcmp0 (type, "number") == 0)
            formatted = sp_value_format_decimal (format, text);
          return formatted != NULL ? formatted : g_strdup (text);
        }
      if (value_type == G_TYPE_BOOLEAN)
        return sp_value_format_boolean (format, json_node_get_boolean (value));
      if (value_type == G_TYPE_INT64)
        return sp_value_format_integer (format, json_node_get_int (value));
      if (value_type == G_TYPE_DOUBLE)
        return sp_value_format_double (format, json_node_get_double (value));
      return NULL;
    }

  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);
      gboolean aligned = known && tape->nodes[node].type == SP_JSON_TAPE_ARRAY
                         && tape->nodes[node].len == json_array_get_length (array);
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          char *part = value_to_text (json_array_get_element (array, i), aligned ? tape : NULL,
                                      aligned ? sp_json_tape_element (tape, node, i) : SP_JSON_TAPE_NONE,
                                      type, format);

          if (part != NULL)
            g_ptr_array_add (parts, part);
        }
      if (parts->len == 0)
        return NULL;
      g_ptr_array_add (parts, NULL);
      return g_strjoinv (", ", (char **) parts->pdata);
    }

  /* An object where the schema expects a value: show it as JSON. */
  {
    g_autoptr(JsonGenerator) generator = json_generator_new ();

    json_generator_set_root (generator, value);
    return json_generator_to_data (generator, NULL);
  }
}

/**
 * sp_form_value_to_text:
 * @value: (nullable): a value of the form data
 * @type: (nullable): the field's type in the schema
 * @format: the language the value is written in (the ente's)
 *
 * A checkbox reads *Sì* or *No*, a number `1.234,5`, a date field's
 * `2026-03-15` reads `15/03/2026` (in Italian); other text as it is.
 *
 * Returns: (nullable): the value as a person reads it; %NULL when empty
 */
char *
sp_form_value_to_text (JsonNode            *value,
                       const char          *type,
                       const SpValueFormat *format)
{
  return value_to_text (value, NULL, SP_JSON_TAPE_NONE, type, format);
}

/**
 * sp_form_number_to_text:
 * @number: a JSON number's text, as typed or stored: `19.99`,
 *   `100000000000000000000`
 * @format: the language the value is written in
 *
 * The number as sp_form_value_to_text() writes one, from its digits rather
 * than from what json-glib holds (a double nearest `19.99`, a gint64
 * wrapped past 64 bits): `1.234,50`, every digit kept (the formatter of
 * sp_audit_number_to_text()); a number with an exponent as it is.
 *
 * Returns: (transfer full): the number as a person reads it
 */
char *
sp_form_number_to_text (const char          *number,
                        const SpValueFormat *format)
{
  char *formatted;

  g_return_val_if_fail (number != NULL, NULL);

  formatted = sp_value_format_decimal (format, number);
  return formatted != NULL ? formatted : g_strdup (number);
}

static void
flatten (JsonArray           *schema,
         JsonObject          *data,
         const SpJsonTape    *tape,
         guint32              object,
         const char          *prefix,
         GStrv                labels,
         guint                depth,
         gboolean             mask_sensitive,
         gboolean             inherited_sensitive,
         const SpValueFormat *format,
         GPtrArray           *out)
{
  for (guint i = 0; schema != NULL && i < json_array_get_length (schema); i++)
    {
      JsonNode *node = json_array_get_element (schema, i);
      JsonObject *spec;
      SpFormField *field;
      const char *key;
      const char *label;
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      JsonNode *value;
      guint32 value_node = SP_JSON_TAPE_NONE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      spec = json_node_get_object (node);
      key = sp_json_get_string (spec, "key", NULL);
      if (key == NULL)
        continue;
      label = sp_json_get_string (spec, "label", key);

      field = g_new0 (SpFormField, 1);
      field->path = prefix != NULL ? g_strconcat (prefix, ".", key, NULL) : g_strdup (key);
      g_strv_builder_addv (builder, (const char **) labels);
      g_strv_builder_add (builder, label);
      field->labels = g_strv_builder_end (builder);
      field->depth = depth;
      field->type = g_strdup (sp_json_get_string (spec, "type", "text"));
      field->sensitive = inherited_sensitive || sp_json_get_bool (spec, "sensitive", FALSE);
      field->is_group = g_str_equal (field->type, "group");
      value = data != NULL ? json_object_get_member (data, key) : NULL;
      if (tape != NULL && object != SP_JSON_TAPE_NONE && tape->nodes[object].type == SP_JSON_TAPE_OBJECT
          && (value_node = sp_json_tape_lookup (tape, object, key, strlen (key))) != SP_JSON_TAPE_NONE)
        value_node++;
      g_ptr_array_add (out, field);

      if (field->is_group)
        {
          JsonNode *children = json_object_get_member (spec, "fields");

          flatten (children != NULL && JSON_NODE_HOLDS_ARRAY (children) ? json_node_get_array (children) : NULL,
                   value != NULL && JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value) : NULL,
                   tape, value_node, field->path, field->labels, depth + 1, mask_sensitive, field->sensitive, format, out);
        }
      else if (field->sensitive && mask_sensitive)
        field->masked = TRUE;
      else
        field->value = value_to_text (value, tape, value_node, field->type, format);
    }
}

/**
 * sp_form_flatten:
 * @schema: the service's `fields`
 * @data: (nullable): the pratica's form data
 * @data_text: (nullable): the JSON text @data was read from, for the digits
 *   of its numbers as stored (sp_form_number_to_text()); without it,
 *   numbers are read as json-glib holds them
 * @mask_sensitive: leave out the values of sensitive fields (and of every
 *   field inside a sensitive group)
 * @format: the language of the values: the ente's (sp_value_format_new()),
 *   the same for the detail and the modulo
 *
 * Returns: (transfer full) (element-type SpFormField): every field of the
 *   schema in order, filled or not
 */
GPtrArray *
sp_form_flatten (JsonArray           *schema,
                 JsonObject          *data,
                 const char          *data_text,
                 gboolean             mask_sensitive,
                 const SpValueFormat *format)
{
  g_autoptr(SpJsonTape) tape = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *out;
  char *no_labels[] = { NULL };

  g_return_val_if_fail (format != NULL, NULL);

  if (data != NULL && data_text != NULL && !(tape = sp_json_tape_new (data_text, strlen (data_text), 129, &error)))
    g_debug ("The form's numbers are read as json-glib holds them: %s", error->message);
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_form_field_free);
  flatten (schema, data, tape, 0, NULL, no_labels, 0, mask_sensitive, FALSE, format, out);
  return out;
}

/**
 * sp_form_field_label:
 *
 * Returns: the labels along the path, as in *Richiedente › Indirizzo › CAP*
 */
char *
sp_form_field_label (const SpFormField *field)
{
  return g_strjoinv (" › ", field->labels);
}

void
sp_form_fields_to_json (GPtrArray   *fields,
                        JsonBuilder *builder)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < fields->len; i++)
    {
      const SpFormField *field = g_ptr_array_index (fields, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, field->path);
      json_builder_set_member_name (builder, "labels");
      json_builder_begin_array (builder);
      for (guint j = 0; field->labels[j] != NULL; j++)
        json_builder_add_string_value (builder, field->labels[j]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, field->type);
      json_builder_set_member_name (builder, "group");
      json_builder_add_boolean_value (builder, field->is_group);
      json_builder_set_member_name (builder, "sensitive");
      json_builder_add_boolean_value (builder, field->sensitive);
      json_builder_set_member_name (builder, "masked");
      json_builder_add_boolean_value (builder, field->masked);
      json_builder_set_member_name (builder, "value");
      if (field->value != NULL)
        json_builder_add_string_value (builder, field->value);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * sp_form_fields_from_json:
 *
 * The inverse of sp_form_fields_to_json(), for clients.
 */
GPtrArray *
sp_form_fields_from_json (JsonArray *array)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_form_field_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      SpFormField *field;
      g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
      JsonNode *label_node;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      field = g_new0 (SpFormField, 1);
      field->path = g_strdup (sp_json_get_string (object, "path", ""));
      label_node = json_object_get_member (object, "labels");
      if (label_node != NULL && JSON_NODE_HOLDS_ARRAY (label_node))
        {
          JsonArray *label_array = json_node_get_array (label_node);

          for (guint j = 0; j < json_array_get_length (label_array); j++)
            {
              const char *label = sp_json_array_get_string (label_array, j);

              if (label != NULL)
                g_strv_builder_add (labels, label);
            }
        }
      field->labels = g_strv_builder_end (labels);
      field->depth = field->labels[0] != NULL ? g_strv_length (field->labels) - 1 : 0;
      field->type = g_strdup (sp_json_get_string (object, "type", "text"));
      field->is_group = sp_json_get_bool (object, "group", FALSE);
      field->sensitive = sp_json_get_bool (object, "sensitive", FALSE);
      field->masked = sp_json_get_bool (object, "masked", FALSE);
      field->value = g_strdup (sp_json_get_string (object, "value", NULL));
      g_ptr_array_add (out, field);
    }
  return out;
}
