/* test-dashboard-take-charge-ui.c: "Prendi in carico" from the "Pannello di controllo" */
#define G_LOG_DOMAIN "test-dashboard-take-charge-ui"

#include "config.h"

#include <adwaita.h>

#include "sp-client-pratica.h"
#include "sp-client-private.h"
#include "sp-error.h"
#include "sp-pratica-page.h"
#include "sp-test-dashboard-page.h"
#include "sp-test-http.h"
#include "sp-test-ui.h"

/*
 * The real SpWindow against a real sportello-server (tests/harness), signed in
 * through the login page, in Italian, with the 73 pratiche of
 * sp-test-dashboard-page.c: a pratica waiting for its protocol number cannot
 * be taken; "Prendi in carico" asks first, then opens the detail; a colleague
 * quicker is named from the server's refusal alone. The tests run in order
 * and each starts from what the previous left.
 */

#define child(widget, type, name) sp_test_ui_template_child ((widget), (type), (name))
#define WAIT_UNTIL(expr) SP_TEST_UI_WAIT_UNTIL (expr)

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

/* Tests */

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

  if (sp_test_dashboard_ui_skip ())
    return;

  pratica_id = sp_test_dashboard_ui_sql ("SELECT id FROM pratica WHERE numero = '2026-000005'");
  waiting_id = sp_test_dashboard_ui_sql ("SELECT id FROM pratica WHERE numero = '2026-000061'");

  window = sp_test_dashboard_ui_open (SP_TEST_OPERATOR);
  main_stack = child (window, SP_TYPE_WINDOW, "main_stack");
  page = sp_test_dashboard_of (window);
  model = sp_test_dashboard_model (page);
  sp_test_dashboard_wait_loaded (model);
  sp_test_dashboard_show_bucket (page, "da_assegnare");
  sp_test_dashboard_sort_by (page, "Numero", GTK_SORT_DESCENDING);

  /* The pratica waiting for its protocol number cannot be taken, and says why. */
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "dashboard-waiting-protocol.png");
  g_assert_cmpstr (sp_test_dashboard_row (model, 0)->id, ==, waiting_id);
  g_assert_cmpint (sp_test_dashboard_row (model, 0)->take_charge, ==, SP_TAKE_CHARGE_WAITING_PROTOCOL);
  WAIT_UNTIL ((button = sp_test_dashboard_row_button (page, waiting_id)) != NULL);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Prendi in carico");
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "In attesa di protocollazione");
  {
    g_autofree char *text = sp_test_ui_collect_text (GTK_WIDGET (page));

    g_assert_nonnull (strstr (text, "Prendi in carico"));
  }

  /* "Prendi in carico" on 2026-000005: the confirmation names the applicant and the service. */
  sp_test_dashboard_sort_by (page, "Numero", GTK_SORT_ASCENDING);
  g_assert_cmpstr (sp_test_dashboard_row (model, 4)->id, ==, pratica_id);
  WAIT_UNTIL ((button = sp_test_dashboard_row_button (page, pratica_id)) != NULL);
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);
  WAIT_UNTIL ((dialog = sp_test_ui_find_message_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Prendere in carico la pratica 2026-000005?");
  {
    /* The applicant as everywhere: "Cognome Nome". */
    SpPraticaSummaryData *fifth = sp_test_dashboard_row (model, 4);
    g_autofree char *applicant = g_strdup_printf ("%s %s (%s)", fifth->applicant_cognome, fifth->applicant_nome,
                                                  fifth->applicant_cf);

    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), applicant));
  }
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Certificato di residenza"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "take"), ==, "_Sì, sono sicuro");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "cancel"), ==, "_Annulla");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "take"), ==, ADW_RESPONSE_SUGGESTED);
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "dialog-take-charge.png");

  /* "Annulla" changes nothing. */
  sp_test_ui_respond (dialog, "cancel");
  state = sp_test_dashboard_ui_sql ("SELECT coalesce (assigned_to::text, '-') || '|' || status"
                                    " FROM pratica WHERE numero = '2026-000005'");
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
  state = sp_test_dashboard_ui_sql ("SELECT a.username || '|' || p.status"
                                    " FROM pratica p JOIN account a ON a.id = p.assigned_to"
                                    " WHERE p.numero = '2026-000005'");
  g_assert_cmpstr (state, ==, SP_TEST_OPERATOR "|4000");

  WAIT_UNTIL (g_strcmp0 (sp_test_dashboard_count (page, "da_assegnare"), "60") == 0);
  g_assert_cmpstr (sp_test_dashboard_count (page, "da_gestire"), ==, "6");
  g_assert_null (sp_pratica_list_model_find (model, pratica_id, NULL));
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "pratica-taken-in-charge.png");

  /* Back to the dashboard: the pratica is in Da gestire. */
  g_assert_true (gtk_widget_activate_action (pratica_page, "pratica.back", NULL));
  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (main_stack), "session") == 0);
  sp_test_dashboard_show_bucket (page, "da_gestire");
  g_assert_nonnull (sp_pratica_list_model_find (model, pratica_id, NULL));

  /* "Vedi dettaglio" opens the detail too. */
  WAIT_UNTIL ((button = sp_test_dashboard_row_button (page, sp_test_dashboard_row (model, 0)->id)) != NULL);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Vedi dettaglio");
  gtk_widget_activate (button);
  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (main_stack), "pratica") == 0);
  g_assert_cmpstr (sp_pratica_page_get_pratica_id (SP_PRATICA_PAGE (gtk_stack_get_visible_child (main_stack))),
                   ==, sp_test_dashboard_row (model, 0)->id);

  sp_test_ui_close_window (window);
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
  SpTestEnv *env = sp_test_dashboard_ui_env ();

  if (sp_test_dashboard_ui_skip ())
    return;

  pratica_id = sp_test_dashboard_ui_sql ("SELECT id FROM pratica WHERE numero = '2026-000006'");

  window = sp_test_dashboard_ui_open (SP_TEST_OPERATOR);
  page = sp_test_dashboard_of (window);
  model = sp_test_dashboard_model (page);
  sp_test_dashboard_wait_loaded (model);
  sp_test_dashboard_show_bucket (page, "da_assegnare");
  sp_test_dashboard_sort_by (page, "Numero", GTK_SORT_ASCENDING);
  WAIT_UNTIL ((button = sp_test_dashboard_row_button (page, pratica_id)) != NULL);

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
  sp_test_dashboard_wait_loaded (model);
  g_assert_null (sp_pratica_list_model_find (model, pratica_id, NULL));
  g_assert_cmpstr (sp_test_dashboard_count (page, "da_assegnare"), ==, "59");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (window, SP_TYPE_WINDOW, "main_stack")), ==,
                   "session");
  sp_test_ui_close_window (window);

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

int
main (int   argc,
      char *argv[])
{
  sp_test_dashboard_ui_init (&argc, &argv);

  g_test_add_func ("/sportello/client/dashboard/take-charge", test_take_charge);
  g_test_add_func ("/sportello/client/dashboard/already-taken", test_already_taken);

  return sp_test_dashboard_ui_run ();
}
