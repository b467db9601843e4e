/* sp-step-field-row.c: one field of a service's processing step in Elabora, to fill in */
#define G_LOG_DOMAIN "sp-step-field-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-json-text.h"
#include "sp-step-field-row.h"

/*
 * A row per field of a service's own step (SpStepField): a text entry, a
 * number entry, a date entry with a calendar, a drop-down of the options, or
 * a check box. Required fields are marked with an asterisk. The value is
 * read and written as the API has it (text, a number, "YYYY-MM-DD", one of
 * the options, a boolean; JSON null when empty), a number with its digits
 * as typed or stored; what cannot be read (a number or date mistyped) is
 * said by sp_step_field_row_get_value(). An error shows as the row's
 * subtitle, in the error colour (sp-elabora.css).
 */

struct _SpStepFieldRow
{
  AdwActionRow     parent_instance;

  char            *key;
  SpStepFieldType  type;
  GStrv            options;

  GtkWidget       *input;       /* GtkEntry, GtkDropDown or GtkCheckButton */
  GtkWidget       *date_button;
  GtkCalendar     *calendar;
};

G_DEFINE_FINAL_TYPE (SpStepFieldRow, sp_step_field_row, ADW_TYPE_ACTION_ROW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
changed_cb (SpStepFieldRow *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Dates */

/* "15/03/2026" (also with - or .) or "2026-03-15" as "2026-03-15", or NULL. */
static char *
parse_date (const char *text)
{
  g_auto(GStrv) parts = g_regex_split_simple ("[/.-]", text, 0, 0);
  guint64 first = 0;
  guint64 month = 0;
  guint64 last = 0;
  guint64 day;
  guint64 year;

  if (g_strv_length (parts) != 3
      || !g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 1, 9999, &first, NULL)
      || !g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, 1, 12, &month, NULL)
      || !g_ascii_string_to_unsigned (g_strstrip (parts[2]), 10, 1, 9999, &last, NULL))
    return NULL;
  if (strlen (parts[0]) == 4)
    {
      year = first;
      day = last;
    }
  else
    {
      day = first;
      year = last;
    }
  if (year < 1000 || day > 31 || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return NULL;
  return g_strdup_printf ("%04u-%02u-%02u", (guint) year, (guint) month, (guint) day);
}

/* "2026-03-15" as the entry shows it: 15/03/2026. */
static char *
format_date (const char *iso)
{
  g_autofree char *checked = iso != NULL ? parse_date (iso) : NULL;
  g_auto(GStrv) parts = NULL;

  if (checked == NULL)
    return g_strdup (iso != NULL ? iso : "");
  parts = g_strsplit (checked, "-", 3);
  return g_strdup_printf ("%s/%s/%s", parts[2], parts[1], parts[0]);
}

static void
day_selected_cb (SpStepFieldRow *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->calendar);
  g_autofree char *text = g_date_time_format (date, "%d/%m/%Y");

  gtk_editable_set_text (GTK_EDITABLE (self->input), text);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (self->date_button));
}

/* The calendar opens on the date typed, if there is one. */
static void
calendar_show_cb (SpStepFieldRow *self)
{
  g_autofree char *iso = parse_date (gtk_editable_get_text (GTK_EDITABLE (self->input)));
  g_autofree char *with_time = iso != NULL ? g_strconcat (iso, "T12:00:00Z", NULL) : NULL;
  g_autoptr(GDateTime) date = with_time != NULL ? g_date_time_new_from_iso8601 (with_time, NULL) : NULL;

  if (date != NULL)
    {
      g_signal_handlers_block_by_func (self->calendar, day_selected_cb, self);
      gtk_calendar_select_day (self->calendar, date);
      g_signal_handlers_unblock_by_func (self->calendar, day_selected_cb, self);
    }
}

static GtkWidget *
create_date_input (SpStepFieldRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *popover = gtk_popover_new ();

  self->input = gtk_entry_new ();
  gtk_editable_set_width_chars (GTK_EDITABLE (self->input), 11);
  /* Translators: how a date is typed, shown in an empty date field */
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->input), _("dd/mm/yyyy"));
  self->calendar = GTK_CALENDAR (gtk_calendar_new ());
  gtk_popover_set_child (GTK_POPOVER (popover), GTK_WIDGET (self->calendar));
  self->date_button = g_object_new (GTK_TYPE_MENU_BUTTON,
                                    "icon-name", "x-office-calendar-symbolic",
                                    "popover", popover,
                                    "tooltip-text", _("Choose from a Calendar"),
                                    NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->date_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose from a Calendar"),
                                  -1);
  g_signal_connect_object (self->calendar, "day-selected", G_CALLBACK (day_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (popover, "show", G_CALLBACK (calendar_show_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_css_class (box, "linked");
  gtk_box_append (GTK_BOX (box), self->input);
  gtk_box_append (GTK_BOX (box), self->date_button);
  return box;
}

/* Numbers: 12, 3,5 or 3.5; 1.234,5 with the grouping of Italian. The
 * number as JSON writes it, every digit typed kept (`19,99` is `19.99`,
 * `1.234,50` is `1234.50`), or NULL when @text is no number. */
static char *
parse_number (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  g_autoptr(GString) plain = g_string_new (NULL);
  gboolean has_comma = strchr (copy, ',') != NULL;
  const char *p = copy;

  if (*p == '-' || *p == '+')
    {
      if (*p == '-')
        g_string_append_c (plain, '-');
      p++;
    }
  /* JSON writes no leading zeros (`007` is 7) and no bare point (`,5` is 0.5). */
  while (p[0] == '0' && g_ascii_isdigit (p[1]))
    p++;
  if (*p == ',' || (*p == '.' && !has_comma))
    g_string_append_c (plain, '0');
  for (; *p != '\0'; p++)
    {
      if (*p == '.' && has_comma)
        continue;
      g_string_append_c (plain, *p == ',' ? '.' : *p);
    }
  if (!sp_json_number_is_valid (plain->str, plain->len) || strpbrk (plain->str, "eE") != NULL)
    return NULL;
  return g_string_free (g_steal_pointer (&plain), FALSE);
}

/* A number's JSON text as the entry shows it: 19.99 as 19,99, every digit
 * kept. */
static char *
format_number (const char *number)
{
  return g_strdelimit (g_strdup (number), ".", ',');
}

/* A number of which only json-glib's value is known, as the entry shows it. */
static char *
format_held_number (JsonNode *value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (json_node_get_value_type (value) == G_TYPE_INT64)
    g_snprintf (buffer, sizeof buffer, "%" G_GINT64_FORMAT, json_node_get_int (value));
  else
    g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (value));
  return format_number (buffer);
}

/**
 * sp_step_field_row_new:
 * @field: the field of the step
 *
 * Returns: (transfer floating): a row for a boxed list, empty
 */
GtkWidget *
sp_step_field_row_new (const SpStepField *field)
{
  SpStepFieldRow *self;
  g_autofree char *title = NULL;
  GtkWidget *suffix;

  g_return_val_if_fail (field != NULL, NULL);

  self = g_object_new (SP_TYPE_STEP_FIELD_ROW, NULL);
  self->key = g_strdup (field->key);
  self->type = field->type;
  self->options = g_strdupv (field->options);

  /* Translators: the label of a required field */
  title = field->required ? g_strdup_printf (_("%s *"), field->label) : g_strdup (field->label);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);

  switch (field->type)
    {
    case SP_STEP_FIELD_NUMBER:
      self->input = gtk_entry_new ();
      gtk_editable_set_width_chars (GTK_EDITABLE (self->input), 12);
      gtk_editable_set_alignment (GTK_EDITABLE (self->input), 1.0f);
      gtk_entry_set_input_purpose (GTK_ENTRY (self->input), GTK_INPUT_PURPOSE_NUMBER);
      suffix = self->input;
      g_signal_connect_object (self->input, "changed", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
      break;

    case SP_STEP_FIELD_DATE:
      suffix = create_date_input (self);
      g_signal_connect_object (self->input, "changed", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
      break;

    case SP_STEP_FIELD_CHOICE:
      {
        g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);

        /* Translators: the first item of a choice, when nothing is chosen */
        gtk_string_list_append (strings, _("Choose…"));
        for (guint i = 0; self->options != NULL && self->options[i] != NULL; i++)
          gtk_string_list_append (strings, self->options[i]);
        self->input = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&strings)), NULL);
        suffix = self->input;
        g_signal_connect_object (self->input, "notify::selected", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
      }
      break;

    case SP_STEP_FIELD_CHECKBOX:
      self->input = gtk_check_button_new ();
      suffix = self->input;
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), self->input);
      g_signal_connect_object (self->input, "toggled", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
      break;

    case SP_STEP_FIELD_TEXT:
    case SP_STEP_FIELD_INVALID:
    default:
      self->input = gtk_entry_new ();
      gtk_editable_set_width_chars (GTK_EDITABLE (self->input), 28);
      gtk_widget_set_hexpand (self->input, TRUE);
      suffix = self->input;
      g_signal_connect_object (self->input, "changed", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
      break;
    }

  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->input),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, field->label,
                                  GTK_ACCESSIBLE_PROPERTY_REQUIRED, field->required,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), suffix);
  return GTK_WIDGET (self);
}

const char *
sp_step_field_row_get_key (SpStepFieldRow *self)
{
  g_return_val_if_fail (SP_IS_STEP_FIELD_ROW (self), NULL);

  return self->key;
}

/**
 * sp_step_field_row_get_input:
 *
 * Returns: (transfer none): the entry, drop-down or check box the user fills in
 */
GtkWidget *
sp_step_field_row_get_input (SpStepFieldRow *self)
{
  g_return_val_if_fail (SP_IS_STEP_FIELD_ROW (self), NULL);

  return self->input;
}

/**
 * sp_step_field_row_get_value:
 * @number: (out) (optional) (transfer full): when the value is a number,
 *   its JSON text with every digit typed (`19.99`), which the node holds
 *   only as a double; else %NULL
 * @problem: (out) (optional) (transfer full): what is wrong with what was
 *   typed, for the user; %NULL when it can be read
 *
 * Returns: (transfer full): the value as the API has it; a null node when
 *   the field is empty or cannot be read
 */
JsonNode *
sp_step_field_row_get_value (SpStepFieldRow  *self,
                             char           **number,
                             char           **problem)
{
  JsonNode *value = NULL;
  const char *text = NULL;
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (SP_IS_STEP_FIELD_ROW (self), NULL);

  if (number != NULL)
    *number = NULL;
  if (problem != NULL)
    *problem = NULL;
  if (GTK_IS_EDITABLE (self->input))
    {
      text = gtk_editable_get_text (GTK_EDITABLE (self->input));
      stripped = g_strstrip (g_strdup (text));
      if (*stripped == '\0')
        return json_node_new (JSON_NODE_NULL);
    }

  switch (self->type)
    {
    case SP_STEP_FIELD_NUMBER:
      {
        g_autofree char *text_number = parse_number (stripped);
        gint64 integer;

        if (text_number == NULL)
          {
            if (problem != NULL)
              *problem = g_strdup (_("Type a number, such as 12 or 3,5"));
            break;
          }
        /* The node holds it as near as it can; the text is what is sent. */
        if (g_ascii_string_to_signed (text_number, 10, G_MININT64, G_MAXINT64, &integer, NULL))
          value = json_node_init_int (json_node_alloc (), integer);
        else
          value = json_node_init_double (json_node_alloc (), g_ascii_strtod (text_number, NULL));
        if (number != NULL)
          *number = g_steal_pointer (&text_number);
      }
      break;

    case SP_STEP_FIELD_DATE:
      {
        g_autofree char *iso = parse_date (stripped);

        if (iso != NULL)
          value = json_node_init_string (json_node_alloc (), iso);
        else if (problem != NULL)
          *problem = g_strdup (_("Type a date as dd/mm/yyyy, such as 15/03/2026"));
      }
      break;

    case SP_STEP_FIELD_CHOICE:
      {
        guint selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->input));

        if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && selected <= g_strv_length (self->options))
          value = json_node_init_string (json_node_alloc (), self->options[selected - 1]);
      }
      break;

    case SP_STEP_FIELD_CHECKBOX:
      value = json_node_init_boolean (json_node_alloc (), gtk_check_button_get_active (GTK_CHECK_BUTTON (self->input)));
      break;

    case SP_STEP_FIELD_TEXT:
    case SP_STEP_FIELD_INVALID:
    default:
      value = json_node_init_string (json_node_alloc (), text);
      break;
    }
  return value != NULL ? value : json_node_new (JSON_NODE_NULL);
}

/**
 * sp_step_field_row_set_value:
 * @value: (nullable): the value as the API has it; %NULL or null to empty
 *   the field
 * @number: (nullable): when @value is a number, its JSON text as stored
 *   (sp_processing_get_number()), shown with every digit: `19.99` reads
 *   `19,99`, not as the double json-glib holds
 */
void
sp_step_field_row_set_value (SpStepFieldRow *self,
                             JsonNode       *value,
                             const char     *number)
{
  GType type;

  g_return_if_fail (SP_IS_STEP_FIELD_ROW (self));

  type = value != NULL && JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;
  switch (self->type)
    {
    case SP_STEP_FIELD_NUMBER:
      {
        g_autofree char *text = NULL;

        if (type == G_TYPE_INT64 || type == G_TYPE_DOUBLE)
          text = number != NULL ? format_number (number) : format_held_number (value);

        gtk_editable_set_text (GTK_EDITABLE (self->input), text != NULL ? text : "");
      }
      break;

    case SP_STEP_FIELD_DATE:
      {
        g_autofree char *text = format_date (type == G_TYPE_STRING ? json_node_get_string (value) : NULL);

        gtk_editable_set_text (GTK_EDITABLE (self->input), text);
      }
      break;

    case SP_STEP_FIELD_CHOICE:
      {
        guint selected = 0;

        for (guint i = 0; type == G_TYPE_STRING && self->options != NULL && self->options[i] != NULL; i++)
          if (g_str_equal (self->options[i], json_node_get_string (value)))
            selected = i + 1;
        gtk_drop_down_set_selected (GTK_DROP_DOWN (self->input), selected);
      }
      break;

    case SP_STEP_FIELD_CHECKBOX:
      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->input),
                                   type == G_TYPE_BOOLEAN && json_node_get_boolean (value));
      break;

    case SP_STEP_FIELD_TEXT:
    case SP_STEP_FIELD_INVALID:
    default:
      gtk_editable_set_text (GTK_EDITABLE (self->input), type == G_TYPE_STRING ? json_node_get_string (value) : "");
      break;
    }
}

/**
 * sp_step_field_row_set_error:
 * @message: (nullable): what is wrong with the value, or %NULL when nothing is
 *
 * Shows @message next to the field.
 */
void
sp_step_field_row_set_error (SpStepFieldRow *self,
                             const char     *message)
{
  g_return_if_fail (SP_IS_STEP_FIELD_ROW (self));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), message != NULL ? message : "");
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "sp-field-error");
      gtk_widget_add_css_class (self->input, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->input),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "sp-field-error");
      gtk_widget_remove_css_class (self->input, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->input), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
sp_step_field_row_finalize (GObject *object)
{
  SpStepFieldRow *self = SP_STEP_FIELD_ROW (object);

  g_free (self->key);
  g_strfreev (self->options);

  G_OBJECT_CLASS (sp_step_field_row_parent_class)->finalize (object);
}

static void
sp_step_field_row_class_init (SpStepFieldRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sp_step_field_row_finalize;

  /**
   * SpStepFieldRow::changed:
   *
   * The user changed the value.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
sp_step_field_row_init (SpStepFieldRow *self)
{
}
