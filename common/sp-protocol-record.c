/* sp-protocol-record.c: one registration of a pratica, internal or sent by a partner, to and from JSON */
#define G_LOG_DOMAIN "sp-pratica"

#include "config.h"

#include "sp-json.h"
#include "sp-pratica.h"
#include "sp-protocol-config.h"
#include "sp-protocol-record.h"

/**
 * sp_protocol_origin_to_string:
 *
 * Returns: `internal` or `external`, as the API writes it
 */
const char *
sp_protocol_origin_to_string (SpProtocolOrigin origin)
{
  return origin == SP_PROTOCOL_ORIGIN_EXTERNAL ? "external" : "internal";
}

static gboolean
origin_from_string (const char       *name,
                    SpProtocolOrigin *origin)
{
  /* Without one, the register's row of an older server. */
  if (name == NULL || g_str_equal (name, "internal"))
    *origin = SP_PROTOCOL_ORIGIN_INTERNAL;
  else if (g_str_equal (name, "external"))
    *origin = SP_PROTOCOL_ORIGIN_EXTERNAL;
  else
    return FALSE;
  return TRUE;
}

/**
 * sp_protocol_record_new_external:
 * @raw: a protocol entry as stored: the JSON text of any value
 *
 * An entry a partner sent (DESIGN.md §4), with its number read as the
 * main-number rule reads it (sp_protocol_entry_get_number()) and its date
 * when it is an object with a string member `data`. Text that is not JSON
 * is kept too, without a number.
 *
 * Returns: (transfer full): the record
 */
SpProtocolRecord *
sp_protocol_record_new_external (const char *raw)
{
  SpProtocolRecord *record = g_new0 (SpProtocolRecord, 1);
  g_autoptr(JsonNode) entry = NULL;

  g_return_val_if_fail (raw != NULL, record);

  record->origin = SP_PROTOCOL_ORIGIN_EXTERNAL;
  record->raw = g_strdup (raw);
  entry = sp_json_parse (raw, strlen (raw), NULL);
  record->number = g_strdup (sp_protocol_entry_get_number (entry));
  if (entry != NULL && JSON_NODE_HOLDS_OBJECT (entry))
    record->date = g_strdup (sp_json_get_string (json_node_get_object (entry), "data", NULL));
  return record;
}

void
sp_protocol_record_free (SpProtocolRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->number);
  g_clear_pointer (&record->registered_at, g_date_time_unref);
  g_free (record->direction);
  g_free (record->date);
  g_free (record->registered_by);
  g_free (record->raw);
  g_free (record);
}

static gboolean
is_plain_member (const char *member,
                 JsonNode   *value)
{
  return (g_str_equal (member, "numero") || g_str_equal (member, "data"))
         && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING;
}

/**
 * sp_protocol_record_is_plain:
 *
 * Whether @record says all there is in its number and date: a row of the
 * register, or an entry that is a number as a string, or an object of a
 * string `numero` and maybe a string `data`. Any other entry is shown as
 * its JSON text too, so that nothing a partner sent is hidden.
 */
gboolean
sp_protocol_record_is_plain (const SpProtocolRecord *record)
{
  g_autoptr(JsonNode) entry = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  if (record->origin == SP_PROTOCOL_ORIGIN_INTERNAL)
    return record->number != NULL;
  if (record->number == NULL || record->raw == NULL
      || !(entry = sp_json_parse (record->raw, strlen (record->raw), NULL)))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (entry))
    return TRUE;   /* the number is the entry */
  json_object_iter_init (&iter, json_node_get_object (entry));
  while (json_object_iter_next (&iter, &member, &value))
    if (!is_plain_member (member, value))
      return FALSE;
  return TRUE;
}

/**
 * sp_protocol_records_to_json:
 * @records: (element-type SpProtocolRecord)
 *
 * Writes `[{origin, number, registered_at, direction, date, registered_by,
 * raw, main}]`.
 */
void
sp_protocol_records_to_json (GPtrArray   *records,
                             JsonBuilder *builder)
{
  json_builder_begin_array (builder);
  for (guint i = 0; i < records->len; i++)
    {
      const SpProtocolRecord *record = g_ptr_array_index (records, i);

      json_builder_begin_object (builder);
      sp_json_builder_add_string_or_null (builder, "origin", sp_protocol_origin_to_string (record->origin));
      sp_json_builder_add_string_or_null (builder, "number", record->number);
      sp_json_add_datetime (builder, "registered_at", record->registered_at);
      sp_json_builder_add_string_or_null (builder, "direction", record->direction);
      sp_json_builder_add_string_or_null (builder, "date", record->date);
      sp_json_builder_add_string_or_null (builder, "registered_by", record->registered_by);
      sp_json_builder_add_string_or_null (builder, "raw", record->raw);
      json_builder_set_member_name (builder, "main");
      json_builder_add_boolean_value (builder, record->main);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/**
 * sp_protocol_records_from_json:
 * @array: (nullable): what sp_protocol_records_to_json() wrote
 * @records: (element-type SpProtocolRecord): where to append them
 *
 * Skips what is not a record: an internal one without a number, an external
 * one with neither a number nor its text, an unknown origin.
 */
void
sp_protocol_records_from_json (JsonArray *array,
                               GPtrArray *records)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(SpProtocolRecord) record = NULL;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      record = g_new0 (SpProtocolRecord, 1);
      if (!origin_from_string (sp_json_get_string (object, "origin", NULL), &record->origin))
        continue;
      record->number = g_strdup (sp_json_get_string (object, "number", NULL));
      record->registered_at = sp_json_get_datetime (object, "registered_at");
      record->direction = g_strdup (sp_json_get_string (object, "direction", NULL));
      record->date = g_strdup (sp_json_get_string (object, "date", NULL));
      record->registered_by = g_strdup (sp_json_get_string (object, "registered_by", NULL));
      record->raw = g_strdup (sp_json_get_string (object, "raw", NULL));
      record->main = sp_json_get_bool (object, "main", FALSE);
      if (record->number == NULL
          && (record->origin == SP_PROTOCOL_ORIGIN_INTERNAL || record->raw == NULL))
        continue;
      g_ptr_array_add (records, g_steal_pointer (&record));
    }
}
