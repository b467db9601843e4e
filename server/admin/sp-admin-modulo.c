/* sp-admin-modulo.c: renders the moduli of load-demo and generate on a pool of threads, as the server renders one */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include <string.h>
#include <time.h>

#include "sp-admin-modulo.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-pdf.h"

struct _SpAdminModuloPool
{
  GThreadPool *threads;
  GAsyncQueue *done;       /* of SpAdminModulo, rendered or failed */
  guint        n_threads;
};

SpAdminModulo *
sp_admin_modulo_new (const char *document_id,
                     const char *pratica_id)
{
  SpAdminModulo *modulo = g_new0 (SpAdminModulo, 1);

  modulo->document = g_new0 (SpAdminDocument, 1);
  modulo->document->id = g_strdup (document_id);
  modulo->document->pratica_id = g_strdup (pratica_id);
  return modulo;
}

void
sp_admin_modulo_free (SpAdminModulo *modulo)
{
  if (modulo == NULL)
    return;
  g_free (modulo->ente_name);
  g_free (modulo->place_name);
  g_free (modulo->locale);
  g_free (modulo->servizio_name);
  g_free (modulo->numero);
  g_clear_pointer (&modulo->submitted_at, g_date_time_unref);
  g_free (modulo->applicant_nome);
  g_free (modulo->applicant_cognome);
  g_free (modulo->applicant_cf);
  g_free (modulo->applicant_email);
  g_free (modulo->field_schema);
  g_free (modulo->data);
  sp_admin_document_free (modulo->document);
  g_clear_error (&modulo->error);
  g_free (modulo);
}

/**
 * sp_admin_modulo_uuid:
 * @pratica_id: a UUID, the namespace
 * @name: what the id is for within the pratica, e.g. `modulo`
 *
 * Returns: the name-based (version 5, RFC 4122) UUID of @name in the
 *   pratica: the same pratica gets the same document id every time
 */
char *
sp_admin_modulo_uuid (const char *pratica_id,
                      const char *name)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 space[16] = { 0 };
  guint8 digest[20];
  gsize length = sizeof digest;
  guint n = 0;

  for (const char *c = pratica_id; *c != '\0' && n < 32; c++)
    if (g_ascii_isxdigit (*c))
      {
        space[n / 2] |= (guint8) (g_ascii_xdigit_value (*c) << (n % 2 == 0 ? 4 : 0));
        n++;
      }
  g_checksum_update (sha1, space, sizeof space);
  g_checksum_update (sha1, (const guchar *) name, strlen (name));
  g_checksum_get_digest (sha1, digest, &length);
  digest[6] = (digest[6] & 0x0f) | 0x50;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6],
                          digest[7], digest[8], digest[9], digest[10], digest[11], digest[12], digest[13],
                          digest[14], digest[15]);
}

/* In a worker thread: everything it reads belongs to @self. */
static gboolean
render (SpAdminModulo  *self,
        GError        **error)
{
  g_autoptr(JsonNode) schema = sp_json_parse (self->field_schema, strlen (self->field_schema), error);
  g_autoptr(JsonNode) data = schema != NULL ? sp_json_parse (self->data, strlen (self->data), error) : NULL;
  SpAdminDocument *document = self->document;
  SpModulo modulo = { NULL };
  GBytes *pdf;

  if (data == NULL)
    {
      g_prefix_error (error, "The modulo of pratica %s: ", self->numero);
      return FALSE;
    }
  modulo.locale = self->locale;
  modulo.time_zone = "Europe/Rome";
  modulo.ente_name = self->ente_name;
  modulo.place_name = self->place_name;
  modulo.servizio_name = self->servizio_name;
  modulo.numero = self->numero;
  modulo.submitted_at = self->submitted_at;
  modulo.applicant_nome = self->applicant_nome;
  modulo.applicant_cognome = self->applicant_cognome;
  modulo.applicant_cf = self->applicant_cf;
  modulo.applicant_email = self->applicant_email;
  modulo.schema = JSON_NODE_HOLDS_ARRAY (schema) ? json_node_get_array (schema) : NULL;
  modulo.data = JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  modulo.data_text = self->data;
  modulo.created_at = self->submitted_at;
  if (!(pdf = sp_pdf_render_modulo (&modulo, error)))
    {
      g_prefix_error (error, "The modulo of pratica %s: ", self->numero);
      return FALSE;
    }

  document->kind = g_strdup ("modulo");
  document->filename = g_strdup_printf ("modulo-%s.pdf", self->numero);
  document->mime_type = g_strdup ("application/pdf");
  document->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  document->created_at = g_date_time_ref (self->submitted_at);
  document->content = pdf;
  return TRUE;
}

/* CPU time, not wall time: the machine may be busy with more than us. */
static gint64
thread_cpu_usec (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now) != 0)
    return 0;
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static void
render_cb (gpointer data,
           gpointer user_data)
{
  SpAdminModulo *modulo = data;
  SpAdminModuloPool *self = user_data;
  gint64 start = thread_cpu_usec ();

  render (modulo, &modulo->error);
  modulo->render_usec = thread_cpu_usec () - start;
  g_async_queue_push (self->done, modulo);
}

/**
 * sp_admin_modulo_pool_new:
 * @n_threads: how many moduli to draw at once, e.g. g_get_num_processors()
 */
SpAdminModuloPool *
sp_admin_modulo_pool_new (guint    n_threads,
                          GError **error)
{
  g_autoptr(SpAdminModuloPool) self = g_new0 (SpAdminModuloPool, 1);
  GError *local_error = NULL;

  self->n_threads = MAX (n_threads, 1);
  self->done = g_async_queue_new_full ((GDestroyNotify) sp_admin_modulo_free);
  /* Exclusive threads, started now: it may return a pool with fewer of them and the error set. */
  self->threads = g_thread_pool_new_full (render_cb, self, (GDestroyNotify) sp_admin_modulo_free,
                                          (int) self->n_threads, TRUE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_prefixed_error (error, local_error, "Cannot start the threads that render the moduli: ");
      return NULL;
    }
  return g_steal_pointer (&self);
}

guint
sp_admin_modulo_pool_get_n_threads (SpAdminModuloPool *self)
{
  return self->n_threads;
}

/**
 * sp_admin_modulo_pool_push:
 * @modulo: (transfer full): to render
 */
void
sp_admin_modulo_pool_push (SpAdminModuloPool *self,
                           SpAdminModulo     *modulo)
{
  g_thread_pool_push (self->threads, modulo, NULL);
}

/**
 * sp_admin_modulo_pool_pop:
 *
 * Waits for the next modulo done, in the order they finish: check its
 * @error. Call it only as many times as moduli were pushed.
 *
 * Returns: (transfer full): the modulo
 */
SpAdminModulo *
sp_admin_modulo_pool_pop (SpAdminModuloPool *self)
{
  return g_async_queue_pop (self->done);
}

/**
 * sp_admin_modulo_pool_free:
 *
 * Drops the moduli not started yet, waits for those being drawn and frees
 * every one not popped.
 */
void
sp_admin_modulo_pool_free (SpAdminModuloPool *self)
{
  if (self == NULL)
    return;
  if (self->threads != NULL)
    g_thread_pool_free (self->threads, TRUE, TRUE);
  g_async_queue_unref (self->done);
  g_free (self);
}
