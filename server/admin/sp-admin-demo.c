/* sp-admin-demo.c: the load-demo command: enti, servizi, accounts and partner from data/demo, then generated pratiche */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include <gio/gio.h>

#include "sp-admin.h"
#include "sp-admin-demo.h"
#include "sp-crypto.h"
#include "sp-db-admin.h"
#include "sp-error.h"
#include "sp-json.h"

#define DEMO_RESOURCES "/it/sportello/admin/demo/"

static JsonNode *
load_json (const char  *name,
           GError     **error)
{
  g_autofree char *path = g_strconcat (DEMO_RESOURCES, name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  JsonNode *root;

  if (bytes == NULL)
    return NULL;
  if (!(root = sp_json_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error)))
    g_prefix_error (error, "%s: ", name);
  return root;
}

static GStrv
strv_member (JsonObject *object,
             const char *member)
{
  JsonArray *array = json_object_get_array_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    g_strv_builder_add (builder, json_array_get_string_element (array, i));
  return g_strv_builder_end (builder);
}

static gboolean
add_enti (SpAdminDemo  *demo,
          JsonArray    *enti,
          GError      **error)
{
  for (guint i = 0; i < json_array_get_length (enti); i++)
    {
      JsonObject *object = json_array_get_object_element (enti, i);
      SpAdminEnte *ente = g_new0 (SpAdminEnte, 1);
      g_auto(GStrv) files = strv_member (object, "servizi");

      ente->code = g_strdup (json_object_get_string_member (object, "code"));
      ente->name = g_strdup (json_object_get_string_member (object, "name"));
      ente->place_name = g_strdup (json_object_get_string_member (object, "place_name"));
      ente->locale = g_strdup (json_object_get_string_member_with_default (object, "locale", "it_IT"));
      g_ptr_array_add (demo->enti, ente);

      for (guint f = 0; files[f] != NULL; f++)
        {
          g_autofree char *name = g_strconcat ("servizi/", files[f], NULL);
          g_autoptr(JsonNode) root = load_json (name, error);
          SpAdminServizioDef *def;

          if (root == NULL || !(def = sp_admin_servizio_def_from_json (root, error)))
            {
              g_prefix_error (error, "%s: ", name);
              return FALSE;
            }
          g_ptr_array_add (demo->servizi, def);
          g_ptr_array_add (demo->servizi_ente, g_strdup (ente->code));
        }
    }
  return TRUE;
}

static gboolean
add_accounts (SpAdminDemo  *demo,
              JsonArray    *accounts,
              GError      **error)
{
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *object = json_array_get_object_element (accounts, i);
      g_autoptr(SpAdminAccount) account = g_new0 (SpAdminAccount, 1);

      account->username = g_strdup (json_object_get_string_member (object, "username"));
      account->ente_code = g_strdup (json_object_get_string_member (object, "ente"));
      account->role = g_strdup (json_object_get_string_member (object, "role"));
      account->full_name = g_strdup (json_object_get_string_member (object, "name"));
      account->email = g_strdup (json_object_get_string_member_with_default (object, "email", NULL));
      account->servizi = strv_member (object, "servizi");
      if (!(account->password_hash = sp_crypto_hash_password (json_object_get_string_member (object, "password"),
                                                              error)))
        return FALSE;
      g_ptr_array_add (demo->accounts, g_steal_pointer (&account));
    }
  return TRUE;
}

static gboolean
add_partners (SpAdminDemo  *demo,
              JsonArray    *partners,
              GError      **error)
{
  for (guint i = 0; partners != NULL && i < json_array_get_length (partners); i++)
    {
      JsonObject *object = json_array_get_object_element (partners, i);
      g_autoptr(SpAdminPartner) partner = g_new0 (SpAdminPartner, 1);

      partner->slug = g_strdup (json_object_get_string_member (object, "slug"));
      partner->name = g_strdup (json_object_get_string_member (object, "name"));
      partner->servizi = strv_member (object, "servizi");
      partner->create = strv_member (object, "create");
      if (!(partner->password_hash = sp_crypto_hash_password (json_object_get_string_member (object, "password"),
                                                              error)))
        return FALSE;
      g_ptr_array_add (demo->partners, g_steal_pointer (&partner));
    }
  return TRUE;
}

static void
print_credentials (JsonObject *manifest)
{
  JsonArray *accounts = json_object_get_array_member (manifest, "accounts");
  JsonArray *partners = json_object_get_array_member (manifest, "partners");

  g_print ("Demo credentials (see data/demo/README.md):\n");
  for (guint i = 0; i < json_array_get_length (accounts); i++)
    {
      JsonObject *account = json_array_get_object_element (accounts, i);

      g_print ("  %-10s %-16s %-18s %s\n", json_object_get_string_member (account, "role"),
               json_object_get_string_member (account, "username"),
               json_object_get_string_member (account, "password"),
               json_object_get_string_member (account, "ente"));
    }
  for (guint i = 0; partners != NULL && i < json_array_get_length (partners); i++)
    {
      JsonObject *partner = json_array_get_object_element (partners, i);

      g_print ("  %-10s %-16s %s\n", "partner", json_object_get_string_member (partner, "slug"),
               json_object_get_string_member (partner, "password"));
    }
}

gboolean
sp_admin_cmd_load_demo (SpAdmin      *admin,
                        SpAdminArgs  *args,
                        GError      **error)
{
  g_autoptr(JsonNode) root = load_json ("demo.json", error);
  g_autoptr(SpAdminDemo) demo = sp_admin_demo_new ();
  g_autoptr(SpCryptoSigner) signer = NULL;
  const char *signing_ca = sp_admin_args_get_option (args, "signing-ca");
  const char *signing_key = sp_admin_args_get_option (args, "signing-key");
  g_autofree char *time_zone = NULL;
  SpAdminDemoCounts counts = { 0 };
  JsonObject *manifest;
  const char *first_ente;
  gboolean exists;
  gint64 start = g_get_monotonic_time ();

  if (root == NULL)
    return FALSE;
  if ((signing_ca == NULL) != (signing_key == NULL))
    return sp_admin_set_usage_error (error, "load-demo: --signing-ca and --signing-key go together");
  manifest = json_node_get_object (root);
  first_ente = json_object_get_string_member (json_array_get_object_element (
                 json_object_get_array_member (manifest, "enti"), 0), "code");
  if (!sp_db_admin_ente_exists (admin->db, first_ente, &exists, error))
    return FALSE;
  if (exists)
    {
      g_print ("The demo data is already loaded (ente %s exists): nothing to do\n", first_ente);
      return TRUE;
    }

  /* The signed response files of the concluded pratiche: by operators whose
   * certificates this authority issues (build-aux/demo makes one and gives
   * it to the server as [documents] signers-ca-file), or a throw-away one. */
  if (!(signer = sp_crypto_signer_new (signing_ca, signing_key, error)))
    return FALSE;

  if (!sp_demo_lists_load (error)
      || !add_enti (demo, json_object_get_array_member (manifest, "enti"), error)
      || !add_accounts (demo, json_object_get_array_member (manifest, "accounts"), error)
      || !add_partners (demo, json_object_get_array_member (manifest, "partners"), error)
      || !(time_zone = sp_db_admin_time_zone (admin->db, error))
      || !sp_demo_pratiche_build (demo, manifest, time_zone, signer, error)
      || !sp_db_admin_demo_load (admin->db, demo, &counts, error))
    return FALSE;
  if (counts.n_pratiche != demo->n_pratiche)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "Only %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                   " demo pratiche were loaded", counts.n_pratiche, demo->n_pratiche);
      return FALSE;
    }

  g_print ("Loaded the demo in %.1f s: %u enti, %" G_GUINT64_FORMAT " servizi, %" G_GUINT64_FORMAT " accounts, "
           "%u partner, %" G_GUINT64_FORMAT " citizens, %" G_GUINT64_FORMAT " pratiche, %" G_GUINT64_FORMAT
           " iter steps, %" G_GUINT64_FORMAT " versions, %" G_GUINT64_FORMAT " protocol registrations, %"
           G_GUINT64_FORMAT " documents (moduli, responses and the operators' files)\n",
           (g_get_monotonic_time () - start) / 1e6, demo->enti->len, counts.n_servizi, counts.n_accounts,
           demo->partners->len, counts.n_citizens, counts.n_pratiche, counts.n_iter, counts.n_versions,
           counts.n_protocols, counts.n_documents);
  print_credentials (manifest);
  return TRUE;
}
