#pragma once

/* The pieces of SQL the dashboard's queries share: buckets, sort keys,
 * keyset cursors and counts. Private to sp-db-dashboard.c and sp-db-search.c. */

#include "sp-db-dashboard.h"

G_BEGIN_DECLS

/* The parameters every dashboard query has: $1 the scope (sp-db-scope.h:
 * the services the operator may see), $2 the operator's account id. */
#define SP_DB_DASHBOARD_N_COMMON_PARAMS 2

/* The four bucket counts over rows "p" (status, assigned_to), in SpBucket
 * order, as n0…n3. */
#define SP_DB_COUNT_COLUMNS \
  "count (*) FILTER (WHERE p.assigned_to = $2::bigint AND p.status < 6000) AS n0," \
  " count (*) FILTER (WHERE p.assigned_to IS NULL AND p.status < 6000) AS n1," \
  " count (*) FILTER (WHERE p.assigned_to = $2::bigint AND p.status >= 6000) AS n2," \
  " count (*) AS n3"

/* The same from pratica_count (servizio_id, status, assigned_to or 0, n),
 * without counting. */
#define SP_DB_SUM_COUNT_COLUMNS \
  "coalesce (sum (n) FILTER (WHERE assigned_to = $2::bigint AND status < 6000), 0) AS n0," \
  " coalesce (sum (n) FILTER (WHERE assigned_to = 0 AND status < 6000), 0) AS n1," \
  " coalesce (sum (n) FILTER (WHERE assigned_to = $2::bigint AND status >= 6000), 0) AS n2," \
  " coalesce (sum (n), 0) AS n3"

const char         *sp_db_bucket_condition   (SpBucket          bucket);
const char * const *sp_db_sort_expressions   (SpSortKey         sort);
const char         *sp_db_sort_cast          (SpSortKey         sort,
                                              guint             i);
void                sp_db_append_after_cursor (GString           *sql,
                                               SpDashboardQuery  *query,
                                               const char * const *values,
                                               const char        *id,
                                               guint             *next_param);
void                sp_db_append_order_limit (GString            *sql,
                                              SpDashboardQuery   *query,
                                              const char * const *values,
                                              const char         *id,
                                              guint               limit_param);

G_END_DECLS
