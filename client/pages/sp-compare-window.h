/* sp-compare-window.h: the comparison of two versions of a pratica, field by field */
#pragma once

#include <adwaita.h>

#include "sp-audit.h"
#include "sp-client.h"

G_BEGIN_DECLS

#define SP_TYPE_COMPARE_WINDOW (sp_compare_window_get_type ())

G_DECLARE_FINAL_TYPE (SpCompareWindow, sp_compare_window, SP, COMPARE_WINDOW, AdwWindow)

SpCompareWindow *sp_compare_window_new            (SpClient            *client,
                                                   SpPraticaSummary    *pratica,
                                                   GListModel          *versions,
                                                   guint                from,
                                                   guint                to) G_GNUC_WARN_UNUSED_RESULT;
void             sp_compare_window_set_comparison (SpCompareWindow     *self,
                                                   SpVersionComparison *comparison);
gboolean         sp_compare_window_get_loading    (SpCompareWindow     *self);
void             sp_compare_window_get_sides      (SpCompareWindow     *self,
                                                   guint               *from,
                                                   guint               *to);
GListModel      *sp_compare_window_get_shown      (SpCompareWindow     *self);
const guint     *sp_compare_window_get_counts     (SpCompareWindow     *self);
const char      *sp_audit_change_css_class        (SpAuditChange        change);

G_END_DECLS
