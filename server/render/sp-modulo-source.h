#pragma once

/* What a modulo PDF is drawn from, owned, so that the database call that
 * reads it can end before the drawing starts on a CPU worker. */

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SpModuloSource:
 *
 * The owned counterpart of #SpModulo: the pratica as submitted, and whether
 * its reader may see the values of sensitive fields. The PDF's creation date
 * is the submission time, so rendering again gives the same bytes.
 */
typedef struct
{
  char       *locale;
  char       *ente_name;
  char       *place_name;
  char       *servizio_name;
  char       *numero;
  GDateTime  *submitted_at;
  char       *applicant_nome;
  char       *applicant_cognome;
  char       *applicant_cf;
  char       *applicant_email;
  JsonNode   *schema;   /* nullable */
  JsonNode   *data;     /* nullable */
  char       *data_text;  /* nullable: the text of @data as stored, for its numbers' digits */
  gboolean    mask_sensitive;
} SpModuloSource;

void         sp_modulo_source_free        (SpModuloSource  *source);
char        *sp_modulo_source_filename    (SpModuloSource  *source) G_GNUC_WARN_UNUSED_RESULT;
GBytes      *sp_modulo_source_render      (SpModuloSource  *source,
                                           GError         **error) G_GNUC_WARN_UNUSED_RESULT;
gpointer     sp_modulo_source_render_work (gpointer         source,
                                           GCancellable    *cancellable,
                                           GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpModuloSource, sp_modulo_source_free)

G_END_DECLS
