/* sp-test-pg.c: direct SQL on the test database: fixtures and reference queries for server tests */
#define G_LOG_DOMAIN "sp-test-pg"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sp-test-pg.h"

/* Fails the test: nothing that follows makes sense without the fixture. */
G_GNUC_NORETURN static void
pg_fail (PGconn     *conn,
         const char *sql,
         const char *what)
{
  g_autofree char *message = g_strdup_printf ("sp-test-pg: %s: %s\n  in: %s", what,
                                              conn != NULL ? PQerrorMessage (conn) : "", sql);

  g_printerr ("%s\n", message);
  g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
  abort ();
}

/**
 * sp_test_pg_connect:
 *
 * Returns: (transfer full): a connection as the database owner (a superuser)
 */
PGconn *
sp_test_pg_connect (SpTestEnv *env)
{
  PGconn *conn = PQconnectdb (sp_test_env_get_conninfo (env));

  if (PQstatus (conn) != CONNECTION_OK)
    pg_fail (conn, sp_test_env_get_conninfo (env), "cannot connect");
  PQclear (PQexec (conn, "SET client_min_messages = warning"));
  /* For sp_test_pratica_insert(); a concurrent creation may fail harmlessly. */
  PQclear (PQexec (conn, "CREATE SEQUENCE IF NOT EXISTS sp_test_numero START 500000"));
  return conn;
}

/**
 * sp_test_pg_exec:
 *
 * Runs @sql with text parameters ($1 …); asserts that it succeeds.
 *
 * Returns: (transfer full): the result
 */
PGresult *
sp_test_pg_exec (PGconn             *conn,
                 const char         *sql,
                 int                 n_params,
                 const char * const *params)
{
  PGresult *result = PQexecParams (conn, sql, n_params, NULL, params, NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (result);

  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    {
      g_autofree char *what = g_strdup_printf ("statement failed (%s)", PQresStatus (status));

      PQclear (result);
      pg_fail (conn, sql, what);
    }
  return result;
}

void
sp_test_pg_command (PGconn             *conn,
                    const char         *sql,
                    int                 n_params,
                    const char * const *params)
{
  PQclear (sp_test_pg_exec (conn, sql, n_params, params));
}

/**
 * sp_test_pg_value:
 *
 * Returns: (nullable): the first column of the first row; %NULL for SQL NULL
 *   or no row
 */
char *
sp_test_pg_value (PGconn             *conn,
                  const char         *sql,
                  int                 n_params,
                  const char * const *params)
{
  g_autoptr(PGresult) result = sp_test_pg_exec (conn, sql, n_params, params);

  if (PQntuples (result) == 0 || PQnfields (result) == 0 || PQgetisnull (result, 0, 0))
    return NULL;
  return g_strdup (PQgetvalue (result, 0, 0));
}

/**
 * sp_test_job_run:
 * @kind: a kind the server has a handler for
 *
 * Queues a job of @kind now, as job_schedule would, and waits until the
 * server has run it: for what the tests read only after a job's work
 * (the processing times of the metrics, say). Fails the test if the job
 * fails or takes more than 60 seconds (times the sanitizers' scale).
 */
void
sp_test_job_run (PGconn     *conn,
                 const char *kind)
{
  g_autofree char *key = g_strdup_printf ("test %" G_GINT64_FORMAT, g_get_real_time ());
  g_autofree char *id = sp_test_pg_value (conn, "INSERT INTO job (kind, dedupe_key) VALUES ($1, $2) RETURNING id",
                                          SP_TEST_PG_ARGS (kind, key));
  gint64 deadline = g_get_monotonic_time () + (gint64) (60 * sp_test_time_scale () * G_TIME_SPAN_SECOND);

  for (;;)
    {
      g_autofree char *state = sp_test_pg_value (conn, "SELECT state FROM job WHERE id = $1::bigint", SP_TEST_PG_ARGS (id));

      if (g_strcmp0 (state, "done") == 0)
        return;
      if (g_strcmp0 (state, "queued") != 0)
        g_error ("The %s job %s ended %s", kind, id, state);
      if (g_get_monotonic_time () > deadline)
        g_error ("The %s job %s is still %s", kind, id, state);
      g_usleep (20 * 1000);
    }
}

gint64
sp_test_pg_int (PGconn             *conn,
                const char         *sql,
                int                 n_params,
                const char * const *params)
{
  g_autofree char *value = sp_test_pg_value (conn, sql, n_params, params);

  if (value == NULL)
    pg_fail (NULL, sql, "expected a number, got no value");
  return g_ascii_strtoll (value, NULL, 10);
}

/**
 * sp_test_pg_column:
 *
 * Returns: (transfer full) (element-type utf8): the first column of every
 *   row, in order (SQL NULL as %NULL)
 */
GPtrArray *
sp_test_pg_column (PGconn             *conn,
                   const char         *sql,
                   int                 n_params,
                   const char * const *params)
{
  g_autoptr(PGresult) result = sp_test_pg_exec (conn, sql, n_params, params);
  GPtrArray *column = g_ptr_array_new_with_free_func (g_free);

  for (int row = 0; row < PQntuples (result); row++)
    g_ptr_array_add (column, PQgetisnull (result, row, 0) ? NULL : g_strdup (PQgetvalue (result, row, 0)));
  return column;
}

/**
 * sp_test_pratica_insert:
 *
 * Returns: (transfer full): the new pratica's id
 */
char *
sp_test_pratica_insert (PGconn              *conn,
                        const SpTestPratica *pratica)
{
  g_autofree char *status = g_strdup_printf ("%d", pratica->status != 0 ? pratica->status : 2000);
  g_autoptr(PGresult) result = NULL;
  const char *sql =
    "WITH c AS (INSERT INTO citizen (codice_fiscale, nome, cognome, email)"
    "           VALUES ('TSTCTZ80A01H501Q', 'Cittadino', 'Di Prova', 'cittadino@example.org')"
    "           ON CONFLICT (codice_fiscale) DO UPDATE SET email = EXCLUDED.email RETURNING id),"
    " s AS (SELECT sv.id, sv.ente_id FROM servizio sv JOIN ente e ON e.id = sv.ente_id"
    "       WHERE e.code = $1 AND sv.slug = $2),"
    " n AS (SELECT coalesce ($3::text, '2026-' || lpad (nextval ('sp_test_numero')::text, 6, '0')) AS numero)"
    " INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
    "   applicant_cognome, applicant_email, data, status, assigned_to, submitted_at, updated_at,"
    "   protocol_number, protocol_date)"
    " SELECT s.ente_id, s.id, n.numero, c.id, $4::text, $5::text, $6::text, $7::text, coalesce ($8::text, '{}')::jsonb,"
    "   $9::integer,"
    "   (SELECT id FROM account WHERE username = $10::text), coalesce ($11::timestamptz, now ()), now (),"
    "   $12::text, CASE WHEN $12::text IS NOT NULL THEN coalesce ($11::timestamptz, now ()) END"
    " FROM s, c, n"
    " RETURNING id, assigned_to IS NOT NULL";

  g_return_val_if_fail (pratica->servizio != NULL, NULL);

  result = sp_test_pg_exec (conn, sql, 12,
                            SP_TEST_PG_PARAMS (pratica->ente != NULL ? pratica->ente : SP_TEST_ENTE,
                                               pratica->servizio, pratica->numero,
                                               pratica->codice_fiscale != NULL ? pratica->codice_fiscale
                                                                               : "RSSMRA80A01H501U",
                                               pratica->nome != NULL ? pratica->nome : "Mario",
                                               pratica->cognome != NULL ? pratica->cognome : "Rossi",
                                               pratica->email != NULL ? pratica->email : "mario.rossi@example.org",
                                               pratica->data, status, pratica->assigned_to,
                                               pratica->submitted_at, pratica->protocol_number));
  if (PQntuples (result) != 1)
    pg_fail (NULL, sql, "no such ente or servizio");
  if (pratica->assigned_to != NULL && !g_str_equal (PQgetvalue (result, 0, 1), "t"))
    pg_fail (NULL, sql, "no such assignee");
  return g_strdup (PQgetvalue (result, 0, 0));
}

/**
 * sp_test_pratiche_insert:
 *
 * @n pratiche like @pratica (each with a fresh number unless @pratica has one).
 *
 * Returns: (transfer full) (element-type utf8): their ids
 */
GPtrArray *
sp_test_pratiche_insert (PGconn              *conn,
                         const SpTestPratica *pratica,
                         guint                n)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ids, sp_test_pratica_insert (conn, pratica));
  return ids;
}

/**
 * sp_test_version_append:
 * @actor_name: who, as the versions show it; the actor has no account
 *
 * Appends the pratica as it is now as its next version, through the
 * database's version_append(), the one writer of snapshots and links that
 * the server uses too.
 *
 * Returns: the number of the new version
 */
int
sp_test_version_append (PGconn     *conn,
                        const char *pratica_id,
                        const char *operation,
                        const char *actor_name,
                        const char *actor_role)
{
  return (int) sp_test_pg_int (conn, "SELECT version_append ($1::uuid, $2, NULL, $3, $4, NULL)",
                               SP_TEST_PG_ARGS (pratica_id, operation, actor_name, actor_role));
}

/**
 * sp_test_versions_verify:
 * @pratica_id: (nullable): one pratica, or every one
 *
 * Runs `sportello-admin verify-versions` and asserts that every link holds.
 *
 * Returns: how many versions it checked
 */
guint64
sp_test_versions_verify (SpTestEnv  *env,
                         const char *pratica_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  guint64 n_versions = 0;
  const char *counts;

  if (pratica_id != NULL)
    sp_test_env_admin (env, NULL, &out, &error, "verify-versions", "--pratica", pratica_id, NULL);
  else
    sp_test_env_admin (env, NULL, &out, &error, "verify-versions", NULL);
  g_assert_no_error (error);
  g_test_message ("verify-versions: %s", out);
  counts = out != NULL ? strstr (out, " pratiche and ") : NULL;
  g_assert_nonnull (counts);
  g_assert_nonnull (strstr (out, "every link holds"));
  if (counts != NULL)
    n_versions = g_ascii_strtoull (counts + strlen (" pratiche and "), NULL, 10);
  return n_versions;
}

/**
 * sp_test_pratica_delete:
 *
 * Deletes a pratica and what refers to it, except versions, which the
 * database keeps (a pratica with versions cannot be deleted).
 */
void
sp_test_pratica_delete (PGconn     *conn,
                        const char *pratica_id)
{
  sp_test_pg_command (conn,
                      "WITH o AS (DELETE FROM outbox WHERE pratica_id = $1::uuid),"
                      " r AS (DELETE FROM protocol_register WHERE pratica_id = $1::uuid)"
                      " SELECT 1",
                      SP_TEST_PG_ARGS (pratica_id));
  sp_test_pg_command (conn,
                      "WITH i AS (DELETE FROM iter WHERE pratica_id = $1::uuid),"
                      " d AS (DELETE FROM document WHERE pratica_id = $1::uuid)"
                      " SELECT 1",
                      SP_TEST_PG_ARGS (pratica_id));
  sp_test_pg_command (conn, "DELETE FROM pratica WHERE id = $1::uuid", SP_TEST_PG_ARGS (pratica_id));
}

gint64
sp_test_account_id (PGconn     *conn,
                    const char *username)
{
  return sp_test_pg_int (conn, "SELECT id FROM account WHERE username = $1", SP_TEST_PG_ARGS (username));
}

/**
 * sp_test_ente_create:
 * @locale: (nullable): it_IT when %NULL
 */
void
sp_test_ente_create (PGconn     *conn,
                     const char *code,
                     const char *name,
                     const char *locale)
{
  sp_test_pg_command (conn,
                      "INSERT INTO ente (code, name, locale, place_name) VALUES ($1, $2, coalesce ($3, 'it_IT'), $2)",
                      SP_TEST_PG_ARGS (code, name, locale));
}

/**
 * sp_test_servizio_create:
 *
 * A service with the field schema of SP_TEST_SERVIZIO_INTERNAL, an internal
 * protocol provider and a 30-day deadline.
 */
void
sp_test_servizio_create (PGconn     *conn,
                         const char *ente,
                         const char *slug,
                         const char *name,
                         gboolean    protocol_required)
{
  sp_test_pg_command (conn,
                      "INSERT INTO servizio (ente_id, slug, name, protocol_required, field_schema)"
                      " SELECT e.id, $2, $3, $4::boolean,"
                      "   (SELECT field_schema FROM servizio WHERE slug = '" SP_TEST_SERVIZIO_INTERNAL "' LIMIT 1)"
                      " FROM ente e WHERE e.code = $1",
                      SP_TEST_PG_ARGS (ente, slug, name, protocol_required ? "true" : "false"));
}

/**
 * sp_test_operator_create:
 * @servizi: comma-separated slugs of services of @ente ("" for none)
 *
 * An operatore with the password SP_TEST_PASSWORD (the hash of
 * SP_TEST_OPERATOR's, so no key derivation runs).
 */
void
sp_test_operator_create (PGconn     *conn,
                         const char *ente,
                         const char *username,
                         const char *full_name,
                         const char *servizi)
{
  sp_test_pg_command (conn,
                      "INSERT INTO account (ente_id, username, full_name, email, role, password_hash)"
                      " SELECT e.id, $2, $3, $2 || '@example.org', 'operatore',"
                      "   (SELECT password_hash FROM account WHERE username = '" SP_TEST_OPERATOR "')"
                      " FROM ente e WHERE e.code = $1",
                      SP_TEST_PG_ARGS (ente, username, full_name));
  sp_test_pg_command (conn,
                      "INSERT INTO account_servizio (account_id, servizio_id)"
                      " SELECT a.id, s.id FROM account a JOIN servizio s ON s.ente_id = a.ente_id"
                      " WHERE a.username = $1 AND s.slug = ANY (string_to_array ($2, ','))",
                      SP_TEST_PG_ARGS (username, servizi));
}

/**
 * sp_test_pratica_count_diff:
 *
 * Compares the trigger-kept pratica_count with a real count of the pratiche.
 *
 * Returns: (nullable): %NULL when they agree, else the rows that differ
 */
char *
sp_test_pratica_count_diff (PGconn *conn)
{
  g_autoptr(PGresult) result = NULL;
  GString *diff;

  result = sp_test_pg_exec (conn,
                            "WITH kept AS (SELECT servizio_id, status, assigned_to, n FROM pratica_count WHERE n <> 0),"
                            " real AS (SELECT servizio_id, status, coalesce (assigned_to, 0) AS assigned_to,"
                            "                 count (*) AS n FROM pratica GROUP BY 1, 2, 3)"
                            " SELECT coalesce (k.servizio_id, r.servizio_id), coalesce (k.status, r.status),"
                            "        coalesce (k.assigned_to, r.assigned_to), coalesce (k.n, 0), coalesce (r.n, 0)"
                            " FROM kept k FULL JOIN real r USING (servizio_id, status, assigned_to)"
                            " WHERE k.n IS DISTINCT FROM r.n ORDER BY 1, 2, 3",
                            0, NULL);
  if (PQntuples (result) == 0)
    return NULL;
  diff = g_string_new ("servizio status assignee kept real\n");
  for (int row = 0; row < PQntuples (result); row++)
    g_string_append_printf (diff, "%s %s %s %s %s\n", PQgetvalue (result, row, 0), PQgetvalue (result, row, 1),
                            PQgetvalue (result, row, 2), PQgetvalue (result, row, 3), PQgetvalue (result, row, 4));
  return g_string_free (diff, FALSE);
}

/**
 * sp_test_prefix_count_diff:
 *
 * Compares the trigger-kept pratica_prefix_count (nobody 0, someone -1) and
 * pratica_prefix_assigned (each assignee) with a count of the pratiche
 * having a word (pratica_search_words(), their words computed afresh, not
 * those kept in pratica_word) beginning with each prefix of up to
 * search_prefix_length () characters.
 *
 * Returns: (nullable): %NULL when they agree, else the rows that differ
 */
char *
sp_test_prefix_count_diff (PGconn *conn)
{
  g_autoptr(PGresult) result = NULL;
  GString *diff;

  result = sp_test_pg_exec (conn,
                            "WITH kept AS (SELECT prefix, servizio_id, status, assigned_to, n FROM pratica_prefix_count"
                            "              WHERE n <> 0"
                            "              UNION ALL SELECT prefix, servizio_id, status, assigned_to, n"
                            "              FROM pratica_prefix_assigned WHERE n <> 0),"
                            " prefixes AS (SELECT DISTINCT p.id, left (w, k) COLLATE \"C\" AS prefix, p.servizio_id, p.status,"
                            "                     p.assigned_to"
                            "              FROM pratica p, pratica_search_words (p.numero, p.applicant_cf, p.applicant_cognome,"
                            "                                                    p.applicant_nome, p.protocol_number) w,"
                            "                   generate_series (1, search_prefix_length ()) k),"
                            " real AS (SELECT prefix, servizio_id, status, CASE WHEN assigned_to IS NULL THEN 0 ELSE -1 END"
                            "                 AS assigned_to, count (*) AS n FROM prefixes GROUP BY 1, 2, 3, 4"
                            "          UNION ALL SELECT prefix, servizio_id, status, assigned_to, count (*) FROM prefixes"
                            "          WHERE assigned_to IS NOT NULL GROUP BY 1, 2, 3, 4)"
                            " SELECT coalesce (k.prefix, r.prefix), coalesce (k.servizio_id, r.servizio_id),"
                            "        coalesce (k.status, r.status), coalesce (k.assigned_to, r.assigned_to),"
                            "        coalesce (k.n, 0), coalesce (r.n, 0)"
                            " FROM kept k FULL JOIN real r USING (prefix, servizio_id, status, assigned_to)"
                            " WHERE k.n IS DISTINCT FROM r.n ORDER BY 1, 2, 3, 4",
                            0, NULL);
  if (PQntuples (result) == 0)
    return NULL;
  diff = g_string_new ("prefix servizio status assignee kept real\n");
  for (int row = 0; row < PQntuples (result); row++)
    g_string_append_printf (diff, "%s %s %s %s %s %s\n", PQgetvalue (result, row, 0), PQgetvalue (result, row, 1),
                            PQgetvalue (result, row, 2), PQgetvalue (result, row, 3), PQgetvalue (result, row, 4),
                            PQgetvalue (result, row, 5));
  return g_string_free (diff, FALSE);
}
