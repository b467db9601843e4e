/* sp-handlers-partner.c: the partner API of the manual (DESIGN.md §5): services, status, protocolli, create */
#define G_LOG_DOMAIN "sp-handlers"

#include "config.h"

#include "sp-db-partner-api.h"
#include "sp-handlers.h"
#include "sp-server.h"

static void
services_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SpRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) document = sp_db_partner_services_finish (request->server->db, result, &error);

  if (document == NULL)
    {
      sp_request_reply_failure (request, error);
      return;
    }
  sp_request_reply_bytes (request, SOUP_STATUS_OK, "application/json", document);
}

/* GET /api/v1.0/services */
void
sp_handle_partner_services (SpRequest *request)
{
  sp_db_partner_services_async (request->server->db, request->principal, request->cancellable, services_cb, request);
}
