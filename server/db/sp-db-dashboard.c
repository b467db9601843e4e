/* sp-db-dashboard.c: SQL for the dashboard: bucket counts and keyset-paged, sorted, searched rows */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-dashboard.h"
#include "sp-db-dashboard-sql.h"
#include "sp-db-query.h"
#include "sp-db-scope.h"
#include "sp-db-search.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-pratica.h"

void
sp_dashboard_query_free (SpDashboardQuery *query)
{
  if (query == NULL)
    return;
  g_clear_pointer (&query->principal, sp_principal_unref);
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

/* Without a search: walk the bucket in the order of the sort key's index.
 * With the counts, one statement (one snapshot, so that they agree): the
 * counts are sums over pratica_count, not counting, and the page comes
 * after them, as in a search (sp_db_search_query()). */
static SpDbQuery *
build_browse_query (SpDashboardQuery *query,
                    const char       *account_id)
{
  SpDbQuery *sql = sp_db_query_new (NULL);
  g_autoptr(SpDbScope) scope = sp_db_scope_new_in (query->principal, sql);
  g_autofree char *bucket = NULL;
  const char * const *values = sp_db_sort_expressions (query->sort);

  if (query->with_counts)
    {
      sp_db_query_append (sql, "SELECT c.*, page.* FROM (SELECT ");
      sp_db_append_bucket_counts (sql, &sp_db_count_bucket_columns, account_id);
      sp_db_query_append (sql, " FROM pratica_count WHERE ");
      sp_db_scope_append (scope, sql, "servizio_id");
      sp_db_query_append (sql, ") c LEFT JOIN LATERAL (");
    }
  bucket = sp_db_bucket_condition (sql, query->bucket, &sp_db_pratica_bucket_columns, account_id);
  sp_db_query_append (sql, "SELECT " SP_DB_SUMMARY_COLUMNS);
  for (guint i = 0; i < sp_sort_key_n_values (query->sort); i++)
    sp_db_query_append_printf (sql, ", (%s)::text", values[i]);
  sp_db_query_append (sql, " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id"
                           " LEFT JOIN account a ON a.id = p.assigned_to"
                           " WHERE ");
  sp_db_scope_append (scope, sql, "p.servizio_id");
  sp_db_query_append_printf (sql, " AND %s", bucket);
  sp_db_append_after_cursor (sql, query, values, "p.id");
  sp_db_append_order_limit (sql, query, values, "p.id");
  if (query->with_counts)
    sp_db_query_append (sql, ") page ON TRUE");
  return sql;
}

/* Runs @sql, the page's rows after the counts' columns when @with_counts. */
static gboolean
load_page (PGconn            *conn,
           SpDashboardQuery  *query,
           SpDbQuery         *sql,
           gboolean           with_counts,
           SpDashboardPage   *page,
           GError           **error)
{
  int first = with_counts ? SP_N_BUCKETS : 0;
  g_autoptr(PGresult) result = NULL;
  guint n_values = sp_sort_key_n_values (query->sort);
  int n_rows;

  result = sp_db_query_exec (conn, sql, error);
  if (result == NULL)
    {
      /* A cursor value that does not cast (a date that is no date) is the
       * client's mistake, like any other malformed cursor. */
      if (query->cursor != NULL && error != NULL && sp_db_error_has_class (*error, "22"))
        {
          g_clear_error (error);
          g_set_error_literal (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "The cursor is not valid for this sort");
        }
      return FALSE;
    }

  if (with_counts && query->with_counts)
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

/* The page, with the bucket counts when asked for (an SpDbFunc). */
static gpointer
dashboard (PGconn   *conn,
           gpointer  data,
           GError  **error)
{
  SpDashboardQuery *query = data;
  g_autoptr(SpDashboardPage) page = g_new0 (SpDashboardPage, 1);
  g_autofree char *account_id = g_strdup_printf ("%" G_GINT64_FORMAT, sp_principal_get_account_id (query->principal));
  g_autoptr(SpDbQuery) sql = NULL;
  gboolean ok;

  /* The buckets are an operator's own; an auditor searches every pratica
   * of the ente (the audit's search, with the same rule). */
  if (!sp_principal_is_allowed (query->principal, SP_PRINCIPAL_OPERATOR)
      && !(sp_principal_is_allowed (query->principal, SP_PRINCIPAL_AUDITOR) && query->bucket == SP_BUCKET_TUTTE))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_FORBIDDEN, "The dashboard is an operator's");
      return NULL;
    }
  if (query->search != NULL)
    {
      g_autoptr(SpDbSearchTerms) terms = sp_db_search_terms_load (conn, query->principal, query->search, error);

      if (terms == NULL)
        return NULL;
      /* Only separators: no term to match, as without a search. */
      if (terms->patterns->len == 0)
        g_clear_pointer (&query->search, g_free);
      else
        sql = sp_db_search_query (query, account_id, terms);
    }
  if (sql == NULL)
    sql = build_browse_query (query, account_id);

  /* Counts and page come from one statement, so they agree. */
  if (query->search == NULL)
    return load_page (conn, query, sql, query->with_counts, page, error) ? g_steal_pointer (&page) : NULL;

  /* A search keeps the ids of its matches in a hash (sp-db-search.c): a
   * short term may match most of a million pratiche, which needs more than
   * the default work_mem. Its index ranges are short: starting parallel
   * workers would take longer. */
  if (!sp_db_command (conn, "BEGIN READ ONLY", 0, NULL, error))
    return NULL;
  ok = sp_db_command (conn, "SELECT set_config ('work_mem', '64MB', true),"
                            " set_config ('max_parallel_workers_per_gather', '0', true)", 0, NULL, error)
       && load_page (conn, query, sql, TRUE, page, error);
  if (!ok || !sp_db_commit (conn, error))
    {
      sp_db_rollback (conn);
      return NULL;
    }
  return g_steal_pointer (&page);
}

/**
 * sp_db_dashboard_async:
 * @principal: the operator asking
 * @query: (transfer full): what to show
 *
 * Reads a page of a bucket of @principal's dashboard.
 */
void
sp_db_dashboard_async (SpDb                *db,
                       SpPrincipal         *principal,
                       SpDashboardQuery    *query,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sp_db_dashboard_async);
  g_clear_pointer (&query->principal, sp_principal_unref);
  query->principal = sp_principal_ref (principal);
  sp_db_task_run (db, SP_DB_ONCE, task, dashboard, query, (GDestroyNotify) sp_dashboard_query_free,
                  (GDestroyNotify) sp_dashboard_page_free);
}

/**
 * sp_db_dashboard_finish:
 *
 * Returns: (transfer full): the page, with the bucket counts when asked for
 */
SpDashboardPage *
sp_db_dashboard_finish (SpDb          *db,
                        GAsyncResult  *result,
                        GError       **error)
{
  return sp_db_task_finish (result, sp_db_dashboard_async, error);
}
