#pragma once

/* Database work of the audit (DESIGN.md §7): a pratica's versions, two of
 * their snapshots to compare, and the audit's own log of reads, each read
 * logged in the transaction that makes it. */

#include <json-glib/json-glib.h>

#include "sp-db.h"
#include "sp-db-chain.h"
#include "sp-pratica.h"
#include "sp-principal.h"

G_BEGIN_DECLS

/**
 * SpAuditVersion:
 *
 * One version as the audit shows it: who (with the role they had then),
 * when, which operation, the status it left, the note.
 */
typedef struct
{
  int         number;
  char       *operation;
  int         status;
  char       *user;
  char       *role;
  char       *at;         /* ISO 8601 */
  char       *note;       /* nullable */
} SpAuditVersion;

/**
 * SpAuditRead:
 * @summary: the pratica read
 * @versions: (element-type SpAuditVersion): its versions (oldest first), or
 *   the two compared (from, then to)
 * @locale: its ente's language (the labels of a comparison)
 * @field_schema: (nullable): its service's field schema, for a comparison
 * @reads: (nullable): the audit log of the pratica, newest first, as
 *   `[{at, user, username, action, detail}]`, for sp_db_audit_reads_async()
 * @chain: (nullable): what the check of its hash chain found, for
 *   sp_db_audit_chain_async()
 * @snapshots: for a comparison, the two versions' snapshots (from, then
 *   to) as their JSON text
 */
typedef struct
{
  SpPraticaSummary *summary;
  char             *locale;
  GPtrArray        *versions;
  JsonNode         *field_schema;
  JsonNode         *reads;
  SpChainReport    *chain;
  GBytes           *snapshots[2];
} SpAuditRead;

void         sp_audit_version_free        (SpAuditVersion *version);
void         sp_audit_read_free           (SpAuditRead    *read);
void         sp_audit_version_to_json     (SpAuditVersion *version,
                                           JsonBuilder    *builder);

void         sp_db_audit_log_search_async (SpDb                *db,
                                           SpPrincipal         *principal,
                                           const char          *q,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean     sp_db_audit_log_search_finish (SpDb               *db,
                                           GAsyncResult        *result,
                                           GError             **error);
void         sp_db_audit_find_async       (SpDb                *db,
                                           SpPrincipal         *principal,
                                           const char          *q,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
void         sp_db_audit_versions_async   (SpDb                *db,
                                           SpPrincipal         *principal,
                                           const char          *pratica_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
void         sp_db_audit_chain_async      (SpDb                *db,
                                           SpPrincipal         *principal,
                                           const char          *pratica_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
void         sp_db_audit_compare_async    (SpDb                *db,
                                           SpPrincipal         *principal,
                                           const char          *pratica_id,
                                           int                  from,
                                           int                  to,
                                           const char          *format,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
void         sp_db_audit_reads_async      (SpDb                *db,
                                           SpPrincipal         *principal,
                                           const char          *pratica_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
SpAuditRead *sp_db_audit_read_finish      (SpDb                *db,
                                           GAsyncResult        *result,
                                           GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpAuditRead, sp_audit_read_free)

G_END_DECLS
