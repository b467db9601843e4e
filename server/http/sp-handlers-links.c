/* sp-handlers-links.c: the citizens' signed download links: check the link, stream the document (sp-document-stream.c) */
#define G_LOG_DOMAIN "sp-links"

#include "config.h"

#include "sp-document-stream.h"
#include "sp-handlers.h"
#include "sp-link-page.h"
#include "sp-links.h"
#include "sp-server.h"

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
head_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpDocumentHead) head = sp_db_document_head_finish (request->server->db, result, &error);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);

  if (head == NULL)
    {
      if (g_error_matches (error, SP_ERROR, SP_ERROR_NOT_FOUND))
        reply_page (request, SOUP_STATUS_NOT_FOUND, SP_LINK_PAGE_GONE);
      else
        sp_request_reply_failure (request, error);
      return;
    }

  soup_message_headers_replace (headers, "Cache-Control", "private, no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  sp_document_stream_reply (request, sp_request_get_param (request, "document_id"), head);
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
