/* sp-upload.c: a request body streamed to a private file as it arrives, size-capped and hashed on the way */
#define G_LOG_DOMAIN "sp-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>

#include "sp-error.h"
#include "sp-upload.h"

/*
 * For a route that takes a file, the body never sits in memory: libsoup's
 * accumulation is turned off, each chunk is queued and written to a file
 * of mode 0600 in the upload directory, and the reading pauses while the
 * disk lags behind (at most MAX_QUEUED chunks wait). The SHA-256 is
 * computed chunk by chunk. The file is removed when the upload is freed:
 * its handler copies what it keeps before answering.
 *
 * The upload lives on the message (object data "sp-upload") from the
 * request's headers until the dispatcher takes it (sp_upload_steal()); a
 * client that goes away frees it with its message.
 */
#define MAX_QUEUED 4
#define DATA_KEY   "sp-upload"

struct _SpUpload
{
  SoupServerMessage *msg;       /* not owned; NULL once the body is in */
  char              *path;
  GOutputStream     *output;
  GChecksum         *checksum;
  char              *sha256;
  char              *content_type;
  char              *filename;
  guint64            size;
  gsize              max_size;
  GQueue             queue;     /* GBytes waiting to be written */
  GBytes            *in_flight; /* the chunk being written */
  SpUploadRefuseFunc refuse;
  GCancellable      *cancellable;
  GError            *error;
  GTask             *closing;   /* sp_upload_close_async() waiting for the queue */
  gboolean           writing;
  gboolean           paused;
  gboolean           body_done;
};

static void write_next (SpUpload *self);

static SpUpload *
upload_ref (SpUpload *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
upload_clear (SpUpload *self)
{
  g_queue_clear_full (&self->queue, (GDestroyNotify) g_bytes_unref);
  g_clear_pointer (&self->in_flight, g_bytes_unref);
  g_clear_object (&self->output);
  if (self->path != NULL)
    g_unlink (self->path);
  g_free (self->path);
  g_clear_pointer (&self->checksum, g_checksum_free);
  g_free (self->sha256);
  g_free (self->content_type);
  g_free (self->filename);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_clear_object (&self->closing);
}

static void
upload_unref (SpUpload *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) upload_clear);
}

/**
 * sp_upload_free:
 *
 * Stops the upload and removes its file.
 */
void
sp_upload_free (SpUpload *self)
{
  if (self == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  self->msg = NULL;
  upload_unref (self);
}

static void
fail (SpUpload   *self,
      GError     *error)
{
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
  g_queue_clear_full (&self->queue, (GDestroyNotify) g_bytes_unref);
  g_cancellable_cancel (self->cancellable);
}

static void
output_closed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SpUpload *self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->closing);
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error) && self->error == NULL)
    fail (self, g_error_new (SP_ERROR, SP_ERROR_INTERNAL, "Cannot store the upload: %s", error->message));
  if (self->error != NULL)
    g_task_return_error (task, g_error_copy (self->error));
  else
    {
      self->sha256 = g_strdup (g_checksum_get_string (self->checksum));
      g_task_return_boolean (task, TRUE);
    }
  upload_unref (self);
}

/* Once the body is in and written, closes the file and answers the waiter. */
static void
maybe_close (SpUpload *self)
{
  if (self->closing == NULL || self->writing || (!g_queue_is_empty (&self->queue) && self->error == NULL))
    return;
  if (self->error != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->closing);

      g_task_return_error (task, g_error_copy (self->error));
      return;
    }
  g_output_stream_close_async (self->output, G_PRIORITY_DEFAULT, NULL, output_closed_cb, upload_ref (self));
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SpUpload *self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  g_clear_pointer (&self->in_flight, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot write the upload to %s: %s", self->path, error->message);
      fail (self, g_error_new (SP_ERROR, SP_ERROR_INTERNAL, "Cannot store the upload: %s", error->message));
    }
  write_next (self);
  maybe_close (self);
  upload_unref (self);
}

static void
write_next (SpUpload *self)
{
  GBytes *chunk;

  if (self->writing || self->error != NULL)
    return;
  if ((chunk = g_queue_pop_head (&self->queue)) == NULL)
    {
      if (self->paused && self->msg != NULL)
        {
          self->paused = FALSE;
          soup_server_message_unpause (self->msg);
        }
      return;
    }
  self->writing = TRUE;
  self->in_flight = chunk;
  g_output_stream_write_all_async (self->output, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk),
                                   G_PRIORITY_DEFAULT, self->cancellable, written_cb, upload_ref (self));
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  SpUpload *self = user_data;
  gsize length = g_bytes_get_size (chunk);

  if (self->error != NULL)
    return;
  self->size += length;
  if (self->size > self->max_size)
    {
      fail (self, g_error_new (SP_ERROR, SP_ERROR_PAYLOAD_TOO_LARGE,
                               "The file exceeds %" G_GSIZE_FORMAT " bytes", self->max_size));
      if (self->refuse != NULL)
        self->refuse (msg, self->max_size);
      return;
    }
  g_checksum_update (self->checksum, g_bytes_get_data (chunk, NULL), length);
  g_queue_push_tail (&self->queue, g_bytes_ref (chunk));
  write_next (self);
  if (g_queue_get_length (&self->queue) >= MAX_QUEUED && !self->paused)
    {
      self->paused = TRUE;
      soup_server_message_pause (msg);
    }
}

static void
got_body_cb (SoupServerMessage *msg,
             gpointer           user_data)
{
  SpUpload *self = user_data;

  self->body_done = TRUE;
  self->msg = NULL;
  g_signal_handlers_disconnect_by_data (msg, self);
}

/**
 * sp_upload_filename_from_headers:
 *
 * The name the client gave the file in `Content-Disposition` (RFC 6266;
 * `filename*` in UTF-8 too), if it is a plain one: never used as a path.
 *
 * Returns: (transfer full) (nullable): the name, or %NULL when there is none
 *   or it is not plain (a path, control characters, over 255 bytes)
 */
char *
sp_upload_filename_from_headers (SoupMessageHeaders *headers)
{
  g_autoptr(GHashTable) params = NULL;
  const char *name;

  if (!soup_message_headers_get_content_disposition (headers, NULL, &params)
      || (name = g_hash_table_lookup (params, "filename")) == NULL)
    return NULL;
  if (!g_utf8_validate (name, -1, NULL) || *name == '\0' || strlen (name) > 255
      || strpbrk (name, "/\\") != NULL || g_str_equal (name, ".") || g_str_equal (name, ".."))
    return NULL;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return NULL;
  return g_strdup (name);
}

/**
 * sp_upload_begin:
 * @msg: a request whose headers are in and whose body is not
 * @dir: (nullable): where to write the file (the system's temporary directory
 *   if %NULL or empty)
 * @max_size: the largest file accepted
 * @refuse: (nullable): answers @msg at once when its body grows past @max_size
 *
 * Streams the body of @msg to a new file from now on. The upload is kept on
 * the message until sp_upload_steal().
 *
 * Returns: (transfer none): the upload, or %NULL with @error set
 */
SpUpload *
sp_upload_begin (SoupServerMessage   *msg,
                 const char          *dir,
                 gsize                max_size,
                 SpUploadRefuseFunc   refuse,
                 GError             **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autofree char *template = g_build_filename (dir != NULL && *dir != '\0' ? dir : g_get_tmp_dir (),
                                                "sportello-upload-XXXXXX", NULL);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  SpUpload *self;
  int fd;

  if ((fd = g_mkstemp_full (template, O_WRONLY | O_CLOEXEC, 0600)) < 0)
    {
      int saved = errno;

      g_set_error (error, SP_ERROR, SP_ERROR_UNAVAILABLE, "Cannot store uploads now");
      g_warning ("Cannot create an upload file in %s: %s", template, g_strerror (saved));
      return NULL;
    }

  self = g_atomic_rc_box_new0 (SpUpload);
  self->msg = msg;
  self->path = g_steal_pointer (&template);
  self->output = g_unix_output_stream_new (fd, TRUE);
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  self->cancellable = g_cancellable_new ();
  self->max_size = max_size;
  self->refuse = refuse;
  self->content_type = g_strdup (content_type != NULL ? content_type : "application/octet-stream");
  self->filename = sp_upload_filename_from_headers (headers);
  g_queue_init (&self->queue);

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self);
  g_signal_connect (msg, "got-body", G_CALLBACK (got_body_cb), self);
  g_object_set_data_full (G_OBJECT (msg), DATA_KEY, self, (GDestroyNotify) sp_upload_free);
  return self;
}

/**
 * sp_upload_steal:
 * @msg: a request whose body is in (its handler runs)
 *
 * Returns: (transfer full) (nullable): the upload of @msg, now the caller's
 */
SpUpload *
sp_upload_steal (SoupServerMessage *msg)
{
  SpUpload *self = g_object_steal_data (G_OBJECT (msg), DATA_KEY);

  /* libsoup runs the handler from its own "got-body" handler, which may
   * come before the upload's. */
  if (self != NULL && self->msg != NULL)
    got_body_cb (msg, self);
  return self;
}

/**
 * sp_upload_close_async:
 *
 * Waits for the whole body to be written, then closes the file; the SHA-256
 * is known from then on.
 */
void
sp_upload_close_async (SpUpload            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, sp_upload_close_async);
  g_return_if_fail (self->closing == NULL);
  if (!self->body_done && self->error == NULL)
    fail (self, g_error_new_literal (SP_ERROR, SP_ERROR_INVALID_INPUT, "The body is incomplete"));
  self->closing = task;
  maybe_close (self);
}

gboolean
sp_upload_close_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
sp_upload_get_path (SpUpload *self)
{
  return self->path;
}

guint64
sp_upload_get_size (SpUpload *self)
{
  return self->size;
}

/**
 * sp_upload_get_sha256:
 *
 * Returns: (nullable): the hex SHA-256 of the file, once closed
 */
const char *
sp_upload_get_sha256 (SpUpload *self)
{
  return self->sha256;
}

const char *
sp_upload_get_content_type (SpUpload *self)
{
  return self->content_type;
}

/**
 * sp_upload_get_filename:
 *
 * Returns: (nullable): the file's name from Content-Disposition, if plain
 */
const char *
sp_upload_get_filename (SpUpload *self)
{
  return self->filename;
}

