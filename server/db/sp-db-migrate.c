/* sp-db-migrate.c: applies the numbered SQL migrations compiled into the binary */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <gio/gio.h>

#include "sp-db-migrate.h"
#include "sp-db-util.h"
#include "sp-error.h"

#define MIGRATIONS_PATH "/it/sportello/server/sql"

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
apply_one (PGconn      *conn,
           const char  *name,
           guint       *n_applied,
           GError     **error)
{
  g_autofree char *path = g_build_path ("/", MIGRATIONS_PATH, name, NULL);
  g_autofree char *version = g_strndup (name, strspn (name, "0123456789"));
  g_autoptr(GBytes) sql = NULL;
  g_autoptr(PGresult) applied = NULL;
  g_autoptr(PGresult) result = NULL;

  if (*version == '\0')
    {
      g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "Migration %s has no number", name);
      return FALSE;
    }
  if (!(sql = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error)))
    return FALSE;

  if (!sp_db_begin (conn, error))
    return FALSE;

  /* Several servers may start at once: one applies, the others wait and skip.
   * A migration may rewrite a table of a million rows: the pool's
   * statement_timeout does not apply. */
  if (!sp_db_command (conn, "SELECT pg_advisory_xact_lock (7420001), set_config ('statement_timeout', '0', true),"
                            " set_config ('lock_timeout', '0', true)", 0, NULL, error)
      || !(applied = sp_db_exec (conn, "SELECT 1 FROM schema_migration WHERE version = $1::integer",
                                 1, SP_DB_PARAMS (version), error)))
    goto failed;

  if (PQntuples (applied) == 0)
    {
      /* A multi-statement script runs as one simple query, inside our transaction. */
      result = PQexec (conn, g_bytes_get_data (sql, NULL));
      if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
        {
          g_set_error (error, SP_ERROR, SP_ERROR_INTERNAL, "Migration %s failed: %s",
                       name, PQresultErrorMessage (result));
          goto failed;
        }
      if (!sp_db_command (conn, "INSERT INTO schema_migration (version, name) VALUES ($1::integer, $2)",
                          2, SP_DB_PARAMS (version, name), error))
        goto failed;
      g_message ("Applied migration %s", name);
      (*n_applied)++;
    }

  return sp_db_commit (conn, error);

failed:
  sp_db_rollback (conn);
  return FALSE;
}

static gpointer
migrate (PGconn   *conn,
         gpointer  data,
         GError  **error)
{
  guint *n_applied = data;
  g_auto(GStrv) names = NULL;

  if (!sp_db_command (conn,
                      "CREATE TABLE IF NOT EXISTS schema_migration ("
                      "  version integer PRIMARY KEY,"
                      "  name text NOT NULL,"
                      "  applied_at timestamptz NOT NULL DEFAULT now ())",
                      0, NULL, error))
    return NULL;

  if (!(names = g_resources_enumerate_children (MIGRATIONS_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, error)))
    return NULL;
  qsort (names, g_strv_length (names), sizeof (char *), compare_names);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], ".sql") && !apply_one (conn, names[i], n_applied, error))
      return NULL;

  /* Rewritten tables have no visibility map, which index-only scans (the
   * dashboard's and the search's) need, and autovacuum may not come for
   * long: vacuum them now. */
  if (*n_applied > 0
      && !(sp_db_command (conn, "SET statement_timeout = 0", 0, NULL, error)
           && sp_db_command (conn, "VACUUM (ANALYZE)", 0, NULL, error)
           && sp_db_command (conn, "RESET statement_timeout", 0, NULL, error)))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

/**
 * sp_db_migrate:
 * @n_applied: (out) (optional): how many migrations were applied now
 *
 * Brings the schema up to date, each migration in its own transaction.
 * Running it again applies nothing.
 */
gboolean
sp_db_migrate (SpDb     *db,
               guint    *n_applied,
               GError  **error)
{
  guint count = 0;

  if (sp_db_run_sync (db, migrate, &count, error) == NULL)
    return FALSE;
  if (n_applied != NULL)
    *n_applied = count;
  return TRUE;
}
