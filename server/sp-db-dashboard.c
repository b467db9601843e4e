/* sp-db-dashboard.c: SQL for the dashboard: bucket counts and keyset-paged, sorted, searched rows */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-dashboard.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-pratica.h"

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


/* What SP_DB_SUMMARY_COLUMNS and the sort keys read of a pratica. */
#define MATCH_COLUMNS \
  "p.id, p.numero, p.servizio_id, p.servizio_name, p.applicant_cf, p.applicant_nome, p.applicant_cognome," \
  " p.submitted_at, p.status, p.protocol_number, p.deadline_at, p.assigned_to"

void
sp_dashboard_query_free (SpDashboardQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->search);
  g_strfreev (query->cursor);
  g_free (query);
}

void
sp_dashboard_page_free (SpDashboardPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_free (page->next_cursor);
  g_free (page);
}

/**
 * sp_db_summary_from_row:
 * @first: the column where SP_DB_SUMMARY_COLUMNS start
 *
 * Returns: (transfer full): the dashboard row of @row
 */
SpPraticaSummary *
sp_db_summary_from_row (PGresult *result,
                  int       row,
                  int       first)
{
  SpPraticaSummary *summary = sp_pratica_summary_new ();
  SpPraticaSummaryData *data = sp_pratica_summary_get_data (summary);

  data->id = g_strdup (sp_db_get (result, row, first + 0));
  data->numero = g_strdup (sp_db_get (result, row, first + 1));
  data->servizio_slug = g_strdup (sp_db_get (result, row, first + 2));
  data->servizio_name = g_strdup (sp_db_get (result, row, first + 3));
  data->applicant_cf = g_strdup (sp_db_get (result, row, first + 4));
  data->applicant_nome = g_strdup (sp_db_get (result, row, first + 5));
  data->applicant_cognome = g_strdup (sp_db_get (result, row, first + 6));
  data->submitted_at = g_date_time_new_from_iso8601 (sp_db_get (result, row, first + 7), NULL);
  data->status = (SpStatus) sp_db_get_int64 (result, row, first + 8);
  data->protocol_number = g_strdup (sp_db_get (result, row, first + 9));
  data->deadline_at = g_date_time_new_from_iso8601 (sp_db_get (result, row, first + 10), NULL);
  data->assignee_username = g_strdup (sp_db_get (result, row, first + 11));
  data->assignee_name = g_strdup (sp_db_get (result, row, first + 12));
  data->take_charge = sp_take_charge_check (data->status, data->assignee_username != NULL,
                                            sp_db_get_bool (result, row, first + 13), data->protocol_number != NULL);
  return summary;
}

/* The services the account may see, as a SQL array literal, and those among
 * them whose name matches the search. */
static gboolean
load_scope (PGconn            *conn,
            SpDashboardQuery  *query,
            char             **enabled,
            char             **matching,
            GError           **error)
{
  g_autofree char *account_id = g_strdup_printf ("%" G_GINT64_FORMAT, query->account_id);
  g_autoptr(PGresult) result = NULL;
  GString *all = g_string_new ("{");
  GString *found = g_string_new ("{");

  result = sp_db_exec (conn,
                       "SELECT sv.id, lower (sv.name COLLATE \"und-x-icu\") FROM account a"
                       " JOIN account_servizio x ON x.account_id = a.id"
                       " JOIN servizio sv ON sv.id = x.servizio_id AND sv.ente_id = a.ente_id"
                       " WHERE a.id = $1::bigint",
                       1, SP_DB_PARAMS (account_id), error);
  if (result == NULL)
    {
      g_string_free (all, TRUE);
      g_string_free (found, TRUE);
      return FALSE;
    }

  for (int row = 0; row < PQntuples (result); row++)
    {
      const char *id = sp_db_get (result, row, 0);

      g_string_append_printf (all, "%s%s", all->len > 1 ? "," : "", id);
      if (query->search != NULL && strstr (sp_db_get (result, row, 1), query->search) != NULL)
        g_string_append_printf (found, "%s%s", found->len > 1 ? "," : "", id);
    }
  g_string_append_c (all, '}');
  g_string_append_c (found, '}');
  *enabled = g_string_free (all, FALSE);
  *matching = g_string_free (found, FALSE);
  return TRUE;
}

/* The search term as a LIKE pattern, its wildcards escaped. */
static char *
like_pattern (const char *search)
{
  GString *pattern = g_string_new ("%");

  for (const char *c = search; *c != '\0'; c++)
    {
      if (*c == '%' || *c == '_' || *c == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *c);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

#define SEARCH_CONDITION "(p.search_text LIKE $3 OR p.servizio_id = ANY ($4::bigint[]))"

/* The four bucket counts over rows "p", in SpBucket order. */
#define COUNT_COLUMNS \
  "count (*) FILTER (WHERE p.assigned_to = $2::bigint AND p.status < 6000)," \
  " count (*) FILTER (WHERE p.assigned_to IS NULL AND p.status < 6000)," \
  " count (*) FILTER (WHERE p.assigned_to = $2::bigint AND p.status >= 6000)," \
  " count (*)"

/* The counts without a search: sums over pratica_count, not counting. With a
 * search they come with the page (build_page_sql()). */
static gboolean
load_counts (PGconn             *conn,
             const char * const *params,
             SpDashboardPage    *page,
             GError            **error)
{
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "SELECT coalesce (sum (n) FILTER (WHERE assigned_to = $2::bigint AND status < 6000), 0),"
                       "       coalesce (sum (n) FILTER (WHERE assigned_to = 0 AND status < 6000), 0),"
                       "       coalesce (sum (n) FILTER (WHERE assigned_to = $2::bigint AND status >= 6000), 0),"
                       "       coalesce (sum (n), 0)"
                       " FROM pratica_count WHERE servizio_id = ANY ($1::bigint[])",
                       2, params, error);
  if (result == NULL)
    return FALSE;

  for (guint i = 0; i < SP_N_BUCKETS; i++)
    page->counts[i] = sp_db_get_int64 (result, 0, (int) i);
  page->has_counts = TRUE;
  return TRUE;
}

/* With a search, the page reads the matches from a MATERIALIZED set; with
 * @with_counts the counts come from the same set, in the same statement, so
 * the matches are read once: "SELECT counts…, page… FROM c LEFT JOIN LATERAL". */
static char *
build_page_sql (SpDashboardQuery *query,
                gboolean          with_counts)
{
  GString *sql = g_string_new (NULL);
  guint n_values = sp_sort_key_n_values (query->sort);
  const char *direction = query->descending ? " DESC" : "";
  guint next_param = 5;

  if (query->search != NULL)
    {
      /* The matches of a search are a few thousand rows at most: find them
       * all through the trigram index, then keep the bucket's and sort.
       * Walking a sort index (or a bucket's partial index) and filtering,
       * which the planner may prefer, can read much of the table. */
      g_string_append (sql, "WITH p AS MATERIALIZED (SELECT " MATCH_COLUMNS " FROM pratica p"
                            " WHERE p.servizio_id = ANY ($1::bigint[]) AND " SEARCH_CONDITION);
      /* The operator's own buckets are a few thousand rows: their index
       * narrows faster, when no count needs the other matches. */
      if (!with_counts && (query->bucket == SP_BUCKET_DA_GESTIRE || query->bucket == SP_BUCKET_CONCLUSE))
        g_string_append_printf (sql, " AND %s", bucket_conditions[query->bucket]);
      g_string_append (sql, ") ");
      if (with_counts)
        g_string_append (sql, ", c AS (SELECT " COUNT_COLUMNS " FROM p)"
                              " SELECT c.*, page.* FROM c LEFT JOIN LATERAL (");
    }

  g_string_append (sql, "SELECT " SP_DB_SUMMARY_COLUMNS);
  for (guint i = 0; i < n_values; i++)
    g_string_append_printf (sql, ", (%s)::text", sort_columns[query->sort].expressions[i]);

  if (query->search != NULL)
    {
      g_string_append (sql, " FROM p JOIN servizio sv ON sv.id = p.servizio_id"
                            " LEFT JOIN account a ON a.id = p.assigned_to WHERE ");
      g_string_append (sql, bucket_conditions[query->bucket]);
    }
  else
    {
      g_string_append (sql, " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id"
                            " LEFT JOIN account a ON a.id = p.assigned_to"
                            " WHERE p.servizio_id = ANY ($1::bigint[]) AND ");
      g_string_append (sql, bucket_conditions[query->bucket]);
      g_string_append (sql, " AND $3::text IS NULL AND $4::text IS NULL");
    }

  if (query->cursor != NULL)
    {
      g_string_append (sql, " AND (");
      for (guint i = 0; i < n_values; i++)
        g_string_append_printf (sql, "%s, ", sort_columns[query->sort].expressions[i]);
      g_string_append_printf (sql, "p.id) %s (", query->descending ? "<" : ">");
      for (guint i = 0; i < n_values; i++)
        g_string_append_printf (sql, "$%u::%s, ", next_param++, sort_columns[query->sort].casts[i]);
      g_string_append_printf (sql, "$%u::uuid)", next_param++);
    }

  g_string_append (sql, " ORDER BY ");
  for (guint i = 0; i < n_values; i++)
    g_string_append_printf (sql, "%s%s, ", sort_columns[query->sort].expressions[i], direction);
  g_string_append_printf (sql, "p.id%s LIMIT $%u::integer", direction, next_param);
  if (with_counts)
    g_string_append (sql, ") page ON TRUE");
  return g_string_free (sql, FALSE);
}

static gboolean
load_page (PGconn            *conn,
           SpDashboardQuery  *query,
           gboolean           with_counts,
           GPtrArray         *params,
           SpDashboardPage   *page,
           GError           **error)
{
  g_autofree char *sql = build_page_sql (query, with_counts);
  int first = with_counts ? SP_N_BUCKETS : 0;
  g_autofree char *limit = g_strdup_printf ("%u", query->limit + 1);
  g_autoptr(PGresult) result = NULL;
  guint n_values = sp_sort_key_n_values (query->sort);
  int n_rows;

  for (guint i = 0; query->cursor != NULL && query->cursor[i] != NULL; i++)
    g_ptr_array_add (params, query->cursor[i]);
  g_ptr_array_add (params, limit);

  result = sp_db_exec (conn, sql, (int) params->len, (const char * const *) params->pdata, error);
  if (result == NULL)
    {
      /* A cursor value that does not cast (a date that is no date) is the
       * client's mistake, like any other malformed cursor. */
      if (query->cursor != NULL && error != NULL && g_error_matches (*error, SP_ERROR, SP_ERROR_VALIDATION))
        {
          g_clear_error (error);
          g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "The cursor is not valid for this sort");
        }
      return FALSE;
    }

  if (with_counts)
    {
      for (guint i = 0; i < SP_N_BUCKETS; i++)
        page->counts[i] = sp_db_get_int64 (result, 0, (int) i);
      page->has_counts = TRUE;
    }

  /* One row more than asked tells whether there is a next page; with the
   * counts, an empty page is one row of counts and NULLs. */
  n_rows = MIN (PQntuples (result), (int) query->limit);
  if (with_counts && n_rows == 1 && sp_db_get (result, 0, first) == NULL)
    n_rows = 0;
  page->items = g_ptr_array_new_with_free_func (g_object_unref);
  for (int row = 0; row < n_rows; row++)
    g_ptr_array_add (page->items, sp_db_summary_from_row (result, row, first));

  if (PQntuples (result) > (int) query->limit && n_rows > 0)
    {
      const char *values[4] = { NULL };

      for (guint i = 0; i < n_values; i++)
        values[i] = sp_db_get (result, n_rows - 1, first + SP_DB_N_SUMMARY_COLUMNS + (int) i);
      values[n_values] = sp_db_get (result, n_rows - 1, first);
      page->next_cursor = sp_cursor_encode (query->sort, query->descending, values);
    }
  return TRUE;
}

/**
 * sp_db_dashboard: (SpDbFunc)
 * @query: an #SpDashboardQuery
 *
 * Returns: (transfer full): an #SpDashboardPage, with the bucket counts when
 *   asked for
 */
gpointer
sp_db_dashboard (PGconn   *conn,
                 gpointer  data,
                 GError  **error)
{
  SpDashboardQuery *query = data;
  g_autoptr(SpDashboardPage) page = g_new0 (SpDashboardPage, 1);
  g_autofree char *enabled = NULL;
  g_autofree char *matching = NULL;
  g_autofree char *account_id = g_strdup_printf ("%" G_GINT64_FORMAT, query->account_id);
  g_autofree char *pattern = query->search != NULL ? like_pattern (query->search) : NULL;
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  gboolean ok;

  if (!load_scope (conn, query, &enabled, &matching, error))
    return NULL;

  g_ptr_array_add (params, enabled);
  g_ptr_array_add (params, account_id);
  g_ptr_array_add (params, pattern);
  g_ptr_array_add (params, query->search != NULL ? matching : NULL);

  /* Counts and page in one snapshot, so they agree. */
  if (!sp_db_command (conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, error))
    return NULL;
  if (query->with_counts && query->search != NULL)
    ok = load_page (conn, query, TRUE, params, page, error);
  else
    ok = (!query->with_counts || load_counts (conn, (const char * const *) params->pdata, page, error))
         && load_page (conn, query, FALSE, params, page, error);
  if (!ok || !sp_db_commit (conn, error))
    {
      sp_db_rollback (conn);
      return NULL;
    }
  return g_steal_pointer (&page);
}
