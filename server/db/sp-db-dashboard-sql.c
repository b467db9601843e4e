/* sp-db-dashboard-sql.c: the SQL the dashboard's queries share: buckets, counts, sort keys, keyset cursors */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-dashboard-sql.h"

/* The ORDER BY of each sort key (before p.id) and the type of each value in a cursor. */
static const struct
{
  const char *expressions[2];
  const char *casts[2];
} sort_columns[SP_N_SORT_KEYS] = {
  [SP_SORT_SUBMITTED] = { { "p.submitted_at" }, { "timestamptz" } },
  [SP_SORT_NUMERO] = { { "p.numero" }, { "text" } },
  [SP_SORT_APPLICANT] = { { "p.applicant_cognome", "p.applicant_nome" }, { "text", "text" } },
  [SP_SORT_SERVIZIO] = { { "p.servizio_name", "p.numero" }, { "text", "text" } },
  [SP_SORT_STATUS] = { { "p.status" }, { "integer" } },
  [SP_SORT_PROTOCOL] = { { "coalesce (p.protocol_number, '')" }, { "text" } },
  [SP_SORT_DEADLINE] = { { "p.deadline_at" }, { "timestamptz" } },
};

const SpDbBucketColumns sp_db_pratica_bucket_columns = {
  "p.status", "p.assigned_to", "p.assigned_to IS NULL", "count (*)", "",
};

const SpDbBucketColumns sp_db_count_bucket_columns = {
  "status", "assigned_to", "assigned_to = 0", "coalesce (sum (n)", ", 0)",
};

/* The part of a bucket's condition on the assignee, or NULL for anyone. */
static char *
assignee_condition (SpDbQuery               *query,
                    SpBucketAssignee         assignee,
                    const SpDbBucketColumns *columns,
                    const char              *account_id)
{
  switch (assignee)
    {
    case SP_ASSIGNEE_ME:
      return g_strdup_printf ("%s = %s", columns->assigned_to, sp_db_query_param (query, account_id, "bigint"));
    case SP_ASSIGNEE_NOBODY:
      return g_strdup (columns->unassigned);
    case SP_ASSIGNEE_ANYONE:
    default:
      return NULL;
    }
}

/* The part on the status, or NULL for any: concluded is a range of codes
 * (sp_status_get_first_concluded()), the range the partial indexes of
 * 0002_dashboard.sql and 0003_search_words.sql are made for. */
static char *
statuses_condition (SpBucketStatuses         statuses,
                    const SpDbBucketColumns *columns)
{
  switch (statuses)
    {
    case SP_STATUSES_OPEN:
      return g_strdup_printf ("%s < %d", columns->status, (int) sp_status_get_first_concluded ());
    case SP_STATUSES_CONCLUDED:
      return g_strdup_printf ("%s >= %d", columns->status, (int) sp_status_get_first_concluded ());
    case SP_STATUSES_ANY:
    default:
      return NULL;
    }
}

/**
 * sp_db_bucket_condition:
 * @query: the statement the condition goes into: it gets its parameters
 * @account_id: the operator asking, whose buckets they are
 *
 * The condition is made from the table of buckets in common/
 * (sp_bucket_get_assignee(), sp_bucket_get_statuses()), as sp_bucket_contains() is.
 *
 * Returns: (transfer full): the condition on rows with @columns of @bucket
 */
char *
sp_db_bucket_condition (SpDbQuery               *query,
                        SpBucket                 bucket,
                        const SpDbBucketColumns *columns,
                        const char              *account_id)
{
  g_autofree char *assignee = assignee_condition (query, sp_bucket_get_assignee (bucket), columns, account_id);
  g_autofree char *statuses = statuses_condition (sp_bucket_get_statuses (bucket), columns);

  if (assignee != NULL && statuses != NULL)
    return g_strdup_printf ("%s AND %s", assignee, statuses);
  if (assignee != NULL)
    return g_steal_pointer (&assignee);
  if (statuses != NULL)
    return g_steal_pointer (&statuses);
  return g_strdup ("TRUE");
}

/* Appends the counts of the buckets among rows with @columns, in SpBucket
 * order, as n0…n3. */
void
sp_db_append_bucket_counts (SpDbQuery               *query,
                            const SpDbBucketColumns *columns,
                            const char              *account_id)
{
  for (guint i = 0; i < SP_N_BUCKETS; i++)
    {
      g_autofree char *condition = sp_db_bucket_condition (query, (SpBucket) i, columns, account_id);

      sp_db_query_append_printf (query, "%s%s", i > 0 ? ", " : "", columns->count);
      if (!g_str_equal (condition, "TRUE"))
        sp_db_query_append_printf (query, " FILTER (WHERE %s)", condition);
      sp_db_query_append_printf (query, "%s AS n%u", columns->count_end, i);
    }
}

/* Returns: the expressions on "p" that order the rows by @sort, before p.id
 *   (sp_sort_key_n_values() of them) */
const char * const *
sp_db_sort_expressions (SpSortKey sort)
{
  g_return_val_if_fail (sort < SP_N_SORT_KEYS, NULL);
  return sort_columns[sort].expressions;
}

/**
 * sp_db_append_after_cursor:
 * @dashboard: the query, with the cursor if any
 * @values: the sort values' expressions (or the columns holding them)
 * @id: the id's column
 *
 * Appends " AND (v0, v1, id) > ($n, $n+1, $n+2)", the rows after the
 * cursor's in the query's order ("<" descending), when the query has a cursor.
 */
void
sp_db_append_after_cursor (SpDbQuery          *query,
                           SpDashboardQuery   *dashboard,
                           const char * const *values,
                           const char         *id)
{
  guint n_values = sp_sort_key_n_values (dashboard->sort);

  if (dashboard->cursor == NULL)
    return;
  sp_db_query_append (query, " AND (");
  for (guint i = 0; i < n_values; i++)
    sp_db_query_append_printf (query, "%s, ", values[i]);
  sp_db_query_append_printf (query, "%s) %s (", id, dashboard->descending ? "<" : ">");
  for (guint i = 0; i < n_values; i++)
    {
      sp_db_query_append_param (query, dashboard->cursor[i], sort_columns[dashboard->sort].casts[i]);
      sp_db_query_append (query, ", ");
    }
  sp_db_query_append_param (query, dashboard->cursor[n_values], "uuid");
  sp_db_query_append (query, ")");
}

/* Appends " ORDER BY v0 DESC, v1 DESC, id DESC": the query's order ("DESC"
 * when descending). */
void
sp_db_append_order (SpDbQuery          *query,
                    SpDashboardQuery   *dashboard,
                    const char * const *values,
                    const char         *id)
{
  const char *direction = dashboard->descending ? " DESC" : "";

  sp_db_query_append (query, " ORDER BY ");
  for (guint i = 0; i < sp_sort_key_n_values (dashboard->sort); i++)
    sp_db_query_append_printf (query, "%s%s, ", values[i], direction);
  sp_db_query_append_printf (query, "%s%s", id, direction);
}

/* Appends " ORDER BY v0 DESC, v1 DESC, id DESC LIMIT $n", one row more than
 * the page, which tells whether there is a next page. */
void
sp_db_append_order_limit (SpDbQuery          *query,
                          SpDashboardQuery   *dashboard,
                          const char * const *values,
                          const char         *id)
{
  g_autofree char *limit = g_strdup_printf ("%u", dashboard->limit + 1);

  sp_db_append_order (query, dashboard, values, id);
  sp_db_query_append (query, " LIMIT ");
  sp_db_query_append_param (query, limit, "integer");
}
