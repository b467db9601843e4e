/* test-processing.c: Elabora's shared rules: steps and work to and from JSON, which steps apply, what completes a work */
#define G_LOG_DOMAIN "test-processing"

#include "config.h"

#include "sp-error.h"
#include "sp-json-text.h"
#include "sp-json.h"
#include "sp-pratica-detail.h"
#include "sp-processing.h"
#include "sp-status.h"

static const char steps_json[] =
  "[{\"key\": \"verifica\", \"title\": \"Verifica\", \"only_if_approved\": false, \"fields\": ["
  "   {\"key\": \"esito_verifica\", \"label\": \"Esito\", \"type\": \"choice\", \"required\": true,"
  "    \"options\": [\"Conforme\", \"Non conforme\"]},"
  "   {\"key\": \"controllato\", \"label\": \"Controllato\", \"type\": \"checkbox\", \"required\": true}]},"
  " {\"key\": \"rilascio\", \"title\": \"Rilascio\", \"only_if_approved\": true, \"fields\": ["
  "   {\"key\": \"numero\", \"label\": \"Numero\", \"type\": \"text\", \"required\": true}]}]";

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = sp_json_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  return node;
}

static GPtrArray *
parse_steps (const char *text)
{
  g_autoptr(JsonNode) node = parse (text);
  g_autoptr(GError) error = NULL;
  GPtrArray *steps;

  steps = sp_steps_from_json (json_node_get_array (node), &error);
  g_assert_no_error (error);
  return steps;
}

static SpProcessing *
parse_work (const char *text,
            GPtrArray  *steps,
            JsonArray  *errors)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = sp_json_parse_object (text, strlen (text), &error);

  g_assert_no_error (error);
  return sp_processing_from_json (object, steps, errors);
}

static void
test_steps_round_trip (void)
{
  g_autoptr(GPtrArray) steps = parse_steps (steps_json);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  const SpStep *verifica, *rilascio;
  const SpStepField *choice;

  g_assert_cmpuint (steps->len, ==, 2);
  sp_steps_to_json (steps, builder);
  root = json_builder_get_root (builder);
  again = sp_steps_from_json (json_node_get_array (root), &error);
  g_assert_no_error (error);
  verifica = g_ptr_array_index (again, 0);
  rilascio = g_ptr_array_index (again, 1);
  choice = g_ptr_array_index (verifica->fields, 0);
  g_assert_cmpstr (verifica->title, ==, "Verifica");
  g_assert_false (verifica->only_if_approved);
  g_assert_true (rilascio->only_if_approved);
  g_assert_cmpint (choice->type, ==, SP_STEP_FIELD_CHOICE);
  g_assert_cmpstr (choice->options[1], ==, "Non conforme");
  g_assert_true (choice->required);

  /* Only the five types of Elabora; a choice needs its options. */
  {
    g_autoptr(JsonNode) select = parse ("[{\"key\": \"x\", \"fields\": [{\"key\": \"a\", \"type\": \"select\"}]}]");
    g_autoptr(JsonNode) bare = parse ("[{\"key\": \"x\", \"fields\": [{\"key\": \"a\", \"type\": \"choice\"}]}]");

    g_assert_null (sp_steps_from_json (json_node_get_array (select), &error));
    g_assert_error (error, SP_ERROR, SP_ERROR_VALIDATION);
    g_clear_error (&error);
    g_assert_null (sp_steps_from_json (json_node_get_array (bare), &error));
    g_assert_error (error, SP_ERROR, SP_ERROR_VALIDATION);
  }
  for (SpStepFieldType type = SP_STEP_FIELD_TEXT; type <= SP_STEP_FIELD_CHECKBOX; type++)
    g_assert_cmpint (sp_step_field_type_from_string (sp_step_field_type_to_string (type)), ==, type);
  g_assert_cmpint (sp_step_field_type_from_string ("textarea"), ==, SP_STEP_FIELD_INVALID);
}

static void
test_complete (void)
{
  g_autoptr(GPtrArray) steps = parse_steps (steps_json);
  g_autoptr(JsonArray) errors = json_array_new ();
  g_autoptr(SpProcessing) rejected = NULL;
  g_autoptr(SpProcessing) accepted = NULL;
  g_autoptr(SpProcessing) unticked = NULL;

  rejected = parse_work ("{\"esito\": \"rejected\", \"motivazione\": \"No.\","
                         " \"risposta\": \"0f6b3a7e-3b1a-4c55-9d1e-2b8a3c4d5e6f\","
                         " \"steps\": {\"verifica\": {\"esito_verifica\": \"Non conforme\", \"controllato\": true}}}",
                         steps, errors);
  g_assert_cmpuint (json_array_get_length (errors), ==, 0);
  /* A rejection skips the step only_if_approved. */
  g_assert_true (sp_processing_check_complete (rejected, steps, errors));
  g_assert_false (sp_step_applies (g_ptr_array_index (steps, 1), SP_ESITO_REJECTED));
  g_assert_true (sp_step_applies (g_ptr_array_index (steps, 1), SP_ESITO_ACCEPTED));
  g_assert_true (sp_step_applies (g_ptr_array_index (steps, 1), NULL));

  accepted = parse_work ("{\"esito\": \"accepted\", \"risposta\": \"0f6b3a7e-3b1a-4c55-9d1e-2b8a3c4d5e6f\","
                         " \"steps\": {\"verifica\": {\"esito_verifica\": \"Conforme\", \"controllato\": true},"
                         " \"rilascio\": {\"numero\": \"  \"}}}", steps, errors);
  g_assert_false (sp_processing_check_complete (accepted, steps, errors));
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "field"), ==,
                   "steps.rilascio.numero");

  /* A required checkbox must be ticked. */
  json_array_remove_element (errors, 0);
  unticked = parse_work ("{\"esito\": \"rejected\", \"motivazione\": \"No.\","
                         " \"risposta\": \"0f6b3a7e-3b1a-4c55-9d1e-2b8a3c4d5e6f\","
                         " \"steps\": {\"verifica\": {\"esito_verifica\": \"Conforme\", \"controllato\": false}}}",
                         steps, errors);
  g_assert_false (sp_processing_check_complete (unticked, steps, errors));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "field"), ==,
                   "steps.verifica.controllato");
}

/* The detail carries the work and the steps to the client. */
static void
test_detail_round_trip (void)
{
  g_autoptr(SpPraticaDetail) detail = sp_pratica_detail_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(SpPraticaDetail) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_autoptr(JsonNode) summary = parse ("{\"id\": \"0f6b3a7e-3b1a-4c55-9d1e-2b8a3c4d5e6f\", \"numero\": \"2026-000001\","
                                       " \"status\": 5000, \"submitted_at\": \"2026-03-01T09:00:00+01:00\"}");

  detail->summary = sp_pratica_summary_from_json (json_node_get_object (summary), &error);
  g_assert_no_error (error);
  g_ptr_array_unref (detail->steps);
  detail->steps = parse_steps (steps_json);
  detail->processing = parse_work ("{\"esito\": \"accepted\", \"motivazione\": null, \"risposta\": null,"
                                   " \"steps\": {\"verifica\": {\"controllato\": true}},"
                                   " \"saved_at\": \"2026-03-02T10:00:00+01:00\", \"saved_by\": \"Mario Rossi\"}",
                                   NULL, NULL);
  detail->signed_response_required = TRUE;
  sp_pratica_detail_to_json (detail, builder);
  root = json_builder_get_root (builder);
  text = sp_json_to_string (root, NULL);
  again = sp_pratica_detail_from_json (json_node_get_object (root), &error);
  g_assert_no_error (error);
  g_assert_true (again->signed_response_required);
  g_assert_cmpuint (again->steps->len, ==, 2);
  g_assert_nonnull (again->processing);
  g_assert_cmpstr (again->processing->esito, ==, "accepted");
  g_assert_null (again->processing->risposta);
  g_assert_cmpstr (again->processing->saved_by, ==, "Mario Rossi");
  g_assert_nonnull (again->processing->saved_at);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (again->processing->steps, "verifica"),
                                                 "controllato"));
  g_assert_nonnull (strstr (text, "\"processing\":{"));
}

/* The numbers of the work go as typed or stored, both ways: from the server's
 * text to the client, and from the client's to the server. */
static void
test_detail_numbers (void)
{
  g_autoptr(SpPraticaDetail) detail = sp_pratica_detail_new ();
  g_autoptr(SpPraticaDetail) again = NULL;
  g_autoptr(SpJsonTape) tape = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *text = NULL;
  const char *stored = "{\"verifica\": {\"importo\": 19.99, \"codice\": 100000000000000000000, \"nota\": \"1.10\"},"
                       " \"altro\": 7}";
  g_autoptr(JsonNode) summary = parse ("{\"id\": \"0f6b3a7e-3b1a-4c55-9d1e-2b8a3c4d5e6f\", \"numero\": \"2026-000001\","
                                       " \"status\": 5000, \"submitted_at\": \"2026-03-01T09:00:00+01:00\"}");
  gsize length;

  detail->summary = sp_pratica_summary_from_json (json_node_get_object (summary), &error);
  g_assert_no_error (error);
  detail->processing = parse_work ("{\"esito\": null, \"steps\": {\"verifica\": {\"importo\": 19.99,"
                                   " \"codice\": 100000000000000000000, \"nota\": \"1.10\"}}}", NULL, NULL);
  /* As the server reads the data: the step values' numbers from their text. */
  tape = sp_json_tape_new (stored, strlen (stored), 64, &error);
  g_assert_no_error (error);
  sp_processing_read_numbers (detail->processing, tape, 0);
  g_assert_cmpstr (sp_processing_get_number (detail->processing, "verifica", "importo"), ==, "19.99");
  g_assert_cmpstr (sp_processing_get_number (detail->processing, "verifica", "codice"), ==, "100000000000000000000");
  g_assert_null (sp_processing_get_number (detail->processing, "verifica", "nota"));

  text = sp_pratica_detail_to_text (detail, &length);
  g_assert_cmpuint (strlen (text), ==, length);
  g_assert_nonnull (strstr (text, "\"importo\":19.99,"));
  g_assert_nonnull (strstr (text, "\"codice\":100000000000000000000,"));
  g_assert_nonnull (strstr (text, "\"nota\":\"1.10\""));
  root = parse (text);
  again = sp_pratica_detail_from_json_text (json_node_get_object (root), text, length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sp_processing_get_number (again->processing, "verifica", "importo"), ==, "19.99");
  g_assert_cmpstr (sp_processing_get_number (again->processing, "verifica", "codice"), ==, "100000000000000000000");

  /* A body to save: as typed, without what the server records. */
  sp_processing_set_number (again->processing, "verifica", "importo", "1234.50");
  sp_processing_append_json (again->processing, FALSE, body);
  g_assert_cmpstr (body->str, ==, "{\"esito\":null,\"motivazione\":null,\"risposta\":null,"
                                  "\"steps\":{\"verifica\":{\"importo\":1234.50,\"codice\":100000000000000000000,"
                                  "\"nota\":\"1.10\"}}}");
}

static void
test_json_numbers (void)
{
  const char *valid[] = { "0", "-0", "12", "19.99", "1.10", "100000000000000000000", "1e400", "-2.5E-3", "0.0" };
  const char *invalid[] = { "", "-", "+1", "012", ".5", "1.", "1e", "1e+", "NaN", "Infinity", "0x10", "1 ", "1,5" };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (sp_json_number_is_valid (valid[i], strlen (valid[i])));
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("“%s”", invalid[i]);
      g_assert_false (sp_json_number_is_valid (invalid[i], strlen (invalid[i])));
    }
}

static void
test_processable (void)
{
  guint n;
  const SpStatus *all = sp_status_all (&n);

  for (guint i = 0; i < n; i++)
    g_assert_cmpint (sp_status_is_processable (all[i]), ==,
                     all[i] == SP_STATUS_PENDING || all[i] == SP_STATUS_PENDING_AFTER_INTEGRATION
                     || all[i] == SP_STATUS_PROCESSING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sportello/processing/steps-round-trip", test_steps_round_trip);
  g_test_add_func ("/sportello/processing/complete", test_complete);
  g_test_add_func ("/sportello/processing/detail-round-trip", test_detail_round_trip);
  g_test_add_func ("/sportello/processing/detail-numbers", test_detail_numbers);
  g_test_add_func ("/sportello/processing/json-numbers", test_json_numbers);
  g_test_add_func ("/sportello/processing/processable", test_processable);
  return g_test_run ();
}
