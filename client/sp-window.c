/* sp-window.c: the main window: sign-in, then the pages of the user's role */
#define G_LOG_DOMAIN "sp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-audit-page.h"
#include "sp-dashboard-page.h"
#include "sp-login-page.h"
#include "sp-metrics-page.h"
#include "sp-page.h"
#include "sp-pratica-page.h"
#include "sp-protocol-page.h"
#include "sp-window.h"

/*
 * The window shows either the login page or the session: a header bar with
 * a view switcher over an AdwViewStack whose children implement SpPage. A new
 * page is one more AdwViewStackPage in sp-window.ui; the window shows it when
 * sp_page_is_available() allows the user's role, refreshes it after sign-in
 * and on F5, and resets it on sign-out.
 *
 * A pratica opens over the session (sp_window_show_pratica(), the
 * `win.show-pratica` action): an SpPraticaPage with its own header bar, in
 * the main stack, until its back button returns to the pages.
 */
struct _SpWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  SpClient             *client;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  SpLoginPage          *login_page;
  AdwViewSwitcherTitle *switcher_title;
  GtkMenuButton        *account_button;
  AdwAvatar            *account_avatar;
  GtkLabel             *account_label;
  GtkStack             *content_stack;
  AdwViewStack         *view_stack;
  SpDashboardPage      *dashboard_page;
  SpProtocolPage       *protocol_page;
  SpPraticaPage        *pratica_page;   /* in main_stack while a pratica is open */
  AdwStatusPage        *no_pages_page;
};

G_DEFINE_FINAL_TYPE (SpWindow, sp_window, ADW_TYPE_APPLICATION_WINDOW)

static const char *
role_label (SpRole role)
{
  switch (role)
    {
    case SP_ROLE_OPERATORE:
      return _("Operator");
    case SP_ROLE_AUDITOR:
      return _("Auditor");
    case SP_ROLE_ADMIN:
      return _("Administrator");
    case SP_ROLE_INVALID:
    default:
      return _("Unknown role");
    }
}

typedef void (*PageFunc) (SpWindow         *self,
                          AdwViewStackPage *stack_page,
                          SpPage           *page,
                          gpointer          user_data);

/* Calls @func on every SpPage of the view stack. */
static void
foreach_page (SpWindow *self,
              PageFunc  func,
              gpointer  user_data)
{
  g_autoptr(GtkSelectionModel) pages = adw_view_stack_get_pages (self->view_stack);
  guint n_pages = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (guint i = 0; i < n_pages; i++)
    {
      g_autoptr(AdwViewStackPage) stack_page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkWidget *child = adw_view_stack_page_get_child (stack_page);

      if (SP_IS_PAGE (child))
        func (self, stack_page, SP_PAGE (child), user_data);
    }
}

static void
set_page_client (SpWindow         *self,
                 AdwViewStackPage *stack_page,
                 SpPage           *page,
                 gpointer          user_data)
{
  g_object_set (page, "client", self->client, NULL);
}

static void
reset_page (SpWindow         *self,
            AdwViewStackPage *stack_page,
            SpPage           *page,
            gpointer          user_data)
{
  sp_page_reset (page);
}

typedef struct
{
  guint             n_available;
  AdwViewStackPage *first;
} StartPages;

static void
start_page (SpWindow         *self,
            AdwViewStackPage *stack_page,
            SpPage           *page,
            gpointer          user_data)
{
  StartPages *start = user_data;
  gboolean available = sp_page_is_available (page, sp_client_get_user (self->client));

  adw_view_stack_page_set_visible (stack_page, available);
  if (available)
    {
      if (start->n_available++ == 0)
        start->first = stack_page;
      sp_page_refresh (page);
    }
}

static void
set_session_actions_enabled (SpWindow *self,
                             gboolean  enabled)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.logout", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-pratica", enabled);
}

/* Closes the open pratica, if any, and shows @name of the main stack. */
static void
close_pratica (SpWindow   *self,
               const char *name)
{
  gtk_stack_set_visible_child_name (self->main_stack, name);
  if (self->pratica_page != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->pratica_page, self);
      gtk_stack_remove (self->main_stack, GTK_WIDGET (self->pratica_page));
      self->pratica_page = NULL;
    }
}

static void
pratica_back_cb (SpWindow      *self,
                 SpPraticaPage *page)
{
  GtkWidget *child = adw_view_stack_get_visible_child (self->view_stack);

  close_pratica (self, "session");
  /* The pratica may have moved to another list meanwhile. */
  if (SP_IS_PAGE (child) && sp_client_is_signed_in (self->client))
    sp_page_refresh (SP_PAGE (child));
}

static GMenuModel *
create_account_menu (const SpUser *user)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) general = g_menu_new ();
  g_autoptr(GMenu) session = g_menu_new ();
  g_autofree char *heading = NULL;

  if (user->ente_name != NULL)
    /* Translators: the user's role and municipality, as the heading of the account menu */
    heading = g_strdup_printf (_("%s · %s"), role_label (user->role), user->ente_name);
  else
    heading = g_strdup (role_label (user->role));

  g_menu_append (general, _("_Keyboard Shortcuts"), "win.show-help-overlay");
  g_menu_append (general, _("_About Sportello"), "app.about");
  g_menu_append (session, _("_Log Out"), "win.logout");

  g_menu_append_section (menu, heading, G_MENU_MODEL (general));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (session));

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static void
show_login (SpWindow   *self,
            const char *message)
{
  set_session_actions_enabled (self, FALSE);
  close_pratica (self, "login");
  foreach_page (self, reset_page, NULL);
  gtk_menu_button_set_menu_model (self->account_button, NULL);
  sp_login_page_reset (self->login_page, message);
}

static void
show_session (SpWindow *self)
{
  const SpUser *user = sp_client_get_user (self->client);
  g_autoptr(GMenuModel) menu = create_account_menu (user);
  g_autofree char *tooltip = NULL;
  const char *name = user->full_name != NULL && *user->full_name != '\0'
                     ? user->full_name : user->username;
  StartPages start = { 0, NULL };

  gtk_label_set_text (self->account_label, name);
  adw_avatar_set_text (self->account_avatar, name);
  tooltip = g_strdup_printf (_("Account of %s"), name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->account_button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->account_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_menu_button_set_menu_model (self->account_button, menu);
  adw_view_switcher_title_set_subtitle (self->switcher_title, user->ente_name);

  foreach_page (self, start_page, &start);

  /* With a single page there is nothing to switch: the title names the page. */
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, start.n_available > 1);
  if (start.n_available == 1)
    adw_view_switcher_title_set_title (self->switcher_title, adw_view_stack_page_get_title (start.first));
  else
    adw_view_switcher_title_set_title (self->switcher_title, "Sportello");

  if (start.first != NULL)
    {
      adw_view_stack_set_visible_child (self->view_stack, adw_view_stack_page_get_child (start.first));
      gtk_stack_set_visible_child_name (self->content_stack, "pages");
    }
  else
    {
      g_autofree char *description = NULL;

      description = g_strdup_printf (_("Your account has the role “%s”, which has no pages in this version of Sportello."),
                                     role_label (user->role));
      adw_status_page_set_description (self->no_pages_page, description);
      gtk_stack_set_visible_child_name (self->content_stack, "no-pages");
    }

  set_session_actions_enabled (self, TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "session");
}

/* A narrow window shows the account as its avatar alone. */
static void
update_account_label_cb (SpWindow *self)
{
  int width = 0;
  int height = 0;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  gtk_widget_set_visible (GTK_WIDGET (self->account_label),
                          width <= 0 || width >= 600 || gtk_window_is_maximized (GTK_WINDOW (self)));
}

static void
signed_in_cb (SpWindow    *self,
              SpLoginPage *login_page)
{
  const SpUser *user = sp_client_get_user (self->client);

  g_settings_set_string (self->settings, "server-url", sp_client_get_base_url (self->client));
  g_settings_set_string (self->settings, "last-username", user->username);
  show_session (self);
}

static void
session_expired_cb (SpWindow *self,
                    SpClient *client)
{
  show_login (self, _("Your session has expired: sign in again."));
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GApplication) application = user_data;
  g_autoptr(GError) error = NULL;

  if (!sp_client_logout_finish (SP_CLIENT (object), result, &error))
    g_message ("The server was not told about the logout: %s", error->message);
  if (application != NULL)
    g_application_release (application);
}

static void
logout_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpWindow *self = SP_WINDOW (widget);

  sp_client_logout_async (self->client, NULL, logout_cb, NULL);
  show_login (self, NULL);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SpWindow *self = SP_WINDOW (widget);
  GtkWidget *child = adw_view_stack_get_visible_child (self->view_stack);

  if (self->pratica_page != NULL
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "pratica") == 0)
    child = GTK_WIDGET (self->pratica_page);
  if (sp_client_is_signed_in (self->client) && SP_IS_PAGE (child))
    sp_page_refresh (SP_PAGE (child));
}

static void
show_pratica_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  sp_window_show_pratica (SP_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
save_window_state (SpWindow *self)
{
  int width = 0;
  int height = 0;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  if (width > 0 && height > 0 && !gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
sp_window_close_request (GtkWindow *window)
{
  SpWindow *self = SP_WINDOW (window);
  GtkApplication *application = gtk_window_get_application (window);

  save_window_state (self);

  /* Revoke the session on the server; the application waits for it. */
  if (sp_client_is_signed_in (self->client) && application != NULL)
    {
      g_application_hold (G_APPLICATION (application));
      sp_client_logout_async (self->client, NULL, logout_cb, g_object_ref (application));
    }

  return GTK_WINDOW_CLASS (sp_window_parent_class)->close_request (window);
}

static void
sp_window_dispose (GObject *object)
{
  SpWindow *self = SP_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_WINDOW);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sp_window_parent_class)->dispose (object);
}

static void
sp_window_class_init (SpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sp_window_dispose;

  window_class->close_request = sp_window_close_request;

  g_type_ensure (SP_TYPE_AUDIT_PAGE);
  g_type_ensure (SP_TYPE_DASHBOARD_PAGE);
  g_type_ensure (SP_TYPE_LOGIN_PAGE);
  g_type_ensure (SP_TYPE_METRICS_PAGE);
  g_type_ensure (SP_TYPE_PROTOCOL_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, account_avatar);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, account_label);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, dashboard_page);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, protocol_page);
  gtk_widget_class_bind_template_child (widget_class, SpWindow, no_pages_page);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);

  gtk_widget_class_install_action (widget_class, "win.logout", NULL, logout_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.show-pratica", "s", show_pratica_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
}

static void
sp_window_init (SpWindow *self)
{
  g_autofree char *username = NULL;
  g_autofree char *server_url = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->client = sp_client_new (self->settings);
  g_signal_connect_object (self->client, "session-expired",
                           G_CALLBACK (session_expired_cb), self, G_CONNECT_SWAPPED);

  sp_login_page_set_client (self->login_page, self->client);
  server_url = g_settings_get_string (self->settings, "server-url");
  username = g_settings_get_string (self->settings, "last-username");
  sp_login_page_set_server_url (self->login_page, server_url);
  sp_login_page_set_username (self->login_page, username);

  foreach_page (self, set_page_client, NULL);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect (self, "notify::default-width", G_CALLBACK (update_account_label_cb), NULL);
  g_signal_connect (self, "notify::maximized", G_CALLBACK (update_account_label_cb), NULL);
  update_account_label_cb (self);

  set_session_actions_enabled (self, FALSE);
}

SpWindow *
sp_window_new (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  return g_object_new (SP_TYPE_WINDOW, "application", application, NULL);
}

/**
 * sp_window_get_client:
 *
 * Returns: (transfer none): the API client of the window's session
 */
SpClient *
sp_window_get_client (SpWindow *self)
{
  g_return_val_if_fail (SP_IS_WINDOW (self), NULL);

  return self->client;
}

/**
 * sp_window_set_server_url:
 *
 * Fills the server address of the login page (`sportello --server URL`).
 */
void
sp_window_set_server_url (SpWindow   *self,
                          const char *server_url)
{
  g_return_if_fail (SP_IS_WINDOW (self));

  sp_login_page_set_server_url (self->login_page, server_url);
}

/**
 * sp_window_show_pratica:
 * @pratica_id: the pratica's UUID
 *
 * Opens the *Dettaglio pratica* of @pratica_id over the session's pages
 * (replacing the pratica open before, if any); its back button returns to
 * them. "Vedi dettaglio" and "Prendi in carico" lead here.
 */
void
sp_window_show_pratica (SpWindow   *self,
                        const char *pratica_id)
{
  SpPraticaPage *page;

  g_return_if_fail (SP_IS_WINDOW (self));
  g_return_if_fail (pratica_id != NULL);

  if (!sp_client_is_signed_in (self->client))
    return;

  page = sp_pratica_page_new (self->client, pratica_id);
  g_signal_connect_object (page, "back", G_CALLBACK (pratica_back_cb), self, G_CONNECT_SWAPPED);
  close_pratica (self, "session");
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (page), "pratica");
  self->pratica_page = page;
  gtk_stack_set_visible_child (self->main_stack, GTK_WIDGET (page));
  gtk_widget_grab_focus (GTK_WIDGET (page));
}
