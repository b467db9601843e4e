#pragma once

/* The pieces of SQL the dashboard's queries share: buckets, counts, sort keys
 * and keyset cursors, appended to an SpDbQuery. Private to server/db/. */

#include "sp-db-dashboard.h"
#include "sp-db-query.h"

G_BEGIN_DECLS

/**
 * SpDbBucketColumns:
 * @status: the status column
 * @assigned_to: the assignee column
 * @unassigned: the condition on it for "assigned to nobody"
 * @count: the aggregate counting the rows, up to its FILTER
 * @count_end: the rest of it, after the FILTER
 *
 * Where rows keep what the buckets look at.
 */
typedef struct
{
  const char *status;
  const char *assigned_to;
  const char *unassigned;
  const char *count;
  const char *count_end;
} SpDbBucketColumns;

/* Rows "p" of pratica (or with its status and assigned_to). */
extern const SpDbBucketColumns sp_db_pratica_bucket_columns;
/* pratica_count and pratica_prefix_count (servizio_id, status, assigned_to or 0,
 * n): sums, not counting. */
extern const SpDbBucketColumns sp_db_count_bucket_columns;

char               *sp_db_bucket_condition        (SpDbQuery               *query,
                                                   SpBucket                 bucket,
                                                   const SpDbBucketColumns *columns,
                                                   const char              *account_id) G_GNUC_WARN_UNUSED_RESULT;
void                sp_db_append_bucket_counts    (SpDbQuery               *query,
                                                   const SpDbBucketColumns *columns,
                                                   const char              *account_id);
const char * const *sp_db_sort_expressions        (SpSortKey                sort);
void                sp_db_append_after_cursor     (SpDbQuery               *query,
                                                   SpDashboardQuery        *dashboard,
                                                   const char * const      *values,
                                                   const char              *id);
void                sp_db_append_order            (SpDbQuery               *query,
                                                   SpDashboardQuery        *dashboard,
                                                   const char * const      *values,
                                                   const char              *id);
void                sp_db_append_order_limit      (SpDbQuery               *query,
                                                   SpDashboardQuery        *dashboard,
                                                   const char * const      *values,
                                                   const char              *id);

G_END_DECLS
