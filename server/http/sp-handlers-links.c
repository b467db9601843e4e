/* sp-handlers-links.c: the citizens' signed download links: check the link, stream the document */
#define G_LOG_DOMAIN "sp-links"

#include "config.h"

#include "sp-db-document-read.h"
#include "sp-handlers.h"
#include "sp-link-page.h"
#include "sp-links.h"
#include "sp-server.h"

/* A document being written to a citizen: one chunk read while none waits
 * to be written, so memory holds a chunk, not the file. */
typedef struct
{
  SpDb               *db;
  SoupServerMessage  *msg;
  char               *document_id;
  gint64              size;
  gint64              offset;
  GCancellable       *cancellable;
  gboolean            reading;
  gboolean            finished;    /* the message is done (written or dropped) */
} Download;

static void read_next (Download *download);

static void
download_free (Download *download)
{
  g_signal_handlers_disconnect_by_data (download->msg, download);
  g_object_unref (download->msg);
  g_object_unref (download->cancellable);
  g_free (download->document_id);
  g_free (download);
}

static void
reply_page (SpRequest  *request,
            guint       status,
            SpLinkPage  page)
{
  g_autofree char *html = sp_link_page_render (page, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&html), strlen (html));
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  sp_request_reply_bytes (request, status, "text/html; charset=utf-8", bytes);
}

static void
chunk_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Download *download = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = sp_db_document_read_chunk_finish (download->db, result, &error);
  SoupMessageBody *body = soup_server_message_get_response_body (download->msg);

  download->reading = FALSE;
  if (download->finished)
    {
      download_free (download);
      return;
    }
  if (chunk == NULL || g_bytes_get_size (chunk) == 0)
    {
      /* The headers are gone: cut the body short, the client sees it. */
      g_warning ("Download of document %s stopped at %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " bytes: %s",
                 download->document_id, download->offset, download->size,
                 error != NULL ? error->message : "the document is shorter than its size");
      soup_message_body_complete (body);
      soup_server_message_unpause (download->msg);
      return;
    }
  download->offset += g_bytes_get_size (chunk);
  soup_message_body_append_bytes (body, chunk);
  if (download->offset >= download->size)
    soup_message_body_complete (body);
  soup_server_message_unpause (download->msg);
}

static void
read_next (Download *download)
{
  download->reading = TRUE;
  sp_db_document_read_chunk_async (download->db, download->document_id, download->offset,
                              MIN (SP_DB_DOCUMENT_CHUNK, download->size - download->offset),
                              download->cancellable, chunk_cb, download);
}

/* The last chunk is written: read the next one. */
static void
wrote_chunk_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  Download *download = user_data;

  if (download->offset < download->size && !download->reading)
    read_next (download);
}

static void
finished_cb (SoupServerMessage *msg,
             gpointer           user_data)
{
  Download *download = user_data;

  download->finished = TRUE;
  g_cancellable_cancel (download->cancellable);
  if (!download->reading)
    download_free (download);
}

static void
head_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpDocumentHead) head = sp_db_document_head_finish (request->server->db, result, &error);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);
  GHashTable *parameters;
  Download *download;

  if (head == NULL)
    {
      if (g_error_matches (error, SP_ERROR, SP_ERROR_NOT_FOUND))
        reply_page (request, SOUP_STATUS_NOT_FOUND, SP_LINK_PAGE_GONE);
      else
        sp_request_reply_failure (request, error);
      return;
    }

  parameters = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (parameters, (gpointer) "filename", head->filename);
  soup_message_headers_set_content_disposition (headers, "attachment", parameters);
  g_hash_table_unref (parameters);
  soup_message_headers_replace (headers, "X-Content-SHA256", head->sha256);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cache-Control", "private, no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");

  download = g_new0 (Download, 1);
  download->db = request->server->db;
  download->document_id = g_strdup (sp_request_get_param (request, "document_id"));
  download->size = head->size;
  download->cancellable = g_cancellable_new ();
  download->msg = sp_request_reply_stream (request, SOUP_STATUS_OK, head->mime_type, head->size);
  g_signal_connect (download->msg, "wrote-chunk", G_CALLBACK (wrote_chunk_cb), download);
  g_signal_connect (download->msg, "finished", G_CALLBACK (finished_cb), download);
  if (download->size > 0)
    read_next (download);
  else
    soup_message_body_complete (soup_server_message_get_response_body (download->msg));
}

/* GET /d/{token}: a document for whoever holds the signed link, no account. */
void
sp_handle_link (SpRequest *request)
{
  SpLinks *links = request->server->links;
  g_autofree char *document_id = NULL;
  SpLinkCheck check;

  check = links != NULL ? sp_links_verify (links, sp_request_get_param (request, "token"),
                                           g_get_real_time () / G_USEC_PER_SEC, &document_id, NULL)
                        : SP_LINK_INVALID;
  switch (check)
    {
    case SP_LINK_OK:
      /* For head_cb, with the request. */
      g_hash_table_insert (request->params, g_strdup ("document_id"), g_steal_pointer (&document_id));
      sp_db_document_head_async (request->server->db, g_hash_table_lookup (request->params, "document_id"),
                                 request->cancellable, head_cb, request);
      return;
    case SP_LINK_EXPIRED:
      reply_page (request, SOUP_STATUS_GONE, SP_LINK_PAGE_EXPIRED);
      return;
    case SP_LINK_INVALID:
    default:
      reply_page (request, SOUP_STATUS_FORBIDDEN, SP_LINK_PAGE_INVALID);
      return;
    }
}
