/* sp-db-document-read.c: SQL that reads a document a chunk at a time, for e-mails and download links */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-document-read.h"
#include "sp-db-task.h"
#include "sp-db-util.h"
#include "sp-error.h"

/* The one statement that reads a document's bytes: document_read()
 * (server/sql/0008_protocol_mail.sql), for bytea and large objects alike. */
#define READ_SQL "SELECT document_read ($1::uuid, $2::bigint, $3::integer)"

void
sp_document_head_free (SpDocumentHead *head)
{
  if (head == NULL)
    return;
  g_free (head->filename);
  g_free (head->mime_type);
  g_free (head->sha256);
  g_free (head);
}

/**
 * sp_db_document_read:
 * @document_id: a UUID
 * @offset: from the start of the file
 * @length: at most SP_DB_DOCUMENT_CHUNK
 *
 * Returns: (transfer full): up to @length bytes from @offset (fewer at the
 *   end of the file, none past it), or %NULL with @error
 */
GBytes *
sp_db_document_read (PGconn      *conn,
                     const char  *document_id,
                     gint64       offset,
                     gsize        length,
                     GError     **error)
{
  g_autofree char *offset_text = NULL;
  g_autofree char *length_text = NULL;
  g_autoptr(PGresult) result = NULL;

  if (offset < 0 || length > SP_DB_DOCUMENT_CHUNK)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "Read outside the document");
      return NULL;
    }
  offset_text = g_strdup_printf ("%" G_GINT64_FORMAT, offset);
  length_text = g_strdup_printf ("%" G_GSIZE_FORMAT, length);
  result = sp_db_exec_binary_results (conn, READ_SQL, 3, SP_DB_PARAMS (document_id, offset_text, length_text), error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) != 1 || PQgetisnull (result, 0, 0))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such document");
      return NULL;
    }
  return g_bytes_new (PQgetvalue (result, 0, 0), (gsize) PQgetlength (result, 0, 0));
}

static gpointer
document_head (PGconn   *conn,
               gpointer  data,
               GError  **error)
{
  g_autoptr(PGresult) result = sp_db_exec (conn,
                                           "SELECT filename, mime_type, size, sha256 FROM document WHERE id = $1::uuid",
                                           1, SP_DB_PARAMS (data), error);
  SpDocumentHead *head;

  if (result == NULL)
    return NULL;
  if (PQntuples (result) != 1)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such document");
      return NULL;
    }
  head = g_new0 (SpDocumentHead, 1);
  head->filename = g_strdup (sp_db_get (result, 0, 0));
  head->mime_type = g_strdup (sp_db_get (result, 0, 1));
  head->size = sp_db_get_int64 (result, 0, 2);
  head->sha256 = g_strdup (sp_db_get (result, 0, 3));
  return head;
}

/**
 * sp_db_document_head_async:
 * @document_id: a UUID
 *
 * Reads what a download says before the bytes: name, type, size, SHA-256.
 * No scope: the caller has checked the right to the document (a signed link).
 */
void
sp_db_document_head_async (SpDb                *db,
                           const char          *document_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sp_db_document_head_async);
  sp_db_task_run (db, SP_DB_ONCE, task, document_head, g_strdup (document_id), g_free,
                  (GDestroyNotify) sp_document_head_free);
}

SpDocumentHead *
sp_db_document_head_finish (SpDb          *db,
                            GAsyncResult  *result,
                            GError       **error)
{
  return sp_db_task_finish (result, sp_db_document_head_async, error);
}

typedef struct
{
  char   *document_id;
  gint64  offset;
  gsize   length;
} ChunkRequest;

static void
chunk_request_free (ChunkRequest *request)
{
  g_free (request->document_id);
  g_free (request);
}

static gpointer
document_chunk (PGconn   *conn,
                gpointer  data,
                GError  **error)
{
  ChunkRequest *request = data;

  return sp_db_document_read (conn, request->document_id, request->offset, request->length, error);
}

/**
 * sp_db_document_read_chunk_async:
 *
 * sp_db_document_read() on the pool.
 */
void
sp_db_document_read_chunk_async (SpDb                *db,
                                 const char          *document_id,
                                 gint64               offset,
                                 gsize                length,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  ChunkRequest *request = g_new0 (ChunkRequest, 1);

  request->document_id = g_strdup (document_id);
  request->offset = offset;
  request->length = length;
  g_task_set_source_tag (task, sp_db_document_read_chunk_async);
  sp_db_task_run (db, SP_DB_ONCE, task, document_chunk, request, (GDestroyNotify) chunk_request_free,
                  (GDestroyNotify) g_bytes_unref);
}

GBytes *
sp_db_document_read_chunk_finish (SpDb          *db,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return sp_db_task_finish (result, sp_db_document_read_chunk_async, error);
}
