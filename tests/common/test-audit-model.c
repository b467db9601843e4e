/* test-audit-model.c: the audit's versions and comparisons as the desktop app parses them (common/sp-audit.c) */
#define G_LOG_DOMAIN "test-audit-model"

#include "config.h"

#include <string.h>

#include "sp-audit.h"
#include "sp-error.h"
#include "sp-json.h"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = sp_json_parse_object (text, strlen (text), &error);

  g_assert_no_error (error);
  return object;
}

static const char versions_json[] =
  "{\"pratica\": {\"id\": \"6f1c3a8e-0000-4000-8000-000000000001\", \"numero\": \"2026-000123\","
  "  \"servizio\": {\"slug\": \"certificato-residenza\", \"name\": \"Certificato di residenza\"},"
  "  \"applicant\": {\"codice_fiscale\": \"VRDLRA80A41H501X\", \"nome\": \"Laura\", \"cognome\": \"Verdi\"},"
  "  \"submitted_at\": \"2026-03-01T09:00:00+00:00\", \"status\": 4000,"
  "  \"deadline_at\": \"2026-03-31T09:00:00+00:00\", \"take_charge\": \"assigned\"},"
  " \"versions\": ["
  "  {\"version\": 1, \"operation\": \"Protocollazione\", \"status\": 3000, \"user\": \"Sistema\","
  "   \"role\": \"sistema\", \"at\": \"2026-03-01T09:00:00.123+00:00\", \"note\": null},"
  "  {\"version\": 2, \"operation\": \"Presa in carico\", \"status\": 4000, \"user\": \"Mario Rossi\","
  "   \"role\": \"operatore\", \"at\": \"2026-03-02T10:30:00+00:00\", \"note\": \"Urgente\"}]}";

static void
test_versions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = parse_object (versions_json);
  g_autoptr(SpPraticaVersions) versions = sp_pratica_versions_from_json (object, &error);
  g_autoptr(SpPraticaVersion) first = NULL;
  g_autoptr(SpPraticaVersion) second = NULL;
  g_autofree char *user = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (sp_pratica_summary_get_data (versions->pratica)->numero, ==, "2026-000123");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (versions->versions)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (versions->versions), 0);
  second = g_list_model_get_item (G_LIST_MODEL (versions->versions), 1);
  g_assert_cmpuint (sp_pratica_version_get_number (first), ==, 1);
  g_assert_cmpint (sp_pratica_version_get_status (first), ==, SP_STATUS_REGISTERED);
  g_assert_null (sp_pratica_version_get_note (first));
  g_assert_cmpstr (sp_pratica_version_get_operation (second), ==, "Presa in carico");
  g_assert_cmpstr (sp_pratica_version_get_note (second), ==, "Urgente");
  g_assert_cmpint (g_date_time_get_day_of_month (sp_pratica_version_get_at (second)), ==, 2);
  user = sp_pratica_version_format_user (second);
  g_assert_cmpstr (user, ==, "Mario Rossi (operatore)");
}

static void
test_versions_refused (void)
{
  const char *bad[] = {
    "{}",
    "{\"pratica\": {}, \"versions\": []}",
    "{\"pratica\": {\"id\": \"x\", \"submitted_at\": \"2026-03-01T09:00:00Z\", \"status\": 2000}, \"versions\": [1]}",
    "{\"pratica\": {\"id\": \"x\", \"submitted_at\": \"2026-03-01T09:00:00Z\", \"status\": 2000},"
    " \"versions\": [{\"version\": 0, \"operation\": \"x\", \"user\": \"u\", \"at\": \"2026-03-01T09:00:00Z\"}]}",
    "{\"pratica\": {\"id\": \"x\", \"submitted_at\": \"2026-03-01T09:00:00Z\", \"status\": 2000},"
    " \"versions\": [{\"version\": 1, \"operation\": \"x\", \"user\": \"u\", \"at\": \"ieri\"}]}",
    "{\"pratica\": {\"id\": \"x\", \"submitted_at\": \"2026-03-01T09:00:00Z\", \"status\": 2000},"
    " \"versions\": [{\"version\": 1, \"operation\": \"x\", \"user\": \"u\", \"at\": \"2026-03-01T09:00:00Z\","
    " \"status\": 1234}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = parse_object (bad[i]);
      g_autoptr(SpPraticaVersions) versions = sp_pratica_versions_from_json (object, &error);

      g_assert_null (versions);
      g_assert_error (error, SP_ERROR, SP_ERROR_VALIDATION);
    }
}

static const char comparison_json[] =
  "{\"from\": {\"version\": 1, \"user\": \"Sistema\", \"role\": \"sistema\","
  "            \"at\": \"2026-03-01T09:00:00+00:00\", \"operation\": \"Protocollazione\"},"
  " \"to\": {\"version\": 3, \"user\": \"Mario Rossi\", \"role\": \"operatore\","
  "          \"at\": \"2026-03-03T11:00:00+00:00\", \"operation\": \"Salvataggio\"},"
  " \"fields\": ["
  "  {\"path\": \"data.motivo\", \"labels\": [\"Motivo\"], \"old\": \"Residenza\", \"new\": \"Cambio\", \"change\": \"changed\"},"
  "  {\"path\": \"data.indirizzo.cap\", \"labels\": [\"Indirizzo\", \"CAP\"], \"old\": \"\", \"new\": \"00100\", \"change\": \"added\"},"
  "  {\"path\": \"data.note\", \"labels\": [\"note\"], \"old\": \"da cancellare\", \"new\": null, \"change\": \"removed\"},"
  "  {\"path\": \"data.privacy\", \"labels\": [\"Privacy\"], \"old\": true, \"new\": true, \"change\": \"unchanged\"},"
  "  {\"path\": \"data.figli\", \"labels\": [\"Figli\"], \"old\": 2, \"new\": 2, \"change\": \"unchanged\"},"
  "  {\"path\": \"data.allegati\", \"labels\": [], \"old\": [], \"new\": {}, \"change\": \"unchanged\"},"
  "  {\"path\": \"status\", \"labels\": [\"Stato\"], \"old\": 3000, \"new\": 4000, \"change\": \"changed\"},"
  "  {\"path\": \"data.nascita\", \"labels\": [\"Nato il\"], \"old\": \"1980-01-02\", \"new\": \"1980-01-02\", \"change\": \"unchanged\"},"
  "  {\"path\": \"protocol.date\", \"labels\": [\"Data\"], \"old\": null, \"new\": \"2026-03-02T10:30:05.5+00:00\", \"change\": \"added\"}]}";

static SpFieldChange *
field_at (SpVersionComparison *comparison,
          guint                position)
{
  SpFieldChange *field = g_list_model_get_item (G_LIST_MODEL (comparison->fields), position);

  g_object_unref (field);   /* the store keeps it */
  return field;
}

static void
test_comparison (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = parse_object (comparison_json);
  g_autoptr(SpValueFormat) format = sp_value_format_new ("it_IT");
  g_autoptr(SpVersionComparison) comparison = sp_version_comparison_from_json (object, format, &error);
  g_autofree char *needle = NULL;
  SpFieldChange *cap;

  g_assert_no_error (error);
  g_assert_cmpuint (sp_pratica_version_get_number (comparison->from), ==, 1);
  g_assert_cmpuint (sp_pratica_version_get_number (comparison->to), ==, 3);
  g_assert_cmpstr (sp_pratica_version_get_user (comparison->to), ==, "Mario Rossi");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (comparison->fields)), ==, 9);
  g_assert_cmpuint (comparison->counts[SP_AUDIT_CHANGE_ADDED], ==, 2);
  g_assert_cmpuint (comparison->counts[SP_AUDIT_CHANGE_CHANGED], ==, 2);
  g_assert_cmpuint (comparison->counts[SP_AUDIT_CHANGE_REMOVED], ==, 1);
  g_assert_cmpuint (comparison->counts[SP_AUDIT_CHANGE_UNCHANGED], ==, 4);

  cap = field_at (comparison, 1);
  g_assert_cmpstr (sp_field_change_get_label (cap), ==, "Indirizzo › CAP");
  g_assert_cmpstr (sp_field_change_get_path (cap), ==, "data.indirizzo.cap");
  g_assert_cmpstr (sp_field_change_get_old_text (cap), ==, "");
  g_assert_cmpstr (sp_field_change_get_new_text (cap), ==, "00100");
  g_assert_cmpint (sp_field_change_get_change (cap), ==, SP_AUDIT_CHANGE_ADDED);

  g_assert_cmpstr (sp_field_change_get_new_text (field_at (comparison, 2)), ==, "");
  g_assert_cmpstr (sp_field_change_get_old_text (field_at (comparison, 4)), ==, "2");
  /* No labels: the path. Empty array and object: empty. */
  g_assert_cmpstr (sp_field_change_get_label (field_at (comparison, 5)), ==, "data.allegati");
  g_assert_cmpstr (sp_field_change_get_old_text (field_at (comparison, 5)), ==, "");
  g_assert_cmpstr (sp_field_change_get_new_text (field_at (comparison, 5)), ==, "");
  /* The status with its label. */
  g_assert_true (g_str_has_prefix (sp_field_change_get_new_text (field_at (comparison, 6)), "4000 · "));

  /* Dates read as dates; a time, in local time to the second. */
  g_assert_cmpstr (sp_field_change_get_old_text (field_at (comparison, 7)), ==, "02/01/1980");
  g_assert_true (g_str_has_prefix (sp_field_change_get_new_text (field_at (comparison, 8)), "02/03/2026 "));
  g_assert_cmpuint (strlen (sp_field_change_get_new_text (field_at (comparison, 8))), ==, strlen ("02/03/2026 10:30:05"));

  /* The filter: every column, any case. */
  needle = sp_audit_fold ("cap");
  g_assert_true (sp_field_change_matches (cap, needle));
  g_clear_pointer (&needle, g_free);
  needle = sp_audit_fold ("00100");
  g_assert_true (sp_field_change_matches (cap, needle));
  g_assert_false (sp_field_change_matches (field_at (comparison, 0), needle));
  g_clear_pointer (&needle, g_free);
  needle = sp_audit_fold ("RESIDENZA");
  g_assert_true (sp_field_change_matches (field_at (comparison, 0), needle));
  g_assert_true (sp_field_change_matches (field_at (comparison, 0), ""));
}

/* Numbers read from the text the server wrote, as the snapshot stores
 * them, not as json-glib holds them (-1 for an integer past 64 bits, 17
 * digits for a double); the JsonObject alone still reads. */
static const char numbers_json[] =
  "{\"from\": {\"version\": 1, \"user\": \"Sistema\", \"at\": \"2026-03-01T09:00:00+00:00\", \"operation\": \"o\"},"
  " \"to\": {\"version\": 2, \"user\": \"Sistema\", \"at\": \"2026-03-02T09:00:00+00:00\", \"operation\": \"o\"},"
  " \"fields\": ["
  "  {\"path\": \"data.a\", \"labels\": [\"A\"], \"old\": 19.99, \"new\": 19.989999999999998, \"change\": \"changed\"},"
  "  {\"path\": \"data.b\", \"labels\": [\"B\"], \"old\": 100000000000000000000, \"new\": 1234567.50, \"change\": \"changed\"},"
  "  {\"path\": \"data.c\", \"labels\": [\"C\"], \"old\": 1, \"new\": 1.0, \"change\": \"unchanged\"},"
  "  {\"path\": \"data.d\", \"labels\": [\"D\"], \"old\": -0, \"new\": \"1\", \"change\": \"changed\"},"
  "  {\"path\": \"status\", \"labels\": [\"Stato\"], \"old\": 3000, \"new\": 0.1, \"change\": \"changed\"}]}";

static void
test_comparison_numbers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = parse_object (numbers_json);
  g_autoptr(SpValueFormat) format = sp_value_format_new ("it_IT");
  g_autoptr(SpVersionComparison) exact = sp_version_comparison_from_json_text (object, numbers_json,
                                                                              strlen (numbers_json), format, &error);
  g_autoptr(SpVersionComparison) rounded = NULL;
  g_autofree char *needle = sp_audit_fold ("100000000000000000000");

  g_assert_no_error (error);
  g_assert_cmpstr (sp_field_change_get_old_text (field_at (exact, 0)), ==, "19,99");
  g_assert_cmpstr (sp_field_change_get_new_text (field_at (exact, 0)), ==, "19,989999999999998");
  g_assert_cmpstr (sp_field_change_get_old_text (field_at (exact, 1)), ==, "100000000000000000000");
  g_assert_cmpstr (sp_field_change_get_new_text (field_at (exact, 1)), ==, "1.234.567,50");
  g_assert_cmpstr (sp_field_change_get_old_text (field_at (exact, 2)), ==, "1");
  g_assert_cmpstr (sp_field_change_get_new_text (field_at (exact, 2)), ==, "1,0");
  g_assert_cmpstr (sp_field_change_get_old_text (field_at (exact, 3)), ==, "-0");
  g_assert_cmpstr (sp_field_change_get_new_text (field_at (exact, 3)), ==, "1");
  g_assert_true (g_str_has_prefix (sp_field_change_get_old_text (field_at (exact, 4)), "3000 · "));
  g_assert_cmpstr (sp_field_change_get_new_text (field_at (exact, 4)), ==, "0,1");
  /* The filter finds what is shown. */
  g_assert_true (sp_field_change_matches (field_at (exact, 1), needle));

  /* Without the text: as json-glib read them. */
  rounded = sp_version_comparison_from_json (object, format, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sp_field_change_get_old_text (field_at (rounded, 1)), ==, "-1");

  /* From a number's text alone: as it is, but for the locale's marks. */
  {
    g_autofree char *exponent = sp_audit_number_to_text ("1e400", "data.x", format);
    g_autofree char *neutral = sp_audit_number_to_text ("-1234.5", "data.x", NULL);
    g_autofree char *no_status = sp_audit_number_to_text ("99999999999999999999999", "status", format);

    g_assert_cmpstr (exponent, ==, "1e400");
    g_assert_cmpstr (neutral, ==, "-1234.5");
    g_assert_cmpstr (no_status, ==, "99999999999999999999999");
  }
}

static void
test_comparison_refused (void)
{
  const char *bad[] = {
    "{\"from\": {}, \"to\": {}, \"fields\": []}",
    "{\"fields\": []}",
    "{\"from\": {\"version\": 1, \"user\": \"u\", \"at\": \"2026-03-01T09:00:00Z\", \"operation\": \"o\"},"
    " \"to\": {\"version\": 2, \"user\": \"u\", \"at\": \"2026-03-01T09:00:00Z\", \"operation\": \"o\"},"
    " \"fields\": [{\"path\": \"a\", \"change\": \"moved\"}]}",
    "{\"from\": {\"version\": 1, \"user\": \"u\", \"at\": \"2026-03-01T09:00:00Z\", \"operation\": \"o\"},"
    " \"to\": {\"version\": 2, \"user\": \"u\", \"at\": \"2026-03-01T09:00:00Z\", \"operation\": \"o\"},"
    " \"fields\": [\"a\"]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = parse_object (bad[i]);
      g_autoptr(SpVersionComparison) comparison = sp_version_comparison_from_json (object, NULL, &error);

      g_assert_null (comparison);
      g_assert_error (error, SP_ERROR, SP_ERROR_VALIDATION);
    }
}

static void
test_change_names (void)
{
  for (SpAuditChange change = 0; change < SP_AUDIT_N_CHANGES; change++)
    {
      SpAuditChange back = SP_AUDIT_N_CHANGES;

      g_assert_true (sp_audit_change_from_string (sp_audit_change_to_string (change), &back));
      g_assert_cmpint (back, ==, change);
      g_assert_nonnull (sp_audit_change_get_label (change));
    }
  g_assert_null (sp_audit_change_to_string (SP_AUDIT_N_CHANGES));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/audit-model/versions", test_versions);
  g_test_add_func ("/sportello/audit-model/versions-refused", test_versions_refused);
  g_test_add_func ("/sportello/audit-model/comparison", test_comparison);
  g_test_add_func ("/sportello/audit-model/comparison-numbers", test_comparison_numbers);
  g_test_add_func ("/sportello/audit-model/comparison-refused", test_comparison_refused);
  g_test_add_func ("/sportello/audit-model/change-names", test_change_names);

  return g_test_run ();
}
