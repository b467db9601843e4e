/* sp-document-row.c: a document of a pratica, to save or open, with download progress */
#define G_LOG_DOMAIN "sp-document-row"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "sp-client-pratica.h"
#include "sp-client-processing.h"
#include "sp-document-row.h"

/*
 * "Scarica" asks where to save the file (GtkFileChooserNative) and downloads
 * it there; "Apri" downloads it into the session's private folder
 * (sp_client_get_private_dir(), deleted at sign-out and exit) and opens it
 * with the default application. While a download runs, a progress bar and a
 * cancel button replace the buttons. Outcomes are toasts in the nearest
 * AdwToastOverlay.
 */

typedef enum
{
  MODE_SAVE,
  MODE_OPEN,
} Mode;

struct _SpDocumentRow
{
  AdwActionRow          parent_instance;

  SpClient             *client;
  char                 *pratica_id;
  SpDocumentInfo       *info;

  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;    /* of the download in progress */
  GFile                *target;
  Mode                  mode;

  GtkImage             *icon;
  GtkStack             *stack;
  GtkButton            *open_button;
  GtkButton            *save_button;
  GtkProgressBar       *progress_bar;
};

G_DEFINE_FINAL_TYPE (SpDocumentRow, sp_document_row, ADW_TYPE_ACTION_ROW)

/**
 * sp_document_kind_label:
 * @kind: modulo, risposta or allegato
 *
 * Returns: what the kind is called in the user's language
 */
const char *
sp_document_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "modulo") == 0)
    return C_("document kind", "Form");
  if (g_strcmp0 (kind, "risposta") == 0)
    return C_("document kind", "Response");
  if (g_strcmp0 (kind, "allegato") == 0)
    return C_("document kind", "Attachment");
  return kind;
}

static const char *
kind_icon (const char *kind)
{
  if (g_strcmp0 (kind, "risposta") == 0)
    return "emblem-documents-symbolic";
  if (g_strcmp0 (kind, "allegato") == 0)
    return "mail-attachment-symbolic";
  return "x-office-document-symbolic";
}

/**
 * sp_document_safe_filename:
 *
 * The document's file name with nothing that could make it a path or upset a
 * file system: no separators, control or reserved characters, no leading
 * dots, at most 200 bytes (DESIGN.md §8: names from uploads are never paths).
 *
 * Returns: a name to save the document as
 */
char *
sp_document_safe_filename (const SpDocumentInfo *info)
{
  g_autoptr(GString) name = g_string_new (NULL);
  const char *filename = info->filename;

  if (filename != NULL && g_utf8_validate (filename, -1, NULL))
    for (const char *p = filename; *p != '\0'; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        if (c < 0x20 || c == 0x7f || (c < 0x80 && strchr ("/\\:*?\"<>|", (char) c) != NULL))
          g_string_append_c (name, '_');
        else if (name->len + 6 <= 200)
          g_string_append_unichar (name, c);
      }

  g_strstrip (name->str);
  g_string_set_size (name, strlen (name->str));
  while (name->str[0] == '.')
    g_string_erase (name, 0, 1);

  if (name->len == 0)
    g_string_printf (name, "document-%.8s", info->id != NULL ? info->id : "");
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static SpDocumentInfo *
info_copy (const SpDocumentInfo *info)
{
  SpDocumentInfo *copy = g_new0 (SpDocumentInfo, 1);

  copy->id = g_strdup (info->id);
  copy->kind = g_strdup (info->kind);
  copy->filename = g_strdup (info->filename);
  copy->mime_type = g_strdup (info->mime_type);
  copy->size = info->size;
  copy->sha256 = g_strdup (info->sha256);
  copy->signer = g_strdup (info->signer);
  copy->created_at = info->created_at != NULL ? g_date_time_ref (info->created_at) : NULL;
  return copy;
}

static void
show_toast (SpDocumentRow *self,
            const char    *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_message ("%s", text);
      return;
    }
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
update_state (SpDocumentRow *self)
{
  gboolean busy = self->cancellable != NULL;

  gtk_stack_set_visible_child_name (self->stack, busy ? "progress" : "buttons");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "document.save", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "document.open", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "document.cancel", busy);
}

static void
progress_cb (goffset  current,
             goffset  total,
             gpointer user_data)
{
  SpDocumentRow *self = user_data;
  g_autofree char *current_text = sp_client_format_size (current);
  g_autofree char *text = NULL;

  if (total > 0)
    {
      g_autofree char *total_text = sp_client_format_size (total);

      gtk_progress_bar_set_fraction (self->progress_bar, CLAMP ((double) current / total, 0.0, 1.0));
      /* Translators: bytes received of the size of the file, e.g. 1.2 MB of 3.4 MB */
      text = g_strdup_printf (_("%s of %s"), current_text, total_text);
    }
  else
    {
      gtk_progress_bar_pulse (self->progress_bar);
      text = g_strdup (current_text);
    }
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SpDocumentRow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_autofree char *text = NULL;

      g_debug ("Cannot open %s: %s", self->info->filename, error->message);
      /* Translators: the name of a file, then the reason */
      text = g_strdup_printf (_("“%s” cannot be opened: %s"), self->info->filename, error->message);
      show_toast (self, text);
    }
}

static void
open_file (SpDocumentRow *self)
{
  g_autoptr(GAppLaunchContext) context = NULL;
  g_autofree char *uri = g_file_get_uri (self->target);

  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self))));
  g_app_info_launch_default_for_uri_async (uri, context, NULL, launch_cb, g_object_ref (self));
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SpDocumentRow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done;

  done = sp_client_download_document_finish (SP_CLIENT (object), result, &error);
  g_clear_object (&self->cancellable);
  update_state (self);

  if (!done)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      return;
    }

  if (self->mode == MODE_OPEN)
    {
      open_file (self);
    }
  else
    {
      g_autofree char *name = g_file_get_basename (self->target);
      g_autofree char *text = NULL;

      /* Translators: the name of the saved file */
      text = g_strdup_printf (_("“%s” saved"), name);
      show_toast (self, text);
    }
}

static void
start_download (SpDocumentRow *self,
                GFile         *file,
                Mode           mode)
{
  if (self->cancellable != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  self->mode = mode;
  g_set_object (&self->target, file);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  update_state (self);

  sp_client_download_document_async (self->client, self->pratica_id, self->info->id, file,
                                     self->cancellable, progress_cb, self,
                                     download_cb, g_object_ref (self));
}

static void
chooser_response_cb (SpDocumentRow        *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL)
    start_download (self, file, MODE_SAVE);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpDocumentRow *self = SP_DOCUMENT_ROW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *name = sp_document_safe_filename (self->info);
  const char *downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Save Document"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  if (downloads != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (downloads);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
    }
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* <the session's private folder>/<document id>/<file name> */
static GFile *
private_file (SpDocumentRow *self,
              GError       **error)
{
  g_autofree char *name = sp_document_safe_filename (self->info);
  g_autofree char *id = NULL;
  g_autofree char *dir = NULL;
  const char *private_dir = sp_client_get_private_dir (self->client, error);
  gboolean id_is_safe = self->info->id != NULL && *self->info->id != '\0'
                        && strspn (self->info->id, "0123456789abcdefABCDEF-") == strlen (self->info->id);

  if (private_dir == NULL)
    return NULL;

  id = id_is_safe ? g_strdup (self->info->id)
                  : g_compute_checksum_for_string (G_CHECKSUM_SHA256, self->info->id ? self->info->id : "", -1);
  dir = g_build_filename (private_dir, id, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   /* Translators: a folder, then the reason */
                   _("The folder “%s” cannot be created: %s."), dir, g_strerror (saved_errno));
      return NULL;
    }
  return g_file_new_build_filename (dir, name, NULL);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpDocumentRow *self = SP_DOCUMENT_ROW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = private_file (self, &error);

  if (file == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  start_download (self, file, MODE_OPEN);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sp_document_row_cancel (SP_DOCUMENT_ROW (widget));
}

static void
sp_document_row_dispose (GObject *object)
{
  SpDocumentRow *self = SP_DOCUMENT_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->client);
  g_clear_object (&self->target);

  G_OBJECT_CLASS (sp_document_row_parent_class)->dispose (object);
}

static void
sp_document_row_finalize (GObject *object)
{
  SpDocumentRow *self = SP_DOCUMENT_ROW (object);

  g_free (self->pratica_id);
  g_clear_pointer (&self->info, sp_document_info_free);

  G_OBJECT_CLASS (sp_document_row_parent_class)->finalize (object);
}

static void
sp_document_row_class_init (SpDocumentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_document_row_dispose;
  object_class->finalize = sp_document_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-document-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SpDocumentRow, icon);
  gtk_widget_class_bind_template_child (widget_class, SpDocumentRow, stack);
  gtk_widget_class_bind_template_child (widget_class, SpDocumentRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, SpDocumentRow, save_button);
  gtk_widget_class_bind_template_child (widget_class, SpDocumentRow, progress_bar);

  gtk_widget_class_install_action (widget_class, "document.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "document.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "document.cancel", NULL, cancel_action);
}

static void
sp_document_row_init (SpDocumentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_state (self);
}

static char *
describe (const SpDocumentInfo *info)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (parts, g_strdup (sp_document_kind_label (info->kind)));
  if (info->size >= 0)
    g_ptr_array_add (parts, sp_client_format_size (info->size));
  if (info->signer != NULL && *info->signer != '\0')
    /* Translators: %s is who signed the document */
    g_ptr_array_add (parts, g_strdup_printf (_("signed by %s"), info->signer));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

/**
 * sp_document_row_new:
 * @labelled_buttons: "Apri" and "Scarica" as text, not icons
 *
 * Returns: (transfer floating): a row for @info
 */
GtkWidget *
sp_document_row_new (SpClient             *client,
                     const char           *pratica_id,
                     const SpDocumentInfo *info,
                     gboolean              labelled_buttons)
{
  SpDocumentRow *self;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (SP_IS_CLIENT (client), NULL);
  g_return_val_if_fail (pratica_id != NULL, NULL);
  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (SP_TYPE_DOCUMENT_ROW, NULL);
  self->client = g_object_ref (client);
  self->pratica_id = g_strdup (pratica_id);
  self->info = info_copy (info);

  subtitle = describe (info);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), info->filename);
  /* A long name is cut, not the buttons: all of it is in the tooltip. */
  adw_action_row_set_title_lines (ADW_ACTION_ROW (self), 1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), info->filename);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_image_set_from_icon_name (self->icon, kind_icon (info->kind));

  if (labelled_buttons)
    {
      gtk_button_set_label (self->open_button, _("_Open"));
      gtk_button_set_label (self->save_button, _("_Download"));
      gtk_button_set_use_underline (self->open_button, TRUE);
      gtk_button_set_use_underline (self->save_button, TRUE);
    }
  else
    {
      gtk_button_set_icon_name (self->open_button, "document-open-symbolic");
      gtk_button_set_icon_name (self->save_button, "folder-download-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->open_button), "flat");
      gtk_widget_add_css_class (GTK_WIDGET (self->save_button), "flat");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->open_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Open"),
                                      -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->save_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Download"),
                                      -1);
    }

  return GTK_WIDGET (self);
}

const SpDocumentInfo *
sp_document_row_get_info (SpDocumentRow *self)
{
  g_return_val_if_fail (SP_IS_DOCUMENT_ROW (self), NULL);

  return self->info;
}

gboolean
sp_document_row_is_downloading (SpDocumentRow *self)
{
  g_return_val_if_fail (SP_IS_DOCUMENT_ROW (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * sp_document_row_save_to:
 *
 * Downloads the document into @file, as "Scarica" does once the user chose it.
 */
void
sp_document_row_save_to (SpDocumentRow *self,
                         GFile         *file)
{
  g_return_if_fail (SP_IS_DOCUMENT_ROW (self));
  g_return_if_fail (G_IS_FILE (file));

  start_download (self, file, MODE_SAVE);
}

/**
 * sp_document_row_cancel:
 *
 * Stops the download in progress, if any; what it wrote is deleted.
 */
void
sp_document_row_cancel (SpDocumentRow *self)
{
  g_return_if_fail (SP_IS_DOCUMENT_ROW (self));

  g_cancellable_cancel (self->cancellable);
}
