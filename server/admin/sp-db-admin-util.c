/* sp-db-admin-util.c: transactions, listings and record types shared by the admin's database files */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-db-admin-private.h"
#include "sp-db-util.h"
#include "sp-json.h"

/**
 * sp_db_admin_transaction:
 *
 * Runs @func between BEGIN and COMMIT; rolls back when it fails.
 */
gboolean
sp_db_admin_transaction (PGconn           *conn,
                         SpDbAdminTxFunc   func,
                         gpointer          data,
                         GError          **error)
{
  if (!sp_db_begin (conn, error))
    return FALSE;
  if (!func (conn, data, error) || !sp_db_commit (conn, error))
    {
      sp_db_rollback (conn);
      return FALSE;
    }
  return TRUE;
}

/**
 * sp_db_admin_table_new:
 *
 * Copies a result into a listing; the column titles are the result's column names.
 */
SpAdminTable *
sp_db_admin_table_new (PGresult *result)
{
  SpAdminTable *table = g_new0 (SpAdminTable, 1);
  int n_columns = PQnfields (result);

  table->columns = g_new0 (char *, n_columns + 1);
  for (int c = 0; c < n_columns; c++)
    table->columns[c] = g_strdup (PQfname (result, c));
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (int r = 0; r < PQntuples (result); r++)
    {
      /* NULL cells would end a GStrv early: keep them as empty strings. */
      char **row = g_new0 (char *, n_columns + 1);

      for (int c = 0; c < n_columns; c++)
        row[c] = g_strdup (sp_db_get (result, r, c) != NULL ? sp_db_get (result, r, c) : "");
      g_ptr_array_add (table->rows, row);
    }
  return table;
}

void
sp_admin_table_free (SpAdminTable *table)
{
  if (table == NULL)
    return;
  g_strfreev (table->columns);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

/**
 * sp_db_admin_json_strv:
 *
 * Returns: @strv as a JSON array of strings, a parameter for
 *   `jsonb_array_elements_text ($n::jsonb)`
 */
char *
sp_db_admin_json_strv (const char * const *strv)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return sp_json_to_string (root, NULL);
}

/**
 * sp_db_admin_lookup_id:
 * @sql: a query with one parameter returning the id in its first column
 * @id: (out): the id, or %NULL when there is no row
 *
 * Returns: %FALSE only when the query fails
 */
gboolean
sp_db_admin_lookup_id (PGconn      *conn,
                       const char  *sql,
                       const char  *key,
                       char       **id,
                       GError     **error)
{
  g_autoptr(PGresult) result = sp_db_exec (conn, sql, 1, SP_DB_PARAMS (key), error);

  *id = NULL;
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    *id = g_strdup (sp_db_get (result, 0, 0));
  return TRUE;
}

void
sp_admin_ente_free (SpAdminEnte *ente)
{
  if (ente == NULL)
    return;
  g_free (ente->code);
  g_free (ente->name);
  g_free (ente->place_name);
  g_free (ente->locale);
  g_free (ente);
}

void
sp_admin_account_free (SpAdminAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->username);
  g_free (account->ente_code);
  g_free (account->role);
  g_free (account->full_name);
  g_free (account->email);
  g_free (account->password_hash);
  g_strfreev (account->servizi);
  g_free (account);
}

void
sp_admin_partner_free (SpAdminPartner *partner)
{
  if (partner == NULL)
    return;
  g_free (partner->slug);
  g_free (partner->name);
  g_free (partner->password_hash);
  g_free (partner->cert_fingerprint);
  g_strfreev (partner->servizi);
  g_strfreev (partner->create);
  g_free (partner);
}

void
sp_admin_document_free (SpAdminDocument *document)
{
  if (document == NULL)
    return;
  g_free (document->id);
  g_free (document->pratica_id);
  g_free (document->kind);
  g_free (document->filename);
  g_free (document->mime_type);
  g_free (document->sha256);
  g_free (document->signer);
  g_clear_pointer (&document->created_at, g_date_time_unref);
  g_clear_pointer (&document->content, g_bytes_unref);
  g_free (document);
}

SpAdminDemo *
sp_admin_demo_new (void)
{
  SpAdminDemo *demo = g_new0 (SpAdminDemo, 1);

  demo->enti = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_admin_ente_free);
  demo->servizi = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_admin_servizio_def_free);
  demo->servizi_ente = g_ptr_array_new_with_free_func (g_free);
  demo->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_admin_account_free);
  demo->partners = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_admin_partner_free);
  demo->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_admin_document_free);
  return demo;
}

void
sp_admin_demo_free (SpAdminDemo *demo)
{
  if (demo == NULL)
    return;
  g_ptr_array_unref (demo->enti);
  g_ptr_array_unref (demo->servizi);
  g_ptr_array_unref (demo->servizi_ente);
  g_ptr_array_unref (demo->accounts);
  g_ptr_array_unref (demo->partners);
  g_ptr_array_unref (demo->documents);
  g_free (demo->citizens);
  g_free (demo->pratiche);
  g_free (demo->iter);
  g_free (demo->versions);
  g_free (demo->protocols);
  g_free (demo->counters);
  g_free (demo->processing);
  g_free (demo);
}
