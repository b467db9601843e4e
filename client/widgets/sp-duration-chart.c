/* sp-duration-chart.c: per service, the median and 90th percentile of the days to conclusion, and the legal deadline */
#define G_LOG_DOMAIN "sp-duration-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "sp-chart-palette.h"
#include "sp-duration-chart.h"
#include "sp-metrics-report.h"

#define PAD 8
#define ROW 34          /* a service's row, in pixels */
#define BAR 14
#define NAME_WIDTH 220  /* at most, for the services' names */
#define X_TICKS 5

struct _SpDurationChart
{
  GtkWidget  parent_instance;

  GPtrArray *services;  /* of SpMetricsProcessing */
};

G_DEFINE_FINAL_TYPE (SpDurationChart, sp_duration_chart, GTK_TYPE_WIDGET)

typedef struct
{
  double left;
  double width;
  double top;
  double step;      /* days between two ticks */
  double maximum;   /* days at the right edge */
} Plot;

static void
get_plot (SpDurationChart *self,
          Plot            *plot)
{
  double longest = 0;
  int name_width = 0;

  for (guint i = 0; i < self->services->len; i++)
    {
      const SpMetricsProcessing *service = g_ptr_array_index (self->services, i);

      if (!isnan (service->concluded.p90_days))
        longest = MAX (longest, service->concluded.p90_days);
      longest = MAX (longest, service->deadline_days);
      name_width = MAX (name_width, sp_chart_text_width (GTK_WIDGET (self), service->name));
    }
  plot->step = sp_chart_nice_step (longest, X_TICKS);
  plot->maximum = plot->step * MAX (1, ceil (longest / plot->step));
  plot->left = MIN (name_width, NAME_WIDTH) + 2 * PAD;
  plot->width = MAX (1, gtk_widget_get_width (GTK_WIDGET (self)) - plot->left - 3 * PAD);
  plot->top = PAD;
}

static double
x_of (const Plot *plot,
      double      days)
{
  return plot->left + days / plot->maximum * plot->width;
}

static void
draw_name (SpDurationChart *self,
           cairo_t         *cr,
           const char      *name,
           double           y,
           const Plot      *plot)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), name);
  int height;

  pango_layout_set_width (layout, (int) ((plot->left - 2 * PAD) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, NULL, &height);
  cairo_move_to (cr, PAD, round (y - height / 2.0));
  pango_cairo_show_layout (cr, layout);
}

static void
draw_service (SpDurationChart           *self,
              cairo_t                   *cr,
              const SpMetricsProcessing *service,
              guint                      index,
              const Plot                *plot,
              const GdkRGBA             *ink)
{
  double middle = plot->top + index * ROW + ROW / 2.0;
  double deadline = round (x_of (plot, service->deadline_days)) + 0.5;
  GdkRGBA color;

  sp_chart_palette_get_color (0, &color);
  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.9);
  draw_name (self, cr, service->name, middle, plot);

  if (isnan (service->concluded.median_days))
    {
      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.55);
      /* Translators: a service of the chart with no pratica concluded */
      sp_chart_draw_text (GTK_WIDGET (self), cr, _("none concluded"), plot->left + PAD, middle, 0, 0.5);
    }
  else
    {
      /* To the 90th percentile, light; to the median, full. */
      cairo_rectangle (cr, plot->left, middle - BAR / 2.0,
                       x_of (plot, service->concluded.p90_days) - plot->left, BAR);
      cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.35);
      cairo_fill (cr);
      cairo_rectangle (cr, plot->left, middle - BAR / 2.0,
                       x_of (plot, service->concluded.median_days) - plot->left, BAR);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_fill (cr);
    }

  /* The legal deadline: a tick across the row. */
  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.85);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, deadline, middle - BAR / 2.0 - 4);
  cairo_line_to (cr, deadline, middle + BAR / 2.0 + 4);
  cairo_stroke (cr);
  cairo_set_line_width (cr, 1);
}

static void
draw_axis (SpDurationChart *self,
           cairo_t         *cr,
           const Plot      *plot,
           const GdkRGBA   *ink)
{
  double bottom = plot->top + self->services->len * ROW;

  for (double days = 0; days <= plot->maximum + 0.5; days += plot->step)
    {
      g_autofree char *label = g_strdup_printf ("%.0f", days);
      double x = round (x_of (plot, days)) + 0.5;

      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, days == 0 ? 0.5 : 0.15);
      cairo_move_to (cr, x, plot->top);
      cairo_line_to (cr, x, bottom);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.7);
      sp_chart_draw_text (GTK_WIDGET (self), cr, label, x, bottom + PAD / 2, 0.5, 0);
    }
  cairo_set_source_rgba (cr, ink->red, ink->green, ink->blue, 0.7);
  /* Translators: the unit of the processing times' axis */
  sp_chart_draw_text (GTK_WIDGET (self), cr, _("days"), plot->left + plot->width, bottom + PAD / 2 + 18, 1, 0);
}

static void
sp_duration_chart_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  SpDurationChart *self = SP_DURATION_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;
  GdkRGBA ink;
  Plot plot;

  if (width <= 0 || height <= 0 || self->services->len == 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  sp_chart_palette_get_ink (widget, &ink);
  cairo_set_line_width (cr, 1);
  get_plot (self, &plot);
  draw_axis (self, cr, &plot, &ink);
  for (guint i = 0; i < self->services->len; i++)
    draw_service (self, cr, g_ptr_array_index (self->services, i), i, &plot, &ink);
  cairo_destroy (cr);
}

static void
sp_duration_chart_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  SpDurationChart *self = SP_DURATION_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 280;
      *natural = 640;
    }
  else
    *minimum = *natural = self->services->len == 0 ? 0 : (int) self->services->len * ROW + 2 * PAD + 40;
}

static void
update_description (SpDurationChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->services->len; i++)
    {
      const SpMetricsProcessing *service = g_ptr_array_index (self->services, i);

      if (isnan (service->concluded.median_days))
        /* Translators: a service, then its legal deadline in days */
        g_string_append_printf (text, _("%s: none concluded, deadline %d days. "), service->name,
                                service->deadline_days);
      else
        /* Translators: a service, the median and 90th percentile of its days to conclusion, its deadline */
        g_string_append_printf (text, _("%s: median %.1f days, 90%% within %.1f days, deadline %d days. "),
                                service->name, service->concluded.median_days, service->concluded.p90_days,
                                service->deadline_days);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  g_strchomp (text->str), -1);
}

static void
sp_duration_chart_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (sp_duration_chart_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
sp_duration_chart_finalize (GObject *object)
{
  SpDurationChart *self = SP_DURATION_CHART (object);

  g_clear_pointer (&self->services, g_ptr_array_unref);

  G_OBJECT_CLASS (sp_duration_chart_parent_class)->finalize (object);
}

static void
sp_duration_chart_class_init (SpDurationChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sp_duration_chart_finalize;
  widget_class->snapshot = sp_duration_chart_snapshot;
  widget_class->measure = sp_duration_chart_measure;
  widget_class->css_changed = sp_duration_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "durationchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sp_duration_chart_init (SpDurationChart *self)
{
  self->services = g_ptr_array_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Days to conclusion per service"),
                                  -1);
}

GtkWidget *
sp_duration_chart_new (void)
{
  return g_object_new (SP_TYPE_DURATION_CHART, NULL);
}

/**
 * sp_duration_chart_set_services:
 * @services: (element-type SpMetricsProcessing): the services' times
 */
void
sp_duration_chart_set_services (SpDurationChart *self,
                                GPtrArray       *services)
{
  g_return_if_fail (SP_IS_DURATION_CHART (self));
  g_return_if_fail (services != NULL);

  g_ptr_array_unref (self->services);
  self->services = g_ptr_array_ref (services);
  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
