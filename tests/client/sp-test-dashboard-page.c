/* sp-test-dashboard-page.c: the dashboard UI tests' environment, and reading and driving its list */
#define G_LOG_DOMAIN "sp-test-dashboard-page"

#include "config.h"

#include <glib/gstdio.h>

#include "sp-client-pratica.h"
#include "sp-test-dashboard-page.h"
#include "sp-test-ui.h"

#define child(widget, type, name) sp_test_ui_template_child ((widget), (type), (name))

static SpTestEnv *env;
static SpApplication *application;
static gboolean have_display;
static char *xdg_dir;           /* the user's folders of the test: config, Documents */
static char *documents_dir;

/*
 * The harness has no pratiche: sp_test_dashboard_ui_init() inserts 73 of
 * them in SP_TEST_ENTE:
 *
 *   Da assegnare  61: 60 protocollate (three of "Zanardelli"), one of the
 *                     external-protocol service still waiting for its number
 *   Da gestire     5: op.prova's, two of them overdue
 *   Concluse       4: op.prova's
 *   Tutte         73: those, and 3 of op.prova2
 */
static const char insert_sql[] =
  "INSERT INTO citizen (codice_fiscale, nome, cognome, email)"
  " VALUES ('TSTCTZ80A01H501Z', 'Test', 'Cittadino', 'cittadino@example.org');"
  "INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
  "                     applicant_cognome, applicant_email, status, assigned_to, submitted_at,"
  "                     protocol_number, protocol_date, concluded_at)"
  " SELECT e.id,"
  "        CASE WHEN i = 61 THEN scia.id ELSE cert.id END,"
  "        format ('2026-%s', lpad (i::text, 6, '0')),"
  "        c.id,"
  "        upper (substr (md5 (i::text), 1, 16)),"
  "        (ARRAY['Mario','Giulia','Luca','Anna','Paolo','Chiara','Marco','Sara','Luigi','Elena'])[1 + i % 10],"
  "        CASE WHEN i IN (7, 23, 41) THEN 'Zanardelli'"
  "             ELSE (ARRAY['Rossi','Bianchi','Verdi','Russo','Ferrari','Esposito','Romano','Colombo',"
  "                         'Ricci','Marino','Greco','Bruno','Gallo','Conti','De Luca'])[1 + (i * 7) % 15] END,"
  "        'richiedente@example.org',"
  "        CASE WHEN i <= 60 THEN 3000 WHEN i = 61 THEN 2000 WHEN i <= 66 THEN 4000"
  "             WHEN i <= 68 THEN 7000 WHEN i = 69 THEN 9000 WHEN i = 70 THEN 20000 ELSE 4000 END,"
  "        CASE WHEN i <= 61 THEN NULL WHEN i <= 70 THEN op.id ELSE op2.id END,"
  "        CASE WHEN i IN (62, 63) THEN now () - interval '40 days' - i * interval '1 minute'"
  "             ELSE now () - ((i * 7) % 25) * interval '1 day' - i * interval '1 minute' END,"
  "        CASE WHEN i = 61 THEN NULL ELSE format ('PG/2026/%s', lpad (i::text, 5, '0')) END,"
  "        CASE WHEN i = 61 THEN NULL ELSE now () END,"
  "        CASE WHEN i BETWEEN 67 AND 70 THEN now () END"
  " FROM generate_series (1, 73) AS i,"
  "      ente e"
  "      JOIN servizio cert ON cert.ente_id = e.id AND cert.slug = '" SP_TEST_SERVIZIO_INTERNAL "'"
  "      JOIN servizio scia ON scia.ente_id = e.id AND scia.slug = '" SP_TEST_SERVIZIO_EXTERNAL "',"
  "      citizen c, account op, account op2"
  " WHERE e.code = '" SP_TEST_ENTE "' AND c.codice_fiscale = 'TSTCTZ80A01H501Z'"
  "   AND op.username = '" SP_TEST_OPERATOR "' AND op2.username = '" SP_TEST_OPERATOR2 "';"
  /* An operator enabled for no service, with op.prova's password. */
  "INSERT INTO account (ente_id, username, full_name, role, password_hash)"
  " SELECT ente_id, 'op.vuoto', 'Operatore Senza Servizi', 'operatore', password_hash"
  " FROM account WHERE username = '" SP_TEST_OPERATOR "';";

/* The environment */

/**
 * sp_test_dashboard_ui_init:
 *
 * The user's folders of the test's own, before anything reads them;
 * sp_test_ui_init(); with a display, the app and the server with the
 * pratiche.
 */
void
sp_test_dashboard_ui_init (int    *argc,
                           char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;

  xdg_dir = g_dir_make_tmp ("sp-dashboard-ui-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (xdg_dir, "config", NULL);
  g_assert_cmpint (g_mkdir (config, 0700), ==, 0);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  documents_dir = g_build_filename (xdg_dir, "Documenti", NULL);

  have_display = sp_test_ui_init (argc, argv);
  if (have_display)
    {
      application = sp_test_ui_application_new ();
      env = sp_test_env_start ();
      if (env != NULL)
        g_free (sp_test_env_sql (env, insert_sql));
    }
}

/* g_test_run(), then the server stopped and the folders removed. */
int
sp_test_dashboard_ui_run (void)
{
  int status = g_test_run ();
  const char *argv_rm[] = { "rm", "-rf", xdg_dir, NULL };

  if (env != NULL)
    sp_test_env_stop (env);
  g_clear_object (&application);
  /* GTK keeps its own files there too. */
  g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_clear_pointer (&documents_dir, g_free);
  g_clear_pointer (&xdg_dir, g_free);
  return status;
}

/* Skips the test without a display or a server. */
gboolean
sp_test_dashboard_ui_skip (void)
{
  return sp_test_ui_skip (have_display, env != NULL);
}

SpTestEnv *
sp_test_dashboard_ui_env (void)
{
  return env;
}

/* The user's Documents folder (see sp_test_ui_set_documents_folder()). */
const char *
sp_test_dashboard_ui_documents_dir (void)
{
  return documents_dir;
}

/* The first value @statement returns. */
char *
sp_test_dashboard_ui_sql (const char *statement)
{
  return sp_test_env_sql (env, statement);
}

/* The app's window at the size a person first sees (1100×760), signed in
 * through the real login page as @username. */
SpWindow *
sp_test_dashboard_ui_open (const char *username)
{
  return sp_test_ui_open_signed_in (env, GTK_APPLICATION (application), username, 0);
}

/* The dashboard */

SpDashboardPage *
sp_test_dashboard_of (SpWindow *window)
{
  AdwViewStack *view_stack = child (window, SP_TYPE_WINDOW, "view_stack");
  GtkWidget *page = adw_view_stack_get_child_by_name (view_stack, "dashboard");

  g_assert_true (SP_IS_DASHBOARD_PAGE (page));
  return SP_DASHBOARD_PAGE (page);
}

SpPraticaListModel *
sp_test_dashboard_model (SpDashboardPage *page)
{
  GtkColumnView *column_view = child (page, SP_TYPE_DASHBOARD_PAGE, "column_view");
  GtkSelectionModel *selection = gtk_column_view_get_model (column_view);

  return SP_PRATICA_LIST_MODEL (gtk_no_selection_get_model (GTK_NO_SELECTION (selection)));
}

/* What the page shows: "list", "empty"… */
const char *
sp_test_dashboard_state (SpDashboardPage *page)
{
  return gtk_stack_get_visible_child_name (child (page, SP_TYPE_DASHBOARD_PAGE, "stack"));
}

/* The count shown next to @bucket ("da_gestire"…), or %NULL when hidden. */
const char *
sp_test_dashboard_count (SpDashboardPage *page,
                         const char      *bucket)
{
  g_autofree char *name = g_strconcat ("count_", bucket, NULL);
  GtkLabel *label = child (page, SP_TYPE_DASHBOARD_PAGE, name);

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

/* Waits until no request is in flight and the first page is there. */
void
sp_test_dashboard_wait_loaded (SpPraticaListModel *model)
{
  SP_TEST_UI_WAIT_UNTIL (sp_pratica_list_model_get_loaded (model) && !sp_pratica_list_model_get_loading (model));
  g_assert_null (sp_pratica_list_model_get_error (model));
}

void
sp_test_dashboard_show_bucket (SpDashboardPage *page,
                               const char      *bucket)
{
  g_autofree char *name = g_strconcat ("bucket_", bucket, NULL);
  GtkWidget *button = child (page, SP_TYPE_DASHBOARD_PAGE, name);

  /* A click, as the user does it (activation clicks after a short press). */
  gtk_widget_activate (button);
  SP_TEST_UI_WAIT_UNTIL (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_cmpstr (sp_bucket_to_string (sp_pratica_list_model_get_bucket (sp_test_dashboard_model (page))), ==,
                   bucket);
  sp_test_dashboard_wait_loaded (sp_test_dashboard_model (page));
}

SpPraticaSummaryData *
sp_test_dashboard_row (SpPraticaListModel *model,
                       guint               position)
{
  g_autoptr(SpPraticaSummary) summary = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (summary);
  /* The model keeps its rows: the data outlives this reference. */
  return sp_pratica_summary_get_data (summary);
}

GtkColumnViewColumn *
sp_test_dashboard_column (SpDashboardPage *page,
                          const char      *title)
{
  GListModel *columns = gtk_column_view_get_columns (child (page, SP_TYPE_DASHBOARD_PAGE, "column_view"));

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;
    }
  g_error ("No column “%s”", title);
  return NULL;
}

/* Sorts by the column titled @title, and waits for the first page. The
 * sorter is cleared first: GTK 4.8's gtk_column_view_sort_by_column() leaves
 * the arrow of the previous column drawn (a header click does not). */
void
sp_test_dashboard_sort_by (SpDashboardPage *page,
                           const char      *title,
                           GtkSortType      order)
{
  GtkColumnView *column_view = child (page, SP_TYPE_DASHBOARD_PAGE, "column_view");

  gtk_column_view_sort_by_column (column_view, NULL, GTK_SORT_ASCENDING);
  gtk_column_view_sort_by_column (column_view, sp_test_dashboard_column (page, title), order);
  sp_test_dashboard_wait_loaded (sp_test_dashboard_model (page));
}

/* The action button the column view shows for @pratica_id, if its row is on
 * screen (sp-dashboard-columns.c keeps the cell's list item on the button). */
GtkWidget *
sp_test_dashboard_row_button (SpDashboardPage *page,
                              const char      *pratica_id)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  sp_test_ui_collect_type (child (page, SP_TYPE_DASHBOARD_PAGE, "column_view"), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);
      GtkListItem *list_item = g_object_get_data (G_OBJECT (button), "sp-list-item");
      SpPraticaSummary *summary = list_item != NULL ? gtk_list_item_get_item (list_item) : NULL;

      if (summary != NULL && gtk_widget_get_mapped (button)
          && g_strcmp0 (sp_pratica_summary_get_id (summary), pratica_id) == 0)
        return button;
    }
  return NULL;
}
