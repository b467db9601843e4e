/* sp-login-page.c: the sign-in form (server address, username, password) */
#define G_LOG_DOMAIN "sp-login-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-certificate-dialog.h"
#include "sp-error.h"
#include "sp-login-page.h"

struct _SpLoginPage
{
  AdwBin        parent_instance;

  SpClient     *client;
  GCancellable *cancellable;
  gboolean      busy;

  GtkListBox   *form;
  AdwEntryRow  *server_row;
  AdwEntryRow  *username_row;
  AdwEntryRow  *password_row;
  GtkLabel     *message_label;
  GtkButton    *sign_in_button;
  GtkSpinner   *spinner;
  GtkLabel     *sign_in_label;
};

G_DEFINE_FINAL_TYPE (SpLoginPage, sp_login_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void sign_in (SpLoginPage *self);

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
row_is_empty (AdwEntryRow *row)
{
  const char *text = row_text (row);

  /* Surrounding spaces make no address or username. */
  while (g_ascii_isspace (*text))
    text++;
  return *text == '\0';
}

static void
update_actions (SpLoginPage *self)
{
  gboolean complete = !row_is_empty (self->server_row)
                      && !row_is_empty (self->username_row)
                      && *row_text (self->password_row) != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.sign-in",
                                 complete && !self->busy && self->client != NULL);
}

static void
show_message (SpLoginPage *self,
              const char  *message,
              const char  *css_class)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "warning");

  if (message == NULL || *message == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
      gtk_label_set_text (self->message_label, "");
      return;
    }

  gtk_label_set_text (self->message_label, message);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), css_class);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
}

static void
set_busy (SpLoginPage *self,
          gboolean     busy)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* Move the focus out of the form before it turns insensitive, so the
   * entry gets its focus-out. */
  if (busy && root != NULL)
    {
      GtkWidget *focus = gtk_root_get_focus (root);

      if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->form)))
        gtk_root_set_focus (root, NULL);
    }

  self->busy = busy;
  gtk_widget_set_sensitive (GTK_WIDGET (self->form), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_label_set_text_with_mnemonic (self->sign_in_label,
                                    busy ? _("Signing In…") : _("_Sign In"));
  update_actions (self);
}

static void
focus_first_empty_row (SpLoginPage *self)
{
  if (row_is_empty (self->server_row))
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  else if (row_is_empty (self->username_row))
    gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
certificate_response_cb (SpLoginPage         *self,
                         const char          *response,
                         SpCertificateDialog *dialog)
{
  if (g_strcmp0 (response, "trust") == 0)
    {
      sp_client_trust_certificate (self->client,
                                   sp_certificate_dialog_get_host_port (dialog),
                                   sp_certificate_dialog_get_anchor (dialog));
      set_busy (self, FALSE);
      sign_in (self);
      return;
    }

  set_busy (self, FALSE);
  show_message (self,
                _("Not signed in: the certificate of the server was not trusted. "
                  "If you are unsure, ask support for the server’s fingerprint."),
                "error");
  gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
}

static void
ask_trust (SpLoginPage *self)
{
  GTlsCertificate *certificate;
  GTlsCertificate *anchor = NULL;
  GTlsCertificateFlags errors = 0;
  const char *host_port = NULL;
  gboolean changed = FALSE;
  SpCertificateDialog *dialog;

  certificate = sp_client_get_untrusted_certificate (self->client, &host_port, &anchor, &changed, &errors);
  if (certificate == NULL || anchor == NULL || host_port == NULL)
    {
      set_busy (self, FALSE);
      show_message (self, _("The certificate of the server is not trusted."), "error");
      return;
    }

  dialog = sp_certificate_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                      host_port, certificate, anchor, errors, changed);
  g_signal_connect_object (dialog, "response", G_CALLBACK (certificate_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SpLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sp_client_login_finish (SP_CLIENT (object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);

  if (error == NULL)
    {
      set_busy (self, FALSE);
      show_message (self, NULL, NULL);
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      g_signal_emit (self, signals[SIGNED_IN], 0);
      return;
    }

  if (g_error_matches (error, SP_ERROR, SP_ERROR_UNTRUSTED_CERTIFICATE))
    {
      ask_trust (self);
      return;
    }

  set_busy (self, FALSE);
  show_message (self, error->message, "error");

  if (g_error_matches (error, SP_ERROR, SP_ERROR_INVALID_CREDENTIALS))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
    }
  else if (g_error_matches (error, SP_ERROR, SP_ERROR_UNREACHABLE))
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  else
    focus_first_empty_row (self);
}

static void
sign_in (SpLoginPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *username = NULL;

  if (self->busy || self->client == NULL)
    return;

  if (row_is_empty (self->server_row) || row_is_empty (self->username_row)
      || *row_text (self->password_row) == '\0')
    {
      focus_first_empty_row (self);
      return;
    }

  if (!sp_client_set_base_url (self->client, row_text (self->server_row), &error))
    {
      show_message (self, error->message, "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }

  show_message (self, NULL, NULL);
  set_busy (self, TRUE);

  username = g_strstrip (g_strdup (row_text (self->username_row)));
  self->cancellable = g_cancellable_new ();
  sp_client_login_async (self->client, username, row_text (self->password_row),
                         self->cancellable, login_cb, g_object_ref (self));
}

static void
form_changed_cb (SpLoginPage *self)
{
  update_actions (self);
}

static void
entry_activated_cb (SpLoginPage *self,
                    AdwEntryRow *row)
{
  sign_in (self);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sign_in (SP_LOGIN_PAGE (widget));
}

static void
sp_login_page_map (GtkWidget *widget)
{
  SpLoginPage *self = SP_LOGIN_PAGE (widget);

  GTK_WIDGET_CLASS (sp_login_page_parent_class)->map (widget);

  focus_first_empty_row (self);
}

static void
sp_login_page_dispose (GObject *object)
{
  SpLoginPage *self = SP_LOGIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sp_login_page_parent_class)->dispose (object);
}

static void
sp_login_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SpLoginPage *self = SP_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_login_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SpLoginPage *self = SP_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      sp_login_page_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_login_page_class_init (SpLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_login_page_dispose;
  object_class->get_property = sp_login_page_get_property;
  object_class->set_property = sp_login_page_set_property;

  widget_class->map = sp_login_page_map;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         SP_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SpLoginPage::signed-in:
   *
   * The client signed in; its user is set.
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpLoginPage, form);
  gtk_widget_class_bind_template_child (widget_class, SpLoginPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, SpLoginPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, SpLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, SpLoginPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, SpLoginPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SpLoginPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpLoginPage, sign_in_label);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);

  gtk_widget_class_install_action (widget_class, "login.sign-in", NULL, sign_in_action);
}

static void
sp_login_page_init (SpLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  update_actions (self);
}

/**
 * sp_login_page_get_client:
 *
 * Returns: (nullable) (transfer none): the client the page signs in with
 */
SpClient *
sp_login_page_get_client (SpLoginPage *self)
{
  g_return_val_if_fail (SP_IS_LOGIN_PAGE (self), NULL);

  return self->client;
}

void
sp_login_page_set_client (SpLoginPage *self,
                          SpClient    *client)
{
  g_return_if_fail (SP_IS_LOGIN_PAGE (self));
  g_return_if_fail (client == NULL || SP_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

void
sp_login_page_set_server_url (SpLoginPage *self,
                              const char  *server_url)
{
  g_return_if_fail (SP_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url ? server_url : "");
}

void
sp_login_page_set_username (SpLoginPage *self,
                            const char  *username)
{
  g_return_if_fail (SP_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username ? username : "");
}

/**
 * sp_login_page_reset:
 * @message: (nullable): why the user is back here (e.g. the session expired)
 *
 * Prepares the page for a new sign-in: cancels one in progress, clears the
 * password and shows @message.
 */
void
sp_login_page_reset (SpLoginPage *self,
                     const char  *message)
{
  g_return_if_fail (SP_IS_LOGIN_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_message (self, message, "warning");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    focus_first_empty_row (self);
}
