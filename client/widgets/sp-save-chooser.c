/* sp-save-chooser.c: where to save an export: a native file chooser in the user's Documents */
#define G_LOG_DOMAIN "sp-save-chooser"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-save-chooser.h"

/* Where the file chooser opens: the user's Documents, else the home folder
 * (a fresh GTK would open the current directory, wherever the app started). */
static GFile *
export_folder (void)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (documents);
  return g_file_new_for_path (g_get_home_dir ());
}

/**
 * sp_save_chooser_new:
 * @widget: the chooser is modal to its window
 * @title: the chooser's title
 * @name: the file name it proposes
 * @filter_name: what the files are called ("CSV files")
 * @mime_type: their type
 * @suffix: their extension, without the dot
 *
 * A modal "save" chooser in the user's Documents, proposing @name; show it
 * with gtk_native_dialog_show() and read the file on "response".
 *
 * Returns: (transfer full): the chooser
 */
GtkFileChooserNative *
sp_save_chooser_new (GtkWidget  *widget,
                     const char *title,
                     const char *name,
                     const char *filter_name,
                     const char *mime_type,
                     const char *suffix)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GFile) folder = export_folder ();
  g_autoptr(GError) error = NULL;
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (!gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, &error))
    g_debug ("Cannot open the file chooser in %s: %s", g_file_peek_path (folder), error->message);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_mime_type (filter, mime_type);
  gtk_file_filter_add_suffix (filter, suffix);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  return chooser;
}
