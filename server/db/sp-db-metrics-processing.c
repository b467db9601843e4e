/* sp-db-metrics-processing.c: SQL of the processing times: kept by a job for the long windows, live for the short */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-metrics.h"
#include "sp-db-metrics-private.h"
#include "sp-db-query.h"
#include "sp-db-scope.h"
#include "sp-db-util.h"

/* The job that keeps metrics_processing (server/sql/0021_metrics_processing.sql);
 * its figures count as fresh for three of its periods (job_schedule.every). */
#define REFRESH_JOB "'" SP_DB_METRICS_PROCESSING_JOB "'"
#define FRESH_PERIODS "3"

/* Whether @window's figures are kept by the job: the windows counted in
 * days, whose figures read hundreds of thousands of pratiche and move
 * little in five minutes. The others are computed at every request. */
static gboolean
is_kept (SpMetricsWindow window)
{
  return sp_metrics_window_get_bucket (window) == SP_METRICS_BUCKET_DAY;
}

/* "now () - N * '1 unit'": where @window starts, with its two parameters
 * added to @sql. */
static char *
window_start (SpDbQuery       *sql,
              SpMetricsWindow  window)
{
  g_autofree char *n = g_strdup_printf ("%u", sp_metrics_window_get_n_buckets (window));
  const char *unit = sp_metrics_bucket_to_string (sp_metrics_window_get_bucket (window));

  return g_strdup_printf ("now () - %s * ('1 ' || %s)::interval",
                          sp_db_query_param (sql, n, "integer"), sp_db_query_param (sql, unit, "text"));
}

/**
 * sp_db_metrics_processing:
 *
 * {window, from, to, services: [{servizio, name, deadline_days,
 * taken: {count, median_days, p90_days},
 * concluded: {count, median_days, p90_days, within_deadline}}]}
 * (an SpDbFunc on an SpDbMetricsCall): how long the pratiche taken in
 * charge in the window waited for it since submission, and how long those
 * concluded in the window took, with the share concluded by their legal
 * deadline; every active service in scope, by name, with null figures where
 * none was counted. The job's figures where it kept fresh ones, the live
 * ones (metrics_processing_figures()) elsewhere: `to` says when the oldest
 * figures were computed, `from` where their window started.
 */
gpointer
sp_db_metrics_processing (PGconn   *conn,
                          gpointer  data,
                          GError  **error)
{
  SpDbMetricsCall *call = data;
  g_autoptr(SpDbQuery) sql = sp_db_query_new ("");
  g_autoptr(SpDbScope) scope = sp_db_scope_new_in (call->principal, sql);
  g_autofree char *services = sp_db_scope_condition (scope, "sv.id");
  g_autofree char *start = window_start (sql, call->window);
  const char *window_param = sp_db_query_param (sql, sp_metrics_window_to_string (call->window), "text");

  sp_db_query_append_printf (sql,
    "WITH since AS (SELECT %s AS at),"
    " service AS (SELECT sv.id, sv.slug, sv.name, sv.deadline_days FROM servizio sv WHERE sv.active AND %s),"
    " kept AS (SELECT m.* FROM metrics_processing m JOIN service s ON s.id = m.servizio_id"
    "          WHERE %s AND m.window_name = %s"
    "            AND m.computed_at > now () - " FRESH_PERIODS " * (SELECT every FROM job_schedule WHERE kind = " REFRESH_JOB ")),"
    " figures AS (SELECT s.*, k.since, k.computed_at, k.taken_n, k.taken_median, k.taken_p90,"
    "                    k.concluded_n, k.concluded_median, k.concluded_p90, k.within_deadline"
    "             FROM service s JOIN kept k ON k.servizio_id = s.id"
    "             UNION ALL"
    "             SELECT s.*, since.at, now (), f.*"
    "             FROM service s CROSS JOIN since, LATERAL metrics_processing_figures (s.id, since.at) f"
    "             WHERE s.id NOT IN (SELECT servizio_id FROM kept))"
    " SELECT json_build_object ("
    "   'window', %s,"
    "   'from', coalesce ((SELECT min (f.since) FROM figures f), (SELECT at FROM since)),"
    "   'to', coalesce ((SELECT min (f.computed_at) FROM figures f), now ()),"
    "   'services', coalesce ((SELECT json_agg (json_build_object ("
    "       'servizio', f.slug, 'name', f.name, 'deadline_days', f.deadline_days,"
    "       'taken', json_build_object ('count', f.taken_n,"
    "                                   'median_days', round (f.taken_median::numeric, 2),"
    "                                   'p90_days', round (f.taken_p90::numeric, 2)),"
    "       'concluded', json_build_object ('count', f.concluded_n,"
    "                                       'median_days', round (f.concluded_median::numeric, 2),"
    "                                       'p90_days', round (f.concluded_p90::numeric, 2),"
    "                                       'within_deadline', round (f.within_deadline::numeric, 4)))"
    "     ORDER BY f.name, f.slug) FROM figures f), '[]'))::text",
    start, services, is_kept (call->window) ? "TRUE" : "FALSE", window_param, window_param);
  return sp_db_metrics_run_json (conn, sql, error);
}

/**
 * sp_db_metrics_processing_refresh:
 * @n_rows: (out) (optional): the figures written, a row per window and service
 *
 * Computes the processing times of every active service over each window
 * counted in days, and keeps them in metrics_processing for the requests:
 * the work of the job %SP_DB_METRICS_PROCESSING_JOB. One statement: a
 * second process running it at once waits for the first one's rows, and
 * its own figures stay.
 */
gboolean
sp_db_metrics_processing_refresh (PGconn  *conn,
                                  guint   *n_rows,
                                  GError **error)
{
  g_autoptr(SpDbQuery) sql = sp_db_query_new ("WITH w AS (");
  g_autoptr(PGresult) result = NULL;
  gboolean first = TRUE;

  for (SpMetricsWindow window = 0; window < SP_METRICS_N_WINDOWS; window++)
    {
      g_autofree char *start = NULL;

      if (!is_kept (window))
        continue;
      start = window_start (sql, window);
      sp_db_query_append_printf (sql, "%sSELECT %s AS name, %s AS since", first ? "" : " UNION ALL ",
                                 sp_db_query_param (sql, sp_metrics_window_to_string (window), "text"), start);
      first = FALSE;
    }
  sp_db_query_append_printf (sql,
    ") INSERT INTO metrics_processing (window_name, servizio_id, since, computed_at, taken_n, taken_median,"
    "                                  taken_p90, concluded_n, concluded_median, concluded_p90, within_deadline)"
    " SELECT w.name, sv.id, w.since, now (), f.*"
    " FROM w CROSS JOIN servizio sv, LATERAL metrics_processing_figures (sv.id, w.since) f"
    " WHERE sv.active"
    " ON CONFLICT (window_name, servizio_id) DO UPDATE SET"
    "   since = EXCLUDED.since, computed_at = EXCLUDED.computed_at,"
    "   taken_n = EXCLUDED.taken_n, taken_median = EXCLUDED.taken_median, taken_p90 = EXCLUDED.taken_p90,"
    "   concluded_n = EXCLUDED.concluded_n, concluded_median = EXCLUDED.concluded_median,"
    "   concluded_p90 = EXCLUDED.concluded_p90, within_deadline = EXCLUDED.within_deadline");
  if (!(result = sp_db_query_exec (conn, sql, error)))
    return FALSE;
  if (n_rows != NULL)
    *n_rows = (guint) g_ascii_strtoull (PQcmdTuples (result), NULL, 10);
  return TRUE;
}
