/* sp-db-admin-partners.c: the admin's statements on partners and the servizi they are granted */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-db-admin-private.h"
#include "sp-db-util.h"
#include "sp-error.h"

/* The grants as rows (ente, slug, can_create) from two JSON arrays of "ENTE:slug". */
#define WANTED_CTE \
  "WITH wanted AS (" \
  "  SELECT split_part (x, ':', 1) AS ente, split_part (x, ':', 2) AS slug, false AS can_create" \
  "  FROM jsonb_array_elements_text ($1::jsonb) AS x" \
  "  UNION ALL" \
  "  SELECT split_part (x, ':', 1), split_part (x, ':', 2), true" \
  "  FROM jsonb_array_elements_text ($2::jsonb) AS x)"

static gboolean
check_unique_fingerprint (PGconn                *conn,
                          const SpAdminPartner  *partner,
                          GError               **error)
{
  g_autofree char *other = NULL;

  if (partner->cert_fingerprint == NULL)
    return TRUE;
  if (!sp_db_admin_lookup_id (conn, "SELECT p.slug FROM partner_cert c JOIN partner p ON p.id = c.partner_id"
                              " WHERE c.fingerprint = $1",
                              partner->cert_fingerprint, &other, error))
    return FALSE;
  if (other != NULL)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_CONFLICT,
                   "This certificate is already registered for partner “%s”", other);
      return FALSE;
    }
  return TRUE;
}

static gboolean
grant_servizi (PGconn                *conn,
               const char            *partner_id,
               const SpAdminPartner  *partner,
               GError               **error)
{
  g_autofree char *servizi = sp_db_admin_json_strv ((const char * const *) partner->servizi);
  g_autofree char *create = sp_db_admin_json_strv ((const char * const *) partner->create);
  g_autoptr(PGresult) missing = NULL;

  missing = sp_db_exec (conn,
                        WANTED_CTE
                        " SELECT string_agg (w.ente || ':' || w.slug, ', ')"
                        " FROM wanted w"
                        " WHERE NOT EXISTS (SELECT 1 FROM servizio s JOIN ente e ON e.id = s.ente_id"
                        "                   WHERE e.code = w.ente AND s.slug = w.slug)",
                        2, SP_DB_PARAMS (servizi, create), error);
  if (missing == NULL)
    return FALSE;
  if (sp_db_get (missing, 0, 0) != NULL)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No servizio %s (see servizio-list)",
                   sp_db_get (missing, 0, 0));
      return FALSE;
    }

  return sp_db_command (conn,
                        WANTED_CTE
                        " INSERT INTO partner_servizio (partner_id, servizio_id, can_create)"
                        " SELECT $3::bigint, s.id, bool_or (w.can_create)"
                        " FROM wanted w JOIN ente e ON e.code = w.ente"
                        "   JOIN servizio s ON s.ente_id = e.id AND s.slug = w.slug"
                        " GROUP BY s.id",
                        3, SP_DB_PARAMS (servizi, create, partner_id), error);
}

gboolean
sp_db_admin_insert_partner (PGconn                *conn,
                            const SpAdminPartner  *partner,
                            GError               **error)
{
  g_autoptr(PGresult) result = NULL;

  if (!check_unique_fingerprint (conn, partner, error))
    return FALSE;

  result = sp_db_exec (conn,
                       "INSERT INTO partner (slug, name, password_hash)"
                       " VALUES ($1, $2, $3)"
                       " ON CONFLICT (slug) DO NOTHING RETURNING id",
                       3, SP_DB_PARAMS (partner->slug, partner->name, partner->password_hash),
                       error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_CONFLICT, "Partner “%s” already exists", partner->slug);
      return FALSE;
    }
  if (partner->cert_fingerprint != NULL
      && !sp_db_command (conn, "INSERT INTO partner_cert (fingerprint, partner_id) VALUES ($1, $2::bigint)",
                         2, SP_DB_PARAMS (partner->cert_fingerprint, sp_db_get (result, 0, 0)), error))
    return FALSE;
  return grant_servizi (conn, sp_db_get (result, 0, 0), partner, error);
}

static gboolean
create_tx (PGconn   *conn,
           gpointer  data,
           GError  **error)
{
  return sp_db_admin_insert_partner (conn, data, error);
}

static gpointer
create_cb (PGconn   *conn,
           gpointer  data,
           GError  **error)
{
  return GINT_TO_POINTER (sp_db_admin_transaction (conn, create_tx, data, error));
}

gboolean
sp_db_admin_partner_create (SpDb                  *db,
                            const SpAdminPartner  *partner,
                            GError               **error)
{
  return sp_db_run_sync (db, create_cb, (gpointer) partner, error) != NULL;
}

typedef struct
{
  SpAdminPartnerChange   change;
  const SpAdminPartner  *partner;
} Change;

static gboolean
change_tx (PGconn   *conn,
           gpointer  data,
           GError  **error)
{
  Change *change = data;
  const SpAdminPartner *partner = change->partner;
  g_autofree char *partner_id = NULL;
  g_autoptr(PGresult) result = NULL;

  if (!sp_db_admin_lookup_id (conn, "SELECT id FROM partner WHERE slug = $1", partner->slug, &partner_id, error))
    return FALSE;
  if (partner_id == NULL)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No partner “%s”", partner->slug);
      return FALSE;
    }

  switch (change->change)
    {
    case SP_ADMIN_PARTNER_GRANT:
      return sp_db_command (conn, "DELETE FROM partner_servizio WHERE partner_id = $1::bigint",
                            1, SP_DB_PARAMS (partner_id), error)
             && grant_servizi (conn, partner_id, partner, error);

    case SP_ADMIN_PARTNER_PASSWORD:
      return sp_db_command (conn,
                            "UPDATE partner SET password_hash = $2, failed_logins = 0, locked_until = NULL"
                            " WHERE id = $1::bigint",
                            2, SP_DB_PARAMS (partner_id, partner->password_hash), error);

    case SP_ADMIN_PARTNER_CERT_ADD:
      if (!check_unique_fingerprint (conn, partner, error))
        return FALSE;
      return sp_db_command (conn, "INSERT INTO partner_cert (fingerprint, partner_id) VALUES ($1, $2::bigint)",
                            2, SP_DB_PARAMS (partner->cert_fingerprint, partner_id), error);

    case SP_ADMIN_PARTNER_CERT_REVOKE:
      if (!(result = sp_db_exec (conn,
                                 "UPDATE partner_cert SET revoked_at = now ()"
                                 " WHERE fingerprint = $1 AND partner_id = $2::bigint AND revoked_at IS NULL"
                                 " RETURNING fingerprint",
                                 2, SP_DB_PARAMS (partner->cert_fingerprint, partner_id), error)))
        return FALSE;
      if (PQntuples (result) == 0)
        {
          g_set_error (error, SP_ERROR, SP_ERROR_NOT_FOUND, "Partner “%s” has no live certificate %s",
                       partner->slug, partner->cert_fingerprint);
          return FALSE;
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

static gpointer
change_cb (PGconn   *conn,
           gpointer  data,
           GError  **error)
{
  return GINT_TO_POINTER (sp_db_admin_transaction (conn, change_tx, data, error));
}

/**
 * sp_db_admin_partner_change:
 * @partner: the partner by its slug, with what @change needs of it
 *
 * Changes a partner's grants or credentials, in one transaction.
 */
gboolean
sp_db_admin_partner_change (SpDb                  *db,
                            SpAdminPartnerChange   change,
                            const SpAdminPartner  *partner,
                            GError               **error)
{
  Change data = { change, partner };

  return sp_db_run_sync (db, change_cb, &data, error) != NULL;
}
