/* sp-audit-log-window.h: the audit's log of one pratica: who read its versions, and when */
#pragma once

#include <adwaita.h>

#include "sp-client.h"
#include "sp-pratica.h"

G_BEGIN_DECLS

#define SP_TYPE_AUDIT_LOG_WINDOW (sp_audit_log_window_get_type ())

G_DECLARE_FINAL_TYPE (SpAuditLogWindow, sp_audit_log_window, SP, AUDIT_LOG_WINDOW, AdwWindow)

SpAuditLogWindow *sp_audit_log_window_new         (SpClient         *client,
                                                   SpPraticaSummary *pratica) G_GNUC_WARN_UNUSED_RESULT;
gboolean          sp_audit_log_window_get_loading (SpAuditLogWindow *self);
guint             sp_audit_log_window_get_n_reads (SpAuditLogWindow *self);

G_END_DECLS
