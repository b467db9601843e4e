/* sp-db-pratica.c: SQL for one pratica as an operator sees it: detail, iter, documents */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-dashboard.h"
#include "sp-db-pratica.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-form.h"
#include "sp-json.h"

SpPraticaRequest *
sp_pratica_request_new (gint64      account_id,
                        const char *account_name,
                        const char *pratica_id,
                        const char *document_id)
{
  SpPraticaRequest *request = g_new0 (SpPraticaRequest, 1);

  request->account_id = account_id;
  request->account_name = g_strdup (account_name);
  request->pratica_id = g_strdup (pratica_id);
  request->document_id = g_strdup (document_id);
  return request;
}

void
sp_pratica_request_free (SpPraticaRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->account_name);
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

/* The condition that keeps an operator to the services they are enabled for. */
#define OPERATOR_SCOPE \
  " EXISTS (SELECT 1 FROM account_servizio x JOIN account ac ON ac.id = x.account_id" \
  "         WHERE x.account_id = $2::bigint AND x.servizio_id = p.servizio_id AND ac.ente_id = p.ente_id)"

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
                                           " FROM document WHERE pratica_id = $1::uuid ORDER BY created_at, id",
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
load_fields (const char      *schema_text,
             const char      *data_text,
             gboolean         mask_sensitive,
             SpPraticaDetail *detail,
             GError         **error)
{
  g_autoptr(JsonNode) schema = sp_json_parse (schema_text, strlen (schema_text), error);
  g_autoptr(JsonNode) data = schema != NULL ? sp_json_parse (data_text, strlen (data_text), error) : NULL;

  if (data == NULL)
    return FALSE;
  g_ptr_array_unref (detail->fields);
  detail->fields = sp_form_flatten (JSON_NODE_HOLDS_ARRAY (schema) ? json_node_get_array (schema) : NULL,
                                    JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL,
                                    mask_sensitive);
  return TRUE;
}

/**
 * sp_db_pratica_detail: (SpDbFunc)
 * @request: an #SpPraticaRequest
 *
 * Returns: (transfer full): the #SpPraticaDetail; sensitive fields are masked
 *   unless the pratica is assigned to the operator
 */
gpointer
sp_db_pratica_detail (PGconn   *conn,
                      gpointer  data,
                      GError  **error)
{
  SpPraticaRequest *request = data;
  g_autofree char *account_id = g_strdup_printf ("%" G_GINT64_FORMAT, request->account_id);
  g_autoptr(SpPraticaDetail) detail = sp_pratica_detail_new ();
  g_autoptr(PGresult) result = NULL;

  if (!sp_db_command (conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, error))
    return NULL;

  result = sp_db_exec (conn,
                       "SELECT " SP_DB_SUMMARY_COLUMNS ","
                       "       to_json (p.protocol_date) #>> '{}', p.outcome, p.motivation,"
                       "       p.assigned_to = $2::bigint, sv.field_schema::text, p.data::text"
                       " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id"
                       " LEFT JOIN account a ON a.id = p.assigned_to"
                       " WHERE p.id = $1::uuid AND" OPERATOR_SCOPE,
                       2, SP_DB_PARAMS (request->pratica_id, account_id), error);
  if (result == NULL)
    goto failed;
  if (PQntuples (result) != 1)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      goto failed;
    }

  detail->summary = sp_db_summary_from_row (result, 0, 0);
  if (sp_db_get (result, 0, 14) != NULL)
    detail->protocol_date = g_date_time_new_from_iso8601 (sp_db_get (result, 0, 14), NULL);
  detail->outcome = g_strdup (sp_db_get (result, 0, 15));
  detail->motivation = g_strdup (sp_db_get (result, 0, 16));
  detail->assigned_to_me = sp_db_get_bool (result, 0, 17);
  detail->protocol_required = sp_db_get_bool (result, 0, 13);

  if (!load_fields (sp_db_get (result, 0, 18), sp_db_get (result, 0, 19), !detail->assigned_to_me, detail, error)
      || !load_iter (conn, request->pratica_id, detail, error)
      || !load_documents (conn, request->pratica_id, detail, error)
      || !sp_db_commit (conn, error))
    goto failed;

  return g_steal_pointer (&detail);

failed:
  sp_db_rollback (conn);
  return NULL;
}

/**
 * sp_db_document_content: (SpDbFunc)
 * @request: an #SpPraticaRequest with a document
 *
 * Returns: (transfer full): the #SpDocumentContent
 */
gpointer
sp_db_document_content (PGconn   *conn,
                        gpointer  data,
                        GError  **error)
{
  SpPraticaRequest *request = data;
  g_autofree char *account_id = g_strdup_printf ("%" G_GINT64_FORMAT, request->account_id);
  g_autoptr(PGresult) result = NULL;
  SpDocumentContent *content;
  const char *params[] = { request->pratica_id, account_id, request->document_id };

  /* Binary results: the content comes back as raw bytes. */
  result = PQexecParams (conn,
                         "SELECT d.filename, d.mime_type, d.sha256, d.content"
                         " FROM document d JOIN pratica p ON p.id = d.pratica_id"
                         " WHERE p.id = $1::uuid AND d.id = $3::uuid AND" OPERATOR_SCOPE,
                         3, NULL, params, NULL, NULL, 1);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      g_set_error (error, SP_ERROR, sp_db_connection_lost (conn) ? SP_ERROR_UNAVAILABLE : SP_ERROR_INTERNAL,
                   "Cannot read the document: %s", PQerrorMessage (conn));
      return NULL;
    }
  if (PQntuples (result) != 1)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such document");
      return NULL;
    }

  content = g_new0 (SpDocumentContent, 1);
  content->filename = g_strndup (PQgetvalue (result, 0, 0), PQgetlength (result, 0, 0));
  content->mime_type = g_strndup (PQgetvalue (result, 0, 1), PQgetlength (result, 0, 1));
  content->sha256 = g_strndup (PQgetvalue (result, 0, 2), PQgetlength (result, 0, 2));
  content->content = g_bytes_new (PQgetvalue (result, 0, 3), PQgetlength (result, 0, 3));
  return content;
}
