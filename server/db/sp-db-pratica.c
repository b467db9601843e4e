/* sp-db-pratica.c: SQL for one pratica as an operator sees it: detail, iter, documents, protocol registrations */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-dashboard.h"
#include "sp-db-elabora-private.h"
#include "sp-db-modulo.h"
#include "sp-db-pratica-private.h"
#include "sp-db-pratica.h"
#include "sp-db-scope.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-form.h"
#include "sp-json.h"

SpPraticaRequest *
sp_pratica_request_new (SpPrincipal *principal,
                        const char  *pratica_id,
                        const char  *document_id)
{
  SpPraticaRequest *request = g_new0 (SpPraticaRequest, 1);

  request->principal = sp_principal_ref (principal);
  request->pratica_id = g_strdup (pratica_id);
  request->document_id = g_strdup (document_id);
  return request;
}

void
sp_pratica_request_free (SpPraticaRequest *request)
{
  if (request == NULL)
    return;
  g_clear_pointer (&request->principal, sp_principal_unref);
  g_free (request->pratica_id);
  g_free (request->document_id);
  g_free (request);
}

void
sp_document_content_free (SpDocumentContent *content)
{
  if (content == NULL)
    return;
  g_free (content->filename);
  g_free (content->mime_type);
  g_free (content->sha256);
  g_clear_pointer (&content->content, g_bytes_unref);
  g_clear_pointer (&content->modulo, sp_modulo_source_free);
  g_free (content);
}

/**
 * sp_pratica_id_is_valid:
 *
 * Returns: whether @id is a UUID in its canonical text form
 */
gboolean
sp_pratica_id_is_valid (const char *id)
{
  return id != NULL && g_uuid_string_is_valid (id);
}

static gboolean
load_iter (PGconn          *conn,
           const char      *pratica_id,
           SpPraticaDetail *detail,
           GError         **error)
{
  g_autoptr(PGresult) result = sp_db_exec (conn,
                                           "SELECT status, previous_status, to_json (at) #>> '{}', actor_kind,"
                                           "       actor_name, note"
                                           " FROM iter WHERE pratica_id = $1::uuid ORDER BY at, id",
                                           1, SP_DB_PARAMS (pratica_id), error);

  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      SpIterEntry *entry = g_new0 (SpIterEntry, 1);

      entry->status = (SpStatus) sp_db_get_int64 (result, row, 0);
      entry->previous_status = (SpStatus) sp_db_get_int64 (result, row, 1);
      entry->at = g_date_time_new_from_iso8601 (sp_db_get (result, row, 2), NULL);
      entry->actor_kind = g_strdup (sp_db_get (result, row, 3));
      entry->actor_name = g_strdup (sp_db_get (result, row, 4));
      entry->note = g_strdup (sp_db_get (result, row, 5));
      g_ptr_array_add (detail->iter, entry);
    }
  return TRUE;
}

static gboolean
load_documents (PGconn          *conn,
                const char      *pratica_id,
                SpPraticaDetail *detail,
                GError         **error)
{
  g_autoptr(PGresult) result = sp_db_exec (conn,
                                           "SELECT id, kind, filename, mime_type, size, sha256, signer,"
                                           "       to_json (created_at) #>> '{}'"
                                           " FROM document_current WHERE pratica_id = $1::uuid"
                                           " ORDER BY created_at, id",
                                           1, SP_DB_PARAMS (pratica_id), error);

  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      SpDocumentInfo *info = g_new0 (SpDocumentInfo, 1);

      info->id = g_strdup (sp_db_get (result, row, 0));
      info->kind = g_strdup (sp_db_get (result, row, 1));
      info->filename = g_strdup (sp_db_get (result, row, 2));
      info->mime_type = g_strdup (sp_db_get (result, row, 3));
      info->size = sp_db_get_int64 (result, row, 4);
      info->sha256 = g_strdup (sp_db_get (result, row, 5));
      info->signer = g_strdup (sp_db_get (result, row, 6));
      info->created_at = g_date_time_new_from_iso8601 (sp_db_get (result, row, 7), NULL);
      g_ptr_array_add (detail->documents, info);
    }
  return TRUE;
}

static gboolean
load_protocols (PGconn          *conn,
                const char      *pratica_id,
                SpPraticaDetail *detail,
                GError         **error)
{
  g_autoptr(PGresult) result = sp_db_exec (conn,
                                           "SELECT protocol_number_text (year, number),"
                                           "       to_json (registered_at) #>> '{}', direction"
                                           " FROM protocol_register WHERE pratica_id = $1::uuid"
                                           " ORDER BY registered_at, year, number",
                                           1, SP_DB_PARAMS (pratica_id), error);

  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      SpProtocolRecord *entry = g_new0 (SpProtocolRecord, 1);

      entry->origin = SP_PROTOCOL_ORIGIN_INTERNAL;
      entry->number = g_strdup (sp_db_get (result, row, 0));
      entry->registered_at = g_date_time_new_from_iso8601 (sp_db_get (result, row, 1), NULL);
      entry->direction = g_strdup (sp_db_get (result, row, 2));
      g_ptr_array_add (detail->protocols, entry);
    }
  return TRUE;
}

/* The entries partners sent (pratica.protocol_entries), in their order, each
 * as stored: the partner and the time are those of the first version that
 * holds it (entries are only ever appended), when a partner wrote it. */
static gboolean
load_protocol_entries (PGconn          *conn,
                       const char      *pratica_id,
                       SpPraticaDetail *detail,
                       GError         **error)
{
  g_autoptr(PGresult) result = sp_db_exec (conn,
                                           "SELECT e.entry::text, v.partner, to_json (v.created_at) #>> '{}'"
                                           " FROM pratica p"
                                           " CROSS JOIN LATERAL jsonb_array_elements (p.protocol_entries)"
                                           "   WITH ORDINALITY AS e (entry, n)"
                                           " LEFT JOIN LATERAL ("
                                           "   SELECT CASE WHEN v.actor_role = 'partner' THEN v.actor_name END AS partner,"
                                           "          v.created_at"
                                           "   FROM version v, LATERAL (SELECT v.snapshot #> '{protocol,entries}' AS entries) s"
                                           "   WHERE v.pratica_id = p.id AND json_typeof (s.entries) = 'array'"
                                           "     AND json_array_length (s.entries) >= e.n"
                                           "   ORDER BY v.number LIMIT 1) v ON TRUE"
                                           " WHERE p.id = $1::uuid ORDER BY e.n",
                                           1, SP_DB_PARAMS (pratica_id), error);

  if (result == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (result); row++)
    {
      SpProtocolRecord *entry = sp_protocol_record_new_external (sp_db_get (result, row, 0));

      entry->registered_by = g_strdup (sp_db_get (result, row, 1));
      if (sp_db_get (result, row, 2) != NULL)
        entry->registered_at = g_date_time_new_from_iso8601 (sp_db_get (result, row, 2), NULL);
      g_ptr_array_add (detail->protocols, entry);
    }
  return TRUE;
}

/* The form's values in the ente's language, as its modulo writes them (sp-pdf.c). */
static gboolean
load_fields (const char      *schema_text,
             const char      *data_text,
             const char      *locale,
             SpPraticaView    view,
             SpPraticaDetail *detail,
             GError         **error)
{
  g_autoptr(JsonNode) schema = sp_json_parse (schema_text, strlen (schema_text), error);
  g_autoptr(JsonNode) data = schema != NULL ? sp_json_parse (data_text, strlen (data_text), error) : NULL;
  g_autoptr(SpValueFormat) format = NULL;

  if (data == NULL)
    return FALSE;
  format = sp_value_format_new (locale);
  g_ptr_array_unref (detail->fields);
  detail->fields = sp_form_flatten (JSON_NODE_HOLDS_ARRAY (schema) ? json_node_get_array (schema) : NULL,
                                    JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL, data_text,
                                    view != SP_PRATICA_VIEW_FULL, format);
  return TRUE;
}

static gboolean
load_steps (const char      *steps_text,
            SpPraticaDetail *detail,
            GError         **error)
{
  g_autoptr(JsonNode) steps = sp_json_parse (steps_text, strlen (steps_text), error);
  GPtrArray *parsed;

  if (steps == NULL
      || !(parsed = sp_steps_from_json (JSON_NODE_HOLDS_ARRAY (steps) ? json_node_get_array (steps) : NULL, error)))
    return FALSE;
  g_ptr_array_unref (detail->steps);
  detail->steps = parsed;
  return TRUE;
}

/* The pratica's detail as the principal may see it (an SpDbFunc): sensitive
 * values only with SP_PRATICA_VIEW_FULL (sp_principal_view_pratica()). */
static gpointer
pratica_detail (PGconn   *conn,
                gpointer  data,
                GError  **error)
{
  SpPraticaRequest *request = data;
  g_autoptr(SpPraticaDetail) detail = sp_pratica_detail_new ();
  g_autoptr(SpDbQuery) sql = NULL;
  g_autoptr(SpDbScope) scope = NULL;
  g_autoptr(PGresult) result = NULL;
  SpPraticaView view = SP_PRATICA_VIEW_NONE;
  gint64 assigned_to;

  sql = sp_db_query_new ("SELECT " SP_DB_SUMMARY_COLUMNS ","
                         "       to_json (p.protocol_date) #>> '{}', p.outcome, p.motivation,"
                         "       coalesce (p.assigned_to, 0), sv.field_schema::text, p.data::text, p.servizio_id,"
                         "       e.locale, sv.steps::text, sv.signed_response_required"
                         " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id"
                         " JOIN ente e ON e.id = p.ente_id"
                         " LEFT JOIN account a ON a.id = p.assigned_to"
                         " WHERE p.id = ");
  sp_db_query_append_param (sql, request->pratica_id, "uuid");
  sp_db_query_append (sql, " AND ");
  scope = sp_db_scope_new_in (request->principal, sql);
  sp_db_scope_append (scope, sql, "p.servizio_id");

  if (!sp_db_command (conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, error))
    return NULL;

  result = sp_db_query_exec (conn, sql, error);
  if (result == NULL)
    goto failed;
  if (PQntuples (result) == 1)
    view = sp_principal_view_pratica (request->principal, sp_db_get_int64 (result, 0, 20),
                                      sp_db_get_int64 (result, 0, 17));
  if (view == SP_PRATICA_VIEW_NONE)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      goto failed;
    }

  assigned_to = sp_db_get_int64 (result, 0, 17);
  detail->summary = sp_db_summary_from_row (result, 0, 0);
  if (sp_db_get (result, 0, 14) != NULL)
    detail->protocol_date = g_date_time_new_from_iso8601 (sp_db_get (result, 0, 14), NULL);
  detail->outcome = g_strdup (sp_db_get (result, 0, 15));
  detail->motivation = g_strdup (sp_db_get (result, 0, 16));
  detail->assigned_to_me = assigned_to != 0 && assigned_to == sp_principal_get_account_id (request->principal);
  detail->protocol_required = sp_db_get_bool (result, 0, 13);

  detail->signed_response_required = sp_db_get_bool (result, 0, 23);

  if (!load_fields (sp_db_get (result, 0, 18), sp_db_get (result, 0, 19), sp_db_get (result, 0, 21), view, detail,
                    error)
      || !load_steps (sp_db_get (result, 0, 22), detail, error)
      || !sp_db_processing_load (conn, request->pratica_id, detail->steps, sp_db_get (result, 0, 19),
                                 detail->outcome, detail->motivation, &detail->processing, NULL, error)
      || !load_iter (conn, request->pratica_id, detail, error)
      || !load_documents (conn, request->pratica_id, detail, error)
      || !load_protocols (conn, request->pratica_id, detail, error)
      || !load_protocol_entries (conn, request->pratica_id, detail, error)
      || !sp_db_commit (conn, error))
    goto failed;
  sp_pratica_detail_mark_main_protocol (detail);

  return g_steal_pointer (&detail);

failed:
  sp_db_rollback (conn);
  return NULL;
}

/* The document's content as the principal may see it (an SpDbFunc): a modulo
 * shows sensitive values only with SP_PRATICA_VIEW_FULL, as the detail does,
 * so the others get it drawn again without them; everything else is
 * streamed with the one reader of a document's bytes (sp_db_document_read()). */
static gpointer
document_content (PGconn   *conn,
                  gpointer  data,
                  GError  **error)
{
  SpPraticaRequest *request = data;
  g_autoptr(SpDbQuery) sql = NULL;
  g_autoptr(SpDbScope) scope = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(SpDocumentContent) content = NULL;
  SpPraticaView view = SP_PRATICA_VIEW_NONE;

  sql = sp_db_query_new ("SELECT d.filename, d.mime_type, d.sha256, d.id, d.size, d.kind,"
                         "       p.servizio_id, coalesce (p.assigned_to, 0)"
                         " FROM document d JOIN pratica p ON p.id = d.pratica_id"
                         " WHERE p.id = ");
  sp_db_query_append_param (sql, request->pratica_id, "uuid");
  sp_db_query_append (sql, " AND d.id = ");
  sp_db_query_append_param (sql, request->document_id, "uuid");
  sp_db_query_append (sql, " AND ");
  scope = sp_db_scope_new_in (request->principal, sql);
  sp_db_scope_append (scope, sql, "p.servizio_id");

  if (!(result = sp_db_query_exec (conn, sql, error)))
    return NULL;
  if (PQntuples (result) == 1)
    view = sp_principal_view_pratica (request->principal, sp_db_get_int64 (result, 0, 6),
                                      sp_db_get_int64 (result, 0, 7));
  if (view == SP_PRATICA_VIEW_NONE)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such document");
      return NULL;
    }

  content = g_new0 (SpDocumentContent, 1);
  content->filename = g_strdup (sp_db_get (result, 0, 0));
  content->mime_type = g_strdup (sp_db_get (result, 0, 1));
  if (g_str_equal (sp_db_get (result, 0, 5), "modulo") && view != SP_PRATICA_VIEW_FULL)
    {
      /* Drawn again without what the reader may not see, but not here: the
       * data is read now, the drawing done by the caller on the CPU workers. */
      if (!(content->modulo = sp_db_modulo_source (conn, request->pratica_id, error)))
        return NULL;
      content->modulo->mask_sensitive = TRUE;
      content->mime_type = (g_free (content->mime_type), g_strdup ("application/pdf"));
    }
  else
    {
      content->sha256 = g_strdup (sp_db_get (result, 0, 2));
      content->size = sp_db_get_int64 (result, 0, 4);
    }
  return g_steal_pointer (&content);
}

/**
 * sp_db_pratica_run:
 * @retry: whether @func is one transaction that may run again
 * @source_tag: the typed call's _async function
 * @func: the work, given an #SpPraticaRequest
 *
 * Starts @func on a pratica for @principal, as the call @source_tag.
 */
void
sp_db_pratica_run (SpDb                *db,
                   SpDbRetry            retry,
                   gpointer             source_tag,
                   SpDbFunc             func,
                   GDestroyNotify       result_free,
                   SpPrincipal         *principal,
                   const char          *pratica_id,
                   const char          *document_id,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  sp_db_task_run (db, retry, task, func, sp_pratica_request_new (principal, pratica_id, document_id),
                  (GDestroyNotify) sp_pratica_request_free, result_free);
}

/**
 * sp_db_pratica_detail_async:
 * @pratica_id: a UUID (sp_pratica_id_is_valid())
 *
 * Reads a pratica as @principal may see it (sp_principal_view_pratica()):
 * "not found" outside its scope, sensitive values masked unless its view is
 * full.
 */
void
sp_db_pratica_detail_async (SpDb                *db,
                            SpPrincipal         *principal,
                            const char          *pratica_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  sp_db_pratica_run (db, SP_DB_ONCE, sp_db_pratica_detail_async, pratica_detail, (GDestroyNotify) sp_pratica_detail_free,
                     principal, pratica_id, NULL, cancellable, callback, user_data);
}

/* Returns: (transfer full): the #SpPraticaDetail */
SpPraticaDetail *
sp_db_pratica_detail_finish (SpDb          *db,
                             GAsyncResult  *result,
                             GError       **error)
{
  return sp_db_task_finish (result, sp_db_pratica_detail_async, error);
}

/**
 * sp_db_document_content_async:
 * @pratica_id: a UUID (sp_pratica_id_is_valid())
 * @document_id: a UUID, a document of that pratica
 *
 * Reads a document of a pratica as @principal may see it: a modulo without
 * the values of sensitive fields unless the principal's view is full.
 */
void
sp_db_document_content_async (SpDb                *db,
                              SpPrincipal         *principal,
                              const char          *pratica_id,
                              const char          *document_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (document_id != NULL);
  sp_db_pratica_run (db, SP_DB_ONCE, sp_db_document_content_async, document_content, (GDestroyNotify) sp_document_content_free,
                     principal, pratica_id, document_id, cancellable, callback, user_data);
}

/* Returns: (transfer full): the #SpDocumentContent */
SpDocumentContent *
sp_db_document_content_finish (SpDb          *db,
                               GAsyncResult  *result,
                               GError       **error)
{
  return sp_db_task_finish (result, sp_db_document_content_async, error);
}
