/* test-pratica-ui.c: the "Dettaglio pratica" page: the header, the form, the modulo, taking charge, in Italian */
#define G_LOG_DOMAIN "test-pratica-ui"

#include "config.h"

#include <adwaita.h>

#include "sp-client-pratica.h"
#include "sp-document-row.h"
#include "sp-form-view.h"
#include "sp-form.h"
#include "sp-test-pratica-page.h"
#include "sp-test-ui.h"

/*
 * The real SpPraticaPage and SpClient against a real sportello-server
 * (sp-test-pratica-page.c). Run under Xvfb; screenshots go to
 * $SPORTELLO_SCREENSHOT_DIR.
 */

static SpTestEnv *env;
static SpTestPratiche *pratiche;

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
  return sp_form_flatten (json_node_get_array (schema), json_node_get_object (data), NULL, mask, format);
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

  if (!sp_test_pratica_ui_have_display ())
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

  sp_test_pratica_close (window);
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

  if (sp_test_pratica_skip ())
    return;

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = sp_test_pratica_open (client, pratiche->waiting_id, 900, &page);
  g_assert_cmpstr (sp_test_pratica_state (page), ==, "content");
  g_assert_cmpstr (sp_pratica_page_get_pratica_id (page), ==, pratiche->waiting_id);
  g_assert_nonnull (sp_pratica_page_get_detail (page));

  /* The header. */
  g_assert_cmpstr (sp_test_pratica_label (page, "title_label"), ==, "Pratica 2026-000123");
  g_assert_cmpstr (sp_test_pratica_label (page, "status_label"), ==, "Acquisita");
  g_assert_true (gtk_widget_has_css_class (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "status_label"),
                                           "sp-status-pill"));
  g_assert_cmpstr (sp_test_pratica_label (page, "servizio_label"), ==, "Certificato di residenza");
  g_assert_cmpstr (sp_test_pratica_label (page, "applicant_label"), ==, "Rossi Mario");
  g_assert_cmpstr (sp_test_pratica_label (page, "cf_label"), ==, "RSSMRA80A01H501U");
  g_assert_cmpstr (sp_test_pratica_label (page, "submitted_label"), ==, "12/03/2026 09:41");
  g_assert_cmpstr (sp_test_pratica_label (page, "assignee_label"), ==, "Nessuno");

  /* No "Elabora" while the pratica is not the operator's. */
  text = sp_test_ui_collect_text (GTK_WIDGET (page));
  g_assert_null (strstr (text, "Elabora"));

  /* The modulo with its buttons, no protocol number, the warning. */
  modulo_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "modulo_list");
  g_assert_cmpuint (sp_test_pratica_count_rows (modulo_list), ==, 2);
  row = sp_test_pratica_nth_row (modulo_list, 0);
  g_assert_true (SP_IS_DOCUMENT_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "modulo-2026-000123.pdf");
  g_assert_cmpstr (gtk_button_get_label (sp_test_ui_template_child (row, SP_TYPE_DOCUMENT_ROW, "save_button")),
                   ==, "_Scarica");
  g_assert_cmpstr (gtk_button_get_label (sp_test_ui_template_child (row, SP_TYPE_DOCUMENT_ROW, "open_button")),
                   ==, "_Apri");
  g_assert_cmpstr (row_value (sp_test_pratica_nth_row (modulo_list, 1)), ==, "In attesa di protocollazione");
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
  g_assert_cmpuint (sp_test_pratica_count_rows (iter_list), ==, 1);
  g_assert_cmpstr (sp_test_pratica_named_text (sp_test_pratica_nth_row (iter_list, 0), "status"), ==, "Acquisita");
  g_assert_cmpstr (sp_test_pratica_named_text (sp_test_pratica_nth_row (iter_list, 0), "date"), ==, "12/03/2026 09:41");
  g_assert_cmpstr (sp_test_pratica_named_text (sp_test_pratica_nth_row (iter_list, 0), "actor"), ==, "Rossi Mario");

  /* The form: the sensitive field is masked, the rest shown, empty as "—". */
  g_assert_cmpstr (row_value (field_row (page, "motivo")), ==, "Iscrizione del figlio alla scuola dell'infanzia");
  g_assert_cmpstr (row_value (field_row (page, "data_nascita")), ==, "Dato riservato");
  g_assert_cmpstr (row_value (field_row (page, "indirizzo.via")), ==, "Via Roma 1");
  g_assert_cmpstr (row_value (field_row (page, "indirizzo.cap")), ==, "—");

  /* Every document. */
  g_assert_cmpuint (sp_test_pratica_count_rows (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "documents_list")), ==, 1);
  g_assert_false (gtk_widget_get_visible (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "outcome_group")));

  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-waiting.png");

  /* At the narrowest the window allows, nothing is cut. */
  gtk_window_set_default_size (window, 360, 900);
  sp_test_ui_spin (200);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 400);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-narrow.png");
  sp_test_pratica_close (window);
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

  if (sp_test_pratica_skip ())
    return;

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = sp_test_pratica_open (client, pratiche->registered_id, 1500, &page);
  g_assert_cmpstr (sp_test_pratica_state (page), ==, "content");

  /* Registered: the number and date, no warning; not assigned: masked. */
  g_assert_cmpstr (sp_test_pratica_label (page, "status_label"), ==, "Protocollata");
  modulo_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "modulo_list");
  g_assert_cmpstr (row_value (sp_test_pratica_nth_row (modulo_list, 1)), ==, "N. PG/2026/0000457 del 13/03/2026 10:02");
  g_assert_false (gtk_widget_get_visible (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "protocol_warning")));
  g_assert_cmpstr (row_value (field_row (page, "data_nascita")), ==, "Dato riservato");
  iter_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "iter_list");
  g_assert_cmpuint (sp_test_pratica_count_rows (iter_list), ==, 2);
  g_assert_cmpstr (sp_test_pratica_named_text (sp_test_pratica_nth_row (iter_list, 1), "status"), ==, "Protocollata");
  g_assert_cmpstr (sp_test_pratica_named_text (sp_test_pratica_nth_row (iter_list, 1), "actor"), ==, "Protocollo interno");
  g_assert_cmpstr (sp_test_pratica_named_text (sp_test_pratica_nth_row (iter_list, 1), "note"), ==, "Protocollata con il numero PG/2026/0000457");

  /* Nobody's: no "Elabora". */
  g_assert_false (gtk_widget_get_visible (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "elabora_button")));

  /* The operator takes it (as the server would): F5 shows it unmasked. */
  g_free (sp_test_sql (env, "UPDATE pratica SET status = 4000,"
                            " assigned_to = (SELECT id FROM account WHERE username = '" SP_TEST_OPERATOR "')"
                            " WHERE id = '%s'", pratiche->registered_id));
  sp_test_iter_insert (env, pratiche->registered_id, 4000, 3000, "2026-03-16 11:20:00+01", "operator",
                       "Operatore di Prova", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "pratica.refresh", NULL));
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (sp_test_pratica_label (page, "status_label"), "In carico") == 0);
  g_assert_cmpstr (sp_test_pratica_state (page), ==, "content");

  /* A date field, in the ente's language (the data hold 1980-01-01). */
  g_assert_cmpstr (row_value (field_row (page, "data_nascita")), ==, "01/01/1980");
  g_assert_true (sp_pratica_page_get_detail (page)->assigned_to_me);
  g_assert_cmpstr (sp_test_pratica_label (page, "assignee_label"), ==, "Operatore di Prova (tu)");
  iter_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "iter_list");
  g_assert_cmpuint (sp_test_pratica_count_rows (iter_list), ==, 3);
  g_assert_cmpstr (sp_test_pratica_named_text (sp_test_pratica_nth_row (iter_list, 2), "status"), ==, "In carico");
  g_assert_cmpstr (sp_test_pratica_named_text (sp_test_pratica_nth_row (iter_list, 2), "date"), ==, "16/03/2026 11:20");
  g_assert_cmpstr (sp_test_pratica_named_text (sp_test_pratica_nth_row (iter_list, 2), "actor"), ==, "Operatore di Prova");
  g_assert_cmpuint (sp_test_pratica_count_rows (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "documents_list")), ==, 2);

  /* The assigned operator may process it. */
  {
    GtkWidget *elabora = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "elabora_button");

    g_assert_true (gtk_widget_get_visible (elabora));
    g_assert_true (gtk_widget_is_sensitive (elabora));
  }

  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-assigned.png");
  sp_test_pratica_close (window);
}

static void
test_concluded (void)
{
  g_autoptr(SpClient) client = NULL;
  SpPraticaPage *page;
  GtkWindow *window;
  GtkWidget *documents;
  GtkWidget *row;

  if (sp_test_pratica_skip ())
    return;

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = sp_test_pratica_open (client, pratiche->concluded_id, 2400, &page);
  g_assert_cmpstr (sp_test_pratica_state (page), ==, "content");

  g_assert_cmpstr (sp_test_pratica_label (page, "status_label"), ==, "Accettata");
  g_assert_true (gtk_widget_has_css_class (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "status_label"),
                                           "sp-status-accepted"));
  g_assert_cmpstr (sp_test_pratica_label (page, "servizio_label"), ==, "SCIA edilizia");
  g_assert_cmpstr (sp_test_pratica_label (page, "assignee_label"), ==, "Seconda Operatrice");
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
  g_assert_cmpuint (sp_test_pratica_count_rows (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "iter_list")), ==, 4);

  /* The documents: kind, size, signer. */
  documents = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "documents_list");
  g_assert_cmpuint (sp_test_pratica_count_rows (documents), ==, 2);
  row = sp_test_pratica_nth_row (documents, 1);
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
  sp_test_pratica_close (window);
}

/* Numbers as the data store them, in Italian, every digit: not the double
 * json-glib reads (19.90 is not 19,9), not a 64-bit integer wrapped to -1. */
static void
test_numbers (void)
{
  g_autoptr(SpClient) client = NULL;
  g_autofree char *id = NULL;
  SpPraticaPage *page;
  GtkWindow *window;

  if (sp_test_pratica_skip ())
    return;

  g_free (sp_test_sql (env, "INSERT INTO servizio (ente_id, slug, name, protocol_required, field_schema)"
                            " SELECT ente_id, 'contributo-importi', 'Contributo con importi', false,"
                            "        $json$[{\"key\": \"importo\", \"label\": \"Importo\", \"type\": \"number\"},"
                            "               {\"key\": \"saldo\", \"label\": \"Saldo\", \"type\": \"number\"},"
                            "               {\"key\": \"codice\", \"label\": \"Codice\", \"type\": \"number\"}]$json$"
                            " FROM servizio WHERE slug = '%s'", SP_TEST_SERVIZIO_INTERNAL));
  g_free (sp_test_sql (env, "INSERT INTO account_servizio (account_id, servizio_id)"
                            " SELECT a.id, s.id FROM account a, servizio s"
                            " WHERE a.username = '" SP_TEST_OPERATOR "' AND s.slug = 'contributo-importi'"));
  id = sp_test_sql (env, "INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
                         "                     applicant_cognome, applicant_email, data, status, submitted_at)"
                         " SELECT s.ente_id, s.id, '2026-000200', c.id, c.codice_fiscale, c.nome, c.cognome, c.email,"
                         "        '{\"importo\": 19.99, \"saldo\": 19.90, \"codice\": 12345678901234567891}'::jsonb,"
                         "        2000, '2026-03-16 09:00:00+01'"
                         " FROM servizio s, citizen c WHERE s.slug = 'contributo-importi' LIMIT 1 RETURNING id");

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = sp_test_pratica_open (client, id, 900, &page);
  g_assert_cmpstr (sp_test_pratica_state (page), ==, "content");
  g_assert_cmpstr (row_value (field_row (page, "importo")), ==, "19,99");
  g_assert_cmpstr (row_value (field_row (page, "saldo")), ==, "19,90");
  g_assert_cmpstr (row_value (field_row (page, "codice")), ==, "12.345.678.901.234.567.891");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-numbers.png");
  sp_test_pratica_close (window);
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

  if (sp_test_pratica_skip ())
    return;

  ids[1] = pratiche->elsewhere_id;
  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      SpPraticaPage *page;
      GtkWindow *window = sp_test_pratica_open (client, ids[i], 700, &page);
      AdwStatusPage *error_page = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "error_page");

      g_assert_cmpstr (sp_test_pratica_state (page), ==, "error");
      g_assert_cmpstr (adw_status_page_get_title (error_page), ==, "Pratica non trovata o non accessibile");
      g_assert_null (sp_pratica_page_get_detail (page));

      if (i == 0)
        {
          sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-not-found.png");

          /* "Riprova" loads again; the back button asks to leave. */
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "pratica.refresh", NULL));
          SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (sp_test_pratica_state (page), "error") == 0);
          g_signal_connect (page, "back", G_CALLBACK (back_cb), &back);
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "pratica.back", NULL));
          g_assert_true (back);
        }
      sp_test_pratica_close (window);
    }
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

  if (sp_test_pratica_skip ())
    return;

  client = sp_test_ui_sign_in (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);

  /* Its service needs no protocol: "Non richiesto", as in the dashboard,
   * and it can be taken at once. */
  window = sp_test_pratica_open (client, pratiche->unprotocolled_id, 900, &page);
  g_assert_cmpstr (sp_test_pratica_state (page), ==, "content");
  modulo_list = sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "modulo_list");
  g_assert_cmpstr (row_value (sp_test_pratica_nth_row (modulo_list, 1)), ==, "Non richiesto");
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
  g_assert_cmpstr (sp_test_pratica_label (page, "assignee_label"), ==, "Nessuno");
  assigned = sp_test_sql (env, "SELECT assigned_to IS NULL FROM pratica WHERE id = '%s'", pratiche->unprotocolled_id);
  g_assert_cmpstr (assigned, ==, "t");
  g_clear_pointer (&assigned, g_free);

  /* "Sì, sono sicuro": it is the operator's, and the page shows it so. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "pratica.take-charge", NULL));
  SP_TEST_UI_WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  sp_test_ui_respond (dialog, "take");
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (sp_test_pratica_label (page, "status_label"), "In carico") == 0);
  g_assert_cmpstr (sp_test_pratica_label (page, "assignee_label"), ==, "Operatore di Prova (tu)");
  g_assert_true (sp_pratica_page_get_detail (page)->assigned_to_me);
  g_assert_false (take_charge_shown (page));
  g_assert_null (sp_test_ui_find_message_dialog ());
  assigned = sp_test_sql (env, "SELECT a.username FROM pratica p JOIN account a ON a.id = p.assigned_to"
                               " WHERE p.id = '%s'", pratiche->unprotocolled_id);
  g_assert_cmpstr (assigned, ==, SP_TEST_OPERATOR);
  sp_test_pratica_close (window);

  /* A colleague takes it while the page shows it free: the refusal says who,
   * and the page then shows the colleague. */
  window = sp_test_pratica_open (client, pratiche->contested_id, 900, &page);
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
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (sp_test_pratica_label (page, "assignee_label"), "Seconda Operatrice") == 0);
  g_assert_false (take_charge_shown (page));
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "dialog-take-charge-refused.png");
  sp_test_ui_respond (dialog, "close");
  sp_test_pratica_close (window);
}

int
main (int   argc,
      char *argv[])
{
  sp_test_pratica_ui_init (&argc, &argv);
  env = sp_test_pratica_ui_env ();
  pratiche = sp_test_pratica_ui_pratiche ();

  g_test_add_func ("/sportello/client/pratica/form-nested", test_form_nested);
  g_test_add_func ("/sportello/client/pratica/waiting-protocol", test_waiting_protocol);
  g_test_add_func ("/sportello/client/pratica/assigned", test_assigned);
  g_test_add_func ("/sportello/client/pratica/concluded", test_concluded);
  g_test_add_func ("/sportello/client/pratica/not-found", test_not_found);
  g_test_add_func ("/sportello/client/pratica/take-charge-page", test_take_charge_page);
  g_test_add_func ("/sportello/client/pratica/numbers", test_numbers);

  return sp_test_pratica_ui_run ();
}
