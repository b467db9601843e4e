/* sp-modulo-source.c: the owned data of a modulo PDF, and its rendering as CPU work */
#define G_LOG_DOMAIN "sp-pdf"

#include "config.h"

#include "sp-modulo-source.h"
#include "sp-pdf.h"

void
sp_modulo_source_free (SpModuloSource *source)
{
  if (source == NULL)
    return;
  g_free (source->locale);
  g_free (source->ente_name);
  g_free (source->place_name);
  g_free (source->servizio_name);
  g_free (source->numero);
  g_clear_pointer (&source->submitted_at, g_date_time_unref);
  g_free (source->applicant_nome);
  g_free (source->applicant_cognome);
  g_free (source->applicant_cf);
  g_free (source->applicant_email);
  g_clear_pointer (&source->schema, json_node_unref);
  g_clear_pointer (&source->data, json_node_unref);
  g_free (source->data_text);
  g_free (source);
}

/**
 * sp_modulo_source_filename:
 *
 * Returns: the name the modulo is saved under, `modulo-<numero>.pdf`
 */
char *
sp_modulo_source_filename (SpModuloSource *source)
{
  return g_strdup_printf ("modulo-%s.pdf", source->numero);
}

/**
 * sp_modulo_source_render:
 *
 * Draws the modulo: CPU work, for a thread that holds no database connection.
 *
 * Returns: (transfer full): the PDF, or %NULL with @error set
 */
GBytes *
sp_modulo_source_render (SpModuloSource  *source,
                         GError         **error)
{
  SpModulo modulo = { NULL };

  modulo.locale = source->locale;
  modulo.ente_name = source->ente_name;
  modulo.place_name = source->place_name;
  modulo.servizio_name = source->servizio_name;
  modulo.numero = source->numero;
  modulo.submitted_at = source->submitted_at;
  modulo.applicant_nome = source->applicant_nome;
  modulo.applicant_cognome = source->applicant_cognome;
  modulo.applicant_cf = source->applicant_cf;
  modulo.applicant_email = source->applicant_email;
  modulo.schema = source->schema != NULL && JSON_NODE_HOLDS_ARRAY (source->schema)
                  ? json_node_get_array (source->schema) : NULL;
  modulo.data = source->data != NULL && JSON_NODE_HOLDS_OBJECT (source->data)
                ? json_node_get_object (source->data) : NULL;
  modulo.data_text = source->data_text;
  modulo.mask_sensitive = source->mask_sensitive;
  modulo.created_at = source->submitted_at;
  return sp_pdf_render_modulo (&modulo, error);
}

/**
 * sp_modulo_source_render_work: (SpWorkFunc)
 * @source: an #SpModuloSource, not changed
 *
 * sp_modulo_source_render() for sp_workers_run_async().
 *
 * Returns: (transfer full): the PDF as #GBytes
 */
gpointer
sp_modulo_source_render_work (gpointer       source,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return sp_modulo_source_render (source, error);
}
