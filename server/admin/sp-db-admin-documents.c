/* sp-db-admin-documents.c: inserts document rows in batches, their bytes as binary parameters */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-db-admin-private.h"
#include "sp-db-util.h"

/* 64 moduli of ~23 KB: about 1.5 MB a statement, 640 parameters. */
#define BATCH        64
#define ROW_PARAMS   10

static char *
batch_sql (guint n_rows)
{
  GString *sql = g_string_new ("INSERT INTO document (id, pratica_id, kind, filename, mime_type, size, sha256,"
                               " content_oid, created_at, signer) VALUES ");

  for (guint r = 0; r < n_rows; r++)
    {
      guint p = r * ROW_PARAMS;

      g_string_append_printf (sql, "%s($%u::uuid, $%u::uuid, $%u, $%u, $%u, $%u::bigint, $%u, lo_from_bytea (0, $%u::bytea),"
                              " $%u::timestamptz, $%u)", r > 0 ? ", " : "",
                              p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8, p + 9, p + 10);
    }
  return g_string_free (sql, FALSE);
}

static gboolean
insert_batch (PGconn                  *conn,
              SpAdminDocument * const *documents,
              guint                    n_rows,
              GError                 **error)
{
  g_autofree char *sql = batch_sql (n_rows);
  g_autofree const char **params = g_new0 (const char *, n_rows * ROW_PARAMS);
  g_autofree int *lengths = g_new0 (int, n_rows * ROW_PARAMS);
  g_autofree int *formats = g_new0 (int, n_rows * ROW_PARAMS);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PGresult) result = NULL;

  for (guint r = 0; r < n_rows; r++)
    {
      const SpAdminDocument *document = documents[r];
      g_autoptr(GDateTime) utc = g_date_time_to_utc (document->created_at);
      char *size = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (document->content));
      char *created_at = g_date_time_format_iso8601 (utc);
      guint p = r * ROW_PARAMS;

      g_ptr_array_add (texts, size);
      g_ptr_array_add (texts, created_at);
      params[p] = document->id;
      params[p + 1] = document->pratica_id;
      params[p + 2] = document->kind;
      params[p + 3] = document->filename;
      params[p + 4] = document->mime_type;
      params[p + 5] = size;
      params[p + 6] = document->sha256;
      params[p + 7] = g_bytes_get_data (document->content, NULL);
      lengths[p + 7] = (int) g_bytes_get_size (document->content);
      formats[p + 7] = 1;
      params[p + 8] = created_at;
      params[p + 9] = document->signer;
    }
  result = sp_db_exec_binary (conn, sql, (int) (n_rows * ROW_PARAMS), params, lengths, formats, error);
  return result != NULL;
}

/**
 * sp_db_admin_insert_documents:
 *
 * Inserts @documents in the caller's transaction, many rows a statement;
 * their content travels as binary bytea parameters, neither escaped nor
 * hex-encoded, and becomes each one's large object.
 */
gboolean
sp_db_admin_insert_documents (PGconn                  *conn,
                              SpAdminDocument * const *documents,
                              guint                    n_documents,
                              GError                 **error)
{
  for (guint i = 0; i < n_documents; i += BATCH)
    if (!insert_batch (conn, documents + i, MIN (BATCH, n_documents - i), error))
      {
        g_prefix_error (error, "Inserting the documents: ");
        return FALSE;
      }
  return TRUE;
}
