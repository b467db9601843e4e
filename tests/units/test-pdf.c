/* test-pdf.c: the modulo PDF: pages, every field with its label, nested groups, the ente's language */
#define G_LOG_DOMAIN "test-pdf"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <unistd.h>

#include "sp-form.h"
#include "sp-json.h"
#include "sp-pdf.h"

static const char schema_json[] =
  "[{\"key\":\"richiedente\",\"label\":\"Richiedente\",\"type\":\"group\",\"fields\":["
  "   {\"key\":\"indirizzo\",\"label\":\"Indirizzo\",\"type\":\"group\",\"fields\":["
  "      {\"key\":\"via\",\"label\":\"Via\"},{\"key\":\"cap\",\"label\":\"CAP\"}]}]},"
  " {\"key\":\"isee\",\"label\":\"Valore ISEE\",\"type\":\"number\",\"sensitive\":true},"
  " {\"key\":\"note\",\"label\":\"Note\",\"type\":\"textarea\"},"
  " {\"key\":\"privacy\",\"label\":\"Consenso privacy\",\"type\":\"checkbox\"},"
  " {\"key\":\"vuoto\",\"label\":\"Campo non compilato\"}]";

/* Text of the PDF as pdftotext reads it; NULL when poppler is not there. */
static char *
pdf_to_text (GBytes *pdf)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "pdftotext", "-layout", NULL, "-", NULL };
  int fd = g_file_open_tmp ("modulo-XXXXXX.pdf", &path, &error);
  int status;

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  argv[2] = path;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &text, NULL, &status, &error))
    text = NULL;
  g_unlink (path);
  return g_steal_pointer (&text);
}

static GBytes *
render (const char *data_json,
        GDateTime  *submitted_at)
{
  g_autoptr(JsonNode) schema = sp_json_parse (schema_json, strlen (schema_json), NULL);
  g_autoptr(JsonNode) data = sp_json_parse (data_json, strlen (data_json), NULL);
  g_autoptr(GError) error = NULL;
  SpModulo modulo = {
    .locale = "it_IT", .ente_name = "Comune di Prova", .place_name = "Prova (PR)",
    .servizio_name = "Iscrizione asilo nido", .numero = "2026-000042", .submitted_at = submitted_at,
    .applicant_nome = "Maria", .applicant_cognome = "Bianchi", .applicant_cf = "BNCMRA85M41H501Z",
    .applicant_email = "maria.bianchi@example.org",
    .schema = json_node_get_array (schema), .data = json_node_get_object (data), .data_text = data_json,
    .created_at = submitted_at,
  };
  GBytes *pdf = sp_pdf_render_modulo (&modulo, &error);

  g_assert_no_error (error);
  g_assert_nonnull (pdf);
  return pdf;
}

static void
test_modulo_content (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 12, 9, 41, 0);
  g_autoptr(GBytes) pdf = render ("{\"richiedente\":{\"indirizzo\":{\"via\":\"Via Roma 1\",\"cap\":\"37100\"}},"
                                  "\"isee\":12345.5,\"note\":\"Nessuna\",\"privacy\":true}", when);
  g_autofree char *text = NULL;

  g_assert_cmpmem (g_bytes_get_data (pdf, NULL), 5, "%PDF-", 5);
  /* Kept for people to look at, next to the app's screenshots. */
  if (g_getenv ("SPORTELLO_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *saved = g_build_filename (g_getenv ("SPORTELLO_SCREENSHOT_DIR"), "modulo.pdf", NULL);

      g_mkdir_with_parents (g_getenv ("SPORTELLO_SCREENSHOT_DIR"), 0755);
      g_assert_true (g_file_set_contents (saved, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
    }
  if (!(text = pdf_to_text (pdf)))
    {
      g_test_skip ("pdftotext is not available");
      return;
    }
  for (const char * const *expected = (const char * const[]) {
         "Comune di Prova", "Iscrizione asilo nido", "2026-000042", "12/03/2026", "Bianchi Maria",
         "BNCMRA85M41H501Z", "Richiedente", "Indirizzo", "Via Roma 1", "CAP", "37100",
         "Valore ISEE", "12.345,5", "Consenso privacy", "Sì", "Campo non compilato", NULL };
       *expected != NULL; expected++)
    if (strstr (text, *expected) == NULL)
      g_error ("“%s” is missing from the modulo:\n%s", *expected, text);
}

static void
test_modulo_long_form_paginates (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 12, 9, 41, 0);
  GString *note = g_string_new ("{\"note\":\"");
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;

  for (int i = 0; i < 400; i++)
    g_string_append (note, "Testo molto lungo che deve andare a capo e su più pagine. ");
  g_string_append (note, "\"}");
  pdf = render (note->str, when);
  g_string_free (note, TRUE);

  if (!(text = pdf_to_text (pdf)))
    {
      g_test_skip ("pdftotext is not available");
      return;
    }
  /* Page breaks are form feeds in pdftotext's output. */
  g_assert_nonnull (strchr (text, '\f'));
  /* Each footer once, and what follows the long value still has its label. */
  g_assert_nonnull (strstr (text, "pagina 1\n"));
  g_assert_null (strstr (strstr (text, "pagina 1\n") + 1, "pagina 1\n"));
  g_assert_nonnull (strstr (text, "Campo non compilato"));
  if (strstr (text, "pagina 2") == NULL)
    g_error ("no second page footer in:\n%s", text);
}

/* Numbers as the data store them, not as json-glib holds them: 19.99 is not
 * 19,989999999999998, 10^20 is not -1. */
static void
test_modulo_numbers (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 12, 9, 41, 0);
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;

  pdf = render ("{\"isee\":19.99,\"note\":\"Nessuna\",\"vuoto\":100000000000000000000,"
                "\"richiedente\":{\"indirizzo\":{\"cap\":1.10}}}", when);
  if (!(text = pdf_to_text (pdf)))
    {
      g_test_skip ("pdftotext is not available");
      return;
    }
  for (const char * const *expected = (const char * const[]) {
         "19,99", "100.000.000.000.000.000.000", "1,10", NULL };
       *expected != NULL; expected++)
    if (strstr (text, *expected) == NULL)
      g_error ("“%s” is missing from the modulo:\n%s", *expected, text);
  g_assert_null (strstr (text, "19,98"));
  g_assert_null (strstr (text, "-1\n"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SPORTELLO_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/pdf/modulo/content", test_modulo_content);
  g_test_add_func ("/sportello/pdf/modulo/paginates", test_modulo_long_form_paginates);
  g_test_add_func ("/sportello/pdf/modulo/numbers", test_modulo_numbers);

  return g_test_run ();
}
