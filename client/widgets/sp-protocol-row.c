/* sp-protocol-row.c: one registration of a pratica: the register's (number, date and time, direction) or a partner's (as sent) */
#define G_LOG_DOMAIN "sp-protocol-row"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

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

static char *
format_datetime (GDateTime *datetime)
{
  g_autoptr(GDateTime) local = NULL;

  if (datetime == NULL)
    return NULL;
  local = g_date_time_to_local (datetime);
  return g_date_time_format (local, "%x %H:%M");
}

/* A partner's date in the user's locale when it is one (2026-03-05, or a
 * date and time), else as the partner wrote it. */
static char *
format_partner_date (const char *text)
{
  g_autoptr(GDateTime) datetime = g_date_time_new_from_iso8601 (text, NULL);
  int year, month, day;
  char end;

  if (datetime != NULL)
    return format_datetime (datetime);
  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) == 3 && strlen (text) == 10
      && g_date_valid_dmy (day, month, year))
    {
      g_autoptr(GDateTime) date = g_date_time_new_local (year, month, day, 0, 0, 0);

      return g_date_time_format (date, "%x");
    }
  return g_strdup (text);
}

static GtkWidget *
pill (const char *name,
      const char *text,
      const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_name (label, name);
  gtk_widget_add_css_class (label, "sp-status-pill");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

/* Where it came from, what the partner dated it, and all it sent when its
 * number and date do not say everything. */
static void
append_part (GString    *line,
             const char *part)
{
  if (line->len > 0)
    g_string_append (line, " · ");
  g_string_append (line, part);
}

static char *
external_subtitle (const SpProtocolRecord *record)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *date = NULL;
  g_autofree char *received = NULL;
  g_autofree char *source = NULL;

  if (record->number == NULL)
    append_part (line, _("Entry in a form that is not recognised"));
  if (record->date != NULL)
    {
      g_autofree char *dated = NULL;

      date = format_partner_date (record->date);
      /* Translators: the date a partner gave its protocol registration */
      dated = g_strdup_printf (_("Dated %s"), date);
      append_part (line, dated);
    }
  else if ((received = format_datetime (record->registered_at)) != NULL)
    {
      g_autofree char *when = NULL;

      /* Translators: when Sportello received a partner's protocol entry */
      when = g_strdup_printf (_("Received on %s"), received);
      append_part (line, when);
    }
  if (record->registered_by != NULL)
    /* Translators: the partner's name */
    source = g_strdup_printf (_("Registered by the partner %s"), record->registered_by);
  else
    source = g_strdup (_("External protocol"));
  append_part (line, source);

  if (record->number != NULL && record->raw != NULL && !sp_protocol_record_is_plain (record))
    {
      g_string_append_c (line, '\n');
      /* Translators: a partner's protocol entry, as the JSON text it sent */
      g_string_append_printf (line, _("As sent: %s"), record->raw);
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static char *
internal_subtitle (const SpProtocolRecord *record)
{
  g_autofree char *when = format_datetime (record->registered_at);

  /* Translators: the date and time of a registration in the ente's own register */
  return g_strdup_printf (_("%s · Internal register"), when != NULL ? when : "—");
}

/**
 * sp_protocol_row_new:
 * @record: a registration of the pratica
 *
 * A row of the register: its number (or, for a partner's entry without
 * one, the entry as sent), when and by whom, and pills for the direction or
 * the external origin and for the pratica's main number.
 *
 * Returns: (transfer floating): an #AdwActionRow for a boxed list, named
 *   after the entry's number (or `external-N` for the Nth entry without one)
 */
GtkWidget *
sp_protocol_row_new (const SpProtocolRecord *record,
                     guint                   index)
{
  GtkWidget *row = adw_action_row_new ();
  gboolean external = record->origin == SP_PROTOCOL_ORIGIN_EXTERNAL;
  const char *icon_name;
  const char *kind;
  GtkWidget *icon;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *name = NULL;

  if (external)
    {
      icon_name = "network-server-symbolic";
      kind = C_("protocol origin", "External");
    }
  else
    {
      icon_name = g_strcmp0 (record->direction, "risposta") == 0 ? "mail-send-symbolic" : "mail-read-symbolic";
      kind = sp_protocol_direction_label (record->direction);
    }
  icon = gtk_image_new_from_icon_name (icon_name);

  if (record->number != NULL)
    /* Translators: a protocol number, e.g. No. 2026/0000123 */
    title = g_strdup_printf (_("No. %s"), record->number);
  else
    title = g_strdup (record->raw != NULL ? record->raw : "—");
  subtitle = external ? external_subtitle (record) : internal_subtitle (record);
  name = record->number != NULL ? g_strdup (record->number) : g_strdup_printf ("external-%u", index);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_name (row, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, kind, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  if (record->main)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                               pill ("main", C_("protocol number", "Main"), "sp-status-working"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), pill (external ? "origin" : "direction", kind, NULL));
  return row;
}
