/* sp-dashboard-columns.c: the columns of the dashboard's table: cells, texts, sort state */
#define G_LOG_DOMAIN "sp-dashboard-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-dashboard-page-private.h"
#include "sp-person.h"
#include "sp-pratica.h"
#include "sp-status.h"

/*
 * Every column has a GtkSignalListItemFactory: "setup" builds the few widgets
 * of a cell once, "bind" only sets texts, classes and visibility, so that a
 * first page shows at once whatever the size of the bucket. Short texts are
 * GtkInscriptions, which do not measure their text.
 *
 * Sorting is the server's. Each sortable column has a GtkCustomSorter that
 * sorts nothing: the column view uses it to draw the header's arrow and to
 * toggle the direction, and SpDashboardPage reads the state back from it
 * (sp-dashboard-page.c, read_sort_state()). No GtkSortListModel is involved.
 *
 * In a window too narrow for every column (about 1000 px, in Italian) the
 * submission date is hidden, so that the actions stay on screen; the deadline,
 * counted from it, stays. sp_dashboard_page_fit_columns() decides it before
 * the next frame once the width of the table's viewport changed, from the
 * minimum width the columns had when they were all shown: the width of the
 * viewport never depends on the columns (the table scrolls), so hiding one
 * cannot change the decision back.
 */

#define NARROW_HIDDEN_COLUMN "submitted"

/* Local date and time, e.g. "23/11/2026 14:35" in Italian. */
char *
sp_dashboard_format_date (GDateTime *datetime)
{
  g_autoptr(GDateTime) local = NULL;

  if (datetime == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (datetime);
  return g_date_time_format (local, "%x %H:%M");
}

/* "tra 5 giorni", "oggi", "scaduta da 3 giorni". */
char *
sp_dashboard_format_days_left (int days)
{
  if (days > 0)
    /* Translators: the days left to the legal deadline of a pratica */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d day", "in %d days", days), days);
  if (days == 0)
    /* Translators: the legal deadline of a pratica is today */
    return g_strdup (_("today"));
  /* Translators: the legal deadline of a pratica passed so many days ago */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "overdue by %d day", "overdue by %d days", -days), -days);
}

static SpPraticaSummaryData *
list_item_data (GtkListItem *list_item)
{
  SpPraticaSummary *summary = gtk_list_item_get_item (list_item);

  return summary != NULL ? sp_pratica_summary_get_data (summary) : NULL;
}

/* Lets the tooltip of a cell (its whole text) show only when the cell cuts
 * the text: otherwise it would repeat what is on screen, and the tooltip of
 * an ancestor (the deadline's date) shows instead. */
static gboolean
query_cell_tooltip_cb (GtkWidget  *inscription,
                       int         x,
                       int         y,
                       gboolean    keyboard_mode,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (inscription));
  g_autoptr(PangoLayout) layout = NULL;
  int width = gtk_widget_get_width (inscription);
  int height = gtk_widget_get_height (inscription);
  int text_width = 0;
  int text_height = 0;

  if (text != NULL && *text != '\0')
    {
      layout = gtk_widget_create_pango_layout (inscription, text);
      if (gtk_inscription_get_nat_lines (GTK_INSCRIPTION (inscription)) > 1)
        {
          pango_layout_set_width (layout, width * PANGO_SCALE);
          pango_layout_set_wrap (layout, gtk_inscription_get_wrap_mode (GTK_INSCRIPTION (inscription)));
        }
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
    }
  if (text_width > width || text_height > height)
    return FALSE;

  /* All of it is on screen: no tooltip from this cell. */
  g_signal_stop_emission_by_name (inscription, "query-tooltip");
  return FALSE;
}

/* Sets the text of a cell, which is also its tooltip when the cell is too narrow. */
static void
set_cell_text (GtkWidget  *inscription,
               const char *text)
{
  gtk_inscription_set_text (GTK_INSCRIPTION (inscription), text);
  gtk_widget_set_tooltip_text (inscription, text != NULL && *text != '\0' ? text : NULL);
}

static GtkWidget *
new_inscription (int          min_chars,
                 int          nat_chars,
                 int          nat_lines,
                 const char  *css_class)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), min_chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), nat_chars);
  gtk_inscription_set_nat_lines (GTK_INSCRIPTION (inscription), nat_lines);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (inscription), 0.0f);
  if (nat_lines > 1)
    gtk_inscription_set_wrap_mode (GTK_INSCRIPTION (inscription), PANGO_WRAP_WORD_CHAR);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_set_hexpand (inscription, TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (inscription, css_class);
  g_signal_connect (inscription, "query-tooltip", G_CALLBACK (query_cell_tooltip_cb), NULL);
  return inscription;
}

/* An icon before a text, for the states that must not rely on colour. */
static GtkWidget *
new_icon_and_text (const char *icon_name,
                   int         nat_chars)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  /* The text says it all: the icon is decoration for assistive technologies. */
  GtkWidget *image = g_object_new (GTK_TYPE_IMAGE,
                                   "icon-name", icon_name,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                   "valign", GTK_ALIGN_CENTER,
                                   "visible", FALSE,
                                   NULL);

  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), new_inscription (6, nat_chars, 2, NULL));
  return box;
}

static void
set_icon_and_text (GtkWidget  *box,
                   gboolean    show_icon,
                   const char *text)
{
  GtkWidget *image = gtk_widget_get_first_child (box);

  gtk_widget_set_visible (image, show_icon);
  set_cell_text (gtk_widget_get_next_sibling (image), text);
}

static void
set_state_class (GtkWidget  *widget,
                 const char *state)
{
  static const char * const classes[] = { "error", "warning", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (g_strcmp0 (classes[i], state) == 0)
      gtk_widget_add_css_class (widget, classes[i]);
    else
      gtk_widget_remove_css_class (widget, classes[i]);
}

/* Numero */

static void
setup_numero_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 SpDashboardPage          *self)
{
  gtk_list_item_set_child (list_item, new_inscription (11, 11, 1, "numeric"));
}

static void
bind_numero_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                SpDashboardPage          *self)
{
  SpPraticaSummaryData *data = list_item_data (list_item);

  set_cell_text (gtk_list_item_get_child (list_item), data->numero);
}

/* Richiedente: the name, and the codice fiscale on a dim second line */

static void
setup_applicant_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    SpDashboardPage          *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *codice_fiscale = new_inscription (8, 16, 1, "caption");

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (codice_fiscale, "dim-label");
  gtk_widget_add_css_class (codice_fiscale, "numeric");
  gtk_box_append (GTK_BOX (box), new_inscription (8, 20, 1, NULL));
  gtk_box_append (GTK_BOX (box), codice_fiscale);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_applicant_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   SpDashboardPage          *self)
{
  SpPraticaSummaryData *data = list_item_data (list_item);
  GtkWidget *name = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  g_autofree char *text = sp_person_format_name (data->applicant_cognome, data->applicant_nome);

  set_cell_text (name, text);
  set_cell_text (gtk_widget_get_next_sibling (name), data->applicant_cf);
}

/* Servizio */

static void
setup_servizio_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   SpDashboardPage          *self)
{
  gtk_list_item_set_child (list_item, new_inscription (10, 26, 2, NULL));
}

static void
bind_servizio_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  SpDashboardPage          *self)
{
  SpPraticaSummaryData *data = list_item_data (list_item);

  set_cell_text (gtk_list_item_get_child (list_item), data->servizio_name);
}

/* Data di presentazione */

static void
setup_submitted_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    SpDashboardPage          *self)
{
  gtk_list_item_set_child (list_item, new_inscription (10, 16, 1, "numeric"));
}

static void
bind_submitted_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   SpDashboardPage          *self)
{
  SpPraticaSummaryData *data = list_item_data (list_item);
  g_autofree char *text = sp_dashboard_format_date (data->submitted_at);

  set_cell_text (gtk_list_item_get_child (list_item), text);
}

/* Stato */

static void
setup_status_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 SpDashboardPage          *self)
{
  gtk_list_item_set_child (list_item, new_inscription (8, 14, 2, NULL));
}

static void
bind_status_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                SpDashboardPage          *self)
{
  SpPraticaSummaryData *data = list_item_data (list_item);

  set_cell_text (gtk_list_item_get_child (list_item), sp_status_get_label (data->status));
}

/* Protocollo: the number, or "In attesa di protocollazione" */

static void
setup_protocol_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   SpDashboardPage          *self)
{
  gtk_list_item_set_child (list_item, new_icon_and_text ("content-loading-symbolic", 16));
}

static void
bind_protocol_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  SpDashboardPage          *self)
{
  SpPraticaSummary *summary = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  SpProtocolState state = sp_pratica_summary_get_protocol_state (summary);

  set_icon_and_text (box, state == SP_PROTOCOL_WAITING, sp_pratica_summary_get_protocol_text (summary));
  switch (state)
    {
    case SP_PROTOCOL_WAITING:
      set_state_class (box, "warning");
      break;
    case SP_PROTOCOL_NOT_REQUIRED:
      set_state_class (box, "dim-label");
      break;
    case SP_PROTOCOL_REGISTERED:
    default:
      set_state_class (box, NULL);
      break;
    }
}

/* Scadenza: days left; overdue with an icon and the error colour */

static void
setup_deadline_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   SpDashboardPage          *self)
{
  gtk_list_item_set_child (list_item, new_icon_and_text ("dialog-warning-symbolic", 17));
}

static void
bind_deadline_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  SpDashboardPage          *self)
{
  SpPraticaSummary *summary = gtk_list_item_get_item (list_item);
  SpPraticaSummaryData *data = sp_pratica_summary_get_data (summary);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  g_autofree char *text = NULL;
  g_autofree char *date = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *full = NULL;
  int days;

  /* A concluded pratica has no deadline left to keep. */
  if (data->deadline_at == NULL || sp_status_is_concluded (data->status))
    {
      set_icon_and_text (box, FALSE, "—");
      set_state_class (box, "dim-label");
      gtk_widget_set_tooltip_text (box, NULL);
      return;
    }

  days = sp_pratica_summary_days_left (summary, self->now);
  text = sp_dashboard_format_days_left (days);
  set_icon_and_text (box, days <= 0, text);
  set_state_class (box, days < 0 ? "error" : days <= 3 ? "warning" : NULL);

  date = sp_dashboard_format_date (data->deadline_at);
  /* Translators: the tooltip of the days left, with the date and time of the deadline */
  tooltip = g_strdup_printf (_("Deadline: %s"), date);
  gtk_widget_set_tooltip_text (box, tooltip);
  /* A cut text shows in full, with the date. */
  full = g_strconcat (text, "\n", tooltip, NULL);
  gtk_widget_set_tooltip_text (gtk_widget_get_last_child (box), full);
}

/* Azioni: "Vedi dettaglio", or "Prendi in carico" with why it is disabled */

/* Not GtkActionable: its action helper would own the button's sensitivity,
 * which here also depends on the row. */
/* The rows of a bucket of pratiche assigned to nobody are there to be taken in charge. */
static gboolean
offers_take_charge (SpDashboardPage *self)
{
  return sp_bucket_get_assignee (sp_pratica_list_model_get_bucket (self->model)) == SP_ASSIGNEE_NOBODY;
}

static void
action_clicked_cb (GtkButton   *button,
                   GtkListItem *list_item)
{
  SpPraticaSummary *summary = gtk_list_item_get_item (list_item);
  SpDashboardPage *self = g_object_get_data (G_OBJECT (button), "sp-page");

  if (summary == NULL)
    return;
  if (offers_take_charge (self))
    gtk_widget_activate_action (GTK_WIDGET (button), "dashboard.take-charge", "s",
                                sp_pratica_summary_get_id (summary));
  else
    gtk_widget_activate_action (GTK_WIDGET (button), "win.show-pratica", "s",
                                sp_pratica_summary_get_id (summary));
}

static void
setup_action_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 SpDashboardPage          *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *button = gtk_button_new_with_label ("");
  GtkWidget *reason = gtk_label_new (NULL);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (box, GTK_ALIGN_START);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_label_set_xalign (GTK_LABEL (reason), 0.0f);
  gtk_label_set_wrap (GTK_LABEL (reason), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (reason), 24);
  gtk_widget_add_css_class (reason, "caption");
  gtk_widget_add_css_class (reason, "dim-label");
  gtk_widget_set_visible (reason, FALSE);
  /* The list item (GtkListItem) owns the cell, so it outlives the button. */
  g_object_set_data (G_OBJECT (button), "sp-page", self);
  g_object_set_data (G_OBJECT (button), "sp-list-item", list_item);
  g_signal_connect (button, "clicked", G_CALLBACK (action_clicked_cb), list_item);
  gtk_box_append (GTK_BOX (box), button);
  gtk_box_append (GTK_BOX (box), reason);
  gtk_list_item_set_child (list_item, box);
}


static void
bind_action_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                SpDashboardPage          *self)
{
  SpPraticaSummaryData *data = list_item_data (list_item);
  GtkWidget *button = gtk_widget_get_first_child (gtk_list_item_get_child (list_item));
  GtkWidget *reason_label = gtk_widget_get_next_sibling (button);
  g_autofree char *accessible = NULL;
  const char *reason = NULL;

  if (offers_take_charge (self))
    {
      reason = sp_take_charge_block_get_reason (data->take_charge);
      gtk_button_set_label (GTK_BUTTON (button), _("Take in Charge"));
      if (reason == NULL)
        gtk_widget_add_css_class (button, "suggested-action");
      else
        gtk_widget_remove_css_class (button, "suggested-action");
      /* Translators: the accessible label of "Prendi in carico" in a row */
      accessible = g_strdup_printf (_("Take pratica %s in charge"), data->numero);
    }
  else
    {
      gtk_button_set_label (GTK_BUTTON (button), _("View Details"));
      gtk_widget_remove_css_class (button, "suggested-action");
      /* Translators: the accessible label of "Vedi dettaglio" in a row */
      accessible = g_strdup_printf (_("View the details of pratica %s"), data->numero);
    }
  gtk_widget_set_sensitive (button, reason == NULL);
  gtk_widget_set_tooltip_text (button, reason);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason != NULL ? reason : "",
                                  -1);

  /* The reason is also written, not only in the tooltip. */
  gtk_label_set_text (GTK_LABEL (reason_label), reason != NULL ? reason : "");
  gtk_widget_set_visible (reason_label, reason != NULL && data->take_charge != SP_TAKE_CHARGE_WAITING_PROTOCOL);
}

static int
probe_sort_cb (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  SpSortColumn *column = user_data;

  column->self->probed_sort = column->key;
  return GTK_ORDERING_SMALLER;
}

typedef void (*ItemFunc) (GtkSignalListItemFactory *factory,
                          GtkListItem              *list_item,
                          SpDashboardPage          *self);

static const struct
{
  const char *id;
  const char *title;
  int         sort_key;         /* an SpSortKey, or -1 */
  gboolean    expand;
  ItemFunc    setup;
  ItemFunc    bind;
} column_table[] = {
  { "numero", N_("Number"), SP_SORT_NUMERO, FALSE, setup_numero_cb, bind_numero_cb },
  { "applicant", N_("Applicant"), SP_SORT_APPLICANT, TRUE, setup_applicant_cb, bind_applicant_cb },
  { "servizio", N_("Service"), SP_SORT_SERVIZIO, TRUE, setup_servizio_cb, bind_servizio_cb },
  { "submitted", N_("Submitted On"), SP_SORT_SUBMITTED, FALSE, setup_submitted_cb, bind_submitted_cb },
  { "status", N_("Status"), SP_SORT_STATUS, FALSE, setup_status_cb, bind_status_cb },
  { "protocol", N_("Protocol"), SP_SORT_PROTOCOL, FALSE, setup_protocol_cb, bind_protocol_cb },
  { "deadline", N_("Deadline"), SP_SORT_DEADLINE, FALSE, setup_deadline_cb, bind_deadline_cb },
  { "action", N_("Actions"), -1, FALSE, setup_action_cb, bind_action_cb },
};

/**
 * sp_dashboard_column_get_id:
 *
 * Returns: (nullable): "numero", "applicant", "servizio", "submitted",
 *   "status", "protocol", "deadline" or "action"
 */
const char *
sp_dashboard_column_get_id (GtkColumnViewColumn *column)
{
  return g_object_get_data (G_OBJECT (column), "sp-column-id");
}

/**
 * sp_dashboard_page_find_column:
 * @id: a column's id (sp_dashboard_column_get_id())
 *
 * Returns: (transfer none) (nullable): the column
 */
GtkColumnViewColumn *
sp_dashboard_page_find_column (SpDashboardPage *self,
                               const char      *id)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (sp_dashboard_column_get_id (column), id) == 0)
        return column;
    }
  return NULL;
}

/**
 * sp_dashboard_page_add_columns:
 *
 * Fills the column view of the template. Each column has an id
 * (sp_dashboard_column_get_id(); gtk_column_view_column_set_id() is GTK 4.10).
 */
void
sp_dashboard_page_add_columns (SpDashboardPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (column_table); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (column_table[i].setup), self);
      g_signal_connect (factory, "bind", G_CALLBACK (column_table[i].bind), self);

      column = gtk_column_view_column_new (_(column_table[i].title), factory);
      g_object_set_data (G_OBJECT (column), "sp-column-id", (gpointer) column_table[i].id);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, column_table[i].expand);

      if (column_table[i].sort_key >= 0)
        {
          SpSortColumn *sort_column = &self->sort_columns[column_table[i].sort_key];
          g_autoptr(GtkSorter) sorter = NULL;

          sort_column->self = self;
          sort_column->key = column_table[i].sort_key;
          sorter = GTK_SORTER (gtk_custom_sorter_new (probe_sort_cb, sort_column, NULL));
          gtk_column_view_column_set_sorter (column, sorter);
        }

      gtk_column_view_append_column (self->column_view, column);
    }
}

/* Narrow windows */

static gboolean
fit_columns_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  SpDashboardPage *self = SP_DASHBOARD_PAGE (widget);
  GtkColumnViewColumn *column = sp_dashboard_page_find_column (self, NARROW_HIDDEN_COLUMN);
  int available = gtk_widget_get_width (GTK_WIDGET (self->scrolled_window));

  self->fit_columns_id = 0;
  if (gtk_column_view_column_get_visible (column))
    gtk_widget_measure (GTK_WIDGET (self->column_view), GTK_ORIENTATION_HORIZONTAL, -1,
                        &self->all_columns_width, NULL, NULL, NULL);
  gtk_column_view_column_set_visible (column, available >= self->all_columns_width);
  return G_SOURCE_REMOVE;
}

static void
viewport_width_changed_cb (SpDashboardPage *self)
{
  if (self->fit_columns_id == 0)
    self->fit_columns_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), fit_columns_cb, NULL, NULL);
}

/**
 * sp_dashboard_page_fit_columns:
 *
 * From now on, whenever the width of the table's viewport changes, shows or
 * hides the columns a narrow window has no room for, before the next frame.
 */
void
sp_dashboard_page_fit_columns (SpDashboardPage *self)
{
  GtkAdjustment *hadjustment = gtk_scrolled_window_get_hadjustment (self->scrolled_window);

  g_signal_connect_object (hadjustment, "notify::page-size", G_CALLBACK (viewport_width_changed_cb), self,
                           G_CONNECT_SWAPPED);
}
