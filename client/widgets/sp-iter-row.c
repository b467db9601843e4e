/* sp-iter-row.c: one step of a pratica's iter: status, date and time, who, note */
#define G_LOG_DOMAIN "sp-iter-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-iter-row.h"

static char *
format_datetime (GDateTime *datetime)
{
  g_autoptr(GDateTime) local = NULL;

  if (datetime == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (datetime);
  return g_date_time_format (local, "%x %H:%M");
}

static const char *
actor_icon (const char *kind)
{
  if (g_strcmp0 (kind, "citizen") == 0)
    return "avatar-default-symbolic";
  if (g_strcmp0 (kind, "operator") == 0)
    return "system-users-symbolic";
  if (g_strcmp0 (kind, "partner") == 0)
    return "network-server-symbolic";
  return "emblem-system-symbolic";
}

static const char *
actor_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "citizen") == 0)
    return _("Citizen");
  if (g_strcmp0 (kind, "operator") == 0)
    return _("Operator");
  if (g_strcmp0 (kind, "partner") == 0)
    return _("Partner");
  return _("System");
}

/**
 * sp_iter_row_new:
 * @entry: a step of the iter
 * @current: the last step, the status the pratica is in
 *
 * Returns: (transfer floating): a #GtkListBoxRow for a boxed list
 */
GtkWidget *
sp_iter_row_new (const SpIterEntry *entry,
                 gboolean           current)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *actor = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *status = gtk_label_new (sp_status_get_label (entry->status));
  g_autofree char *when = format_datetime (entry->at);
  GtkWidget *date = gtk_label_new (when);
  GtkWidget *icon = gtk_image_new_from_icon_name (actor_icon (entry->actor_kind));
  GtkWidget *name = gtk_label_new (entry->actor_name);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);

  gtk_widget_add_css_class (dot, "sp-iter-dot");
  if (current)
    gtk_widget_add_css_class (dot, "sp-current");
  gtk_widget_set_valign (dot, GTK_ALIGN_START);
  gtk_widget_set_halign (dot, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), dot);

  gtk_label_set_xalign (GTK_LABEL (status), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_widget_set_hexpand (status, TRUE);
  gtk_widget_add_css_class (status, "heading");
  gtk_widget_set_name (status, "status");
  gtk_label_set_xalign (GTK_LABEL (date), 1.0f);
  gtk_widget_set_valign (date, GTK_ALIGN_START);
  gtk_widget_add_css_class (date, "numeric");
  gtk_widget_add_css_class (date, "dim-label");
  gtk_widget_set_name (date, "date");
  gtk_box_append (GTK_BOX (top), status);
  gtk_box_append (GTK_BOX (top), date);
  gtk_box_append (GTK_BOX (content), top);

  gtk_widget_set_tooltip_text (icon, actor_kind_label (entry->actor_kind));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, actor_kind_label (entry->actor_kind),
                                  -1);
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (name, entry->actor_name);
  gtk_widget_add_css_class (name, "dim-label");
  gtk_widget_set_name (name, "actor");
  gtk_box_append (GTK_BOX (actor), icon);
  gtk_box_append (GTK_BOX (actor), name);
  gtk_box_append (GTK_BOX (content), actor);

  if (entry->note != NULL && *entry->note != '\0')
    {
      GtkWidget *note = g_object_new (GTK_TYPE_LABEL,
                                      "label", entry->note,
                                      "xalign", 0.0f,
                                      "wrap", TRUE,
                                      "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                      "selectable", TRUE,
                                      NULL);

      gtk_widget_set_name (note, "note");
      gtk_widget_set_margin_top (note, 2);
      gtk_box_append (GTK_BOX (content), note);
    }

  gtk_box_append (GTK_BOX (box), content);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}
