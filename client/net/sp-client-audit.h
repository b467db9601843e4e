/* sp-client-audit.h: SpClient's calls of the audit (search, versions, comparison, chain, log) */
#pragma once

#include <gio/gio.h>

#include "sp-audit.h"
#include "sp-audit-log.h"
#include "sp-client.h"

G_BEGIN_DECLS

void                 sp_client_audit_search_async    (SpClient             *self,
                                                      const char           *search,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray           *sp_client_audit_search_finish   (SpClient             *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void                 sp_client_audit_versions_async  (SpClient             *self,
                                                      const char           *pratica_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
SpPraticaVersions   *sp_client_audit_versions_finish (SpClient             *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void                 sp_client_audit_compare_async   (SpClient             *self,
                                                      const char           *pratica_id,
                                                      guint                 from,
                                                      guint                 to,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
SpVersionComparison *sp_client_audit_compare_finish  (SpClient             *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void                 sp_client_audit_compare_pdf_async (SpClient           *self,
                                                        const char         *pratica_id,
                                                        guint               from,
                                                        guint               to,
                                                        GFile              *destination,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
gboolean             sp_client_audit_compare_pdf_finish (SpClient          *self,
                                                        GAsyncResult       *result,
                                                        GError            **error);
void                 sp_client_audit_chain_async     (SpClient             *self,
                                                      const char           *pratica_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
SpChainCheck        *sp_client_audit_chain_finish    (SpClient             *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void                 sp_client_audit_log_async       (SpClient             *self,
                                                      const char           *pratica_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray           *sp_client_audit_log_finish      (SpClient             *self,
                                                      GAsyncResult         *result,
                                                      GError              **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
