/* sp-db-modulo.c: SQL that reads what a pratica's modulo PDF shows, and stores the PDF as its document */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-modulo.h"
#include "sp-db-util.h"
#include "sp-error.h"
#include "sp-json.h"

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
                        "       sv.field_schema::text, coalesce ((v.snapshot -> 'data')::text, p.data::text), sv.name"
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
 * sp_db_modulo_source:
 * @pratica_id: a pratica's UUID
 *
 * Reads the pratica as submitted (its first version's data): what its modulo
 * shows. The drawing is left to sp_modulo_source_render(), on a CPU worker,
 * once the connection is back in the pool.
 *
 * Returns: (transfer full): the #SpModuloSource, or %NULL with @error
 */
SpModuloSource *
sp_db_modulo_source (PGconn      *conn,
                     const char  *pratica_id,
                     GError     **error)
{
  g_autoptr(PGresult) pratica = NULL;
  g_autoptr(SpModuloSource) source = NULL;
  const char *schema_text;
  const char *data_text;

  if (!(pratica = load (conn, pratica_id, error)))
    return NULL;

  source = g_new0 (SpModuloSource, 1);
  schema_text = sp_db_get (pratica, 0, 9);
  data_text = sp_db_get (pratica, 0, 10);
  if (!(source->schema = sp_json_parse (schema_text, strlen (schema_text), error))
      || !(source->data = sp_json_parse (data_text, strlen (data_text), error)))
    return NULL;
  source->data_text = g_strdup (data_text);

  source->ente_name = g_strdup (sp_db_get (pratica, 0, 0));
  source->place_name = g_strdup (sp_db_get (pratica, 0, 1));
  source->locale = g_strdup (sp_db_get (pratica, 0, 2));
  source->numero = g_strdup (sp_db_get (pratica, 0, 3));
  source->submitted_at = g_date_time_new_from_iso8601 (sp_db_get (pratica, 0, 4), NULL);
  source->applicant_nome = g_strdup (sp_db_get (pratica, 0, 5));
  source->applicant_cognome = g_strdup (sp_db_get (pratica, 0, 6));
  source->applicant_cf = g_strdup (sp_db_get (pratica, 0, 7));
  source->applicant_email = g_strdup (sp_db_get (pratica, 0, 8));
  source->servizio_name = g_strdup (sp_db_get (pratica, 0, 11));
  return g_steal_pointer (&source);
}

/**
 * sp_db_modulo_store:
 * @pdf: the modulo, rendered from sp_db_modulo_source() on a CPU worker
 *
 * Stores @pdf as the pratica's `modulo` document, in the caller's
 * transaction.
 *
 * Returns: (transfer full): the new document's id, or %NULL with @error
 */
char *
sp_db_modulo_store (PGconn      *conn,
                    const char  *pratica_id,
                    const char  *filename,
                    GBytes      *pdf,
                    GError     **error)
{
  g_autoptr(PGresult) inserted = NULL;
  g_autofree char *size = NULL;
  g_autofree char *sha256 = NULL;
  const char *params[5];
  int lengths[5] = { 0 };
  int formats[5] = { 0 };

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
                                "INSERT INTO document (pratica_id, kind, filename, mime_type, size, sha256, content_oid)"
                                " VALUES ($1::uuid, 'modulo', $2, 'application/pdf', $3::bigint, $4, lo_from_bytea (0, $5))"
                                " RETURNING id",
                                5, params, lengths, formats, error);
  return inserted != NULL ? g_strdup (sp_db_get (inserted, 0, 0)) : NULL;
}
