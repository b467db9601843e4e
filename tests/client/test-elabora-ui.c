/* test-elabora-ui.c: "Elabora" in the app, every step to the conclusion, accepted and rejected */
#define G_LOG_DOMAIN "test-elabora-ui"

#include "config.h"

#include <adwaita.h>
#include <signal.h>

#include "sp-document-row.h"
#include "sp-test-elabora-page.h"
#include "sp-test-pdf.h"
#include "sp-test-ui.h"

/*
 * The real SpPraticaPage, SpElaboraPage and SpClient against a real
 * sportello-server with the services of the server's Elabora tests
 * (sp-test-elabora.c): steps "Verifica" (every field type) and "Rilascio"
 * (only when accepted). A pratica is processed and concluded through every
 * step, accepted and rejected; the checks of each step show next to their
 * fields; "Salva" then Elabora again resumes; the upload shows its progress
 * and a file past the limit is refused before it is sent; a signed response
 * names its signer. Screenshots of every step and of the response PDFs go to
 * $SPORTELLO_SCREENSHOT_DIR. What is saved before the conclusion is in
 * test-elabora-draft-ui.c.
 */

#define WAIT_UNTIL SP_TEST_UI_WAIT_UNTIL
#define child(widget, type, name) sp_test_ui_template_child ((widget), (type), (name))

static JsonObject *
risposta_document (JsonObject *detail)
{
  JsonArray *documents = json_object_get_array_member (detail, "documents");

  for (guint i = 0; i < json_array_get_length (documents); i++)
    {
      JsonObject *document = json_array_get_object_element (documents, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (document, "kind", NULL), "risposta") == 0)
        return document;
    }
  return NULL;
}

/* The response PDF, downloaded through the API and drawn into the screenshots. */
static void
render_response_pdf (const char *pratica_id,
                     const char *name)
{
  g_autoptr(SpTestResponse) detail = NULL;
  g_autoptr(SpTestResponse) download = NULL;
  g_autofree char *png = NULL;
  g_autofree char *text = NULL;
  SpTestElabora *fixture = sp_test_elabora_ui_fixture ();
  JsonObject *risposta = risposta_document (sp_test_elabora_ui_server_detail (pratica_id, &detail));

  g_assert_nonnull (risposta);
  download = sp_test_elabora_download (fixture, pratica_id, json_object_get_string_member (risposta, "id"),
                                       SP_TEST_OPERATOR);
  g_assert_cmpuint (download->status, ==, 200);
  text = sp_test_pdf_text (download->body);
  g_assert_nonnull (strstr (text, "Spett.le"));
  png = sp_test_pdf_png (download->body, name);
  g_test_message ("Response PDF: %s", png);
}

/* Progress of an upload, as the progress bar shows it. */
typedef struct
{
  double   max;
  guint    partial;        /* updates strictly between 0 and 1 */
  int      stop_pid;       /* when not 0: SIGSTOP it at the first partial update */
  gboolean stopped;
} Progress;

static void
fraction_cb (GtkProgressBar *bar,
             GParamSpec     *pspec,
             Progress       *progress)
{
  double fraction = gtk_progress_bar_get_fraction (bar);

  progress->max = MAX (progress->max, fraction);
  if (fraction > 0.0 && fraction < 1.0)
    progress->partial++;
  if (progress->stop_pid != 0 && !progress->stopped && fraction > 0.0 && fraction < 0.5)
    {
      g_assert_cmpint (kill (progress->stop_pid, SIGSTOP), ==, 0);
      progress->stopped = TRUE;
    }
}

static gulong
watch_progress (SpElaboraPage *elabora,
                Progress      *progress)
{
  return g_signal_connect (sp_test_elabora_ui_upload_child (elabora, "progress_bar"),
                           "notify::fraction", G_CALLBACK (fraction_cb), progress);
}

static void
unwatch_progress (SpElaboraPage *elabora,
                  gulong         handler)
{
  g_signal_handler_disconnect (sp_test_elabora_ui_upload_child (elabora, "progress_bar"), handler);
}

static void
fill_verifica (SpElaboraPage *elabora)
{
  sp_test_elabora_ui_type_into (elabora, "steps.verifica.istruttore", "Mario Rossi");
  sp_test_elabora_ui_type_into (elabora, "steps.verifica.punteggio", "12,5");
  sp_test_elabora_ui_type_into (elabora, "steps.verifica.data", "15/03/2026");
  sp_test_elabora_ui_choose (elabora, "steps.verifica.esito_verifica", 1);
  sp_test_elabora_ui_tick (elabora, "steps.verifica.documenti", TRUE);
}

/* Tests */

static void
test_approve (void)
{
  g_autofree char *id = NULL;
  g_autoptr(SpClient) client = NULL;
  g_autoptr(SpTestResponse) saved = NULL;
  g_autoptr(GFile) big = NULL;
  g_autoptr(GFile) letter = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *progress_text = NULL;
  gboolean shown;
  Progress progress = { 0 };
  SpPraticaPage *page;
  SpElaboraPage *elabora;
  GtkWindow *window;
  JsonObject *detail;
  JsonObject *verifica;
  AdwMessageDialog *dialog;
  gulong handler;
  SpTestElabora *fixture = sp_test_elabora_ui_fixture ();

  if (sp_test_elabora_ui_skip ())
    return;

  id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  client = sp_test_ui_sign_in (fixture->env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = sp_test_elabora_ui_open_detail (client, id, 1100, &page);

  /* The detail: "Elabora" for the operator in charge; no registration, only
   * the number the fixture gives the pratica, listed as its main one. */
  g_assert_null (sp_test_ui_find_named (child (page, SP_TYPE_PRATICA_PAGE, "protocols_list"), "no-protocols"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (sp_test_ui_find_named (
                     child (page, SP_TYPE_PRATICA_PAGE, "protocols_list"), "main-only"))),
                   ==, "N. 2026/0000042");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-elabora.png");

  /* Esito: nothing chosen, "Avanti" says so and stays. */
  elabora = sp_test_elabora_ui_open (page);
  sp_test_elabora_ui_assert_step (elabora, "esito", "Passo 1 di 5", "Esito");
  g_assert_false (gtk_widget_is_sensitive (child (elabora, SP_TYPE_ELABORA_PAGE, "back_button")));
  g_assert_false (gtk_check_button_get_active (child (elabora, SP_TYPE_ELABORA_PAGE, "accept_check")));
  g_assert_false (gtk_check_button_get_active (child (elabora, SP_TYPE_ELABORA_PAGE, "reject_check")));
  sp_test_elabora_ui_press (elabora, "next_button");
  sp_test_elabora_ui_assert_step (elabora, "esito", "Passo 1 di 5", "Esito");
  g_assert_cmpstr (sp_test_elabora_ui_shown_error (elabora, "esito_error"), ==,
                   "Indicare se la pratica è accolta o rifiutata");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-esito-errors.png");

  gtk_widget_activate (child (elabora, SP_TYPE_ELABORA_PAGE, "accept_row"));
  g_assert_true (gtk_check_button_get_active (child (elabora, SP_TYPE_ELABORA_PAGE, "accept_check")));
  sp_test_elabora_ui_set_motivation (elabora, "I requisiti sono stati verificati: la domanda è completa.");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-esito.png");
  sp_test_elabora_ui_press (elabora, "next_button");
  sp_test_elabora_ui_assert_step (elabora, "risposta", "Passo 2 di 5", "File di risposta");
  g_assert_cmpstr (sp_test_elabora_ui_shown_error (elabora, "esito_error"), ==, "");

  /* Risposta: nothing uploaded, "Avanti" says so. */
  sp_test_elabora_ui_press (elabora, "next_button");
  sp_test_elabora_ui_assert_step (elabora, "risposta", "Passo 2 di 5", "File di risposta");
  g_assert_cmpstr (sp_test_elabora_ui_upload_error (elabora), ==, "Caricare il file di risposta");

  /* Past the limit: refused before a byte is sent. */
  big = sp_test_elabora_ui_make_file ("troppo-grande.pdf", 26 * 1024 * 1024, TRUE);
  sp_test_elabora_ui_choose_file (elabora, big, "chooser-risposta.png");
  sp_test_elabora_ui_wait_uploaded (elabora);
  g_assert_cmpstr (sp_test_elabora_ui_upload_error (elabora), ==,
                   "Il file «troppo-grande.pdf» è di 26,0\u00a0MiB: si possono caricare file fino a 25,0\u00a0MiB.");
  g_assert_cmpint (sp_test_elabora_ui_count ("SELECT count (*) FROM document"
                                             " WHERE pratica_id = $1::uuid AND kind = 'allegato'", id),
                   ==, 0);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-risposta-too-big.png");

  /* The progress of an upload: the server is paused once part of it is
   * sent, to see it; then the upload is cancelled. */
  letter = sp_test_elabora_ui_make_file ("lettera-di-accoglimento.pdf", 24 * 1024 * 1024, FALSE);
  progress.stop_pid = sp_test_env_get_server_pid (fixture->env);
  handler = watch_progress (elabora, &progress);
  sp_response_upload_upload (sp_test_elabora_ui_upload_of (elabora), letter);
  WAIT_UNTIL (progress.stopped);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-risposta-progress.png");
  shown = gtk_widget_get_visible (sp_test_elabora_ui_upload_child (elabora, "progress_box"));
  progress_text = g_strdup (gtk_progress_bar_get_text (sp_test_elabora_ui_upload_child (elabora, "progress_bar")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sp_test_elabora_ui_upload_of (elabora)), "upload.cancel",
                                             NULL));
  WAIT_UNTIL (!sp_response_upload_is_uploading (sp_test_elabora_ui_upload_of (elabora)));
  g_assert_cmpint (kill (progress.stop_pid, SIGCONT), ==, 0);
  g_test_message ("Progress while paused: %s", progress_text);
  g_assert_true (shown);
  g_assert_cmpfloat (progress.max, <, 1.0);
  g_assert_nonnull (strstr (progress_text, " di 24,0\u00a0MiB"));
  g_assert_cmpstr (sp_test_elabora_ui_upload_error (elabora), ==, "Il caricamento è stato annullato.");
  g_assert_null (sp_response_upload_get_document (sp_test_elabora_ui_upload_of (elabora)));

  /* Again, to the end, through the file chooser. */
  progress = (Progress) { 0 };
  sp_test_elabora_ui_choose_file (elabora, letter, NULL);
  sp_test_elabora_ui_wait_uploaded (elabora);
  unwatch_progress (elabora, handler);
  g_assert_cmpstr (sp_test_elabora_ui_upload_error (elabora), ==, "");
  g_assert_cmpuint (progress.partial, >, 0);
  g_assert_cmpfloat (progress.max, ==, 1.0);
  g_assert_nonnull (sp_response_upload_get_document (sp_test_elabora_ui_upload_of (elabora)));
  g_assert_cmpstr (sp_response_upload_get_document (sp_test_elabora_ui_upload_of (elabora))->filename, ==,
                   "lettera-di-accoglimento.pdf");
  g_assert_cmpint (sp_response_upload_get_document (sp_test_elabora_ui_upload_of (elabora))->size, ==,
                   24 * 1024 * 1024);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-risposta.png");
  sp_test_elabora_ui_press (elabora, "next_button");
  sp_test_elabora_ui_assert_step (elabora, "step:verifica", "Passo 3 di 5", "Verifica");

  /* Verifica: every required field says so, next to it; so do a number
   * and a date mistyped. */
  sp_test_elabora_ui_type_into (elabora, "steps.verifica.punteggio", "dodici");
  sp_test_elabora_ui_type_into (elabora, "steps.verifica.data", "31/02/2026");
  sp_test_elabora_ui_press (elabora, "next_button");
  sp_test_elabora_ui_assert_step (elabora, "step:verifica", "Passo 3 di 5", "Verifica");
  g_assert_cmpstr (sp_test_elabora_ui_field_error (elabora, "steps.verifica.istruttore"), ==,
                   "Campo obbligatorio");
  g_assert_cmpstr (sp_test_elabora_ui_field_error (elabora, "steps.verifica.punteggio"), ==,
                   "Inserire un numero, come 12 o 3,5");
  g_assert_cmpstr (sp_test_elabora_ui_field_error (elabora, "steps.verifica.data"), ==,
                   "Inserire una data come gg/mm/aaaa, ad esempio 15/03/2026");
  g_assert_cmpstr (sp_test_elabora_ui_field_error (elabora, "steps.verifica.esito_verifica"), ==,
                   "Campo obbligatorio");
  g_assert_cmpstr (sp_test_elabora_ui_field_error (elabora, "steps.verifica.documenti"), ==,
                   "Campo obbligatorio");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-verifica-errors.png");

  fill_verifica (elabora);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-verifica.png");

  /* Salva: kept on the server, not concluded. */
  sp_test_elabora_ui_press (elabora, "save_button");
  WAIT_UNTIL (!sp_elabora_page_is_busy (elabora));
  g_assert_cmpstr (sp_test_elabora_ui_field_error (elabora, "steps.verifica.istruttore"), ==, "");
  detail = sp_test_elabora_ui_server_detail (id, &saved);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (detail, "pratica"), "status"), <,
                   6000);
  g_assert_cmpstr (sp_test_elabora_ui_processing (detail, "esito"), ==, "accepted");
  g_assert_cmpstr (sp_test_elabora_ui_processing (detail, "motivazione"), ==,
                   "I requisiti sono stati verificati: la domanda è completa.");
  g_assert_cmpstr (sp_test_elabora_ui_processing (detail, "risposta"), ==,
                   sp_response_upload_get_document (sp_test_elabora_ui_upload_of (elabora))->id);
  verifica = json_object_get_object_member (json_object_get_object_member (json_object_get_object_member (detail,
                                                                                                          "processing"),
                                                                           "steps"),
                                            "verifica");
  g_assert_cmpstr (json_object_get_string_member (verifica, "istruttore"), ==, "Mario Rossi");
  g_assert_cmpfloat (json_object_get_double_member (verifica, "punteggio"), ==, 12.5);
  g_assert_cmpstr (json_object_get_string_member (verifica, "data"), ==, "2026-03-15");
  g_assert_cmpstr (json_object_get_string_member (verifica, "esito_verifica"), ==, "Conforme");
  g_assert_true (json_object_get_boolean_member (verifica, "documenti"));

  /* Back to the detail, then Elabora again: every value back, at the step
   * where the work was. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (elabora), "elabora.close", NULL));
  WAIT_UNTIL (sp_test_elabora_ui_of (page) == NULL
              && g_strcmp0 (sp_test_elabora_ui_detail_state (page), "content") == 0);
  elabora = sp_test_elabora_ui_open (page);
  sp_test_elabora_ui_assert_step (elabora, "step:verifica", "Passo 3 di 5", "Verifica");
  g_assert_true (gtk_check_button_get_active (child (elabora, SP_TYPE_ELABORA_PAGE, "accept_check")));
  g_assert_cmpstr (sp_test_elabora_ui_typed (elabora, "steps.verifica.istruttore"), ==, "Mario Rossi");
  g_assert_cmpstr (sp_test_elabora_ui_typed (elabora, "steps.verifica.punteggio"), ==, "12,5");
  g_assert_cmpstr (sp_test_elabora_ui_typed (elabora, "steps.verifica.data"), ==, "15/03/2026");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (sp_step_field_row_get_input (
                      sp_test_elabora_ui_field_row (elabora, "steps.verifica.esito_verifica")))),
                    ==, 1);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (sp_step_field_row_get_input (
    sp_test_elabora_ui_field_row (elabora, "steps.verifica.documenti")))));
  g_assert_cmpstr (sp_response_upload_get_document (sp_test_elabora_ui_upload_of (elabora))->filename, ==,
                   "lettera-di-accoglimento.pdf");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (child (elabora, SP_TYPE_ELABORA_PAGE, "saved_label")),
                                   "Ultimo salvataggio il "));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-resumed.png");

  /* Back shows the earlier steps as they were. */
  sp_test_elabora_ui_press (elabora, "back_button");
  sp_test_elabora_ui_assert_step (elabora, "risposta", "Passo 2 di 5", "File di risposta");
  sp_test_elabora_ui_press (elabora, "back_button");
  sp_test_elabora_ui_assert_step (elabora, "esito", "Passo 1 di 5", "Esito");
  sp_test_elabora_ui_press (elabora, "next_button");
  sp_test_elabora_ui_press (elabora, "next_button");
  sp_test_elabora_ui_press (elabora, "next_button");

  /* Rilascio, only when accepted. */
  sp_test_elabora_ui_assert_step (elabora, "step:rilascio", "Passo 4 di 5", "Rilascio");
  sp_test_elabora_ui_press (elabora, "next_button");
  g_assert_cmpstr (sp_test_elabora_ui_field_error (elabora, "steps.rilascio.numero_atto"), ==,
                   "Campo obbligatorio");
  g_assert_cmpstr (sp_test_elabora_ui_field_error (elabora, "steps.rilascio.scadenza"), ==, "");
  sp_test_elabora_ui_type_into (elabora, "steps.rilascio.numero_atto", "AUT-2026-17");
  sp_test_elabora_ui_type_into (elabora, "steps.rilascio.scadenza", "31/12/2027");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-rilascio.png");
  sp_test_elabora_ui_press (elabora, "next_button");

  /* Riepilogo: everything as it will be concluded. */
  sp_test_elabora_ui_assert_step (elabora, "riepilogo", "Passo 5 di 5", "Riepilogo");
  g_assert_false (gtk_widget_get_visible (child (elabora, SP_TYPE_ELABORA_PAGE, "next_button")));
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (elabora), "summary:esito"), ==, "Accettata");
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (elabora), "summary:risposta"), ==,
                   "lettera-di-accoglimento.pdf");
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (elabora), "summary:steps.verifica.punteggio"), ==,
                   "12,5");
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (elabora), "summary:steps.verifica.data"), ==,
                   "15/03/2026");
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (elabora), "summary:steps.verifica.documenti"), ==,
                   "Sì");
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (elabora), "summary:steps.rilascio.scadenza"), ==,
                   "31/12/2027");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-riepilogo.png");

  /* Concludi: asked first; saved, concluded, and the detail is back. */
  sp_test_elabora_ui_press (elabora, "conclude_button");
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  heading = g_strdup_printf ("Concludere la pratica %s?",
                             sp_pratica_summary_get_data (sp_pratica_page_get_detail (page)->summary)->numero);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "dialog-conclude.png");
  sp_test_ui_respond (dialog, "conclude");
  sp_test_elabora_ui_wait_detail_status (page, 7000);
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (page), "outcome"), ==, "Accettata");
  g_assert_false (gtk_widget_get_visible (child (page, SP_TYPE_PRATICA_PAGE, "elabora_button")));
  {
    g_autoptr(GPtrArray) rows = g_ptr_array_new ();
    gboolean risposta = FALSE;

    sp_test_ui_collect_type (child (page, SP_TYPE_PRATICA_PAGE, "documents_list"), SP_TYPE_DOCUMENT_ROW, rows);
    for (guint i = 0; i < rows->len; i++)
      risposta |= g_strcmp0 (sp_document_row_get_info (g_ptr_array_index (rows, i))->kind, "risposta") == 0;
    g_assert_true (risposta);
  }
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-elabora-accepted.png");
  render_response_pdf (id, "risposta-ui-accettata");
  sp_test_ui_close_window (window);
}

static void
test_reject_signed (void)
{
  g_autofree char *id = NULL;
  g_autofree char *p7m_path = NULL;
  g_autoptr(SpClient) client = NULL;
  g_autoptr(GFile) plain = NULL;
  g_autoptr(GFile) p7m = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("%PDF-1.4 diniego firmato\n", 25);
  g_autoptr(GBytes) signed_content = NULL;
  g_autoptr(GError) error = NULL;
  const SpDocumentInfo *info;
  SpPraticaPage *page;
  SpElaboraPage *elabora;
  GtkWindow *window;
  AdwMessageDialog *dialog;
  SpTestElabora *fixture = sp_test_elabora_ui_fixture ();

  if (sp_test_elabora_ui_skip ())
    return;

  /* In a narrow window (800 pixels). */
  id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_SIGNED, 4000, SP_TEST_OPERATOR);
  client = sp_test_ui_sign_in (fixture->env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = sp_test_elabora_ui_open_detail (client, id, 800, &page);
  elabora = sp_test_elabora_ui_open (page);

  /* Esito: a rejection needs its motivation; the service's last step no longer applies. */
  gtk_widget_activate (child (elabora, SP_TYPE_ELABORA_PAGE, "reject_row"));
  sp_test_elabora_ui_assert_step (elabora, "esito", "Passo 1 di 4", "Esito");
  sp_test_elabora_ui_press (elabora, "next_button");
  sp_test_elabora_ui_assert_step (elabora, "esito", "Passo 1 di 4", "Esito");
  g_assert_cmpstr (sp_test_elabora_ui_shown_error (elabora, "motivazione_error"), ==,
                   "Per rifiutare la pratica è obbligatoria la motivazione");
  g_assert_true (gtk_widget_has_css_class (child (elabora, SP_TYPE_ELABORA_PAGE, "motivazione_frame"), "sp-error-frame"));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-esito-reject-errors.png");
  sp_test_elabora_ui_set_motivation (elabora, "Manca la planimetria richiesta dal regolamento comunale.");
  sp_test_elabora_ui_press (elabora, "next_button");
  sp_test_elabora_ui_assert_step (elabora, "risposta", "Passo 2 di 4", "File di risposta");

  /* Risposta: only a signed file whose signature verifies; its signer is named. */
  g_assert_nonnull (strstr (gtk_label_get_text (sp_test_elabora_ui_upload_child (elabora, "hint_label")), ".p7m"));
  plain = sp_test_elabora_ui_make_file ("diniego.pdf", 4096, FALSE);
  sp_response_upload_upload (sp_test_elabora_ui_upload_of (elabora), plain);
  sp_test_elabora_ui_wait_uploaded (elabora);
  g_test_message ("Unsigned file: %s", sp_test_elabora_ui_upload_error (elabora));
  /* Why, in Italian: never OpenSSL's words. */
  g_assert_cmpstr (sp_test_elabora_ui_upload_error (elabora), ==,
                   "Questo servizio richiede un file di risposta firmato digitalmente: scegliere un file .p7m.");
  g_assert_null (sp_response_upload_get_document (sp_test_elabora_ui_upload_of (elabora)));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-risposta-unsigned.png");

  signed_content = sp_test_elabora_sign (fixture, "rossi", content, FALSE);
  p7m_path = g_build_filename (sp_test_elabora_ui_files_dir (), "diniego.pdf.p7m", NULL);
  g_assert_true (g_file_set_contents (p7m_path, g_bytes_get_data (signed_content, NULL),
                                      (gssize) g_bytes_get_size (signed_content), &error));
  p7m = g_file_new_for_path (p7m_path);
  sp_test_elabora_ui_choose_file (elabora, p7m, "chooser-risposta-p7m.png");
  sp_test_elabora_ui_wait_uploaded (elabora);
  g_assert_cmpstr (sp_test_elabora_ui_upload_error (elabora), ==, "");
  info = sp_response_upload_get_document (sp_test_elabora_ui_upload_of (elabora));
  g_assert_nonnull (info);
  g_assert_cmpstr (info->signer, ==, "ROSSI MARIO");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (sp_test_ui_find_named (GTK_WIDGET (elabora),
                                                                                                "response-document"))),
                            "firmato da ROSSI MARIO"));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-risposta-signed.png");
  sp_test_elabora_ui_press (elabora, "next_button");

  /* Verifica applies; Rilascio is skipped. */
  sp_test_elabora_ui_assert_step (elabora, "step:verifica", "Passo 3 di 4", "Verifica");
  fill_verifica (elabora);
  sp_test_elabora_ui_type_into (elabora, "steps.verifica.punteggio", "3");
  sp_test_elabora_ui_choose (elabora, "steps.verifica.esito_verifica", 2);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-verifica-narrow.png");
  sp_test_elabora_ui_press (elabora, "next_button");
  sp_test_elabora_ui_assert_step (elabora, "riepilogo", "Passo 4 di 4", "Riepilogo");
  g_assert_null (sp_test_ui_find_named (GTK_WIDGET (elabora), "summary:steps.rilascio.numero_atto"));
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (elabora), "summary:esito"), ==, "Rifiutata");
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (elabora), "summary:motivazione"), ==,
                   "Manca la planimetria richiesta dal regolamento comunale.");
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (elabora), "summary:risposta"), ==,
                   "diniego.pdf.p7m, firmato da ROSSI MARIO");
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (elabora), "summary:steps.verifica.esito_verifica"), ==,
                   "Non conforme");
  /* The focus is on "Concludi", no text selected. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == child (elabora, SP_TYPE_ELABORA_PAGE, "conclude_button"));
  g_assert_false (gtk_label_get_selection_bounds (GTK_LABEL (sp_test_ui_find_named (sp_test_ui_find_named (GTK_WIDGET (elabora), "summary:esito"), "value")), NULL, NULL));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-riepilogo-rejected.png");

  sp_test_elabora_ui_press (elabora, "conclude_button");
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "dialog-conclude-reject.png");
  sp_test_ui_respond (dialog, "conclude");
  sp_test_elabora_ui_wait_detail_status (page, 9000);
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (page), "outcome"), ==, "Rifiutata");
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (page), "motivation"), ==,
                   "Manca la planimetria richiesta dal regolamento comunale.");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-elabora-rejected.png");
  render_response_pdf (id, "risposta-ui-rifiutata");
  sp_test_ui_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  sp_test_elabora_ui_init (&argc, &argv);

  g_test_add_func ("/sportello/client/elabora/approve", test_approve);
  g_test_add_func ("/sportello/client/elabora/reject-signed", test_reject_signed);

  return sp_test_elabora_ui_run ();
}
