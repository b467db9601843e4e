/* test-login-ui.c: the desktop app's sign-in, protocol page, TLS trust and sign-out, in Italian */
#define G_LOG_DOMAIN "test-login-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "sp-about-window.h"
#include "sp-application.h"
#include "sp-certificate-dialog.h"
#include "sp-certificate.h"
#include "sp-login-page.h"
#include "sp-protocol-page.h"
#include "sp-test-env.h"
#include "sp-test-server2.h"
#include "sp-test-ui.h"
#include "sp-window.h"

/*
 * The real SpApplication and SpWindow against a real sportello-server
 * (tests/harness). Run under Xvfb with GSETTINGS_BACKEND=memory,
 * GSETTINGS_SCHEMA_DIR and SPORTELLO_LOCALEDIR pointing into the build
 * directory; screenshots go to $SPORTELLO_SCREENSHOT_DIR.
 */

#define child(widget, type, name) sp_test_ui_template_child ((widget), (type), (name))
#define WAIT_UNTIL(expr) SP_TEST_UI_WAIT_UNTIL (expr)

static SpTestEnv *env;
static SpApplication *application;
static gboolean have_display;

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
visible_child_name (gpointer window,
                    const char *stack_name)
{
  GtkStack *stack = child (window, SP_TYPE_WINDOW, stack_name);

  return gtk_stack_get_visible_child_name (stack);
}

static const char *
login_message (SpWindow *window)
{
  SpLoginPage *page = child (window, SP_TYPE_WINDOW, "login_page");
  GtkLabel *label = child (page, SP_TYPE_LOGIN_PAGE, "message_label");

  if (!gtk_widget_get_visible (GTK_WIDGET (label)))
    return NULL;
  return gtk_label_get_text (label);
}

/* A new window, as `sportello --server URL` opens it. */
static SpWindow *
open_window (const char *ca_file)
{
  SpWindow *window;

  g_setenv ("SPORTELLO_CA_FILE", ca_file ? ca_file : "", TRUE);
  window = sp_window_new (GTK_APPLICATION (application));
  sp_window_set_server_url (window, sp_test_env_get_url (env));
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));
  return window;
}

static void
sign_in (SpWindow   *window,
         const char *username,
         const char *password)
{
  SpLoginPage *page = child (window, SP_TYPE_WINDOW, "login_page");

  gtk_editable_set_text (child (page, SP_TYPE_LOGIN_PAGE, "username_row"), username);
  gtk_editable_set_text (child (page, SP_TYPE_LOGIN_PAGE, "password_row"), password);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "login.sign-in", NULL));
}

/* Signs in and waits for the outcome: the session, or a message. */
static void
sign_in_and_wait (SpWindow   *window,
                  const char *username,
                  const char *password)
{
  SpLoginPage *page = child (window, SP_TYPE_WINDOW, "login_page");
  GtkLabel *label = child (page, SP_TYPE_LOGIN_PAGE, "message_label");

  gtk_label_set_text (label, "");
  gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
  sign_in (window, username, password);
  WAIT_UNTIL (g_strcmp0 (visible_child_name (window, "main_stack"), "session") == 0
              || login_message (window) != NULL);
}

static SpCertificateDialog *
find_certificate_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (SP_IS_CERTIFICATE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return SP_CERTIFICATE_DIALOG (toplevel);
    }
  return NULL;
}

static void
collect_service_groups (GtkWidget *widget,
                        GPtrArray *groups)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (ADW_IS_PREFERENCES_GROUP (c)
          && *adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (c)) != '\0')
        g_ptr_array_add (groups, c);
      collect_service_groups (c, groups);
    }
}

static void
close_window (SpWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  sp_test_ui_spin (50);
}

static void
test_wrong_password (void)
{
  SpWindow *window;

  if (skip_without_server ())
    return;

  window = open_window (sp_test_env_get_ca_file (env));
  sign_in_and_wait (window, SP_TEST_OPERATOR, "not-the-password");

  g_assert_cmpstr (visible_child_name (window, "main_stack"), ==, "login");
  g_assert_cmpstr (login_message (window), ==, "Nome utente o password errati.");
  g_assert_false (sp_client_is_signed_in (sp_window_get_client (window)));

  close_window (window);
}

static void
test_unreachable (void)
{
  SpWindow *window;
  SpLoginPage *page;

  if (skip_without_server ())
    return;

  window = open_window (sp_test_env_get_ca_file (env));
  page = child (window, SP_TYPE_WINDOW, "login_page");
  /* Port 1 on loopback: nothing listens there. */
  gtk_editable_set_text (child (page, SP_TYPE_LOGIN_PAGE, "server_row"), "https://127.0.0.1:1");
  sign_in_and_wait (window, SP_TEST_OPERATOR, SP_TEST_PASSWORD);

  g_assert_cmpstr (visible_child_name (window, "main_stack"), ==, "login");
  g_assert_true (g_str_has_prefix (login_message (window), "Il server 127.0.0.1:1 ha rifiutato la connessione."));

  close_window (window);
}

static void
test_operator_session (void)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  SpProtocolPage *protocol_page;
  AdwViewStack *view_stack;
  const SpUser *user;
  SpWindow *window;

  if (skip_without_server ())
    return;

  window = open_window (sp_test_env_get_ca_file (env));
  {
    SpLoginPage *page = child (window, SP_TYPE_WINDOW, "login_page");

    gtk_editable_set_text (child (page, SP_TYPE_LOGIN_PAGE, "username_row"), SP_TEST_OPERATOR);
    gtk_editable_set_text (child (page, SP_TYPE_LOGIN_PAGE, "password_row"), SP_TEST_PASSWORD);
  }
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "login.png");

  sign_in_and_wait (window, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_assert_null (login_message (window));
  g_assert_cmpstr (visible_child_name (window, "main_stack"), ==, "session");
  g_assert_cmpstr (visible_child_name (window, "content_stack"), ==, "pages");

  user = sp_client_get_user (sp_window_get_client (window));
  g_assert_cmpstr (user->username, ==, SP_TEST_OPERATOR);
  g_assert_cmpint (user->role, ==, SP_ROLE_OPERATORE);
  g_assert_cmpstr (gtk_label_get_text (child (window, SP_TYPE_WINDOW, "account_label")), ==, user->full_name);

  /* An operator starts on the dashboard. */
  view_stack = child (window, SP_TYPE_WINDOW, "view_stack");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack), ==, "dashboard");
  g_assert_cmpstr (sp_test_ui_shown_page (GTK_WIDGET (window)), ==, "dashboard");

  /* The page title is Italian: the catalog was found. The switcher shows the page. */
  protocol_page = child (window, SP_TYPE_WINDOW, "protocol_page");
  g_assert_cmpstr (adw_view_stack_page_get_title (adw_view_stack_get_page (view_stack, GTK_WIDGET (protocol_page))),
                   ==, "Configurazione di protocollo");
  adw_view_stack_set_visible_child_name (view_stack, "protocol");
  g_assert_cmpstr (sp_test_ui_shown_page (GTK_WIDGET (window)), ==, "protocol");

  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (child (protocol_page, SP_TYPE_PROTOCOL_PAGE, "stack")),
                         "loading") != 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (protocol_page, SP_TYPE_PROTOCOL_PAGE, "stack")),
                   ==, "content");

  /* One group per service the operator is enabled for, titled with its name. */
  collect_service_groups (child (protocol_page, SP_TYPE_PROTOCOL_PAGE, "preferences_page"), groups);
  g_assert_cmpuint (groups->len, >, 0);
  g_assert_cmpuint (groups->len, ==, g_strv_length (user->servizi));
  for (guint i = 0; i < groups->len; i++)
    {
      const char *description = adw_preferences_group_get_description (g_ptr_array_index (groups, i));

      g_assert_true (g_str_has_prefix (description, "Protocollo interno")
                     || g_str_has_prefix (description, "Protocollo esterno (partner)"));
    }
  sp_test_ui_save_screenshot (GTK_WIDGET (window), "protocol.png");

  /* F5 reloads the page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (child (protocol_page, SP_TYPE_PROTOCOL_PAGE, "stack")),
                         "content") == 0);

  /* Esci: back to the login page, password cleared, session revoked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.logout", NULL));
  WAIT_UNTIL (g_strcmp0 (visible_child_name (window, "main_stack"), "login") == 0);
  g_assert_false (sp_client_is_signed_in (sp_window_get_client (window)));
  {
    SpLoginPage *page = child (window, SP_TYPE_WINDOW, "login_page");

    g_assert_cmpstr (gtk_editable_get_text (child (page, SP_TYPE_LOGIN_PAGE, "password_row")), ==, "");
    g_assert_cmpstr (gtk_editable_get_text (child (page, SP_TYPE_LOGIN_PAGE, "username_row")), ==, SP_TEST_OPERATOR);
  }

  close_window (window);
}

static void
test_session_expired (void)
{
  g_autofree char *output = NULL;
  SpWindow *window;

  if (skip_without_server ())
    return;

  window = open_window (sp_test_env_get_ca_file (env));
  sign_in_and_wait (window, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_assert_cmpstr (visible_child_name (window, "main_stack"), ==, "session");

  /* The server revokes the session: the next request brings the user back. */
  output = sp_test_env_sql (env, "UPDATE session SET revoked_at = now () WHERE revoked_at IS NULL");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.refresh", NULL));
  WAIT_UNTIL (g_strcmp0 (visible_child_name (window, "main_stack"), "login") == 0);
  g_assert_cmpstr (login_message (window), ==, "La sessione è scaduta: accedi di nuovo.");
  g_assert_false (sp_client_is_signed_in (sp_window_get_client (window)));

  close_window (window);
}

/* An auditor's session: the Audit page alone, not the operator's. */
static void
test_auditor_session (void)
{
  SpWindow *window;
  AdwViewStack *view_stack;

  if (skip_without_server ())
    return;

  window = open_window (sp_test_env_get_ca_file (env));
  sign_in_and_wait (window, SP_TEST_AUDITOR, SP_TEST_PASSWORD);

  g_assert_cmpstr (visible_child_name (window, "main_stack"), ==, "session");
  g_assert_cmpstr (visible_child_name (window, "content_stack"), ==, "pages");
  view_stack = child (window, SP_TYPE_WINDOW, "view_stack");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack), ==, "audit");
  g_assert_cmpstr (sp_test_ui_shown_page (GTK_WIDGET (window)), ==, "audit");
  for (const char * const *name = (const char * const []) { "dashboard", "protocol", NULL }; *name != NULL; name++)
    g_assert_false (adw_view_stack_page_get_visible (adw_view_stack_get_page (view_stack,
                                                                              adw_view_stack_get_child_by_name (view_stack, *name))));

  close_window (window);
}

static void
test_account_locked (void)
{
  SpWindow *window;
  guint attempts = 0;

  if (skip_without_server ())
    return;

  /* Five failures lock the account for 15 minutes (DESIGN.md §5). */
  window = open_window (sp_test_env_get_ca_file (env));
  do
    {
      sign_in_and_wait (window, SP_TEST_OPERATOR2, "not-the-password");
      attempts++;
    }
  while (g_strcmp0 (login_message (window), "Nome utente o password errati.") == 0 && attempts < 10);

  g_assert_cmpuint (attempts, <=, 6);
  g_assert_true (g_str_has_prefix (login_message (window), "Troppi tentativi non riusciti: l'account è bloccato fino "));

  /* The right password does not help while the lock lasts. */
  sign_in_and_wait (window, SP_TEST_OPERATOR2, SP_TEST_PASSWORD);
  g_assert_cmpstr (visible_child_name (window, "main_stack"), ==, "login");
  g_assert_true (g_str_has_prefix (login_message (window), "Troppi tentativi non riusciti"));

  close_window (window);
}

/* The SHA-256 fingerprint of a PEM file as openssl prints it, the way
 * build-aux/demo prints it: upper-case pairs, 16 a line. */
static char *
openssl_fingerprint (const char *pem)
{
  const char *argv[] = { "openssl", "x509", "-in", pem, "-noout", "-fingerprint", "-sha256", NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *equals;
  char *fingerprint;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  equals = strchr (out, '=');
  g_assert_nonnull (equals);
  fingerprint = g_strdup (g_strstrip ((char *) equals + 1));
  g_assert_cmpuint (strlen (fingerprint), ==, 32 * 3 - 1);
  fingerprint[16 * 3 - 1] = '\n';
  return fingerprint;
}

static const char *
dialog_fingerprint (SpCertificateDialog *dialog)
{
  return gtk_label_get_text (child (dialog, SP_TYPE_CERTIFICATE_DIALOG, "fingerprint_label"));
}

static const char *
dialog_fingerprint_title (SpCertificateDialog *dialog)
{
  return gtk_label_get_text (child (dialog, SP_TYPE_CERTIFICATE_DIALOG, "fingerprint_title"));
}

/* The one fingerprint remembered, in the dialog's layout. */
static char *
trusted_fingerprint (GSettings *settings)
{
  g_autoptr(GVariant) trusted = g_settings_get_value (settings, "trusted-certificates");
  char *fingerprint = NULL;

  g_assert_cmpuint (g_variant_n_children (trusted), ==, 1);
  g_variant_get_child (trusted, 0, "{ss}", NULL, &fingerprint);
  g_assert_cmpuint (strlen (fingerprint), ==, 32 * 3 - 1);
  fingerprint[16 * 3 - 1] = '\n';
  return fingerprint;
}

static void
test_certificate_trust (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GVariant) trusted = NULL;
  g_autofree char *server_pem = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *remembered = NULL;
  SpCertificateDialog *dialog;
  SpWindow *window;

  if (skip_without_server ())
    return;

  g_settings_reset (settings, "trusted-certificates");

  /* Without the test CA the certificate is unknown: the user is asked. The
   * server sends its certificate alone: the fingerprint shown is that
   * certificate's, as openssl prints it. */
  window = open_window (NULL);
  sign_in (window, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  WAIT_UNTIL ((dialog = find_certificate_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Considerare attendibile questo server?");
  g_assert_cmpstr (dialog_fingerprint_title (dialog), ==, "Impronta digitale SHA-256 del certificato del server");
  server_pem = sp_test_env_get_tls_file (env, "server.pem");
  expected = openssl_fingerprint (server_pem);
  g_assert_cmpstr (dialog_fingerprint (dialog), ==, expected);
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "certificate.png");

  /* Accepting it signs in and remembers that fingerprint. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "trust");
  WAIT_UNTIL (g_strcmp0 (visible_child_name (window, "main_stack"), "session") == 0);
  remembered = trusted_fingerprint (settings);
  g_assert_cmpstr (remembered, ==, expected);
  trusted = g_settings_get_value (settings, "trusted-certificates");
  close_window (window);

  /* Next time it is accepted silently. */
  window = open_window (NULL);
  sign_in_and_wait (window, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_assert_null (find_certificate_dialog ());
  g_assert_cmpstr (visible_child_name (window, "main_stack"), ==, "session");
  g_assert_cmpstr (visible_child_name (window, "content_stack"), ==, "pages");
  close_window (window);

  /* A different certificate for a known server gets a strong warning. */
  {
    g_autoptr(GVariant) forged = NULL;
    g_autofree char *host_port = NULL;
    GVariantBuilder builder;

    g_variant_get_child (trusted, 0, "{ss}", &host_port, NULL);
    g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
    g_variant_builder_add (&builder, "{ss}", host_port,
                           "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                           "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
    forged = g_variant_ref_sink (g_variant_builder_end (&builder));
    g_settings_set_value (settings, "trusted-certificates", forged);
  }
  window = open_window (NULL);
  sign_in (window, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  WAIT_UNTIL ((dialog = find_certificate_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Il certificato del server è cambiato");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog), "trust"),
                   ==, ADW_RESPONSE_DESTRUCTIVE);

  /* Refusing it leaves the user signed out with an explanation. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  WAIT_UNTIL (login_message (window) != NULL);
  g_assert_true (g_str_has_prefix (login_message (window), "Accesso non effettuato"));
  g_assert_cmpstr (visible_child_name (window, "main_stack"), ==, "login");
  close_window (window);

  g_settings_reset (settings, "trusted-certificates");
}

static SpAboutWindow *
find_about_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (SP_IS_ABOUT_WINDOW (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return SP_ABOUT_WINDOW (toplevel);
    }
  return NULL;
}

/* The text of every label under @widget, shown or on a page not shown yet. */
static void
collect_label_texts (GtkWidget *widget,
                     GPtrArray *texts)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (GTK_IS_LABEL (c) && *gtk_label_get_text (GTK_LABEL (c)) != '\0')
        g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (c)));
      if (gtk_widget_get_tooltip_text (c) != NULL)
        g_ptr_array_add (texts, (gpointer) gtk_widget_get_tooltip_text (c));
      collect_label_texts (c, texts);
    }
}

static void
test_about (void)
{
  g_autofree char *version = g_strdup_printf ("Versione %s", PACKAGE_VERSION);
  const char *italian[] = {
    "Informazioni su Sportello",
    "Sportello",
    "Gli sviluppatori di Sportello",
    version,
    "Il back office dei servizi online del Comune: gli operatori lavorano le pratiche dei cittadini, "
    "gli auditor ne confrontano le versioni.",
    "Indietro",
    "Informazioni per l'assistenza",
    "Note legali",
    "Quando segnali un problema, comunica all'assistenza queste informazioni: dicono quale versione di "
    "Sportello usi e a quale server si collega.",
    "Copia",
    "© Gli sviluppatori di Sportello",
    "Sportello è software libero: puoi ridistribuirlo e modificarlo secondo i termini della GNU Affero "
    "General Public License, versione 3 o successiva. È distribuito senza alcuna garanzia.",
    NULL
  };
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  g_autofree char *debug_info = NULL;
  SpAboutWindow *about;
  GtkTextBuffer *buffer;
  GtkTextIter start;
  GtkTextIter end;
  SpWindow *window;

  if (skip_without_server ())
    return;

  window = open_window (sp_test_env_get_ca_file (env));
  sign_in_and_wait (window, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_assert_cmpstr (visible_child_name (window, "main_stack"), ==, "session");

  /* "Informazioni su Sportello" of the account menu. */
  g_action_group_activate_action (G_ACTION_GROUP (application), "about", NULL);
  WAIT_UNTIL ((about = find_about_window ()) != NULL);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (about)), ==, "Informazioni su Sportello");

  /* Every string on every page is Italian (libadwaita 1.2 has no Italian
   * for its own about window: this one is ours, translated in po/). */
  collect_label_texts (GTK_WIDGET (about), texts);
  g_assert_cmpuint (texts->len, >=, 10);
  for (guint i = 0; i < texts->len; i++)
    if (!g_strv_contains (italian, g_ptr_array_index (texts, i)))
      g_error ("Not an Italian string of the about window: “%s”", (const char *) g_ptr_array_index (texts, i));
  sp_test_ui_save_screenshot (GTK_WIDGET (about), "about.png");

  /* What support needs: the version and the server. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (about), "about.show-page", "s", "troubleshooting"));
  g_assert_true (gtk_widget_get_visible (child (about, SP_TYPE_ABOUT_WINDOW, "back_button")));
  g_assert_cmpstr (adw_window_title_get_title (child (about, SP_TYPE_ABOUT_WINDOW, "window_title")), ==,
                   "Informazioni per l'assistenza");
  buffer = gtk_text_view_get_buffer (child (about, SP_TYPE_ABOUT_WINDOW, "debug_view"));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  debug_info = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_true (g_str_has_prefix (debug_info, "Sportello " PACKAGE_VERSION "\nServer: "));
  g_assert_nonnull (strstr (debug_info, sp_test_env_get_url (env)));
  sp_test_ui_save_screenshot (GTK_WIDGET (about), "about-support.png");

  /* The licence, with its link. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (about), "about.back", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (about), "about.show-page", "s", "legal"));
  g_assert_cmpstr (adw_window_title_get_title (child (about, SP_TYPE_ABOUT_WINDOW, "window_title")), ==,
                   "Note legali");
  g_assert_nonnull (strstr (gtk_label_get_label (child (about, SP_TYPE_ABOUT_WINDOW, "license_label")),
                            "<a href=\"https://www.gnu.org/licenses/agpl-3.0.html\">"));
  sp_test_ui_save_screenshot (GTK_WIDGET (about), "about-legal.png");

  /* Escape goes back, then closes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (about), "about.escape", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (about, SP_TYPE_ABOUT_WINDOW, "stack")), ==, "main");
  g_assert_false (gtk_widget_get_visible (child (about, SP_TYPE_ABOUT_WINDOW, "back_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (about), "about.escape", NULL));
  WAIT_UNTIL (find_about_window () == NULL);

  close_window (window);
}

/* A server that sends its chain up to its CA, as build-aux/demo's does: the
 * person is asked about the CA, whose fingerprint the demo prints. */
static void
test_certificate_authority (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SpTestServer) server = NULL;
  g_autoptr(GTlsCertificate) chain = NULL;
  g_autoptr(GSocketConnectable) identity = NULL;
  g_autoptr(GSocketConnectable) other_name = NULL;
  g_autoptr(GTlsCertificate) lone = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server_pem = NULL;
  g_autofree char *server_text = NULL;
  g_autofree char *ca_text = NULL;
  g_autofree char *chain_pem = NULL;
  g_autofree char *chain_text = NULL;
  g_autofree char *config = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *remembered = NULL;
  g_autofree char *anchor_fingerprint = NULL;
  SpCertificateDialog *dialog;
  SpWindow *window;

  if (skip_without_server ())
    return;

  server_pem = sp_test_env_get_tls_file (env, "server.pem");
  chain_pem = g_build_filename (sp_test_env_get_dir (env), "server-chain.pem", NULL);
  g_assert_true (g_file_get_contents (server_pem, &server_text, NULL, &error));
  g_assert_true (g_file_get_contents (sp_test_env_get_ca_file (env), &ca_text, NULL, &error));
  chain_text = g_strconcat (server_text, ca_text, NULL);
  g_assert_true (g_file_set_contents (chain_pem, chain_text, -1, &error));
  g_assert_no_error (error);

  /* The anchor: the CA, when the certificate is valid under it for the
   * server; otherwise the certificate itself. */
  chain = g_tls_certificate_new_from_file (chain_pem, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_tls_certificate_get_issuer (chain));
  identity = g_network_address_new ("127.0.0.1", 443);
  other_name = g_network_address_new ("sportello.example.org", 443);
  g_assert_true (sp_certificate_get_anchor (chain, identity) == g_tls_certificate_get_issuer (chain));
  g_assert_true (sp_certificate_get_anchor (chain, other_name) == chain);
  lone = g_tls_certificate_new_from_file (server_pem, &error);
  g_assert_no_error (error);
  g_assert_true (sp_certificate_get_anchor (lone, identity) == lone);
  expected = openssl_fingerprint (sp_test_env_get_ca_file (env));
  anchor_fingerprint = sp_certificate_get_fingerprint (sp_certificate_get_anchor (chain, identity));
  anchor_fingerprint[16 * 3 - 1] = '\n';
  g_assert_cmpstr (anchor_fingerprint, ==, expected);

  config = sp_test_env_copy_config (env, "server-chain.conf", "server", "tls-certificate", chain_pem, NULL);
  server = sp_test_server_start (env, config, NULL);
  g_settings_reset (settings, "trusted-certificates");

  /* Asked about the CA: its fingerprint, as openssl (and the demo) print it. */
  window = open_window (NULL);
  sp_window_set_server_url (window, sp_test_server_get_url (server));
  sign_in (window, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  WAIT_UNTIL ((dialog = find_certificate_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Considerare attendibile questo server?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "autorità di certificazione che questo computer non conosce"));
  g_assert_cmpstr (dialog_fingerprint_title (dialog), ==, "Impronta digitale SHA-256 dell'autorità di certificazione");
  g_assert_cmpstr (dialog_fingerprint (dialog), ==, expected);
  /* The rows below describe the server's own certificate. */
  g_assert_nonnull (strstr (gtk_label_get_text (child (dialog, SP_TYPE_CERTIFICATE_DIALOG, "subject_label")),
                            "CN=localhost"));
  g_assert_nonnull (strstr (gtk_label_get_text (child (dialog, SP_TYPE_CERTIFICATE_DIALOG, "issuer_label")),
                            "Sportello Test CA 1"));
  sp_test_ui_save_screenshot (GTK_WIDGET (dialog), "certificate-authority.png");

  /* Trusting it remembers the CA's fingerprint and signs in. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "trust");
  WAIT_UNTIL (g_strcmp0 (visible_child_name (window, "main_stack"), "session") == 0);
  remembered = trusted_fingerprint (settings);
  g_assert_cmpstr (remembered, ==, expected);
  close_window (window);

  /* Next time it is accepted silently. */
  window = open_window (NULL);
  sp_window_set_server_url (window, sp_test_server_get_url (server));
  sign_in_and_wait (window, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_assert_null (find_certificate_dialog ());
  g_assert_cmpstr (visible_child_name (window, "main_stack"), ==, "session");
  close_window (window);

  g_settings_reset (settings, "trusted-certificates");
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
    }

  g_test_add_func ("/sportello/client/login/wrong-password", test_wrong_password);
  g_test_add_func ("/sportello/client/login/unreachable", test_unreachable);
  g_test_add_func ("/sportello/client/login/operator-session", test_operator_session);
  g_test_add_func ("/sportello/client/login/session-expired", test_session_expired);
  g_test_add_func ("/sportello/client/login/auditor-session", test_auditor_session);
  g_test_add_func ("/sportello/client/login/certificate-trust", test_certificate_trust);
  g_test_add_func ("/sportello/client/login/certificate-authority", test_certificate_authority);
  g_test_add_func ("/sportello/client/login/account-locked", test_account_locked);
  g_test_add_func ("/sportello/client/login/about", test_about);

  status = g_test_run ();

  if (env != NULL)
    sp_test_env_stop (env);
  g_clear_object (&application);
  return status;
}
