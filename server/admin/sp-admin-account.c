/* sp-admin-account.c: the account commands (create, list, servizi, password reset, unlock) */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-admin.h"
#include "sp-crypto.h"
#include "sp-db-admin.h"
#include "sp-error.h"
#include "sp-user.h"

static gboolean
check_username (const char  *username,
                GError     **error)
{
  if (!g_regex_match_simple ("^[a-z0-9][a-z0-9._-]{1,63}$", username, 0, 0))
    return sp_admin_set_usage_error (error, "Bad username “%s”: use 2 to 64 lower-case letters, digits, . _ or -"
                                     " (e.g. mario.rossi)", username);
  return TRUE;
}

gboolean
sp_admin_cmd_account_create (SpAdmin      *admin,
                             SpAdminArgs  *args,
                             GError      **error)
{
  g_autoptr(SpAdminAccount) account = g_new0 (SpAdminAccount, 1);
  const char *email = sp_admin_args_get_option (args, "email");
  const char *role = sp_admin_args_get_option (args, "role");
  const char *name = sp_admin_args_get_option (args, "name");

  account->username = g_strdup (sp_admin_args_get (args, 0));
  account->ente_code = g_strdup (sp_admin_args_get_option (args, "ente"));
  if (!check_username (account->username, error))
    return FALSE;
  if (account->ente_code == NULL || role == NULL || name == NULL)
    return sp_admin_set_usage_error (error, "account-create needs --ente CODE, --role ROLE and --name \"FULL NAME\"");
  if (sp_role_from_string (role) == SP_ROLE_INVALID)
    return sp_admin_set_usage_error (error, "Bad role “%s”: use operatore, auditor or admin", role);
  account->full_name = g_strstrip (g_strdup (name));
  if (*account->full_name == '\0')
    return sp_admin_set_usage_error (error, "The full name must not be empty");
  if (email != NULL && !g_regex_match_simple ("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email, 0, 0))
    return sp_admin_set_usage_error (error, "Bad e-mail address “%s”", email);
  account->role = g_strdup (role);
  account->email = g_strdup (email);
  account->servizi = sp_admin_split_list (sp_admin_args_get_option (args, "servizi"));

  /* Hash only once the arguments are known to be good, print only once stored. */
  {
    gboolean generated;
    g_autofree char *password = sp_admin_read_password (sp_admin_args_has_option (args, "password-stdin"),
                                                        &generated, error);

    if (password == NULL || !(account->password_hash = sp_crypto_hash_password (password, error))
        || !sp_db_admin_account_create (admin->db, account, error))
      return FALSE;

    g_print ("Created %s account %s (%s) in ente %s", account->role, account->username,
             account->full_name, account->ente_code);
    if (account->servizi[0] != NULL)
      {
        g_autofree char *list = g_strjoinv (", ", account->servizi);

        g_print (", enabled for %s", list);
      }
    g_print ("\n");
    if (generated)
      g_print ("Password for %s: %s\n", account->username, password);
  }
  return TRUE;
}

gboolean
sp_admin_cmd_account_list (SpAdmin      *admin,
                           SpAdminArgs  *args,
                           GError      **error)
{
  const char *ente_code = sp_admin_args_get_option (args, "ente");
  g_autoptr(SpAdminTable) table = NULL;
  gboolean exists = TRUE;

  if (ente_code != NULL && !sp_db_admin_ente_exists (admin->db, ente_code, &exists, error))
    return FALSE;
  if (!exists)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_NOT_FOUND, "No ente “%s” (see ente-list)", ente_code);
      return FALSE;
    }
  if (!(table = sp_db_admin_account_list (admin->db, ente_code, error)))
    return FALSE;
  sp_admin_table_print (table);
  return TRUE;
}

gboolean
sp_admin_cmd_account_set_servizi (SpAdmin      *admin,
                                  SpAdminArgs  *args,
                                  GError      **error)
{
  const char *username = sp_admin_args_get (args, 0);
  g_auto(GStrv) servizi = sp_admin_split_list (sp_admin_args_get (args, 1));

  if (!sp_db_admin_account_set_servizi (admin->db, username, (const char * const *) servizi, error))
    return FALSE;
  if (servizi[0] == NULL)
    g_print ("Account %s is enabled for no servizio\n", username);
  else
    {
      g_autofree char *list = g_strjoinv (", ", servizi);

      g_print ("Account %s is enabled for %s\n", username, list);
    }
  return TRUE;
}

gboolean
sp_admin_cmd_password_reset (SpAdmin      *admin,
                             SpAdminArgs  *args,
                             GError      **error)
{
  const char *username = sp_admin_args_get (args, 0);
  gboolean generated;
  g_autofree char *password = sp_admin_read_password (sp_admin_args_has_option (args, "password-stdin"),
                                                      &generated, error);
  g_autofree char *hash = NULL;
  guint n_revoked = 0;

  if (password == NULL || !(hash = sp_crypto_hash_password (password, error))
      || !sp_db_admin_account_set_password (admin->db, username, hash, &n_revoked, error))
    return FALSE;

  g_print ("Password of %s changed; account unlocked; %u session%s revoked\n",
           username, n_revoked, n_revoked == 1 ? "" : "s");
  if (generated)
    g_print ("Password for %s: %s\n", username, password);
  return TRUE;
}

gboolean
sp_admin_cmd_account_unlock (SpAdmin      *admin,
                             SpAdminArgs  *args,
                             GError      **error)
{
  const char *username = sp_admin_args_get (args, 0);

  if (!sp_db_admin_account_unlock (admin->db, username, error))
    return FALSE;
  g_print ("Account %s unlocked\n", username);
  return TRUE;
}
