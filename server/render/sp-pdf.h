#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SpModulo:
 * @schema: (nullable): the service's field schema
 * @data: (nullable): the form data as submitted
 * @mask_sensitive: leave out the values of sensitive fields, for a reader who
 *   may not see them (sp_principal_view_pratica())
 * @created_at: (nullable): the PDF's creation date; %NULL for now. Giving
 *   the submission time makes the same modulo render to the same bytes.
 *
 * What the compiled form of a pratica shows (the *modulo* sent to the ente
 * for protocol registration).
 */
typedef struct
{
  const char  *locale;
  const char  *time_zone;       /* nullable: Europe/Rome */
  const char  *ente_name;
  const char  *place_name;
  const char  *servizio_name;
  const char  *numero;
  GDateTime   *submitted_at;
  const char  *applicant_nome;
  const char  *applicant_cognome;
  const char  *applicant_cf;
  const char  *applicant_email;
  JsonArray   *schema;
  JsonObject  *data;
  const char  *data_text;       /* nullable: the text of @data, for its numbers' digits */
  gboolean     mask_sensitive;
  GDateTime   *created_at;
} SpModulo;

GBytes      *sp_pdf_render_modulo  (const SpModulo  *modulo,
                                    GError         **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
