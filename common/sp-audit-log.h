#pragma once

/* What the audit knows of itself, as the desktop app reads it from the API
 * (DESIGN.md §7, Audit): the check of a pratica's hash chain
 * (`GET …/{pratica}/chain`) and the log of who read the pratica's versions
 * (`GET …/{pratica}/reads`). */

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SpChainCheck:
 * @versions: how many versions were checked
 * @intact: every link holds
 * @broken_version: the first version whose link does not hold (0 when intact)
 * @kind: (nullable): how it is broken: `gap`, `previous-hash` or `hash`
 * @stored_hash, @expected_hash: (nullable): the hash it has, and the one
 *   the chain gives it
 */
typedef struct
{
  guint     versions;
  gboolean  intact;
  guint     broken_version;
  char     *kind;
  char     *stored_hash;
  char     *expected_hash;
} SpChainCheck;

/**
 * SpAuditLogEntry:
 * @at: when
 * @user: who, by name
 * @username: who, by username
 * @action: `search`, `versions`, `compare`, `reads` or `chain`
 * @detail: the read's detail (`{q}`, `{from, to}`, `{versions, intact, broken_version}`)
 */
typedef struct
{
  GDateTime  *at;
  char       *user;
  char       *username;
  char       *action;
  JsonObject *detail;
} SpAuditLogEntry;

SpChainCheck    *sp_chain_check_from_json         (JsonObject       *object,
                                                   GError          **error) G_GNUC_WARN_UNUSED_RESULT;
void             sp_chain_check_free              (SpChainCheck     *check);
char            *sp_chain_check_describe          (const SpChainCheck *check) G_GNUC_WARN_UNUSED_RESULT;

GPtrArray       *sp_audit_log_from_json           (JsonObject       *object,
                                                   GError          **error) G_GNUC_WARN_UNUSED_RESULT;
void             sp_audit_log_entry_free          (SpAuditLogEntry  *entry);
char            *sp_audit_log_entry_describe      (const SpAuditLogEntry *entry) G_GNUC_WARN_UNUSED_RESULT;
char            *sp_audit_log_entry_format_at     (const SpAuditLogEntry *entry) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpChainCheck, sp_chain_check_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAuditLogEntry, sp_audit_log_entry_free)

G_END_DECLS
