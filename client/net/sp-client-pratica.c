/* sp-client-pratica.c: SpClient's calls about one pratica (detail, take charge, documents) */
#define G_LOG_DOMAIN "sp-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-api.h"
#include "sp-client-pratica.h"
#include "sp-client-private.h"
#include "sp-error.h"
#include "sp-json.h"

/* Fills the {pratica} and {document} segments of an SP_API_* path. */
char *
sp_client_pratica_path (const char *template,
                        const char *pratica_id,
                        const char *document_id)
{
  g_autofree char *pratica = g_uri_escape_string (pratica_id, NULL, FALSE);
  g_autofree char *document = document_id ? g_uri_escape_string (document_id, NULL, FALSE) : NULL;
  g_auto(GStrv) parts = g_strsplit (template, "{pratica}", 2);
  g_autofree char *path = g_strjoinv (pratica, parts);

  if (document != NULL)
    {
      g_auto(GStrv) document_parts = g_strsplit (path, "{document}", 2);

      g_free (path);
      path = g_strjoinv (document, document_parts);
    }
  return g_steal_pointer (&path);
}

/* Detail */

/**
 * sp_client_pratica_detail_from_node:
 * @node: the answer of a call that returns the pratica's detail
 * @text: (nullable): the text @node was read from
 *   (sp_client_send_json_get_body()), for the digits of the saved work's
 *   numbers (sp_pratica_detail_from_json_text())
 *
 * Returns: (transfer full): the detail, or %NULL with an error for the user
 */
SpPraticaDetail *
sp_client_pratica_detail_from_node (JsonNode  *node,
                                    GBytes    *text,
                                    GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  SpPraticaDetail *detail = NULL;
  gsize length = 0;
  const char *data = text != NULL ? g_bytes_get_data (text, &length) : NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    detail = sp_pratica_detail_from_json_text (json_node_get_object (node), data, length, &local_error);
  if (detail == NULL)
    {
      g_debug ("Unexpected pratica detail: %s", local_error ? local_error->message : "not an object");
      g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "%s", _("The server sent a response that cannot be read."));
    }
  return detail;
}

static void
get_pratica_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  SpPraticaDetail *detail;

  if (!(node = sp_client_send_json_finish (SP_CLIENT (object), result, &error))
      || !(detail = sp_client_pratica_detail_from_node (node, sp_client_send_json_get_body (result), &error)))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, detail, (GDestroyNotify) sp_pratica_detail_free);
}

/**
 * sp_client_get_pratica_async:
 * @pratica_id: the pratica's UUID
 *
 * Fetches everything the *Dettaglio pratica* page shows. A pratica that does
 * not exist or is not of the operator's services fails with
 * %SP_ERROR_NOT_FOUND.
 */
void
sp_client_get_pratica_async (SpClient            *self,
                             const char          *pratica_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (pratica_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_get_pratica_async);
  if (sp_client_return_if_signed_out (self, task))
    return;

  path = sp_client_pratica_path (SP_API_PRATICA, pratica_id, NULL);
  sp_client_send_json_async (self, "GET", path, self->token, NULL, cancellable,
                             get_pratica_cb, g_steal_pointer (&task));
}

/**
 * sp_client_get_pratica_finish:
 *
 * Returns: (transfer full): the pratica, or %NULL with an error
 */
SpPraticaDetail *
sp_client_get_pratica_finish (SpClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Take charge */

/* A refusal (409) for the user, from the server's answer alone: a colleague
 * who has the pratica is named by `assigned_to`; any other cause reads as the
 * server words it in `detail` (in the ente's language), or by its title. */
static GError *
take_charge_refusal (SpClient *self,
                     GError   *error,
                     JsonNode *problem)
{
  g_autoptr(GError) owned = error;
  JsonObject *object = problem != NULL && JSON_NODE_HOLDS_OBJECT (problem) ? json_node_get_object (problem) : NULL;
  JsonNode *assignee = object != NULL ? json_object_get_member (object, "assigned_to") : NULL;
  JsonObject *assignee_object = assignee != NULL && JSON_NODE_HOLDS_OBJECT (assignee)
                                ? json_node_get_object (assignee) : NULL;
  const char *detail = object != NULL ? sp_json_get_string (object, "detail", NULL) : NULL;

  if (object == NULL || error->domain != SP_ERROR || sp_error_get_http_status (error->code) != SOUP_STATUS_CONFLICT)
    return g_steal_pointer (&owned);

  if (g_error_matches (error, SP_ERROR, SP_ERROR_ALREADY_TAKEN) && assignee_object != NULL)
    {
      const char *username = sp_json_get_string (assignee_object, "username", NULL);
      const char *name = sp_json_get_string (assignee_object, "full_name", NULL);

      if (self->user != NULL && g_strcmp0 (username, self->user->username) == 0)
        return g_error_new_literal (SP_ERROR, error->code, _("You have already taken this pratica in charge."));
      if (name != NULL && *name != '\0')
        /* Translators: %s is the full name of the colleague */
        return g_error_new (SP_ERROR, error->code, _("The application has already been taken in charge by %s."), name);
    }
  if (detail != NULL && *detail != '\0')
    return g_error_new_literal (SP_ERROR, error->code, detail);
  return g_steal_pointer (&owned);
}

static void
take_charge_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;

  node = sp_client_send_json_finish (SP_CLIENT (object), result, &error);
  if (node == NULL)
    g_task_return_error (task, take_charge_refusal (SP_CLIENT (object), error,
                                                    sp_client_send_json_get_problem (result)));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * sp_client_take_charge_async:
 * @pratica_id: the pratica's UUID
 *
 * *Prendi in carico*: assigns the pratica to the signed-in operator. A
 * refusal is a 409, read whole from the first answer: %SP_ERROR_ALREADY_TAKEN
 * naming the colleague who has it (or saying that the operator has it),
 * %SP_ERROR_CONFLICT while the pratica waits for its protocol number,
 * %SP_ERROR_TRANSITION_NOT_ALLOWED for its status, each with the server's
 * words for the cause; or %SP_ERROR_NOT_FOUND.
 */
void
sp_client_take_charge_async (SpClient            *self,
                             const char          *pratica_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (pratica_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_take_charge_async);
  if (sp_client_return_if_signed_out (self, task))
    return;

  path = sp_client_pratica_path (SP_API_PRATICA_TAKE_CHARGE, pratica_id, NULL);
  sp_client_send_json_async (self, "POST", path, self->token, NULL, cancellable,
                             take_charge_cb, g_steal_pointer (&task));
}

gboolean
sp_client_take_charge_finish (SpClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Documents */

/**
 * sp_client_download_document_async:
 * @pratica_id: the pratica's UUID
 * @document_id: the document's UUID (#SpDocumentInfo's id)
 * @destination: the file to write; replaced if it exists
 * @progress_callback: (nullable) (scope call): called with the bytes
 *   received so far and the size the server announced (-1 when unknown),
 *   first with 0, then after every chunk, in the caller's main context
 * @progress_data: data for @progress_callback, valid until @callback runs
 *
 * Downloads a document of the pratica into @destination as it arrives and
 * checks its SHA-256 against the one the server sent (X-Content-SHA256).
 * On any failure, a checksum that differs or a cancellation included, what
 * was written is deleted.
 */
void
sp_client_download_document_async (SpClient              *self,
                                   const char            *pratica_id,
                                   const char            *document_id,
                                   GFile                 *destination,
                                   GCancellable          *cancellable,
                                   GFileProgressCallback  progress_callback,
                                   gpointer               progress_data,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (pratica_id != NULL);
  g_return_if_fail (document_id != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  path = sp_client_pratica_path (SP_API_PRATICA_DOCUMENT, pratica_id, document_id);
  sp_client_download_async (self, path, "*/*", destination, cancellable, progress_callback, progress_data,
                            sp_client_download_document_async, callback, user_data);
}

gboolean
sp_client_download_document_finish (SpClient      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return sp_client_download_finish (self, result, error);
}
