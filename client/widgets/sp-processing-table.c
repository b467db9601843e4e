/* sp-processing-table.c: the services' processing times as a table: days to take charge and to conclusion, share within the deadline */
#define G_LOG_DOMAIN "sp-processing-table"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "sp-chart-palette.h"
#include "sp-metrics-report.h"
#include "sp-processing-table.h"

/**
 * sp_processing_format_days:
 *
 * Returns: (transfer full): "median / 90th percentile" in days, or a dash
 *   when nothing was counted
 */
char *
sp_processing_format_days (double median,
                           double p90)
{
  if (isnan (median) || isnan (p90))
    return g_strdup ("—");
  /* Translators: the median and the 90th percentile, in days */
  return g_strdup_printf (_("%.1f / %.1f days"), median, p90);
}

static char *
format_share (const SpMetricsDuration *concluded)
{
  g_autofree char *count = NULL;

  if (isnan (concluded->within_deadline))
    return g_strdup ("—");
  count = sp_chart_format_count (concluded->count);
  /* Translators: the share concluded within the deadline, then out of how many */
  return g_strdup_printf (_("%.0f%% of %s"), concluded->within_deadline * 100, count);
}

static GtkWidget *
add_cell (GtkGrid    *grid,
          const char *text,
          int         column,
          int         row,
          gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0.0f : 1.0f);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_selectable (GTK_LABEL (label), !heading);
  gtk_widget_set_hexpand (label, column == 0);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  else if (column > 0)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (grid, label, column, row, 1, 1);
  return label;
}

/* Empties @grid and fills it with a header and one row per service. */
void
sp_processing_table_fill (GtkGrid   *grid,
                          GPtrArray *services)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);

  add_cell (grid, _("Service"), 0, 0, TRUE);
  add_cell (grid, _("Taken in charge\n(median / 90%)"), 1, 0, TRUE);
  add_cell (grid, _("Concluded\n(median / 90%)"), 2, 0, TRUE);
  add_cell (grid, _("Within the deadline"), 3, 0, TRUE);
  for (guint i = 0; i < services->len; i++)
    {
      const SpMetricsProcessing *service = g_ptr_array_index (services, i);
      g_autofree char *taken = sp_processing_format_days (service->taken.median_days, service->taken.p90_days);
      g_autofree char *concluded = sp_processing_format_days (service->concluded.median_days,
                                                              service->concluded.p90_days);
      g_autofree char *share = format_share (&service->concluded);
      GtkWidget *name = add_cell (grid, service->name, 0, (int) i + 1, FALSE);

      gtk_widget_set_name (name, service->servizio);
      add_cell (grid, taken, 1, (int) i + 1, FALSE);
      add_cell (grid, concluded, 2, (int) i + 1, FALSE);
      add_cell (grid, share, 3, (int) i + 1, FALSE);
    }
}
