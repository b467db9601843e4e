/* sp-audit-log.c: the check of a pratica's hash chain and the log of audit reads, parsed and said in words */
#define G_LOG_DOMAIN "sp-audit"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sp-audit-log.h"
#include "sp-error.h"
#include "sp-json.h"
#include "sp-pratica.h"

/* Hashes longer than this are not ours (SHA-256 in hex is 64). */
#define MAX_HASH 128

void
sp_chain_check_free (SpChainCheck *check)
{
  if (check == NULL)
    return;
  g_free (check->kind);
  g_free (check->stored_hash);
  g_free (check->expected_hash);
  g_free (check);
}

static gboolean
is_break_kind (const char *kind)
{
  return g_strcmp0 (kind, "gap") == 0 || g_strcmp0 (kind, "previous-hash") == 0 || g_strcmp0 (kind, "hash") == 0;
}

/**
 * sp_chain_check_from_json:
 * @object: an `AuditChain`
 *
 * Returns: (transfer full): the check, or %NULL with %SP_ERROR_VALIDATION
 */
SpChainCheck *
sp_chain_check_from_json (JsonObject  *object,
                          GError     **error)
{
  g_autoptr(SpChainCheck) check = g_new0 (SpChainCheck, 1);
  JsonNode *broken = json_object_get_member (object, "broken");
  gint64 versions = sp_json_get_int (object, "versions", -1);

  check->intact = sp_json_get_bool (object, "intact", FALSE);
  if (versions < 0 || versions > G_MAXUINT || broken == NULL
      || (check->intact != JSON_NODE_HOLDS_NULL (broken))
      || (!check->intact && !JSON_NODE_HOLDS_OBJECT (broken)))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "A chain check needs its versions, intact and broken");
      return NULL;
    }
  check->versions = (guint) versions;
  if (!check->intact)
    {
      JsonObject *link = json_node_get_object (broken);
      gint64 version = sp_json_get_int (link, "version", 0);
      const char *stored = sp_json_get_string (link, "stored_hash", NULL);
      const char *expected = sp_json_get_string (link, "expected_hash", NULL);

      check->kind = g_strdup (sp_json_get_string (link, "kind", NULL));
      if (version < 1 || version > G_MAXUINT || !is_break_kind (check->kind)
          || (stored != NULL && strlen (stored) > MAX_HASH) || (expected != NULL && strlen (expected) > MAX_HASH))
        {
          g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "A broken link needs its version and kind");
          return NULL;
        }
      check->broken_version = (guint) version;
      check->stored_hash = g_strdup (stored);
      check->expected_hash = g_strdup (expected);
    }
  return g_steal_pointer (&check);
}

/**
 * sp_chain_check_describe:
 *
 * Returns: (transfer full): what the check found, in a sentence
 */
char *
sp_chain_check_describe (const SpChainCheck *check)
{
  if (check->intact)
    return g_strdup_printf (g_dngettext (NULL, "The hash chain is intact: its %u version was checked.",
                                         "The hash chain is intact: all %u versions were checked.", check->versions),
                            check->versions);
  if (g_strcmp0 (check->kind, "gap") == 0)
    return g_strdup_printf (_("The hash chain is broken at version %u: a version before it is missing."),
                            check->broken_version);
  if (g_strcmp0 (check->kind, "previous-hash") == 0)
    return g_strdup_printf (_("The hash chain is broken at version %u: it does not point to the version before it."),
                            check->broken_version);
  return g_strdup_printf (_("The hash chain is broken at version %u: its content was changed after it was written."),
                          check->broken_version);
}

void
sp_audit_log_entry_free (SpAuditLogEntry *entry)
{
  if (entry == NULL)
    return;
  g_clear_pointer (&entry->at, g_date_time_unref);
  g_free (entry->user);
  g_free (entry->username);
  g_free (entry->action);
  g_clear_pointer (&entry->detail, json_object_unref);
  g_free (entry);
}

/**
 * sp_audit_log_from_json:
 * @object: an `AuditReads`
 *
 * Returns: (transfer full) (element-type SpAuditLogEntry): the reads, newest
 *   first, or %NULL with %SP_ERROR_VALIDATION
 */
GPtrArray *
sp_audit_log_from_json (JsonObject  *object,
                        GError     **error)
{
  JsonNode *reads = json_object_get_member (object, "reads");
  g_autoptr(GPtrArray) entries = NULL;
  JsonArray *array;

  if (reads == NULL || !JSON_NODE_HOLDS_ARRAY (reads))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "The log of reads needs its reads");
      return NULL;
    }
  array = json_node_get_array (reads);
  entries = g_ptr_array_new_full (json_array_get_length (array), (GDestroyNotify) sp_audit_log_entry_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(SpAuditLogEntry) entry = g_new0 (SpAuditLogEntry, 1);
      JsonObject *read = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonNode *detail = read != NULL ? json_object_get_member (read, "detail") : NULL;

      if (read != NULL)
        {
          entry->at = sp_json_get_datetime (read, "at");
          entry->user = g_strdup (sp_json_get_string (read, "user", NULL));
          entry->username = g_strdup (sp_json_get_string (read, "username", NULL));
          entry->action = g_strdup (sp_json_get_string (read, "action", NULL));
        }
      if (entry->at == NULL || entry->user == NULL || entry->username == NULL || entry->action == NULL)
        {
          g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "Read %u of the log needs its time, user and action", i);
          return NULL;
        }
      entry->detail = detail != NULL && JSON_NODE_HOLDS_OBJECT (detail)
                      ? json_object_ref (json_node_get_object (detail)) : json_object_new ();
      g_ptr_array_add (entries, g_steal_pointer (&entry));
    }
  return g_steal_pointer (&entries);
}

/**
 * sp_audit_log_entry_describe:
 *
 * Returns: (transfer full): what the auditor read, in words:
 *   "Compared versions 2 and 3"
 */
char *
sp_audit_log_entry_describe (const SpAuditLogEntry *entry)
{
  JsonObject *detail = entry->detail;

  if (g_str_equal (entry->action, "search"))
    return g_strdup_printf (_("Searched for “%s”"), sp_json_get_string (detail, "q", ""));
  if (g_str_equal (entry->action, "versions"))
    return g_strdup (_("Listed the versions"));
  if (g_str_equal (entry->action, "compare"))
    return g_strdup_printf (_("Compared versions %d and %d"),
                            (int) sp_json_get_int (detail, "from", 0), (int) sp_json_get_int (detail, "to", 0));
  if (g_str_equal (entry->action, "reads"))
    return g_strdup (_("Read this log"));
  if (g_str_equal (entry->action, "chain") && json_object_has_member (detail, "intact"))
    return sp_json_get_bool (detail, "intact", FALSE)
           ? g_strdup_printf (_("Checked the hash chain: intact (%d versions)"),
                              (int) sp_json_get_int (detail, "versions", 0))
           : g_strdup_printf (_("Checked the hash chain: broken at version %d"),
                              (int) sp_json_get_int (detail, "broken_version", 0));
  if (g_str_equal (entry->action, "chain"))
    return g_strdup (_("Checked the hash chain"));
  return g_strdup (entry->action);
}

/**
 * sp_audit_log_entry_format_at:
 *
 * Returns: (transfer full): when, in local time, to the second: `01/03/2026 10:05:12`
 */
char *
sp_audit_log_entry_format_at (const SpAuditLogEntry *entry)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (entry->at);

  return g_date_time_format (local, "%d/%m/%Y %H:%M:%S");
}
