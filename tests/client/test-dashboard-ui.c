/* test-dashboard-ui.c: the "Pannello di controllo": buckets, search, sort and paging, layout, CSV */
#define G_LOG_DOMAIN "test-dashboard-ui"

#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "sp-client-pratica.h"
#include "sp-test-dashboard-page.h"
#include "sp-test-ui.h"
#include "sp-wrap-box.h"

/*
 * The real SpWindow against a real sportello-server (tests/harness), signed in
 * through the login page, in Italian, with the 73 pratiche of
 * sp-test-dashboard-page.c: the buckets and their counts, the search, the
 * sort and the paging on the server, what fits at 1100 and 800 pixels, the
 * CSV export, an operator with no service. "Prendi in carico" is in
 * test-dashboard-take-charge-ui.c.
 */

#define child(widget, type, name) sp_test_ui_template_child ((widget), (type), (name))
#define WAIT_UNTIL(expr) SP_TEST_UI_WAIT_UNTIL (expr)

static void
assert_buckets_readable (SpDashboardPage *page)
{
  const char *buckets[] = { "da_gestire", "da_assegnare", "concluse", "tutte" };

  for (guint i = 0; i < G_N_ELEMENTS (buckets); i++)
    {
      g_autofree char *label = g_strconcat ("bucket_label_", buckets[i], NULL);
      g_autofree char *count = g_strconcat ("count_", buckets[i], NULL);

      g_assert_nonnull (sp_test_dashboard_count (page, buckets[i]));
      sp_test_ui_assert_shown_in_full (child (page, SP_TYPE_DASHBOARD_PAGE, label), TRUE);
      sp_test_ui_assert_shown_in_full (child (page, SP_TYPE_DASHBOARD_PAGE, count), TRUE);
    }
  /* The search and the export stay at hand. */
  sp_test_ui_assert_shown_in_full (child (page, SP_TYPE_DASHBOARD_PAGE, "search_entry"), FALSE);
  sp_test_ui_assert_shown_in_full (child (page, SP_TYPE_DASHBOARD_PAGE, "export_button"), TRUE);
}

/* Every shown column fits without scrolling sideways, the actions of the first row included. */
static void
assert_columns_fit (SpDashboardPage *page,
                    gboolean         with_submitted)
{
  GtkWidget *column_view = child (page, SP_TYPE_DASHBOARD_PAGE, "column_view");
  GtkWidget *scrolled_window = child (page, SP_TYPE_DASHBOARD_PAGE, "scrolled_window");
  SpPraticaSummaryData *first = sp_test_dashboard_row (sp_test_dashboard_model (page), 0);
  GtkWidget *button = NULL;
  int minimum = 0;

  g_assert_cmpint (gtk_column_view_column_get_visible (sp_test_dashboard_column (page, "Data di presentazione")),
                   ==, with_submitted);
  gtk_widget_measure (column_view, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, gtk_widget_get_width (scrolled_window));
  WAIT_UNTIL ((button = sp_test_dashboard_row_button (page, first->id)) != NULL);
  sp_test_ui_assert_shown_in_full (button, TRUE);
}

/* The cell of the table that shows @text. */
static GtkWidget *
cell_showing (SpDashboardPage *page,
              const char      *text)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();

  sp_test_ui_collect_type (child (page, SP_TYPE_DASHBOARD_PAGE, "column_view"), GTK_TYPE_INSCRIPTION, cells);
  for (guint i = 0; i < cells->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (cells, i))
        && g_strcmp0 (gtk_inscription_get_text (g_ptr_array_index (cells, i)), text) == 0)
      return g_ptr_array_index (cells, i);
  g_error ("No cell shows “%s”", text);
  return NULL;
}

/* The applicant's cells of the first row: "Cognome Nome", then the codice
 * fiscale; each has its whole text as tooltip, shown only when cut. */
static void
assert_applicant_cells (SpDashboardPage *page,
                        gboolean         codice_fiscale_cut)
{
  SpPraticaSummaryData *first = sp_test_dashboard_row (sp_test_dashboard_model (page), 0);
  g_autofree char *name = g_strdup_printf ("%s %s", first->applicant_cognome, first->applicant_nome);
  GtkWidget *name_cell = cell_showing (page, name);
  GtkWidget *cf_cell = cell_showing (page, first->applicant_cf);

  g_assert_cmpstr (gtk_widget_get_tooltip_text (name_cell), ==, name);
  g_assert_false (sp_test_ui_offers_tooltip (name_cell));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (cf_cell), ==, first->applicant_cf);
  g_assert_cmpint (sp_test_ui_offers_tooltip (cf_cell), ==, codice_fiscale_cut);
}

/* Tests */

static void
test_buckets_search_sort_paging (void)
{
  SpDashboardPage *page;
  SpPraticaListModel *model;
  AdwViewStack *view_stack;
  GtkAdjustment *vadjustment;
  SpWindow *window;
  guint n;

  if (sp_test_dashboard_ui_skip ())
    return;

  window = sp_test_dashboard_ui_open (SP_TEST_OPERATOR);
  view_stack = child (window, SP_TYPE_WINDOW, "view_stack");
  page = sp_test_dashboard_of (window);
  model = sp_test_dashboard_model (page);

  /* The first page of the operator, with the counts of the four buckets. */
  g_assert_true (adw_view_stack_get_visible_child (view_stack) == GTK_WIDGET (page));
  g_assert_cmpstr (adw_view_stack_page_get_title (adw_view_stack_get_page (view_stack, GTK_WIDGET (page))),
                   ==, "Pannello di controllo");
  sp_test_dashboard_wait_loaded (model);
  g_assert_cmpstr (sp_test_dashboard_state (page), ==, "list");
  g_assert_cmpint (sp_pratica_list_model_get_bucket (model), ==, SP_BUCKET_DA_GESTIRE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  g_assert_cmpstr (sp_test_dashboard_count (page, "da_gestire"), ==, "5");
  g_assert_cmpstr (sp_test_dashboard_count (page, "da_assegnare"), ==, "61");
  g_assert_cmpstr (sp_test_dashboard_count (page, "concluse"), ==, "4");
  g_assert_cmpstr (sp_test_dashboard_count (page, "tutte"), ==, "73");
  g_assert_cmpstr (gtk_label_get_text (child (page, SP_TYPE_DASHBOARD_PAGE, "bucket_label_tutte")),
                   ==, "Tutte le pratiche dell'ente");
  /* Oldest first by default: the two overdue ones lead. */
  {
    g_autoptr(SpPraticaSummary) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    g_assert_cmpint (sp_pratica_summary_days_left (first, now), <, 0);
  }
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "dashboard-da-gestire.png");

  /* Da assegnare: 61 rows, 50 per page. */
  sp_test_dashboard_show_bucket (page, "da_assegnare");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 50);
  g_assert_false (sp_pratica_list_model_get_complete (model));

  /* Scrolling to the end makes the view ask for the last rows: the next page comes. */
  vadjustment = gtk_scrolled_window_get_vadjustment (child (page, SP_TYPE_DASHBOARD_PAGE, "scrolled_window"));
  WAIT_UNTIL (gtk_adjustment_get_upper (vadjustment) > gtk_adjustment_get_page_size (vadjustment));
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment));
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (model)) == 61);
  sp_test_dashboard_wait_loaded (model);
  g_assert_true (sp_pratica_list_model_get_complete (model));
  gtk_adjustment_set_value (vadjustment, 0);

  /* Every column sorts both ways, on the server: here the number. */
  sp_test_dashboard_sort_by (page, "Numero", GTK_SORT_DESCENDING);
  g_assert_cmpint (sp_pratica_list_model_get_sort (model), ==, SP_SORT_NUMERO);
  g_assert_true (sp_pratica_list_model_get_descending (model));
  g_assert_cmpstr (sp_test_dashboard_row (model, 0)->numero, ==, "2026-000061");
  for (guint i = 1; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    g_assert_cmpint (strcmp (sp_test_dashboard_row (model, i - 1)->numero,
                             sp_test_dashboard_row (model, i)->numero), >, 0);

  sp_test_dashboard_sort_by (page, "Numero", GTK_SORT_ASCENDING);
  g_assert_false (sp_pratica_list_model_get_descending (model));
  g_assert_cmpstr (sp_test_dashboard_row (model, 0)->numero, ==, "2026-000001");
  for (guint i = 1; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    g_assert_cmpint (strcmp (sp_test_dashboard_row (model, i - 1)->numero,
                             sp_test_dashboard_row (model, i)->numero), <, 0);

  /* The deadline, nearest first; the pages follow one another in order. */
  sp_test_dashboard_sort_by (page, "Scadenza", GTK_SORT_ASCENDING);
  g_assert_cmpint (sp_pratica_list_model_get_sort (model), ==, SP_SORT_DEADLINE);
  sp_pratica_list_model_load_more (model);
  WAIT_UNTIL (sp_pratica_list_model_get_complete (model));
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, 61);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (g_date_time_compare (sp_test_dashboard_row (model, i - 1)->deadline_at,
                                          sp_test_dashboard_row (model, i)->deadline_at), <=, 0);

  /* The applicant, Z to A. */
  sp_test_dashboard_sort_by (page, "Richiedente", GTK_SORT_DESCENDING);
  g_assert_cmpint (sp_pratica_list_model_get_sort (model), ==, SP_SORT_APPLICANT);
  g_assert_true (sp_pratica_list_model_get_descending (model));
  g_assert_cmpstr (sp_test_dashboard_row (model, 0)->applicant_cognome, ==, "Zanardelli");
  g_assert_cmpstr (sp_test_dashboard_row (model, 1)->applicant_cognome, ==, "Zanardelli");
  g_assert_cmpstr (sp_test_dashboard_row (model, 2)->applicant_cognome, ==, "Zanardelli");

  /* The search, typed: nothing happens before the pause, then the server filters. */
  sp_test_dashboard_sort_by (page, "Data di presentazione", GTK_SORT_ASCENDING);
  gtk_editable_set_text (child (page, SP_TYPE_DASHBOARD_PAGE, "search_entry"), "zanard");
  sp_test_ui_spin (100);
  g_assert_null (sp_pratica_list_model_get_search (model));
  WAIT_UNTIL (g_strcmp0 (sp_pratica_list_model_get_search (model), "zanard") == 0);
  sp_test_dashboard_wait_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (sp_test_dashboard_row (model, i)->applicant_cognome, ==, "Zanardelli");
  g_assert_cmpstr (sp_test_dashboard_count (page, "da_assegnare"), ==, "3");
  g_assert_cmpstr (sp_test_dashboard_count (page, "da_gestire"), ==, "0");
  g_assert_cmpstr (sp_test_dashboard_count (page, "tutte"), ==, "3");

  /* No match: an empty state that says what was searched. */
  gtk_editable_set_text (child (page, SP_TYPE_DASHBOARD_PAGE, "search_entry"), "nessuno-xyz");
  WAIT_UNTIL (g_strcmp0 (sp_pratica_list_model_get_search (model), "nessuno-xyz") == 0);
  sp_test_dashboard_wait_loaded (model);
  g_assert_cmpstr (sp_test_dashboard_state (page), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (child (page, SP_TYPE_DASHBOARD_PAGE, "empty_page")),
                   ==, "Nessuna pratica corrisponde a «nessuno-xyz»");

  /* Ctrl+F's action focuses the search; clearing it shows everything again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.focus-search", NULL));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (child (page, SP_TYPE_DASHBOARD_PAGE,
                                                                                     "search_entry")))));
  gtk_editable_set_text (child (page, SP_TYPE_DASHBOARD_PAGE, "search_entry"), "");
  WAIT_UNTIL (sp_pratica_list_model_get_search (model) == NULL);
  sp_test_dashboard_wait_loaded (model);
  g_assert_cmpstr (sp_test_dashboard_count (page, "da_assegnare"), ==, "61");

  /* Nearest deadline first for the screenshot, as an operator would look at it. */
  sp_test_dashboard_sort_by (page, "Scadenza", GTK_SORT_ASCENDING);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "dashboard.png");

  /* Tutte: "Vedi dettaglio" everywhere. */
  sp_test_dashboard_show_bucket (page, "tutte");
  WAIT_UNTIL (sp_test_dashboard_row_button (page, sp_test_dashboard_row (model, 0)->id) != NULL);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (sp_test_dashboard_row_button (page,
                                                                                  sp_test_dashboard_row (model, 0)->id))),
                   ==, "Vedi dettaglio");

  sp_test_ui_close_window (window);
}

static void
test_buckets_fit (void)
{
  SpDashboardPage *page;
  SpWrapBox *toolbar;
  SpWindow *window;

  if (sp_test_dashboard_ui_skip ())
    return;

  /* The default size: one line, "Tutte le pratiche dell'ente" and its count in full. */
  window = sp_test_dashboard_ui_open (SP_TEST_OPERATOR);
  page = sp_test_dashboard_of (window);
  toolbar = child (page, SP_TYPE_DASHBOARD_PAGE, "toolbar");
  sp_test_dashboard_wait_loaded (sp_test_dashboard_model (page));
  WAIT_UNTIL (sp_test_dashboard_count (page, "tutte") != NULL);
  sp_test_ui_spin (200);
  {
    int width = 0;
    int height = 0;

    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    g_assert_cmpint (width, ==, 1100);
    g_assert_cmpint (height, ==, 760);
  }
  assert_buckets_readable (page);
  g_assert_cmpuint (sp_wrap_box_get_n_lines (toolbar), ==, 1);
  assert_columns_fit (page, TRUE);
  assert_applicant_cells (page, FALSE);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "dashboard-1100.png");

  /* 800 px wide: the search and the export move to a second line. */
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 760);
  WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (window)) <= 800);
  sp_test_ui_spin (200);
  assert_buckets_readable (page);
  g_assert_cmpuint (sp_wrap_box_get_n_lines (toolbar), ==, 2);
  /* The submission date gives way to the actions. */
  assert_columns_fit (page, FALSE);
  /* The codice fiscale is cut: its tooltip has it whole. */
  assert_applicant_cells (page, TRUE);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "dashboard-800.png");

  sp_test_ui_close_window (window);
}

static void
test_export_csv (void)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  SpDashboardPage *page;
  SpPraticaListModel *model;
  GtkFileChooser *chooser;
  SpWindow *window;
  gsize length = 0;
  const char *documents_dir = sp_test_dashboard_ui_documents_dir ();

  if (sp_test_dashboard_ui_skip ())
    return;

  window = sp_test_dashboard_ui_open (SP_TEST_OPERATOR);
  page = sp_test_dashboard_of (window);
  model = sp_test_dashboard_model (page);
  sp_test_dashboard_wait_loaded (model);
  sp_test_dashboard_show_bucket (page, "tutte");
  sp_test_dashboard_sort_by (page, "Numero", GTK_SORT_ASCENDING);

  /* Without a Documents folder the chooser opens in the home folder. */
  sp_test_ui_set_documents_folder (documents_dir, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.export", NULL));
  WAIT_UNTIL ((chooser = sp_test_ui_find_file_chooser ()) != NULL);
  sp_test_ui_assert_chooser_folder (chooser, g_get_home_dir ());
  sp_test_ui_click_button (chooser, "_Annulla");
  WAIT_UNTIL (sp_test_ui_find_file_chooser () == NULL
              && gtk_widget_is_sensitive (child (page, SP_TYPE_DASHBOARD_PAGE, "export_button")));

  /* "Esporta CSV", then the file chooser's "Salva", in Documents. */
  sp_test_ui_set_documents_folder (documents_dir, TRUE);
  path = g_build_filename (documents_dir, "pratiche.csv", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.export", NULL));
  WAIT_UNTIL ((chooser = sp_test_ui_find_file_chooser ()) != NULL);
  sp_test_ui_assert_chooser_folder (chooser, documents_dir);
  g_assert_true (g_str_has_prefix (gtk_file_chooser_get_current_name (chooser), "pratiche-tutte-"));
  g_assert_true (g_str_has_suffix (gtk_file_chooser_get_current_name (chooser), ".csv"));
  gtk_file_chooser_set_current_name (chooser, "pratiche.csv");
  sp_test_ui_save_screenshot (GTK_WIDGET (chooser), "chooser-export.png");
  sp_test_ui_click_button (chooser, "_Salva");

  /* Every row of the list, page by page, then the dialog goes. */
  WAIT_UNTIL (g_file_test (path, G_FILE_TEST_EXISTS) && sp_test_ui_find_message_dialog () == NULL
              && gtk_widget_is_sensitive (child (page, SP_TYPE_DASHBOARD_PAGE, "export_button")));
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);

  /* UTF-8 with BOM, ';' between fields, CRLF after each record. */
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF" "ID;Numero;Cognome;Nome;Codice fiscale;Servizio;"
                                   "Data di presentazione;Stato;Protocollo;Scadenza;Giorni alla scadenza;"
                                   "Assegnata a\r\n"));
  g_assert_true (g_str_has_suffix (contents, "\r\n"));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 73 + 1);
  g_assert_nonnull (strstr (lines[1], ";2026-000001;"));
  g_assert_nonnull (strstr (lines[61], ";2026-000061;"));
  g_assert_nonnull (strstr (lines[61], ";In attesa di protocollazione;"));
  g_assert_nonnull (strstr (lines[62], ";In carico;PG/2026/00062;"));
  g_assert_nonnull (strstr (lines[62], ";Operatore di Prova"));
  g_assert_cmpstr (lines[74], ==, "");

  g_unlink (path);
  sp_test_ui_close_window (window);
}

static void
test_no_services (void)
{
  SpDashboardPage *page;
  SpWindow *window;

  if (sp_test_dashboard_ui_skip ())
    return;

  window = sp_test_dashboard_ui_open ("op.vuoto");
  page = sp_test_dashboard_of (window);
  WAIT_UNTIL (g_strcmp0 (sp_test_dashboard_state (page), "empty") == 0);
  g_assert_cmpstr (adw_status_page_get_title (child (page, SP_TYPE_DASHBOARD_PAGE, "empty_page")),
                   ==, "Nessun servizio abilitato");
  g_assert_cmpstr (adw_status_page_get_description (child (page, SP_TYPE_DASHBOARD_PAGE, "empty_page")),
                   ==, "Non sei abilitato ad alcun servizio: contatta l'amministratore del tuo ente.");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "dashboard-no-services.png");
  sp_test_ui_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  sp_test_dashboard_ui_init (&argc, &argv);

  g_test_add_func ("/sportello/client/dashboard/buckets-search-sort-paging", test_buckets_search_sort_paging);
  g_test_add_func ("/sportello/client/dashboard/buckets-fit", test_buckets_fit);
  g_test_add_func ("/sportello/client/dashboard/export-csv", test_export_csv);
  g_test_add_func ("/sportello/client/dashboard/no-services", test_no_services);

  return sp_test_dashboard_ui_run ();
}
