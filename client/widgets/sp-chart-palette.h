/* sp-chart-palette.h: the colours and shared drawing of the metrics' charts */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     sp_chart_palette_get_color  (guint           index,
                                      GdkRGBA        *color);
void     sp_chart_palette_get_ink    (GtkWidget      *widget,
                                      GdkRGBA        *ink);
double   sp_chart_nice_step          (double          maximum,
                                      guint           n_ticks);
void     sp_chart_draw_text          (GtkWidget      *widget,
                                      cairo_t        *cr,
                                      const char     *text,
                                      double          x,
                                      double          y,
                                      double          xalign,
                                      double          yalign);
char    *sp_chart_format_count       (double          count) G_GNUC_WARN_UNUSED_RESULT;
int      sp_chart_text_width         (GtkWidget      *widget,
                                      const char     *text);
GtkWidget *sp_chart_swatch_new       (guint           index);
GDateTime *sp_chart_ente_time        (gint64          unix_time) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
