/* sp-iter-row.h: one step of a pratica's iter: status, date and time, who, note */
#pragma once

#include <gtk/gtk.h>

#include "sp-pratica-detail.h"

G_BEGIN_DECLS

GtkWidget *sp_iter_row_new (const SpIterEntry *entry,
                            gboolean           current) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
