/* sp-client-download.c: SpClient's downloads: a file from the server, streamed to disk, its SHA-256 checked */
#define G_LOG_DOMAIN "sp-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sp-client-private.h"
#include "sp-error.h"


#define CHUNK_SIZE (64 * 1024)

typedef struct
{
  GFile                 *destination;
  GFileProgressCallback  progress_callback;
  gpointer               progress_data;
  SoupMessage           *message;
  GInputStream          *input;
  GOutputStream         *output;
  GChecksum             *checksum;
  GBytes                *chunk;           /* being written */
  char                  *expected_sha256;
  goffset                received;
  goffset                total;           /* -1 when the server did not say */
  GError                *error;           /* the failure being cleaned up */
} Download;

static void
download_free (gpointer data)
{
  Download *download = data;

  g_clear_object (&download->destination);
  g_clear_object (&download->message);
  g_clear_object (&download->input);
  g_clear_object (&download->output);
  g_clear_pointer (&download->checksum, g_checksum_free);
  g_clear_pointer (&download->chunk, g_bytes_unref);
  g_free (download->expected_sha256);
  g_clear_error (&download->error);
  g_free (download);
}

static void read_next (GTask *task);

static void
delete_partial_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_file_delete_finish (G_FILE (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_autofree char *name = g_file_get_parse_name (download->destination);

      g_warning ("Cannot delete the partial download %s: %s", name, error->message);
    }
  g_task_return_error (task, g_steal_pointer (&download->error));
}

static void
close_partial_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);

  g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, NULL);
  /* Not cancellable: the cancellable may be why it failed. */
  g_file_delete_async (download->destination, G_PRIORITY_DEFAULT, NULL, delete_partial_cb, task);
}

/* Fails the download with @error (owned) after deleting what was written. */
static void
fail (GTask  *task,
      GError *error)
{
  Download *download = g_task_get_task_data (task);

  g_clear_error (&download->error);
  download->error = error;

  if (download->output == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&download->error));
      g_object_unref (task);
      return;
    }

  if (download->input != NULL)
    g_input_stream_close_async (download->input, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_output_stream_close_async (download->output, G_PRIORITY_DEFAULT, NULL, close_partial_cb, task);
}

static GError *
write_error (Download     *download,
             const GError *error)
{
  g_autofree char *name = g_file_get_parse_name (download->destination);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  g_debug ("Cannot write %s: %s", name, error->message);
  /* Translators: the file name, then the reason */
  return g_error_new (SP_ERROR, SP_ERROR_INTERNAL, _("The file “%s” cannot be written: %s."),
                      name, error->message);
}

static void
close_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *sha256;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      fail (task, write_error (download, error));
      return;
    }

  sha256 = g_checksum_get_string (download->checksum);
  if ((download->total >= 0 && download->received != download->total)
      || g_ascii_strcasecmp (sha256, download->expected_sha256) != 0)
    {
      g_debug ("Download damaged: %" G_GOFFSET_FORMAT " of %" G_GOFFSET_FORMAT " bytes, SHA-256 %s, expected %s",
               download->received, download->total, sha256, download->expected_sha256);
      fail (task, g_error_new (SP_ERROR, SP_ERROR_INTERNAL, "%s",
                               _("The downloaded file is damaged: its checksum does not match the one of the server. Try again.")));
      return;
    }

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, &error))
    {
      fail (task, write_error (download, error));
      return;
    }

  download->received += written;
  if (download->progress_callback != NULL)
    download->progress_callback (download->received, download->total, download->progress_data);
  read_next (task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size = 0;
  const guint8 *data;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      fail (task, sp_client_transfer_error (g_task_get_source_object (task), download->message, error));
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      g_output_stream_close_async (download->output, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                                   close_cb, task);
      return;
    }

  g_checksum_update (download->checksum, data, size);
  g_clear_pointer (&download->chunk, g_bytes_unref);
  download->chunk = g_steal_pointer (&bytes);
  g_output_stream_write_all_async (download->output, data, size, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), write_cb, task);
}

static void
read_next (GTask *task)
{
  Download *download = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (download->input, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, task);
}

static void
replace_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GFileOutputStream *output;

  output = g_file_replace_finish (G_FILE (object), result, &error);
  if (output == NULL)
    {
      fail (task, write_error (download, error));
      return;
    }
  download->output = G_OUTPUT_STREAM (output);

  if (download->progress_callback != NULL)
    download->progress_callback (0, download->total, download->progress_data);
  read_next (task);
}

static void
download_send_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  const char *sha256;

  download->input = sp_client_send_stream_finish (SP_CLIENT (object), result, &download->message, &error);
  if (download->input == NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  headers = soup_message_get_response_headers (download->message);
  sha256 = soup_message_headers_get_one (headers, "X-Content-SHA256");
  if (sha256 == NULL || strlen (sha256) != 64)
    {
      g_debug ("Document without a valid X-Content-SHA256: %s", sha256 ? sha256 : "none");
      g_input_stream_close_async (download->input, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      fail (task, g_error_new (SP_ERROR, SP_ERROR_INTERNAL, "%s",
                               _("The server sent a response that cannot be read.")));
      return;
    }
  download->expected_sha256 = g_strdup (sha256);
  download->total = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
                    ? soup_message_headers_get_content_length (headers) : -1;

  g_file_replace_async (download->destination, NULL, FALSE, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT,
                        g_task_get_cancellable (task), replace_cb, task);
}

/**
 * sp_client_download_async:
 * @path: what to GET
 * @accept: the media types to ask for (`Accept`)
 * @destination: the file to write; replaced if it exists
 * @progress_callback: (nullable) (scope call): called with the bytes
 *   received so far and the size the server announced (-1 when unknown),
 *   first with 0, then after every chunk, in the caller's main context
 * @progress_data: data for @progress_callback, valid until @callback runs
 * @source_tag: the public call's, for its _finish()
 *
 * Downloads @path into @destination as it arrives and checks its SHA-256
 * against the one the server sent (X-Content-SHA256). On any failure, a
 * checksum that differs or a cancellation included, what was written is
 * deleted.
 */
void
sp_client_download_async (SpClient              *self,
                          const char            *path,
                          const char            *accept,
                          GFile                 *destination,
                          GCancellable          *cancellable,
                          GFileProgressCallback  progress_callback,
                          gpointer               progress_data,
                          gpointer               source_tag,
                          GAsyncReadyCallback    callback,
                          gpointer               user_data)
{
  Download *download;
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  download = g_new0 (Download, 1);
  download->destination = g_object_ref (destination);
  download->progress_callback = progress_callback;
  download->progress_data = progress_data;
  download->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  download->total = -1;
  g_task_set_task_data (task, download, download_free);

  if (sp_client_return_if_signed_out (self, task))
    {
      g_object_unref (task);
      return;
    }
  sp_client_send_stream_async (self, "GET", path, self->token, accept, cancellable, download_send_cb, task);
}

gboolean
sp_client_download_finish (SpClient      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
