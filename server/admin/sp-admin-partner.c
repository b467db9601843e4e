/* sp-admin-partner.c: the partner commands: create, grant, password, certificates (add, revoke) */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sp-admin.h"
#include "sp-crypto.h"
#include "sp-db-admin.h"
#include "sp-error.h"

/* Accepts 64 hex digits, with or without colons, in either case. */
static char *
normalise_fingerprint (const char  *text,
                       GError     **error)
{
  GString *hex = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isxdigit (*p))
      g_string_append_c (hex, g_ascii_tolower (*p));
    else if (*p != ':')
      break;
  if (hex->len != 64 || strspn (text, "0123456789abcdefABCDEF:") != strlen (text))
    {
      g_string_free (hex, TRUE);
      sp_admin_set_usage_error (error, "Bad --cert-fingerprint: give the SHA-256 of the DER certificate"
                                " as 64 hex digits");
      return NULL;
    }
  return g_string_free (hex, FALSE);
}

/* The SHA-256 of the DER encoding of the first certificate in a PEM file. */
static char *
fingerprint_of_file (const char  *path,
                     GError     **error)
{
  g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_file (path, error);
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = NULL;

  if (certificate == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL || der->len == 0)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INVALID_INPUT, "%s: no certificate found", path);
      return NULL;
    }
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, der->data, der->len);
  return g_strdup (g_checksum_get_string (checksum));
}

static GStrv
parse_grants (SpAdminArgs  *args,
              const char   *option,
              GError      **error)
{
  g_auto(GStrv) grants = sp_admin_split_list (sp_admin_args_get_option (args, option));

  for (guint i = 0; grants[i] != NULL; i++)
    if (!g_regex_match_simple ("^[A-Za-z0-9_]{1,32}:[a-z0-9][a-z0-9-]{0,63}$", grants[i], 0, 0))
      {
        sp_admin_set_usage_error (error, "--%s: “%s” is not ENTE:slug (e.g. c_h501:scia-edilizia)",
                                  option, grants[i]);
        return NULL;
      }
  return g_steal_pointer (&grants);
}

static gboolean
check_arguments (SpAdminArgs  *args,
                 GError      **error)
{
  gboolean password = sp_admin_args_has_option (args, "password-stdin")
                      || sp_admin_args_has_option (args, "generate-password");
  gboolean certificate = sp_admin_args_has_option (args, "cert-fingerprint")
                         || sp_admin_args_has_option (args, "cert");

  if (!g_regex_match_simple ("^[a-z0-9][a-z0-9-]{0,63}$", sp_admin_args_get (args, 0), 0, 0))
    return sp_admin_set_usage_error (error, "Bad partner slug “%s”: use lower-case letters, digits and -",
                                     sp_admin_args_get (args, 0));
  if (sp_admin_args_get_option (args, "name") == NULL || *sp_admin_args_get_option (args, "name") == '\0')
    return sp_admin_set_usage_error (error, "partner-create needs --name NAME");
  if (sp_admin_args_has_option (args, "password-stdin") && sp_admin_args_has_option (args, "generate-password"))
    return sp_admin_set_usage_error (error, "Give either --password-stdin or --generate-password");
  if (sp_admin_args_has_option (args, "cert-fingerprint") && sp_admin_args_has_option (args, "cert"))
    return sp_admin_set_usage_error (error, "Give either --cert-fingerprint or --cert");
  if (!password && !certificate)
    return sp_admin_set_usage_error (error, "A partner needs a credential: --password-stdin, --generate-password,"
                                     " --cert-fingerprint or --cert");
  return TRUE;
}

gboolean
sp_admin_cmd_partner_create (SpAdmin      *admin,
                             SpAdminArgs  *args,
                             GError      **error)
{
  g_autoptr(SpAdminPartner) partner = g_new0 (SpAdminPartner, 1);
  g_autofree char *password = NULL;
  gboolean generated = FALSE;

  if (!check_arguments (args, error)
      || !(partner->servizi = parse_grants (args, "servizi", error))
      || !(partner->create = parse_grants (args, "create", error)))
    return FALSE;
  partner->slug = g_strdup (sp_admin_args_get (args, 0));
  partner->name = g_strstrip (g_strdup (sp_admin_args_get_option (args, "name")));

  if (sp_admin_args_has_option (args, "cert-fingerprint")
      && !(partner->cert_fingerprint = normalise_fingerprint (sp_admin_args_get_option (args, "cert-fingerprint"),
                                                              error)))
    return FALSE;
  if (sp_admin_args_has_option (args, "cert")
      && !(partner->cert_fingerprint = fingerprint_of_file (sp_admin_args_get_option (args, "cert"), error)))
    return FALSE;
  if (sp_admin_args_has_option (args, "password-stdin") || sp_admin_args_has_option (args, "generate-password"))
    {
      if (!(password = sp_admin_read_password (sp_admin_args_has_option (args, "password-stdin"), &generated, error))
          || !(partner->password_hash = sp_crypto_hash_password (password, error)))
        return FALSE;
    }

  if (!sp_db_admin_partner_create (admin->db, partner, error))
    return FALSE;

  g_print ("Created partner %s (%s)", partner->slug, partner->name);
  if (partner->cert_fingerprint != NULL)
    g_print (", certificate SHA-256 %s", partner->cert_fingerprint);
  g_print ("\n");
  if (generated)
    g_print ("Password for %s: %s\n", partner->slug, password);
  return TRUE;
}

static gboolean
check_slug (SpAdminArgs  *args,
            GError      **error)
{
  if (!g_regex_match_simple ("^[a-z0-9][a-z0-9-]{0,63}$", sp_admin_args_get (args, 0), 0, 0))
    return sp_admin_set_usage_error (error, "Bad partner slug “%s”: use lower-case letters, digits and -",
                                     sp_admin_args_get (args, 0));
  return TRUE;
}

gboolean
sp_admin_cmd_partner_grant (SpAdmin      *admin,
                            SpAdminArgs  *args,
                            GError      **error)
{
  g_autoptr(SpAdminPartner) partner = g_new0 (SpAdminPartner, 1);

  if (!check_slug (args, error)
      || !(partner->servizi = parse_grants (args, "servizi", error))
      || !(partner->create = parse_grants (args, "create", error)))
    return FALSE;
  partner->slug = g_strdup (sp_admin_args_get (args, 0));
  if (!sp_db_admin_partner_change (admin->db, SP_ADMIN_PARTNER_GRANT, partner, error))
    return FALSE;
  g_print ("Grants of partner %s replaced\n", partner->slug);
  return TRUE;
}

gboolean
sp_admin_cmd_partner_password (SpAdmin      *admin,
                               SpAdminArgs  *args,
                               GError      **error)
{
  g_autoptr(SpAdminPartner) partner = g_new0 (SpAdminPartner, 1);
  g_autofree char *password = NULL;
  gboolean generated = FALSE;

  if (!check_slug (args, error)
      || !(password = sp_admin_read_password (sp_admin_args_has_option (args, "password-stdin"), &generated, error))
      || !(partner->password_hash = sp_crypto_hash_password (password, error)))
    return FALSE;
  partner->slug = g_strdup (sp_admin_args_get (args, 0));
  if (!sp_db_admin_partner_change (admin->db, SP_ADMIN_PARTNER_PASSWORD, partner, error))
    return FALSE;
  g_print ("New password set for partner %s; its lock cleared\n", partner->slug);
  if (generated)
    g_print ("Password for %s: %s\n", partner->slug, password);
  return TRUE;
}

static gboolean
partner_cert (SpAdmin               *admin,
              SpAdminArgs           *args,
              SpAdminPartnerChange   change,
              GError               **error)
{
  g_autoptr(SpAdminPartner) partner = g_new0 (SpAdminPartner, 1);

  if (!check_slug (args, error))
    return FALSE;
  if (sp_admin_args_has_option (args, "cert-fingerprint") == sp_admin_args_has_option (args, "cert"))
    return sp_admin_set_usage_error (error, "Give either --cert-fingerprint or --cert");
  if (sp_admin_args_has_option (args, "cert-fingerprint")
      && !(partner->cert_fingerprint = normalise_fingerprint (sp_admin_args_get_option (args, "cert-fingerprint"),
                                                              error)))
    return FALSE;
  if (sp_admin_args_has_option (args, "cert")
      && !(partner->cert_fingerprint = fingerprint_of_file (sp_admin_args_get_option (args, "cert"), error)))
    return FALSE;
  partner->slug = g_strdup (sp_admin_args_get (args, 0));
  if (!sp_db_admin_partner_change (admin->db, change, partner, error))
    return FALSE;
  g_print ("%s certificate SHA-256 %s for partner %s\n",
           change == SP_ADMIN_PARTNER_CERT_ADD ? "Registered" : "Revoked", partner->cert_fingerprint, partner->slug);
  return TRUE;
}

gboolean
sp_admin_cmd_partner_cert_add (SpAdmin      *admin,
                               SpAdminArgs  *args,
                               GError      **error)
{
  return partner_cert (admin, args, SP_ADMIN_PARTNER_CERT_ADD, error);
}

gboolean
sp_admin_cmd_partner_cert_revoke (SpAdmin      *admin,
                                  SpAdminArgs  *args,
                                  GError      **error)
{
  return partner_cert (admin, args, SP_ADMIN_PARTNER_CERT_REVOKE, error);
}
