/* sp-audit-page.h: the "Audit" page: search a pratica, its versions, compare two */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_AUDIT_PAGE (sp_audit_page_get_type ())

G_DECLARE_FINAL_TYPE (SpAuditPage, sp_audit_page, SP, AUDIT_PAGE, AdwBin)

void        sp_audit_page_search             (SpAuditPage *self,
                                              const char  *text);
GListModel *sp_audit_page_get_versions       (SpAuditPage *self);
gboolean    sp_audit_page_get_chosen         (SpAuditPage *self,
                                              guint       *from,
                                              guint       *to);
void        sp_audit_page_set_chosen         (SpAuditPage *self,
                                              guint        version,
                                              gboolean     chosen);
GtkWindow  *sp_audit_page_get_compare_window (SpAuditPage *self);
GtkWindow  *sp_audit_page_get_log_window     (SpAuditPage *self);
const char *sp_audit_page_get_chain_result   (SpAuditPage *self);

G_END_DECLS
