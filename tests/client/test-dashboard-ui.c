/* test-dashboard-ui.c: the "Pannello di controllo": buckets, search, server-side sort and paging, "Prendi in carico", CSV */
#define G_LOG_DOMAIN "test-dashboard-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "sp-application.h"
#include "sp-client-pratica.h"
#include "sp-client-private.h"
#include "sp-dashboard-page.h"
#include "sp-error.h"
#include "sp-login-page.h"
#include "sp-pratica-list-model.h"
#include "sp-pratica-page.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-ui.h"
#include "sp-window.h"
#include "sp-wrap-box.h"

/*
 * The real SpWindow against a real sportello-server (tests/harness), signed in
 * through the login page, in Italian. The harness has no pratiche: main()
 * inserts 73 of them in SP_TEST_ENTE (see insert_pratiche()):
 *
 *   Da assegnare  61: 60 protocollate (three of "Zanardelli"), one of the
 *                     external-protocol service still waiting for its number
 *   Da gestire     5: op.prova's, two of them overdue
 *   Concluse       4: op.prova's
 *   Tutte         73: those, and 3 of op.prova2
 *
 * The tests run in order and each starts from what the previous left.
 */

#define child(widget, type, name) sp_test_ui_template_child ((widget), (type), (name))
#define WAIT_UNTIL(expr) SP_TEST_UI_WAIT_UNTIL (expr)

static SpTestEnv *env;
static SpApplication *application;
static gboolean have_display;
static char *xdg_dir;           /* the user's folders of the test: config, Documents */
static char *documents_dir;

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

static gboolean
skip_without_server (void)
{
  if (!have_display)
    {
      g_test_skip ("No display: run under Xvfb");
      return TRUE;
    }
  if (env == NULL)
    {
      g_test_skip ("The test server did not start");
      return TRUE;
    }
  return FALSE;
}

/* Signs in through the real login page, as a user would, in a window of
 * @width (0: the app's default size, from its GSettings schema). */
static SpWindow *
open_signed_in_window_sized (const char *username,
                             int         width)
{
  return sp_test_ui_open_signed_in (env, GTK_APPLICATION (application), username, width);
}

/* At the size a person first sees (1100×760). */
static SpWindow *
open_signed_in_window (const char *username)
{
  return open_signed_in_window_sized (username, 0);
}

static void
close_window (SpWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  sp_test_ui_spin (50);
}

static SpDashboardPage *
dashboard_of (SpWindow *window)
{
  AdwViewStack *view_stack = child (window, SP_TYPE_WINDOW, "view_stack");
  GtkWidget *page = adw_view_stack_get_child_by_name (view_stack, "dashboard");

  g_assert_true (SP_IS_DASHBOARD_PAGE (page));
  return SP_DASHBOARD_PAGE (page);
}

static SpPraticaListModel *
model_of (SpDashboardPage *page)
{
  GtkColumnView *column_view = child (page, SP_TYPE_DASHBOARD_PAGE, "column_view");
  GtkSelectionModel *selection = gtk_column_view_get_model (column_view);

  return SP_PRATICA_LIST_MODEL (gtk_no_selection_get_model (GTK_NO_SELECTION (selection)));
}

static const char *
visible_state (SpDashboardPage *page)
{
  return gtk_stack_get_visible_child_name (child (page, SP_TYPE_DASHBOARD_PAGE, "stack"));
}

static const char *
count_text (SpDashboardPage *page,
            const char      *bucket)
{
  g_autofree char *name = g_strconcat ("count_", bucket, NULL);
  GtkLabel *label = child (page, SP_TYPE_DASHBOARD_PAGE, name);

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

/* Waits until no request is in flight and the first page is there. */
static void
wait_loaded (SpPraticaListModel *model)
{
  WAIT_UNTIL (sp_pratica_list_model_get_loaded (model) && !sp_pratica_list_model_get_loading (model));
  g_assert_null (sp_pratica_list_model_get_error (model));
}

static void
show_bucket (SpDashboardPage *page,
             const char      *bucket)
{
  g_autofree char *name = g_strconcat ("bucket_", bucket, NULL);
  GtkWidget *button = child (page, SP_TYPE_DASHBOARD_PAGE, name);

  /* A click, as the user does it (activation clicks after a short press). */
  gtk_widget_activate (button);
  WAIT_UNTIL (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)));
  g_assert_cmpstr (sp_bucket_to_string (sp_pratica_list_model_get_bucket (model_of (page))), ==, bucket);
  wait_loaded (model_of (page));
}

static SpPraticaSummaryData *
row (SpPraticaListModel *model,
     guint               position)
{
  g_autoptr(SpPraticaSummary) summary = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (summary);
  /* The model keeps its rows: the data outlives this reference. */
  return sp_pratica_summary_get_data (summary);
}

static GtkColumnViewColumn *column_titled (SpDashboardPage *page,
                                           const char      *title);

/* Sorts by the column titled @title, and waits for the first page. The
 * sorter is cleared first: GTK 4.8's gtk_column_view_sort_by_column() leaves
 * the arrow of the previous column drawn (a header click does not). */
static void
sort_by (SpDashboardPage *page,
         const char      *title,
         GtkSortType      order)
{
  GtkColumnView *column_view = child (page, SP_TYPE_DASHBOARD_PAGE, "column_view");

  gtk_column_view_sort_by_column (column_view, NULL, GTK_SORT_ASCENDING);
  gtk_column_view_sort_by_column (column_view, column_titled (page, title), order);
  wait_loaded (model_of (page));
}

static GtkColumnViewColumn *
column_titled (SpDashboardPage *page,
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

/* The action button the column view shows for @pratica_id, if its row is on
 * screen (sp-dashboard-columns.c keeps the cell's list item on the button). */
static GtkWidget *
row_button (SpDashboardPage *page,
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

static char *
sql (const char *statement)
{
  return sp_test_env_sql (env, statement);
}

static void
test_buckets_search_sort_paging (void)
{
  SpDashboardPage *page;
  SpPraticaListModel *model;
  AdwViewStack *view_stack;
  GtkAdjustment *vadjustment;
  SpWindow *window;
  guint n;

  if (skip_without_server ())
    return;

  window = open_signed_in_window (SP_TEST_OPERATOR);
  view_stack = child (window, SP_TYPE_WINDOW, "view_stack");
  page = dashboard_of (window);
  model = model_of (page);

  /* The first page of the operator, with the counts of the four buckets. */
  g_assert_true (adw_view_stack_get_visible_child (view_stack) == GTK_WIDGET (page));
  g_assert_cmpstr (adw_view_stack_page_get_title (adw_view_stack_get_page (view_stack, GTK_WIDGET (page))),
                   ==, "Pannello di controllo");
  wait_loaded (model);
  g_assert_cmpstr (visible_state (page), ==, "list");
  g_assert_cmpint (sp_pratica_list_model_get_bucket (model), ==, SP_BUCKET_DA_GESTIRE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  g_assert_cmpstr (count_text (page, "da_gestire"), ==, "5");
  g_assert_cmpstr (count_text (page, "da_assegnare"), ==, "61");
  g_assert_cmpstr (count_text (page, "concluse"), ==, "4");
  g_assert_cmpstr (count_text (page, "tutte"), ==, "73");
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
  show_bucket (page, "da_assegnare");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 50);
  g_assert_false (sp_pratica_list_model_get_complete (model));

  /* Scrolling to the end makes the view ask for the last rows: the next page comes. */
  vadjustment = gtk_scrolled_window_get_vadjustment (child (page, SP_TYPE_DASHBOARD_PAGE, "scrolled_window"));
  WAIT_UNTIL (gtk_adjustment_get_upper (vadjustment) > gtk_adjustment_get_page_size (vadjustment));
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment));
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (model)) == 61);
  wait_loaded (model);
  g_assert_true (sp_pratica_list_model_get_complete (model));
  gtk_adjustment_set_value (vadjustment, 0);

  /* Every column sorts both ways, on the server: here the number. */
  sort_by (page, "Numero", GTK_SORT_DESCENDING);
  g_assert_cmpint (sp_pratica_list_model_get_sort (model), ==, SP_SORT_NUMERO);
  g_assert_true (sp_pratica_list_model_get_descending (model));
  g_assert_cmpstr (row (model, 0)->numero, ==, "2026-000061");
  for (guint i = 1; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    g_assert_cmpint (strcmp (row (model, i - 1)->numero, row (model, i)->numero), >, 0);

  sort_by (page, "Numero", GTK_SORT_ASCENDING);
  g_assert_false (sp_pratica_list_model_get_descending (model));
  g_assert_cmpstr (row (model, 0)->numero, ==, "2026-000001");
  for (guint i = 1; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    g_assert_cmpint (strcmp (row (model, i - 1)->numero, row (model, i)->numero), <, 0);

  /* The deadline, nearest first; the pages follow one another in order. */
  sort_by (page, "Scadenza", GTK_SORT_ASCENDING);
  g_assert_cmpint (sp_pratica_list_model_get_sort (model), ==, SP_SORT_DEADLINE);
  sp_pratica_list_model_load_more (model);
  WAIT_UNTIL (sp_pratica_list_model_get_complete (model));
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, ==, 61);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (g_date_time_compare (row (model, i - 1)->deadline_at, row (model, i)->deadline_at), <=, 0);

  /* The applicant, Z to A. */
  sort_by (page, "Richiedente", GTK_SORT_DESCENDING);
  g_assert_cmpint (sp_pratica_list_model_get_sort (model), ==, SP_SORT_APPLICANT);
  g_assert_true (sp_pratica_list_model_get_descending (model));
  g_assert_cmpstr (row (model, 0)->applicant_cognome, ==, "Zanardelli");
  g_assert_cmpstr (row (model, 1)->applicant_cognome, ==, "Zanardelli");
  g_assert_cmpstr (row (model, 2)->applicant_cognome, ==, "Zanardelli");

  /* The search, typed: nothing happens before the pause, then the server filters. */
  sort_by (page, "Data di presentazione", GTK_SORT_ASCENDING);
  gtk_editable_set_text (child (page, SP_TYPE_DASHBOARD_PAGE, "search_entry"), "zanard");
  sp_test_ui_spin (100);
  g_assert_null (sp_pratica_list_model_get_search (model));
  WAIT_UNTIL (g_strcmp0 (sp_pratica_list_model_get_search (model), "zanard") == 0);
  wait_loaded (model);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (row (model, i)->applicant_cognome, ==, "Zanardelli");
  g_assert_cmpstr (count_text (page, "da_assegnare"), ==, "3");
  g_assert_cmpstr (count_text (page, "da_gestire"), ==, "0");
  g_assert_cmpstr (count_text (page, "tutte"), ==, "3");

  /* No match: an empty state that says what was searched. */
  gtk_editable_set_text (child (page, SP_TYPE_DASHBOARD_PAGE, "search_entry"), "nessuno-xyz");
  WAIT_UNTIL (g_strcmp0 (sp_pratica_list_model_get_search (model), "nessuno-xyz") == 0);
  wait_loaded (model);
  g_assert_cmpstr (visible_state (page), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (child (page, SP_TYPE_DASHBOARD_PAGE, "empty_page")),
                   ==, "Nessuna pratica corrisponde a «nessuno-xyz»");

  /* Ctrl+F's action focuses the search; clearing it shows everything again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.focus-search", NULL));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (child (page, SP_TYPE_DASHBOARD_PAGE,
                                                                                     "search_entry")))));
  gtk_editable_set_text (child (page, SP_TYPE_DASHBOARD_PAGE, "search_entry"), "");
  WAIT_UNTIL (sp_pratica_list_model_get_search (model) == NULL);
  wait_loaded (model);
  g_assert_cmpstr (count_text (page, "da_assegnare"), ==, "61");

  /* Nearest deadline first for the screenshot, as an operator would look at it. */
  sort_by (page, "Scadenza", GTK_SORT_ASCENDING);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "dashboard.png");

  /* Tutte: "Vedi dettaglio" everywhere. */
  show_bucket (page, "tutte");
  WAIT_UNTIL (row_button (page, row (model, 0)->id) != NULL);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (row_button (page, row (model, 0)->id))), ==, "Vedi dettaglio");

  close_window (window);
}

static char *
describe (GtkWidget *widget)
{
  static char text[200];

  g_snprintf (text, sizeof text, "“%s” (%s)",
              GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : gtk_widget_get_name (widget),
              G_OBJECT_TYPE_NAME (widget));
  return text;
}

/* @widget is drawn whole: at least as wide as it asks (its natural width, or
 * its minimum one when it can shrink, as an entry can), and inside every
 * ancestor (not scrolled or clipped away). */
static void
assert_shown_in_full (GtkWidget *widget,
                      gboolean   at_natural_width)
{
  graphene_rect_t box;
  int minimum = 0;
  int natural = 0;
  int needed;

  g_assert_true (gtk_widget_get_mapped (widget));
  /* The measure has the margins, the bounds are the border box. */
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  needed = (at_natural_width ? natural : minimum)
           - gtk_widget_get_margin_start (widget) - gtk_widget_get_margin_end (widget);
  g_assert_true (gtk_widget_compute_bounds (widget, widget, &box));
  if (box.size.width < needed)
    g_error ("%s is %g px wide, less than the %d px it needs", describe (widget), box.size.width, needed);

  for (GtkWidget *ancestor = gtk_widget_get_parent (widget);
       ancestor != NULL;
       ancestor = gtk_widget_get_parent (ancestor))
    {
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_compute_bounds (widget, ancestor, &bounds));
      if (bounds.origin.x < 0 || bounds.origin.y < 0
          || bounds.origin.x + bounds.size.width > gtk_widget_get_width (ancestor) + 0.5
          || bounds.origin.y + bounds.size.height > gtk_widget_get_height (ancestor) + 0.5)
        g_error ("%s is cut by %s: %g,%g %g×%g in %d×%d", describe (widget), G_OBJECT_TYPE_NAME (ancestor),
                 bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height,
                 gtk_widget_get_width (ancestor), gtk_widget_get_height (ancestor));
    }
}

static void
assert_buckets_readable (SpDashboardPage *page)
{
  const char *buckets[] = { "da_gestire", "da_assegnare", "concluse", "tutte" };

  for (guint i = 0; i < G_N_ELEMENTS (buckets); i++)
    {
      g_autofree char *label = g_strconcat ("bucket_label_", buckets[i], NULL);
      g_autofree char *count = g_strconcat ("count_", buckets[i], NULL);

      g_assert_nonnull (count_text (page, buckets[i]));
      assert_shown_in_full (child (page, SP_TYPE_DASHBOARD_PAGE, label), TRUE);
      assert_shown_in_full (child (page, SP_TYPE_DASHBOARD_PAGE, count), TRUE);
    }
  /* The search and the export stay at hand. */
  assert_shown_in_full (child (page, SP_TYPE_DASHBOARD_PAGE, "search_entry"), FALSE);
  assert_shown_in_full (child (page, SP_TYPE_DASHBOARD_PAGE, "export_button"), TRUE);
}

/* Every shown column fits without scrolling sideways, the actions of the first row included. */
static void
assert_columns_fit (SpDashboardPage *page,
                    gboolean         with_submitted)
{
  GtkWidget *column_view = child (page, SP_TYPE_DASHBOARD_PAGE, "column_view");
  GtkWidget *scrolled_window = child (page, SP_TYPE_DASHBOARD_PAGE, "scrolled_window");
  GtkWidget *button = NULL;
  int minimum = 0;

  g_assert_cmpint (gtk_column_view_column_get_visible (column_titled (page, "Data di presentazione")),
                   ==, with_submitted);
  gtk_widget_measure (column_view, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, gtk_widget_get_width (scrolled_window));
  WAIT_UNTIL ((button = row_button (page, row (model_of (page), 0)->id)) != NULL);
  assert_shown_in_full (button, TRUE);
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

/* Whether GTK would show @cell's tooltip with the pointer over it: it asks
 * the widget under the pointer, as here, then its ancestors. */
static gboolean
offers_tooltip (GtkWidget *cell)
{
  GtkTooltip *tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  g_signal_emit_by_name (cell, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  g_object_unref (tooltip);
  return shown;
}

/* The applicant's cells of the first row: "Cognome Nome", then the codice
 * fiscale; each has its whole text as tooltip, shown only when cut. */
static void
assert_applicant_cells (SpDashboardPage *page,
                        gboolean         codice_fiscale_cut)
{
  SpPraticaSummaryData *first = row (model_of (page), 0);
  g_autofree char *name = g_strdup_printf ("%s %s", first->applicant_cognome, first->applicant_nome);
  GtkWidget *name_cell = cell_showing (page, name);
  GtkWidget *cf_cell = cell_showing (page, first->applicant_cf);

  g_assert_cmpstr (gtk_widget_get_tooltip_text (name_cell), ==, name);
  g_assert_false (offers_tooltip (name_cell));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (cf_cell), ==, first->applicant_cf);
  g_assert_cmpint (offers_tooltip (cf_cell), ==, codice_fiscale_cut);
}

static void
test_buckets_fit (void)
{
  SpDashboardPage *page;
  SpWrapBox *toolbar;
  SpWindow *window;

  if (skip_without_server ())
    return;

  /* The default size: one line, "Tutte le pratiche dell'ente" and its count in full. */
  window = open_signed_in_window_sized (SP_TEST_OPERATOR, 0);
  page = dashboard_of (window);
  toolbar = child (page, SP_TYPE_DASHBOARD_PAGE, "toolbar");
  wait_loaded (model_of (page));
  WAIT_UNTIL (count_text (page, "tutte") != NULL);
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

  close_window (window);
}

static void
test_take_charge (void)
{
  g_autofree char *pratica_id = NULL;
  g_autofree char *waiting_id = NULL;
  g_autofree char *state = NULL;
  SpDashboardPage *page;
  SpPraticaListModel *model;
  AdwMessageDialog *dialog;
  GtkWidget *button;
  GtkStack *main_stack;
  GtkWidget *pratica_page;
  SpWindow *window;

  if (skip_without_server ())
    return;

  pratica_id = sql ("SELECT id FROM pratica WHERE numero = '2026-000005'");
  waiting_id = sql ("SELECT id FROM pratica WHERE numero = '2026-000061'");

  window = open_signed_in_window (SP_TEST_OPERATOR);
  main_stack = child (window, SP_TYPE_WINDOW, "main_stack");
  page = dashboard_of (window);
  model = model_of (page);
  wait_loaded (model);
  show_bucket (page, "da_assegnare");
  sort_by (page, "Numero", GTK_SORT_DESCENDING);

  /* The pratica waiting for its protocol number cannot be taken, and says why. */
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "dashboard-waiting-protocol.png");
  g_assert_cmpstr (row (model, 0)->id, ==, waiting_id);
  g_assert_cmpint (row (model, 0)->take_charge, ==, SP_TAKE_CHARGE_WAITING_PROTOCOL);
  WAIT_UNTIL ((button = row_button (page, waiting_id)) != NULL);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Prendi in carico");
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "In attesa di protocollazione");
  {
    g_autofree char *text = sp_test_ui_collect_text (GTK_WIDGET (page));

    g_assert_nonnull (strstr (text, "Prendi in carico"));
  }

  /* "Prendi in carico" on 2026-000005: the confirmation names the applicant and the service. */
  sort_by (page, "Numero", GTK_SORT_ASCENDING);
  g_assert_cmpstr (row (model, 4)->id, ==, pratica_id);
  WAIT_UNTIL ((button = row_button (page, pratica_id)) != NULL);
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Prendere in carico la pratica 2026-000005?");
  {
    /* The applicant as everywhere: "Cognome Nome". */
    g_autofree char *applicant = g_strdup_printf ("%s %s (%s)", row (model, 4)->applicant_cognome,
                                                  row (model, 4)->applicant_nome, row (model, 4)->applicant_cf);

    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), applicant));
  }
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Certificato di residenza"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "take"), ==, "_Sì, sono sicuro");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "cancel"), ==, "_Annulla");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "take"), ==, ADW_RESPONSE_SUGGESTED);
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "dialog-take-charge.png");

  /* "Annulla" changes nothing. */
  sp_test_ui_respond (dialog, "cancel");
  state = sql ("SELECT coalesce (assigned_to::text, '-') || '|' || status FROM pratica WHERE numero = '2026-000005'");
  g_assert_cmpstr (state, ==, "-|3000");
  g_clear_pointer (&state, g_free);

  /* "Sì, sono sicuro": assigned on the server, the detail opens, the counts move. */
  gtk_widget_activate (button);
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  sp_test_ui_respond (dialog, "take");
  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (main_stack), "pratica") == 0);
  pratica_page = gtk_stack_get_visible_child (main_stack);
  g_assert_true (SP_IS_PRATICA_PAGE (pratica_page));
  g_assert_cmpstr (sp_pratica_page_get_pratica_id (SP_PRATICA_PAGE (pratica_page)), ==, pratica_id);
  state = sql ("SELECT a.username || '|' || p.status FROM pratica p JOIN account a ON a.id = p.assigned_to"
               " WHERE p.numero = '2026-000005'");
  g_assert_cmpstr (state, ==, SP_TEST_OPERATOR "|4000");

  WAIT_UNTIL (g_strcmp0 (count_text (page, "da_assegnare"), "60") == 0);
  g_assert_cmpstr (count_text (page, "da_gestire"), ==, "6");
  g_assert_null (sp_pratica_list_model_find (model, pratica_id, NULL));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-taken-in-charge.png");

  /* Back to the dashboard: the pratica is in Da gestire. */
  g_assert_true (gtk_widget_activate_action (pratica_page, "pratica.back", NULL));
  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (main_stack), "session") == 0);
  show_bucket (page, "da_gestire");
  g_assert_nonnull (sp_pratica_list_model_find (model, pratica_id, NULL));

  /* "Vedi dettaglio" opens the detail too. */
  WAIT_UNTIL ((button = row_button (page, row (model, 0)->id)) != NULL);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Vedi dettaglio");
  gtk_widget_activate (button);
  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (main_stack), "pratica") == 0);
  g_assert_cmpstr (sp_pratica_page_get_pratica_id (SP_PRATICA_PAGE (gtk_stack_get_visible_child (main_stack))),
                   ==, row (model, 0)->id);

  close_window (window);
}

typedef struct
{
  gboolean  done;
  gboolean  taken;
  GError   *error;
} TakeCharge;

static void
take_charge_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TakeCharge *call = user_data;

  call->taken = sp_client_take_charge_finish (SP_CLIENT (object), result, &call->error);
  call->done = TRUE;
}

/* Records each request of the client: "METHOD /path?query". */
static void
request_queued_cb (SoupSession *session,
                   SoupMessage *message,
                   GPtrArray   *requests)
{
  GUri *uri = soup_message_get_uri (message);

  g_ptr_array_add (requests, g_strdup_printf ("%s %s%s%s", soup_message_get_method (message), g_uri_get_path (uri),
                                              g_uri_get_query (uri) != NULL ? "?" : "",
                                              g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : ""));
}

static void
test_already_taken (void)
{
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *take_charge_request = NULL;
  g_autofree char *pratica_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  SoupSession *session;
  g_autoptr(SpTestResponse) response = NULL;
  SpDashboardPage *page;
  SpPraticaListModel *model;
  AdwMessageDialog *dialog;
  GtkWidget *button;
  SpWindow *window;

  if (skip_without_server ())
    return;

  pratica_id = sql ("SELECT id FROM pratica WHERE numero = '2026-000006'");

  window = open_signed_in_window (SP_TEST_OPERATOR);
  page = dashboard_of (window);
  model = model_of (page);
  wait_loaded (model);
  show_bucket (page, "da_assegnare");
  sort_by (page, "Numero", GTK_SORT_ASCENDING);
  WAIT_UNTIL ((button = row_button (page, pratica_id)) != NULL);

  /* A colleague is quicker, while the list still shows the pratica as free. */
  token = sp_test_login (env, SP_TEST_OPERATOR2, SP_TEST_PASSWORD);
  path = g_strdup_printf ("/api/v1.0/operator/pratiche/%s/take-charge", pratica_id);
  take_charge_request = g_strconcat ("POST ", path, NULL);
  response = sp_test_request (env, "POST", path, token, NULL, NULL, 0);
  g_assert_cmpuint (response->status, ==, 204);

  gtk_widget_activate (button);
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  session = sp_window_get_client (window)->session;
  g_signal_connect (session, "request-queued", G_CALLBACK (request_queued_cb), requests);
  sp_test_ui_respond (dialog, "take");

  /* The answer names the colleague; the list no longer offers the pratica. */
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL
              && g_strcmp0 (adw_message_dialog_get_heading (dialog), "Pratica già presa in carico") == 0);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "La pratica è già stata presa in carico da Seconda Operatrice.");
  /* From the refusal alone: nobody looked the pratica up to learn who has it. */
  g_signal_handlers_disconnect_by_func (session, request_queued_cb, requests);
  g_assert_cmpuint (requests->len, >=, 1);
  g_assert_cmpstr (g_ptr_array_index (requests, 0), ==, take_charge_request);
  for (guint i = 1; i < requests->len; i++)
    g_assert_null (strstr (g_ptr_array_index (requests, i), "2026-000006"));
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "dialog-already-taken.png");
  sp_test_ui_respond (dialog, "close");
  wait_loaded (model);
  g_assert_null (sp_pratica_list_model_find (model, pratica_id, NULL));
  g_assert_cmpstr (count_text (page, "da_assegnare"), ==, "59");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (window, SP_TYPE_WINDOW, "main_stack")), ==, "session");
  close_window (window);

  /* The colleague asking again is not told that someone, themselves, has it. */
  {
    g_autoptr(SpClient) colleague = sp_test_ui_sign_in (env, SP_TEST_OPERATOR2, SP_TEST_PASSWORD);
    TakeCharge call = { FALSE, FALSE, NULL };

    sp_client_take_charge_async (colleague, pratica_id, NULL, take_charge_done_cb, &call);
    WAIT_UNTIL (call.done);
    g_assert_false (call.taken);
    g_assert_nonnull (call.error);
    g_assert_true (call.error->domain == SP_ERROR);
    g_test_message ("Refusal: %s", call.error->message);
    g_assert_cmpstr (call.error->message, !=, "");
    g_assert_null (strstr (call.error->message, "Seconda Operatrice"));
    g_clear_error (&call.error);
  }
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

  if (skip_without_server ())
    return;

  window = open_signed_in_window (SP_TEST_OPERATOR);
  page = dashboard_of (window);
  model = model_of (page);
  wait_loaded (model);
  show_bucket (page, "tutte");
  sort_by (page, "Numero", GTK_SORT_ASCENDING);

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
  close_window (window);
}

static void
test_no_services (void)
{
  SpDashboardPage *page;
  SpWindow *window;

  if (skip_without_server ())
    return;

  window = open_signed_in_window ("op.vuoto");
  page = dashboard_of (window);
  WAIT_UNTIL (g_strcmp0 (visible_state (page), "empty") == 0);
  g_assert_cmpstr (adw_status_page_get_title (child (page, SP_TYPE_DASHBOARD_PAGE, "empty_page")),
                   ==, "Nessun servizio abilitato");
  g_assert_cmpstr (adw_status_page_get_description (child (page, SP_TYPE_DASHBOARD_PAGE, "empty_page")),
                   ==, "Non sei abilitato ad alcun servizio: contatta l'amministratore del tuo ente.");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "dashboard-no-services.png");
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* The app in Italian, with the catalog of the build directory. */
  g_setenv ("LC_ALL", "it_IT.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");
  sp_application_init_i18n ();

  g_test_init (&argc, &argv, NULL);

  /* The user's folders are the test's own, before anything reads them. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *config = NULL;

    xdg_dir = g_dir_make_tmp ("sp-dashboard-ui-XXXXXX", &error);
    g_assert_no_error (error);
    config = g_build_filename (xdg_dir, "config", NULL);
    g_assert_cmpint (g_mkdir (config, 0700), ==, 0);
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
    documents_dir = g_build_filename (xdg_dir, "Documenti", NULL);
  }

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
      env = sp_test_env_start ();
      if (env != NULL)
        g_free (sp_test_env_sql (env, insert_sql));
    }

  g_test_add_func ("/sportello/client/dashboard/buckets-search-sort-paging", test_buckets_search_sort_paging);
  g_test_add_func ("/sportello/client/dashboard/buckets-fit", test_buckets_fit);
  g_test_add_func ("/sportello/client/dashboard/take-charge", test_take_charge);
  g_test_add_func ("/sportello/client/dashboard/already-taken", test_already_taken);
  g_test_add_func ("/sportello/client/dashboard/export-csv", test_export_csv);
  g_test_add_func ("/sportello/client/dashboard/no-services", test_no_services);

  status = g_test_run ();

  if (env != NULL)
    sp_test_env_stop (env);
  g_clear_object (&application);
  /* GTK keeps its own files there too. */
  g_spawn_sync (NULL, (char *[]) { (char *) "rm", (char *) "-rf", xdg_dir, NULL }, NULL, G_SPAWN_SEARCH_PATH,
                NULL, NULL, NULL, NULL, NULL, NULL);
  g_free (documents_dir);
  g_free (xdg_dir);
  return status;
}
