/* sp-db-chain.c: walks the versions' hash chains with a cursor, recomputing each link in the database */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-chain.h"
#include "sp-db-util.h"

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

/* The kinds of break, as the audit API names them. */
const char *
sp_chain_break_get_name (SpChainBreak kind)
{
  switch (kind)
    {
    case SP_CHAIN_BREAK_GAP:
      return "gap";
    case SP_CHAIN_BREAK_PREVIOUS_HASH:
      return "previous-hash";
    case SP_CHAIN_BREAK_HASH:
      return "hash";
    case SP_CHAIN_BREAK_NONE:
    default:
      return NULL;
    }
}

void
sp_chain_report_clear (SpChainReport *report)
{
  g_clear_pointer (&report->pratica_id, g_free);
  g_clear_pointer (&report->numero, g_free);
  g_clear_pointer (&report->problem, g_free);
  g_clear_pointer (&report->stored_hash, g_free);
  g_clear_pointer (&report->expected_hash, g_free);
}

void
sp_chain_report_free (SpChainReport *report)
{
  if (report == NULL)
    return;
  sp_chain_report_clear (report);
  g_free (report);
}

static gboolean
describe_break (PGconn         *conn,
                const char     *pratica_id,
                const char     *number,
                SpChainReport  *report,
                GError        **error)
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
    report->kind = SP_CHAIN_BREAK_GAP, report->problem = g_strdup_printf ("it follows version %" G_GINT64_FORMAT " (a version is missing)",
                                       sp_db_get_int64 (link, 0, 1));
  else if (g_strcmp0 (previous_hash, chained_hash) != 0)
    report->kind = SP_CHAIN_BREAK_PREVIOUS_HASH, report->problem = g_strdup_printf ("its previous hash is %s, but the version before has %s",
                                       previous_hash != NULL ? previous_hash : "none",
                                       chained_hash != NULL ? chained_hash : "none");
  else
    report->kind = SP_CHAIN_BREAK_HASH, report->problem = g_strdup ("its hash is not that of its snapshot and the previous hash");
  report->stored_hash = g_strdup (sp_db_get (link, 0, 4));
  report->expected_hash = g_strdup (sp_db_get (link, 0, 5));
  return TRUE;
}

/**
 * sp_db_chain_walk:
 * @pratica_id: (nullable): one pratica's chain, or every pratica's
 * @report: (out caller-allocates): what was checked and the first broken link
 *
 * Walks the chains in pratica id order, in the caller's transaction (one
 * cursor: one snapshot of the database), up to the first pratica with a
 * broken link.
 *
 * Returns: %FALSE only when the chains could not be read; a broken link sets
 *   @report->pratica_id
 */
gboolean
sp_db_chain_walk (PGconn         *conn,
                  const char     *pratica_id,
                  SpChainReport  *report,
                  GError        **error)
{
  const char *declare = pratica_id != NULL ? CHAINS ("WHERE pratica_id = $1::uuid") : CHAINS ("");
  gboolean walked = FALSE;

  *report = (SpChainReport) { 0 };
  if (!sp_db_command (conn, declare, pratica_id != NULL ? 1 : 0, SP_DB_PARAMS (pratica_id), error))
    return FALSE;

  while (!walked)
    {
      g_autoptr(PGresult) rows = sp_db_exec (conn, "FETCH " G_STRINGIFY (FETCH) " FROM version_chains", 0, NULL,
                                             error);

      if (rows == NULL)
        return FALSE;
      walked = PQntuples (rows) == 0;
      for (int row = 0; row < PQntuples (rows); row++)
        {
          report->n_pratiche++;
          report->n_versions += sp_db_get_int64 (rows, row, 1);
          if (sp_db_get (rows, row, 2) != NULL)
            {
              walked = describe_break (conn, sp_db_get (rows, row, 0), sp_db_get (rows, row, 2), report, error);
              return walked && sp_db_command (conn, "CLOSE version_chains", 0, NULL, error);
            }
        }
    }
  return sp_db_command (conn, "CLOSE version_chains", 0, NULL, error);
}
