/* sp-db-audit.c: SQL of the audit: a pratica's versions, two snapshots to compare, the log of audit reads */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-audit.h"
#include "sp-db-chain.h"
#include "sp-db-dashboard.h"
#include "sp-db-query.h"
#include "sp-db-scope.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-json.h"

/* The longest search an auditor may log (the search itself refuses longer). */
#define MAX_SEARCH 200

void
sp_audit_version_free (SpAuditVersion *version)
{
  if (version == NULL)
    return;
  g_free (version->operation);
  g_free (version->user);
  g_free (version->role);
  g_free (version->at);
  g_free (version->note);
  g_free (version);
}

void
sp_audit_read_free (SpAuditRead *read)
{
  if (read == NULL)
    return;
  g_clear_object (&read->summary);
  g_free (read->locale);
  g_clear_pointer (&read->versions, g_ptr_array_unref);
  g_clear_pointer (&read->field_schema, json_node_unref);
  g_clear_pointer (&read->reads, json_node_unref);
  g_clear_pointer (&read->chain, sp_chain_report_free);
  g_clear_pointer (&read->snapshots[0], g_bytes_unref);
  g_clear_pointer (&read->snapshots[1], g_bytes_unref);
  g_free (read);
}

/* {version, operation, status, user, role, at, note} */
void
sp_audit_version_to_json (SpAuditVersion *version,
                          JsonBuilder    *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, version->number);
  json_builder_set_member_name (builder, "operation");
  json_builder_add_string_value (builder, version->operation);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, version->status);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, version->user);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, version->role);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, version->at);
  json_builder_set_member_name (builder, "note");
  if (version->note != NULL)
    json_builder_add_string_value (builder, version->note);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

/* What one audit call reads: the pratica and which versions. */
typedef struct
{
  SpPrincipal *principal;
  char        *pratica_id;   /* NULL for a search */
  char        *action;       /* audit_read.action */
  char        *q;            /* a search's terms */
  char        *detail;       /* a chain check's outcome, JSON */
  int          from;
  int          to;
} AuditCall;

static void
audit_call_free (AuditCall *call)
{
  g_clear_pointer (&call->principal, sp_principal_unref);
  g_free (call->pratica_id);
  g_free (call->action);
  g_free (call->q);
  g_free (call->detail);
  g_free (call);
}

/* Records the read in the audit's log, in the caller's transaction; with
 * @commit, COMMIT goes with it (on failure, roll back as after any). */
static gboolean
log_read (PGconn     *conn,
          AuditCall  *call,
          gboolean    commit,
          GError    **error)
{
  static const char sql[] =
    "INSERT INTO audit_read (account_id, pratica_id, action, detail)"
    " VALUES ($1::bigint, $2::uuid, $3,"
    "         CASE $3 WHEN 'search' THEN jsonb_build_object ('q', $4::text)"
    "                 WHEN 'compare' THEN jsonb_build_object ('from', $5::integer, 'to', $6::integer)"
    "                                     || coalesce ($7::jsonb, '{}')"
    "                 ELSE coalesce ($7::jsonb, '{}') END)";
  g_autofree char *account_id = g_strdup_printf ("%" G_GINT64_FORMAT, sp_principal_get_account_id (call->principal));
  g_autofree char *from = g_strdup_printf ("%d", call->from);
  g_autofree char *to = g_strdup_printf ("%d", call->to);
  const char * const params[] = { account_id, call->pratica_id, call->action, call->q, from, to, call->detail };
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec_prepared_ending (conn, sql, G_N_ELEMENTS (params), params, commit, error);
  return result != NULL;
}

/* Opens the audit call's transaction and reads in it, in one round trip,
 * the pratica in the auditor's scope (its ente), as a summary, with its
 * ente's language and, @with_schema, its service's field schema. The
 * transaction is open when this returns, failed or not. */
static gboolean
begin_load_summary (PGconn       *conn,
                    AuditCall    *call,
                    SpAuditRead  *read,
                    gboolean      with_schema,
                    GError      **error)
{
  g_autoptr(SpDbQuery) sql = sp_db_query_new ("SELECT " SP_DB_SUMMARY_COLUMNS ", sv.field_schema::text, e.locale"
                                              " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id"
                                              " JOIN ente e ON e.id = p.ente_id"
                                              " LEFT JOIN account a ON a.id = p.assigned_to"
                                              " WHERE p.id = ");
  g_autoptr(SpDbScope) scope = NULL;
  g_autoptr(PGresult) result = NULL;

  sp_db_query_append_param (sql, call->pratica_id, "uuid");
  sp_db_query_append (sql, " AND ");
  scope = sp_db_scope_new_in (call->principal, sql);
  sp_db_scope_append (scope, sql, "p.servizio_id");
  if (!(result = sp_db_query_begin_exec (conn, "BEGIN", sql, error)))
    return FALSE;
  if (PQntuples (result) != 1)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      return FALSE;
    }
  if (with_schema && !(read->field_schema = json_from_string (sp_db_get (result, 0, SP_DB_N_SUMMARY_COLUMNS), error)))
    return FALSE;
  read->locale = g_strdup (sp_db_get (result, 0, SP_DB_N_SUMMARY_COLUMNS + 1));
  read->summary = sp_db_summary_from_row (result, 0, 0);
  return TRUE;
}

static SpAuditVersion *
version_from_row (PGresult *result,
                  int       row,
                  GError  **error)
{
  SpAuditVersion *version = g_new0 (SpAuditVersion, 1);

  version->number = (int) sp_db_get_int64 (result, row, 0);
  version->operation = g_strdup (sp_db_get (result, row, 1));
  version->status = (int) sp_db_get_int64 (result, row, 2);
  version->user = g_strdup (sp_db_get (result, row, 3));
  version->role = g_strdup (sp_db_get (result, row, 4));
  version->at = g_strdup (sp_db_get (result, row, 5));
  version->note = g_strdup (sp_db_get (result, row, 6));
  return version;
}

/* The snapshots of the versions compared (column 7 of @versions, a row
 * each, from then to; one row: a version with itself), where libpq put
 * them: ten thousand fields are a quarter of a megabyte each. */
static void
keep_snapshots (SpAuditRead *read,
                PGresult    *versions)
{
  g_autoptr(GBytes) result = g_bytes_new_with_free_func (NULL, 0, (GDestroyNotify) PQclear, versions);

  for (int side = 0; side < 2; side++)
    {
      int row = MIN (side, PQntuples (versions) - 1);

      read->snapshots[side] = g_bytes_new_with_free_func (PQgetvalue (versions, row, 7),
                                                          PQgetlength (versions, row, 7),
                                                          (GDestroyNotify) g_bytes_unref, g_bytes_ref (result));
    }
}

#define VERSION_COLUMNS \
  "v.number, v.operation, v.status, v.actor_name, v.actor_role, to_json (v.created_at) #>> '{}', v.note"

/* The versions of the pratica, or the two compared (an SpDbFunc): the
 * pratica in scope, the read logged, then read, in one transaction. */
static gpointer
audit_read (PGconn   *conn,
            gpointer  data,
            GError  **error)
{
  AuditCall *call = data;
  gboolean compare = g_str_equal (call->action, "compare");
  g_autoptr(SpAuditRead) read = g_new0 (SpAuditRead, 1);
  g_autoptr(PGresult) versions = NULL;
  g_autofree char *from = g_strdup_printf ("%d", call->from);
  g_autofree char *to = g_strdup_printf ("%d", call->to);
  g_autoptr(GError) missing = NULL;

  read->versions = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_audit_version_free);
  if (!begin_load_summary (conn, call, read, compare, &missing))
    {
      /* A search for a UUID that finds nothing is still logged. */
      if (!g_str_equal (call->action, "search") || !g_error_matches (missing, SP_ERROR, SP_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&missing));
          goto failed;
        }
      g_clear_pointer (&call->pratica_id, g_free);
    }

  /* The reads' list holds this read too: logged first, then read. */
  if (g_str_equal (call->action, "reads"))
    {
      g_autoptr(PGresult) reads = NULL;

      if (!log_read (conn, call, FALSE, error)
          || !(reads = sp_db_exec_prepared_commit (conn,
                                                   "SELECT coalesce (json_agg (json_build_object ("
                                                   "  'at', to_json (r.at) #>> '{}', 'user', a.full_name,"
                                                   "  'username', a.username, 'action', r.action, 'detail', r.detail)"
                                                   "  ORDER BY r.at DESC, r.id DESC), '[]')::text"
                                                   " FROM audit_read r JOIN account a ON a.id = r.account_id"
                                                   " WHERE r.pratica_id = $1::uuid",
                                                   1, SP_DB_PARAMS (call->pratica_id), error))
          || !(read->reads = json_from_string (sp_db_get (reads, 0, 0), error)))
        goto failed;
      return g_steal_pointer (&read);
    }

  if (compare)
    versions = sp_db_exec_prepared (conn,
                                    "SELECT " VERSION_COLUMNS ", v.snapshot::text FROM version v"
                                    " WHERE v.pratica_id = $1::uuid AND v.number IN ($2::integer, $3::integer)"
                                    " ORDER BY v.number = $2::integer DESC",
                                    3, SP_DB_PARAMS (call->pratica_id, from, to), error);
  else if (g_str_equal (call->action, "versions"))
    versions = sp_db_exec_prepared (conn, "SELECT " VERSION_COLUMNS " FROM version v WHERE v.pratica_id = $1::uuid"
                                          " ORDER BY v.number", 1, SP_DB_PARAMS (call->pratica_id), error);
  if (versions == NULL && !g_str_equal (call->action, "search"))
    goto failed;

  for (int row = 0; versions != NULL && row < PQntuples (versions); row++)
    {
      SpAuditVersion *version = version_from_row (versions, row, error);

      if (version == NULL)
        goto failed;
      g_ptr_array_add (read->versions, version);
    }
  if (compare && read->versions->len != (call->from == call->to ? 1u : 2u))
    {
      g_set_error (error, SP_ERROR, SP_ERROR_NOT_FOUND, "The pratica has no version %d",
                   read->versions->len == 0 || ((SpAuditVersion *) read->versions->pdata[0])->number != call->from
                   ? call->from : call->to);
      goto failed;
    }
  if (compare)
    keep_snapshots (read, g_steal_pointer (&versions));
  /* The same version on both sides: compared with itself. */
  if (compare && call->from == call->to)
    {
      SpAuditVersion *only = read->versions->pdata[0];
      SpAuditVersion *copy = g_new0 (SpAuditVersion, 1);

      *copy = (SpAuditVersion) { only->number, g_strdup (only->operation), only->status, g_strdup (only->user),
                                 g_strdup (only->role), g_strdup (only->at), g_strdup (only->note) };
      g_ptr_array_add (read->versions, copy);
    }
  /* Logged once all was read, with the commit: a failed read is not. */
  if (!log_read (conn, call, TRUE, error))
    goto failed;
  return g_steal_pointer (&read);

failed:
  sp_db_rollback (conn);
  return NULL;
}

/* The check of the pratica's hash chain (an SpDbFunc): the pratica in
 * scope, its chain walked, the read logged with what it found. */
static gpointer
audit_chain (PGconn   *conn,
             gpointer  data,
             GError  **error)
{
  AuditCall *call = data;
  g_autoptr(SpAuditRead) read = g_new0 (SpAuditRead, 1);

  read->versions = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_audit_version_free);
  read->chain = g_new0 (SpChainReport, 1);
  if (!begin_load_summary (conn, call, read, FALSE, error)
      || !sp_db_chain_walk (conn, call->pratica_id, read->chain, error))
    goto failed;
  call->detail = g_strdup_printf ("{\"versions\": %" G_GUINT64_FORMAT ", \"intact\": %s, \"broken_version\": %d}",
                                  read->chain->n_versions, read->chain->pratica_id == NULL ? "true" : "false",
                                  read->chain->number);
  if (!log_read (conn, call, TRUE, error))
    goto failed;
  return g_steal_pointer (&read);

failed:
  sp_db_rollback (conn);
  return NULL;
}

static void
audit_run (SpDb                *db,
           gpointer             source_tag,
           SpDbFunc             func,
           AuditCall           *call,
           GDestroyNotify       result_free,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  sp_db_task_run (db, SP_DB_RETRY, task, func, call, (GDestroyNotify) audit_call_free, result_free);
}

static AuditCall *
audit_call_new (SpPrincipal *principal,
                const char  *pratica_id,
                const char  *action)
{
  AuditCall *call = g_new0 (AuditCall, 1);

  call->principal = sp_principal_ref (principal);
  call->pratica_id = g_strdup (pratica_id);
  call->action = g_strdup (action);
  return call;
}

/* Logs a search (an SpDbFunc). */
static gpointer
log_search (PGconn   *conn,
            gpointer  data,
            GError  **error)
{
  return log_read (conn, data, FALSE, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * sp_db_audit_log_search_async:
 * @q: what the auditor searched for
 *
 * Logs an auditor's search before it runs (sp_db_dashboard_async() on
 * the bucket of every pratica, with the dashboard's one search rule).
 */
void
sp_db_audit_log_search_async (SpDb                *db,
                              SpPrincipal         *principal,
                              const char          *q,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  AuditCall *call = audit_call_new (principal, NULL, "search");

  call->q = g_utf8_substring (q, 0, MIN (g_utf8_strlen (q, -1), MAX_SEARCH));
  audit_run (db, sp_db_audit_log_search_async, log_search, call, NULL, cancellable, callback, user_data);
}

gboolean
sp_db_audit_log_search_finish (SpDb          *db,
                               GAsyncResult  *result,
                               GError       **error)
{
  return sp_db_task_finish (result, sp_db_audit_log_search_async, error) != NULL;
}

/**
 * sp_db_audit_find_async:
 * @q: what the auditor searched for: the pratica's UUID
 *
 * Finds the pratica of that UUID in the auditor's ente, and logs the
 * search; the result has no versions.
 */
void
sp_db_audit_find_async (SpDb                *db,
                        SpPrincipal         *principal,
                        const char          *q,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  AuditCall *call = audit_call_new (principal, q, "search");

  call->q = g_strdup (q);
  audit_run (db, sp_db_audit_read_finish, audit_read, call, (GDestroyNotify) sp_audit_read_free, cancellable,
             callback, user_data);
}

/**
 * sp_db_audit_versions_async:
 *
 * Reads the pratica (in the auditor's ente) and its versions, oldest first;
 * logs the read.
 */
void
sp_db_audit_versions_async (SpDb                *db,
                            SpPrincipal         *principal,
                            const char          *pratica_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  audit_run (db, sp_db_audit_read_finish, audit_read, audit_call_new (principal, pratica_id, "versions"),
             (GDestroyNotify) sp_audit_read_free, cancellable, callback, user_data);
}

/**
 * sp_db_audit_compare_async:
 * @from: the version on the old side
 * @to: the version on the new side
 * @format: (nullable): "pdf" when the comparison is exported as a PDF
 *   (the log says so); %NULL for JSON
 *
 * Reads versions @from and @to with their snapshots, and the service's
 * field schema, in one transaction; logs the read. A version the pratica
 * does not have is %SP_ERROR_NOT_FOUND.
 */
void
sp_db_audit_compare_async (SpDb                *db,
                           SpPrincipal         *principal,
                           const char          *pratica_id,
                           int                  from,
                           int                  to,
                           const char          *format,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  AuditCall *call = audit_call_new (principal, pratica_id, "compare");

  call->from = from;
  call->to = to;
  if (format != NULL)
    call->detail = g_strdup_printf ("{\"format\": \"%s\"}", g_strcmp0 (format, "pdf") == 0 ? "pdf" : "json");
  audit_run (db, sp_db_audit_read_finish, audit_read, call, (GDestroyNotify) sp_audit_read_free, cancellable,
             callback, user_data);
}

/**
 * sp_db_audit_reads_async:
 *
 * Reads the audit log of the pratica (who read its versions, and when),
 * this read included.
 */
void
sp_db_audit_reads_async (SpDb                *db,
                         SpPrincipal         *principal,
                         const char          *pratica_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  audit_run (db, sp_db_audit_read_finish, audit_read, audit_call_new (principal, pratica_id, "reads"),
             (GDestroyNotify) sp_audit_read_free, cancellable, callback, user_data);
}

/**
 * sp_db_audit_chain_async:
 *
 * Checks every link of the pratica's hash chain (sp_db_chain_walk(), as
 * sportello-admin verify-versions does); the result's @chain says what was
 * found. Logs the read with its outcome.
 */
void
sp_db_audit_chain_async (SpDb                *db,
                         SpPrincipal         *principal,
                         const char          *pratica_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  audit_run (db, sp_db_audit_read_finish, audit_chain, audit_call_new (principal, pratica_id, "chain"),
             (GDestroyNotify) sp_audit_read_free, cancellable, callback, user_data);
}

/* Returns: (transfer full): what was read */
SpAuditRead *
sp_db_audit_read_finish (SpDb          *db,
                         GAsyncResult  *result,
                         GError       **error)
{
  return sp_db_task_finish (result, sp_db_audit_read_finish, error);
}
