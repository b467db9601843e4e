/* sp-db-metrics.c: SQL of the usage metrics: the headline figures and the submitted pratiche per bucket */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <string.h>

#include "sp-db-metrics.h"
#include "sp-db-metrics-private.h"
#include "sp-db-query.h"
#include "sp-db-scope.h"
#include "sp-db-task.h"
#include "sp-db-util.h"

typedef SpDbMetricsCall MetricsCall;

static void
metrics_call_free (MetricsCall *call)
{
  g_clear_pointer (&call->principal, sp_principal_unref);
  g_free (call->servizio);
  g_free (call);
}

/**
 * sp_db_metrics_run_json:
 *
 * Runs @sql, which answers one row with a JSON text.
 *
 * Returns: (transfer full): the text, or %NULL with @error set
 */
GBytes *
sp_db_metrics_run_json (PGconn     *conn,
                        SpDbQuery  *sql,
                        GError    **error)
{
  g_autoptr(PGresult) result = sp_db_query_exec (conn, sql, error);
  const char *json;

  if (result == NULL)
    return NULL;
  json = sp_db_get (result, 0, 0);
  return g_bytes_new (json, strlen (json));
}

/* {active_services, open, overdue, pratiche_per_year: [{year, count}], generated_at}
 * (an SpDbFunc). "Open" is every status before the first concluded one
 * (common/sp-status.c), summed from the dashboard's counts (pratica_count);
 * the years from pratica_year_count (both kept by triggers); overdue, open
 * past the legal deadline (the partial index pratica_open_deadline_idx). */
static gpointer
summary (PGconn   *conn,
         gpointer  data,
         GError  **error)
{
  MetricsCall *call = data;
  g_autoptr(SpDbQuery) sql = sp_db_query_new ("");
  g_autoptr(SpDbScope) scope = sp_db_scope_new_in (call->principal, sql);
  g_autofree char *services = sp_db_scope_condition (scope, "sv.id");
  g_autofree char *pratiche = sp_db_scope_condition (scope, "p.servizio_id");
  g_autofree char *counted = sp_db_scope_condition (scope, "c.servizio_id");

  sp_db_query_append_printf (sql,
    "SELECT json_build_object ("
    "  'active_services', (SELECT count (*) FROM servizio sv WHERE sv.active AND %s),"
    "  'open', (SELECT coalesce (sum (c.n), 0) FROM pratica_count c WHERE c.status < %d AND %s),"
    "  'overdue', (SELECT count (*) FROM pratica p WHERE p.status < %d AND p.deadline_at < now () AND %s),"
    "  'pratiche_per_year', (SELECT coalesce (json_agg (json_build_object ('year', y.year, 'count', y.n)"
    "                                                   ORDER BY y.year), '[]')"
    "                        FROM (SELECT c.year, sum (c.n) AS n FROM pratica_year_count c"
    "                              WHERE %s GROUP BY 1 HAVING sum (c.n) > 0) y),"
    "  'generated_at', now ())::text",
    services, (int) sp_status_get_first_concluded (), counted, (int) sp_status_get_first_concluded (), pratiche,
    counted);
  return sp_db_metrics_run_json (conn, sql, error);
}

/* A label value as Prometheus's text format writes it. */
static void
append_label (GString    *text,
              const char *name,
              const char *value,
              gboolean    last)
{
  g_string_append_printf (text, "%s=\"", name);
  for (const char *c = value; *c != '\0'; c++)
    {
      if (*c == '\\' || *c == '"')
        g_string_append_c (text, '\\');
      if (*c == '\n')
        g_string_append (text, "\\n");
      else
        g_string_append_c (text, *c);
    }
  g_string_append (text, last ? "\"}" : "\",");
}

/* What the operations staff watch, across every ente (an SpDbFunc): the
 * pratiche per ente, service and status (the dashboard's counts), the
 * e-mails waiting in the outbox, the background jobs per kind and state. */
static gpointer
prometheus (PGconn   *conn,
            gpointer  data,
            GError  **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(PGresult) pratiche = NULL;
  g_autoptr(PGresult) outbox = NULL;
  g_autoptr(PGresult) jobs = NULL;

  if (!(pratiche = sp_db_exec (conn, "SELECT e.code, sv.slug, c.status, sum (c.n) FROM pratica_count c"
                                     " JOIN servizio sv ON sv.id = c.servizio_id JOIN ente e ON e.id = sv.ente_id"
                                     " GROUP BY 1, 2, 3 HAVING sum (c.n) > 0 ORDER BY 1, 2, 3", 0, NULL, error))
      || !(outbox = sp_db_exec (conn, "SELECT count (*), coalesce (extract (epoch FROM now () - min (created_at)), 0)"
                                      " FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL", 0, NULL, error))
      || !(jobs = sp_db_exec (conn, "SELECT kind, state, count (*) FROM job GROUP BY 1, 2 ORDER BY 1, 2",
                              0, NULL, error)))
    return NULL;

  g_string_append (text, "# HELP sportello_pratiche Pratiche per ente, service and status\n"
                         "# TYPE sportello_pratiche gauge\n");
  for (int row = 0; row < PQntuples (pratiche); row++)
    {
      g_string_append (text, "sportello_pratiche{");
      append_label (text, "ente", sp_db_get (pratiche, row, 0), FALSE);
      append_label (text, "servizio", sp_db_get (pratiche, row, 1), FALSE);
      append_label (text, "status", sp_db_get (pratiche, row, 2), TRUE);
      g_string_append_printf (text, " %s\n", sp_db_get (pratiche, row, 3));
    }
  g_string_append_printf (text, "# HELP sportello_outbox_backlog E-mails to citizens waiting to be sent\n"
                                "# TYPE sportello_outbox_backlog gauge\n"
                                "sportello_outbox_backlog %s\n"
                                "# HELP sportello_outbox_oldest_seconds Age of the oldest e-mail waiting\n"
                                "# TYPE sportello_outbox_oldest_seconds gauge\n"
                                "sportello_outbox_oldest_seconds %s\n",
                          sp_db_get (outbox, 0, 0), sp_db_get (outbox, 0, 1));
  g_string_append (text, "# HELP sportello_jobs Background jobs per kind and state\n"
                         "# TYPE sportello_jobs gauge\n");
  for (int row = 0; row < PQntuples (jobs); row++)
    {
      g_string_append (text, "sportello_jobs{");
      append_label (text, "kind", sp_db_get (jobs, row, 0), FALSE);
      append_label (text, "state", sp_db_get (jobs, row, 1), TRUE);
      g_string_append_printf (text, " %s\n", sp_db_get (jobs, row, 2));
    }
  return g_string_free_to_bytes (g_steal_pointer (&text));
}

static void
metrics_run (SpDb                *db,
             SpDbFunc             func,
             MetricsCall         *call,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sp_db_metrics_finish);
  sp_db_task_run (db, SP_DB_ONCE, task, func, call, (GDestroyNotify) metrics_call_free,
                  (GDestroyNotify) g_bytes_unref);
}

/**
 * sp_db_metrics_summary_async:
 *
 * The headline figures of the services in the principal's scope: active
 * services, open and overdue pratiche, pratiche per year of submission.
 */
void
sp_db_metrics_summary_async (SpDb                *db,
                             SpPrincipal         *principal,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  MetricsCall *call = g_new0 (MetricsCall, 1);

  call->principal = sp_principal_ref (principal);
  metrics_run (db, summary, call, cancellable, callback, user_data);
}

/**
 * sp_db_metrics_pratiche_async:
 * @servizio: (nullable): one service's slug; %NULL for every service in scope
 * @status: only pratiche now in this status; %SP_STATUS_INVALID for any
 *
 * The pratiche submitted in each bucket of @window, per service.
 */
void
sp_db_metrics_pratiche_async (SpDb                *db,
                              SpPrincipal         *principal,
                              SpMetricsWindow      window,
                              const char          *servizio,
                              SpStatus             status,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MetricsCall *call = g_new0 (MetricsCall, 1);

  call->principal = sp_principal_ref (principal);
  call->window = window;
  call->servizio = g_strdup (servizio);
  call->status = status;
  metrics_run (db, sp_db_metrics_chart, call, cancellable, callback, user_data);
}

/**
 * sp_db_metrics_processing_async:
 *
 * The processing times of the services in the principal's scope, over the
 * pratiche taken in charge or concluded within @window.
 */
void
sp_db_metrics_processing_async (SpDb                *db,
                                SpPrincipal         *principal,
                                SpMetricsWindow      window,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  MetricsCall *call = g_new0 (MetricsCall, 1);

  call->principal = sp_principal_ref (principal);
  call->window = window;
  metrics_run (db, sp_db_metrics_processing, call, cancellable, callback, user_data);
}

/**
 * sp_db_metrics_prometheus_async:
 *
 * The database's part of GET /metrics, in Prometheus's text format.
 */
void
sp_db_metrics_prometheus_async (SpDb                *db,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  metrics_run (db, prometheus, g_new0 (MetricsCall, 1), cancellable, callback, user_data);
}

/* Returns: (transfer full): the JSON document, or the text of sp_db_metrics_prometheus_async() */
GBytes *
sp_db_metrics_finish (SpDb          *db,
                      GAsyncResult  *result,
                      GError       **error)
{
  return sp_db_task_finish (result, sp_db_metrics_finish, error);
}
