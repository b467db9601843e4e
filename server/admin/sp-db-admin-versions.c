/* sp-db-admin-versions.c: verify-versions' database work: every chain, in one read-only snapshot */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-db-admin-private.h"
#include "sp-db-chain.h"
#include "sp-db-util.h"
#include "sp-error.h"

typedef struct
{
  const char    *pratica_id;
  SpChainReport *report;
} VerifyData;

/* One read-only snapshot for the whole walk. */
static gboolean
walk_tx (PGconn   *conn,
         gpointer  data,
         GError  **error)
{
  VerifyData *verify = data;

  return sp_db_command (conn, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL, error)
         && sp_db_chain_walk (conn, verify->pratica_id, verify->report, error);
}

static gpointer
verify_cb (PGconn   *conn,
           gpointer  data,
           GError  **error)
{
  return GINT_TO_POINTER (sp_db_admin_transaction (conn, walk_tx, data, error));
}

/**
 * sp_db_admin_verify_versions:
 * @pratica_id: (nullable): one pratica's chain, or every pratica's
 * @report: (out caller-allocates): what was checked and the first broken link
 *
 * Walks the chains in pratica id order and stops at the first pratica with a
 * broken link, in one consistent snapshot of the database.
 *
 * Returns: %FALSE only when the chains could not be read; a broken link sets
 *   @report->pratica_id
 */
gboolean
sp_db_admin_verify_versions (SpDb                *db,
                             const char          *pratica_id,
                             SpChainReport       *report,
                             GError             **error)
{
  VerifyData data = { pratica_id, report };

  *report = (SpChainReport) { 0 };
  return sp_db_run_sync (db, verify_cb, &data, error) != NULL;
}
