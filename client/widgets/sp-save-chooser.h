/* sp-save-chooser.h: where to save an export: a native file chooser in the user's Documents */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkFileChooserNative *sp_save_chooser_new (GtkWidget  *widget,
                                           const char *title,
                                           const char *name,
                                           const char *filter_name,
                                           const char *mime_type,
                                           const char *suffix) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
