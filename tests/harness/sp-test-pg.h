#pragma once

/* Direct SQL on a test environment's database, for the server's tests and
 * benchmarks only: fixtures (pratiche, services, operators written straight
 * into the tables) and reference queries to compare the server's answers with.
 *
 * Every function asserts success: a failing statement fails the test with
 * PostgreSQL's message. Built only with the server (it links libpq); the
 * client's tests use sp-test-env.h and sp-test-http.h alone. */

#include <libpq-fe.h>

#include "sp-test-env.h"

G_BEGIN_DECLS

/* Parameters for sp_test_pg_exec(): SP_TEST_PG_PARAMS ("a", NULL, "c"). */
#define SP_TEST_PG_PARAMS(...) ((const char * const []) { __VA_ARGS__ })
#define SP_TEST_PG_N(...) ((int) (sizeof ((const char * const []) { __VA_ARGS__ }) / sizeof (const char *)))
/* The two together: sp_test_pg_exec (conn, sql, SP_TEST_PG_ARGS ("a", "b")). */
#define SP_TEST_PG_ARGS(...) SP_TEST_PG_N (__VA_ARGS__), SP_TEST_PG_PARAMS (__VA_ARGS__)

/* An SQL condition, for reference queries: @column (a servizio id) is one of
 * the services account_servizio grants @username (a string literal). */
#define SP_TEST_IN_SCOPE_OF(column, username) \
  column " IN (SELECT s.servizio_id FROM account_servizio s JOIN account a ON a.id = s.account_id" \
  "            WHERE a.username = '" username "')"

/**
 * SpTestPratica:
 * @servizio: slug of the service (required)
 * @ente: code of the ente, %NULL for SP_TEST_ENTE
 * @status: 0 for 2000
 * @assigned_to: (nullable): username of the assignee
 * @protocol_number: (nullable): with a protocol date equal to the submission
 * @numero: (nullable): a fresh `2026-5xxxxx` when %NULL
 * @codice_fiscale, @nome, @cognome, @email: (nullable): the applicant, with defaults
 * @submitted_at: (nullable): an SQL timestamptz (`now () - …` is not evaluated: give a literal); now when %NULL
 * @data: (nullable): the form data as JSON text, `{}` when %NULL
 *
 * A pratica written straight into the table (no iter, version or e-mail):
 * the triggers still fill the deadline, the search text and the counts.
 */
typedef struct
{
  const char *servizio;
  const char *ente;
  int         status;
  const char *assigned_to;
  const char *protocol_number;
  const char *numero;
  const char *codice_fiscale;
  const char *nome;
  const char *cognome;
  const char *email;
  const char *submitted_at;
  const char *data;
} SpTestPratica;

PGconn      *sp_test_pg_connect          (SpTestEnv           *env) G_GNUC_WARN_UNUSED_RESULT;
PGresult    *sp_test_pg_exec             (PGconn              *conn,
                                          const char          *sql,
                                          int                  n_params,
                                          const char * const  *params) G_GNUC_WARN_UNUSED_RESULT;
void         sp_test_pg_command          (PGconn              *conn,
                                          const char          *sql,
                                          int                  n_params,
                                          const char * const  *params);
char        *sp_test_pg_value            (PGconn              *conn,
                                          const char          *sql,
                                          int                  n_params,
                                          const char * const  *params) G_GNUC_WARN_UNUSED_RESULT;
void         sp_test_job_run             (PGconn              *conn,
                                          const char          *kind);
gint64       sp_test_pg_int              (PGconn              *conn,
                                          const char          *sql,
                                          int                  n_params,
                                          const char * const  *params);
GPtrArray   *sp_test_pg_column           (PGconn              *conn,
                                          const char          *sql,
                                          int                  n_params,
                                          const char * const  *params) G_GNUC_WARN_UNUSED_RESULT;

char        *sp_test_pratica_insert      (PGconn              *conn,
                                          const SpTestPratica *pratica) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray   *sp_test_pratiche_insert     (PGconn              *conn,
                                          const SpTestPratica *pratica,
                                          guint                n) G_GNUC_WARN_UNUSED_RESULT;
int          sp_test_version_append      (PGconn              *conn,
                                          const char          *pratica_id,
                                          const char          *operation,
                                          const char          *actor_name,
                                          const char          *actor_role);
guint64      sp_test_versions_verify     (SpTestEnv           *env,
                                          const char          *pratica_id);
void         sp_test_pratica_delete      (PGconn              *conn,
                                          const char          *pratica_id);
gint64       sp_test_account_id          (PGconn              *conn,
                                          const char          *username);
void         sp_test_servizio_create     (PGconn              *conn,
                                          const char          *ente,
                                          const char          *slug,
                                          const char          *name,
                                          gboolean             protocol_required);
void         sp_test_operator_create     (PGconn              *conn,
                                          const char          *ente,
                                          const char          *username,
                                          const char          *full_name,
                                          const char          *servizi);
void         sp_test_ente_create         (PGconn              *conn,
                                          const char          *code,
                                          const char          *name,
                                          const char          *locale);
char        *sp_test_pratica_count_diff  (PGconn              *conn) G_GNUC_WARN_UNUSED_RESULT;
char        *sp_test_prefix_count_diff   (PGconn              *conn) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

G_END_DECLS
