/* sp-db-metrics-chart.c: the submitted pratiche per service and bucket of a window, counted in SQL, written as JSON */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <string.h>

#include "sp-db-metrics-private.h"
#include "sp-db-query.h"
#include "sp-db-scope.h"
#include "sp-db-util.h"

/* Buckets are the ente's minutes, hours and days (DESIGN.md §7). */
#define TIME_ZONE "'Europe/Rome'"

/* The window's buckets, oldest first, and one more: the end of the last.
 * Each as JSON writes a time (column 0) and, for days, its date (column 1). */
static PGresult *
get_buckets (PGconn          *conn,
             SpMetricsWindow  window,
             GError         **error)
{
  const char *unit = sp_metrics_bucket_to_string (sp_metrics_window_get_bucket (window));
  g_autofree char *n_buckets = g_strdup_printf ("%u", sp_metrics_window_get_n_buckets (window));

  return sp_db_exec (conn,
                     "WITH last AS (SELECT date_trunc ($1, now () AT TIME ZONE " TIME_ZONE ") AS start)"
                     " SELECT to_json (b.start AT TIME ZONE " TIME_ZONE ") #>> '{}', b.start::date"
                     " FROM last l, generate_series (l.start - ($2::integer - 1) * ('1 ' || $1)::interval,"
                     "                               l.start + ('1 ' || $1)::interval, ('1 ' || $1)::interval) AS b (start)"
                     " ORDER BY b.start",
                     2, (const char *[]) { unit, n_buckets }, error);
}

/* The services of the chart, by name: every active one in scope, or the one
 * asked (active or not, if in scope); their names as JSON strings. */
static PGresult *
get_services (PGconn           *conn,
              SpDbMetricsCall  *call,
              GError          **error)
{
  g_autoptr(SpDbQuery) sql = sp_db_query_new ("");
  g_autoptr(SpDbScope) scope = sp_db_scope_new_in (call->principal, sql);
  g_autofree char *in_scope = sp_db_scope_condition (scope, "sv.id");
  const char *servizio = sp_db_query_param (sql, call->servizio, "text");

  sp_db_query_append_printf (sql,
    "SELECT sv.id, to_json (sv.slug)::text, to_json (sv.name)::text FROM servizio sv"
    " WHERE %s AND (%s IS NULL OR sv.slug = %s) AND (sv.active OR %s IS NOT NULL)"
    " ORDER BY sv.name, sv.slug",
    in_scope, servizio, servizio, servizio);
  return sp_db_query_exec (conn, sql, error);
}

/* (service id, bucket index, count) of the buckets with any pratica. Days
 * from the counts kept ahead (migration 0018, status 0 for every status);
 * minutes and hours, at most a day of pratiche, from each service's index
 * of submissions. */
static PGresult *
get_counts (PGconn           *conn,
            SpDbMetricsCall  *call,
            PGresult         *buckets,
            PGresult         *services,
            GError          **error)
{
  g_autoptr(GString) ids = g_string_new ("{");
  g_autoptr(GString) starts = g_string_new ("{");
  g_autofree char *status = call->status != SP_STATUS_INVALID ? g_strdup_printf ("%d", (int) call->status) : NULL;
  int n_buckets = PQntuples (buckets) - 1;

  for (int row = 0; row < PQntuples (services); row++)
    g_string_append_printf (ids, "%s%s", row > 0 ? "," : "", sp_db_get (services, row, 0));
  g_string_append_c (ids, '}');
  for (int row = 0; row < n_buckets; row++)
    g_string_append_printf (starts, "%s\"%s\"", row > 0 ? "," : "", sp_db_get (buckets, row, 0));
  g_string_append_c (starts, '}');

  if (sp_metrics_window_get_bucket (call->window) == SP_METRICS_BUCKET_DAY)
    return sp_db_exec (conn,
                       "SELECT c.servizio_id, c.day - $2::date, c.n FROM pratica_day_count c"
                       " WHERE c.servizio_id = ANY ($1::bigint[]) AND c.day >= $2::date"
                       "   AND c.status = coalesce ($3::integer, 0) AND c.n > 0",
                       3, (const char *[]) { ids->str, sp_db_get (buckets, 0, 1), status }, error);
  return sp_db_exec (conn,
                     "SELECT p.servizio_id, width_bucket (p.submitted_at, $2::timestamptz[]) - 1, count (*)"
                     " FROM pratica p"
                     " WHERE p.servizio_id = ANY ($1::bigint[]) AND p.submitted_at >= ($2::timestamptz[])[1]"
                     "   AND ($3::integer IS NULL OR p.status = $3::integer)"
                     " GROUP BY 1, 2",
                     3, (const char *[]) { ids->str, starts->str, status }, error);
}

/* {window, bucket, from, to, series: [{servizio, name, points: [{start, count}]}]}
 * (an SpDbFunc): every bucket of the window, the current one last, empty
 * ones as zero; every service in scope (or the one asked), by name. The
 * buckets are the ente's local minutes, hours or days (a day of 23 or 25
 * hours at the clock changes). Written here rather than by json_agg():
 * 200 services of 90 days are 18,000 points. */
gpointer
sp_db_metrics_chart (PGconn   *conn,
                     gpointer  data,
                     GError  **error)
{
  SpDbMetricsCall *call = data;
  g_autoptr(PGresult) buckets = NULL;
  g_autoptr(PGresult) services = NULL;
  g_autoptr(PGresult) counts = NULL;
  g_autoptr(GHashTable) positions = NULL;
  g_autofree guint64 *values = NULL;
  g_autoptr(GString) json = NULL;
  int n_buckets;
  int n_services;

  if (!(buckets = get_buckets (conn, call->window, error))
      || !(services = get_services (conn, call, error))
      || !(counts = get_counts (conn, call, buckets, services, error)))
    return NULL;

  n_buckets = PQntuples (buckets) - 1;
  n_services = PQntuples (services);
  positions = g_hash_table_new (g_str_hash, g_str_equal);
  for (int row = 0; row < n_services; row++)
    g_hash_table_insert (positions, (gpointer) sp_db_get (services, row, 0), GINT_TO_POINTER (row + 1));
  values = g_new0 (guint64, (gsize) n_services * n_buckets + 1);
  for (int row = 0; row < PQntuples (counts); row++)
    {
      int service = GPOINTER_TO_INT (g_hash_table_lookup (positions, sp_db_get (counts, row, 0))) - 1;
      gint64 bucket = g_ascii_strtoll (sp_db_get (counts, row, 1), NULL, 10);

      if (service >= 0 && bucket >= 0 && bucket < n_buckets)
        values[(gsize) service * n_buckets + bucket] = g_ascii_strtoull (sp_db_get (counts, row, 2), NULL, 10);
    }

  json = g_string_sized_new (128 + (gsize) n_services * (128 + (gsize) n_buckets * 48));
  g_string_append_printf (json, "{\"window\":\"%s\",\"bucket\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"series\":[",
                          sp_metrics_window_to_string (call->window),
                          sp_metrics_bucket_to_string (sp_metrics_window_get_bucket (call->window)),
                          sp_db_get (buckets, 0, 0), sp_db_get (buckets, n_buckets, 0));
  for (int service = 0; service < n_services; service++)
    {
      g_string_append_printf (json, "%s{\"servizio\":%s,\"name\":%s,\"points\":[", service > 0 ? "," : "",
                              sp_db_get (services, service, 1), sp_db_get (services, service, 2));
      for (int bucket = 0; bucket < n_buckets; bucket++)
        g_string_append_printf (json, "%s{\"start\":\"%s\",\"count\":%" G_GUINT64_FORMAT "}", bucket > 0 ? "," : "",
                                sp_db_get (buckets, bucket, 0), values[(gsize) service * n_buckets + bucket]);
      g_string_append (json, "]}");
    }
  g_string_append (json, "]}");
  return g_string_free_to_bytes (g_steal_pointer (&json));
}
