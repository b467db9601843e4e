/* sp-client-api.c: SpClient's calls of the Sportello API (sign-in, sign-out, operator pages) */
#define G_LOG_DOMAIN "sp-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-api.h"
#include "sp-client-private.h"
#include "sp-error.h"
#include "sp-json.h"

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SpClient *self = SP_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpUser) user = NULL;
  JsonObject *response;
  const char *token;

  if (!(node = sp_client_send_json_finish (self, result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  response = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  token = response ? sp_json_get_string (response, "token", NULL) : NULL;
  if (response != NULL && json_object_has_member (response, "user")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (response, "user")))
    user = sp_user_from_json (json_object_get_object_member (response, "user"), &error);

  if (token == NULL || *token == '\0' || user == NULL)
    {
      g_debug ("Unexpected login response: %s", error ? error->message : "no token or user");
      g_task_return_new_error (task, SP_ERROR, SP_ERROR_INTERNAL, "%s",
                               _("The server sent a response that cannot be read."));
      return;
    }

  sp_client_set_session (self, token, g_steal_pointer (&user));

  g_task_return_boolean (task, TRUE);
}

void
sp_client_login_async (SpClient            *self,
                       const char          *username,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  GTask *task;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_login_async);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  sp_client_send_json_async (self, "POST", SP_API_LOGIN, NULL, body, cancellable, login_cb, task);
}

gboolean
sp_client_login_finish (SpClient      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * sp_client_logout_async:
 *
 * Signs out at once locally and revokes the token on the server. An error
 * only means the server could not be told.
 */
void
sp_client_logout_async (SpClient            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autofree char *token = NULL;
  GTask *task;

  g_return_if_fail (SP_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_logout_async);

  token = g_strdup (self->token);
  sp_client_clear_session (self);

  if (token == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  sp_client_send_json_async (self, "POST", SP_API_LOGOUT, token, NULL, cancellable, sp_client_send_json_done_cb, task);
}

gboolean
sp_client_logout_finish (SpClient      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
protocol_config_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) configs = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *response;
  JsonArray *servizi = NULL;

  if (!(node = sp_client_send_json_finish (SP_CLIENT (object), result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  response = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  if (response != NULL && json_object_has_member (response, "servizi")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (response, "servizi")))
    servizi = json_object_get_array_member (response, "servizi");

  configs = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_protocol_config_free);
  for (guint i = 0; servizi != NULL && i < json_array_get_length (servizi); i++)
    {
      JsonNode *element = json_array_get_element (servizi, i);
      SpProtocolConfig *config = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        config = sp_protocol_config_from_json (json_node_get_object (element), &error);
      if (config == NULL)
        break;
      g_ptr_array_add (configs, config);
    }

  if (servizi == NULL || configs->len != json_array_get_length (servizi))
    {
      g_debug ("Unexpected protocol configuration: %s", error ? error->message : "no servizi");
      g_task_return_new_error (task, SP_ERROR, SP_ERROR_INTERNAL, "%s",
                               _("The server sent a response that cannot be read."));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&configs), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * sp_client_get_protocol_config_async:
 *
 * Fetches the protocol configuration of the services the signed-in
 * operator is enabled for.
 */
void
sp_client_get_protocol_config_async (SpClient            *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SP_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_get_protocol_config_async);

  if (sp_client_return_if_signed_out (self, task))
    {
      g_object_unref (task);
      return;
    }

  sp_client_send_json_async (self, "GET", SP_API_PROTOCOL_CONFIG, self->token, NULL,
                   cancellable, protocol_config_cb, task);
}

/**
 * sp_client_get_protocol_config_finish:
 *
 * Returns: (transfer full) (element-type SpProtocolConfig): one configuration
 *   per service, or %NULL with an error
 */
GPtrArray *
sp_client_get_protocol_config_finish (SpClient      *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
