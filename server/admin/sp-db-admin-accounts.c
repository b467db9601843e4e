/* sp-db-admin-accounts.c: the admin's statements on operator and auditor accounts */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-db-admin-private.h"
#include "sp-db-util.h"
#include "sp-error.h"

/* Fails with the list of the slugs that are not servizi of the ente. */
static gboolean
check_servizi (PGconn              *conn,
               const char          *ente_id,
               const char          *ente_code,
               const char          *slugs,
               GError             **error)
{
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "SELECT string_agg (u.slug, ', ' ORDER BY u.slug)"
                       " FROM jsonb_array_elements_text ($2::jsonb) AS u (slug)"
                       " WHERE NOT EXISTS (SELECT 1 FROM servizio s"
                       "                   WHERE s.ente_id = $1::bigint AND s.slug = u.slug)",
                       2, SP_DB_PARAMS (ente_id, slugs), error);
  if (result == NULL)
    return FALSE;
  if (sp_db_get (result, 0, 0) != NULL)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No servizio %s in ente “%s” (see servizio-list)",
                   sp_db_get (result, 0, 0), ente_code);
      return FALSE;
    }
  return TRUE;
}

static gboolean
link_servizi (PGconn              *conn,
              const char          *account_id,
              const char          *ente_id,
              const char          *ente_code,
              const char * const  *servizi,
              GError             **error)
{
  g_autofree char *slugs = sp_db_admin_json_strv (servizi);

  return check_servizi (conn, ente_id, ente_code, slugs, error)
         && sp_db_command (conn, "DELETE FROM account_servizio WHERE account_id = $1::bigint",
                           1, SP_DB_PARAMS (account_id), error)
         && sp_db_command (conn,
                           "INSERT INTO account_servizio (account_id, servizio_id)"
                           " SELECT $1::bigint, s.id FROM servizio s"
                           " WHERE s.ente_id = $2::bigint"
                           "   AND s.slug IN (SELECT jsonb_array_elements_text ($3::jsonb))",
                           3, SP_DB_PARAMS (account_id, ente_id, slugs), error);
}

gboolean
sp_db_admin_insert_account (PGconn                *conn,
                            const SpAdminAccount  *account,
                            GError               **error)
{
  g_autofree char *ente_id = NULL;
  g_autoptr(PGresult) result = NULL;

  if (!sp_db_admin_lookup_id (conn, "SELECT id FROM ente WHERE code = $1", account->ente_code, &ente_id, error))
    return FALSE;
  if (ente_id == NULL)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No ente “%s” (see ente-list)", account->ente_code);
      return FALSE;
    }

  result = sp_db_exec (conn,
                       "INSERT INTO account (ente_id, username, full_name, email, role, password_hash)"
                       " VALUES ($1::bigint, $2, $3, $4, $5, $6)"
                       " ON CONFLICT (username) DO NOTHING RETURNING id",
                       6, SP_DB_PARAMS (ente_id, account->username, account->full_name, account->email,
                                        account->role, account->password_hash),
                       error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_CONFLICT, "Account “%s” already exists", account->username);
      return FALSE;
    }

  return link_servizi (conn, sp_db_get (result, 0, 0), ente_id, account->ente_code,
                       (const char * const *) account->servizi, error);
}

static gboolean
create_tx (PGconn   *conn,
           gpointer  data,
           GError  **error)
{
  return sp_db_admin_insert_account (conn, data, error);
}

static gpointer
create_cb (PGconn   *conn,
           gpointer  data,
           GError  **error)
{
  return GINT_TO_POINTER (sp_db_admin_transaction (conn, create_tx, data, error));
}

gboolean
sp_db_admin_account_create (SpDb                  *db,
                            const SpAdminAccount  *account,
                            GError               **error)
{
  return sp_db_run_sync (db, create_cb, (gpointer) account, error) != NULL;
}

static gpointer
list_cb (PGconn   *conn,
         gpointer  data,
         GError  **error)
{
  const char *ente_code = data;
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "SELECT a.username, e.code AS ente, a.role, a.full_name AS name,"
                       "  coalesce (a.email, '') AS email,"
                       "  coalesce ((SELECT string_agg (s.slug, ',' ORDER BY s.slug)"
                       "             FROM account_servizio x JOIN servizio s ON s.id = x.servizio_id"
                       "             WHERE x.account_id = a.id), '') AS servizi,"
                       "  CASE WHEN a.disabled THEN 'disabled'"
                       "       WHEN a.locked_until > now () THEN 'locked until '"
                       "            || to_char (a.locked_until, 'YYYY-MM-DD HH24:MI')"
                       "       ELSE 'active' END AS state"
                       " FROM account a JOIN ente e ON e.id = a.ente_id"
                       " WHERE $1::text IS NULL OR e.code = $1"
                       " ORDER BY e.code, a.username",
                       1, SP_DB_PARAMS (ente_code), error);
  return result != NULL ? sp_db_admin_table_new (result) : NULL;
}

SpAdminTable *
sp_db_admin_account_list (SpDb        *db,
                          const char  *ente_code,
                          GError     **error)
{
  return sp_db_run_sync (db, list_cb, (gpointer) ente_code, error);
}

/* Locks the account row; fails with a clear message when there is none. */
static PGresult *
lock_account (PGconn      *conn,
              const char  *username,
              GError     **error)
{
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "SELECT a.id, a.ente_id, e.code FROM account a JOIN ente e ON e.id = a.ente_id"
                       " WHERE a.username = $1 FOR UPDATE OF a",
                       1, SP_DB_PARAMS (username), error);
  if (result != NULL && PQntuples (result) == 0)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No account “%s” (see account-list)", username);
      g_clear_pointer (&result, PQclear);
    }
  return g_steal_pointer (&result);
}

typedef struct
{
  const char         *username;
  const char * const *servizi;
  const char         *password_hash;
  guint               n_revoked;
} AccountData;

static gboolean
set_servizi_tx (PGconn   *conn,
                gpointer  data,
                GError  **error)
{
  AccountData *account = data;
  g_autoptr(PGresult) row = lock_account (conn, account->username, error);

  return row != NULL
         && link_servizi (conn, sp_db_get (row, 0, 0), sp_db_get (row, 0, 1), sp_db_get (row, 0, 2),
                          account->servizi, error);
}

static gpointer
set_servizi_cb (PGconn   *conn,
                gpointer  data,
                GError  **error)
{
  return GINT_TO_POINTER (sp_db_admin_transaction (conn, set_servizi_tx, data, error));
}

gboolean
sp_db_admin_account_set_servizi (SpDb                *db,
                                 const char          *username,
                                 const char * const  *servizi,
                                 GError             **error)
{
  AccountData data = { username, servizi, NULL, 0 };

  return sp_db_run_sync (db, set_servizi_cb, &data, error) != NULL;
}

static gboolean
set_password_tx (PGconn   *conn,
                 gpointer  data,
                 GError  **error)
{
  AccountData *account = data;
  g_autoptr(PGresult) row = lock_account (conn, account->username, error);
  g_autoptr(PGresult) revoked = NULL;

  if (row == NULL
      || !sp_db_command (conn,
                         "UPDATE account SET password_hash = $2, password_changed_at = now (),"
                         "  failed_logins = 0, locked_until = NULL"
                         " WHERE id = $1::bigint",
                         2, SP_DB_PARAMS (sp_db_get (row, 0, 0), account->password_hash), error))
    return FALSE;

  revoked = sp_db_exec (conn,
                        "UPDATE session SET revoked_at = now ()"
                        " WHERE account_id = $1::bigint AND revoked_at IS NULL AND expires_at > now ()",
                        1, SP_DB_PARAMS (sp_db_get (row, 0, 0)), error);
  if (revoked == NULL)
    return FALSE;
  account->n_revoked = (guint) g_ascii_strtoull (PQcmdTuples (revoked), NULL, 10);
  return TRUE;
}

static gpointer
set_password_cb (PGconn   *conn,
                 gpointer  data,
                 GError  **error)
{
  return GINT_TO_POINTER (sp_db_admin_transaction (conn, set_password_tx, data, error));
}

/**
 * sp_db_admin_account_set_password:
 *
 * Replaces the password hash, unlocks the account and revokes its sessions.
 */
gboolean
sp_db_admin_account_set_password (SpDb        *db,
                                  const char  *username,
                                  const char  *password_hash,
                                  guint       *n_revoked,
                                  GError     **error)
{
  AccountData data = { username, NULL, password_hash, 0 };

  if (sp_db_run_sync (db, set_password_cb, &data, error) == NULL)
    return FALSE;
  if (n_revoked != NULL)
    *n_revoked = data.n_revoked;
  return TRUE;
}

static gpointer
unlock_cb (PGconn   *conn,
           gpointer  data,
           GError  **error)
{
  const char *username = data;
  g_autoptr(PGresult) result = NULL;

  result = sp_db_exec (conn,
                       "UPDATE account SET failed_logins = 0, locked_until = NULL"
                       " WHERE username = $1 RETURNING id",
                       1, SP_DB_PARAMS (username), error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No account “%s” (see account-list)", username);
      return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

gboolean
sp_db_admin_account_unlock (SpDb        *db,
                            const char  *username,
                            GError     **error)
{
  return sp_db_run_sync (db, unlock_cb, (gpointer) username, error) != NULL;
}
