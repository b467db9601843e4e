#pragma once

/* What the "Pannello di controllo" UI tests share: the app in Italian under
 * Xvfb against a real sportello-server with 73 pratiche in SP_TEST_ENTE,
 * the user's folders of the test's own, and helpers to open the dashboard
 * signed in, and to read and drive its list as the user does. */

#include <adwaita.h>

#include "sp-application.h"
#include "sp-dashboard-page.h"
#include "sp-pratica-list-model.h"
#include "sp-test-env.h"
#include "sp-window.h"

G_BEGIN_DECLS

/* The environment */
void                 sp_test_dashboard_ui_init          (int                *argc,
                                                         char             ***argv);
int                  sp_test_dashboard_ui_run           (void);
gboolean             sp_test_dashboard_ui_skip          (void);
SpTestEnv           *sp_test_dashboard_ui_env           (void);
const char          *sp_test_dashboard_ui_documents_dir (void);
char                *sp_test_dashboard_ui_sql           (const char         *statement) G_GNUC_WARN_UNUSED_RESULT;
SpWindow            *sp_test_dashboard_ui_open          (const char         *username);

/* The dashboard */
SpDashboardPage     *sp_test_dashboard_of               (SpWindow           *window);
SpPraticaListModel  *sp_test_dashboard_model            (SpDashboardPage    *page);
const char          *sp_test_dashboard_state            (SpDashboardPage    *page);
const char          *sp_test_dashboard_count            (SpDashboardPage    *page,
                                                         const char         *bucket);
void                 sp_test_dashboard_wait_loaded      (SpPraticaListModel *model);
void                 sp_test_dashboard_show_bucket      (SpDashboardPage    *page,
                                                         const char         *bucket);
SpPraticaSummaryData *sp_test_dashboard_row             (SpPraticaListModel *model,
                                                         guint               position);
GtkColumnViewColumn *sp_test_dashboard_column           (SpDashboardPage    *page,
                                                         const char         *title);
void                 sp_test_dashboard_sort_by          (SpDashboardPage    *page,
                                                         const char         *title,
                                                         GtkSortType         order);
GtkWidget           *sp_test_dashboard_row_button       (SpDashboardPage    *page,
                                                         const char         *pratica_id);

G_END_DECLS
