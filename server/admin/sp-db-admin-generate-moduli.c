/* sp-db-admin-generate-moduli.c: generate's moduli: the most recent pratiche's PDFs, rendered on threads, inserted in batches */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-admin-modulo.h"
#include "sp-db-admin-private.h"
#include "sp-db-util.h"

#define FETCH  256   /* rows a FETCH; between one and two of these are queued for the threads */
#define BATCH  64    /* moduli an INSERT */

/* gen_pratica is generate's temporary table (sp-db-admin-generate.c). */
static const char select_moduli[] =
  "CREATE TEMP TABLE gen_moduli ON COMMIT DROP AS"
  " SELECT p.id, p.i, p.submitted_at, e.name AS ente_name, e.place_name, e.locale, sv.name AS servizio_name,"
  "   p.numero, p.nome, p.cognome, p.cf, p.email, sv.field_schema::text AS field_schema, p.data"
  " FROM (SELECT * FROM gen_pratica ORDER BY submitted_at DESC, i DESC LIMIT $1::bigint) p"
  " JOIN servizio sv ON sv.id = p.servizio_id JOIN ente e ON e.id = sv.ente_id";

static const char declare_cursor[] =
  "DECLARE gen_moduli_cursor NO SCROLL CURSOR FOR"
  " SELECT id, to_json (submitted_at) #>> '{}', ente_name, place_name, locale, servizio_name, numero,"
  "   nome, cognome, cf, email, field_schema, data"
  " FROM gen_moduli ORDER BY submitted_at DESC, i DESC";

static SpAdminModulo *
modulo_from_row (PGresult *result,
                 int       row)
{
  g_autofree char *document_id = g_uuid_string_random ();
  SpAdminModulo *modulo = sp_admin_modulo_new (document_id, sp_db_get (result, row, 0));

  modulo->submitted_at = g_date_time_new_from_iso8601 (sp_db_get (result, row, 1), NULL);
  modulo->ente_name = g_strdup (sp_db_get (result, row, 2));
  modulo->place_name = g_strdup (sp_db_get (result, row, 3));
  modulo->locale = g_strdup (sp_db_get (result, row, 4));
  modulo->servizio_name = g_strdup (sp_db_get (result, row, 5));
  modulo->numero = g_strdup (sp_db_get (result, row, 6));
  modulo->applicant_nome = g_strdup (sp_db_get (result, row, 7));
  modulo->applicant_cognome = g_strdup (sp_db_get (result, row, 8));
  modulo->applicant_cf = g_strdup (sp_db_get (result, row, 9));
  modulo->applicant_email = g_strdup (sp_db_get (result, row, 10));
  modulo->field_schema = g_strdup (sp_db_get (result, row, 11));
  modulo->data = g_strdup (sp_db_get (result, row, 12));
  return modulo;
}

static gboolean
insert_batch (PGconn                *conn,
              GPtrArray             *batch,
              SpAdminGenerateStats  *stats,
              GError               **error)
{
  g_autofree SpAdminDocument **documents = g_new (SpAdminDocument *, MAX (batch->len, 1));

  for (guint i = 0; i < batch->len; i++)
    {
      const SpAdminModulo *modulo = g_ptr_array_index (batch, i);

      documents[i] = modulo->document;
      stats->moduli_bytes += g_bytes_get_size (modulo->document->content);
      stats->render_seconds += modulo->render_usec / 1e6;
    }
  if (!sp_db_admin_insert_documents (conn, documents, batch->len, error))
    return FALSE;
  stats->n_moduli += batch->len;
  g_ptr_array_set_size (batch, 0);
  return TRUE;
}

/**
 * sp_db_admin_generate_moduli:
 * @n_moduli: how many of the generated pratiche, the most recently
 *   submitted first, get their modulo
 *
 * Fills gen_moduli with those pratiche, renders their moduli on one thread
 * per processor and inserts them as they come, while the threads draw the
 * next ones. The documents are dated with the submission, as the server
 * makes them.
 */
gboolean
sp_db_admin_generate_moduli (PGconn                *conn,
                             guint64                n_moduli,
                             SpAdminGenerateStats  *stats,
                             GError               **error)
{
  g_autofree char *limit = g_strdup_printf ("%" G_GUINT64_FORMAT, n_moduli);
  g_autoptr(SpAdminModuloPool) pool = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_admin_modulo_free);
  gboolean exhausted = FALSE;
  guint in_flight = 0;

  if (!sp_db_command (conn, select_moduli, 1, SP_DB_PARAMS (limit), error))
    return FALSE;
  if (n_moduli == 0)
    return TRUE;
  if (!sp_db_command (conn, declare_cursor, 0, NULL, error)
      || !(pool = sp_admin_modulo_pool_new (g_get_num_processors (), error)))
    return FALSE;
  stats->n_threads = sp_admin_modulo_pool_get_n_threads (pool);

  while (!exhausted || in_flight > 0)
    {
      g_autoptr(SpAdminModulo) modulo = NULL;

      if (!exhausted && in_flight < FETCH)
        {
          g_autoptr(PGresult) fetched = sp_db_exec (conn, "FETCH " G_STRINGIFY (FETCH) " FROM gen_moduli_cursor",
                                                    0, NULL, error);

          if (fetched == NULL)
            return FALSE;
          for (int row = 0; row < PQntuples (fetched); row++)
            sp_admin_modulo_pool_push (pool, modulo_from_row (fetched, row));
          in_flight += PQntuples (fetched);
          exhausted = PQntuples (fetched) < FETCH;
          continue;
        }

      modulo = sp_admin_modulo_pool_pop (pool);
      in_flight--;
      if (modulo->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&modulo->error));
          return FALSE;
        }
      g_ptr_array_add (batch, g_steal_pointer (&modulo));
      if (batch->len == BATCH && !insert_batch (conn, batch, stats, error))
        return FALSE;
    }
  return (batch->len == 0 || insert_batch (conn, batch, stats, error))
         && sp_db_command (conn, "CLOSE gen_moduli_cursor", 0, NULL, error);
}
