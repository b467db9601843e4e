/* sp-client-dashboard.c: SpClient's call of the operators' dashboard: one page of a bucket */
#define G_LOG_DOMAIN "sp-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-api.h"
#include "sp-client-dashboard.h"
#include "sp-client-private.h"
#include "sp-error.h"
#include "sp-json.h"

/* The server's limits (OpenAPI: limit 1..500, q at most 100 bytes). */
#define MAX_LIMIT 500
#define MAX_SEARCH_BYTES 100

void
sp_dashboard_result_free (SpDashboardResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->items, g_ptr_array_unref);
  g_free (result->next_cursor);
  g_free (result);
}

static SpDashboardResult *
result_from_json (JsonNode  *node,
                  GError   **error)
{
  g_autoptr(SpDashboardResult) page = g_new0 (SpDashboardResult, 1);
  JsonObject *object;
  JsonNode *member;
  JsonArray *items;
  guint n_items;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto unreadable;
  object = json_node_get_object (node);

  member = json_object_get_member (object, "items");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    goto unreadable;
  items = json_node_get_array (member);
  n_items = json_array_get_length (items);

  page->items = g_ptr_array_new_full (n_items, g_object_unref);
  for (guint i = 0; i < n_items; i++)
    {
      JsonNode *element = json_array_get_element (items, i);
      g_autoptr(GError) local_error = NULL;
      SpPraticaSummary *summary = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        summary = sp_pratica_summary_from_json (json_node_get_object (element), &local_error);
      if (summary == NULL)
        {
          g_debug ("Unreadable dashboard row %u: %s", i, local_error ? local_error->message : "not an object");
          goto unreadable;
        }
      g_ptr_array_add (page->items, summary);
    }

  page->next_cursor = g_strdup (sp_json_get_string (object, "next_cursor", NULL));

  member = json_object_get_member (object, "counts");
  if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *counts = json_node_get_object (member);

      page->has_counts = TRUE;
      for (guint i = 0; i < SP_N_BUCKETS; i++)
        page->counts[i] = MAX (0, sp_json_get_int (counts, sp_bucket_to_string ((SpBucket) i), 0));
    }

  return g_steal_pointer (&page);

unreadable:
  g_set_error_literal (error, SP_ERROR, SP_ERROR_INTERNAL,
                       _("The server sent a response that cannot be read."));
  return NULL;
}

static void
list_pratiche_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  SpDashboardResult *page;

  if (!(node = sp_client_send_json_finish (SP_CLIENT (object), result, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!(page = result_from_json (node, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, page, (GDestroyNotify) sp_dashboard_result_free);
}

/* At most MAX_SEARCH_BYTES of @search, cut at a character boundary. */
static char *
clip_search (const char *search)
{
  const char *end;

  if (strlen (search) <= MAX_SEARCH_BYTES)
    return g_strdup (search);
  end = g_utf8_find_prev_char (search, search + MAX_SEARCH_BYTES + 1);
  return g_strndup (search, end - search);
}

static void
append_query (GString    *path,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (path, "&%s=%s", name, escaped);
}

/**
 * sp_client_list_pratiche_async:
 * @bucket: the dashboard bucket
 * @search: (nullable): the text of the search box; empty or %NULL for none
 * @sort: the column to sort by, on the server
 * @descending: the direction of @sort
 * @cursor: (nullable): the `next_cursor` of the previous page, or %NULL for the first
 * @limit: rows per page, 1 to 500
 *
 * Fetches one page of a bucket. Only the first page (no @cursor) carries the
 * counts. A cursor is valid only with the same bucket, search and sort.
 */
void
sp_client_list_pratiche_async (SpClient            *self,
                               SpBucket             bucket,
                               const char          *search,
                               SpSortKey            sort,
                               gboolean             descending,
                               const char          *cursor,
                               guint                limit,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GString) path = NULL;
  GTask *task;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (bucket < SP_N_BUCKETS);
  g_return_if_fail (sort < SP_N_SORT_KEYS);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_list_pratiche_async);

  if (sp_client_return_if_signed_out (self, task))
    {
      g_object_unref (task);
      return;
    }

  path = g_string_new (SP_API_PRATICHE);
  g_string_append_printf (path, "?bucket=%s&sort=%s&order=%s&limit=%u",
                          sp_bucket_to_string (bucket), sp_sort_key_to_string (sort),
                          descending ? "desc" : "asc", CLAMP (limit, 1, MAX_LIMIT));
  if (search != NULL && *search != '\0')
    {
      g_autofree char *clipped = clip_search (search);

      append_query (path, "q", clipped);
    }
  if (cursor != NULL)
    append_query (path, "cursor", cursor);

  sp_client_send_json_async (self, "GET", path->str, self->token, NULL,
                             cancellable, list_pratiche_cb, task);
}

/**
 * sp_client_list_pratiche_finish:
 *
 * Returns: (transfer full): the page, or %NULL with an %SP_ERROR
 */
SpDashboardResult *
sp_client_list_pratiche_finish (SpClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
