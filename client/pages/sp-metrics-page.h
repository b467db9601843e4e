/* sp-metrics-page.h: the "Metriche di utilizzo" page */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_METRICS_PAGE (sp_metrics_page_get_type ())

G_DECLARE_FINAL_TYPE (SpMetricsPage, sp_metrics_page, SP, METRICS_PAGE, AdwBin)

G_END_DECLS
