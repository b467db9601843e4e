/* sp-pratica-page-actions.c: what the operator does from the detail: "Prendi in carico" and "Elabora" */
#define G_LOG_DOMAIN "sp-pratica-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-client-pratica.h"
#include "sp-page.h"
#include "sp-pratica-page-private.h"
#include "sp-take-charge-dialog.h"

/*
 * "Prendi in carico" is below the facts while the pratica can be taken
 * (disabled, with the reason, while it waits for its protocol number), as in
 * the dashboard. "Elabora" is there for the operator in charge while the
 * pratica can be processed: an SpElaboraPage takes the page's place until it
 * is closed or the pratica concluded, then the detail comes back, reloaded.
 */

/* "Prendi in carico": offered while the pratica can be taken, disabled with
 * the reason while it waits for its protocol number, absent otherwise. */
static void
show_take_charge (SpPraticaPage *self)
{
  SpTakeChargeBlock block = SP_TAKE_CHARGE_NOT_ALLOWED;

  if (self->detail != NULL)
    block = sp_pratica_summary_get_data (self->detail->summary)->take_charge;

  gtk_widget_set_visible (self->take_charge_button,
                          block == SP_TAKE_CHARGE_ALLOWED || block == SP_TAKE_CHARGE_WAITING_PROTOCOL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pratica.take-charge",
                                 block == SP_TAKE_CHARGE_ALLOWED && self->taking == NULL);
  gtk_widget_set_tooltip_text (self->take_charge_button, sp_take_charge_block_get_reason (block));
}

/* "Elabora": for the operator in charge, while the pratica can be processed. */
static void
show_elabora (SpPraticaPage *self)
{
  gboolean processable = self->detail != NULL && self->detail->assigned_to_me
                         && sp_status_is_processable (sp_pratica_summary_get_data (self->detail->summary)->status);

  gtk_widget_set_visible (self->elabora_button, processable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pratica.elabora", processable);
}

/**
 * sp_pratica_page_show_actions:
 *
 * Shows what the operator can do with the pratica as it is now.
 */
void
sp_pratica_page_show_actions (SpPraticaPage *self)
{
  show_take_charge (self);
  show_elabora (self);
}

/* Back to the detail from Elabora, if it is open. */
void
sp_pratica_page_close_elabora (SpPraticaPage *self)
{
  if (self->elabora_page == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->elabora_page, self);
  self->elabora_page = NULL;
  adw_bin_set_child (ADW_BIN (self), self->detail_box);
}

/* Prendi in carico */

static void
show_refusal (SpPraticaPage *self,
              const char    *numero,
              const char    *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  /* Translators: %s is the pratica's number */
  heading = g_strdup_printf (_("Cannot Take Pratica %s in Charge"), numero);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
take_charge_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SpPraticaPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *numero = NULL;

  if (!sp_client_take_charge_finish (SP_CLIENT (object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->taking);
  sp_pratica_page_set_busy (self, FALSE);
  numero = g_strdup (self->detail != NULL ? sp_pratica_summary_get_data (self->detail->summary)->numero : "");

  /* Taken or refused, the pratica changed: show it as it is now. */
  show_take_charge (self);
  sp_page_refresh (SP_PAGE (self));

  if (error == NULL)
    {
      g_autofree char *title = NULL;

      /* Translators: a toast; %s is the pratica's number */
      title = g_strdup_printf (_("Pratica %s taken in charge"), numero);
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
      return;
    }

  g_debug ("Cannot take %s in charge: %s", numero, error->message);
  show_refusal (self, numero, error->message);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     SpPraticaPage    *self)
{
  if (g_strcmp0 (response, "take") != 0 || self->taking != NULL || self->client == NULL
      || !sp_client_is_signed_in (self->client))
    return;

  /* One request at a time: the button waits for the answer. */
  self->taking = g_cancellable_new ();
  show_take_charge (self);
  sp_pratica_page_set_busy (self, TRUE);
  sp_client_take_charge_async (self->client, self->pratica_id, self->taking,
                               take_charge_cb, g_object_ref (self));
}

static void
take_charge_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SpPraticaPage *self = SP_PRATICA_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->detail == NULL || self->taking != NULL
      || sp_pratica_summary_get_data (self->detail->summary)->take_charge != SP_TAKE_CHARGE_ALLOWED)
    return;

  dialog = sp_take_charge_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->detail->summary);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Elabora */

static void
elabora_closed_cb (SpPraticaPage *self)
{
  sp_pratica_page_close_elabora (self);
  /* Saving moves the pratica on ("In elaborazione"): show it as it is now. */
  sp_page_refresh (SP_PAGE (self));
}

static void
elabora_concluded_cb (SpPraticaPage *self)
{
  g_autofree char *title = NULL;

  sp_pratica_page_close_elabora (self);
  sp_page_refresh (SP_PAGE (self));
  /* Translators: a toast; %s is the pratica's number */
  title = g_strdup_printf (_("Pratica %s concluded"),
                           self->detail != NULL ? sp_pratica_summary_get_data (self->detail->summary)->numero : "");
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
elabora_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SpPraticaPage *self = SP_PRATICA_PAGE (widget);

  if (self->elabora_page != NULL || self->client == NULL || !sp_client_is_signed_in (self->client))
    return;

  self->elabora_page = sp_elabora_page_new (self->client, self->pratica_id);
  g_signal_connect_object (self->elabora_page, "closed", G_CALLBACK (elabora_closed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->elabora_page, "concluded", G_CALLBACK (elabora_concluded_cb), self,
                           G_CONNECT_SWAPPED);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->elabora_page));
}

void
sp_pratica_page_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "pratica.take-charge", NULL, take_charge_action);
  gtk_widget_class_install_action (widget_class, "pratica.elabora", NULL, elabora_action);
}
