/* test-protocol-record.c: a pratica's registrations, internal and sent by partners, and their JSON round trip */
#define G_LOG_DOMAIN "test-protocol-record"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-json.h"
#include "sp-pratica-detail.h"
#include "sp-protocol-config.h"
#include "sp-protocol-record.h"

/* raw, number, date, plain */
static const struct { const char *raw; const char *number; const char *date; gboolean plain; }
shapes[] = {
  { "\"PG/2026/0000001\"", "PG/2026/0000001", NULL, TRUE },
  { "{\"data\": \"2026-03-05\", \"numero\": \"PG/2026/0000007\"}", "PG/2026/0000007", "2026-03-05", TRUE },
  { "{\"numero\": \"PG/2026/0000008\"}", "PG/2026/0000008", NULL, TRUE },
  { "{\"aoo\": \"AOO1\", \"numero\": \"PG/2026/0000009\"}", "PG/2026/0000009", NULL, FALSE },
  { "{\"data\": 20260305, \"numero\": \"PG/2026/0000010\"}", "PG/2026/0000010", NULL, FALSE },
  { "{\"numero\": {\"anno\": 2026, \"n\": 11}, \"data\": \"2026-03-06\"}", NULL, "2026-03-06", FALSE },
  { "{\"numero\": 12}", NULL, NULL, FALSE },
  { "{\"numero\": \"\"}", NULL, NULL, FALSE },
  { "\"\"", NULL, NULL, FALSE },
  { "42", NULL, NULL, FALSE },
  { "3.5", NULL, NULL, FALSE },
  { "true", NULL, NULL, FALSE },
  { "null", NULL, NULL, FALSE },
  { "[\"PG/1\", {\"numero\": \"PG/2\"}]", NULL, NULL, FALSE },
  { "{}", NULL, NULL, FALSE },
  { "not json at all", NULL, NULL, FALSE },
};

/* Each shape a partner may send: what is read out of it, and it is kept. */
static void
test_external_shapes (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(SpProtocolRecord) record = sp_protocol_record_new_external (shapes[i].raw);

      g_test_message ("entry %s", shapes[i].raw);
      g_assert_cmpint (record->origin, ==, SP_PROTOCOL_ORIGIN_EXTERNAL);
      g_assert_cmpstr (record->raw, ==, shapes[i].raw);
      g_assert_cmpstr (record->number, ==, shapes[i].number);
      g_assert_cmpstr (record->date, ==, shapes[i].date);
      g_assert_null (record->direction);
      g_assert_false (record->main);
      g_assert_cmpint (sp_protocol_record_is_plain (record), ==, shapes[i].plain);
    }
}

/* The number an entry carries is the one the main-number rule would take. */
static void
test_entry_number_rule (void)
{
  g_autoptr(JsonNode) entries = sp_json_parse ("[42, {\"numero\": \"\"}, true, {\"numero\": \"PG/3\"}, \"PG/4\"]",
                                               strlen ("[42, {\"numero\": \"\"}, true, {\"numero\": \"PG/3\"}, \"PG/4\"]"),
                                               NULL);
  JsonArray *array = json_node_get_array (entries);

  g_assert_null (sp_protocol_entry_get_number (NULL));
  g_assert_null (sp_protocol_entry_get_number (json_array_get_element (array, 0)));
  g_assert_null (sp_protocol_entry_get_number (json_array_get_element (array, 1)));
  g_assert_cmpstr (sp_protocol_entry_get_number (json_array_get_element (array, 3)), ==, "PG/3");
  g_assert_cmpstr (sp_protocol_entries_main_number (array), ==, "PG/3");
}

static SpPraticaDetail *
detail_with_number (const char *protocol_number)
{
  g_autoptr(SpPraticaDetail) detail = sp_pratica_detail_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) summary = NULL;
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "0f6b3a7e-3b1a-4c55-9d1e-2b8a3c4d5e6f");
  json_builder_set_member_name (builder, "numero");
  json_builder_add_string_value (builder, "2026-000001");
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, 7000);
  json_builder_set_member_name (builder, "submitted_at");
  json_builder_add_string_value (builder, "2026-03-01T09:00:00+01:00");
  json_builder_set_member_name (builder, "protocol_number");
  json_builder_add_string_value (builder, protocol_number);
  json_builder_end_object (builder);
  summary = json_builder_get_root (builder);
  detail->summary = sp_pratica_summary_from_json (json_node_get_object (summary), &error);
  g_assert_no_error (error);
  return g_steal_pointer (&detail);
}

static SpProtocolRecord *
internal_record (const char *number,
                 const char *at,
                 const char *direction)
{
  SpProtocolRecord *record = g_new0 (SpProtocolRecord, 1);

  record->origin = SP_PROTOCOL_ORIGIN_INTERNAL;
  record->number = g_strdup (number);
  record->registered_at = g_date_time_new_from_iso8601 (at, NULL);
  record->direction = g_strdup (direction);
  return record;
}

/* Internal rows and every shape of entry through the wire and back, in
 * order, with the main number marked once. */
static void
test_detail_round_trip (void)
{
  g_autoptr(SpPraticaDetail) detail = detail_with_number ("PG/2026/0000007");
  g_autoptr(SpPraticaDetail) again = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  SpProtocolRecord *record;
  guint first_external;

  g_ptr_array_add (detail->protocols, internal_record ("2026/0000123", "2026-03-01T09:05:00+01:00", "arrivo"));
  g_ptr_array_add (detail->protocols, internal_record ("2026/0000200", "2026-03-20T16:00:00+01:00", "risposta"));
  first_external = detail->protocols->len;
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      record = sp_protocol_record_new_external (shapes[i].raw);
      if (i == 0)
        {
          record->registered_by = g_strdup ("Edilizia Online");
          record->registered_at = g_date_time_new_from_iso8601 ("2026-03-05T10:12:00+01:00", NULL);
        }
      g_ptr_array_add (detail->protocols, record);
    }
  /* The same number again: only the first is the main one. */
  g_ptr_array_add (detail->protocols, sp_protocol_record_new_external ("\"PG/2026/0000007\""));
  sp_pratica_detail_mark_main_protocol (detail);

  sp_pratica_detail_to_json (detail, builder);
  root = json_builder_get_root (builder);
  text = sp_json_to_string (root, NULL);
  object = sp_json_parse_object (text, strlen (text), &error);
  g_assert_no_error (error);
  again = sp_pratica_detail_from_json (object, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (again->protocols->len, ==, detail->protocols->len);
  for (guint i = 0; i < again->protocols->len; i++)
    {
      const SpProtocolRecord *before = g_ptr_array_index (detail->protocols, i);
      const SpProtocolRecord *after = g_ptr_array_index (again->protocols, i);

      g_assert_cmpint (after->origin, ==, before->origin);
      g_assert_cmpstr (after->number, ==, before->number);
      g_assert_cmpstr (after->direction, ==, before->direction);
      g_assert_cmpstr (after->date, ==, before->date);
      g_assert_cmpstr (after->registered_by, ==, before->registered_by);
      g_assert_cmpstr (after->raw, ==, before->raw);
      g_assert_cmpint (after->main, ==, before->main);
      g_assert_cmpint (after->registered_at != NULL, ==, before->registered_at != NULL);
      if (after->registered_at != NULL)
        g_assert_true (g_date_time_equal (after->registered_at, before->registered_at));
    }

  record = g_ptr_array_index (again->protocols, 0);
  g_assert_cmpint (record->origin, ==, SP_PROTOCOL_ORIGIN_INTERNAL);
  g_assert_cmpstr (record->direction, ==, "arrivo");
  g_assert_false (record->main);
  /* The object entry {numero: PG/2026/0000007, data} is the main one, not the later string. */
  record = g_ptr_array_index (again->protocols, first_external + 1);
  g_assert_true (record->main);
  record = g_ptr_array_index (again->protocols, again->protocols->len - 1);
  g_assert_cmpstr (record->number, ==, "PG/2026/0000007");
  g_assert_false (record->main);

  g_assert_nonnull (strstr (text, "\"origin\":\"internal\""));
  g_assert_nonnull (strstr (text, "\"origin\":\"external\""));
  g_assert_nonnull (strstr (text, "\"raw\":\"true\""));
}

/* What older servers or odd input send: no origin is the register's row;
 * an unknown origin, a row without a number, an entry without its text are
 * dropped; a number-less entry with its text is kept. */
static void
test_from_json_odd (void)
{
  static const char input[] =
    "{\"pratica\": {\"id\": \"0f6b3a7e-3b1a-4c55-9d1e-2b8a3c4d5e6f\", \"numero\": \"2026-000001\","
    "  \"status\": 3000, \"submitted_at\": \"2026-03-01T09:00:00+01:00\"},"
    " \"protocols\": ["
    "  {\"number\": \"2026/0000001\", \"registered_at\": \"2026-03-01T09:05:00+01:00\", \"direction\": \"arrivo\"},"
    "  {\"origin\": \"carrier-pigeon\", \"number\": \"X\"},"
    "  {\"origin\": \"internal\", \"number\": null},"
    "  {\"origin\": \"external\", \"number\": null, \"raw\": null},"
    "  {\"origin\": \"external\", \"number\": null, \"raw\": \"false\", \"main\": \"yes\"},"
    "  \"not an object\", 7,"
    "  {\"origin\": \"external\", \"number\": \"PG/9\", \"raw\": \"\\\"PG/9\\\"\", \"main\": true}"
    " ]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = sp_json_parse_object (input, strlen (input), &error);
  g_autoptr(SpPraticaDetail) detail = NULL;
  const SpProtocolRecord *record;

  g_assert_no_error (error);
  detail = sp_pratica_detail_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detail->protocols->len, ==, 3);

  record = g_ptr_array_index (detail->protocols, 0);
  g_assert_cmpint (record->origin, ==, SP_PROTOCOL_ORIGIN_INTERNAL);
  g_assert_cmpstr (record->number, ==, "2026/0000001");
  g_assert_true (sp_protocol_record_is_plain (record));
  record = g_ptr_array_index (detail->protocols, 1);
  g_assert_cmpint (record->origin, ==, SP_PROTOCOL_ORIGIN_EXTERNAL);
  g_assert_null (record->number);
  g_assert_cmpstr (record->raw, ==, "false");
  g_assert_false (record->main);
  g_assert_false (sp_protocol_record_is_plain (record));
  record = g_ptr_array_index (detail->protocols, 2);
  g_assert_cmpstr (record->number, ==, "PG/9");
  g_assert_true (record->main);

  g_assert_cmpstr (sp_protocol_origin_to_string (SP_PROTOCOL_ORIGIN_INTERNAL), ==, "internal");
  g_assert_cmpstr (sp_protocol_origin_to_string (SP_PROTOCOL_ORIGIN_EXTERNAL), ==, "external");
}

/* Without a main number, nothing is marked. */
static void
test_no_main_number (void)
{
  g_autoptr(SpPraticaDetail) detail = detail_with_number ("PG/1");
  SpProtocolRecord *record = sp_protocol_record_new_external ("\"PG/2\"");

  g_ptr_array_add (detail->protocols, record);
  record->main = TRUE;
  sp_pratica_detail_mark_main_protocol (detail);
  g_assert_false (record->main);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/protocol-record/external-shapes", test_external_shapes);
  g_test_add_func ("/sportello/protocol-record/entry-number-rule", test_entry_number_rule);
  g_test_add_func ("/sportello/protocol-record/detail-round-trip", test_detail_round_trip);
  g_test_add_func ("/sportello/protocol-record/from-json-odd", test_from_json_odd);
  g_test_add_func ("/sportello/protocol-record/no-main-number", test_no_main_number);

  return g_test_run ();
}
