/* sp-test-elabora-page.c: the Elabora UI tests' environment, and driving Elabora as the user does */
#define G_LOG_DOMAIN "sp-test-elabora-page"

#include "config.h"

#include <stdio.h>

#include "sp-test-elabora-page.h"
#include "sp-test-pg.h"
#include "sp-test-ui.h"

static SpTestElabora *fixture;
static SpApplication *application;
static gboolean have_display;
static char *runtime_dir;
static char *cache_dir;
static char *files_dir;

static gpointer
child (gpointer    widget,
       GType       type,
       const char *name)
{
  return sp_test_ui_template_child (widget, type, name);
}

/* The environment */

/**
 * sp_test_elabora_ui_init:
 *
 * The user's folders of the test's own, in Rome's time; sp_test_ui_init();
 * with a display, the app and the server with the Elabora services and the
 * signers of signed responses.
 */
void
sp_test_elabora_ui_init (int    *argc,
                         char ***argv)
{
  g_setenv ("TZ", "Europe/Rome", TRUE);
  runtime_dir = g_dir_make_tmp ("sp-runtime-XXXXXX", NULL);
  cache_dir = g_dir_make_tmp ("sp-cache-XXXXXX", NULL);
  files_dir = g_dir_make_tmp ("sp-elabora-files-XXXXXX", NULL);
  g_assert_nonnull (runtime_dir);
  g_assert_nonnull (cache_dir);
  g_assert_nonnull (files_dir);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);

  have_display = sp_test_ui_init (argc, argv);
  if (have_display)
    {
      application = sp_test_ui_application_new ();
      fixture = sp_test_elabora_start (TRUE);
    }
}

/* g_test_run(), then the server stopped and the folders removed. */
int
sp_test_elabora_ui_run (void)
{
  int status = g_test_run ();
  const char *argv_rm[] = { "rm", "-rf", runtime_dir, cache_dir, files_dir, NULL };

  g_clear_pointer (&fixture, sp_test_elabora_stop);
  g_clear_object (&application);
  g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_clear_pointer (&runtime_dir, g_free);
  g_clear_pointer (&cache_dir, g_free);
  g_clear_pointer (&files_dir, g_free);
  return status;
}

/* Skips the test without a display or a server. */
gboolean
sp_test_elabora_ui_skip (void)
{
  return sp_test_ui_skip (have_display, fixture != NULL);
}

SpTestElabora *
sp_test_elabora_ui_fixture (void)
{
  return fixture;
}

SpApplication *
sp_test_elabora_ui_application (void)
{
  return application;
}

/* The test's folder for the files it uploads. */
const char *
sp_test_elabora_ui_files_dir (void)
{
  return files_dir;
}

/* A file of @size bytes in the test's folder; sparse when @sparse (its bytes are never read). */
GFile *
sp_test_elabora_ui_make_file (const char *name,
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

/* What the server keeps */

/* @sql's integer, with @pratica_id as $1. */
gint64
sp_test_elabora_ui_count (const char *sql,
                          const char *pratica_id)
{
  return sp_test_pg_int (fixture->conn, sql, SP_TEST_PG_ARGS (pratica_id));
}

/* The detail, as the server has it now. */
JsonObject *
sp_test_elabora_ui_server_detail (const char      *pratica_id,
                                  SpTestResponse **response)
{
  *response = sp_test_elabora_detail (fixture, pratica_id, SP_TEST_OPERATOR);
  g_assert_cmpuint ((*response)->status, ==, 200);
  return sp_test_response_object (*response);
}

/* @member of the detail's "processing". */
const char *
sp_test_elabora_ui_processing (JsonObject *detail,
                               const char *member)
{
  JsonObject *processing = json_object_get_object_member (detail, "processing");

  g_assert_nonnull (processing);
  return json_object_get_string_member_with_default (processing, member, NULL);
}

/* The detail, and Elabora in its place */

/* A window of @width × 760 (the app's default height) with the detail of @pratica_id. */
GtkWindow *
sp_test_elabora_ui_open_detail (SpClient       *client,
                                const char     *pratica_id,
                                int             width,
                                SpPraticaPage **page_out)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  SpPraticaPage *page = sp_pratica_page_new (client, pratica_id);

  gtk_window_set_default_size (window, width, 760);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  SP_TEST_UI_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (page)));
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (sp_test_elabora_ui_detail_state (page), "content") == 0);
  *page_out = page;
  return window;
}

const char *
sp_test_elabora_ui_detail_state (SpPraticaPage *page)
{
  return gtk_stack_get_visible_child_name (child (page, SP_TYPE_PRATICA_PAGE, "stack"));
}

/* Waits until Elabora has gone and the detail shows the pratica in @status. */
void
sp_test_elabora_ui_wait_detail_status (SpPraticaPage *page,
                                       int            status)
{
  SP_TEST_UI_WAIT_UNTIL (sp_test_elabora_ui_of (page) == NULL && sp_pratica_page_get_detail (page) != NULL
                         && (int) sp_pratica_summary_get_data (sp_pratica_page_get_detail (page)->summary)->status
                              == status);
}

/* Elabora, when @page shows it. */
SpElaboraPage *
sp_test_elabora_ui_of (SpPraticaPage *page)
{
  GtkWidget *elabora = sp_test_ui_find_type (GTK_WIDGET (page), SP_TYPE_ELABORA_PAGE);

  return elabora != NULL && gtk_widget_get_mapped (elabora) ? SP_ELABORA_PAGE (elabora) : NULL;
}

static gboolean
elabora_ready (SpPraticaPage *page)
{
  SpElaboraPage *elabora = sp_test_elabora_ui_of (page);

  return elabora != NULL && !sp_elabora_page_is_busy (elabora) && sp_elabora_page_get_step (elabora) != NULL
         && g_strcmp0 (gtk_stack_get_visible_child_name (child (elabora, SP_TYPE_ELABORA_PAGE, "stack")),
                       "steps") == 0;
}

/* "Elabora" on the detail, as the user presses it; waits for the first step. */
SpElaboraPage *
sp_test_elabora_ui_open (SpPraticaPage *page)
{
  GtkWidget *button = child (page, SP_TYPE_PRATICA_PAGE, "elabora_button");

  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);
  SP_TEST_UI_WAIT_UNTIL (elabora_ready (page));
  return sp_test_elabora_ui_of (page);
}

/* Elabora's steps and fields */

/* Presses Elabora's @button (a template child's name), as the user does. */
void
sp_test_elabora_ui_press (SpElaboraPage *elabora,
                          const char    *button)
{
  sp_test_ui_press (child (elabora, SP_TYPE_ELABORA_PAGE, button));
}

/* The step shown, as the user reads it: "Passo 2 di 5" and its title. */
void
sp_test_elabora_ui_assert_step (SpElaboraPage *elabora,
                                const char    *name,
                                const char    *counter,
                                const char    *title)
{
  g_assert_cmpstr (sp_elabora_page_get_step (elabora), ==, name);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (elabora, SP_TYPE_ELABORA_PAGE, "step_stack")), ==, name);
  g_assert_cmpstr (gtk_label_get_text (child (elabora, SP_TYPE_ELABORA_PAGE, "step_counter")), ==, counter);
  g_assert_cmpstr (gtk_label_get_text (child (elabora, SP_TYPE_ELABORA_PAGE, "step_title")), ==, title);
}

/* The row of the step's field at @path, such as "steps.verifica.data". */
SpStepFieldRow *
sp_test_elabora_ui_field_row (SpElaboraPage *elabora,
                              const char    *path)
{
  GtkWidget *row = sp_test_ui_find_named (GTK_WIDGET (elabora), path);

  if (row == NULL || !SP_IS_STEP_FIELD_ROW (row))
    g_error ("No row for the field %s", path);
  return SP_STEP_FIELD_ROW (row);
}

/* The error shown next to a field ("" when none). */
const char *
sp_test_elabora_ui_field_error (SpElaboraPage *elabora,
                                const char    *path)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (sp_test_elabora_ui_field_row (elabora, path)));
}

static GtkWidget *
field_input (SpElaboraPage *elabora,
             const char    *path)
{
  return sp_step_field_row_get_input (sp_test_elabora_ui_field_row (elabora, path));
}

void
sp_test_elabora_ui_type_into (SpElaboraPage *elabora,
                              const char    *path,
                              const char    *text)
{
  gtk_editable_set_text (GTK_EDITABLE (field_input (elabora, path)), text);
}

const char *
sp_test_elabora_ui_typed (SpElaboraPage *elabora,
                          const char    *path)
{
  return gtk_editable_get_text (GTK_EDITABLE (field_input (elabora, path)));
}

void
sp_test_elabora_ui_choose (SpElaboraPage *elabora,
                           const char    *path,
                           guint          position)
{
  gtk_drop_down_set_selected (GTK_DROP_DOWN (field_input (elabora, path)), position);
}

void
sp_test_elabora_ui_tick (SpElaboraPage *elabora,
                         const char    *path,
                         gboolean       active)
{
  gtk_check_button_set_active (GTK_CHECK_BUTTON (field_input (elabora, path)), active);
}

void
sp_test_elabora_ui_set_motivation (SpElaboraPage *elabora,
                                   const char    *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (child (elabora, SP_TYPE_ELABORA_PAGE, "motivazione_view")),
                            text, -1);
}

/* The error that the label @label of Elabora shows ("" when hidden). */
const char *
sp_test_elabora_ui_shown_error (SpElaboraPage *elabora,
                                const char    *label)
{
  GtkLabel *error = child (elabora, SP_TYPE_ELABORA_PAGE, label);

  return gtk_widget_get_visible (GTK_WIDGET (error)) ? gtk_label_get_text (error) : "";
}

/* The response's upload */

SpResponseUpload *
sp_test_elabora_ui_upload_of (SpElaboraPage *elabora)
{
  return child (elabora, SP_TYPE_ELABORA_PAGE, "response_upload");
}

/* The child @name of the upload's template. */
gpointer
sp_test_elabora_ui_upload_child (SpElaboraPage *elabora,
                                 const char    *name)
{
  return child (sp_test_elabora_ui_upload_of (elabora), SP_TYPE_RESPONSE_UPLOAD, name);
}

/* The error the upload shows ("" when none). */
const char *
sp_test_elabora_ui_upload_error (SpElaboraPage *elabora)
{
  GtkWidget *label = sp_test_elabora_ui_upload_child (elabora, "error_label");

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : "";
}

/* "Scegli file…", then the file in the chooser and its "Carica", as the user does. */
void
sp_test_elabora_ui_choose_file (SpElaboraPage *elabora,
                                GFile         *file,
                                const char    *screenshot)
{
  GtkFileChooser *chooser;
  g_autoptr(GError) error = NULL;

  gtk_widget_activate (sp_test_elabora_ui_upload_child (elabora, "choose_button"));
  SP_TEST_UI_WAIT_UNTIL ((chooser = sp_test_ui_find_file_chooser ()) != NULL);
  g_assert_true (gtk_file_chooser_set_file (chooser, file, &error));
  g_assert_no_error (error);
  if (screenshot != NULL)
    sp_test_ui_save_screenshot (GTK_WIDGET (chooser), screenshot);
  sp_test_ui_click_button (GTK_WIDGET (chooser), "_Carica");
  SP_TEST_UI_WAIT_UNTIL (sp_test_ui_find_file_chooser () == NULL);
}

void
sp_test_elabora_ui_wait_uploaded (SpElaboraPage *elabora)
{
  SP_TEST_UI_WAIT_UNTIL (!sp_response_upload_is_uploading (sp_test_elabora_ui_upload_of (elabora)));
}
