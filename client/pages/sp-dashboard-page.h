/* sp-dashboard-page.h: the "Pannello di controllo": the buckets, the table of pratiche, "Prendi in carico" */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_DASHBOARD_PAGE (sp_dashboard_page_get_type ())

G_DECLARE_FINAL_TYPE (SpDashboardPage, sp_dashboard_page, SP, DASHBOARD_PAGE, AdwBin)

G_END_DECLS
