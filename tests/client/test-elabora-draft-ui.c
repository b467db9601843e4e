/* test-elabora-draft-ui.c: "Elabora" on what is saved before the conclusion, and after it */
#define G_LOG_DOMAIN "test-elabora-draft-ui"

#include "config.h"

#include <adwaita.h>

#include "sp-test-elabora-page.h"
#include "sp-test-pg.h"
#include "sp-test-ui.h"
#include "sp-window.h"

/*
 * The real SpPraticaPage, SpElaboraPage and SpClient against a real
 * sportello-server with the services of the server's Elabora tests
 * (sp-test-elabora.c), on what is saved before the conclusion: a number
 * goes to the server as typed and comes back so; a draft saved whole
 * elsewhere resumes at its summary, and a conclusion refused there shows
 * the server's words; the detail lists the protocol register once a
 * conclusion is registered; in the app's window, leaving with changes not
 * saved asks first, and the server's own field errors show. The way through
 * every step is in test-elabora-ui.c.
 */

#define WAIT_UNTIL SP_TEST_UI_WAIT_UNTIL
#define child(widget, type, name) sp_test_ui_template_child ((widget), (type), (name))

/* The number the step holds now, as the database stores it. */
static void
assert_stored_punteggio (const char *pratica_id,
                         const char *expected)
{
  g_autofree char *stored = sp_test_pg_value (sp_test_elabora_ui_fixture ()->conn,
                                              "SELECT data #>> '{verifica,punteggio}' FROM pratica WHERE id = $1::uuid",
                                              SP_TEST_PG_ARGS (pratica_id));

  g_assert_cmpstr (stored, ==, expected);
}

static void
save_and_wait (SpElaboraPage *elabora)
{
  sp_test_elabora_ui_press (elabora, "save_button");
  WAIT_UNTIL (!sp_elabora_page_is_busy (elabora));
  g_assert_cmpstr (sp_test_elabora_ui_field_error (elabora, "steps.verifica.punteggio"), ==, "");
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
  SpTestElabora *fixture = sp_test_elabora_ui_fixture ();

  if (sp_test_elabora_ui_skip ())
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
  window = sp_test_elabora_ui_open_detail (client, id, 1100, &page);
  elabora = sp_test_elabora_ui_open (page);
  sp_test_elabora_ui_assert_step (elabora, "step:verifica", "Passo 3 di 5", "Verifica");
  g_assert_cmpstr (sp_test_elabora_ui_typed (elabora, "steps.verifica.punteggio"), ==, "19,99");

  /* Saved again as it is. */
  save_and_wait (elabora);
  assert_stored_punteggio (id, "19.99");

  /* Typed, in Italian: a decimal comma, the grouping of thousands. */
  sp_test_elabora_ui_type_into (elabora, "steps.verifica.punteggio", "19,99");
  save_and_wait (elabora);
  assert_stored_punteggio (id, "19.99");
  sp_test_elabora_ui_type_into (elabora, "steps.verifica.punteggio", " 1.234,50 ");
  save_and_wait (elabora);
  assert_stored_punteggio (id, "1234.50");
  sp_test_elabora_ui_type_into (elabora, "steps.verifica.punteggio", twenty_digits);
  save_and_wait (elabora);
  assert_stored_punteggio (id, twenty_digits);

  /* What is not a number is said next to the field, and not sent. */
  sp_test_elabora_ui_type_into (elabora, "steps.verifica.punteggio", "1,2,3");
  sp_test_elabora_ui_press (elabora, "save_button");
  WAIT_UNTIL (!sp_elabora_page_is_busy (elabora));
  g_assert_cmpstr (sp_test_elabora_ui_field_error (elabora, "steps.verifica.punteggio"), ==,
                   "Inserire un numero, come 12 o 3,5");
  assert_stored_punteggio (id, twenty_digits);

  /* Elabora again: the integer as stored, every digit. */
  sp_test_elabora_ui_type_into (elabora, "steps.verifica.punteggio", twenty_digits);
  save_and_wait (elabora);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (elabora), "elabora.close", NULL));
  WAIT_UNTIL (sp_test_elabora_ui_of (page) == NULL
              && g_strcmp0 (sp_test_elabora_ui_detail_state (page), "content") == 0);
  elabora = sp_test_elabora_ui_open (page);
  g_assert_cmpstr (sp_test_elabora_ui_typed (elabora, "steps.verifica.punteggio"), ==, twenty_digits);
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-numbers.png");
  sp_test_ui_close_window (window);
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
  SpTestElabora *fixture = sp_test_elabora_ui_fixture ();

  if (sp_test_elabora_ui_skip ())
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
  window = sp_test_elabora_ui_open_detail (client, id, 1100, &page);
  elabora = sp_test_elabora_ui_open (page);
  sp_test_elabora_ui_assert_step (elabora, "riepilogo", "Passo 5 di 5", "Riepilogo");
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (elabora), "summary:steps.verifica.istruttore"), ==,
                   "Anna Neri");
  g_assert_cmpstr (sp_test_ui_row_value (GTK_WIDGET (elabora), "summary:steps.rilascio.scadenza"), ==, "—");

  /* Concluded elsewhere meanwhile: the refusal is the server's. */
  conclude = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);
  g_assert_cmpuint (conclude->status, ==, 200);
  sp_test_elabora_ui_press (elabora, "conclude_button");
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
  sp_test_elabora_ui_wait_detail_status (page, 7000);
  sp_test_ui_close_window (window);
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
  SpTestElabora *fixture = sp_test_elabora_ui_fixture ();

  if (sp_test_elabora_ui_skip ())
    return;

  /* With the internal protocol, before any registration of the register. */
  id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PROTOCOL, 4000, SP_TEST_OPERATOR);
  client = sp_test_ui_sign_in (fixture->env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  window = sp_test_elabora_ui_open_detail (client, id, 1100, &page);
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
  while (sp_test_elabora_ui_count ("SELECT count (*) FROM protocol_register"
                                   " WHERE pratica_id = $1::uuid AND direction = 'risposta'", id) == 0
         && g_get_monotonic_time () < deadline)
    g_usleep (100 * 1000);
  g_assert_cmpint (sp_test_elabora_ui_count ("SELECT status FROM pratica WHERE id = $1::uuid", id), ==, 7000);

  /* F5: the response's registration is listed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "pratica.refresh", NULL));
  WAIT_UNTIL (sp_pratica_page_get_detail (page)->protocols->len > 0
              && g_strcmp0 (sp_test_elabora_ui_detail_state (page), "content") == 0
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
  sp_test_ui_close_window (window);
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
  SpTestElabora *fixture = sp_test_elabora_ui_fixture ();

  if (sp_test_elabora_ui_skip ())
    return;

  id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4500, SP_TEST_OPERATOR);
  window = sp_test_ui_open_signed_in (fixture->env, GTK_APPLICATION (sp_test_elabora_ui_application ()),
                                      SP_TEST_OPERATOR, 0);
  WAIT_UNTIL (g_strcmp0 (sp_test_ui_shown_page (GTK_WIDGET (window)), "dashboard") == 0);

  sp_window_show_pratica (window, id);
  WAIT_UNTIL ((page = SP_PRATICA_PAGE (sp_test_ui_find_type (GTK_WIDGET (window), SP_TYPE_PRATICA_PAGE))) != NULL
              && g_strcmp0 (sp_test_elabora_ui_detail_state (page), "content") == 0);
  g_assert_cmpstr (sp_test_ui_shown_page (GTK_WIDGET (window)), ==, "pratica");
  elabora = sp_test_elabora_ui_open (page);
  g_assert_cmpstr (sp_test_ui_shown_page (GTK_WIDGET (window)), ==, "elabora");
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1100);
  g_assert_cmpint (height, ==, 760);

  /* A change, then back: asked whether to save; "Esci senza salvare" keeps nothing. */
  gtk_widget_activate (child (elabora, SP_TYPE_ELABORA_PAGE, "reject_row"));
  sp_test_elabora_ui_set_motivation (elabora, "Testo da non salvare.");
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
  g_assert_true (json_object_get_null_member (sp_test_elabora_ui_server_detail (id, &detail), "processing"));

  /* The server's own field errors (a 422) show next to their fields too:
   * a motivation past the longest the server takes. */
  elabora = sp_test_elabora_ui_open (page);
  {
    g_autofree char *too_long = g_strnfill (10001, 'a');

    sp_test_elabora_ui_set_motivation (elabora, too_long);
  }
  sp_test_elabora_ui_press (elabora, "save_button");
  WAIT_UNTIL (!sp_elabora_page_is_busy (elabora));
  g_assert_cmpstr (sp_test_elabora_ui_shown_error (elabora, "motivazione_error"), ==,
                   "Il testo è troppo lungo");
  sp_test_elabora_ui_assert_step (elabora, "esito", "Passo 1 di 5", "Esito");
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "elabora-esito-server-errors.png");
  sp_test_elabora_ui_set_motivation (elabora, "");

  /* Again, with "Salva" in the dialog: saved, then the detail. */
  gtk_widget_activate (child (elabora, SP_TYPE_ELABORA_PAGE, "accept_row"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (elabora), "elabora.close", NULL));
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  sp_test_ui_respond (dialog, "save");
  WAIT_UNTIL (g_strcmp0 (sp_test_ui_shown_page (GTK_WIDGET (window)), "pratica") == 0);
  g_clear_pointer (&detail, sp_test_response_free);
  g_assert_cmpstr (sp_test_elabora_ui_processing (sp_test_elabora_ui_server_detail (id, &detail), "esito"), ==,
                   "accepted");

  sp_test_ui_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  sp_test_elabora_ui_init (&argc, &argv);

  g_test_add_func ("/sportello/client/elabora/numbers", test_numbers);
  g_test_add_func ("/sportello/client/elabora/conclude-refused", test_conclude_refused);
  g_test_add_func ("/sportello/client/elabora/protocols", test_protocols);
  g_test_add_func ("/sportello/client/elabora/window", test_window);

  return sp_test_elabora_ui_run ();
}
