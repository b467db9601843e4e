/* sp-db-dashboard-sql.c: the SQL the dashboard's queries share: buckets, sort keys, keyset cursors */
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

/* "Concluded" is status >= 6000 (6000…20000), as sp_status_is_concluded() says.
 * Every condition names $2 (the operator), so its type is always known. */
static const char * const bucket_conditions[SP_N_BUCKETS] = {
  [SP_BUCKET_DA_GESTIRE] = "p.assigned_to = $2::bigint AND p.status < 6000",
  [SP_BUCKET_DA_ASSEGNARE] = "p.assigned_to IS NULL AND p.status < 6000 AND $2::bigint IS NOT NULL",
  [SP_BUCKET_CONCLUSE] = "p.assigned_to = $2::bigint AND p.status >= 6000",
  [SP_BUCKET_TUTTE] = "$2::bigint IS NOT NULL",
};

/* Returns: the condition on rows "p" (assigned_to, status) of @bucket */
const char *
sp_db_bucket_condition (SpBucket bucket)
{
  g_return_val_if_fail (bucket < SP_N_BUCKETS, NULL);
  return bucket_conditions[bucket];
}

/* Returns: the expressions on "p" that order the rows by @sort, before p.id
 *   (sp_sort_key_n_values() of them) */
const char * const *
sp_db_sort_expressions (SpSortKey sort)
{
  g_return_val_if_fail (sort < SP_N_SORT_KEYS, NULL);
  return sort_columns[sort].expressions;
}

/* Returns: the type of the @i-th sort value of @sort in a cursor */
const char *
sp_db_sort_cast (SpSortKey sort,
                 guint     i)
{
  g_return_val_if_fail (sort < SP_N_SORT_KEYS && i < sp_sort_key_n_values (sort), NULL);
  return sort_columns[sort].casts[i];
}

/**
 * sp_db_append_after_cursor:
 * @values: the sort values' expressions (or the columns holding them)
 * @id: the id's column
 * @next_param: the number of the next parameter; advanced past the cursor's
 *
 * Appends " AND (v0, v1, id) > ($n, $n+1, $n+2)", the rows after the
 * cursor's in the query's order ("<" descending), when the query has a cursor.
 */
void
sp_db_append_after_cursor (GString            *sql,
                           SpDashboardQuery   *query,
                           const char * const *values,
                           const char         *id,
                           guint              *next_param)
{
  guint n_values = sp_sort_key_n_values (query->sort);

  if (query->cursor == NULL)
    return;
  g_string_append (sql, " AND (");
  for (guint i = 0; i < n_values; i++)
    g_string_append_printf (sql, "%s, ", values[i]);
  g_string_append_printf (sql, "%s) %s (", id, query->descending ? "<" : ">");
  for (guint i = 0; i < n_values; i++)
    g_string_append_printf (sql, "$%u::%s, ", (*next_param)++, sp_db_sort_cast (query->sort, i));
  g_string_append_printf (sql, "$%u::uuid)", (*next_param)++);
}

/* Appends " ORDER BY v0 DESC, v1 DESC, id DESC LIMIT $limit_param". */
void
sp_db_append_order_limit (GString            *sql,
                          SpDashboardQuery   *query,
                          const char * const *values,
                          const char         *id,
                          guint               limit_param)
{
  const char *direction = query->descending ? " DESC" : "";

  g_string_append (sql, " ORDER BY ");
  for (guint i = 0; i < sp_sort_key_n_values (query->sort); i++)
    g_string_append_printf (sql, "%s%s, ", values[i], direction);
  g_string_append_printf (sql, "%s%s LIMIT $%u::integer", id, direction, limit_param);
}
