#pragma once

/* The request handlers; each replies through sp_request_reply_*(). */

#include "sp-db-dashboard.h"
#include "sp-request.h"

G_BEGIN_DECLS

void  sp_handle_health           (SpRequest *request);
void  sp_handle_openapi          (SpRequest *request);
void  sp_handle_login            (SpRequest *request);
void  sp_handle_logout           (SpRequest *request);
void  sp_handle_me               (SpRequest *request);
void  sp_handle_protocol_config  (SpRequest *request);
void  sp_handle_dashboard        (SpRequest *request);
void  sp_handle_pratica_detail   (SpRequest *request);
void  sp_handle_take_charge      (SpRequest *request);
void  sp_handle_document         (SpRequest *request);
void  sp_handle_upload_admit     (SpRequest *request);
void  sp_handle_upload           (SpRequest *request);
void  sp_handle_processing_save  (SpRequest *request);
void  sp_handle_conclude         (SpRequest *request);
void  sp_handle_partner_services (SpRequest *request);
void  sp_handle_partner_status   (SpRequest *request);
void  sp_handle_partner_create   (SpRequest *request);
void  sp_handle_partner_protocolli (SpRequest *request);
void  sp_handle_scheda_get       (SpRequest *request);
void  sp_handle_scheda_post      (SpRequest *request);
void  sp_handle_servizio_text    (SpRequest *request);
void  sp_handle_audit_search     (SpRequest *request);
void  sp_handle_audit_versions   (SpRequest *request);
void  sp_handle_audit_compare    (SpRequest *request);
void  sp_handle_audit_reads      (SpRequest *request);
void  sp_handle_audit_chain      (SpRequest *request);
void  sp_handle_metrics_summary  (SpRequest *request);
void  sp_handle_metrics_pratiche (SpRequest *request);
void  sp_handle_metrics_processing (SpRequest *request);
void  sp_handle_prometheus       (SpRequest *request);

/* Shared by the handlers of one pratica. */
const char *sp_handle_pratica_param (SpRequest    *request);
void        sp_handle_detail_cb     (GObject      *object,
                                     GAsyncResult *result,
                                     gpointer      user_data);
void  sp_handle_link             (SpRequest *request);

/* The dashboard's query string (bucket, sort, order, limit, cursor, q); the fuzz targets call it. */
gboolean  sp_handle_dashboard_parse (SpRequest         *request,
                                     SpDashboardQuery  *query,
                                     GError           **error);
void      sp_handle_reply_page      (SpRequest         *request,
                                     SpDashboardPage   *page);
void      sp_handle_dashboard_cb    (GObject           *object,
                                     GAsyncResult      *result,
                                     gpointer           user_data);

G_END_DECLS
