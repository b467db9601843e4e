/* sp-take-charge-dialog.c: the confirmation of "Prendi in carico" */
#define G_LOG_DOMAIN "sp-take-charge-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-person.h"
#include "sp-take-charge-dialog.h"

/**
 * sp_take_charge_dialog_new:
 * @parent: (nullable): the window it is modal for
 * @summary: the pratica to take in charge
 *
 * The question every "Prendi in carico" asks first, in the dashboard and in
 * the detail alike (DESIGN.md §7: "Sì, sono sicuro").
 *
 * Returns: (transfer none): a modal #AdwMessageDialog, not yet presented,
 *   with the responses `cancel` and `take`
 */
GtkWidget *
sp_take_charge_dialog_new (GtkWindow        *parent,
                           SpPraticaSummary *summary)
{
  SpPraticaSummaryData *data;
  g_autofree char *applicant = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (SP_IS_PRATICA_SUMMARY (summary), NULL);

  data = sp_pratica_summary_get_data (summary);
  applicant = sp_person_format_name (data->applicant_cognome, data->applicant_nome);
  /* Translators: the question of the confirmation dialog; %s is the pratica's number */
  heading = g_strdup_printf (_("Take pratica %s in charge?"), data->numero);
  /* Translators: the applicant's name and codice fiscale, then the service */
  body = g_strdup_printf (_("The pratica of %s (%s) for “%s” will be assigned to you, "
                            "and the applicant will be told by e-mail."),
                          applicant, data->applicant_cf, data->servizio_name);

  dialog = adw_message_dialog_new (parent, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "take", _("_Yes, I Am Sure"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "take", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "take");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  return dialog;
}
