/* sp-admin-servizio.c: the servizio-import and servizio-list commands */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-admin.h"
#include "sp-admin-servizio-def.h"
#include "sp-db-admin.h"
#include "sp-error.h"

gboolean
sp_admin_cmd_servizio_import (SpAdmin      *admin,
                              SpAdminArgs  *args,
                              GError      **error)
{
  const char *ente_code = sp_admin_args_get (args, 0);
  const char *path = sp_admin_args_get (args, 1);
  g_autoptr(SpAdminServizioDef) def = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  gboolean created;

  if (!g_file_get_contents (path, &contents, &length, error)
      || !(def = sp_admin_servizio_def_from_data (contents, length, path, error))
      || !sp_db_admin_servizio_save (admin->db, ente_code, def, &created, error))
    return FALSE;

  g_print ("%s servizio %s (%s) of ente %s\n", created ? "Created" : "Updated", def->slug, def->name, ente_code);
  return TRUE;
}

gboolean
sp_admin_cmd_servizio_list (SpAdmin      *admin,
                            SpAdminArgs  *args,
                            GError      **error)
{
  const char *ente_code = sp_admin_args_get (args, 0);
  g_autoptr(SpAdminTable) table = NULL;
  gboolean exists = TRUE;

  if (ente_code != NULL && !sp_db_admin_ente_exists (admin->db, ente_code, &exists, error))
    return FALSE;
  if (!exists)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No ente “%s” (see ente-list)", ente_code);
      return FALSE;
    }
  if (!(table = sp_db_admin_servizio_list (admin->db, ente_code, error)))
    return FALSE;
  sp_admin_table_print (table);
  return TRUE;
}
