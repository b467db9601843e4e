/* sp-db-admin-enti.c: the admin's statements on enti */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-db-admin-private.h"
#include "sp-db-util.h"
#include "sp-error.h"

gboolean
sp_db_admin_insert_ente (PGconn             *conn,
                         const SpAdminEnte  *ente,
                         GError            **error)
{
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "INSERT INTO ente (code, name, place_name, locale)"
                       " VALUES ($1, $2, $3, $4)"
                       " ON CONFLICT (code) DO NOTHING RETURNING id",
                       4, SP_DB_PARAMS (ente->code, ente->name,
                                        ente->place_name != NULL ? ente->place_name : "",
                                        ente->locale != NULL ? ente->locale : "it_IT"),
                       error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_CONFLICT, "Ente “%s” already exists", ente->code);
      return FALSE;
    }
  return TRUE;
}

static gpointer
ente_create_cb (PGconn   *conn,
                gpointer  data,
                GError  **error)
{
  return GINT_TO_POINTER (sp_db_admin_insert_ente (conn, data, error));
}

gboolean
sp_db_admin_ente_create (SpDb               *db,
                         const SpAdminEnte  *ente,
                         GError            **error)
{
  return sp_db_run_sync (db, ente_create_cb, (gpointer) ente, error) != NULL;
}

static gpointer
ente_list_cb (PGconn   *conn,
              gpointer  data,
              GError  **error)
{
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "SELECT e.code, e.name, e.place_name AS place, e.locale,"
                       "  (SELECT count(*) FROM servizio s WHERE s.ente_id = e.id) AS servizi,"
                       "  (SELECT count(*) FROM account a WHERE a.ente_id = e.id) AS accounts,"
                       "  (SELECT count(*) FROM pratica p WHERE p.ente_id = e.id) AS pratiche"
                       " FROM ente e ORDER BY e.code",
                       0, NULL, error);
  return result != NULL ? sp_db_admin_table_new (result) : NULL;
}

SpAdminTable *
sp_db_admin_ente_list (SpDb    *db,
                       GError **error)
{
  return sp_db_run_sync (db, ente_list_cb, NULL, error);
}

typedef struct
{
  const char *code;
  gboolean    exists;
} ExistsData;

static gpointer
ente_exists_cb (PGconn   *conn,
                gpointer  data,
                GError  **error)
{
  ExistsData *exists = data;
  g_autofree char *id = NULL;

  if (!sp_db_admin_lookup_id (conn, "SELECT id FROM ente WHERE code = $1", exists->code, &id, error))
    return NULL;
  exists->exists = id != NULL;
  return GINT_TO_POINTER (TRUE);
}

gboolean
sp_db_admin_ente_exists (SpDb        *db,
                         const char  *code,
                         gboolean    *exists,
                         GError     **error)
{
  ExistsData data = { code, FALSE };

  if (sp_db_run_sync (db, ente_exists_cb, &data, error) == NULL)
    return FALSE;
  *exists = data.exists;
  return TRUE;
}
