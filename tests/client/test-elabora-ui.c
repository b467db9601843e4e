/* test-elabora-ui.c: "Elabora" in the app, step by step, against a real server, in Italian */
#define G_LOG_DOMAIN "test-elabora-ui"

#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>
#include <signal.h>

#include "sp-application.h"
#include "sp-document-row.h"
#include "sp-login-page.h"
#include "sp-elabora-page.h"
#include "sp-pratica-page.h"
#include "sp-response-upload.h"
#include "sp-step-field-row.h"
#include "sp-test-elabora.h"
#include "sp-test-pdf.h"
#include "sp-test-pg.h"
#include "sp-test-ui.h"
#include "sp-window.h"

/*
 * The real SpPraticaPage, SpElaboraPage and SpClient against a real
 * sportello-server with the services of the server's Elabora tests
 * (sp-test-elabora.c): steps "Verifica" (every field type) and "Rilascio"
 * (only when accepted). A pratica is processed and concluded through every
 * step, accepted and rejected; the checks of each step show next to their
 * fields; "Salva" then Elabora again resumes; the upload shows its progress
 * and a file past the limit is refused before it is sent; a signed response
 * names its signer; a refused conclusion shows the server's words; the
 * detail lists the protocol register. Screenshots of every step and of the
 * response PDFs go to $SPORTELLO_SCREENSHOT_DIR.
 */

#define WAIT_UNTIL SP_TEST_UI_WAIT_UNTIL

static SpTestElabora *fixture;
static SpApplication *application;
static gboolean have_display;
static char *files_dir;

/* Helpers */

static gboolean
skip_without_server (void)
{
  if (!have_display)
    {
      g_test_skip ("No display: run under Xvfb");
      return TRUE;
    }
  if (fixture == NULL)
    {
      g_test_skip ("The test server did not start");
      return TRUE;
    }
  return FALSE;
}

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  return sp_test_ui_template_child (widget, type, name);
}

static const char *
label_text (gpointer    widget,
            GType       type,
            const char *name)
{
  return gtk_label_get_text (child (widget, type, name));
}

static const char *
page_state (SpPraticaPage *page)
{
  return gtk_stack_get_visible_child_name (child (page, SP_TYPE_PRATICA_PAGE, "stack"));
}

/* A window of @width × 760 (the app's default height) with the detail of @pratica_id. */
static GtkWindow *
open_detail (SpClient       *client,
             const char     *pratica_id,
             int             width,
             SpPraticaPage **page_out)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  SpPraticaPage *page = sp_pratica_page_new (client, pratica_id);

  gtk_window_set_default_size (window, width, 760);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (page)));
  WAIT_UNTIL (g_strcmp0 (page_state (page), "content") == 0);
  *page_out = page;
  return window;
}

static void
close_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  sp_test_ui_spin (50);
}

static SpElaboraPage *
elabora_of (SpPraticaPage *page)
{
  GtkWidget *elabora = sp_test_ui_find_type (GTK_WIDGET (page), SP_TYPE_ELABORA_PAGE);

  return elabora != NULL && gtk_widget_get_mapped (elabora) ? SP_ELABORA_PAGE (elabora) : NULL;
}

static gboolean
elabora_ready (SpPraticaPage *page)
{
  SpElaboraPage *elabora = elabora_of (page);

  return elabora != NULL && !sp_elabora_page_is_busy (elabora) && sp_elabora_page_get_step (elabora) != NULL
         && g_strcmp0 (gtk_stack_get_visible_child_name (child (elabora, SP_TYPE_ELABORA_PAGE, "stack")),
                       "steps") == 0;
}

/* "Elabora" on the detail, as the user presses it; waits for the first step. */
static SpElaboraPage *
open_elabora (SpPraticaPage *page)
{
  GtkWidget *button = child (page, SP_TYPE_PRATICA_PAGE, "elabora_button");

  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);
  WAIT_UNTIL (elabora_ready (page));
  return elabora_of (page);
}

static void
count_click_cb (guint *clicks)
{
  (*clicks)++;
}

static void
press (SpElaboraPage *elabora,
       const char    *button)
{
  GtkWidget *widget = child (elabora, SP_TYPE_ELABORA_PAGE, button);
  guint clicks = 0;
  gulong handler;

  g_assert_true (gtk_widget_get_visible (widget));
  g_assert_true (gtk_widget_is_sensitive (widget));
  handler = g_signal_connect_swapped (widget, "clicked", G_CALLBACK (count_click_cb), &clicks);

  /* A button clicks once it has shown itself pressed (250 ms), later
   * when the machine is slow (the sanitizer build). */
  gtk_widget_activate (widget);
  WAIT_UNTIL (clicks > 0);
  g_signal_handler_disconnect (widget, handler);
}

static const char *
step_of (SpElaboraPage *elabora)
{
  return sp_elabora_page_get_step (elabora);
}

/* The step shown, as the user reads it: "Passo 2 di 5" and its title. */
static void
assert_step (SpElaboraPage *elabora,
             const char    *name,
             const char    *counter,
             const char    *title)
{
  g_assert_cmpstr (step_of (elabora), ==, name);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (elabora, SP_TYPE_ELABORA_PAGE, "step_stack")), ==, name);
  g_assert_cmpstr (label_text (elabora, SP_TYPE_ELABORA_PAGE, "step_counter"), ==, counter);
  g_assert_cmpstr (label_text (elabora, SP_TYPE_ELABORA_PAGE, "step_title"), ==, title);
}

static SpStepFieldRow *
field_row (SpElaboraPage *elabora,
           const char    *path)
{
  GtkWidget *row = sp_test_ui_find_named (GTK_WIDGET (elabora), path);

  if (row == NULL || !SP_IS_STEP_FIELD_ROW (row))
    g_error ("No row for the field %s", path);
  return SP_STEP_FIELD_ROW (row);
}

/* The error shown next to a field ("" when none). */
static const char *
field_error (SpElaboraPage *elabora,
             const char    *path)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (field_row (elabora, path)));
}

static void
type_into (SpElaboraPage *elabora,
           const char    *path,
           const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (sp_step_field_row_get_input (field_row (elabora, path))), text);
}

static const char *
typed (SpElaboraPage *elabora,
       const char    *path)
{
  return gtk_editable_get_text (GTK_EDITABLE (sp_step_field_row_get_input (field_row (elabora, path))));
}

static void
choose (SpElaboraPage *elabora,
        const char    *path,
        guint          position)
{
  gtk_drop_down_set_selected (GTK_DROP_DOWN (sp_step_field_row_get_input (field_row (elabora, path))), position);
}

static void
tick (SpElaboraPage *elabora,
      const char    *path,
      gboolean       active)
{
  gtk_check_button_set_active (GTK_CHECK_BUTTON (sp_step_field_row_get_input (field_row (elabora, path))), active);
}

static void
set_motivation (SpElaboraPage *elabora,
                const char    *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (child (elabora, SP_TYPE_ELABORA_PAGE, "motivazione_view")),
                            text, -1);
}

static const char *
shown_error (SpElaboraPage *elabora,
             const char    *label)
{
  GtkLabel *error = child (elabora, SP_TYPE_ELABORA_PAGE, label);

  return gtk_widget_get_visible (GTK_WIDGET (error)) ? gtk_label_get_text (error) : "";
}

static SpResponseUpload *
upload_of (SpElaboraPage *elabora)
{
  return child (elabora, SP_TYPE_ELABORA_PAGE, "response_upload");
}

static const char *
upload_error (SpElaboraPage *elabora)
{
  GtkWidget *label = child (upload_of (elabora), SP_TYPE_RESPONSE_UPLOAD, "error_label");

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : "";
}

/* A file of @size bytes in files_dir; sparse when @sparse (its bytes are never read). */
static GFile *
make_file (const char *name,
           gsize       size,
           gboolean    sparse)
{
  g_autofree char *path = g_build_filename (files_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (sparse)
    {
      FILE *file = fopen (path, "wb");

      g_assert_nonnull (file);
      g_assert_cmpint (fseeko (file, (off_t) size - 1, SEEK_SET), ==, 0);
      g_assert_cmpint (fputc ('\n', file), ==, '\n');
      g_assert_cmpint (fclose (file), ==, 0);
    }
  else
    {
      g_autofree guint32 *data = g_new (guint32, size / 4 + 1);
      g_autoptr(GRand) rand = g_rand_new_with_seed (size);

      for (gsize i = 0; i < size / 4 + 1; i++)
        data[i] = g_rand_int (rand);
      memcpy (data, "%PDF-1.4\n", 9);
      g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) size, &error));
    }
  return g_file_new_for_path (path);
}

/* "Scegli file…", then the file in the chooser and its "Carica", as the user does. */
static void
choose_file (SpElaboraPage *elabora,
             GFile         *file,
             const char    *screenshot)
{
  GtkFileChooser *chooser;
  g_autoptr(GError) error = NULL;

  gtk_widget_activate (child (upload_of (elabora), SP_TYPE_RESPONSE_UPLOAD, "choose_button"));
  WAIT_UNTIL ((chooser = sp_test_ui_find_file_chooser ()) != NULL);
  g_assert_true (gtk_file_chooser_set_file (chooser, file, &error));
  g_assert_no_error (error);
  if (screenshot != NULL)
    sp_test_ui_save_screenshot (GTK_WIDGET (chooser), screenshot);
  sp_test_ui_click_button (GTK_WIDGET (chooser), "_Carica");
  WAIT_UNTIL (sp_test_ui_find_file_chooser () == NULL);
}

static void
wait_uploaded (SpElaboraPage *elabora)
{
  WAIT_UNTIL (!sp_response_upload_is_uploading (upload_of (elabora)));
}

/* The detail, as the server has it now. */
static JsonObject *
server_detail (const char      *pratica_id,
               SpTestResponse **response)
{
  *response = sp_test_elabora_detail (fixture, pratica_id, SP_TEST_OPERATOR);
  g_assert_cmpuint ((*response)->status, ==, 200);
  return sp_test_response_object (*response);
}

static const char *
processing_member (JsonObject *detail,
                   const char *member)
{
  JsonObject *processing = json_object_get_object_member (detail, "processing");

  g_assert_nonnull (processing);
  return json_object_get_string_member_with_default (processing, member, NULL);
}

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
  JsonObject *risposta = risposta_document (server_detail (pratica_id, &detail));

  g_assert_nonnull (risposta);
  download = sp_test_elabora_download (fixture, pratica_id, json_object_get_string_member (risposta, "id"),
                                       SP_TEST_OPERATOR);
  g_assert_cmpuint (download->status, ==, 200);
  text = sp_test_pdf_text (download->body);
  g_assert_nonnull (strstr (text, "Spett.le"));
  png = sp_test_pdf_png (download->body, name);
  g_test_message ("Response PDF: %s", png);
}

static void
wait_detail_status (SpPraticaPage *page,
                    int            status)
{
  WAIT_UNTIL (elabora_of (page) == NULL && sp_pratica_page_get_detail (page) != NULL
              && (int) sp_pratica_summary_get_data (sp_pratica_page_get_detail (page)->summary)->status == status);
}

/* The value a summary or detail row shows, by the row's name. */
static const char *
row_value (GtkWidget  *root,
           const char *name)
{
  GtkWidget *row = sp_test_ui_find_named (root, name);
  GtkWidget *value;

  if (row == NULL)
    g_error ("No row %s", name);
  value = sp_test_ui_find_named (row, "value");
  g_assert_nonnull (value);
  return gtk_label_get_text (GTK_LABEL (value));
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
  return g_signal_connect (child (upload_of (elabora), SP_TYPE_RESPONSE_UPLOAD, "progress_bar"),
                           "notify::fraction", G_CALLBACK (fraction_cb), progress);
}

static void
unwatch_progress (SpElaboraPage *elabora,
                  gulong         handler)
{
  g_signal_handler_disconnect (child (upload_of (elabora), SP_TYPE_RESPONSE_UPLOAD, "progress_bar"), handler);
}

static void
fill_verifica (SpElaboraPage *elabora)
{
  type_into (elabora, "steps.verifica.istruttore", "Mario Rossi");
  type_into (elabora, "steps.verifica.punteggio", "12,5");
  type_into (elabora, "steps.verifica.data", "15/03/2026");
  choose (elabora, "steps.verifica.esito_verifica", 1);
  tick (elabora, "steps.verifica.documenti", TRUE);
}

static gint64
count (const char *sql,
       const char *pratica_id)
{
  return sp_test_pg_int (fixture->conn, sql, SP_TEST_PG_ARGS (pratica_id));
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

  if (skip_without_server ())
    return;

  id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  client = sp_test_ui_sign_in (fixture->env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = open_detail (client, id, 1100, &page);

  /* The detail: "Elabora" for the operator in charge; no registration, only
   * the number the fixture gives the pratica, listed as its main one. */
  g_assert_null (sp_test_ui_find_named (child (page, SP_TYPE_PRATICA_PAGE, "protocols_list"), "no-protocols"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (sp_test_ui_find_named (
                     child (page, SP_TYPE_PRATICA_PAGE, "protocols_list"), "main-only"))),
                   ==, "N. 2026/0000042");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-elabora.png");

  /* Esito: nothing chosen, "Avanti" says so and stays. */
  elabora = open_elabora (page);
  assert_step (elabora, "esito", "Passo 1 di 5", "Esito");
  g_assert_false (gtk_widget_is_sensitive (child (elabora, SP_TYPE_ELABORA_PAGE, "back_button")));
  g_assert_false (gtk_check_button_get_active (child (elabora, SP_TYPE_ELABORA_PAGE, "accept_check")));
  g_assert_false (gtk_check_button_get_active (child (elabora, SP_TYPE_ELABORA_PAGE, "reject_check")));
  press (elabora, "next_button");
  assert_step (elabora, "esito", "Passo 1 di 5", "Esito");
  g_assert_cmpstr (shown_error (elabora, "esito_error"), ==, "Indicare se la pratica è accolta o rifiutata");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-esito-errors.png");

  gtk_widget_activate (child (elabora, SP_TYPE_ELABORA_PAGE, "accept_row"));
  g_assert_true (gtk_check_button_get_active (child (elabora, SP_TYPE_ELABORA_PAGE, "accept_check")));
  set_motivation (elabora, "I requisiti sono stati verificati: la domanda è completa.");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-esito.png");
  press (elabora, "next_button");
  assert_step (elabora, "risposta", "Passo 2 di 5", "File di risposta");
  g_assert_cmpstr (shown_error (elabora, "esito_error"), ==, "");

  /* Risposta: nothing uploaded, "Avanti" says so. */
  press (elabora, "next_button");
  assert_step (elabora, "risposta", "Passo 2 di 5", "File di risposta");
  g_assert_cmpstr (upload_error (elabora), ==, "Caricare il file di risposta");

  /* Past the limit: refused before a byte is sent. */
  big = make_file ("troppo-grande.pdf", 26 * 1024 * 1024, TRUE);
  choose_file (elabora, big, "chooser-risposta.png");
  wait_uploaded (elabora);
  g_assert_cmpstr (upload_error (elabora), ==,
                   "Il file «troppo-grande.pdf» è di 26,0\u00a0MiB: si possono caricare file fino a 25,0\u00a0MiB.");
  g_assert_cmpint (count ("SELECT count (*) FROM document WHERE pratica_id = $1::uuid AND kind = 'allegato'", id),
                   ==, 0);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-risposta-too-big.png");

  /* The progress of an upload: the server is paused once part of it is
   * sent, to see it; then the upload is cancelled. */
  letter = make_file ("lettera-di-accoglimento.pdf", 24 * 1024 * 1024, FALSE);
  progress.stop_pid = sp_test_env_get_server_pid (fixture->env);
  handler = watch_progress (elabora, &progress);
  sp_response_upload_upload (upload_of (elabora), letter);
  WAIT_UNTIL (progress.stopped);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-risposta-progress.png");
  shown = gtk_widget_get_visible (child (upload_of (elabora), SP_TYPE_RESPONSE_UPLOAD, "progress_box"));
  progress_text = g_strdup (gtk_progress_bar_get_text (child (upload_of (elabora), SP_TYPE_RESPONSE_UPLOAD,
                                                              "progress_bar")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (upload_of (elabora)), "upload.cancel", NULL));
  WAIT_UNTIL (!sp_response_upload_is_uploading (upload_of (elabora)));
  g_assert_cmpint (kill (progress.stop_pid, SIGCONT), ==, 0);
  g_test_message ("Progress while paused: %s", progress_text);
  g_assert_true (shown);
  g_assert_cmpfloat (progress.max, <, 1.0);
  g_assert_nonnull (strstr (progress_text, " di 24,0\u00a0MiB"));
  g_assert_cmpstr (upload_error (elabora), ==, "Il caricamento è stato annullato.");
  g_assert_null (sp_response_upload_get_document (upload_of (elabora)));

  /* Again, to the end, through the file chooser. */
  progress = (Progress) { 0 };
  choose_file (elabora, letter, NULL);
  wait_uploaded (elabora);
  unwatch_progress (elabora, handler);
  g_assert_cmpstr (upload_error (elabora), ==, "");
  g_assert_cmpuint (progress.partial, >, 0);
  g_assert_cmpfloat (progress.max, ==, 1.0);
  g_assert_nonnull (sp_response_upload_get_document (upload_of (elabora)));
  g_assert_cmpstr (sp_response_upload_get_document (upload_of (elabora))->filename, ==,
                   "lettera-di-accoglimento.pdf");
  g_assert_cmpint (sp_response_upload_get_document (upload_of (elabora))->size, ==, 24 * 1024 * 1024);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-risposta.png");
  press (elabora, "next_button");
  assert_step (elabora, "step:verifica", "Passo 3 di 5", "Verifica");

  /* Verifica: every required field says so, next to it; so do a number
   * and a date mistyped. */
  type_into (elabora, "steps.verifica.punteggio", "dodici");
  type_into (elabora, "steps.verifica.data", "31/02/2026");
  press (elabora, "next_button");
  assert_step (elabora, "step:verifica", "Passo 3 di 5", "Verifica");
  g_assert_cmpstr (field_error (elabora, "steps.verifica.istruttore"), ==, "Campo obbligatorio");
  g_assert_cmpstr (field_error (elabora, "steps.verifica.punteggio"), ==, "Inserire un numero, come 12 o 3,5");
  g_assert_cmpstr (field_error (elabora, "steps.verifica.data"), ==,
                   "Inserire una data come gg/mm/aaaa, ad esempio 15/03/2026");
  g_assert_cmpstr (field_error (elabora, "steps.verifica.esito_verifica"), ==, "Campo obbligatorio");
  g_assert_cmpstr (field_error (elabora, "steps.verifica.documenti"), ==, "Campo obbligatorio");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-verifica-errors.png");

  fill_verifica (elabora);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-verifica.png");

  /* Salva: kept on the server, not concluded. */
  press (elabora, "save_button");
  WAIT_UNTIL (!sp_elabora_page_is_busy (elabora));
  g_assert_cmpstr (field_error (elabora, "steps.verifica.istruttore"), ==, "");
  detail = server_detail (id, &saved);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (detail, "pratica"), "status"), <, 6000);
  g_assert_cmpstr (processing_member (detail, "esito"), ==, "accepted");
  g_assert_cmpstr (processing_member (detail, "motivazione"), ==,
                   "I requisiti sono stati verificati: la domanda è completa.");
  g_assert_cmpstr (processing_member (detail, "risposta"), ==,
                   sp_response_upload_get_document (upload_of (elabora))->id);
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
  WAIT_UNTIL (elabora_of (page) == NULL && g_strcmp0 (page_state (page), "content") == 0);
  elabora = open_elabora (page);
  assert_step (elabora, "step:verifica", "Passo 3 di 5", "Verifica");
  g_assert_true (gtk_check_button_get_active (child (elabora, SP_TYPE_ELABORA_PAGE, "accept_check")));
  g_assert_cmpstr (typed (elabora, "steps.verifica.istruttore"), ==, "Mario Rossi");
  g_assert_cmpstr (typed (elabora, "steps.verifica.punteggio"), ==, "12,5");
  g_assert_cmpstr (typed (elabora, "steps.verifica.data"), ==, "15/03/2026");
  g_assert_cmpuint (gtk_drop_down_get_selected (
                      GTK_DROP_DOWN (sp_step_field_row_get_input (field_row (elabora, "steps.verifica.esito_verifica")))),
                    ==, 1);
  g_assert_true (gtk_check_button_get_active (
    GTK_CHECK_BUTTON (sp_step_field_row_get_input (field_row (elabora, "steps.verifica.documenti")))));
  g_assert_cmpstr (sp_response_upload_get_document (upload_of (elabora))->filename, ==, "lettera-di-accoglimento.pdf");
  g_assert_true (g_str_has_prefix (label_text (elabora, SP_TYPE_ELABORA_PAGE, "saved_label"), "Ultimo salvataggio il "));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-resumed.png");

  /* Back shows the earlier steps as they were. */
  press (elabora, "back_button");
  assert_step (elabora, "risposta", "Passo 2 di 5", "File di risposta");
  press (elabora, "back_button");
  assert_step (elabora, "esito", "Passo 1 di 5", "Esito");
  press (elabora, "next_button");
  press (elabora, "next_button");
  press (elabora, "next_button");

  /* Rilascio, only when accepted. */
  assert_step (elabora, "step:rilascio", "Passo 4 di 5", "Rilascio");
  press (elabora, "next_button");
  g_assert_cmpstr (field_error (elabora, "steps.rilascio.numero_atto"), ==, "Campo obbligatorio");
  g_assert_cmpstr (field_error (elabora, "steps.rilascio.scadenza"), ==, "");
  type_into (elabora, "steps.rilascio.numero_atto", "AUT-2026-17");
  type_into (elabora, "steps.rilascio.scadenza", "31/12/2027");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-rilascio.png");
  press (elabora, "next_button");

  /* Riepilogo: everything as it will be concluded. */
  assert_step (elabora, "riepilogo", "Passo 5 di 5", "Riepilogo");
  g_assert_false (gtk_widget_get_visible (child (elabora, SP_TYPE_ELABORA_PAGE, "next_button")));
  g_assert_cmpstr (row_value (GTK_WIDGET (elabora), "summary:esito"), ==, "Accettata");
  g_assert_cmpstr (row_value (GTK_WIDGET (elabora), "summary:risposta"), ==, "lettera-di-accoglimento.pdf");
  g_assert_cmpstr (row_value (GTK_WIDGET (elabora), "summary:steps.verifica.punteggio"), ==, "12,5");
  g_assert_cmpstr (row_value (GTK_WIDGET (elabora), "summary:steps.verifica.data"), ==, "15/03/2026");
  g_assert_cmpstr (row_value (GTK_WIDGET (elabora), "summary:steps.verifica.documenti"), ==, "Sì");
  g_assert_cmpstr (row_value (GTK_WIDGET (elabora), "summary:steps.rilascio.scadenza"), ==, "31/12/2027");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-riepilogo.png");

  /* Concludi: asked first; saved, concluded, and the detail is back. */
  press (elabora, "conclude_button");
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  heading = g_strdup_printf ("Concludere la pratica %s?",
                             sp_pratica_summary_get_data (sp_pratica_page_get_detail (page)->summary)->numero);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "dialog-conclude.png");
  sp_test_ui_respond (dialog, "conclude");
  wait_detail_status (page, 7000);
  g_assert_cmpstr (row_value (GTK_WIDGET (page), "outcome"), ==, "Accettata");
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
  close_window (window);
}

/* The number the step holds now, as the database stores it. */
static void
assert_stored_punteggio (const char *pratica_id,
                         const char *expected)
{
  g_autofree char *stored = sp_test_pg_value (fixture->conn,
                                              "SELECT data #>> '{verifica,punteggio}' FROM pratica WHERE id = $1::uuid",
                                              SP_TEST_PG_ARGS (pratica_id));

  g_assert_cmpstr (stored, ==, expected);
}

static void
save_and_wait (SpElaboraPage *elabora)
{
  press (elabora, "save_button");
  WAIT_UNTIL (!sp_elabora_page_is_busy (elabora));
  g_assert_cmpstr (field_error (elabora, "steps.verifica.punteggio"), ==, "");
}

/* A number goes to the server as the operator typed it and comes back so:
 * not through a double (19,99 stored as 19.989999999999998, 1,50 as 1.5),
 * not wrapped or rounded past 64 bits. A draft with 19.99 reads 19,99 and
 * saved again unchanged stays 19.99. */
static void
test_numbers (void)
{
  const char *twenty_digits = "12345678901234567891";
  g_autofree char *id = NULL;
  g_autoptr(SpClient) client = NULL;
  g_autoptr(SpTestResponse) draft = NULL;
  g_autoptr(SpTestResponse) upload = NULL;
  g_autoptr(GBytes) letter = g_bytes_new_static ("%PDF-1.4\n", 9);
  g_autofree char *body = NULL;
  SpPraticaPage *page;
  SpElaboraPage *elabora;
  GtkWindow *window;

  if (skip_without_server ())
    return;

  id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  upload = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, "lettera.pdf", "application/pdf", letter);
  sp_test_assert_status (upload, 201);
  body = g_strdup_printf ("{\"esito\": \"accepted\", \"risposta\": \"%s\", \"steps\": {\"verifica\":"
                          " {\"istruttore\": \"Anna Neri\", \"punteggio\": 19.99}}}",
                          json_object_get_string_member (sp_test_response_object (upload), "id"));
  draft = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, body);
  sp_test_assert_status (draft, 200);
  client = sp_test_ui_sign_in (fixture->env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = open_detail (client, id, 1100, &page);
  elabora = open_elabora (page);
  assert_step (elabora, "step:verifica", "Passo 3 di 5", "Verifica");
  g_assert_cmpstr (typed (elabora, "steps.verifica.punteggio"), ==, "19,99");

  /* Saved again as it is. */
  save_and_wait (elabora);
  assert_stored_punteggio (id, "19.99");

  /* Typed, in Italian: a decimal comma, the grouping of thousands. */
  type_into (elabora, "steps.verifica.punteggio", "19,99");
  save_and_wait (elabora);
  assert_stored_punteggio (id, "19.99");
  type_into (elabora, "steps.verifica.punteggio", " 1.234,50 ");
  save_and_wait (elabora);
  assert_stored_punteggio (id, "1234.50");
  type_into (elabora, "steps.verifica.punteggio", twenty_digits);
  save_and_wait (elabora);
  assert_stored_punteggio (id, twenty_digits);

  /* What is not a number is said next to the field, and not sent. */
  type_into (elabora, "steps.verifica.punteggio", "1,2,3");
  press (elabora, "save_button");
  WAIT_UNTIL (!sp_elabora_page_is_busy (elabora));
  g_assert_cmpstr (field_error (elabora, "steps.verifica.punteggio"), ==, "Inserire un numero, come 12 o 3,5");
  assert_stored_punteggio (id, twenty_digits);

  /* Elabora again: the integer as stored, every digit. */
  type_into (elabora, "steps.verifica.punteggio", twenty_digits);
  save_and_wait (elabora);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (elabora), "elabora.close", NULL));
  WAIT_UNTIL (elabora_of (page) == NULL && g_strcmp0 (page_state (page), "content") == 0);
  elabora = open_elabora (page);
  g_assert_cmpstr (typed (elabora, "steps.verifica.punteggio"), ==, twenty_digits);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-numbers.png");
  close_window (window);
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

  if (skip_without_server ())
    return;

  /* In a narrow window (800 pixels). */
  id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_SIGNED, 4000, SP_TEST_OPERATOR);
  client = sp_test_ui_sign_in (fixture->env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = open_detail (client, id, 800, &page);
  elabora = open_elabora (page);

  /* Esito: a rejection needs its motivation; the service's last step no longer applies. */
  gtk_widget_activate (child (elabora, SP_TYPE_ELABORA_PAGE, "reject_row"));
  assert_step (elabora, "esito", "Passo 1 di 4", "Esito");
  press (elabora, "next_button");
  assert_step (elabora, "esito", "Passo 1 di 4", "Esito");
  g_assert_cmpstr (shown_error (elabora, "motivazione_error"), ==, "Per rifiutare la pratica è obbligatoria la motivazione");
  g_assert_true (gtk_widget_has_css_class (child (elabora, SP_TYPE_ELABORA_PAGE, "motivazione_frame"), "sp-error-frame"));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-esito-reject-errors.png");
  set_motivation (elabora, "Manca la planimetria richiesta dal regolamento comunale.");
  press (elabora, "next_button");
  assert_step (elabora, "risposta", "Passo 2 di 4", "File di risposta");

  /* Risposta: only a signed file whose signature verifies; its signer is named. */
  g_assert_nonnull (strstr (label_text (upload_of (elabora), SP_TYPE_RESPONSE_UPLOAD, "hint_label"), ".p7m"));
  plain = make_file ("diniego.pdf", 4096, FALSE);
  sp_response_upload_upload (upload_of (elabora), plain);
  wait_uploaded (elabora);
  g_test_message ("Unsigned file: %s", upload_error (elabora));
  /* Why, in Italian: never OpenSSL's words. */
  g_assert_cmpstr (upload_error (elabora), ==,
                   "Questo servizio richiede un file di risposta firmato digitalmente: scegliere un file .p7m.");
  g_assert_null (sp_response_upload_get_document (upload_of (elabora)));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-risposta-unsigned.png");

  signed_content = sp_test_elabora_sign (fixture, "rossi", content, FALSE);
  p7m_path = g_build_filename (files_dir, "diniego.pdf.p7m", NULL);
  g_assert_true (g_file_set_contents (p7m_path, g_bytes_get_data (signed_content, NULL),
                                      (gssize) g_bytes_get_size (signed_content), &error));
  p7m = g_file_new_for_path (p7m_path);
  choose_file (elabora, p7m, "chooser-risposta-p7m.png");
  wait_uploaded (elabora);
  g_assert_cmpstr (upload_error (elabora), ==, "");
  info = sp_response_upload_get_document (upload_of (elabora));
  g_assert_nonnull (info);
  g_assert_cmpstr (info->signer, ==, "ROSSI MARIO");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (sp_test_ui_find_named (GTK_WIDGET (elabora),
                                                                                                "response-document"))),
                            "firmato da ROSSI MARIO"));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-risposta-signed.png");
  press (elabora, "next_button");

  /* Verifica applies; Rilascio is skipped. */
  assert_step (elabora, "step:verifica", "Passo 3 di 4", "Verifica");
  fill_verifica (elabora);
  type_into (elabora, "steps.verifica.punteggio", "3");
  choose (elabora, "steps.verifica.esito_verifica", 2);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-verifica-narrow.png");
  press (elabora, "next_button");
  assert_step (elabora, "riepilogo", "Passo 4 di 4", "Riepilogo");
  g_assert_null (sp_test_ui_find_named (GTK_WIDGET (elabora), "summary:steps.rilascio.numero_atto"));
  g_assert_cmpstr (row_value (GTK_WIDGET (elabora), "summary:esito"), ==, "Rifiutata");
  g_assert_cmpstr (row_value (GTK_WIDGET (elabora), "summary:motivazione"), ==,
                   "Manca la planimetria richiesta dal regolamento comunale.");
  g_assert_cmpstr (row_value (GTK_WIDGET (elabora), "summary:risposta"), ==, "diniego.pdf.p7m, firmato da ROSSI MARIO");
  g_assert_cmpstr (row_value (GTK_WIDGET (elabora), "summary:steps.verifica.esito_verifica"), ==, "Non conforme");
  /* The focus is on "Concludi", no text selected. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == child (elabora, SP_TYPE_ELABORA_PAGE, "conclude_button"));
  g_assert_false (gtk_label_get_selection_bounds (GTK_LABEL (sp_test_ui_find_named (sp_test_ui_find_named (GTK_WIDGET (elabora), "summary:esito"), "value")), NULL, NULL));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-riepilogo-rejected.png");

  press (elabora, "conclude_button");
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "dialog-conclude-reject.png");
  sp_test_ui_respond (dialog, "conclude");
  wait_detail_status (page, 9000);
  g_assert_cmpstr (row_value (GTK_WIDGET (page), "outcome"), ==, "Rifiutata");
  g_assert_cmpstr (row_value (GTK_WIDGET (page), "motivation"), ==,
                   "Manca la planimetria richiesta dal regolamento comunale.");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-elabora-rejected.png");
  render_response_pdf (id, "risposta-ui-rifiutata");
  close_window (window);
}

/* Saved whole from "another computer", concluded there too meanwhile. */
static void
test_conclude_refused (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SpClient) client = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("%PDF-1.4 risposta\n", 18);
  g_autoptr(SpTestResponse) upload = NULL;
  g_autoptr(SpTestResponse) save = NULL;
  g_autoptr(SpTestResponse) conclude = NULL;
  SpPraticaPage *page;
  SpElaboraPage *elabora;
  GtkWindow *window;
  AdwMessageDialog *dialog;

  if (skip_without_server ())
    return;

  id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 5000, SP_TEST_OPERATOR);
  upload = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, "risposta.pdf", "application/pdf", content);
  g_assert_cmpuint (upload->status, ==, 201);
  body = g_strdup_printf ("{\"esito\": \"accepted\", \"motivazione\": null, \"risposta\": \"%s\", \"steps\":"
                          " {\"verifica\": {\"istruttore\": \"Anna Neri\", \"punteggio\": 7, \"data\": \"2026-03-10\","
                          " \"esito_verifica\": \"Conforme\", \"documenti\": true},"
                          " \"rilascio\": {\"numero_atto\": \"AUT-9\", \"scadenza\": null}}}",
                          json_object_get_string_member (sp_test_response_object (upload), "id"));
  save = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, body);
  g_assert_cmpuint (save->status, ==, 200);

  /* Nothing is missing: Elabora resumes at the summary. */
  client = sp_test_ui_sign_in (fixture->env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = open_detail (client, id, 1100, &page);
  elabora = open_elabora (page);
  assert_step (elabora, "riepilogo", "Passo 5 di 5", "Riepilogo");
  g_assert_cmpstr (row_value (GTK_WIDGET (elabora), "summary:steps.verifica.istruttore"), ==, "Anna Neri");
  g_assert_cmpstr (row_value (GTK_WIDGET (elabora), "summary:steps.rilascio.scadenza"), ==, "—");

  /* Concluded elsewhere meanwhile: the refusal is the server's. */
  conclude = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);
  g_assert_cmpuint (conclude->status, ==, 200);
  press (elabora, "conclude_button");
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  sp_test_ui_respond (dialog, "conclude");
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  g_test_message ("Refusal: %s — %s", adw_message_dialog_get_heading (dialog), adw_message_dialog_get_body (dialog));
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_heading (dialog), "Impossibile concludere la pratica "));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), !=, "");
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "dialog-conclude-refused.png");
  sp_test_ui_respond (dialog, "close");

  /* Leaving without changes, the detail shows the pratica as concluded. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (elabora), "elabora.close", NULL));
  wait_detail_status (page, 7000);
  close_window (window);
}

/* The protocol register of a pratica whose response the internal provider registers. */
static void
test_protocols (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SpClient) client = NULL;
  g_autoptr(GBytes) content = g_bytes_new_static ("%PDF-1.4 autorizzazione\n", 24);
  g_autoptr(SpTestResponse) upload = NULL;
  g_autoptr(SpTestResponse) save = NULL;
  g_autoptr(SpTestResponse) conclude = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  gint64 deadline;
  SpPraticaPage *page;
  GtkWindow *window;
  GtkWidget *list;

  if (skip_without_server ())
    return;

  /* With the internal protocol, before any registration of the register. */
  id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PROTOCOL, 4000, SP_TEST_OPERATOR);
  client = sp_test_ui_sign_in (fixture->env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = open_detail (client, id, 1100, &page);
  list = child (page, SP_TYPE_PRATICA_PAGE, "protocols_list");
  /* Its number (set by the fixture, not by the register) is listed as its main one. */
  g_assert_null (sp_test_ui_find_named (list, "no-protocols"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (sp_test_ui_find_named (list, "main-only"))),
                   ==, "N. 2026/0000042");

  upload = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, "autorizzazione.pdf", "application/pdf", content);
  g_assert_cmpuint (upload->status, ==, 201);
  body = g_strdup_printf ("{\"esito\": \"accepted\", \"motivazione\": null, \"risposta\": \"%s\", \"steps\":"
                          " {\"verifica\": {\"istruttore\": \"Anna Neri\", \"data\": \"2026-03-10\","
                          " \"esito_verifica\": \"Conforme\", \"documenti\": true},"
                          " \"rilascio\": {\"numero_atto\": \"AUT-10\"}}}",
                          json_object_get_string_member (sp_test_response_object (upload), "id"));
  save = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, body);
  g_assert_cmpuint (save->status, ==, 200);
  conclude = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);
  g_assert_cmpuint (conclude->status, ==, 200);

  /* 6000 until the job registers the response, then 7000. */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (count ("SELECT count (*) FROM protocol_register WHERE pratica_id = $1::uuid AND direction = 'risposta'",
                id) == 0
         && g_get_monotonic_time () < deadline)
    g_usleep (100 * 1000);
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", id), ==, 7000);

  /* F5: the response's registration is listed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "pratica.refresh", NULL));
  WAIT_UNTIL (sp_pratica_page_get_detail (page)->protocols->len > 0 && g_strcmp0 (page_state (page), "content") == 0
              && !gtk_widget_get_visible (child (page, SP_TYPE_PRATICA_PAGE, "header_spinner")));
  sp_test_ui_collect_type (list, ADW_TYPE_ACTION_ROW, rows);
  /* The register's rows, then the main number that none of them carries. */
  g_assert_cmpuint (rows->len, ==, sp_pratica_page_get_detail (page)->protocols->len + 1);
  g_assert_true (g_ptr_array_index (rows, rows->len - 1) == sp_test_ui_find_named (list, "main-only"));
  {
    guint n = sp_pratica_page_get_detail (page)->protocols->len;
    AdwActionRow *last = g_ptr_array_index (rows, n - 1);
    const SpProtocolRecord *record = g_ptr_array_index (sp_pratica_page_get_detail (page)->protocols, n - 1);
    g_autofree char *title = g_strdup_printf ("N. %s", record->number);

    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (last)), ==, title);
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (sp_test_ui_find_named (GTK_WIDGET (last), "direction"))), ==,
                     "Risposta");
    g_assert_cmpstr (adw_action_row_get_subtitle (last), !=, "—");
  }
  g_assert_false (gtk_widget_get_visible (child (page, SP_TYPE_PRATICA_PAGE, "elabora_button")));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (
                              GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW))),
                            200);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-protocols.png");
  close_window (window);
}

/* In the app's window, at its default size: Elabora in place of the detail,
 * and leaving with changes not saved asks first. */
static void
test_window (void)
{
  g_autofree char *id = NULL;
  g_autoptr(SpTestResponse) detail = NULL;
  AdwMessageDialog *dialog;
  SpPraticaPage *page;
  SpElaboraPage *elabora;
  SpWindow *window;
  int width = 0;
  int height = 0;

  if (skip_without_server ())
    return;

  id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4500, SP_TEST_OPERATOR);
  window = sp_test_ui_open_signed_in (fixture->env, GTK_APPLICATION (application), SP_TEST_OPERATOR, 0);
  WAIT_UNTIL (g_strcmp0 (sp_test_ui_shown_page (GTK_WIDGET (window)), "dashboard") == 0);

  sp_window_show_pratica (window, id);
  WAIT_UNTIL ((page = SP_PRATICA_PAGE (sp_test_ui_find_type (GTK_WIDGET (window), SP_TYPE_PRATICA_PAGE))) != NULL
              && g_strcmp0 (page_state (page), "content") == 0);
  g_assert_cmpstr (sp_test_ui_shown_page (GTK_WIDGET (window)), ==, "pratica");
  elabora = open_elabora (page);
  g_assert_cmpstr (sp_test_ui_shown_page (GTK_WIDGET (window)), ==, "elabora");
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1100);
  g_assert_cmpint (height, ==, 760);

  /* A change, then back: asked whether to save; "Esci senza salvare" keeps nothing. */
  gtk_widget_activate (child (elabora, SP_TYPE_ELABORA_PAGE, "reject_row"));
  set_motivation (elabora, "Testo da non salvare.");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-window.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (elabora), "elabora.close", NULL));
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Salvare il lavoro?");
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "dialog-leave-elabora.png");
  sp_test_ui_respond (dialog, "cancel");
  g_assert_cmpstr (sp_test_ui_shown_page (GTK_WIDGET (window)), ==, "elabora");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (elabora), "elabora.close", NULL));
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  sp_test_ui_respond (dialog, "discard");
  WAIT_UNTIL (g_strcmp0 (sp_test_ui_shown_page (GTK_WIDGET (window)), "pratica") == 0);
  g_assert_true (json_object_get_null_member (server_detail (id, &detail), "processing"));

  /* The server's own field errors (a 422) show next to their fields too:
   * a motivation past the longest the server takes. */
  elabora = open_elabora (page);
  {
    g_autofree char *too_long = g_strnfill (10001, 'a');

    set_motivation (elabora, too_long);
  }
  press (elabora, "save_button");
  WAIT_UNTIL (!sp_elabora_page_is_busy (elabora));
  g_assert_cmpstr (shown_error (elabora, "motivazione_error"), ==, "Il testo è troppo lungo");
  assert_step (elabora, "esito", "Passo 1 di 5", "Esito");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-esito-server-errors.png");
  set_motivation (elabora, "");

  /* Again, with "Salva" in the dialog: saved, then the detail. */
  gtk_widget_activate (child (elabora, SP_TYPE_ELABORA_PAGE, "accept_row"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (elabora), "elabora.close", NULL));
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  sp_test_ui_respond (dialog, "save");
  WAIT_UNTIL (g_strcmp0 (sp_test_ui_shown_page (GTK_WIDGET (window)), "pratica") == 0);
  g_clear_pointer (&detail, sp_test_response_free);
  g_assert_cmpstr (processing_member (server_detail (id, &detail), "esito"), ==, "accepted");

  gtk_window_destroy (GTK_WINDOW (window));
  sp_test_ui_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *runtime_dir = NULL;
  g_autofree char *cache_dir = NULL;
  int status;

  /* The app in Italian, with the catalog of the build directory, in Rome's time. */
  g_setenv ("LC_ALL", "it_IT.UTF-8", TRUE);
  g_setenv ("TZ", "Europe/Rome", TRUE);
  g_unsetenv ("LANGUAGE");
  sp_application_init_i18n ();

  g_test_init (&argc, &argv, NULL);

  runtime_dir = g_dir_make_tmp ("sp-runtime-XXXXXX", NULL);
  cache_dir = g_dir_make_tmp ("sp-cache-XXXXXX", NULL);
  files_dir = g_dir_make_tmp ("sp-elabora-files-XXXXXX", NULL);
  g_assert_nonnull (runtime_dir);
  g_assert_nonnull (cache_dir);
  g_assert_nonnull (files_dir);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);

  have_display = gtk_init_check ();
  if (have_display)
    {
      g_autoptr(GError) error = NULL;

      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      application = sp_application_new ();
      g_application_set_flags (G_APPLICATION (application),
                               G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
      g_assert_no_error (error);
      fixture = sp_test_elabora_start (TRUE);
    }

  g_test_add_func ("/sportello/client/elabora/approve", test_approve);
  g_test_add_func ("/sportello/client/elabora/numbers", test_numbers);
  g_test_add_func ("/sportello/client/elabora/reject-signed", test_reject_signed);
  g_test_add_func ("/sportello/client/elabora/conclude-refused", test_conclude_refused);
  g_test_add_func ("/sportello/client/elabora/protocols", test_protocols);
  g_test_add_func ("/sportello/client/elabora/window", test_window);

  status = g_test_run ();

  g_clear_pointer (&fixture, sp_test_elabora_stop);
  g_clear_object (&application);
  {
    const char *argv_rm[] = { "rm", "-rf", runtime_dir, cache_dir, files_dir, NULL };

    g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_free (files_dir);
  return status;
}
