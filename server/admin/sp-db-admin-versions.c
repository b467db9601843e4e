/* sp-db-admin-versions.c: walks the versions' hash chains with a cursor, recomputing each link in the database */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-db-admin-private.h"
#include "sp-db-util.h"
#include "sp-error.h"

#define FETCH 10000   /* pratiche a FETCH */

/* One row per pratica, in id order: its versions and the first that does not
 * hold. A link holds when its number follows the one before, its previous
 * hash is the hash of the version before, and its hash is version_link() of
 * that hash and its snapshot (server/sql/0005_version_chain.sql). The window
 * and the grouping follow the (pratica_id, number) index: nothing is sorted
 * or held, however many versions there are. */
#define LINKS(where) \
  "SELECT pratica_id, number, lag (number) OVER w AS previous_number, previous_hash," \
  "       lag (hash) OVER w AS chained_hash, hash, version_link (lag (hash) OVER w, snapshot) AS expected" \
  " FROM version " where " WINDOW w AS (PARTITION BY pratica_id ORDER BY number)"
#define BROKEN \
  "number <> coalesce (previous_number, 0) + 1 OR previous_hash IS DISTINCT FROM chained_hash" \
  " OR hash <> expected"
#define CHAINS(where) \
  "DECLARE version_chains NO SCROLL CURSOR FOR" \
  " SELECT pratica_id, count (*), min (number) FILTER (WHERE " BROKEN ")" \
  " FROM (" LINKS (where) ") l GROUP BY pratica_id ORDER BY pratica_id"

/* The broken link itself, described. */
static const char broken_link[] =
  "SELECT l.number, l.previous_number, l.previous_hash, l.chained_hash, l.hash, l.expected,"
  "       (SELECT numero FROM pratica WHERE id = $1::uuid)"
  " FROM (" LINKS ("WHERE pratica_id = $1::uuid") ") l WHERE l.number = $2::integer";

void
sp_admin_chain_report_clear (SpAdminChainReport *report)
{
  g_clear_pointer (&report->pratica_id, g_free);
  g_clear_pointer (&report->numero, g_free);
  g_clear_pointer (&report->problem, g_free);
  g_clear_pointer (&report->stored_hash, g_free);
  g_clear_pointer (&report->expected_hash, g_free);
}

static gboolean
describe_break (PGconn             *conn,
                const char         *pratica_id,
                const char         *number,
                SpAdminChainReport *report,
                GError            **error)
{
  g_autoptr(PGresult) link = sp_db_exec (conn, broken_link, 2, SP_DB_PARAMS (pratica_id, number), error);
  const char *previous_hash;
  const char *chained_hash;

  if (link == NULL)
    return FALSE;
  report->pratica_id = g_strdup (pratica_id);
  report->numero = g_strdup (sp_db_get (link, 0, 6));
  report->number = (int) sp_db_get_int64 (link, 0, 0);
  previous_hash = sp_db_get (link, 0, 2);
  chained_hash = sp_db_get (link, 0, 3);
  if (report->number != sp_db_get_int64 (link, 0, 1) + 1)
    report->problem = g_strdup_printf ("it follows version %" G_GINT64_FORMAT " (a version is missing)",
                                       sp_db_get_int64 (link, 0, 1));
  else if (g_strcmp0 (previous_hash, chained_hash) != 0)
    report->problem = g_strdup_printf ("its previous hash is %s, but the version before has %s",
                                       previous_hash != NULL ? previous_hash : "none",
                                       chained_hash != NULL ? chained_hash : "none");
  else
    report->problem = g_strdup ("its hash is not that of its snapshot and the previous hash");
  report->stored_hash = g_strdup (sp_db_get (link, 0, 4));
  report->expected_hash = g_strdup (sp_db_get (link, 0, 5));
  return TRUE;
}

typedef struct
{
  const char         *pratica_id;
  SpAdminChainReport *report;
} VerifyData;

/* Counts pratiche and versions up to the first pratica with a broken link. */
static gboolean
walk_tx (PGconn   *conn,
         gpointer  data,
         GError  **error)
{
  VerifyData *verify = data;
  SpAdminChainReport *report = verify->report;
  const char *declare = verify->pratica_id != NULL ? CHAINS ("WHERE pratica_id = $1::uuid") : CHAINS ("");

  if (!sp_db_command (conn, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", 0, NULL, error)
      || !sp_db_command (conn, declare, verify->pratica_id != NULL ? 1 : 0,
                         SP_DB_PARAMS (verify->pratica_id), error))
    return FALSE;

  for (;;)
    {
      g_autoptr(PGresult) rows = sp_db_exec (conn, "FETCH " G_STRINGIFY (FETCH) " FROM version_chains", 0, NULL,
                                             error);

      if (rows == NULL)
        return FALSE;
      if (PQntuples (rows) == 0)
        return TRUE;
      for (int row = 0; row < PQntuples (rows); row++)
        {
          report->n_pratiche++;
          report->n_versions += sp_db_get_int64 (rows, row, 1);
          if (sp_db_get (rows, row, 2) != NULL)
            return describe_break (conn, sp_db_get (rows, row, 0), sp_db_get (rows, row, 2), report, error);
        }
    }
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
                             SpAdminChainReport  *report,
                             GError             **error)
{
  VerifyData data = { pratica_id, report };

  *report = (SpAdminChainReport) { 0 };
  return sp_db_run_sync (db, verify_cb, &data, error) != NULL;
}
