/* sp-client-processing.c: SpClient's calls of Elabora (the response file, saving the work, concluding) */
#define G_LOG_DOMAIN "sp-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-api.h"
#include "sp-client-private.h"
#include "sp-client-processing.h"
#include "sp-error.h"
#include "sp-json.h"

/**
 * sp_client_format_size:
 * @size: bytes
 *
 * How the app writes the size of a file, in the units of the server's limit
 * (25 MiB): "24,0 MiB", never a file "over" the limit that the server takes.
 *
 * Returns: (transfer full): the size, for people
 */
char *
sp_client_format_size (goffset size)
{
  return g_format_size_full ((guint64) MAX (size, 0), G_FORMAT_SIZE_IEC_UNITS);
}

/**
 * sp_client_format_upload_limit:
 *
 * Returns: (transfer full): the largest file the server takes, for people
 */
char *
sp_client_format_upload_limit (void)
{
  return sp_client_format_size (SP_API_MAX_UPLOAD_BODY);
}

/* A refusal in the server's words: a 409 or 422 reads as the problem's
 * `detail` (worded for people, in the ente's language), and the field
 * problems of a 422 (`errors`: [{field, message}]) go to @field_errors. */
static GError *
refusal_error (GError     *error,
               JsonNode   *problem,
               JsonArray **field_errors)
{
  g_autoptr(GError) owned = error;
  JsonObject *object = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem) ? json_node_get_object (problem) : NULL;
  JsonNode *errors = object != NULL ? json_object_get_member (object, "errors") : NULL;
  const char *detail = object != NULL ? sp_json_get_string (object, "detail", NULL) : NULL;
  guint status = error->domain == SP_ERROR ? sp_error_get_http_status (error->code) : 0;

  if (status != SOUP_STATUS_CONFLICT && status != SOUP_STATUS_UNPROCESSABLE_ENTITY)
    return g_steal_pointer (&owned);

  if (field_errors != NULL && errors != NULL && JSON_NODE_HOLDS_ARRAY (errors))
    *field_errors = json_array_ref (json_node_get_array (errors));
  if (detail != NULL && *detail != '\0')
    return g_error_new_literal (SP_ERROR, error->code, detail);
  return g_steal_pointer (&owned);
}

/* The response file */

typedef struct
{
  char                  *pratica_id;
  char                  *filename;
  goffset                size;
  GFileProgressCallback  progress_callback;
  gpointer               progress_data;
} Upload;

static void
upload_free (gpointer data)
{
  Upload *upload = data;

  g_free (upload->pratica_id);
  g_free (upload->filename);
  g_free (upload);
}

static GError *
too_large_error (const char *filename,
                 goffset     size)
{
  g_autofree char *limit = sp_client_format_upload_limit ();

  if (size > 0)
    {
      g_autofree char *size_text = sp_client_format_size (size);

      /* Translators: the file's name, its size, then the largest size accepted, e.g. 25,0 MiB */
      return g_error_new (SP_ERROR, SP_ERROR_PAYLOAD_TOO_LARGE,
                          _("The file “%s” is %s: files up to %s can be uploaded."), filename, size_text, limit);
    }
  /* Translators: the file's name, then the largest size accepted, e.g. 25,0 MiB */
  return g_error_new (SP_ERROR, SP_ERROR_PAYLOAD_TOO_LARGE,
                      _("The file “%s” is too large: files up to %s can be uploaded."), filename, limit);
}

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  SpDocumentInfo *info = NULL;

  node = sp_client_send_json_finish (SP_CLIENT (object), result, &error);
  if (node == NULL)
    {
      if (g_error_matches (error, SP_ERROR, SP_ERROR_PAYLOAD_TOO_LARGE))
        {
          g_clear_error (&error);
          g_task_return_error (task, too_large_error (upload->filename, upload->size));
          return;
        }
      g_task_return_error (task, refusal_error (error, sp_client_send_json_get_problem (result), NULL));
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    info = sp_document_info_from_json (json_node_get_object (node));
  if (info == NULL)
    {
      g_task_return_new_error (task, SP_ERROR, SP_ERROR_INTERNAL, "%s",
                               _("The server sent a response that cannot be read."));
      return;
    }
  g_task_return_pointer (task, info, (GDestroyNotify) sp_document_info_free);
}

static GError *
read_error (const char   *filename,
            const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  g_debug ("Cannot read %s: %s", filename, error->message);
  /* Translators: the file name, then the reason */
  return g_error_new (SP_ERROR, SP_ERROR_INVALID_INPUT, _("The file “%s” cannot be read: %s."),
                      filename, error->message);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  SpClient *self = g_task_get_source_object (task);
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *content_type = NULL;

  stream = g_file_read_finish (G_FILE (object), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, read_error (upload->filename, error));
      g_object_unref (task);
      return;
    }
  if (sp_client_return_if_signed_out (self, task))
    {
      g_object_unref (task);
      return;
    }

  content_type = g_content_type_guess (upload->filename, NULL, 0, NULL);
  {
    g_autofree char *mime_type = g_content_type_get_mime_type (content_type);

    g_free (content_type);
    content_type = mime_type != NULL ? g_steal_pointer (&mime_type) : g_strdup ("application/octet-stream");
  }
  path = sp_client_pratica_path (SP_API_PRATICA_DOCUMENTS, upload->pratica_id, NULL);
  sp_client_send_body_async (self, "POST", path, self->token, G_INPUT_STREAM (stream), upload->size,
                             content_type, upload->filename, upload->progress_callback, upload->progress_data,
                             g_task_get_cancellable (task), uploaded_cb, task);
}

static void
query_info_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_query_info_finish (G_FILE (object), result, &error);
  if (info == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (G_FILE (object));

      g_task_return_error (task, read_error (name, error));
      g_object_unref (task);
      return;
    }

  upload->filename = g_strdup (g_file_info_get_display_name (info));
  upload->size = g_file_info_get_size (info);
  /* Refused before a byte is sent: the server would refuse it at the limit. */
  if (upload->size > SP_API_MAX_UPLOAD_BODY)
    {
      g_task_return_error (task, too_large_error (upload->filename, upload->size));
      g_object_unref (task);
      return;
    }

  g_file_read_async (G_FILE (object), G_PRIORITY_DEFAULT, g_task_get_cancellable (task), read_cb, task);
}

/**
 * sp_client_upload_document_async:
 * @pratica_id: the pratica's UUID
 * @file: the file to upload, read as it is sent
 * @progress_callback: (nullable) (scope call): called with the bytes sent
 *   so far and the file's size, in the caller's main context
 * @progress_data: data for @progress_callback, valid until @callback runs
 *
 * Uploads @file as a document of the pratica (Elabora's *Risposta*): its
 * name in `Content-Disposition`, its type guessed from the name. A file over
 * the server's limit fails with %SP_ERROR_PAYLOAD_TOO_LARGE before it is
 * sent (or when the server says so); one the service does not take (an
 * unsigned file where a verified `.p7m` is required) with
 * %SP_ERROR_VALIDATION in the server's words.
 */
void
sp_client_upload_document_async (SpClient              *self,
                                 const char            *pratica_id,
                                 GFile                 *file,
                                 GCancellable          *cancellable,
                                 GFileProgressCallback  progress_callback,
                                 gpointer               progress_data,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  GTask *task;
  Upload *upload;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (pratica_id != NULL);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_upload_document_async);
  upload = g_new0 (Upload, 1);
  upload->pratica_id = g_strdup (pratica_id);
  upload->progress_callback = progress_callback;
  upload->progress_data = progress_data;
  g_task_set_task_data (task, upload, upload_free);
  if (sp_client_return_if_signed_out (self, task))
    {
      g_object_unref (task);
      return;
    }

  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, cancellable, query_info_cb, task);
}

/**
 * sp_client_upload_document_finish:
 *
 * Returns: (transfer full): the document as the server stored it (with its
 *   signer when it is a verified `.p7m`), or %NULL with an error
 */
SpDocumentInfo *
sp_client_upload_document_finish (SpClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Saving and concluding: both answer with the detail */

static void
detail_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  SpPraticaDetail *detail;

  node = sp_client_send_json_finish (SP_CLIENT (object), result, &error);
  if (node == NULL)
    {
      JsonArray *field_errors = NULL;

      error = refusal_error (error, sp_client_send_json_get_problem (result), &field_errors);
      if (field_errors != NULL)
        g_task_set_task_data (task, field_errors, (GDestroyNotify) json_array_unref);
      g_task_return_error (task, error);
      return;
    }
  if (!(detail = sp_client_pratica_detail_from_node (node, sp_client_send_json_get_body (result), &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, detail, (GDestroyNotify) sp_pratica_detail_free);
}

static SpPraticaDetail *
detail_finish (GAsyncResult  *result,
               JsonArray    **field_errors,
               GError       **error)
{
  JsonArray *errors = g_task_get_task_data (G_TASK (result));

  if (field_errors != NULL)
    *field_errors = errors != NULL ? json_array_ref (errors) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sp_client_save_processing_async:
 * @pratica_id: the pratica's UUID
 * @processing: the work so far (saved_at and saved_by are not sent)
 *
 * *Salva*: keeps the work without concluding. A number among the steps'
 * values goes as its text (sp_processing_set_number()) when it has one.
 */
void
sp_client_save_processing_async (SpClient            *self,
                                 const char          *pratica_id,
                                 SpProcessing        *processing,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *path = NULL;
  GString *text;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (pratica_id != NULL);
  g_return_if_fail (processing != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_save_processing_async);
  if (sp_client_return_if_signed_out (self, task))
    return;

  /* Written as text, so that every number goes as the operator typed it;
   * what the server records itself (saved_at, saved_by) is not the
   * client's to say. */
  text = g_string_new (NULL);
  sp_processing_append_json (processing, FALSE, text);
  body = g_string_free_to_bytes (text);

  path = sp_client_pratica_path (SP_API_PRATICA_PROCESSING, pratica_id, NULL);
  sp_client_send_json_text_async (self, "PUT", path, self->token, body, cancellable, detail_cb,
                                  g_steal_pointer (&task));
}

/**
 * sp_client_save_processing_finish:
 * @field_errors: (out) (optional) (nullable) (transfer full): on a 422, the
 *   problems of each field (`[{field, message}]`), in the ente's language
 *
 * Returns: (transfer full): the pratica as saved, or %NULL with an error
 */
SpPraticaDetail *
sp_client_save_processing_finish (SpClient      *self,
                                  GAsyncResult  *result,
                                  JsonArray    **field_errors,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return detail_finish (result, field_errors, error);
}

/**
 * sp_client_conclude_async:
 * @pratica_id: the pratica's UUID
 *
 * *Concludi*: concludes with the work saved last. The server draws the
 * response PDF and moves the pratica on (DESIGN.md §3). A refusal is a 409
 * (already concluded) or a 422 naming what is missing, in the server's words.
 */
void
sp_client_conclude_async (SpClient            *self,
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
  g_task_set_source_tag (task, sp_client_conclude_async);
  if (sp_client_return_if_signed_out (self, task))
    return;

  path = sp_client_pratica_path (SP_API_PRATICA_CONCLUDE, pratica_id, NULL);
  sp_client_send_json_async (self, "POST", path, self->token, NULL, cancellable, detail_cb, g_steal_pointer (&task));
}

/**
 * sp_client_conclude_finish:
 * @field_errors: (out) (optional) (nullable) (transfer full): on a 422, what
 *   is missing, field by field
 *
 * Returns: (transfer full): the concluded pratica, or %NULL with an error
 */
SpPraticaDetail *
sp_client_conclude_finish (SpClient      *self,
                           GAsyncResult  *result,
                           JsonArray    **field_errors,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return detail_finish (result, field_errors, error);
}
