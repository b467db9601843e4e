/* sp-document-stream.c: a document's download, streamed from the database a chunk at a time */
#define G_LOG_DOMAIN "sp-server"

#include "config.h"

#include "sp-document-stream.h"
#include "sp-server.h"

/*
 * The answer's headers go out at once, with the length; then the chunks are
 * read from the database one after the other with the one reader of a
 * document's bytes (sp_db_document_read(), each chunk a statement of its
 * own: no connection is held between them) and appended to the response, which
 * drops each once written. At most AHEAD chunks wait to be written, so the
 * memory a download takes does not grow with the file, however slow the
 * client.
 */
#define CHUNK (256 * 1024)
#define AHEAD 2

typedef struct
{
  SoupServerMessage *msg;
  SpDb              *db;
  GCancellable      *cancellable;
  char              *document_id;
  gint64             size;
  gint64             offset;     /* read so far */
  guint              waiting;    /* chunks appended, not written yet */
  gboolean           reading;
  gboolean           finished;   /* the message is done, sent or not */
} Stream;

static void read_next (Stream *stream);

static void
stream_free (Stream *stream)
{
  g_signal_handlers_disconnect_by_data (stream->msg, stream);
  g_object_unref (stream->msg);
  g_object_unref (stream->cancellable);
  g_free (stream->document_id);
  g_free (stream);
}

/* Frees the stream once nothing of it runs any more. */
static void
maybe_free (Stream *stream)
{
  if (stream->finished && !stream->reading)
    stream_free (stream);
}

/* A chunk that cannot be read: the answer cannot be finished, so the
 * connection is closed and the client sees a short body. */
static void
abort_stream (Stream       *stream,
              const GError *error)
{
  GIOStream *connection;

  g_warning ("Download of document %s stopped at %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " bytes: %s",
             stream->document_id, stream->offset, stream->size, error->message);
  stream->finished = TRUE;
  g_signal_handlers_disconnect_by_data (stream->msg, stream);
  connection = soup_server_message_steal_connection (stream->msg);
  if (connection != NULL)
    {
      g_io_stream_close (connection, NULL, NULL);
      g_object_unref (connection);
    }
}

static void
chunk_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Stream *stream = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = sp_db_document_read_chunk_finish (stream->db, result, &error);
  SoupMessageBody *body;

  stream->reading = FALSE;
  if (stream->finished)
    {
      maybe_free (stream);
      return;
    }
  if (chunk == NULL || g_bytes_get_size (chunk) == 0)
    {
      g_autoptr(GError) short_read = error == NULL ? g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                                          "the document is shorter than its size") : NULL;

      abort_stream (stream, error != NULL ? error : short_read);
      maybe_free (stream);
      return;
    }

  body = soup_server_message_get_response_body (stream->msg);
  stream->offset += g_bytes_get_size (chunk);
  stream->waiting++;
  soup_message_body_append_bytes (body, chunk);
  if (stream->offset >= stream->size)
    soup_message_body_complete (body);
  soup_server_message_unpause (stream->msg);
  read_next (stream);
}

static void
read_next (Stream *stream)
{
  if (stream->reading || stream->finished || stream->offset >= stream->size || stream->waiting >= AHEAD)
    return;
  stream->reading = TRUE;
  sp_db_document_read_chunk_async (stream->db, stream->document_id, stream->offset,
                                   MIN (CHUNK, stream->size - stream->offset), stream->cancellable, chunk_read_cb,
                                   stream);
}

static void
wrote_chunk_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  Stream *stream = user_data;

  if (stream->waiting > 0)
    stream->waiting--;
  read_next (stream);
}

static void
finished_cb (SoupServerMessage *msg,
             gpointer           user_data)
{
  Stream *stream = user_data;

  stream->finished = TRUE;
  g_cancellable_cancel (stream->cancellable);
  maybe_free (stream);
}

/**
 * sp_document_set_headers:
 * @filename: the document's name, for Content-Disposition (RFC 6266:
 *   `filename*` when it is not ASCII)
 * @sha256: (nullable): its SHA-256, for X-Content-SHA256
 *
 * The headers every document download carries.
 */
void
sp_document_set_headers (SpRequest  *request,
                         const char *filename,
                         const char *sha256)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);
  GHashTable *parameters = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (parameters, (gpointer) "filename", (gpointer) filename);
  soup_message_headers_set_content_disposition (headers, "attachment", parameters);
  g_hash_table_unref (parameters);
  if (sha256 != NULL)
    soup_message_headers_replace (headers, "X-Content-SHA256", sha256);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
}

/**
 * sp_document_stream_reply:
 * @document_id: the document
 * @head: its name, type, size and SHA-256
 *
 * Answers @request with the document: 200 with its type, length and
 * sp_document_set_headers(), then the content as it is read from the
 * database.
 */
void
sp_document_stream_reply (SpRequest            *request,
                          const char           *document_id,
                          const SpDocumentHead *head)
{
  Stream *stream = g_new0 (Stream, 1);

  sp_document_set_headers (request, head->filename, head->sha256);
  stream->msg = g_object_ref (request->msg);
  stream->db = request->server->db;
  stream->cancellable = g_cancellable_new ();
  stream->document_id = g_strdup (document_id);
  stream->size = head->size;
  g_signal_connect (stream->msg, "wrote-chunk", G_CALLBACK (wrote_chunk_cb), stream);
  g_signal_connect (stream->msg, "finished", G_CALLBACK (finished_cb), stream);

  /* The stream holds its own reference to the message. */
  g_object_unref (sp_request_reply_stream (request, SOUP_STATUS_OK, head->mime_type, head->size));
  if (head->size == 0)
    soup_message_body_complete (soup_server_message_get_response_body (stream->msg));
  read_next (stream);
}
