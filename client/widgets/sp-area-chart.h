/* sp-area-chart.h: the stacked area chart of submitted pratiche per service */
#pragma once

#include <gtk/gtk.h>

#include "sp-metrics-report.h"

G_BEGIN_DECLS

#define SP_TYPE_AREA_CHART (sp_area_chart_get_type ())

G_DECLARE_FINAL_TYPE (SpAreaChart, sp_area_chart, SP, AREA_CHART, GtkWidget)

GtkWidget            *sp_area_chart_new            (void);
void                  sp_area_chart_take_chart     (SpAreaChart    *self,
                                                    SpMetricsChart *chart);
const SpMetricsChart *sp_area_chart_get_chart      (SpAreaChart    *self);
void                  sp_area_chart_set_hover      (SpAreaChart    *self,
                                                    int             bucket);
int                   sp_area_chart_get_hover      (SpAreaChart    *self);
char                 *sp_area_chart_describe_bucket (SpAreaChart   *self,
                                                    guint           bucket) G_GNUC_WARN_UNUSED_RESULT;
char                 *sp_area_chart_describe       (SpAreaChart    *self) G_GNUC_WARN_UNUSED_RESULT;
char                 *sp_area_chart_format_bucket  (const SpMetricsChart *chart,
                                                    guint           bucket) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
