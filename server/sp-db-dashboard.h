#pragma once

/* Database work for the operators' dashboard: bucket counts and pages. */

#include "sp-dashboard.h"
#include "sp-db.h"

G_BEGIN_DECLS

#define SP_DASHBOARD_MAX_LIMIT 500

typedef struct
{
  gint64      account_id;
  SpBucket    bucket;
  SpSortKey   sort;
  gboolean    descending;
  char       *search;        /* nullable */
  GStrv       cursor;        /* nullable: the sort values and id of the last row seen */
  guint       limit;
  gboolean    with_counts;
} SpDashboardQuery;

typedef struct
{
  GPtrArray  *items;         /* of SpPraticaSummary */
  char       *next_cursor;   /* nullable: no more rows */
  gint64      counts[SP_N_BUCKETS];
  gboolean    has_counts;
} SpDashboardPage;

void         sp_dashboard_query_free (SpDashboardQuery *query);
void         sp_dashboard_page_free  (SpDashboardPage  *page);

gpointer     sp_db_dashboard         (PGconn           *conn,
                                      gpointer          query,
                                      GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDashboardPage, sp_dashboard_page_free)

G_END_DECLS
