/* sp-area-chart.c: the stacked area chart of submitted pratiche per service, drawn with cairo */
#define G_LOG_DOMAIN "sp-area-chart"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sp-area-chart.h"
#include "sp-chart-palette.h"

/* Room around the plot, in pixels, beside that of the ticks' labels. */
#define PAD 8
#define Y_TICKS 4

struct _SpAreaChart
{
  GtkWidget       parent_instance;

  SpMetricsChart *chart;
  int             hover;        /* the bucket under the pointer, or -1 */
};

G_DEFINE_FINAL_TYPE (SpAreaChart, sp_area_chart, GTK_TYPE_WIDGET)

/* Where the plot is inside the widget, and its vertical scale. */
typedef struct
{
  double left;
  double top;
  double width;
  double height;
  double step;       /* between two ticks of the count axis */
  double maximum;    /* the count at the top */
} Plot;

/* The buckets are the ente's minutes, hours and days (Rome's, as the server
 * counts them), wherever the app runs. */
static GDateTime *
bucket_time (const SpMetricsChart *chart,
             guint                 bucket)
{
  return sp_chart_ente_time (g_array_index (chart->starts, gint64, bucket));
}

/**
 * sp_area_chart_format_bucket:
 *
 * Returns: (transfer full): @bucket's time in words: the minute, the hour or
 *   the day, in the ente's time
 */
char *
sp_area_chart_format_bucket (const SpMetricsChart *chart,
                             guint                 bucket)
{
  g_autoptr(GDateTime) time = bucket_time (chart, bucket);

  switch (chart->bucket)
    {
    case SP_METRICS_BUCKET_MINUTE:
      /* Translators: a minute of the chart, strftime()-like */
      return g_date_time_format (time, _("%-d %B %Y, %H:%M"));
    case SP_METRICS_BUCKET_HOUR:
      {
        g_autoptr(GDateTime) end = g_date_time_add_hours (time, 1);
        g_autofree char *from = g_date_time_format (time, _("%-d %B %Y, %H:%M"));
        g_autofree char *to = g_date_time_format (end, "%H:%M");

        /* Translators: an hour of the chart, from a time to the next hour */
        return g_strdup_printf (_("%s–%s"), from, to);
      }
    case SP_METRICS_BUCKET_DAY:
    default:
      /* Translators: a day of the chart, strftime()-like */
      return g_date_time_format (time, _("%A %-d %B %Y"));
    }
}

/* The short label under the time axis. */
static char *
tick_label (const SpMetricsChart *chart,
            guint                 bucket)
{
  g_autoptr(GDateTime) time = bucket_time (chart, bucket);

  if (chart->bucket == SP_METRICS_BUCKET_DAY
      || (chart->bucket == SP_METRICS_BUCKET_HOUR && g_date_time_get_hour (time) == 0))
    /* Translators: a day under the chart's time axis, strftime()-like */
    return g_date_time_format (time, _("%-d %b"));
  return g_date_time_format (time, "%H:%M");
}

/* Whether @bucket gets a label when one in @every buckets does: round
 * minutes and hours, Mondays for weeks. */
static gboolean
is_labelled (const SpMetricsChart *chart,
             guint                 bucket,
             guint                 every)
{
  g_autoptr(GDateTime) time = bucket_time (chart, bucket);

  switch (chart->bucket)
    {
    case SP_METRICS_BUCKET_MINUTE:
      return g_date_time_get_minute (time) % every == 0;
    case SP_METRICS_BUCKET_HOUR:
      return g_date_time_get_hour (time) % every == 0;
    case SP_METRICS_BUCKET_DAY:
    default:
      if (every < 7)
        return g_date_time_get_day_of_year (time) % every == 0;
      return g_date_time_get_day_of_week (time) == 1 && g_date_time_get_week_of_year (time) % (every / 7) == 0;
    }
}

/* One label in how many buckets, so that labels do not touch. */
static guint
label_every (SpAreaChart *self,
             const Plot  *plot)
{
  static const guint minutes[] = { 1, 5, 10, 15, 30, 60 };
  static const guint hours[] = { 1, 2, 3, 6, 12, 24 };
  static const guint days[] = { 1, 2, 7, 14, 28 };
  const guint *steps = self->chart->bucket == SP_METRICS_BUCKET_MINUTE ? minutes
                       : self->chart->bucket == SP_METRICS_BUCKET_HOUR ? hours : days;
  guint n_steps = self->chart->bucket == SP_METRICS_BUCKET_MINUTE ? G_N_ELEMENTS (minutes)
                  : self->chart->bucket == SP_METRICS_BUCKET_HOUR ? G_N_ELEMENTS (hours) : G_N_ELEMENTS (days);
  g_autofree char *sample = tick_label (self->chart, 0);
  double needed = sp_chart_text_width (GTK_WIDGET (self), sample) + 3 * PAD;
  double bucket_width = plot->width / self->chart->starts->len;

  for (guint i = 0; i < n_steps; i++)
    if (steps[i] * bucket_width >= needed)
      return steps[i];
  return steps[n_steps - 1];
}

static guint
get_maximum (const SpMetricsChart *chart)
{
  guint maximum = 0;

  for (guint i = 0; i < chart->starts->len; i++)
    maximum = MAX (maximum, sp_metrics_chart_get_total (chart, i));
  return maximum;
}

static void
get_plot (SpAreaChart *self,
          Plot        *plot)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "0");
  g_autofree char *top_label = NULL;
  guint maximum = self->chart != NULL ? get_maximum (self->chart) : 0;
  int line_height;

  plot->step = sp_chart_nice_step (maximum, Y_TICKS);
  plot->maximum = plot->step * MAX (1, ceil (maximum / plot->step));
  top_label = sp_chart_format_count (plot->maximum);
  pango_layout_get_pixel_size (layout, NULL, &line_height);

  plot->left = sp_chart_text_width (widget, top_label) + 2 * PAD;
  plot->top = line_height / 2.0 + PAD;
  plot->width = MAX (1, gtk_widget_get_width (widget) - plot->left - 2 * PAD);
  plot->height = MAX (1, gtk_widget_get_height (widget) - plot->top - line_height - 2 * PAD);
}

static double
x_of (const SpAreaChart *self,
      const Plot        *plot,
      guint              bucket)
{
  return plot->left + (bucket + 0.5) * plot->width / self->chart->starts->len;
}

static double
y_of (const Plot *plot,
      double      count)
{
  return plot->top + plot->height - count / plot->maximum * plot->height;
}

static void
draw_count_axis (SpAreaChart   *self,
                 cairo_t       *cr,
                 const Plot    *plot,
                 const GdkRGBA *ink)
{
  for (double count = 0; count <= plot->maximum + 0.5; count += plot->step)
    {
      g_autofree char *label = sp_chart_format_count (count);
      double y = round (y_of (plot, count)) + 0.5;

      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, count == 0 ? 0.5 : 0.15);
      cairo_move_to (cr, plot->left, y);
      cairo_line_to (cr, plot->left + plot->width, y);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.7);
      sp_chart_draw_text (GTK_WIDGET (self), cr, label, plot->left - PAD, y, 1, 0.5);
    }
}

static void
draw_time_axis (SpAreaChart   *self,
                cairo_t       *cr,
                const Plot    *plot,
                const GdkRGBA *ink)
{
  guint every = label_every (self, plot);
  double last_end = -G_MAXDOUBLE;

  for (guint i = 0; i < self->chart->starts->len; i++)
    {
      g_autofree char *label = NULL;
      double x = x_of (self, plot, i);
      double width;

      if (!is_labelled (self->chart, i, every))
        continue;
      label = tick_label (self->chart, i);
      width = sp_chart_text_width (GTK_WIDGET (self), label);
      /* Never cut at the edges, never over the one before. */
      x = CLAMP (x, width / 2, gtk_widget_get_width (GTK_WIDGET (self)) - width / 2);
      if (x - width / 2 < last_end + PAD)
        continue;
      last_end = x + width / 2;
      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.5);
      cairo_move_to (cr, round (x_of (self, plot, i)) + 0.5, plot->top + plot->height);
      cairo_line_to (cr, round (x_of (self, plot, i)) + 0.5, plot->top + plot->height + PAD / 2);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.7);
      sp_chart_draw_text (GTK_WIDGET (self), cr, label, x, plot->top + plot->height + PAD / 2 + 2, 0.5, 0);
    }
}

/* Each service's band over the ones before it, so that the top edge is the
 * total; a bucket with nothing is drawn at zero. */
static void
draw_areas (SpAreaChart *self,
            cairo_t     *cr,
            const Plot  *plot)
{
  guint n = self->chart->starts->len;
  g_autofree double *below = g_new0 (double, n);
  g_autofree double *above = g_new0 (double, n);

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint s = 0; s < self->chart->series->len; s++)
    {
      const SpMetricsSeries *series = g_ptr_array_index (self->chart->series, s);
      GdkRGBA color;

      for (guint i = 0; i < n; i++)
        above[i] = below[i] + g_array_index (series->counts, guint, i);
      sp_chart_palette_get_color (s, &color);

      cairo_move_to (cr, x_of (self, plot, 0), y_of (plot, above[0]));
      for (guint i = 1; i < n; i++)
        cairo_line_to (cr, x_of (self, plot, i), y_of (plot, above[i]));
      for (guint i = n; i-- > 0;)
        cairo_line_to (cr, x_of (self, plot, i), y_of (plot, below[i]));
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.7);
      cairo_fill (cr);

      cairo_move_to (cr, x_of (self, plot, 0), y_of (plot, above[0]));
      for (guint i = 1; i < n; i++)
        cairo_line_to (cr, x_of (self, plot, i), y_of (plot, above[i]));
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);

      memcpy (below, above, n * sizeof (double));
    }
}

/* The bucket's values in a box beside the line, on whichever side has room. */
static void
draw_callout (SpAreaChart   *self,
              cairo_t       *cr,
              const Plot    *plot,
              const GdkRGBA *ink,
              double         x)
{
  g_autofree char *text = sp_area_chart_describe_bucket (self, (guint) self->hover);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  gboolean light_ink = ink->red + ink->green + ink->blue > 1.5;
  int width, height;
  double left;

  pango_layout_get_pixel_size (layout, &width, &height);
  left = x + PAD + width + 2 * PAD <= plot->left + plot->width ? x + PAD : x - PAD - width - 2 * PAD;
  left = MAX (left, 0);
  cairo_rectangle (cr, left, plot->top, width + 2 * PAD, height + 2 * PAD);
  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.88);
  cairo_fill (cr);
  /* The text in the colour of the background the ink is drawn on. */
  cairo_set_source_rgb (cr, light_ink ? 0.12 : 1, light_ink ? 0.12 : 1, light_ink ? 0.12 : 1);
  cairo_move_to (cr, left + PAD, plot->top + PAD);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_hover (SpAreaChart   *self,
            cairo_t       *cr,
            const Plot    *plot,
            const GdkRGBA *ink)
{
  double x = round (x_of (self, plot, (guint) self->hover)) + 0.5;
  double total = 0;

  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, x, plot->top);
  cairo_line_to (cr, x, plot->top + plot->height);
  cairo_stroke (cr);
  for (guint s = 0; s < self->chart->series->len; s++)
    {
      const SpMetricsSeries *series = g_ptr_array_index (self->chart->series, s);
      GdkRGBA color;

      total += g_array_index (series->counts, guint, self->hover);
      sp_chart_palette_get_color (s, &color);
      cairo_arc (cr, x, y_of (plot, total), 3.5, 0, 2 * G_PI);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.8);
      cairo_stroke (cr);
    }
  draw_callout (self, cr, plot, ink, x);
}

static void
sp_area_chart_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  SpAreaChart *self = SP_AREA_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;
  GdkRGBA ink;
  Plot plot;

  if (width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  sp_chart_palette_get_ink (widget, &ink);
  cairo_set_line_width (cr, 1);
  get_plot (self, &plot);
  draw_count_axis (self, cr, &plot, &ink);
  if (self->chart != NULL && self->chart->starts->len > 0)
    {
      draw_areas (self, cr, &plot);
      draw_time_axis (self, cr, &plot, &ink);
      if (self->hover >= 0)
        draw_hover (self, cr, &plot, &ink);
    }
  cairo_destroy (cr);
}

static void
sp_area_chart_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 280;
}

static int
bucket_at (SpAreaChart *self,
           double       x)
{
  Plot plot;
  int bucket;

  if (self->chart == NULL || self->chart->starts->len == 0)
    return -1;
  get_plot (self, &plot);
  bucket = (int) floor ((x - plot.left) / plot.width * self->chart->starts->len);
  return bucket >= 0 && (guint) bucket < self->chart->starts->len ? bucket : -1;
}

static void
motion_cb (SpAreaChart *self,
           double       x,
           double       y)
{
  sp_area_chart_set_hover (self, bucket_at (self, x));
}

static void
leave_cb (SpAreaChart *self)
{
  sp_area_chart_set_hover (self, -1);
}

/* The keyboard moves the mark as the pointer does: Left and Right a bucket,
 * Home and End to either end. */
static gboolean
key_pressed_cb (SpAreaChart     *self,
                guint            keyval,
                guint            keycode,
                GdkModifierType  state)
{
  int last;

  if (self->chart == NULL || self->chart->starts->len == 0)
    return FALSE;
  last = (int) self->chart->starts->len - 1;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      sp_area_chart_set_hover (self, self->hover < 0 ? last : MAX (self->hover - 1, 0));
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      sp_area_chart_set_hover (self, self->hover < 0 ? 0 : MIN (self->hover + 1, last));
      return TRUE;
    case GDK_KEY_Home:
      sp_area_chart_set_hover (self, 0);
      return TRUE;
    case GDK_KEY_End:
      sp_area_chart_set_hover (self, last);
      return TRUE;
    case GDK_KEY_Escape:
      if (self->hover < 0)
        return FALSE;
      sp_area_chart_set_hover (self, -1);
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * sp_area_chart_describe:
 *
 * Returns: (transfer full) (nullable): the chart in words, as screen
 *   readers are told it: the span, the total, each service's count and the
 *   busiest bucket; %NULL without a chart
 */
char *
sp_area_chart_describe (SpAreaChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint busiest = 0;
  guint total = 0;

  g_return_val_if_fail (SP_IS_AREA_CHART (self), NULL);

  if (self->chart == NULL || self->chart->starts->len == 0)
    return NULL;
  for (guint i = 0; i < self->chart->starts->len; i++)
    {
      guint in_bucket = sp_metrics_chart_get_total (self->chart, i);

      total += in_bucket;
      if (in_bucket > sp_metrics_chart_get_total (self->chart, busiest))
        busiest = i;
    }
  {
    g_autofree char *first = sp_area_chart_format_bucket (self->chart, 0);
    g_autofree char *last = sp_area_chart_format_bucket (self->chart, self->chart->starts->len - 1);

    /* Translators: the span of the chart, then how many pratiche in all */
    g_string_append_printf (text, ngettext ("From %s to %s: %u pratica submitted.",
                                            "From %s to %s: %u pratiche submitted.", total),
                            first, last, total);
  }
  for (guint s = 0; s < self->chart->series->len; s++)
    {
      const SpMetricsSeries *series = g_ptr_array_index (self->chart->series, s);
      guint sum = 0;

      for (guint i = 0; i < series->counts->len; i++)
        sum += g_array_index (series->counts, guint, i);
      /* Translators: a service's name and its pratiche in the chart */
      g_string_append_printf (text, _(" %s: %u."), series->name, sum);
    }
  if (total > 0)
    {
      g_autofree char *when = sp_area_chart_format_bucket (self->chart, busiest);

      /* Translators: the most pratiche in one bucket, and when */
      g_string_append_printf (text, _(" The most, %u, on %s."), sp_metrics_chart_get_total (self->chart, busiest), when);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_description (SpAreaChart *self)
{
  g_autofree char *description = sp_area_chart_describe (self);

  if (description == NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  else
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
}

static void
sp_area_chart_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sp_area_chart_parent_class)->css_changed (widget, change);
  /* The ink, and the palette's light or dark half. */
  gtk_widget_queue_draw (widget);
}

static void
sp_area_chart_finalize (GObject *object)
{
  SpAreaChart *self = SP_AREA_CHART (object);

  g_clear_pointer (&self->chart, sp_metrics_chart_free);

  G_OBJECT_CLASS (sp_area_chart_parent_class)->finalize (object);
}

static void
sp_area_chart_class_init (SpAreaChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sp_area_chart_finalize;
  widget_class->snapshot = sp_area_chart_snapshot;
  widget_class->measure = sp_area_chart_measure;
  widget_class->css_changed = sp_area_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "areachart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sp_area_chart_init (SpAreaChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  self->hover = -1;
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Submitted pratiche per service"),
                                  -1);
}

GtkWidget *
sp_area_chart_new (void)
{
  return g_object_new (SP_TYPE_AREA_CHART, NULL);
}

/**
 * sp_area_chart_take_chart:
 * @chart: (transfer full) (nullable): what to draw
 */
void
sp_area_chart_take_chart (SpAreaChart    *self,
                          SpMetricsChart *chart)
{
  g_return_if_fail (SP_IS_AREA_CHART (self));

  g_clear_pointer (&self->chart, sp_metrics_chart_free);
  self->chart = chart;
  self->hover = -1;
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Returns: (nullable): what is drawn */
const SpMetricsChart *
sp_area_chart_get_chart (SpAreaChart *self)
{
  g_return_val_if_fail (SP_IS_AREA_CHART (self), NULL);

  return self->chart;
}

/**
 * sp_area_chart_set_hover:
 * @bucket: the bucket to mark, or -1
 *
 * Marks a bucket with a line and a dot on each band, as the pointer does.
 */
void
sp_area_chart_set_hover (SpAreaChart *self,
                         int          bucket)
{
  g_return_if_fail (SP_IS_AREA_CHART (self));

  if (self->chart == NULL || bucket < 0 || (guint) bucket >= self->chart->starts->len)
    bucket = -1;
  if (bucket == self->hover)
    return;
  self->hover = bucket;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
sp_area_chart_get_hover (SpAreaChart *self)
{
  g_return_val_if_fail (SP_IS_AREA_CHART (self), -1);

  return self->hover;
}

/**
 * sp_area_chart_describe_bucket:
 *
 * Returns: (transfer full): what the chart says of @bucket under the pointer: when, each
 *   service's count (the busiest first), the total
 */
char *
sp_area_chart_describe_bucket (SpAreaChart *self,
                               guint        bucket)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *when = NULL;

  g_return_val_if_fail (SP_IS_AREA_CHART (self), NULL);
  g_return_val_if_fail (self->chart != NULL && bucket < self->chart->starts->len, NULL);

  when = sp_area_chart_format_bucket (self->chart, bucket);
  text = g_string_new (when);
  for (guint s = self->chart->series->len; s-- > 0;)
    {
      const SpMetricsSeries *series = g_ptr_array_index (self->chart->series, s);

      /* Translators: a service's name and its count in a bucket */
      g_string_append_printf (text, _("\n%s: %u"), series->name, g_array_index (series->counts, guint, bucket));
    }
  /* Translators: the count of every service in a bucket */
  g_string_append_printf (text, _("\nTotal: %u"), sp_metrics_chart_get_total (self->chart, bucket));
  return g_string_free (g_steal_pointer (&text), FALSE);
}
