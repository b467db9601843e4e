#pragma once

/* Database work for the operators' dashboard: bucket counts and pages. */

#include "sp-dashboard.h"
#include "sp-db.h"
#include "sp-pratica.h"
#include "sp-principal.h"

G_BEGIN_DECLS

#define SP_DASHBOARD_MAX_LIMIT 500

/**
 * SpDashboardQuery:
 * @principal: who asks: an operator (the buckets are theirs), set by
 *   sp_db_dashboard_async()
 */
typedef struct
{
  SpPrincipal *principal;
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

/* A pratica as a dashboard row: the columns to select (p = pratica,
 * sv = servizio, a = the assignee's account) and the row they give. */
#define SP_DB_SUMMARY_COLUMNS \
  "p.id, p.numero, sv.slug, sv.name, p.applicant_cf, p.applicant_nome, p.applicant_cognome," \
  " to_json (p.submitted_at) #>> '{}', p.status, p.protocol_number, to_json (p.deadline_at) #>> '{}'," \
  " a.username, a.full_name, sv.protocol_required"
#define SP_DB_N_SUMMARY_COLUMNS 14

SpPraticaSummary *sp_db_summary_from_row (PGresult *result,
                                          int       row,
                                          int       first) G_GNUC_WARN_UNUSED_RESULT;

void         sp_dashboard_query_free (SpDashboardQuery *query);
void         sp_dashboard_page_free  (SpDashboardPage  *page);

void         sp_db_dashboard_async   (SpDb                *db,
                                      SpPrincipal         *principal,
                                      SpDashboardQuery    *query,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
SpDashboardPage *sp_db_dashboard_finish (SpDb             *db,
                                      GAsyncResult        *result,
                                      GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDashboardPage, sp_dashboard_page_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDashboardQuery, sp_dashboard_query_free)

G_END_DECLS
