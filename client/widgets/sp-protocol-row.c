/* sp-protocol-row.c: one entry of a pratica's protocol register: number, date and time, direction */
#define G_LOG_DOMAIN "sp-protocol-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-protocol-row.h"

/**
 * sp_protocol_direction_label:
 * @direction: (nullable): "arrivo" or "risposta"
 *
 * Returns: what the direction is called in the user's language
 */
const char *
sp_protocol_direction_label (const char *direction)
{
  if (g_strcmp0 (direction, "arrivo") == 0)
    return C_("protocol direction", "Incoming");
  if (g_strcmp0 (direction, "risposta") == 0)
    return C_("protocol direction", "Response");
  return direction != NULL ? direction : "—";
}

/**
 * sp_protocol_row_new:
 * @record: an entry of the register
 *
 * Returns: (transfer floating): an #AdwActionRow for a boxed list, named
 *   after the entry's number
 */
GtkWidget *
sp_protocol_row_new (const SpProtocolRecord *record)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (g_strcmp0 (record->direction, "risposta") == 0
                                                  ? "mail-send-symbolic" : "mail-read-symbolic");
  GtkWidget *direction = gtk_label_new (sp_protocol_direction_label (record->direction));
  g_autofree char *title = NULL;
  g_autofree char *when = NULL;

  /* Translators: a protocol number, e.g. No. 2026/0000123 */
  title = g_strdup_printf (_("No. %s"), record->number);
  if (record->registered_at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (record->registered_at);

      when = g_date_time_format (local, "%x %H:%M");
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when != NULL ? when : "—");
  gtk_widget_set_name (row, record->number);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sp_protocol_direction_label (record->direction), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_set_name (direction, "direction");
  gtk_widget_add_css_class (direction, "sp-status-pill");
  gtk_widget_set_valign (direction, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), direction);
  return row;
}
