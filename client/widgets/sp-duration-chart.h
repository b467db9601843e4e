/* sp-duration-chart.h: the bar chart of the days each service takes to conclude, against its deadline */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SP_TYPE_DURATION_CHART (sp_duration_chart_get_type ())

G_DECLARE_FINAL_TYPE (SpDurationChart, sp_duration_chart, SP, DURATION_CHART, GtkWidget)

GtkWidget *sp_duration_chart_new          (void);
void       sp_duration_chart_set_services (SpDurationChart *self,
                                           GPtrArray       *services);

G_END_DECLS
