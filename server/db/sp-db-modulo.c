/* sp-db-modulo.c: SQL that renders a pratica's modulo PDF and stores it as its document */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-modulo.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-pdf.h"

static GBytes *
render (PGresult       *pratica,
        SpPraticaView   view,
        GError        **error)
{
  const char *schema_text = sp_db_get (pratica, 0, 9);
  const char *data_text = sp_db_get (pratica, 0, 10);
  g_autoptr(JsonNode) schema = sp_json_parse (schema_text, strlen (schema_text), error);
  g_autoptr(JsonNode) data = schema != NULL ? sp_json_parse (data_text, strlen (data_text), error) : NULL;
  g_autoptr(GDateTime) submitted_at = NULL;
  SpModulo modulo = { NULL };

  if (data == NULL)
    return NULL;

  submitted_at = g_date_time_new_from_iso8601 (sp_db_get (pratica, 0, 4), NULL);

  modulo.ente_name = sp_db_get (pratica, 0, 0);
  modulo.place_name = sp_db_get (pratica, 0, 1);
  modulo.locale = sp_db_get (pratica, 0, 2);
  modulo.numero = sp_db_get (pratica, 0, 3);
  modulo.submitted_at = submitted_at;
  modulo.applicant_nome = sp_db_get (pratica, 0, 5);
  modulo.applicant_cognome = sp_db_get (pratica, 0, 6);
  modulo.applicant_cf = sp_db_get (pratica, 0, 7);
  modulo.applicant_email = sp_db_get (pratica, 0, 8);
  modulo.servizio_name = sp_db_get (pratica, 0, 11);
  modulo.schema = JSON_NODE_HOLDS_ARRAY (schema) ? json_node_get_array (schema) : NULL;
  modulo.data = JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  modulo.mask_sensitive = view != SP_PRATICA_VIEW_FULL;
  /* Rendering again gives the same bytes. */
  modulo.created_at = submitted_at;
  return sp_pdf_render_modulo (&modulo, error);
}

/* The pratica as submitted: what its modulo shows. */
static PGresult *
load (PGconn      *conn,
      const char  *pratica_id,
      GError     **error)
{
  g_autoptr(PGresult) pratica = NULL;

  pratica = sp_db_exec (conn,
                        "SELECT e.name, e.place_name, e.locale, p.numero, to_json (p.submitted_at) #>> '{}',"
                        "       p.applicant_nome, p.applicant_cognome, p.applicant_cf, p.applicant_email,"
                        "       sv.field_schema::text, coalesce (v.snapshot -> 'data', p.data)::text, sv.name"
                        " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id JOIN ente e ON e.id = p.ente_id"
                        " LEFT JOIN version v ON v.pratica_id = p.id AND v.number = 1"
                        " WHERE p.id = $1::uuid",
                        1, SP_DB_PARAMS (pratica_id), error);
  if (pratica != NULL && PQntuples (pratica) != 1)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No such pratica");
      return NULL;
    }
  return g_steal_pointer (&pratica);
}

/**
 * sp_db_modulo_render:
 * @view: what the reader may see of the pratica (sp_principal_view_pratica()),
 *   not %SP_PRATICA_VIEW_NONE
 *
 * Renders the modulo of the pratica as submitted, for a reader who may see
 * @view of it: without the values of sensitive fields unless it is full.
 *
 * Returns: (transfer full): the PDF, or %NULL with @error
 */
GBytes *
sp_db_modulo_render (PGconn         *conn,
                     const char     *pratica_id,
                     SpPraticaView   view,
                     GError        **error)
{
  g_autoptr(PGresult) pratica = NULL;

  g_return_val_if_fail (view != SP_PRATICA_VIEW_NONE, NULL);

  if (!(pratica = load (conn, pratica_id, error)))
    return NULL;
  return render (pratica, view, error);
}

/**
 * sp_db_modulo_create:
 *
 * Renders the modulo of the pratica as submitted and stores it as its
 * `modulo` document, in the caller's transaction.
 *
 * Returns: (transfer full): the new document's id, or %NULL with @error
 */
char *
sp_db_modulo_create (PGconn      *conn,
                     const char  *pratica_id,
                     GError     **error)
{
  g_autoptr(PGresult) pratica = NULL;
  g_autoptr(PGresult) inserted = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *filename = NULL;
  g_autofree char *size = NULL;
  g_autofree char *sha256 = NULL;
  const char *params[6];
  int lengths[6] = { 0 };
  int formats[6] = { 0 };

  if (!(pratica = load (conn, pratica_id, error)))
    return NULL;
  /* The document of record: the whole form, as the ente receives it. */
  if (!(pdf = render (pratica, SP_PRATICA_VIEW_FULL, error)))
    return NULL;

  filename = g_strdup_printf ("modulo-%s.pdf", sp_db_get (pratica, 0, 3));
  size = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (pdf));
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);

  params[0] = pratica_id;
  params[1] = filename;
  params[2] = size;
  params[3] = sha256;
  params[4] = g_bytes_get_data (pdf, NULL);
  lengths[4] = (int) g_bytes_get_size (pdf);
  formats[4] = 1;
  inserted = sp_db_exec_binary (conn,
                                "INSERT INTO document (pratica_id, kind, filename, mime_type, size, sha256, content)"
                                " VALUES ($1::uuid, 'modulo', $2, 'application/pdf', $3::bigint, $4, $5)"
                                " RETURNING id",
                                5, params, lengths, formats, error);
  return inserted != NULL ? g_strdup (sp_db_get (inserted, 0, 0)) : NULL;
}
