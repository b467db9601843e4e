/* sp-user.c: the account model shared by the server and the desktop app */
#define G_LOG_DOMAIN "sp-user"

#include "config.h"

#include "sp-error.h"
#include "sp-json.h"
#include "sp-user.h"

static const char * const role_names[] = {
  [SP_ROLE_OPERATORE] = "operatore",
  [SP_ROLE_AUDITOR] = "auditor",
  [SP_ROLE_ADMIN] = "admin",
};

const char *
sp_role_to_string (SpRole role)
{
  if (role <= SP_ROLE_INVALID || role >= G_N_ELEMENTS (role_names))
    return NULL;
  return role_names[role];
}

SpRole
sp_role_from_string (const char *name)
{
  for (guint i = SP_ROLE_OPERATORE; name != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (g_str_equal (role_names[i], name))
      return (SpRole) i;
  return SP_ROLE_INVALID;
}

SpUser *
sp_user_new (void)
{
  return g_new0 (SpUser, 1);
}

void
sp_user_free (SpUser *user)
{
  if (user == NULL)
    return;
  g_free (user->username);
  g_free (user->full_name);
  g_free (user->ente_code);
  g_free (user->ente_name);
  g_strfreev (user->servizi);
  g_free (user);
}

SpUser *
sp_user_from_json (JsonObject  *object,
                   GError     **error)
{
  g_autoptr(SpUser) user = sp_user_new ();
  g_autoptr(GStrvBuilder) servizi = g_strv_builder_new ();
  const char *username;
  JsonObject *ente;
  JsonArray *array;

  if (!(username = sp_json_require_string (object, "username", error)))
    return NULL;
  user->username = g_strdup (username);
  user->full_name = g_strdup (sp_json_get_string (object, "full_name", username));
  user->role = sp_role_from_string (sp_json_get_string (object, "role", NULL));
  if (user->role == SP_ROLE_INVALID)
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "Unknown role");
      return NULL;
    }

  if (json_object_has_member (object, "ente")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "ente")))
    {
      ente = json_object_get_object_member (object, "ente");
      user->ente_code = g_strdup (sp_json_get_string (ente, "code", NULL));
      user->ente_name = g_strdup (sp_json_get_string (ente, "name", NULL));
    }

  if (json_object_has_member (object, "servizi")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "servizi")))
    {
      array = json_object_get_array_member (object, "servizi");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *slug = sp_json_array_get_string (array, i);

          if (slug != NULL)
            g_strv_builder_add (servizi, slug);
        }
    }
  user->servizi = g_strv_builder_end (servizi);

  return g_steal_pointer (&user);
}

void
sp_user_to_json (const SpUser *user,
                 JsonBuilder  *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, user->username);
  json_builder_set_member_name (builder, "full_name");
  json_builder_add_string_value (builder, user->full_name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, sp_role_to_string (user->role));
  json_builder_set_member_name (builder, "ente");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, user->ente_code);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, user->ente_name);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "servizi");
  json_builder_begin_array (builder);
  for (guint i = 0; user->servizi != NULL && user->servizi[i] != NULL; i++)
    json_builder_add_string_value (builder, user->servizi[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}
