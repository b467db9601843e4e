/* sp-chart-palette.c: the colours of the metrics' charts (GNOME's palette, lighter in the dark), ticks and labels */
#define G_LOG_DOMAIN "sp-chart"

#include "config.h"

#include <math.h>

#include <adwaita.h>

#include "sp-chart-palette.h"

/* GNOME's palette (blue 3, green 4, yellow 5, orange 4, red 3, purple 3,
 * brown 3, and a second round a step darker), told apart by hue first. */
static const char * const light_colors[] = {
  "#3584e4", "#2ec27e", "#f5c211", "#ff7800", "#e01b24", "#9141ac", "#986a44",
  "#1c71d8", "#26a269", "#e5a50a", "#e66100", "#c01c28", "#813d9c", "#865e3c",
};
/* The same hues a step lighter, to stand out on a dark background. */
static const char * const dark_colors[] = {
  "#62a0ea", "#57e389", "#f8e45c", "#ffa348", "#f66151", "#c061cb", "#cdab8f",
  "#99c1f1", "#8ff0a4", "#f9f06b", "#ffbe6f", "#ff7b63", "#dc8add", "#b5835a",
};

/* The colour of the @index-th series (it repeats after 14). */
void
sp_chart_palette_get_color (guint    index,
                            GdkRGBA *color)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  const char * const *colors = dark ? dark_colors : light_colors;

  gdk_rgba_parse (color, colors[index % G_N_ELEMENTS (light_colors)]);
}

/* The colour of @widget's text, for axes, ticks and labels. */
void
sp_chart_palette_get_ink (GtkWidget *widget,
                          GdkRGBA   *ink)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), ink);
}

/* A step of 1, 2 or 5 times a power of ten (at least 1: counts are whole)
 * that divides [0, @maximum] into at most about @n_ticks parts. */
double
sp_chart_nice_step (double maximum,
                    guint  n_ticks)
{
  double raw = maximum / MAX (n_ticks, 1);
  double magnitude;
  double fraction;

  if (raw <= 1)
    return 1;
  magnitude = pow (10, floor (log10 (raw)));
  fraction = raw / magnitude;
  if (fraction <= 1)
    return magnitude;
  if (fraction <= 2)
    return 2 * magnitude;
  if (fraction <= 5)
    return 5 * magnitude;
  return 10 * magnitude;
}

/* Draws @text with its anchor at (@x, @y): @xalign and @yalign 0 put the
 * text's top left there, 0.5 its centre, 1 its bottom right. */
void
sp_chart_draw_text (GtkWidget  *widget,
                    cairo_t    *cr,
                    const char *text,
                    double      x,
                    double      y,
                    double      xalign,
                    double      yalign)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, round (x - xalign * width), round (y - yalign * height));
  pango_cairo_show_layout (cr, layout);
}

/* A count with the locale's thousands separator (1.234 in Italian). */
char *
sp_chart_format_count (double count)
{
  return g_strdup_printf ("%'.0f", count);
}

int
sp_chart_text_width (GtkWidget  *widget,
                     const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  GdkRGBA color;

  sp_chart_palette_get_color (GPOINTER_TO_UINT (user_data), &color);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0, 0, 2 * G_PI);
  cairo_fill (cr);
}

/* A dot of the @index-th series' colour, for a legend. */
GtkWidget *
sp_chart_swatch_new (guint index)
{
  GtkWidget *swatch = gtk_drawing_area_new ();

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 12);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 12);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, GUINT_TO_POINTER (index), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  return swatch;
}

/**
 * sp_chart_ente_time:
 * @unix_time: seconds since the epoch
 *
 * Returns: (transfer full): @unix_time in the ente's time, Rome's (the
 *   server counts days and hours there), wherever the app runs
 */
GDateTime *
sp_chart_ente_time (gint64 unix_time)
{
  static GTimeZone *ente_zone;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);

  if (g_once_init_enter (&ente_zone))
    {
      GTimeZone *zone = g_time_zone_new_identifier ("Europe/Rome");

      g_once_init_leave (&ente_zone, zone != NULL ? zone : g_time_zone_new_local ());
    }
  return g_date_time_to_timezone (utc, ente_zone);
}
