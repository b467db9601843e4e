#pragma once

/* The dashboard's search: the SQL that counts a search's matches and pages
 * through them. Private to sp-db-dashboard.c. */

#include "sp-db-dashboard.h"
#include "sp-db-query.h"
#include "sp-db-search-terms.h"

G_BEGIN_DECLS

SpDbQuery *sp_db_search_query (SpDashboardQuery *query,
                               const char       *account_id,
                               SpDbSearchTerms  *terms) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
