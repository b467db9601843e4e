/* test-value-format.c: form values in the ente's language, whatever the process's locale (run in C.UTF-8) */
#define G_LOG_DOMAIN "test-value-format"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sp-form.h"
#include "sp-json.h"
#include "sp-value-format.h"

static gboolean
italian_installed (void)
{
  locale_t it = newlocale (LC_ALL_MASK, "it_IT.UTF-8", (locale_t) 0);

  if (it == (locale_t) 0)
    return FALSE;
  freelocale (it);
  return TRUE;
}

/* The point of the test: the process itself does not speak Italian. */
static void
assert_process_not_italian (void)
{
  g_assert_cmpstr (setlocale (LC_ALL, NULL), ==, "C.UTF-8");
  g_assert_cmpstr (C_("form value", "Yes"), ==, "Yes");
}

static SpValueFormat *
italian_format (void)
{
  SpValueFormat *format;

  assert_process_not_italian ();
  if (!italian_installed ())
    {
      g_test_skip ("it_IT.UTF-8 is not installed (build-aux/setup installs it)");
      return NULL;
    }
  format = sp_value_format_new ("it_IT");
  g_assert_cmpstr (sp_value_format_get_locale (format), ==, "it_IT");
  return format;
}

static void
test_boolean (void)
{
  g_autoptr(SpValueFormat) format = italian_format ();
  g_autofree char *yes = NULL;
  g_autofree char *no = NULL;

  if (format == NULL)
    return;
  yes = sp_value_format_boolean (format, TRUE);
  no = sp_value_format_boolean (format, FALSE);
  g_assert_cmpstr (yes, ==, "Sì");
  g_assert_cmpstr (no, ==, "No");
  /* The thread's own language is back as it was. */
  assert_process_not_italian ();
}

static void
test_numbers (void)
{
  g_autoptr(SpValueFormat) format = italian_format ();
  const struct { gint64 value; const char *text; } integers[] = {
    { 0, "0" }, { 7, "7" }, { 999, "999" }, { 1000, "1.000" }, { 1234567, "1.234.567" }, { -1234, "-1.234" },
    { -999, "-999" }, { G_MAXINT64, "9.223.372.036.854.775.807" }, { G_MININT64, "-9.223.372.036.854.775.808" },
  };
  const struct { double value; const char *text; } doubles[] = {
    { 1234.5, "1.234,5" }, { 0.25, "0,25" }, { -9876.5, "-9.876,5" }, { 12.0, "12" }, { 1000000.75, "1.000.000,75" },
    { 1e20, "1e+20" },
  };
  const struct { const char *text; const char *formatted; } decimals[] = {
    { "1234.50", "1.234,50" }, { "12", "12" }, { "-0.5", "-0,5" }, { "+1500", "1.500" }, { "007", "007" },
    { "1e5", NULL }, { "1.2.3", NULL }, { "abc", NULL }, { "-", NULL }, { ".5", NULL }, { "5.", NULL },
    { "", NULL }, { "1 234", NULL }, { "1234,50", NULL }, { "12a", NULL },
  };

  if (format == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (integers); i++)
    {
      g_autofree char *text = sp_value_format_integer (format, integers[i].value);

      g_assert_cmpstr (text, ==, integers[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    {
      g_autofree char *text = sp_value_format_double (format, doubles[i].value);

      g_assert_cmpstr (text, ==, doubles[i].text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (decimals); i++)
    {
      g_autofree char *text = sp_value_format_decimal (format, decimals[i].text);

      g_test_message ("“%s”", decimals[i].text);
      g_assert_cmpstr (text, ==, decimals[i].formatted);
    }
  /* printf in this process still writes C numbers. */
  {
    g_autofree char *c = g_strdup_printf ("%.1f", 1234.5);

    g_assert_cmpstr (c, ==, "1234.5");
  }
}

static void
test_dates (void)
{
  g_autoptr(SpValueFormat) format = italian_format ();
  const struct { const char *iso; const char *text; } dates[] = {
    { "2026-03-15", "15/03/2026" }, { "2024-02-29", "29/02/2024" }, { "1999-12-31", "31/12/1999" },
    { "2026-02-30", NULL }, { "2025-02-29", NULL }, { "2026-13-01", NULL }, { "2026-00-10", NULL },
    { "15/03/2026", NULL }, { "2026-3-15", NULL }, { "2026-03-15T10:00:00Z", NULL }, { "", NULL },
    { "2026-03-1x", NULL }, { "0000-01-01", NULL }, { "+026-03-15", NULL },
  };

  if (format == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      g_autofree char *text = sp_value_format_date (format, dates[i].iso);

      g_test_message ("“%s”", dates[i].iso);
      g_assert_cmpstr (text, ==, dates[i].text);
    }
}

/* What the detail and the modulo both show: sp_form_flatten() with the format. */
static void
test_form (void)
{
  static const char schema_json[] =
    "[{\"key\":\"privacy\",\"label\":\"Consenso privacy\",\"type\":\"checkbox\"},"
    " {\"key\":\"animali\",\"label\":\"Animali domestici\",\"type\":\"checkbox\"},"
    " {\"key\":\"contratto\",\"label\":\"Contratto\",\"type\":\"group\",\"fields\":["
    "   {\"key\":\"data\",\"label\":\"Data di stipula\",\"type\":\"date\"},"
    "   {\"key\":\"canone\",\"label\":\"Canone annuo\",\"type\":\"number\"},"
    "   {\"key\":\"deposito\",\"label\":\"Deposito\",\"type\":\"number\"},"
    "   {\"key\":\"spese\",\"label\":\"Spese\",\"type\":\"number\"}]},"
    " {\"key\":\"scadenze\",\"label\":\"Scadenze\",\"type\":\"date\"},"
    " {\"key\":\"nota\",\"label\":\"Nota\",\"type\":\"text\"},"
    " {\"key\":\"quando\",\"label\":\"Quando\",\"type\":\"date\"}]";
  static const char data_json[] =
    "{\"privacy\":true,\"animali\":false,"
    " \"contratto\":{\"data\":\"2026-03-15\",\"canone\":14400,\"deposito\":2400.5,\"spese\":\"1500.50\"},"
    " \"scadenze\":[\"2026-06-30\",\"2026-12-31\"],\"nota\":\"2026-03-15 e 1234.5 restano come scritti\","
    " \"quando\":\"la prossima settimana\"}";
  const struct { const char *path; const char *value; } expected[] = {
    { "privacy", "Sì" }, { "animali", "No" }, { "contratto", NULL }, { "contratto.data", "15/03/2026" },
    { "contratto.canone", "14.400" }, { "contratto.deposito", "2.400,5" }, { "contratto.spese", "1.500,50" },
    { "scadenze", "30/06/2026, 31/12/2026" }, { "nota", "2026-03-15 e 1234.5 restano come scritti" },
    { "quando", "la prossima settimana" },
  };
  g_autoptr(SpValueFormat) format = italian_format ();
  g_autoptr(JsonNode) schema = sp_json_parse (schema_json, strlen (schema_json), NULL);
  g_autoptr(JsonNode) data = sp_json_parse (data_json, strlen (data_json), NULL);
  g_autoptr(GPtrArray) fields = NULL;

  if (format == NULL)
    return;
  g_assert_nonnull (schema);
  g_assert_nonnull (data);
  fields = sp_form_flatten (json_node_get_array (schema), json_node_get_object (data), data_json, FALSE, format);
  g_assert_cmpuint (fields->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < MIN (fields->len, G_N_ELEMENTS (expected)); i++)
    {
      const SpFormField *field = g_ptr_array_index (fields, i);

      g_assert_cmpstr (field->path, ==, expected[i].path);
      g_assert_cmpstr (field->value, ==, expected[i].value);
    }
}

/* A language that is not installed: a neutral format, said once in the log. */
static void
test_missing_locale (void)
{
  g_autoptr(SpValueFormat) format = NULL;
  g_autoptr(SpValueFormat) again = NULL;
  g_autofree char *yes = NULL;
  g_autofree char *date = NULL;
  g_autofree char *number = NULL;
  g_autofree char *integer = NULL;

  g_test_expect_message ("sp-value-format", G_LOG_LEVEL_WARNING, "Locale xx_YY.UTF-8 is not installed*");
  format = sp_value_format_new ("xx_YY");
  g_test_assert_expected_messages ();
  again = sp_value_format_new ("xx_YY");   /* no second warning: it would be fatal here */

  yes = sp_value_format_boolean (format, TRUE);
  date = sp_value_format_date (format, "2026-03-15");
  number = sp_value_format_double (format, 1234.5);
  integer = sp_value_format_integer (again, 1234567);
  g_assert_cmpstr (yes, ==, "Yes");
  g_assert_cmpstr (date, ==, "2026-03-15");
  g_assert_cmpstr (number, ==, "1234.5");
  g_assert_cmpstr (integer, ==, "1234567");
}

static void
test_default_locale (void)
{
  g_autoptr(SpValueFormat) format = NULL;

  if (!italian_installed ())
    {
      g_test_skip ("it_IT.UTF-8 is not installed");
      return;
    }
  format = sp_value_format_new (NULL);
  g_assert_cmpstr (sp_value_format_get_locale (format), ==, "it_IT");
}

/* Times read in the format's time zone (the ente's, on the server),
 * summer and winter, whatever the process's own. */
static void
test_time_zone (void)
{
  g_autoptr(SpValueFormat) format = sp_value_format_new ("it_IT.UTF-8");
  g_autoptr(GTimeZone) rome = g_time_zone_new_identifier ("Europe/Rome");
  g_autoptr(GDateTime) winter = g_date_time_new_from_iso8601 ("2026-03-15T09:00:00Z", NULL);
  g_autoptr(GDateTime) summer = g_date_time_new_from_iso8601 ("2026-07-01T23:30:05+00:00", NULL);
  g_autofree char *winter_text = NULL;
  g_autofree char *summer_text = NULL;

  g_assert_nonnull (rome);
  sp_value_format_set_time_zone (format, rome);
  winter_text = sp_value_format_datetime (format, winter);
  summer_text = sp_value_format_datetime (format, summer);
  g_assert_cmpstr (winter_text, ==, "15/03/2026 10:00:00");
  g_assert_cmpstr (summer_text, ==, "02/07/2026 01:30:05");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SPORTELLO_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/value-format/boolean", test_boolean);
  g_test_add_func ("/sportello/value-format/numbers", test_numbers);
  g_test_add_func ("/sportello/value-format/dates", test_dates);
  g_test_add_func ("/sportello/value-format/time-zone", test_time_zone);
  g_test_add_func ("/sportello/value-format/form", test_form);
  g_test_add_func ("/sportello/value-format/missing-locale", test_missing_locale);
  g_test_add_func ("/sportello/value-format/default-locale", test_default_locale);

  return g_test_run ();
}
