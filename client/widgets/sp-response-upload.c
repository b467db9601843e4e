/* sp-response-upload.c: Elabora's response file: choose it, upload it with its progress, show it */
#define G_LOG_DOMAIN "sp-response-upload"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-client-processing.h"
#include "sp-document-row.h"
#include "sp-response-upload.h"

/*
 * The *Risposta* step of Elabora: "Scegli file…" opens a GtkFileChooserNative
 * (only `.p7m` files when the service wants a signed response) and uploads
 * the file at once, streamed, with a progress bar and a button to cancel.
 * The file uploaded shows as an SpDocumentRow (size, signer), to open or
 * save again. A refusal (too large, not a verified signature) shows below
 * the file, in the server's words or, for the size, before anything is sent.
 */

struct _SpResponseUpload
{
  AdwBin                parent_instance;

  SpClient             *client;
  char                 *pratica_id;
  gboolean              signed_required;
  GtkWidget            *document_row;    /* the file uploaded, or NULL */
  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;     /* of the upload in progress */

  GtkListBox           *list;
  GtkWidget            *empty_row;
  GtkWidget            *progress_box;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkLabel             *error_label;
  GtkButton            *choose_button;
  GtkLabel             *hint_label;
};

G_DEFINE_FINAL_TYPE (SpResponseUpload, sp_response_upload, ADW_TYPE_BIN)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_state (SpResponseUpload *self)
{
  gboolean busy = self->cancellable != NULL;

  gtk_widget_set_visible (self->progress_box, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "upload.choose", !busy && self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "upload.cancel", busy);
  gtk_button_set_label (self->choose_button,
                        self->document_row != NULL ? _("_Replace File…") : _("_Choose File…"));
}

static void
update_hint (SpResponseUpload *self)
{
  g_autofree char *limit = sp_client_format_upload_limit ();
  g_autofree char *hint = NULL;

  if (self->signed_required)
    /* Translators: %s is the largest size accepted, e.g. 25,0 MiB */
    hint = g_strdup_printf (_("This service needs a digitally signed response: a .p7m file whose signature "
                              "can be verified, up to %s."), limit);
  else
    /* Translators: %s is the largest size accepted, e.g. 25,0 MiB */
    hint = g_strdup_printf (_("Any file up to %s: the response letter is drawn by Sportello when you conclude."),
                            limit);
  gtk_label_set_text (self->hint_label, hint);
}

/**
 * sp_response_upload_set_error:
 * @message: (nullable): what is wrong, or %NULL to hide it
 */
void
sp_response_upload_set_error (SpResponseUpload *self,
                              const char       *message)
{
  g_return_if_fail (SP_IS_RESPONSE_UPLOAD (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/**
 * sp_response_upload_setup:
 * @signed_required: only a verified `.p7m` is taken (the file chooser
 *   shows only those)
 *
 * Says where the file goes.
 */
void
sp_response_upload_setup (SpResponseUpload *self,
                          SpClient         *client,
                          const char       *pratica_id,
                          gboolean          signed_required)
{
  g_return_if_fail (SP_IS_RESPONSE_UPLOAD (self));
  g_return_if_fail (SP_IS_CLIENT (client));
  g_return_if_fail (pratica_id != NULL);

  sp_response_upload_cancel (self);
  g_set_object (&self->client, client);
  g_free (self->pratica_id);
  self->pratica_id = g_strdup (pratica_id);
  self->signed_required = signed_required;
  update_hint (self);
  update_state (self);
}

/**
 * sp_response_upload_set_document:
 * @info: (nullable): the response file, or %NULL for none
 *
 * Shows @info as the file uploaded, without emitting SpResponseUpload::changed.
 */
void
sp_response_upload_set_document (SpResponseUpload     *self,
                                 const SpDocumentInfo *info)
{
  g_return_if_fail (SP_IS_RESPONSE_UPLOAD (self));

  if (self->document_row != NULL)
    {
      gtk_list_box_remove (self->list, self->document_row);
      self->document_row = NULL;
    }
  gtk_widget_set_visible (self->empty_row, info == NULL);
  if (info != NULL && self->client != NULL)
    {
      self->document_row = sp_document_row_new (self->client, self->pratica_id, info, FALSE);
      gtk_widget_set_name (self->document_row, "response-document");
      gtk_list_box_append (self->list, self->document_row);
    }
  update_state (self);
}

/**
 * sp_response_upload_get_document:
 *
 * Returns: (nullable) (transfer none): the response file, if one is uploaded
 */
const SpDocumentInfo *
sp_response_upload_get_document (SpResponseUpload *self)
{
  g_return_val_if_fail (SP_IS_RESPONSE_UPLOAD (self), NULL);

  return self->document_row != NULL ? sp_document_row_get_info (SP_DOCUMENT_ROW (self->document_row)) : NULL;
}

gboolean
sp_response_upload_is_uploading (SpResponseUpload *self)
{
  g_return_val_if_fail (SP_IS_RESPONSE_UPLOAD (self), FALSE);

  return self->cancellable != NULL;
}

void
sp_response_upload_cancel (SpResponseUpload *self)
{
  g_return_if_fail (SP_IS_RESPONSE_UPLOAD (self));

  g_cancellable_cancel (self->cancellable);
}

static void
progress_cb (goffset  current,
             goffset  total,
             gpointer user_data)
{
  SpResponseUpload *self = user_data;
  g_autofree char *current_text = sp_client_format_size (current);
  g_autofree char *total_text = sp_client_format_size (total);
  g_autofree char *text = NULL;

  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? CLAMP ((double) current / total, 0.0, 1.0) : 0.0);
  /* Translators: bytes sent of the size of the file, e.g. 1.2 MB of 3.4 MB */
  text = g_strdup_printf (_("%s of %s"), current_text, total_text);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SpResponseUpload) self = user_data;
  g_autoptr(SpDocumentInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = sp_client_upload_document_finish (SP_CLIENT (object), result, &error);
  g_clear_object (&self->cancellable);
  /* Gone meanwhile (disposed): nothing to show. */
  if (self->client == NULL)
    return;
  update_state (self);

  if (info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        sp_response_upload_set_error (self, _("The upload was cancelled."));
      else
        sp_response_upload_set_error (self, error->message);
      return;
    }

  sp_response_upload_set_document (self, info);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * sp_response_upload_upload:
 * @file: the response file
 *
 * Uploads @file; once the server has it, it is the response file and
 * SpResponseUpload::changed is emitted.
 */
void
sp_response_upload_upload (SpResponseUpload *self,
                           GFile            *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (SP_IS_RESPONSE_UPLOAD (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->client != NULL);

  if (self->cancellable != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  name = g_file_get_basename (file);
  gtk_label_set_text (self->progress_label, name);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Starting…"));
  sp_response_upload_set_error (self, NULL);
  update_state (self);
  sp_client_upload_document_async (self->client, self->pratica_id, file, self->cancellable,
                                   progress_cb, self, upload_cb, g_object_ref (self));
}

static void
chooser_response_cb (SpResponseUpload     *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    sp_response_upload_upload (self, file);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpResponseUpload *self = SP_RESPONSE_UPLOAD (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser != NULL || self->cancellable != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose the Response File"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Upload"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (self->signed_required)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _("Digitally signed files (.p7m)"));
      gtk_file_filter_add_suffix (filter, "p7m");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
    }
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sp_response_upload_cancel (SP_RESPONSE_UPLOAD (widget));
}

static void
sp_response_upload_dispose (GObject *object)
{
  SpResponseUpload *self = SP_RESPONSE_UPLOAD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_RESPONSE_UPLOAD);

  G_OBJECT_CLASS (sp_response_upload_parent_class)->dispose (object);
}

static void
sp_response_upload_finalize (GObject *object)
{
  SpResponseUpload *self = SP_RESPONSE_UPLOAD (object);

  g_free (self->pratica_id);

  G_OBJECT_CLASS (sp_response_upload_parent_class)->finalize (object);
}

static void
sp_response_upload_class_init (SpResponseUploadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_response_upload_dispose;
  object_class->finalize = sp_response_upload_finalize;

  /**
   * SpResponseUpload::changed:
   *
   * A file was uploaded: it is now the response file.
   */
  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-response-upload.ui");
  gtk_widget_class_bind_template_child (widget_class, SpResponseUpload, list);
  gtk_widget_class_bind_template_child (widget_class, SpResponseUpload, empty_row);
  gtk_widget_class_bind_template_child (widget_class, SpResponseUpload, progress_box);
  gtk_widget_class_bind_template_child (widget_class, SpResponseUpload, progress_label);
  gtk_widget_class_bind_template_child (widget_class, SpResponseUpload, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SpResponseUpload, error_label);
  gtk_widget_class_bind_template_child (widget_class, SpResponseUpload, choose_button);
  gtk_widget_class_bind_template_child (widget_class, SpResponseUpload, hint_label);

  gtk_widget_class_install_action (widget_class, "upload.choose", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "upload.cancel", NULL, cancel_action);
}

static void
sp_response_upload_init (SpResponseUpload *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_hint (self);
  update_state (self);
}
