/* sp-compare-export.h: a comparison saved as CSV (written here) or as PDF (drawn by the server) */
#pragma once

#include <gtk/gtk.h>

#include "sp-audit.h"
#include "sp-client.h"

G_BEGIN_DECLS

/**
 * SpCompareExportFunc:
 * @file: (nullable): the file written; %NULL when the user cancelled or on @error
 * @error: (nullable): why nothing was written
 *
 * Called once, when the export ends.
 */
typedef void (*SpCompareExportFunc) (GFile        *file,
                                     const GError *error,
                                     gpointer      user_data);

GBytes *sp_compare_csv_new    (SpVersionComparison *comparison,
                               GListModel          *fields) G_GNUC_WARN_UNUSED_RESULT;
void    sp_compare_export     (GtkWidget           *widget,
                               SpClient            *client,
                               SpPraticaSummary    *pratica,
                               SpVersionComparison *comparison,
                               GListModel          *fields,
                               gboolean             pdf,
                               GCancellable        *cancellable,
                               SpCompareExportFunc  done,
                               gpointer             user_data);

G_END_DECLS
