/* test-audit-ui.c: the auditor's "Audit" page, the comparison window, the check of the chain and the access log, in Italian, against a real server */
#define G_LOG_DOMAIN "test-audit-ui"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <adwaita.h>

#include "sp-application.h"
#include "sp-audit-log-window.h"
#include "sp-audit-page.h"
#include "sp-chain-result.h"
#include "sp-compare-window.h"
#include "sp-json.h"
#include "sp-login-page.h"
#include "sp-test-env.h"
#include "sp-test-pdf.h"
#include "sp-test-pg.h"
#include "sp-test-ui.h"
#include "sp-window.h"

/*
 * The real SpWindow signed in through its login page, against a real
 * sportello-server (tests/harness). main() inserts by SQL, as the server's
 * audit tests do, two pratiche of applicant "Auditata":
 *
 *   four versions   v1 Protocollazione (Sistema), v2 Presa in carico,
 *                   v3 a long description added, v4 CAP added, motivo
 *                   changed, note removed, two numbers added that
 *                   json-glib would not read exactly: so that v3 → v4,
 *                   the two preselected, shows all four colours
 *   one version     only to make the search by surname find two
 *
 * Screenshots go to $SPORTELLO_SCREENSHOT_DIR.
 */

#define child(widget, type, name) sp_test_ui_template_child ((widget), (type), (name))
#define WAIT_UNTIL(expr) SP_TEST_UI_WAIT_UNTIL (expr)

static SpTestEnv *env;
static PGconn *conn;
static SpApplication *application;
static gboolean have_display;
static char *xdg_dir;
static char *audited_id;
static char *audited_numero;

static const char long_text[] =
  "Il richiedente dichiara di risiedere stabilmente all'indirizzo indicato insieme al proprio nucleo familiare, "
  "composto dal coniuge e da due figli minori, e chiede il certificato per l'iscrizione scolastica dei figli "
  "presso l'istituto comprensivo del quartiere, allegando copia del contratto di locazione registrato.";

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

static SpWindow *
open_signed_in_window (const char *username)
{
  return sp_test_ui_open_signed_in (env, GTK_APPLICATION (application), username, 1100);
}

static void
close_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  sp_test_ui_spin (50);
}

static gboolean
stack_page_visible (SpWindow   *window,
                    const char *name)
{
  AdwViewStack *view_stack = child (window, SP_TYPE_WINDOW, "view_stack");
  GtkWidget *page = adw_view_stack_get_child_by_name (view_stack, name);

  return adw_view_stack_page_get_visible (adw_view_stack_get_page (view_stack, page));
}

static SpAuditPage *
audit_page_of (SpWindow *window)
{
  AdwViewStack *view_stack = child (window, SP_TYPE_WINDOW, "view_stack");
  GtkWidget *page = adw_view_stack_get_child_by_name (view_stack, "audit");

  g_assert_true (SP_IS_AUDIT_PAGE (page));
  return SP_AUDIT_PAGE (page);
}

static const char *
audit_state (SpAuditPage *page)
{
  return gtk_stack_get_visible_child_name (child (page, SP_TYPE_AUDIT_PAGE, "stack"));
}

static void
search (SpAuditPage *page,
        const char  *text)
{
  GtkEditable *entry = child (page, SP_TYPE_AUDIT_PAGE, "search_entry");

  gtk_editable_set_text (entry, text);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "audit.search", NULL));
  WAIT_UNTIL (g_strcmp0 (audit_state (page), "loading") != 0);
}

/* The check buttons of the versions table on screen, by version number. */
static GtkCheckButton *
version_check (SpAuditPage *page,
               guint        number)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();

  sp_test_ui_collect_type (child (page, SP_TYPE_AUDIT_PAGE, "versions_view"), GTK_TYPE_CHECK_BUTTON, checks);
  for (guint i = 0; i < checks->len; i++)
    if (GPOINTER_TO_UINT (g_object_get_data (g_ptr_array_index (checks, i), "sp-version")) == number)
      return g_ptr_array_index (checks, i);
  g_error ("No check button for version %u", number);
}

static char *
column_titles (GtkColumnView *view)
{
  GListModel *columns = gtk_column_view_get_columns (view);
  g_autoptr(GString) titles = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      const char *title = gtk_column_view_column_get_title (column);

      if (title != NULL && *title != '\0')
        g_string_append_printf (titles, "%s%s", titles->len > 0 ? "|" : "", title);
    }
  return g_string_free (g_steal_pointer (&titles), FALSE);
}

/* Whether a widget of @root on screen has @css_class. */
static gboolean
has_class_shown (GtkWidget  *root,
                 const char *css_class)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (gtk_widget_get_mapped (c) && gtk_widget_has_css_class (c, css_class))
        return TRUE;
      if (has_class_shown (c, css_class))
        return TRUE;
    }
  return FALSE;
}

static guint
count_type (GtkWidget *root,
            GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  sp_test_ui_collect_type (root, type, found);
  return found->len;
}

static gboolean
action_enabled (GtkWidget  *widget,
                const char *button)
{
  return gtk_widget_get_sensitive (child (widget, SP_TYPE_COMPARE_WINDOW, button));
}

static void
wait_compared (SpCompareWindow *window)
{
  WAIT_UNTIL (!sp_compare_window_get_loading (window) && sp_compare_window_get_counts (window) != NULL);
  WAIT_UNTIL (gtk_filter_list_model_get_pending (GTK_FILTER_LIST_MODEL (sp_compare_window_get_shown (window))) == 0);
}

/* Tests */

/* An operator has no Audit; an auditor has the Audit alone. */
static void
test_roles (void)
{
  SpWindow *window;

  if (skip_without_server ())
    return;

  window = open_signed_in_window (SP_TEST_OPERATOR);
  g_assert_false (stack_page_visible (window, "audit"));
  g_assert_true (stack_page_visible (window, "dashboard"));
  g_assert_cmpstr (sp_test_ui_shown_page (GTK_WIDGET (window)), ==, "dashboard");
  close_window (GTK_WINDOW (window));

  window = open_signed_in_window (SP_TEST_AUDITOR);
  g_assert_true (stack_page_visible (window, "audit"));
  g_assert_false (stack_page_visible (window, "dashboard"));
  g_assert_false (stack_page_visible (window, "protocol"));
  g_assert_cmpstr (sp_test_ui_shown_page (GTK_WIDGET (window)), ==, "audit");
  g_assert_cmpstr (audit_state (audit_page_of (window)), ==, "start");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "audit-start.png");
  close_window (GTK_WINDOW (window));
}

/* Cerca: by number straight to the versions; by surname, a list to choose from; nothing found. */
static void
test_search (void)
{
  SpWindow *window;
  SpAuditPage *page;
  GtkListBox *results;
  GtkListBoxRow *row = NULL;

  if (skip_without_server ())
    return;

  window = open_signed_in_window (SP_TEST_AUDITOR);
  page = audit_page_of (window);

  search (page, "Auditata");
  g_assert_cmpstr (audit_state (page), ==, "results");
  results = child (page, SP_TYPE_AUDIT_PAGE, "results_list");
  for (int i = 0; (row = gtk_list_box_get_row_at_index (results, i)) != NULL; i++)
    if (g_str_equal (gtk_widget_get_name (GTK_WIDGET (row)), audited_id))
      break;
  g_assert_nonnull (row);
  g_assert_null (gtk_list_box_get_row_at_index (results, 2));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "audit-results.png");
  g_signal_emit_by_name (results, "row-activated", row);
  WAIT_UNTIL (g_strcmp0 (audit_state (page), "versions") == 0);
  g_assert_true (gtk_widget_get_visible (child (page, SP_TYPE_AUDIT_PAGE, "back_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "audit.back-to-results", NULL));
  g_assert_cmpstr (audit_state (page), ==, "results");

  search (page, "Nessuno-Così");
  g_assert_cmpstr (audit_state (page), ==, "none");

  search (page, audited_numero);
  g_assert_cmpstr (audit_state (page), ==, "versions");
  g_assert_false (gtk_widget_get_visible (child (page, SP_TYPE_AUDIT_PAGE, "back_button")));

  /* By UUID too. */
  search (page, audited_id);
  g_assert_cmpstr (audit_state (page), ==, "versions");
  close_window (GTK_WINDOW (window));
}

/* The versions table: its columns in Italian, the last two preselected, any two selectable. */
static void
test_versions (void)
{
  SpWindow *window;
  SpAuditPage *page;
  GtkColumnView *view;
  g_autofree char *titles = NULL;
  g_autofree char *text = NULL;
  guint from = 0;
  guint to = 0;

  if (skip_without_server ())
    return;

  window = open_signed_in_window (SP_TEST_AUDITOR);
  page = audit_page_of (window);
  search (page, audited_numero);
  g_assert_cmpstr (audit_state (page), ==, "versions");
  view = child (page, SP_TYPE_AUDIT_PAGE, "versions_view");

  titles = column_titles (view);
  g_assert_cmpstr (titles, ==, "Versione|Operazione|Stato|Utente e ruolo|Data e ora|Note");
  g_assert_cmpuint (g_list_model_get_n_items (sp_audit_page_get_versions (page)), ==, 4);
  sp_test_ui_spin (200);
  text = sp_test_ui_collect_text (GTK_WIDGET (view));
  g_assert_nonnull (strstr (text, "Presa in carico"));
  g_assert_nonnull (strstr (text, "Operatore di Prova (operatore)"));
  g_assert_nonnull (strstr (text, "Sistema (sistema)"));
  g_assert_nonnull (strstr (text, "In carico"));
  g_assert_nonnull (strstr (text, "Controllo dell'indirizzo"));   /* the note of v4 */

  /* The last and second-to-last, preselected. */
  g_assert_true (sp_audit_page_get_chosen (page, &from, &to));
  g_assert_cmpuint (from, ==, 3);
  g_assert_cmpuint (to, ==, 4);
  g_assert_true (gtk_check_button_get_active (version_check (page, 3)));
  g_assert_true (gtk_check_button_get_active (version_check (page, 4)));
  g_assert_false (gtk_check_button_get_active (version_check (page, 1)));
  g_assert_true (gtk_widget_is_sensitive (child (page, SP_TYPE_AUDIT_PAGE, "compare_button")));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "audit-versions.png");

  /* A third choice lets go of the first: 1 and 4. */
  gtk_check_button_set_active (version_check (page, 1), TRUE);
  g_assert_true (sp_audit_page_get_chosen (page, &from, &to));
  g_assert_cmpuint (from, ==, 1);
  g_assert_cmpuint (to, ==, 4);
  g_assert_false (gtk_check_button_get_active (version_check (page, 3)));

  /* One alone cannot be compared. */
  gtk_check_button_set_active (version_check (page, 4), FALSE);
  g_assert_false (sp_audit_page_get_chosen (page, &from, &to));
  g_assert_false (gtk_widget_is_sensitive (child (page, SP_TYPE_AUDIT_PAGE, "compare_button")));
  gtk_check_button_set_active (version_check (page, 2), TRUE);
  g_assert_true (sp_audit_page_get_chosen (page, &from, &to));
  g_assert_cmpuint (from, ==, 1);
  g_assert_cmpuint (to, ==, 2);
  close_window (GTK_WINDOW (window));
}

/* The new value of the field at @path, as the window shows it. */
static const char *
new_text_of (SpCompareWindow *compare,
             const char      *path)
{
  GListModel *shown = sp_compare_window_get_shown (compare);

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(SpFieldChange) field = g_list_model_get_item (shown, i);

      if (g_str_equal (sp_field_change_get_path (field), path))
        return sp_field_change_get_new_text (field);   /* the comparison keeps the field */
    }
  g_error ("No field %s in the comparison", path);
}

/* Compara versioni: the four colours with their words, the arrows, the filter. */
static void
test_compare (void)
{
  SpWindow *window;
  SpAuditPage *page;
  SpCompareWindow *compare;
  GtkColumnView *view;
  GListModel *shown;
  const guint *counts;
  g_autofree char *titles = NULL;
  g_autofree char *text = NULL;
  g_autofree char *placeholder = NULL;
  guint from = 0;
  guint to = 0;

  if (skip_without_server ())
    return;

  window = open_signed_in_window (SP_TEST_AUDITOR);
  page = audit_page_of (window);
  search (page, audited_numero);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "audit.compare", NULL));
  compare = SP_COMPARE_WINDOW (sp_audit_page_get_compare_window (page));
  g_assert_nonnull (compare);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (compare)));
  wait_compared (compare);

  /* v3 → v4: every kind of change. */
  sp_compare_window_get_sides (compare, &from, &to);
  g_assert_cmpuint (from, ==, 3);
  g_assert_cmpuint (to, ==, 4);
  counts = sp_compare_window_get_counts (compare);
  g_assert_cmpuint (counts[SP_AUDIT_CHANGE_ADDED], >=, 1);
  g_assert_cmpuint (counts[SP_AUDIT_CHANGE_CHANGED], >=, 1);
  g_assert_cmpuint (counts[SP_AUDIT_CHANGE_REMOVED], >=, 1);
  g_assert_cmpuint (counts[SP_AUDIT_CHANGE_UNCHANGED], >=, 1);

  view = child (compare, SP_TYPE_COMPARE_WINDOW, "fields_view");
  titles = column_titles (view);
  g_test_message ("Columns: %s", titles);
  g_assert_true (g_str_has_prefix (titles, "Modifica|Campo|Vecchio valore · Operatore di Prova · "));
  g_assert_nonnull (strstr (titles, "|Nuovo valore · Operatore di Prova · "));
  sp_test_ui_spin (300);
  for (SpAuditChange change = 0; change < SP_AUDIT_N_CHANGES; change++)
    g_assert_true (has_class_shown (GTK_WIDGET (view), sp_audit_change_css_class (change)));
  text = sp_test_ui_collect_text (GTK_WIDGET (view));
  g_assert_nonnull (strstr (text, "Aggiunto"));
  g_assert_nonnull (strstr (text, "Modificato"));
  g_assert_nonnull (strstr (text, "Rimosso"));
  g_assert_nonnull (strstr (text, "Invariato"));
  g_assert_nonnull (strstr (text, "Cambio di residenza"));
  g_assert_nonnull (strstr (text, "00100"));
  g_assert_nonnull (strstr (text, "—"));
  /* Numbers as the snapshot stores them, in Italian: not 1.234,5 nor -1. */
  g_assert_cmpstr (new_text_of (compare, "data.importo"), ==, "1.234,50");
  g_assert_cmpstr (new_text_of (compare, "data.protocollo_esterno"), ==, "100000000000000000000");
  g_clear_pointer (&text, g_free);
  text = sp_test_ui_collect_text (child (compare, SP_TYPE_COMPARE_WINDOW, "legend"));
  g_assert_nonnull (strstr (text, "Aggiunto"));
  g_assert_nonnull (strstr (text, "Invariato"));
  g_assert_cmpstr (gtk_editable_get_text (child (compare, SP_TYPE_COMPARE_WINDOW, "filter_entry")), ==, "");
  g_object_get (child (compare, SP_TYPE_COMPARE_WINDOW, "filter_entry"), "placeholder-text", &placeholder, NULL);
  g_assert_cmpstr (placeholder, ==, "Scrivi qui per filtrare");
  sp_test_ui_save_screenshot (GTK_WIDGET (compare), "compare-v3-v4.png");

  /* The arrows: the new side is the newest, the old one can go back. */
  g_assert_false (action_enabled (GTK_WIDGET (compare), "new_newer_button"));
  g_assert_true (action_enabled (GTK_WIDGET (compare), "new_older_button"));
  g_assert_true (action_enabled (GTK_WIDGET (compare), "old_older_button"));
  g_assert_true (action_enabled (GTK_WIDGET (compare), "old_newer_button"));
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compare), "compare.old-older", NULL));
      wait_compared (compare);
    }
  sp_compare_window_get_sides (compare, &from, &to);
  g_assert_cmpuint (from, ==, 1);
  g_assert_cmpuint (to, ==, 4);
  g_assert_false (action_enabled (GTK_WIDGET (compare), "old_older_button"));
  /* v1 → v4: the assignee added, the status changed. */
  g_assert_cmpstr (gtk_label_get_text (child (compare, SP_TYPE_COMPARE_WINDOW, "old_title")), ==,
                   "Vecchio valore · versione 1 di 4");
  g_assert_nonnull (strstr (gtk_label_get_text (child (compare, SP_TYPE_COMPARE_WINDOW, "old_subtitle")),
                            "Sistema (sistema)"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compare), "compare.new-older", NULL));
  wait_compared (compare);
  sp_compare_window_get_sides (compare, &from, &to);
  g_assert_cmpuint (to, ==, 3);
  g_assert_true (action_enabled (GTK_WIDGET (compare), "new_newer_button"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compare), "compare.new-newer", NULL));
  wait_compared (compare);
  sp_compare_window_get_sides (compare, &from, &to);
  g_assert_cmpuint (to, ==, 4);
  g_assert_false (action_enabled (GTK_WIDGET (compare), "new_newer_button"));
  sp_test_ui_save_screenshot (GTK_WIDGET (compare), "compare-v1-v4.png");

  /* "Scrivi qui per filtrare", over every column: a label, a value, a change's word. */
  shown = sp_compare_window_get_shown (compare);
  gtk_editable_set_text (child (compare, SP_TYPE_COMPARE_WINDOW, "filter_entry"), "cap");
  WAIT_UNTIL (g_list_model_get_n_items (shown) == 1);
  gtk_editable_set_text (child (compare, SP_TYPE_COMPARE_WINDOW, "filter_entry"), "cambio di res");
  WAIT_UNTIL (g_list_model_get_n_items (shown) == 1);
  gtk_editable_set_text (child (compare, SP_TYPE_COMPARE_WINDOW, "filter_entry"), "rimosso");
  WAIT_UNTIL (g_list_model_get_n_items (shown) == sp_compare_window_get_counts (compare)[SP_AUDIT_CHANGE_REMOVED]);
  gtk_editable_set_text (child (compare, SP_TYPE_COMPARE_WINDOW, "filter_entry"), "zzz-nulla");
  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (child (compare, SP_TYPE_COMPARE_WINDOW, "stack")),
                         "no-match") == 0);
  gtk_editable_set_text (child (compare, SP_TYPE_COMPARE_WINDOW, "filter_entry"), "");
  WAIT_UNTIL (g_list_model_get_n_items (shown) > 4);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (compare, SP_TYPE_COMPARE_WINDOW, "stack")), ==, "content");

  /* Dark: the same four colours, from libadwaita's named colours. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_editable_set_text (child (compare, SP_TYPE_COMPARE_WINDOW, "filter_entry"), "");
  sp_test_ui_save_screenshot (GTK_WIDGET (compare), "compare-v1-v4-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  close_window (GTK_WINDOW (compare));
  close_window (GTK_WINDOW (window));
}

/* 10,000 fields: shown at once, never one widget per row, filtered as one types. */
static void
test_ten_thousand (void)
{
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(SpValueFormat) format = sp_value_format_new (NULL);
  SpVersionComparison *comparison;
  SpCompareWindow *compare;
  GListModel *shown;
  GtkEditable *entry;
  const char *typed[] = { "c", "ca", "cam", "camp", "campo", "campo 9", "campo 99", "campo 999", "campo 9999" };
  gint64 start;
  gint64 slowest = 0;
  guint n_labels;

  if (!have_display)
    {
      g_test_skip ("No display: run under Xvfb");
      return;
    }

  g_string_append (json, "{\"from\": {\"version\": 1, \"user\": \"Sistema\", \"role\": \"sistema\","
                         " \"at\": \"2026-03-01T09:00:00+00:00\", \"operation\": \"Protocollazione\"},"
                         " \"to\": {\"version\": 2, \"user\": \"Mario Rossi\", \"role\": \"operatore\","
                         " \"at\": \"2026-03-02T10:00:00+00:00\", \"operation\": \"Salvataggio\"}, \"fields\": [");
  for (guint i = 0; i < 10000; i++)
    {
      static const char *changes[] = { "unchanged", "added", "changed", "removed" };
      const char *change = changes[i % 4];

      g_string_append_printf (json, "%s{\"path\": \"data.gruppo%u.campo%u\", \"labels\": [\"Gruppo %u\", \"Campo %u\"],"
                                    " \"old\": %s, \"new\": %s, \"change\": \"%s\"}",
                              i > 0 ? "," : "", i / 100, i, i / 100, i,
                              i % 4 == 1 ? "null" : "\"valore vecchio\"",
                              i % 4 == 3 ? "null" : (i % 4 == 0 ? "\"valore vecchio\"" : "\"valore nuovo\""),
                              change);
    }
  g_string_append (json, "]}");
  object = sp_json_parse_object (json->str, json->len, &error);
  g_assert_no_error (error);
  comparison = sp_version_comparison_from_json (object, format, &error);
  g_assert_no_error (error);

  compare = sp_compare_window_new (NULL, NULL, NULL, 1, 2);
  sp_compare_window_set_comparison (compare, comparison);
  start = g_get_monotonic_time ();
  gtk_window_present (GTK_WINDOW (compare));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (compare)));
  sp_test_ui_spin (200);
  g_test_message ("10,000 fields on screen in %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  shown = sp_compare_window_get_shown (compare);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 10000);
  /* Rows are recycled: GTK 4.8 keeps about 200 of them (5 labels each),
   * however many fields; one widget per field would be 50,000 labels. */
  n_labels = count_type (child (compare, SP_TYPE_COMPARE_WINDOW, "fields_view"), GTK_TYPE_LABEL);
  g_test_message ("Labels in the table of 10,000 fields: %u", n_labels);
  g_assert_cmpuint (n_labels, <, 2500);
  sp_test_ui_save_screenshot (GTK_WIDGET (compare), "compare-10000.png");

  /* Typed a key at a time; each keystroke's filter is timed to its end. */
  entry = child (compare, SP_TYPE_COMPARE_WINDOW, "filter_entry");
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      gint64 elapsed;

      start = g_get_monotonic_time ();
      gtk_editable_set_text (entry, typed[i]);
      g_signal_emit_by_name (entry, "search-changed");
      WAIT_UNTIL (gtk_filter_list_model_get_pending (GTK_FILTER_LIST_MODEL (shown)) == 0);
      elapsed = g_get_monotonic_time () - start;
      slowest = MAX (slowest, elapsed);
    }
  g_test_message ("Slowest keystroke over 10,000 fields: %" G_GINT64_FORMAT " ms", slowest / 1000);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 1);
  sp_test_ui_save_screenshot (GTK_WIDGET (compare), "compare-10000-filtered.png");

  gtk_editable_set_text (entry, "rimosso");
  g_signal_emit_by_name (entry, "search-changed");
  WAIT_UNTIL (gtk_filter_list_model_get_pending (GTK_FILTER_LIST_MODEL (shown)) == 0
              && g_list_model_get_n_items (shown) == 2500);

  close_window (GTK_WINDOW (compare));
}

/* Fixtures */

/* Whether @path holds a whole PDF, then read into @contents. */
static gboolean
pdf_complete (const char  *path,
              char       **contents,
              gsize       *length)
{
  g_clear_pointer (contents, g_free);
  return g_file_get_contents (path, contents, length, NULL) && *length > 1000
         && g_str_has_prefix (*contents, "%PDF-") && g_strstr_len (*contents + *length - 32, 32, "%%EOF") != NULL;
}

/* Saves the comparison through the file chooser, as @name in @dir. */
static char *
export_through_chooser (SpCompareWindow *compare,
                        const char      *action,
                        const char      *dir,
                        const char      *proposed_suffix)
{
  GtkFileChooser *chooser = NULL;
  g_autofree char *name = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (compare), action, NULL));
  WAIT_UNTIL ((chooser = sp_test_ui_find_file_chooser ()) != NULL);
  name = g_strdup (gtk_file_chooser_get_current_name (chooser));
  g_assert_true (g_str_has_prefix (name, "confronto-"));
  g_assert_true (g_str_has_suffix (name, proposed_suffix));
  sp_test_ui_assert_chooser_folder (chooser, dir);
  sp_test_ui_click_button (chooser, "_Salva");
  return g_build_filename (dir, name, NULL);
}

/* Esporta: the rows shown as CSV, the whole comparison as the server's PDF. */
static void
test_export (void)
{
  SpWindow *window;
  SpAuditPage *page;
  SpCompareWindow *compare;
  g_autofree char *dir = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *pdf_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  if (skip_without_server ())
    return;

  dir = g_build_filename (xdg_dir, "Documenti", NULL);
  sp_test_ui_set_documents_folder (dir, TRUE);
  window = open_signed_in_window (SP_TEST_AUDITOR);
  page = audit_page_of (window);
  search (page, audited_numero);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "audit.compare", NULL));
  compare = SP_COMPARE_WINDOW (sp_audit_page_get_compare_window (page));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (compare)));
  wait_compared (compare);

  /* CSV of the rows the filter shows: the header names both versions. */
  gtk_editable_set_text (child (compare, SP_TYPE_COMPARE_WINDOW, "filter_entry"), "residenza");
  WAIT_UNTIL (g_list_model_get_n_items (sp_compare_window_get_shown (compare)) == 1);   /* the motivo */
  csv_path = export_through_chooser (compare, "compare.export-csv", dir, "-v3-v4.csv");
  WAIT_UNTIL (g_file_test (csv_path, G_FILE_TEST_EXISTS) && sp_test_ui_find_file_chooser () == NULL);
  sp_test_ui_spin (200);
  g_assert_true (g_file_get_contents (csv_path, &contents, &length, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF" "Campo;Percorso;Modifica;Vecchio valore (versione 3, "
                                             "Operatore di Prova (operatore), "));
  expected = g_strdup_printf ("Motivo della richiesta;data.motivo;Modificato;Residenza;Cambio di residenza\r\n");
  g_assert_nonnull (strstr (contents, expected));
  g_assert_null (strstr (contents, "data.indirizzo.cap"));   /* filtered out */
  g_assert_true (g_str_has_suffix (contents, "\r\n"));
  sp_test_ui_save_screenshot (GTK_WIDGET (compare), "compare-exported-csv.png");

  /* PDF: the server's, whole. */
  gtk_editable_set_text (child (compare, SP_TYPE_COMPARE_WINDOW, "filter_entry"), "");
  pdf_path = export_through_chooser (compare, "compare.export-pdf", dir, "-v3-v4.pdf");
  WAIT_UNTIL (g_file_test (pdf_path, G_FILE_TEST_EXISTS) && sp_test_ui_find_file_chooser () == NULL);
  g_clear_pointer (&contents, g_free);
  WAIT_UNTIL (pdf_complete (pdf_path, &contents, &length));
  pdf = g_bytes_new_take (g_steal_pointer (&contents), length);
  text = sp_test_pdf_text (pdf);
  g_assert_nonnull (strstr (text, "Confronto delle versioni"));
  g_assert_nonnull (strstr (text, "Cambio di residenza"));
  g_assert_nonnull (strstr (text, "CAP"));
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM audit_read WHERE pratica_id = $1::uuid"
                                         " AND action = 'compare' AND detail ->> 'format' = 'pdf'",
                                   SP_TEST_PG_ARGS (audited_id)), ==, 1);
  close_window (GTK_WINDOW (compare));
  close_window (GTK_WINDOW (window));
}

static void
tamper_version (const char *sql)
{
  sp_test_pg_command (conn, "ALTER TABLE version DISABLE TRIGGER version_append_only", 0, NULL);
  sp_test_pg_command (conn, sql, SP_TEST_PG_ARGS (audited_id));
  sp_test_pg_command (conn, "ALTER TABLE version ENABLE TRIGGER version_append_only", 0, NULL);
}

static GtkWidget *
chain_box (SpAuditPage *page)
{
  return child (child (page, SP_TYPE_AUDIT_PAGE, "chain_result"), SP_TYPE_CHAIN_RESULT, "box");
}

static const char *
check_chain (SpAuditPage *page)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "audit.check-chain", NULL));
  WAIT_UNTIL (gtk_widget_is_sensitive (child (page, SP_TYPE_AUDIT_PAGE, "chain_button")));
  return sp_audit_page_get_chain_result (page);
}

/* Verifica catena: intact, then broken by a rewritten snapshot and named;
 * Registro accessi: every read of the pratica, this session's included. */
static void
test_chain_and_log (void)
{
  SpWindow *window;
  SpAuditPage *page;
  GtkWidget *log;
  g_autofree char *text = NULL;

  if (skip_without_server ())
    return;

  window = open_signed_in_window (SP_TEST_AUDITOR);
  page = audit_page_of (window);
  search (page, audited_numero);
  g_assert_cmpstr (audit_state (page), ==, "versions");
  g_assert_null (sp_audit_page_get_chain_result (page));

  g_assert_cmpstr (check_chain (page), ==, "La catena di hash è integra: sono state verificate tutte le 4 versioni.");
  g_assert_true (gtk_widget_has_css_class (chain_box (page), "sp-chain-intact"));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "audit-chain-intact.png");

  tamper_version ("UPDATE version SET snapshot = jsonb_set (snapshot::jsonb, '{data,motivo}', '\"Altro\"')"
                  " WHERE pratica_id = $1::uuid AND number = 3");
  text = g_strdup (check_chain (page));
  g_assert_true (g_str_has_prefix (text, "La catena di hash è interrotta alla versione 3: il suo contenuto è stato"
                                         " modificato dopo la scrittura.\nHash registrato: "));
  g_assert_nonnull (strstr (text, "\nHash atteso: "));
  g_assert_true (gtk_widget_has_css_class (chain_box (page), "sp-chain-broken"));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "audit-chain-broken.png");
  tamper_version ("UPDATE version SET snapshot = jsonb_set (snapshot::jsonb, '{data,motivo}', '\"Residenza\"')"
                  " WHERE pratica_id = $1::uuid AND number = 3");
  g_assert_cmpstr (check_chain (page), ==, "La catena di hash è integra: sono state verificate tutte le 4 versioni.");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "audit.show-log", NULL));
  log = GTK_WIDGET (sp_audit_page_get_log_window (page));
  g_assert_nonnull (log);
  WAIT_UNTIL (!sp_audit_log_window_get_loading (SP_AUDIT_LOG_WINDOW (log)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (log, SP_TYPE_AUDIT_LOG_WINDOW, "stack")), ==, "reads");
  g_assert_cmpuint (sp_audit_log_window_get_n_reads (SP_AUDIT_LOG_WINDOW (log)), >=, 5);
  sp_test_ui_spin (100);
  g_clear_pointer (&text, g_free);
  text = sp_test_ui_collect_text (log);
  g_assert_nonnull (strstr (text, "Ha letto questo registro"));
  g_assert_nonnull (strstr (text, "Ha verificato la catena di hash: integra (4 versioni)"));
  g_assert_nonnull (strstr (text, "Ha verificato la catena di hash: interrotta alla versione 3"));
  g_assert_nonnull (strstr (text, "Ha consultato l'elenco delle versioni"));
  g_assert_nonnull (strstr (text, "(" SP_TEST_AUDITOR ") · "));
  sp_test_ui_save_screenshot (log, "audit-log.png");

  /* F5 reads it again: one more read of the log, on top. */
  g_assert_true (gtk_widget_activate_action (log, "log.reload", NULL));
  WAIT_UNTIL (!sp_audit_log_window_get_loading (SP_AUDIT_LOG_WINDOW (log)));
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM audit_read WHERE pratica_id = $1::uuid"
                                         " AND action = 'reads'", SP_TEST_PG_ARGS (audited_id)), ==, 2);
  close_window (GTK_WINDOW (log));
  close_window (GTK_WINDOW (window));
}

static char *
insert_audited (const char *nome)
{
  SpTestPratica spec = {
    .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = 3000, .protocol_number = "2026/0009001",
    .nome = nome, .cognome = "Auditata", .codice_fiscale = "DTTLRA80A41H501X",
    .data = "{\"motivo\": \"Residenza\", \"indirizzo\": {\"via\": \"Via Roma 1\", \"cap\": \"\"},"
            " \"note\": \"da cancellare\"}",
  };

  return sp_test_pratica_insert (conn, &spec);
}

static void
insert_fixtures (void)
{
  g_autofree char *other = NULL;

  audited_id = insert_audited ("Laura");
  g_assert_cmpint (sp_test_version_append (conn, audited_id, "Protocollazione", "Sistema", "sistema"), ==, 1);
  sp_test_pg_command (conn, "UPDATE pratica SET status = 4000, assigned_to = (SELECT id FROM account WHERE username = $2)"
                            " WHERE id = $1::uuid", SP_TEST_PG_ARGS (audited_id, SP_TEST_OPERATOR));
  g_assert_cmpint (sp_test_version_append (conn, audited_id, "Presa in carico", "Operatore di Prova", "operatore"), ==, 2);
  sp_test_pg_command (conn, "UPDATE pratica SET data = jsonb_set (data, '{descrizione}', to_jsonb ($2::text))"
                            " WHERE id = $1::uuid", SP_TEST_PG_ARGS (audited_id, long_text));
  g_assert_cmpint (sp_test_version_append (conn, audited_id, "Salvataggio", "Operatore di Prova", "operatore"), ==, 3);
  sp_test_pg_command (conn, "UPDATE pratica SET data = jsonb_set (jsonb_set (data - 'note', '{indirizzo,cap}', '\"00100\"'),"
                            " '{motivo}', '\"Cambio di residenza\"')"
                            " || '{\"importo\": 1234.50, \"protocollo_esterno\": 100000000000000000000}'"
                            " WHERE id = $1::uuid", SP_TEST_PG_ARGS (audited_id));
  /* With the note the operator gave (versions are append-only). */
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT version_append ($1::uuid, 'Salvataggio', NULL, 'Operatore di Prova',"
                                         " 'operatore', 'Controllo dell''indirizzo')", SP_TEST_PG_ARGS (audited_id)),
                   ==, 4);
  audited_numero = sp_test_pg_value (conn, "SELECT numero FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (audited_id));

  other = insert_audited ("Marta");
  g_assert_cmpint (sp_test_version_append (conn, other, "Protocollazione", "Sistema", "sistema"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("LC_ALL", "it_IT.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");
  sp_application_init_i18n ();

  g_test_init (&argc, &argv, NULL);

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *config = NULL;

    xdg_dir = g_dir_make_tmp ("sp-audit-ui-XXXXXX", &error);
    g_assert_no_error (error);
    config = g_build_filename (xdg_dir, "config", NULL);
    g_assert_cmpint (g_mkdir (config, 0700), ==, 0);
    g_setenv ("XDG_CONFIG_HOME", config, TRUE);
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
        {
          conn = sp_test_pg_connect (env);
          insert_fixtures ();
        }
    }

  g_test_add_func ("/sportello/client/audit/roles", test_roles);
  g_test_add_func ("/sportello/client/audit/search", test_search);
  g_test_add_func ("/sportello/client/audit/versions", test_versions);
  g_test_add_func ("/sportello/client/audit/compare", test_compare);
  g_test_add_func ("/sportello/client/audit/ten-thousand-fields", test_ten_thousand);
  g_test_add_func ("/sportello/client/audit/export", test_export);
  g_test_add_func ("/sportello/client/audit/chain-and-log", test_chain_and_log);

  status = g_test_run ();

  if (conn != NULL)
    PQfinish (conn);
  if (env != NULL)
    sp_test_env_stop (env);
  g_clear_object (&application);
  g_spawn_sync (NULL, (char *[]) { (char *) "rm", (char *) "-rf", xdg_dir, NULL }, NULL, G_SPAWN_SEARCH_PATH,
                NULL, NULL, NULL, NULL, NULL, NULL);
  g_free (xdg_dir);
  g_free (audited_id);
  g_free (audited_numero);
  return status;
}
