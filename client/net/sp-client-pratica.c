/* sp-client-pratica.c: SpClient's calls about one pratica (detail, take charge, documents) */
#define G_LOG_DOMAIN "sp-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-api.h"
#include "sp-client-pratica.h"
#include "sp-client-private.h"
#include "sp-error.h"
#include "sp-json.h"

/* Fills the {pratica} and {document} segments of an SP_API_* path. */
char *
sp_client_pratica_path (const char *template,
                        const char *pratica_id,
                        const char *document_id)
{
  g_autofree char *pratica = g_uri_escape_string (pratica_id, NULL, FALSE);
  g_autofree char *document = document_id ? g_uri_escape_string (document_id, NULL, FALSE) : NULL;
  g_auto(GStrv) parts = g_strsplit (template, "{pratica}", 2);
  g_autofree char *path = g_strjoinv (pratica, parts);

  if (document != NULL)
    {
      g_auto(GStrv) document_parts = g_strsplit (path, "{document}", 2);

      g_free (path);
      path = g_strjoinv (document, document_parts);
    }
  return g_steal_pointer (&path);
}

/* Detail */

/**
 * sp_client_pratica_detail_from_node:
 * @node: the answer of a call that returns the pratica's detail
 *
 * Returns: (transfer full): the detail, or %NULL with an error for the user
 */
SpPraticaDetail *
sp_client_pratica_detail_from_node (JsonNode  *node,
                                    GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  SpPraticaDetail *detail = NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    detail = sp_pratica_detail_from_json (json_node_get_object (node), &local_error);
  if (detail == NULL)
    {
      g_debug ("Unexpected pratica detail: %s", local_error ? local_error->message : "not an object");
      g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "%s", _("The server sent a response that cannot be read."));
    }
  return detail;
}

static void
get_pratica_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  SpPraticaDetail *detail;

  if (!(node = sp_client_send_json_finish (SP_CLIENT (object), result, &error))
      || !(detail = sp_client_pratica_detail_from_node (node, &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, detail, (GDestroyNotify) sp_pratica_detail_free);
}

/**
 * sp_client_get_pratica_async:
 * @pratica_id: the pratica's UUID
 *
 * Fetches everything the *Dettaglio pratica* page shows. A pratica that does
 * not exist or is not of the operator's services fails with
 * %SP_ERROR_NOT_FOUND.
 */
void
sp_client_get_pratica_async (SpClient            *self,
                             const char          *pratica_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (pratica_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_get_pratica_async);
  if (sp_client_return_if_signed_out (self, task))
    return;

  path = sp_client_pratica_path (SP_API_PRATICA, pratica_id, NULL);
  sp_client_send_json_async (self, "GET", path, self->token, NULL, cancellable,
                             get_pratica_cb, g_steal_pointer (&task));
}

/**
 * sp_client_get_pratica_finish:
 *
 * Returns: (transfer full): the pratica, or %NULL with an error
 */
SpPraticaDetail *
sp_client_get_pratica_finish (SpClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Take charge */

/* A refusal (409) for the user, from the server's answer alone: a colleague
 * who has the pratica is named by `assigned_to`; any other cause reads as the
 * server words it in `detail` (in the ente's language), or by its title. */
static GError *
take_charge_refusal (SpClient *self,
                     GError   *error,
                     JsonNode *problem)
{
  g_autoptr(GError) owned = error;
  JsonObject *object = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem) ? json_node_get_object (problem) : NULL;
  JsonNode *assignee = object != NULL ? json_object_get_member (object, "assigned_to") : NULL;
  JsonObject *assignee_object = assignee != NULL && JSON_NODE_HOLDS_OBJECT (assignee)
                                ? json_node_get_object (assignee) : NULL;
  const char *detail = object != NULL ? sp_json_get_string (object, "detail", NULL) : NULL;

  if (object == NULL || error->domain != SP_ERROR || sp_error_get_http_status (error->code) != SOUP_STATUS_CONFLICT)
    return g_steal_pointer (&owned);

  if (g_error_matches (error, SP_ERROR, SP_ERROR_ALREADY_TAKEN) && assignee_object != NULL)
    {
      const char *username = sp_json_get_string (assignee_object, "username", NULL);
      const char *name = sp_json_get_string (assignee_object, "full_name", NULL);

      if (self->user != NULL && g_strcmp0 (username, self->user->username) == 0)
        return g_error_new_literal (SP_ERROR, error->code, _("You have already taken this pratica in charge."));
      if (name != NULL && *name != '\0')
        /* Translators: %s is the full name of the colleague */
        return g_error_new (SP_ERROR, error->code, _("The application has already been taken in charge by %s."), name);
    }
  if (detail != NULL && *detail != '\0')
    return g_error_new_literal (SP_ERROR, error->code, detail);
  return g_steal_pointer (&owned);
}

static void
take_charge_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = sp_client_send_json_finish (SP_CLIENT (object), result, &error);
  if (node == NULL)
    g_task_return_error (task, take_charge_refusal (SP_CLIENT (object), error,
                                                    sp_client_send_json_get_problem (result)));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * sp_client_take_charge_async:
 * @pratica_id: the pratica's UUID
 *
 * *Prendi in carico*: assigns the pratica to the signed-in operator. A
 * refusal is a 409, read whole from the first answer: %SP_ERROR_ALREADY_TAKEN
 * naming the colleague who has it (or saying that the operator has it),
 * %SP_ERROR_CONFLICT while the pratica waits for its protocol number,
 * %SP_ERROR_TRANSITION_NOT_ALLOWED for its status, each with the server's
 * words for the cause; or %SP_ERROR_NOT_FOUND.
 */
void
sp_client_take_charge_async (SpClient            *self,
                             const char          *pratica_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (pratica_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_take_charge_async);
  if (sp_client_return_if_signed_out (self, task))
    return;

  path = sp_client_pratica_path (SP_API_PRATICA_TAKE_CHARGE, pratica_id, NULL);
  sp_client_send_json_async (self, "POST", path, self->token, NULL, cancellable,
                             take_charge_cb, g_steal_pointer (&task));
}

gboolean
sp_client_take_charge_finish (SpClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Documents */

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
 * sp_client_download_document_async:
 * @pratica_id: the pratica's UUID
 * @document_id: the document's UUID (#SpDocumentInfo's id)
 * @destination: the file to write; replaced if it exists
 * @progress_callback: (nullable) (scope call): called with the bytes
 *   received so far and the size the server announced (-1 when unknown),
 *   first with 0, then after every chunk, in the caller's main context
 * @progress_data: data for @progress_callback, valid until @callback runs
 *
 * Downloads a document of the pratica into @destination as it arrives and
 * checks its SHA-256 against the one the server sent (X-Content-SHA256).
 * On any failure, a checksum that differs or a cancellation included, what
 * was written is deleted.
 */
void
sp_client_download_document_async (SpClient              *self,
                                   const char            *pratica_id,
                                   const char            *document_id,
                                   GFile                 *destination,
                                   GCancellable          *cancellable,
                                   GFileProgressCallback  progress_callback,
                                   gpointer               progress_data,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_autofree char *path = NULL;
  Download *download;
  GTask *task;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (pratica_id != NULL);
  g_return_if_fail (document_id != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_download_document_async);
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

  path = sp_client_pratica_path (SP_API_PRATICA_DOCUMENT, pratica_id, document_id);
  sp_client_send_stream_async (self, "GET", path, self->token, cancellable, download_send_cb, task);
}

gboolean
sp_client_download_document_finish (SpClient      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
