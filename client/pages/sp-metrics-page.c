/* sp-metrics-page.c: the "Metriche di utilizzo" page: headline figures, the chart of submitted pratiche, processing times */
#define G_LOG_DOMAIN "sp-metrics-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-area-chart.h"
#include "sp-chart-palette.h"
#include "sp-client-metrics.h"
#include "sp-duration-chart.h"
#include "sp-metrics-page.h"
#include "sp-page.h"
#include "sp-processing-table.h"
#include "sp-style.h"

/* The window the chart opens on, and that of the processing times. */
#define DEFAULT_WINDOW SP_METRICS_WINDOW_7D
#define PROCESSING_WINDOW SP_METRICS_WINDOW_90D

struct _SpMetricsPage
{
  AdwBin          parent_instance;

  SpClient       *client;
  GCancellable   *cancellable;        /* the figures and the processing times */
  GCancellable   *chart_cancellable;
  GStrv           service_slugs;      /* the service filter's choices after "every service" */
  gboolean        setting_services;   /* changing the filter's choices, not the user */

  GtkStack        *stack;
  GtkSpinner      *spinner;
  AdwStatusPage   *error_page;
  GtkScrolledWindow *scrolled_window;
  GtkFlowBox      *figures_box;
  GtkDropDown     *window_dropdown;
  GtkDropDown     *service_dropdown;
  GtkDropDown     *status_dropdown;
  GtkSpinner      *chart_spinner;
  GtkLabel        *chart_caption;
  SpAreaChart     *area_chart;
  GtkFlowBox      *legend_box;
  GtkLabel        *chart_error;
  GtkGrid         *processing_grid;
  SpDurationChart *duration_chart;
  GtkLabel        *processing_error;
  GtkLabel        *processing_computed;
};

static void page_iface_init (SpPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SpMetricsPage, sp_metrics_page, ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (SP_TYPE_PAGE, page_iface_init))

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static void
show_state (SpMetricsPage *self,
            const char    *state)
{
  gtk_spinner_set_spinning (self->spinner, g_str_equal (state, "loading"));
  gtk_stack_set_visible_child_name (self->stack, state);
}

static void
remove_all (GtkFlowBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_flow_box_remove (box, child);
}

/* Headline figures */

static void
add_figure (SpMetricsPage *self,
            const char    *name,
            const char    *title,
            gint64         value,
            const char    *subtitle,
            gboolean       alarming)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title_label = gtk_label_new (title);
  g_autofree char *value_text = sp_chart_format_count (value);
  GtkWidget *value_label = gtk_label_new (value_text);
  GtkWidget *subtitle_label = gtk_label_new (subtitle);

  gtk_widget_set_name (card, name);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "metrics-figure");
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_wrap (GTK_LABEL (title_label), TRUE);
  gtk_widget_add_css_class (title_label, "caption-heading");
  gtk_label_set_xalign (GTK_LABEL (value_label), 0);
  gtk_label_set_selectable (GTK_LABEL (value_label), TRUE);
  gtk_widget_add_css_class (value_label, "title-1");
  gtk_widget_add_css_class (value_label, "numeric");
  if (alarming)
    gtk_widget_add_css_class (value_label, "error");
  gtk_label_set_xalign (GTK_LABEL (subtitle_label), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (subtitle_label), 24);
  gtk_widget_add_css_class (subtitle_label, "caption");
  gtk_widget_add_css_class (subtitle_label, "dim-label");
  gtk_box_append (GTK_BOX (card), title_label);
  gtk_box_append (GTK_BOX (card), value_label);
  gtk_box_append (GTK_BOX (card), subtitle_label);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value_label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, title_label, NULL,
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, subtitle_label, NULL,
                                  -1);
  gtk_flow_box_append (self->figures_box, card);
}

/* This year's count, and the years before it in words. */
static void
add_year_figure (SpMetricsPage          *self,
                 const SpMetricsSummary *summary)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int this_year = g_date_time_get_year (now);
  g_autoptr(GString) before = g_string_new (NULL);
  g_autofree char *title = NULL;
  gint64 count = 0;

  for (guint i = summary->years->len; i-- > 0;)
    {
      const SpMetricsYear *year = &g_array_index (summary->years, SpMetricsYear, i);
      g_autofree char *year_count = sp_chart_format_count (year->count);

      if (year->year == this_year)
        count = year->count;
      else if (year->year < this_year && year->year >= this_year - 3)
        g_string_append_printf (before, "%s%d: %s", before->len > 0 ? " · " : "", year->year, year_count);
    }
  if (before->len == 0)
    g_string_append (before, _("No pratiche in the years before"));
  /* Translators: the headline figure of the pratiche submitted this year */
  title = g_strdup_printf (_("Pratiche in %d"), this_year);
  add_figure (self, "year", title, count, before->str, FALSE);
}

static void
show_summary (SpMetricsPage          *self,
              const SpMetricsSummary *summary)
{
  remove_all (self->figures_box);
  add_figure (self, "active-services", _("Active services"), summary->active_services,
              _("Those you are enabled for"), FALSE);
  add_year_figure (self, summary);
  add_figure (self, "open", _("Open pratiche"), summary->open, _("Not yet concluded"), FALSE);
  add_figure (self, "overdue", _("Overdue pratiche"), summary->overdue,
              _("Open past their legal deadline"), summary->overdue > 0);
}

static void
summary_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SpMetricsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpMetricsSummary) summary = sp_client_metrics_summary_finish (SP_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (summary == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      show_state (self, "error");
      return;
    }
  show_summary (self, summary);
  show_state (self, "content");
}

/* Chart */

static SpMetricsWindow
get_window (SpMetricsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->window_dropdown);

  return selected < SP_METRICS_N_WINDOWS ? (SpMetricsWindow) selected : DEFAULT_WINDOW;
}

/* Returns: (nullable): the chosen service's slug; %NULL for every service */
static const char *
get_servizio (SpMetricsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->service_dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || self->service_slugs == NULL
      || selected > g_strv_length (self->service_slugs))
    return NULL;
  return self->service_slugs[selected - 1];
}

static SpStatus
get_status (SpMetricsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);
  guint n_statuses;
  const SpStatus *statuses = sp_status_all (&n_statuses);

  return selected > 0 && selected <= n_statuses ? statuses[selected - 1] : SP_STATUS_INVALID;
}

static GtkWidget *
legend_entry (const SpMetricsSeries *series,
              guint                  index)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  guint total = 0;
  g_autofree char *text = NULL;
  GtkWidget *label;

  for (guint i = 0; i < series->counts->len; i++)
    total += g_array_index (series->counts, guint, i);
  /* Translators: a service in the chart's legend, and its pratiche */
  text = g_strdup_printf (_("%s (%u)"), series->name, total);
  label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), sp_chart_swatch_new (index));
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_name (box, series->servizio);
  return box;
}

static void
show_chart (SpMetricsPage  *self,
            SpMetricsChart *chart)
{
  g_autofree char *caption = NULL;
  guint total = 0;

  remove_all (self->legend_box);
  for (guint s = 0; s < chart->series->len; s++)
    gtk_flow_box_append (self->legend_box, legend_entry (g_ptr_array_index (chart->series, s), s));
  for (guint i = 0; i < chart->starts->len; i++)
    total += sp_metrics_chart_get_total (chart, i);

  /* Without series, the chart has no buckets either. */
  if (chart->series->len == 0)
    caption = g_strdup (_("No service to show: none is enabled for your account, or the one chosen is no longer active."));
  else
    {
      g_autofree char *first = sp_area_chart_format_bucket (chart, 0);
      g_autofree char *last = sp_area_chart_format_bucket (chart, chart->starts->len - 1);

      /* Translators: how many pratiche in the chart, from the first bucket to the last */
      caption = g_strdup_printf (ngettext ("%u pratica submitted, from %s to %s.",
                                           "%u pratiche submitted, from %s to %s.", total),
                                 total, first, last);
    }
  gtk_label_set_text (self->chart_caption, caption);
  gtk_widget_set_visible (GTK_WIDGET (self->chart_error), FALSE);
  sp_area_chart_take_chart (self->area_chart, chart);
}

static void
chart_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SpMetricsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  SpMetricsChart *chart = sp_client_metrics_chart_finish (SP_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->chart_cancellable);
  gtk_spinner_set_spinning (self->chart_spinner, FALSE);
  if (chart == NULL)
    {
      /* The chart before stays, with why it is not the one asked. */
      gtk_label_set_text (self->chart_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->chart_error), TRUE);
      return;
    }
  show_chart (self, chart);
}

/* Asks for the chart of the chosen window and filters; what is shown
 * stays until the answer. */
static void
load_chart (SpMetricsPage *self)
{
  if (self->client == NULL || !sp_client_is_signed_in (self->client))
    return;

  g_cancellable_cancel (self->chart_cancellable);
  g_clear_object (&self->chart_cancellable);
  self->chart_cancellable = g_cancellable_new ();
  gtk_spinner_set_spinning (self->chart_spinner, TRUE);
  sp_client_metrics_chart_async (self->client, get_window (self), get_servizio (self), get_status (self),
                                 self->chart_cancellable, chart_cb, g_object_ref (self));
}

static void
filter_changed_cb (SpMetricsPage *self)
{
  if (!self->setting_services)
    load_chart (self);
}

/* The service filter offers every service the processing times list (all
 * the active ones in scope), keeping the one chosen if it is still there. */
static void
set_service_choices (SpMetricsPage *self,
                     GPtrArray     *services)
{
  g_autofree char *chosen = g_strdup (get_servizio (self));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) slugs = g_strv_builder_new ();
  guint selected = 0;

  gtk_string_list_append (names, _("All services"));
  for (guint i = 0; i < services->len; i++)
    {
      const SpMetricsProcessing *service = g_ptr_array_index (services, i);

      gtk_string_list_append (names, service->name);
      g_strv_builder_add (slugs, service->servizio);
      if (g_strcmp0 (chosen, service->servizio) == 0)
        selected = i + 1;
    }
  self->setting_services = TRUE;
  g_strfreev (self->service_slugs);
  self->service_slugs = g_strv_builder_end (slugs);
  gtk_drop_down_set_model (self->service_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->service_dropdown, selected);
  self->setting_services = FALSE;
  if (chosen != NULL && selected == 0)
    load_chart (self);
}

/* Processing times */

static void
processing_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SpMetricsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpMetricsTimes) times = sp_client_metrics_processing_finish (SP_CLIENT (object), result, &error);
  g_autoptr(GDateTime) computed_at = NULL;
  g_autofree char *when = NULL;
  g_autofree char *caption = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (times == NULL)
    {
      gtk_label_set_text (self->processing_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->processing_error), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->processing_error), FALSE);
  sp_processing_table_fill (self->processing_grid, times->services);
  sp_duration_chart_set_services (self->duration_chart, times->services);
  set_service_choices (self, times->services);

  /* The server computes them every few minutes. */
  computed_at = sp_chart_ente_time (times->computed_at);
  when = g_date_time_format (computed_at, "%H:%M");
  /* Translators: when the processing times were computed, e.g. "Updated at 10:35." */
  caption = g_strdup_printf (_("Updated at %s."), when);
  gtk_label_set_text (self->processing_computed, caption);
}

/* SpPage */

static void
sp_metrics_page_refresh (SpPage *page)
{
  SpMetricsPage *self = SP_METRICS_PAGE (page);

  if (self->client == NULL || !sp_client_is_signed_in (self->client))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* The first time a spinner; then the figures stay until the new ones. */
  if (!g_str_equal (gtk_stack_get_visible_child_name (self->stack), "content"))
    show_state (self, "loading");
  sp_client_metrics_summary_async (self->client, self->cancellable, summary_cb, g_object_ref (self));
  sp_client_metrics_processing_async (self->client, PROCESSING_WINDOW, self->cancellable, processing_cb,
                                      g_object_ref (self));
  load_chart (self);
}

static void
sp_metrics_page_reset (SpPage *page)
{
  SpMetricsPage *self = SP_METRICS_PAGE (page);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->chart_cancellable);
  g_clear_object (&self->chart_cancellable);
  remove_all (self->figures_box);
  remove_all (self->legend_box);
  sp_area_chart_take_chart (self->area_chart, NULL);
  sp_processing_table_fill (self->processing_grid, none);
  sp_duration_chart_set_services (self->duration_chart, none);
  gtk_label_set_text (self->processing_computed, "");
  set_service_choices (self, none);
  self->setting_services = TRUE;
  gtk_drop_down_set_selected (self->window_dropdown, DEFAULT_WINDOW);
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  self->setting_services = FALSE;
  gtk_spinner_set_spinning (self->chart_spinner, FALSE);
  show_state (self, "loading");
  gtk_spinner_set_spinning (self->spinner, FALSE);
}

static gboolean
sp_metrics_page_is_available (SpPage       *page,
                              const SpUser *user)
{
  /* The server refuses the metrics to every role but the operator's. */
  return user != NULL && user->role == SP_ROLE_OPERATORE;
}

static void
page_iface_init (SpPageInterface *iface)
{
  iface->is_available = sp_metrics_page_is_available;
  iface->refresh = sp_metrics_page_refresh;
  iface->reset = sp_metrics_page_reset;
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  sp_page_refresh (SP_PAGE (widget));
}

/* GObject */

static void
sp_metrics_page_dispose (GObject *object)
{
  SpMetricsPage *self = SP_METRICS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->chart_cancellable);
  g_clear_object (&self->chart_cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->service_slugs, g_strfreev);

  G_OBJECT_CLASS (sp_metrics_page_parent_class)->dispose (object);
}

static void
sp_metrics_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SpMetricsPage *self = SP_METRICS_PAGE (object);

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
sp_metrics_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SpMetricsPage *self = SP_METRICS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      if (g_set_object (&self->client, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sp_metrics_page_class_init (SpMetricsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_metrics_page_dispose;
  object_class->get_property = sp_metrics_page_get_property;
  object_class->set_property = sp_metrics_page_set_property;

  g_object_class_override_property (object_class, PROP_CLIENT, "client");

  g_type_ensure (SP_TYPE_AREA_CHART);
  g_type_ensure (SP_TYPE_DURATION_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-metrics-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, figures_box);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, window_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, service_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, chart_spinner);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, chart_caption);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, area_chart);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, legend_box);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, chart_error);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, processing_grid);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, duration_chart);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, processing_error);
  gtk_widget_class_bind_template_child (widget_class, SpMetricsPage, processing_computed);

  gtk_widget_class_install_action (widget_class, "metrics.refresh", NULL, refresh_action);
}

static void
sp_metrics_page_init (SpMetricsPage *self)
{
  static const char * const windows[] = {
    N_("Last 5 minutes"), N_("Last hour"), N_("Last day"), N_("Last 7 days"), N_("Last 30 days"), N_("Last 90 days"),
  };
  g_autoptr(GtkStringList) window_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) status_names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  guint n_statuses;
  const SpStatus *statuses = sp_status_all (&n_statuses);

  G_STATIC_ASSERT (G_N_ELEMENTS (windows) == SP_METRICS_N_WINDOWS);

  gtk_widget_init_template (GTK_WIDGET (self));
  sp_style_ensure ("sp-metrics.css");

  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    gtk_string_list_append (window_names, _(windows[i]));
  gtk_drop_down_set_model (self->window_dropdown, G_LIST_MODEL (window_names));
  gtk_drop_down_set_selected (self->window_dropdown, DEFAULT_WINDOW);

  gtk_string_list_append (status_names, _("All statuses"));
  for (guint i = 0; i < n_statuses; i++)
    gtk_string_list_append (status_names, sp_status_get_label (statuses[i]));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (status_names));
  set_service_choices (self, none);

  g_signal_connect_swapped (self->window_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->service_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->status_dropdown, "notify::selected", G_CALLBACK (filter_changed_cb), self);
}
