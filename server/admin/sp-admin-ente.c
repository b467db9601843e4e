/* sp-admin-ente.c: the ente-create and ente-list commands */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include <string.h>

#include "sp-admin.h"
#include "sp-db-admin.h"

gboolean
sp_admin_cmd_ente_create (SpAdmin      *admin,
                          SpAdminArgs  *args,
                          GError      **error)
{
  const char *code = sp_admin_args_get (args, 0);
  const char *name = sp_admin_args_get (args, 1);
  const char *place = sp_admin_args_get_option (args, "place");
  const char *locale = sp_admin_args_get_option (args, "locale");
  SpAdminEnte ente = { NULL };

  if (!g_regex_match_simple ("^[A-Za-z0-9_]{1,32}$", code, 0, 0))
    return sp_admin_set_usage_error (error, "Bad ente code “%s”: use 1 to 32 letters, digits or _ (e.g. c_h501)",
                                     code);
  if (*g_strstrip ((char *) name) == '\0')
    return sp_admin_set_usage_error (error, "The name of the ente must not be empty");
  if (locale != NULL && !g_regex_match_simple ("^[a-z]{2,3}_[A-Z]{2}$", locale, 0, 0))
    return sp_admin_set_usage_error (error, "Bad locale “%s” (e.g. it_IT)", locale);

  /* Documents name the place: "Comune di Verona" is signed "Verona" unless told otherwise. */
  if (place == NULL && g_str_has_prefix (name, "Comune di "))
    place = name + strlen ("Comune di ");

  ente.code = (char *) code;
  ente.name = (char *) name;
  ente.place_name = (char *) (place != NULL ? place : "");
  ente.locale = (char *) (locale != NULL ? locale : "it_IT");
  if (!sp_db_admin_ente_create (admin->db, &ente, error))
    return FALSE;
  g_print ("Created ente %s (%s)\n", code, name);
  return TRUE;
}

gboolean
sp_admin_cmd_ente_list (SpAdmin      *admin,
                        SpAdminArgs  *args,
                        GError      **error)
{
  g_autoptr(SpAdminTable) table = sp_db_admin_ente_list (admin->db, error);

  if (table == NULL)
    return FALSE;
  sp_admin_table_print (table);
  return TRUE;
}
