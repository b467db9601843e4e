/* sp-admin-migrate.c: the migrate command */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-admin.h"
#include "sp-db-migrate.h"

gboolean
sp_admin_cmd_migrate (SpAdmin      *admin,
                      SpAdminArgs  *args,
                      GError      **error)
{
  guint n_applied = 0;

  if (!sp_db_migrate (admin->db, &n_applied, error))
    return FALSE;
  if (n_applied == 0)
    g_print ("The database is up to date (no migration applied)\n");
  else
    g_print ("Applied %u migration%s\n", n_applied, n_applied == 1 ? "" : "s");
  return TRUE;
}
