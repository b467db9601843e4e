/* test-pratica-ui.c: the "Dettaglio pratica" page and the per-pratica client API, in Italian */
#define G_LOG_DOMAIN "test-pratica-ui"

#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "sp-api.h"
#include "sp-application.h"
#include "sp-client-pratica.h"
#include "sp-document-row.h"
#include "sp-error.h"
#include "sp-form-view.h"
#include "sp-form.h"
#include "sp-pratica-page.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pratiche.h"
#include "sp-test-ui.h"

/*
 * The real SpPraticaPage and SpClient against a real sportello-server
 * (tests/harness) whose database gets a few pratiche by SQL: one waiting for
 * its protocol number, one registered that the operator then takes, one
 * concluded with nested form groups, one of another ente. Run under Xvfb;
 * screenshots go to $SPORTELLO_SCREENSHOT_DIR.
 */


static SpTestEnv *env;
static gboolean have_display;

static SpTestPratiche *pratiche;

/* Helpers */

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

static const char *
page_state (SpPraticaPage *page)
{
  return gtk_stack_get_visible_child_name (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "stack"));
}

static const char *
page_label (SpPraticaPage *page,
            const char    *name)
{
  return gtk_label_get_text (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, name));
}

static GtkWindow *
open_page (SpClient       *client,
           const char     *pratica_id,
           int             height,
           SpPraticaPage **page_out)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  SpPraticaPage *page = sp_pratica_page_new (client, pratica_id);

  gtk_window_set_default_size (window, 1000, height);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  SP_TEST_UI_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (page)));
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (page_state (page), "loading") != 0);

  *page_out = page;
  return window;
}

static void
close_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  sp_test_ui_spin (50);
}

/* The row of a form field, by its path. */
static GtkWidget *
field_row (SpPraticaPage *page,
           const char    *path)
{
  GtkWidget *row = sp_test_ui_find_named (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "form_view"), path);

  if (row == NULL)
    g_error ("No row for the field %s", path);
  return row;
}

/* The value a row shows: its text, "Dato riservato", or "—". */
static const char *
row_value (GtkWidget *row)
{
  GtkWidget *value = sp_test_ui_find_named (row, "value");

  if (value == NULL)
    value = sp_test_ui_find_named (row, "masked-value");
  g_assert_nonnull (value);
  return gtk_label_get_text (GTK_LABEL (value));
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

static GtkWidget *
nth_row (GtkWidget *list,
         guint      n)
{
  GtkWidget *c = gtk_widget_get_first_child (list);

  while (c != NULL && n-- > 0)
    c = gtk_widget_get_next_sibling (c);
  g_assert_nonnull (c);
  return c;
}

static const char *
named_text (GtkWidget  *root,
            const char *name)
{
  GtkWidget *label = sp_test_ui_find_named (root, name);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

/* "Prendi in carico" in the header bar: shown, and whether it can be pressed. */
static gboolean
take_charge_shown (SpPraticaPage *page)
{
  return gtk_widget_get_visible (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "take_charge_button"));
}

static gboolean
take_charge_enabled (SpPraticaPage *page)
{
  return take_charge_shown (page)
         && gtk_widget_is_sensitive (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "take_charge_button"));
}

/* Tests: the form view alone */

static GPtrArray *
nested_fields (gboolean mask)
{
  g_autoptr(JsonNode) schema = json_from_string (sp_test_nested_schema, NULL);
  g_autofree char *data_text = g_strdup_printf ("{\"descrizione\": \"%s\", \"tecnico\": {\"nome\": \"Giulia Bianchi\","
                                                " \"codice_fiscale\": \"BNCGLI75C41F205X\", \"studio\": {\"sede\":"
                                                " {\"via\": \"Corso Italia 22\", \"comune\": \"Milano\"}}}}",
                                                sp_test_long_description);
  g_autoptr(JsonNode) data = json_from_string (data_text, NULL);
  g_autoptr(SpValueFormat) format = sp_value_format_new ("it_IT");

  g_assert_nonnull (schema);
  g_assert_nonnull (data);
  return sp_form_flatten (json_node_get_array (schema), json_node_get_object (data), mask, format);
}

static void
test_form_nested (void)
{
  g_autoptr(GPtrArray) fields = nested_fields (TRUE);
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  g_autoptr(GPtrArray) headings = g_ptr_array_new ();
  GtkWidget *scrolled;
  GtkWindow *window;
  GtkWidget *view;
  GtkWidget *row;
  GtkWidget *value;
  GtkWidget *label;
  int width;

  if (!have_display)
    {
      g_test_skip ("No display: run under Xvfb");
      return;
    }

  scrolled = gtk_scrolled_window_new ();
  window = GTK_WINDOW (gtk_window_new ());
  view = sp_form_view_new ();

  gtk_widget_set_margin_start (view, 12);
  gtk_widget_set_margin_end (view, 12);
  gtk_widget_set_margin_top (view, 12);
  gtk_widget_set_margin_bottom (view, 12);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_window_set_child (window, scrolled);
  gtk_window_set_default_size (window, 560, 1100);
  sp_form_view_set_fields (SP_FORM_VIEW (view), fields);
  gtk_window_present (window);
  SP_TEST_UI_WAIT_UNTIL (gtk_widget_get_mapped (view));
  sp_test_ui_spin (200);

  /* One untitled group for the fields outside groups, one per top-level group. */
  sp_test_ui_collect_type (view, ADW_TYPE_PREFERENCES_GROUP, groups);
  g_assert_cmpuint (groups->len, ==, 3);
  g_assert_cmpstr (adw_preferences_group_get_title (g_ptr_array_index (groups, 0)), ==, "");
  g_assert_cmpstr (adw_preferences_group_get_title (g_ptr_array_index (groups, 1)), ==, "Tecnico incaricato");
  g_assert_cmpstr (adw_preferences_group_get_title (g_ptr_array_index (groups, 2)), ==, "");

  /* Every nested group has its heading, its own label once: nothing repeats. */
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();

    sp_test_ui_collect_type (view, GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (labels, i)), "group-heading") == 0)
        g_ptr_array_add (headings, g_ptr_array_index (labels, i));
  }
  g_assert_cmpuint (headings->len, ==, 2);
  g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (headings, 0)), ==, "Studio");
  g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (headings, 1)), ==, "Sede");

  /* Nesting is visible: a nested group is a card inside its parent's card,
   * under its heading, each inset more than its parent's fields. */
  {
    GtkWidget *studio = sp_test_ui_find_named (view, "tecnico.studio");
    GtkWidget *sede = sp_test_ui_find_named (view, "tecnico.studio.sede");
    GtkWidget *tecnico_nome = sp_test_ui_find_named (view, "tecnico.nome");
    GtkWidget *denominazione = sp_test_ui_find_named (view, "tecnico.studio.denominazione");
    GtkWidget *via = sp_test_ui_find_named (view, "tecnico.studio.sede.via");
    graphene_rect_t outer;
    graphene_rect_t middle;
    graphene_rect_t inner;

    g_assert_true (GTK_IS_LIST_BOX_ROW (studio));
    g_assert_true (gtk_widget_is_ancestor (g_ptr_array_index (headings, 0), studio));
    g_assert_true (gtk_widget_is_ancestor (sede, studio));
    g_assert_true (gtk_widget_is_ancestor (g_ptr_array_index (headings, 1), sede));
    g_assert_true (gtk_widget_is_ancestor (via, sede));
    /* The heading comes first in its card, the group's fields below it. */
    g_assert_true (gtk_widget_get_first_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (studio)))
                   == g_ptr_array_index (headings, 0));

    g_assert_true (gtk_widget_compute_bounds (tecnico_nome, view, &outer));
    g_assert_true (gtk_widget_compute_bounds (denominazione, view, &middle));
    g_assert_true (gtk_widget_compute_bounds (via, view, &inner));
    g_assert_cmpfloat (middle.origin.x, >=, outer.origin.x + 18);
    g_assert_cmpfloat (inner.origin.x, >=, middle.origin.x + 18);

    /* The fields after a nested group go on in their own group's card:
     * no card without a heading. */
    g_assert_true (gtk_widget_get_parent (sp_test_ui_find_named (view, "tecnico.albo"))
                   == gtk_widget_get_parent (tecnico_nome));
    g_assert_true (gtk_widget_get_parent (sp_test_ui_find_named (view, "tecnico.studio.pec"))
                   == gtk_widget_get_parent (denominazione));
    g_assert_true (gtk_widget_get_parent (studio) == gtk_widget_get_parent (tecnico_nome));
  }

  /* One card per group: every list is either a top-level group's only one or
   * the one under a nested group's heading. */
  {
    g_autoptr(GPtrArray) all_lists = g_ptr_array_new ();
    g_autoptr(GPtrArray) lists = g_ptr_array_new ();

    /* (An AdwPreferencesGroup has a list of its own, hidden while empty.) */
    sp_test_ui_collect_type (view, GTK_TYPE_LIST_BOX, all_lists);
    for (guint i = 0; i < all_lists->len; i++)
      if (gtk_widget_get_visible (g_ptr_array_index (all_lists, i)))
        g_ptr_array_add (lists, g_ptr_array_index (all_lists, i));
    g_assert_cmpuint (lists->len, ==, 5);
    for (guint i = 0; i < lists->len; i++)
      {
        GtkWidget *list = g_ptr_array_index (lists, i);
        GtkWidget *previous = gtk_widget_get_prev_sibling (list);

        g_assert_true (previous == NULL
                       ? gtk_widget_get_next_sibling (list) == NULL
                       : g_strcmp0 (gtk_widget_get_name (previous), "group-heading") == 0);
      }
  }

  /* The deepest field. */
  row = sp_test_ui_find_named (view, "tecnico.studio.sede.via");
  g_assert_nonnull (row);
  g_assert_cmpstr (row_value (row), ==, "Corso Italia 22");

  /* Empty and masked values. */
  g_assert_cmpstr (row_value (sp_test_ui_find_named (view, "tecnico.studio.sede.cap")), ==, "—");
  g_assert_cmpstr (row_value (sp_test_ui_find_named (view, "asseverazione")), ==, "—");
  row = sp_test_ui_find_named (view, "tecnico.codice_fiscale");
  g_assert_cmpstr (row_value (row), ==, "Dato riservato");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (gtk_widget_get_parent (sp_test_ui_find_named (row, "masked-value"))),
                   ==, "Visibile solo all'operatore assegnato");

  /* The long value wraps within the window, on several lines, and can be selected. */
  row = sp_test_ui_find_named (view, "descrizione");
  value = sp_test_ui_find_named (row, "value");
  label = sp_test_ui_find_named (row, "label");
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (value)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (value)), ==, sp_test_long_description);
  width = gtk_widget_get_width (GTK_WIDGET (window));
  g_assert_cmpint (gtk_widget_get_width (value), <, width);
  g_assert_cmpint (gtk_widget_get_height (value), >,
                   4 * gtk_widget_get_height (sp_test_ui_find_named (sp_test_ui_find_named (view, "foglio"), "value")));

  /* The label column is as wide in every group. */
  g_assert_cmpint (gtk_widget_get_width (label), ==,
                   gtk_widget_get_width (sp_test_ui_find_named (sp_test_ui_find_named (view, "tecnico.studio.sede.via"),
                                                                "label")));

  /* As the user first sees it: no label selected by the initial focus. */
  gtk_window_set_focus (window, NULL);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "form-nested.png");

  /* Unmasked, the value is there. */
  g_ptr_array_unref (fields);
  fields = nested_fields (FALSE);
  sp_form_view_set_fields (SP_FORM_VIEW (view), fields);
  g_assert_cmpstr (row_value (sp_test_ui_find_named (view, "tecnico.codice_fiscale")), ==, "BNCGLI75C41F205X");

  close_window (window);
}

/* Tests: the page */

static void
test_waiting_protocol (void)
{
  g_autoptr(SpClient) client = NULL;
  g_autofree char *text = NULL;
  SpPraticaPage *page;
  GtkWindow *window;
  GtkWidget *iter_list;
  GtkWidget *modulo_list;
  GtkWidget *row;

  if (skip_without_server ())
    return;

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = open_page (client, pratiche->waiting_id, 900, &page);
  g_assert_cmpstr (page_state (page), ==, "content");
  g_assert_cmpstr (sp_pratica_page_get_pratica_id (page), ==, pratiche->waiting_id);
  g_assert_nonnull (sp_pratica_page_get_detail (page));

  /* The header. */
  g_assert_cmpstr (page_label (page, "title_label"), ==, "Pratica 2026-000123");
  g_assert_cmpstr (page_label (page, "status_label"), ==, "Acquisita");
  g_assert_true (gtk_widget_has_css_class (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "status_label"),
                                           "sp-status-pill"));
  g_assert_cmpstr (page_label (page, "servizio_label"), ==, "Certificato di residenza");
  g_assert_cmpstr (page_label (page, "applicant_label"), ==, "Rossi Mario");
  g_assert_cmpstr (page_label (page, "cf_label"), ==, "RSSMRA80A01H501U");
  g_assert_cmpstr (page_label (page, "submitted_label"), ==, "12/03/2026 09:41");
  g_assert_cmpstr (page_label (page, "assignee_label"), ==, "Nessuno");

  /* No "Elabora" while the pratica is not the operator's. */
  text = sp_test_ui_collect_text (GTK_WIDGET (page));
  g_assert_null (strstr (text, "Elabora"));

  /* The modulo with its buttons, no protocol number, the warning. */
  modulo_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "modulo_list");
  g_assert_cmpuint (count_rows (modulo_list), ==, 2);
  row = nth_row (modulo_list, 0);
  g_assert_true (SP_IS_DOCUMENT_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "modulo-2026-000123.pdf");
  g_assert_cmpstr (gtk_button_get_label (sp_test_ui_template_child (row, SP_TYPE_DOCUMENT_ROW, "save_button")),
                   ==, "_Scarica");
  g_assert_cmpstr (gtk_button_get_label (sp_test_ui_template_child (row, SP_TYPE_DOCUMENT_ROW, "open_button")),
                   ==, "_Apri");
  g_assert_cmpstr (row_value (nth_row (modulo_list, 1)), ==, "In attesa di protocollazione");
  g_assert_true (gtk_widget_get_visible (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "protocol_warning")));
  g_free (text);
  text = sp_test_ui_collect_text (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "protocol_warning"));
  g_assert_true (g_str_has_prefix (text, "In attesa di protocollazione\n"));

  /* "Prendi in carico" is there but waits for the number, and says so. */
  g_assert_true (take_charge_shown (page));
  g_assert_false (take_charge_enabled (page));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE,
                                                                           "take_charge_button")),
                   ==, "In attesa di protocollazione");
  gtk_widget_activate_action (GTK_WIDGET (page), "pratica.take-charge", NULL);
  sp_test_ui_spin (100);
  g_assert_null (sp_test_ui_find_message_dialog ());

  /* The iter: one step, with date, time and who. */
  iter_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "iter_list");
  g_assert_cmpuint (count_rows (iter_list), ==, 1);
  g_assert_cmpstr (named_text (nth_row (iter_list, 0), "status"), ==, "Acquisita");
  g_assert_cmpstr (named_text (nth_row (iter_list, 0), "date"), ==, "12/03/2026 09:41");
  g_assert_cmpstr (named_text (nth_row (iter_list, 0), "actor"), ==, "Rossi Mario");

  /* The form: the sensitive field is masked, the rest shown, empty as "—". */
  g_assert_cmpstr (row_value (field_row (page, "motivo")), ==, "Iscrizione del figlio alla scuola dell'infanzia");
  g_assert_cmpstr (row_value (field_row (page, "data_nascita")), ==, "Dato riservato");
  g_assert_cmpstr (row_value (field_row (page, "indirizzo.via")), ==, "Via Roma 1");
  g_assert_cmpstr (row_value (field_row (page, "indirizzo.cap")), ==, "—");

  /* Every document. */
  g_assert_cmpuint (count_rows (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "documents_list")), ==, 1);
  g_assert_false (gtk_widget_get_visible (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "outcome_group")));

  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-waiting.png");

  /* At the narrowest the window allows, nothing is cut. */
  gtk_window_set_default_size (window, 360, 900);
  sp_test_ui_spin (200);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 400);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-narrow.png");
  close_window (window);
}

static void
test_assigned (void)
{
  g_autoptr(SpClient) client = NULL;
  g_autofree char *text = NULL;
  SpPraticaPage *page;
  GtkWindow *window;
  GtkWidget *iter_list;
  GtkWidget *modulo_list;

  if (skip_without_server ())
    return;

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = open_page (client, pratiche->registered_id, 1500, &page);
  g_assert_cmpstr (page_state (page), ==, "content");

  /* Registered: the number and date, no warning; not assigned: masked. */
  g_assert_cmpstr (page_label (page, "status_label"), ==, "Protocollata");
  modulo_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "modulo_list");
  g_assert_cmpstr (row_value (nth_row (modulo_list, 1)), ==, "N. PG/2026/0000457 del 13/03/2026 10:02");
  g_assert_false (gtk_widget_get_visible (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "protocol_warning")));
  g_assert_cmpstr (row_value (field_row (page, "data_nascita")), ==, "Dato riservato");
  iter_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "iter_list");
  g_assert_cmpuint (count_rows (iter_list), ==, 2);
  g_assert_cmpstr (named_text (nth_row (iter_list, 1), "status"), ==, "Protocollata");
  g_assert_cmpstr (named_text (nth_row (iter_list, 1), "actor"), ==, "Protocollo interno");
  g_assert_cmpstr (named_text (nth_row (iter_list, 1), "note"), ==, "Protocollata con il numero PG/2026/0000457");

  /* Nobody's: no "Elabora". */
  g_assert_false (gtk_widget_get_visible (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "elabora_button")));

  /* The operator takes it (as the server would): F5 shows it unmasked. */
  g_free (sp_test_sql (env, "UPDATE pratica SET status = 4000,"
                            " assigned_to = (SELECT id FROM account WHERE username = '" SP_TEST_OPERATOR "')"
                            " WHERE id = '%s'", pratiche->registered_id));
  sp_test_iter_insert (env, pratiche->registered_id, 4000, 3000, "2026-03-16 11:20:00+01", "operator",
                       "Operatore di Prova", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "pratica.refresh", NULL));
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (page_label (page, "status_label"), "In carico") == 0);
  g_assert_cmpstr (page_state (page), ==, "content");

  /* A date field, in the ente's language (the data hold 1980-01-01). */
  g_assert_cmpstr (row_value (field_row (page, "data_nascita")), ==, "01/01/1980");
  g_assert_true (sp_pratica_page_get_detail (page)->assigned_to_me);
  g_assert_cmpstr (page_label (page, "assignee_label"), ==, "Operatore di Prova (tu)");
  iter_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "iter_list");
  g_assert_cmpuint (count_rows (iter_list), ==, 3);
  g_assert_cmpstr (named_text (nth_row (iter_list, 2), "status"), ==, "In carico");
  g_assert_cmpstr (named_text (nth_row (iter_list, 2), "date"), ==, "16/03/2026 11:20");
  g_assert_cmpstr (named_text (nth_row (iter_list, 2), "actor"), ==, "Operatore di Prova");
  g_assert_cmpuint (count_rows (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "documents_list")), ==, 2);

  /* The assigned operator may process it. */
  {
    GtkWidget *elabora = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "elabora_button");

    g_assert_true (gtk_widget_get_visible (elabora));
    g_assert_true (gtk_widget_is_sensitive (elabora));
  }

  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-assigned.png");
  close_window (window);
}

static void
test_concluded (void)
{
  g_autoptr(SpClient) client = NULL;
  SpPraticaPage *page;
  GtkWindow *window;
  GtkWidget *documents;
  GtkWidget *row;

  if (skip_without_server ())
    return;

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = open_page (client, pratiche->concluded_id, 2400, &page);
  g_assert_cmpstr (page_state (page), ==, "content");

  g_assert_cmpstr (page_label (page, "status_label"), ==, "Accettata");
  g_assert_true (gtk_widget_has_css_class (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "status_label"),
                                           "sp-status-accepted"));
  g_assert_cmpstr (page_label (page, "servizio_label"), ==, "SCIA edilizia");
  g_assert_cmpstr (page_label (page, "assignee_label"), ==, "Seconda Operatrice");
  g_assert_false (take_charge_shown (page));

  /* The outcome and its motivation. */
  g_assert_true (gtk_widget_get_visible (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "outcome_group")));
  g_assert_cmpstr (row_value (sp_test_ui_find_named (GTK_WIDGET (page), "outcome")), ==, "Accettata");
  g_assert_cmpstr (row_value (sp_test_ui_find_named (GTK_WIDGET (page), "motivation")), ==,
                   "Intervento conforme al regolamento edilizio comunale.");

  /* Nested three deep; a colleague's pratica: sensitive fields masked. */
  g_assert_cmpstr (row_value (field_row (page, "tecnico.studio.sede.comune")), ==, "Milano");
  g_assert_cmpstr (row_value (field_row (page, "tecnico.codice_fiscale")), ==, "Dato riservato");
  g_assert_cmpstr (row_value (field_row (page, "tecnico.studio.pec")), ==, "—");
  g_assert_cmpstr (row_value (field_row (page, "asseverazione")), ==, "Sì");
  g_assert_cmpstr (row_value (field_row (page, "descrizione")), ==, sp_test_long_description);

  /* The iter, with the kind of each actor. */
  g_assert_cmpuint (count_rows (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "iter_list")), ==, 4);

  /* The documents: kind, size, signer. */
  documents = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "documents_list");
  g_assert_cmpuint (count_rows (documents), ==, 2);
  row = nth_row (documents, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "risposta-2026-000125.pdf.p7m");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Risposta · "));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), " · firmato da Seconda Operatrice"));

  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-concluded.png");
  /* The whole page, beyond the height of the screen. */
  {
    GtkStack *stack = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "stack");
    GtkWidget *scrolled = gtk_stack_get_child_by_name (stack, "content");

    GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));

    sp_test_ui_save_screenshot (gtk_viewport_get_child (GTK_VIEWPORT (viewport)), "pratica-concluded-full.png");
  }
  close_window (window);
}

static void
back_cb (SpPraticaPage *page,
         gboolean      *emitted)
{
  *emitted = TRUE;
}

static void
test_not_found (void)
{
  g_autoptr(SpClient) client = NULL;
  const char *ids[] = { "00000000-0000-4000-8000-000000000000", NULL };
  gboolean back = FALSE;

  if (skip_without_server ())
    return;

  ids[1] = pratiche->elsewhere_id;
  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      SpPraticaPage *page;
      GtkWindow *window = open_page (client, ids[i], 700, &page);
      AdwStatusPage *error_page = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "error_page");

      g_assert_cmpstr (page_state (page), ==, "error");
      g_assert_cmpstr (adw_status_page_get_title (error_page), ==, "Pratica non trovata o non accessibile");
      g_assert_null (sp_pratica_page_get_detail (page));

      if (i == 0)
        {
          sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-not-found.png");

          /* "Riprova" loads again; the back button asks to leave. */
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "pratica.refresh", NULL));
          SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (page_state (page), "error") == 0);
          g_signal_connect (page, "back", G_CALLBACK (back_cb), &back);
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "pratica.back", NULL));
          g_assert_true (back);
        }
      close_window (window);
    }
}

/* Tests: the client API */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  GArray   *progress;       /* of goffset pairs: current, total */
  gboolean  cancel_at_first;
  GCancellable *cancellable;
} Call;

/* Forgets the outcome of the last call, for the next one. */
static void
call_reset (Call *call)
{
  g_clear_error (&call->error);
  g_clear_pointer (&call->progress, g_array_unref);
  g_clear_object (&call->cancellable);
  memset (call, 0, sizeof *call);
}

static void
progress_cb (goffset  current,
             goffset  total,
             gpointer user_data)
{
  Call *call = user_data;
  goffset pair[2] = { current, total };

  g_assert_false (call->done);
  g_array_append_vals (call->progress, pair, 2);
  if (call->cancel_at_first && current > 0)
    g_cancellable_cancel (call->cancellable);
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Call *call = user_data;

  call->ok = sp_client_download_document_finish (SP_CLIENT (object), result, &call->error);
  call->done = TRUE;
}

static void
download (SpClient   *client,
          const char *pratica_id,
          const char *document_id,
          GFile      *file,
          Call       *call)
{
  call->progress = g_array_new (FALSE, FALSE, sizeof (goffset));
  call->cancellable = g_cancellable_new ();
  sp_client_download_document_async (client, pratica_id, document_id, file, call->cancellable,
                                     progress_cb, call, download_cb, call);
  SP_TEST_UI_WAIT_UNTIL (call->done);
}

/* The progress reports: from 0 to @size, never backwards, @size as total. */
static void
assert_progress (Call    *call,
                 goffset  size,
                 guint    min_reports)
{
  const goffset *values = (const goffset *) call->progress->data;
  guint n = call->progress->len / 2;

  g_assert_cmpuint (n, >=, min_reports);
  g_assert_cmpint (values[0], ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (values[2 * i + 1], ==, size);
      if (i > 0)
        g_assert_cmpint (values[2 * i], >, values[2 * i - 2]);
    }
  g_assert_cmpint (values[2 * (n - 1)], ==, size);
}

/* A PDF, and not the stored one. */
static void
assert_masked_modulo (const char *contents,
                      gsize       length)
{
  gsize stored_length;
  const char *stored = g_bytes_get_data (pratiche->modulo_pdf, &stored_length);

  g_assert_cmpuint (length, >, 5);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_false (length == stored_length && memcmp (contents, stored, length) == 0);
}

static void
test_download (void)
{
  g_autoptr(SpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GFile) file = NULL;
  Call call = { 0 };
  gsize length = 0;

  if (skip_without_server ())
    return;

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  dir = g_dir_make_tmp ("sp-download-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "modulo.pdf", NULL);
  file = g_file_new_for_path (path);

  /* The modulo of a pratica that is not the operator's: drawn again with its
   * sensitive values masked (the server's one visibility rule), never the
   * stored bytes; progress from 0 to its size. */
  download (client, pratiche->waiting_id, pratiche->modulo_id, file, &call);
  g_assert_no_error (call.error);
  g_assert_true (call.ok);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  assert_masked_modulo (contents, length);
  assert_progress (&call, length, 2);
  call_reset (&call);
  g_clear_pointer (&contents, g_free);

  /* A large one: many reports; the file is what the database holds. */
  g_clear_pointer (&path, g_free);
  g_clear_object (&file);
  path = g_build_filename (dir, "planimetria catastale.pdf", NULL);
  file = g_file_new_for_path (path);
  expected = sp_test_sql (env, "SELECT encode (sha256 (lo_get (content_oid)), 'hex') || ' ' || length (lo_get (content_oid))"
                               " FROM document WHERE id = '%s'", pratiche->allegato_id);
  download (client, pratiche->registered_id, pratiche->allegato_id, file, &call);
  g_assert_no_error (call.error);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  {
    g_autofree char *sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
    g_autofree char *actual = g_strdup_printf ("%s %zu", sha256, length);

    g_assert_cmpstr (actual, ==, expected);
  }
  assert_progress (&call, length, 4);
  call_reset (&call);
  g_clear_pointer (&contents, g_free);

  /* A checksum that differs: an error, and no file left. */
  g_free (sp_test_sql (env, "UPDATE document SET sha256 = repeat ('0', 64) WHERE id = '%s'", pratiche->allegato_id));
  g_assert_true (g_file_delete (file, NULL, NULL));
  download (client, pratiche->registered_id, pratiche->allegato_id, file, &call);
  g_assert_error (call.error, SP_ERROR, SP_ERROR_INTERNAL);
  g_assert_cmpstr (call.error->message, ==,
                   "Il file scaricato è danneggiato: il suo checksum non corrisponde a quello del server. Riprova.");
  g_assert_false (g_file_query_exists (file, NULL));
  call_reset (&call);
  g_free (sp_test_sql (env, "UPDATE document SET sha256 = encode (sha256 (lo_get (content_oid)), 'hex') WHERE id = '%s'",
                       pratiche->allegato_id));

  /* Cancelled half-way: the partial file is deleted. */
  call.cancel_at_first = TRUE;
  download (client, pratiche->registered_id, pratiche->allegato_id, file, &call);
  g_assert_error (call.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_query_exists (file, NULL));
  call_reset (&call);

  /* A document of another pratica, or none: not found, nothing written. */
  download (client, pratiche->waiting_id, pratiche->allegato_id, file, &call);
  g_assert_error (call.error, SP_ERROR, SP_ERROR_NOT_FOUND);
  g_assert_false (g_file_query_exists (file, NULL));
  call_reset (&call);

  /* Through the row, as "Scarica" does once the file is chosen. */
  {
    g_autoptr(SpClient) row_client = g_object_ref (client);
    g_autoptr(GFile) saved = g_file_new_build_filename (dir, "salvato.pdf", NULL);
    SpDocumentInfo info = { (char *) pratiche->modulo_id, (char *) "modulo", (char *) "modulo-2026-000123.pdf",
                            (char *) "application/pdf", (gint64) g_bytes_get_size (pratiche->modulo_pdf), NULL, NULL, NULL };
    GtkWindow *window = GTK_WINDOW (gtk_window_new ());
    GtkWidget *list = gtk_list_box_new ();
    GtkWidget *row = sp_document_row_new (row_client, pratiche->waiting_id, &info, TRUE);
    GtkStack *stack = sp_test_ui_template_child (row, SP_TYPE_DOCUMENT_ROW, "stack");

    gtk_list_box_append (GTK_LIST_BOX (list), row);
    gtk_window_set_child (window, list);
    gtk_window_present (window);
    sp_document_row_save_to (SP_DOCUMENT_ROW (row), saved);
    g_assert_true (sp_document_row_is_downloading (SP_DOCUMENT_ROW (row)));
    g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "progress");
    SP_TEST_UI_WAIT_UNTIL (!sp_document_row_is_downloading (SP_DOCUMENT_ROW (row)));
    g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "buttons");
    g_assert_cmpfloat (gtk_progress_bar_get_fraction (sp_test_ui_template_child (row, SP_TYPE_DOCUMENT_ROW, "progress_bar")),
                       ==, 1.0);
    g_assert_true (g_file_load_contents (saved, NULL, &contents, &length, NULL, &error));
    g_assert_no_error (error);
    assert_masked_modulo (contents, length);
    g_assert_true (g_file_delete (saved, NULL, NULL));
    close_window (window);
  }

  {
    g_autofree char *first = g_build_filename (dir, "modulo.pdf", NULL);

    g_assert_cmpint (g_unlink (first), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
  }
}

/* "Apri" downloads into the session's private folder (below
 * $XDG_RUNTIME_DIR, set by main() for the test) and opens the file there. */
static char *
open_modulo (SpClient *client)
{
  SpDocumentInfo info = { (char *) pratiche->modulo_id, (char *) "modulo", (char *) "modulo-2026-000123.pdf",
                          (char *) "application/pdf", (gint64) g_bytes_get_size (pratiche->modulo_pdf), NULL, NULL, NULL };
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = sp_document_row_new (client, pratiche->waiting_id, &info, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  const char *dir;
  char *path;
  GStatBuf info_dir;

  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (window, list);
  gtk_window_present (window);
  g_assert_true (gtk_widget_activate_action (row, "document.open", NULL));
  g_assert_true (sp_document_row_is_downloading (SP_DOCUMENT_ROW (row)));
  SP_TEST_UI_WAIT_UNTIL (!sp_document_row_is_downloading (SP_DOCUMENT_ROW (row)));
  close_window (window);

  /* A folder of its own, only the user's, not in the cache. */
  dir = sp_client_get_private_dir (client, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (dir, g_get_user_runtime_dir ()));
  g_assert_cmpint (g_stat (dir, &info_dir), ==, 0);
  g_assert_cmpint (info_dir.st_mode & 0777, ==, 0700);
  path = g_build_filename (dir, pratiche->modulo_id, "modulo-2026-000123.pdf", NULL);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  return path;
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (sp_client_logout_finish (SP_CLIENT (object), result, NULL));
  *done = TRUE;
}

static void
test_open_private (void)
{
  g_autofree char *legacy = g_build_filename (g_get_user_cache_dir (), "sportello", "documents", "x", NULL);
  g_autofree char *legacy_file = g_build_filename (legacy, "modulo.pdf", NULL);
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  SpClient *client;
  gboolean done = FALSE;

  if (skip_without_server ())
    return;

  /* What an earlier version left in the cache. */
  g_assert_cmpint (g_mkdir_with_parents (legacy, 0700), ==, 0);
  g_assert_true (g_file_set_contents (legacy_file, "%PDF-", -1, NULL));

  /* Signing out deletes the folder and what it holds. */
  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  path = open_modulo (client);
  dir = g_path_get_dirname (path);
  sp_client_logout_async (client, NULL, logout_cb, &done);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (legacy_file, G_FILE_TEST_EXISTS));
  SP_TEST_UI_WAIT_UNTIL (done);
  /* Signed out, there is no folder to write to. */
  g_assert_null (sp_client_get_private_dir (client, NULL));
  g_assert_finalize_object (client);
  g_clear_pointer (&path, g_free);
  g_clear_pointer (&dir, g_free);

  /* So does the end of the app, which drops its client. */
  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  path = open_modulo (client);
  dir = g_path_get_dirname (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (client);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

static void
take_charge_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Call *call = user_data;

  call->ok = sp_client_take_charge_finish (SP_CLIENT (object), result, &call->error);
  call->done = TRUE;
}

static void
take_charge (SpClient   *client,
             const char *pratica_id,
             Call       *call)
{
  sp_client_take_charge_async (client, pratica_id, NULL, take_charge_cb, call);
  SP_TEST_UI_WAIT_UNTIL (call->done);
}

static void
test_take_charge (void)
{
  g_autoptr(SpClient) client = NULL;
  g_autoptr(SpClient) colleague = NULL;
  Call call = { 0 };

  if (skip_without_server ())
    return;

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  colleague = sp_test_ui_sign_in (env, SP_TEST_OPERATOR2, SP_TEST_PASSWORD);

  /* Waiting for the protocol number: refused. */
  take_charge (client, pratiche->waiting_id, &call);
  g_assert_error (call.error, SP_ERROR, SP_ERROR_CONFLICT);
  call_reset (&call);

  /* Free: taken; the colleague then learns by whom. */
  take_charge (client, pratiche->free_id, &call);
  g_assert_no_error (call.error);
  g_assert_true (call.ok);
  call_reset (&call);

  take_charge (colleague, pratiche->free_id, &call);
  g_assert_error (call.error, SP_ERROR, SP_ERROR_ALREADY_TAKEN);
  g_assert_cmpstr (call.error->message, ==, "La pratica è già stata presa in carico da Operatore di Prova.");
  call_reset (&call);

  /* Not visible: not found. */
  take_charge (client, pratiche->elsewhere_id, &call);
  g_assert_error (call.error, SP_ERROR, SP_ERROR_NOT_FOUND);
  call_reset (&call);
}

static void
colleague_take_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (sp_client_take_charge_finish (SP_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_take_charge_page (void)
{
  g_autoptr(SpClient) client = NULL;
  g_autoptr(SpClient) colleague = NULL;
  g_autofree char *assigned = NULL;
  AdwMessageDialog *dialog;
  SpPraticaPage *page;
  GtkWindow *window;
  GtkWidget *modulo_list;
  gboolean done = FALSE;

  if (skip_without_server ())
    return;

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);

  /* Its service needs no protocol: "Non richiesto", as in the dashboard,
   * and it can be taken at once. */
  window = open_page (client, pratiche->unprotocolled_id, 900, &page);
  g_assert_cmpstr (page_state (page), ==, "content");
  modulo_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "modulo_list");
  g_assert_cmpstr (row_value (nth_row (modulo_list, 1)), ==, "Non richiesto");
  g_assert_false (gtk_widget_get_visible (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "protocol_warning")));
  g_assert_true (take_charge_enabled (page));
  g_assert_cmpstr (gtk_button_get_label (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "take_charge_button")),
                   ==, "Prendi in carico");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-take-charge.png");

  /* It asks first, as the dashboard does; "Annulla" leaves it as it is. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "pratica.take-charge", NULL));
  SP_TEST_UI_WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Prendere in carico la pratica 2026-000127?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Rossi Mario (RSSMRA80A01H501U)"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Contributo libri di testo"));
  sp_test_ui_respond (dialog, "cancel");
  sp_test_ui_spin (200);
  g_assert_cmpstr (page_label (page, "assignee_label"), ==, "Nessuno");
  assigned = sp_test_sql (env, "SELECT assigned_to IS NULL FROM pratica WHERE id = '%s'", pratiche->unprotocolled_id);
  g_assert_cmpstr (assigned, ==, "t");
  g_clear_pointer (&assigned, g_free);

  /* "Sì, sono sicuro": it is the operator's, and the page shows it so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "pratica.take-charge", NULL));
  SP_TEST_UI_WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  sp_test_ui_respond (dialog, "take");
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (page_label (page, "status_label"), "In carico") == 0);
  g_assert_cmpstr (page_label (page, "assignee_label"), ==, "Operatore di Prova (tu)");
  g_assert_true (sp_pratica_page_get_detail (page)->assigned_to_me);
  g_assert_false (take_charge_shown (page));
  g_assert_null (sp_test_ui_find_message_dialog ());
  assigned = sp_test_sql (env, "SELECT a.username FROM pratica p JOIN account a ON a.id = p.assigned_to"
                               " WHERE p.id = '%s'", pratiche->unprotocolled_id);
  g_assert_cmpstr (assigned, ==, SP_TEST_OPERATOR);
  close_window (window);

  /* A colleague takes it while the page shows it free: the refusal says who,
   * and the page then shows the colleague. */
  window = open_page (client, pratiche->contested_id, 900, &page);
  g_assert_true (take_charge_enabled (page));
  colleague = sp_test_ui_sign_in (env, SP_TEST_OPERATOR2, SP_TEST_PASSWORD);
  sp_client_take_charge_async (colleague, pratiche->contested_id, NULL, colleague_take_cb, &done);
  SP_TEST_UI_WAIT_UNTIL (done);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "pratica.take-charge", NULL));
  SP_TEST_UI_WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  sp_test_ui_respond (dialog, "take");
  SP_TEST_UI_WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Impossibile prendere in carico la pratica 2026-000128");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "La pratica è già stata presa in carico da Seconda Operatrice.");
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (page_label (page, "assignee_label"), "Seconda Operatrice") == 0);
  g_assert_false (take_charge_shown (page));
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "dialog-take-charge-refused.png");
  sp_test_ui_respond (dialog, "close");
  close_window (window);
}

/* The register's row named @name, and the text of its pill named @pill. */
static const char *
register_pill (GtkWidget  *list,
               const char *name,
               const char *pill)
{
  GtkWidget *row = sp_test_ui_find_named (list, name);

  g_assert_nonnull (row);
  return named_text (row, pill);
}

static const char *
register_subtitle (GtkWidget  *list,
                   const char *name)
{
  GtkWidget *row = sp_test_ui_find_named (list, name);

  g_assert_true (ADW_IS_ACTION_ROW (row));
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

/* A pratica with rows of the internal register and entries a partner sent,
 * of every shape, one of them its main number: all listed, in order. */
static char *
insert_registered_by_partner (void)
{
  g_autofree char *version = NULL;
  g_autofree char *rows = NULL;
  char *id = sp_test_sql (env,
                          "INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
                          "   applicant_cognome, applicant_email, data, status, submitted_at, protocol_number,"
                          "   protocol_date, protocol_entries)"
                          " SELECT ente_id, servizio_id, '2026-000140', citizen_id, applicant_cf, applicant_nome,"
                          "   applicant_cognome, applicant_email, data, 3000, '2026-02-03 08:55:00+01', 'EDIL/2026/88',"
                          "   '2026-02-03 09:00:00+01', '[\"EDIL/2026/88\"]'"
                          " FROM pratica WHERE id = '%s' RETURNING id",
                          pratiche->concluded_id);

  version = sp_test_sql (env, "SELECT version_append ('%s', 'Invio', NULL, 'Partner di prova', 'partner', NULL,"
                              " '2026-02-03 09:00:00+01')", id);
  g_free (sp_test_sql (env, "UPDATE pratica SET protocol_entries = protocol_entries || $j$["
                            "{\"numero\": \"PG/2026/0000007\", \"data\": \"2026-03-05\"},"
                            " {\"numero\": \"PG/2026/0000009\", \"aoo\": \"AOO1\"}, 42,"
                            " {\"dettagli\": {\"aoo\": \"AOO1\", \"livelli\": [1, [2]]}}, true]$j$::jsonb"
                            " WHERE id = '%s' RETURNING id", id));
  g_free (version);
  version = sp_test_sql (env, "SELECT version_append ('%s', 'Protocolli', NULL, 'Partner di prova', 'partner', NULL,"
                              " '2026-03-05 10:12:00+01')", id);
  /* One more with no version that says who sent it. */
  g_free (sp_test_sql (env, "UPDATE pratica SET protocol_entries = protocol_entries || '[\"PG/2026/0000010\"]'"
                            " WHERE id = '%s' RETURNING id", id));
  rows = sp_test_sql (env, "INSERT INTO protocol_register (ente_id, year, number, direction, registered_at, pratica_id)"
                           " SELECT ente_id, 2026, n, d, t::timestamptz, id FROM pratica,"
                           " (VALUES (41, 'arrivo', '2026-02-03 09:01:00+01'), (42, 'risposta', '2026-02-20 11:05:00+01'))"
                           "   AS r (n, d, t)"
                           " WHERE id = '%s' RETURNING pratica_id", id);
  return id;
}

static void
test_protocol_register (void)
{
  g_autoptr(SpClient) client = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  static const char *const titles[] = {
    "N. 2026/0000041", "N. 2026/0000042", "N. EDIL/2026/88", "N. PG/2026/0000007", "N. PG/2026/0000009",
    "42", "{\"dettagli\": {\"aoo\": \"AOO1\", \"livelli\": [1, [2]]}}", "true", "N. PG/2026/0000010",
  };
  SpPraticaPage *page;
  GtkWindow *window;
  GtkWidget *list;
  GtkWidget *content;
  GtkAdjustment *adjustment;
  double y = 0;

  if (skip_without_server ())
    return;

  id = insert_registered_by_partner ();
  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = GTK_WINDOW (gtk_window_new ());
  page = sp_pratica_page_new (client, id);
  gtk_window_set_default_size (window, 1100, 760);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  SP_TEST_UI_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (page)));
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (page_state (page), "loading") != 0);
  g_assert_cmpstr (page_state (page), ==, "content");

  /* Every registration, the register's first, then the partner's in order. */
  list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "protocols_list");
  sp_test_ui_collect_type (list, ADW_TYPE_ACTION_ROW, rows);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (titles));
  for (guint i = 0; i < MIN (rows->len, G_N_ELEMENTS (titles)); i++)
    g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), ==, titles[i]);
  g_assert_null (sp_test_ui_find_named (list, "no-protocols"));
  g_assert_null (sp_test_ui_find_named (list, "main-only"));

  /* The register's: date, time and direction. */
  g_assert_cmpstr (register_subtitle (list, "2026/0000041"), ==, "03/02/2026 09:01 · Registro interno");
  g_assert_cmpstr (register_pill (list, "2026/0000041", "direction"), ==, "Arrivo");
  g_assert_cmpstr (register_pill (list, "2026/0000042", "direction"), ==, "Risposta");
  g_assert_null (sp_test_ui_find_named (sp_test_ui_find_named (list, "2026/0000041"), "main"));

  /* The partner's: who sent it, its date or when it came, the main number. */
  g_assert_cmpstr (register_pill (list, "EDIL/2026/88", "main"), ==, "Principale");
  g_assert_cmpstr (register_pill (list, "EDIL/2026/88", "origin"), ==, "Esterno");
  g_assert_cmpstr (register_subtitle (list, "EDIL/2026/88"), ==,
                   "Ricevuto il 03/02/2026 09:00 · Registrato dal partner Partner di prova");
  g_assert_cmpstr (register_subtitle (list, "PG/2026/0000007"), ==,
                   "Data 05/03/2026 · Registrato dal partner Partner di prova");
  g_assert_null (sp_test_ui_find_named (sp_test_ui_find_named (list, "PG/2026/0000007"), "main"));
  g_assert_cmpstr (register_subtitle (list, "PG/2026/0000009"), ==,
                   "Ricevuto il 05/03/2026 10:12 · Registrato dal partner Partner di prova\n"
                   "Come inviato: {\"aoo\": \"AOO1\", \"numero\": \"PG/2026/0000009\"}");
  /* What has no number is shown as sent, said to be unrecognised. */
  g_assert_cmpstr (register_subtitle (list, "external-5"), ==,
                   "Voce in un formato non riconosciuto · Ricevuto il 05/03/2026 10:12"
                   " · Registrato dal partner Partner di prova");
  g_assert_cmpstr (register_pill (list, "external-7", "origin"), ==, "Esterno");
  g_assert_cmpstr (register_subtitle (list, "PG/2026/0000010"), ==, "Protocollo esterno");

  /* The register in view, at the app's default size, once laid out. */
  content = gtk_widget_get_ancestor (list, GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (content));
  SP_TEST_UI_WAIT_UNTIL (gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment));
  g_assert_true (gtk_widget_translate_coordinates (list, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (content)),
                                                   0, 0, NULL, &y));
  gtk_adjustment_set_value (adjustment, y - 90);
  sp_test_ui_spin (100);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-register.png");
  close_window (window);

  /* A main number no registration carries is listed all the same. */
  window = open_page (client, pratiche->registered_id, 760, &page);
  list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "protocols_list");
  g_assert_null (sp_test_ui_find_named (list, "no-protocols"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (sp_test_ui_find_named (list, "main-only"))),
                   ==, "N. PG/2026/0000457");
  g_assert_cmpstr (register_pill (list, "main-only", "main"), ==, "Principale");
  close_window (window);
}

/* Tests: what others do shows by itself */

/* A partner's system concludes a pratica while the operator looks at it: the
 * page shows the new status, the partner's step in the iter and the
 * response, without F5 (the pratica-refresh-seconds setting). */
static void
test_live_partner_change (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SpClient) client = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(SpTestResponse) response = NULL;
  g_autofree char *id = NULL;
  g_autofree char *pair = NULL;
  g_autofree char *basic = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *text = NULL;
  SpPraticaPage *page;
  GtkWindow *window;
  GtkWidget *iter_list;
  g_autofree char *iter_before = NULL;

  if (skip_without_server ())
    return;

  id = sp_test_sql (env,
                    "INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
                    "                     applicant_cognome, applicant_email, data, status, submitted_at,"
                    "                     protocol_number, protocol_date, partner_id, external_id)"
                    " SELECT s.ente_id, s.id, '2026-000190', c.id, c.codice_fiscale, c.nome, c.cognome, c.email,"
                    "        '{}'::jsonb, 4000, '2026-03-12 09:41+01', 'SUE/2026/0000190', '2026-03-12 10:00+01',"
                    "        (SELECT id FROM partner WHERE slug = '" SP_TEST_PARTNER "'), 'LIVE-190'"
                    " FROM servizio s JOIN ente e ON e.id = s.ente_id,"
                    "      (SELECT * FROM citizen ORDER BY id LIMIT 1) c"
                    " WHERE e.code = '" SP_TEST_ENTE "' AND s.slug = '" SP_TEST_SERVIZIO_EXTERNAL "'"
                    " RETURNING id");
  g_assert_nonnull (id);

  g_settings_set_int (settings, "pratica-refresh-seconds", 1);
  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = open_page (client, id, 900, &page);
  g_assert_cmpstr (page_label (page, "status_label"), ==, sp_status_get_label (SP_STATUS_PENDING));
  iter_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "iter_list");
  iter_before = sp_test_ui_collect_text (iter_list);

  /* The partner's system says accettata, over its own API. */
  message = sp_test_message_new (env, "POST", SP_API_PREFIX "/" SP_TEST_PARTNER "/pratica/LIVE-190/status", NULL,
                                 "application/json",
                                 "{\"evento\": \"accettata\", \"operatore\": \"Mario Bianchi\","
                                 " \"responsabile\": \"Anna Verdi\", \"struttura\": \"SUE\","
                                 " \"timestamp\": \"2026-03-20T10:15:00+01:00\","
                                 " \"note\": \"Conforme al regolamento edilizio.\"}", -1);
  pair = g_strdup_printf ("%s:%s", SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  basic = g_strdup_printf ("Basic %s", encoded);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", basic);
  response = sp_test_send (sp_test_env_get_session (env), message);
  g_assert_cmpuint (response->status, ==, 204);

  /* No F5: the page finds out by itself, within a few seconds (6000: the
   * response waits for the partner's protocol number). */
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (page_label (page, "status_label"), sp_status_get_label (SP_STATUS_COMPLETE_WAITING)) == 0);
  text = sp_test_ui_collect_text (iter_list);
  g_assert_cmpstr (iter_before, !=, text);
  g_assert_nonnull (strstr (text, "Partner di prova (operatore Mario Bianchi"));
  g_free (text);
  text = sp_test_ui_collect_text (GTK_WIDGET (page));
  g_assert_nonnull (strstr (text, "Mario Bianchi"));
  g_assert_nonnull (strstr (text, "Conforme al regolamento edilizio."));
  g_assert_nonnull (strstr (text, "risposta-2026-000190.pdf"));
  sp_test_ui_spin (300);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-live-partner.png");
  close_window (window);
  g_settings_reset (settings, "pratica-refresh-seconds");
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

  /* The user's runtime and cache folders, of the test's own (G_TEST_OPTION_ISOLATE_DIRS
   * would need a GLib newer than Debian 12's for the runtime one). */
  runtime_dir = g_dir_make_tmp ("sp-runtime-XXXXXX", NULL);
  cache_dir = g_dir_make_tmp ("sp-cache-XXXXXX", NULL);
  g_assert_nonnull (runtime_dir);
  g_assert_nonnull (cache_dir);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);

  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      env = sp_test_env_start ();
      if (env != NULL)
        pratiche = sp_test_pratiche_insert (env);
    }

  g_test_add_func ("/sportello/client/pratica/form-nested", test_form_nested);
  g_test_add_func ("/sportello/client/pratica/waiting-protocol", test_waiting_protocol);
  g_test_add_func ("/sportello/client/pratica/assigned", test_assigned);
  g_test_add_func ("/sportello/client/pratica/concluded", test_concluded);
  g_test_add_func ("/sportello/client/pratica/not-found", test_not_found);
  g_test_add_func ("/sportello/client/pratica/download", test_download);
  g_test_add_func ("/sportello/client/pratica/open-private", test_open_private);
  g_test_add_func ("/sportello/client/pratica/take-charge", test_take_charge);
  g_test_add_func ("/sportello/client/pratica/take-charge-page", test_take_charge_page);
  g_test_add_func ("/sportello/client/pratica/protocol-register", test_protocol_register);
  g_test_add_func ("/sportello/client/pratica/live-partner-change", test_live_partner_change);

  status = g_test_run ();

  if (env != NULL)
    sp_test_env_stop (env);
  g_clear_pointer (&pratiche, sp_test_pratiche_free);
  /* GTK, fontconfig and Mesa may have left their caches there. */
  {
    const char *argv_rm[] = { "rm", "-rf", runtime_dir, cache_dir, NULL };

    g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return status;
}
