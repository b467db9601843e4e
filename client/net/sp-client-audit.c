/* sp-client-audit.c: SpClient's calls of the audit: search a pratica, list its versions, compare two, check its chain, read its log */
#define G_LOG_DOMAIN "sp-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sp-api.h"
#include "sp-client-audit.h"
#include "sp-client-private.h"
#include "sp-error.h"
#include "sp-json.h"

/* The server's limits (OpenAPI: q at most 100 bytes, limit 1..500). */
#define MAX_SEARCH_BYTES 100
#define SEARCH_LIMIT 50

/* Search */

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) found = NULL;
  GError *error = NULL;
  JsonNode *items;
  JsonArray *array;

  if (!(node = sp_client_send_json_finish (SP_CLIENT (object), result, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  items = JSON_NODE_HOLDS_OBJECT (node) ? json_object_get_member (json_node_get_object (node), "items") : NULL;
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    {
      g_task_return_error (task, sp_client_unreadable_error ("audit search", NULL));
      return;
    }
  array = json_node_get_array (items);
  found = g_ptr_array_new_full (json_array_get_length (array), g_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GError) local_error = NULL;
      SpPraticaSummary *summary = NULL;

      if (JSON_NODE_HOLDS_OBJECT (element))
        summary = sp_pratica_summary_from_json (json_node_get_object (element), &local_error);
      if (summary == NULL)
        {
          g_task_return_error (task, sp_client_unreadable_error ("audit search row", local_error));
          return;
        }
      g_ptr_array_add (found, summary);
    }
  g_task_return_pointer (task, g_steal_pointer (&found), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * sp_client_audit_search_async:
 * @search: a pratica's number or UUID; also an applicant's name or codice fiscale
 *
 * The audit's search, over every pratica of the auditor's ente: the first
 * 50 found, newest number first. An empty search fails with
 * %SP_ERROR_VALIDATION without asking the server.
 */
void
sp_client_audit_search_async (SpClient            *self,
                              const char          *search,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (search != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_audit_search_async);
  if (sp_client_return_if_signed_out (self, task))
    return;

  stripped = g_strstrip (g_strdup (search));
  if (*stripped == '\0')
    {
      g_task_return_new_error (task, SP_ERROR, SP_ERROR_VALIDATION, "%s",
                               _("Type the number of a pratica to search for."));
      return;
    }
  if (strlen (stripped) > MAX_SEARCH_BYTES)
    *g_utf8_find_prev_char (stripped, stripped + MAX_SEARCH_BYTES + 1) = '\0';

  escaped = g_uri_escape_string (stripped, NULL, FALSE);
  path = g_strdup_printf (SP_API_AUDIT_PRATICHE "?q=%s&limit=%d", escaped, SEARCH_LIMIT);
  sp_client_send_json_async (self, "GET", path, self->token, NULL, cancellable,
                             search_cb, g_steal_pointer (&task));
}

/**
 * sp_client_audit_search_finish:
 *
 * Returns: (transfer full) (element-type SpPraticaSummary): the pratiche
 *   found, possibly none; %NULL with an error
 */
GPtrArray *
sp_client_audit_search_finish (SpClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Versions */

static void
versions_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  SpPraticaVersions *versions = NULL;
  GError *error = NULL;

  if (!(node = sp_client_send_json_finish (SP_CLIENT (object), result, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    versions = sp_pratica_versions_from_json (json_node_get_object (node), &local_error);
  if (versions == NULL)
    {
      g_task_return_error (task, sp_client_unreadable_error ("versions", local_error));
      return;
    }
  g_task_return_pointer (task, versions, (GDestroyNotify) sp_pratica_versions_free);
}

/**
 * sp_client_audit_versions_async:
 * @pratica_id: the pratica's UUID
 *
 * Every saved version of the pratica, oldest first (the server logs the
 * read). A pratica of another ente fails with %SP_ERROR_NOT_FOUND.
 */
void
sp_client_audit_versions_async (SpClient            *self,
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
  g_task_set_source_tag (task, sp_client_audit_versions_async);
  if (sp_client_return_if_signed_out (self, task))
    return;

  path = sp_client_pratica_path (SP_API_AUDIT_VERSIONS, pratica_id, NULL);
  sp_client_send_json_async (self, "GET", path, self->token, NULL, cancellable,
                             versions_cb, g_steal_pointer (&task));
}

/**
 * sp_client_audit_versions_finish:
 *
 * Returns: (transfer full): the pratica and its versions, or %NULL with an error
 */
SpPraticaVersions *
sp_client_audit_versions_finish (SpClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Comparison */


typedef struct
{
  JsonNode      *node;
  GBytes        *body;     /* the text of @node, for the numbers' digits */
  SpValueFormat *format;
} Parse;

static void
parse_free (Parse *parse)
{
  g_clear_pointer (&parse->node, json_node_unref);
  g_clear_pointer (&parse->body, g_bytes_unref);
  g_clear_pointer (&parse->format, sp_value_format_free);
  g_free (parse);
}

/* Parsing thousands of fields is done off the main loop. */
static void
parse_comparison_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  Parse *parse = task_data;
  g_autoptr(GError) local_error = NULL;
  SpVersionComparison *comparison = NULL;
  gsize length = 0;
  const char *text = parse->body != NULL ? g_bytes_get_data (parse->body, &length) : NULL;

  if (JSON_NODE_HOLDS_OBJECT (parse->node))
    comparison = sp_version_comparison_from_json_text (json_node_get_object (parse->node), text, length,
                                                       parse->format, &local_error);
  if (comparison == NULL)
    g_task_return_error (task, sp_client_unreadable_error ("comparison", local_error));
  else
    g_task_return_pointer (task, comparison, (GDestroyNotify) sp_version_comparison_free);
}

static void
compare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  Parse *parse;
  JsonNode *node;

  if (!(node = sp_client_send_json_finish (SP_CLIENT (object), result, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Values read as the app's language says (Sì/No, decimals). */
  parse = g_new0 (Parse, 1);
  parse->node = node;
  parse->body = sp_client_send_json_get_body (result);
  if (parse->body != NULL)
    g_bytes_ref (parse->body);
  parse->format = sp_value_format_new (NULL);
  g_task_set_task_data (task, parse, (GDestroyNotify) parse_free);
  g_task_run_in_thread (task, parse_comparison_thread);
}

/**
 * sp_client_audit_compare_async:
 * @pratica_id: the pratica's UUID
 * @from: the number of the old side's version
 * @to: the number of the new side's version
 *
 * Two versions compared field by field by the server (which logs the read).
 */
void
sp_client_audit_compare_async (SpClient            *self,
                               const char          *pratica_id,
                               guint                from,
                               guint                to,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (pratica_id != NULL);
  g_return_if_fail (from >= 1 && to >= 1);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sp_client_audit_compare_async);
  if (sp_client_return_if_signed_out (self, task))
    return;

  base = sp_client_pratica_path (SP_API_AUDIT_COMPARE, pratica_id, NULL);
  path = g_strdup_printf ("%s?from=%u&to=%u", base, from, to);
  sp_client_send_json_async (self, "GET", path, self->token, NULL, cancellable,
                             compare_cb, g_steal_pointer (&task));
}

/**
 * sp_client_audit_compare_finish:
 *
 * Returns: (transfer full): the comparison, or %NULL with an error
 */
SpVersionComparison *
sp_client_audit_compare_finish (SpClient      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sp_client_audit_compare_pdf_async:
 * @from: the version on the old side
 * @to: the version on the new side
 * @destination: the file to write; replaced if it exists
 *
 * Downloads the comparison of @from and @to as the PDF the server draws,
 * checked against its SHA-256 (the server logs the read as an export).
 * On any failure, what was written is deleted.
 */
void
sp_client_audit_compare_pdf_async (SpClient            *self,
                                   const char          *pratica_id,
                                   guint                from,
                                   guint                to,
                                   GFile               *destination,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (pratica_id != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  base = sp_client_pratica_path (SP_API_AUDIT_COMPARE, pratica_id, NULL);
  path = g_strdup_printf ("%s?from=%u&to=%u", base, from, to);
  sp_client_download_async (self, path, "application/pdf", destination, cancellable, NULL, NULL,
                            sp_client_audit_compare_pdf_async, callback, user_data);
}

gboolean
sp_client_audit_compare_pdf_finish (SpClient      *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return sp_client_download_finish (self, result, error);
}

/* The check of the chain and the log of reads: small answers, parsed at once. */

typedef gpointer (*ParseFunc) (JsonObject  *object,
                               GError     **error);

typedef struct
{
  ParseFunc       parse;
  GDestroyNotify  free;
} Reader;

static const Reader chain_reader = { (ParseFunc) sp_chain_check_from_json, (GDestroyNotify) sp_chain_check_free };
static const Reader log_reader = { (ParseFunc) sp_audit_log_from_json, (GDestroyNotify) g_ptr_array_unref };

static void
parsed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const Reader *reader = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  GError *error = NULL;
  gpointer parsed = NULL;

  if (!(node = sp_client_send_json_finish (SP_CLIENT (object), result, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    parsed = reader->parse (json_node_get_object (node), &local_error);
  if (parsed == NULL)
    g_task_return_error (task, sp_client_unreadable_error ("audit answer", local_error));
  else
    g_task_return_pointer (task, parsed, reader->free);
}

static void
get_parsed (SpClient            *self,
            gpointer             source_tag,
            const char          *template,
            const char          *pratica_id,
            const Reader        *reader,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *path = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) reader, NULL);
  if (sp_client_return_if_signed_out (self, task))
    return;
  path = sp_client_pratica_path (template, pratica_id, NULL);
  sp_client_send_json_async (self, "GET", path, self->token, NULL, cancellable, parsed_cb, g_steal_pointer (&task));
}

/**
 * sp_client_audit_chain_async:
 * @pratica_id: the pratica's UUID
 *
 * Has the server check every link of the pratica's hash chain (it logs
 * the check with what it found).
 */
void
sp_client_audit_chain_async (SpClient            *self,
                             const char          *pratica_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (pratica_id != NULL);

  get_parsed (self, sp_client_audit_chain_async, SP_API_AUDIT_CHAIN, pratica_id,
              &chain_reader, cancellable, callback, user_data);
}

/**
 * sp_client_audit_chain_finish:
 *
 * Returns: (transfer full): what the check found, or %NULL with an error
 */
SpChainCheck *
sp_client_audit_chain_finish (SpClient      *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * sp_client_audit_log_async:
 * @pratica_id: the pratica's UUID
 *
 * The audit's log of the pratica: who read its versions, and when, newest
 * first, this read included.
 */
void
sp_client_audit_log_async (SpClient            *self,
                           const char          *pratica_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (SP_IS_CLIENT (self));
  g_return_if_fail (pratica_id != NULL);

  get_parsed (self, sp_client_audit_log_async, SP_API_AUDIT_READS, pratica_id,
              &log_reader, cancellable, callback, user_data);
}

/**
 * sp_client_audit_log_finish:
 *
 * Returns: (transfer full) (element-type SpAuditLogEntry): the reads, or
 *   %NULL with an error
 */
GPtrArray *
sp_client_audit_log_finish (SpClient      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
