/* test-versions.c: every writer's versions chain by the one definition, and verify-versions finds the broken link */
#define G_LOG_DOMAIN "test-versions"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

/* The canonical form and the link, computed with coreutils, not with PostgreSQL:
 *   printf '%s' '{"a": 1, "b": [true, null, "x"]}' | sha256sum
 *   printf '%s%s' "$H1" '{"stato": 3000, "numero": "2026-000001"}' | sha256sum
 * jsonb's order: shorter member names first, then by bytes. */
#define DOC1          "{\"b\" : [true, null, \"x\"],\n \"a\":1}"
#define DOC1_TEXT     "{\"a\": 1, \"b\": [true, null, \"x\"]}"
#define DOC1_HASH     "96962523fe9b5045b716fa9eb3fcf6f02bd5d20853d577c9376b1fb916b08d7f"
#define DOC2          "{\"numero\":\"2026-000001\",\"stato\":3000}"
#define DOC2_TEXT     "{\"stato\": 3000, \"numero\": \"2026-000001\"}"
#define DOC2_HASH     "989f5387ed24b4b43b2b6cfaf99e1c7f9d0253a11110a1f7b466bc39441be548"

#define APPENDERS 4
#define APPENDS 25

static SpTestEnv *env;
static PGconn *conn;

static char *
fixture_pratica (void)
{
  /* Nested members, escapes, non-ASCII text and numbers of every kind. */
  SpTestPratica spec = {
    .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = 3000, .protocol_number = "2026/0007001",
    .data = "{\"motivo\": \"Uso \\\"bollo\\\" — è così\\n\", \"importo\": 12.50, \"anni\": 3,"
            " \"indirizzo\": {\"via\": \"Via Roma 1\", \"cap\": \"00100\"}, \"allegati\": [1, \"due\", {\"tre\": null}],"
            " \"z\": 1e2, \"a\": -0.001}",
  };

  return sp_test_pratica_insert (conn, &spec);
}

static guint64
count_versions (void)
{
  return (guint64) sp_test_pg_int (conn, "SELECT count (*) FROM version", 0, NULL);
}

/* The definition does not drift: known answers for the canonical text and
 * the links; a changed document or previous hash changes the link. */
static void
test_link_vectors (void)
{
  g_autoptr(PGresult) result = sp_test_pg_exec (conn,
    "SELECT $1::jsonb::text, $3::jsonb::text, version_link (NULL, $1::jsonb::json),"
    "       version_link (version_link (NULL, $1::jsonb::json), $3::jsonb::json), version_link ($2, $3::jsonb::json),"
    "       version_link (NULL, jsonb_set ($1::jsonb, '{a}', '2')::json)",
    SP_TEST_PG_ARGS (DOC1, DOC1_HASH, DOC2));

  g_assert_cmpstr (PQgetvalue (result, 0, 0), ==, DOC1_TEXT);
  g_assert_cmpstr (PQgetvalue (result, 0, 1), ==, DOC2_TEXT);
  g_assert_cmpstr (PQgetvalue (result, 0, 2), ==, DOC1_HASH);
  g_assert_cmpstr (PQgetvalue (result, 0, 3), ==, DOC2_HASH);
  g_assert_cmpstr (PQgetvalue (result, 0, 4), ==, DOC2_HASH);
  g_assert_cmpstr (PQgetvalue (result, 0, 5), !=, DOC1_HASH);
}

/* The harness's fixture and the server (taking charge) write one chain. */
static void
test_fixture_and_server (void)
{
  g_autofree char *id = fixture_pratica ();
  g_autofree char *token = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_autofree char *path = g_strdup_printf ("/api/v1.0/operator/pratiche/%s/take-charge", id);
  g_autoptr(SpTestResponse) response = NULL;
  g_autofree char *link = NULL;

  g_assert_cmpint (sp_test_version_append (conn, id, "Invio", "Mario Rossi", "cittadino"), ==, 1);
  response = sp_test_request (env, "POST", path, token, NULL, NULL, 0);
  sp_test_assert_status (response, 204);

  g_assert_cmpuint (sp_test_versions_verify (env, id), ==, 2);
  /* The second links to the first by the first's hash. */
  link = sp_test_pg_value (conn,
                           "SELECT v2.previous_hash = v1.hash AND v2.snapshot ->> 'assigned_to' = $2"
                           " FROM version v1 JOIN version v2 ON v2.pratica_id = v1.pratica_id AND v2.number = 2"
                           " WHERE v1.pratica_id = $1::uuid AND v1.number = 1",
                           SP_TEST_PG_ARGS (id, SP_TEST_OPERATOR));
  g_assert_cmpstr (link, ==, "t");
  g_assert_cmpuint (sp_test_versions_verify (env, NULL), ==, count_versions ());
}

typedef struct
{
  const char *pratica_id;
  guint       index;
} Appender;

static gpointer
append_thread (gpointer data)
{
  Appender *appender = data;
  g_autoptr(PGconn) own = sp_test_pg_connect (env);
  g_autofree char *name = g_strdup_printf ("Scrittore %u", appender->index);

  for (guint i = 0; i < APPENDS; i++)
    sp_test_version_append (own, appender->pratica_id, "Salvataggio", name, "operatore");
  return NULL;
}

/* A snapshot, as version_append() takes it (PL/pgSQL since 0019, so that
 * its plan is kept for the connection), is the one of 0005 and 0010 to the
 * byte: the current documents in creation order, the replaced one left out,
 * those of a past time for version_documents (pratica, at). */
static void
test_snapshot_documents (void)
{
  g_autofree char *id = fixture_pratica ();
  g_autofree char *same = NULL;
  g_autofree char *documents = NULL;
  g_autofree char *past = NULL;
  g_autofree char *none = NULL;
  g_autofree char *languages = NULL;
  static const char insert[] =
    "INSERT INTO document (id, pratica_id, kind, filename, mime_type, size, sha256, content_oid, created_at, superseded_at)"
    " VALUES ($2::uuid, $1::uuid, $3, $3 || '.pdf', 'application/pdf', 1, repeat ('a', 64), lo_from_bytea (0, '\\x00'),"
    "         '2026-03-01T10:00:00Z'::timestamptz + $4::interval, $5::timestamptz)";

  sp_test_pg_command (conn, insert, SP_TEST_PG_ARGS (id, "00000000-0000-4000-8000-00000000d002", "allegato",
                                                     "2 days", NULL));
  sp_test_pg_command (conn, insert, SP_TEST_PG_ARGS (id, "00000000-0000-4000-8000-00000000d001", "modulo",
                                                     "0 days", NULL));
  sp_test_pg_command (conn, insert, SP_TEST_PG_ARGS (id, "00000000-0000-4000-8000-00000000d003", "risposta",
                                                     "1 day", "2026-03-04T10:00:00Z"));

  same = sp_test_pg_value (conn,
                           "SELECT version_current_snapshot (p.id)::text"
                           "       = version_snapshot (p.data, p.status, a.username, p.protocol_number, p.protocol_date,"
                           "                           p.protocol_entries, p.outcome, p.motivation,"
                           "                           (SELECT coalesce (jsonb_agg (jsonb_build_object ('id', d.id, 'kind', d.kind,"
                           "                                     'filename', d.filename, 'sha256', d.sha256)"
                           "                                     ORDER BY d.created_at, d.id), '[]')"
                           "                            FROM document_current d WHERE d.pratica_id = p.id))::text"
                           " FROM pratica p LEFT JOIN account a ON a.id = p.assigned_to WHERE p.id = $1::uuid",
                           SP_TEST_PG_ARGS (id));
  g_assert_cmpstr (same, ==, "t");
  documents = sp_test_pg_value (conn,
                                "SELECT string_agg (e ->> 'kind', ' ')"
                                " FROM jsonb_array_elements (version_current_snapshot ($1::uuid) -> 'documents') e",
                                SP_TEST_PG_ARGS (id));
  g_assert_cmpstr (documents, ==, "modulo allegato");
  past = sp_test_pg_value (conn,
                           "SELECT string_agg (e ->> 'kind', ' ')"
                           " FROM jsonb_array_elements (version_documents ($1::uuid, '2026-03-02T12:00:00Z')) e",
                           SP_TEST_PG_ARGS (id));
  g_assert_cmpstr (past, ==, "modulo");
  none = sp_test_pg_value (conn, "SELECT version_current_snapshot (gen_random_uuid ())", 0, NULL);
  g_assert_null (none);

  languages = sp_test_pg_value (conn,
                                "SELECT string_agg (DISTINCT l.lanname, ' ') FROM pg_proc f"
                                " JOIN pg_language l ON l.oid = f.prolang"
                                " WHERE (f.proname, f.pronargs) IN (('version_current_snapshot', 1), ('version_documents', 2))",
                                0, NULL);
  g_assert_cmpstr (languages, ==, "plpgsql");
}

/* version_append() reads by index, whatever the size of the tables when its
 * plans were made (0020): on a connection that has appended often enough for
 * PL/pgSQL to keep its plans, to a version table of a few rows where a
 * sequential scan would be the cheaper plan, one more version scans no table
 * it reads (pratica, version, document) sequentially. */
static void
test_append_by_index (void)
{
  g_autoptr(PGconn) own = sp_test_pg_connect (env);
  g_autofree char *id = fixture_pratica ();
  g_autofree char *scans = NULL;

  for (guint i = 0; i < 10; i++)
    sp_test_version_append (own, id, "Salvataggio", "Mario Rossi", "operatore");

  sp_test_pg_command (own, "BEGIN", 0, NULL);
  sp_test_version_append (own, id, "Salvataggio", "Mario Rossi", "operatore");
  scans = sp_test_pg_value (own,
                            "SELECT string_agg (relname || ' ' || seq_scan || ' ' || (idx_scan > 0), ', ' ORDER BY relname)"
                            " FROM pg_stat_xact_user_tables WHERE relname IN ('pratica', 'version')",
                            0, NULL);
  sp_test_pg_command (own, "COMMIT", 0, NULL);
  g_assert_cmpstr (scans, ==, "pratica 0 true, version 0 true");
  g_assert_cmpuint (sp_test_versions_verify (env, id), ==, 11);
}

/* Writers appending to one pratica at once chain one after the other. */
static void
test_concurrent_appends (void)
{
  g_autofree char *id = fixture_pratica ();
  Appender appenders[APPENDERS];
  GThread *threads[APPENDERS];

  for (guint i = 0; i < APPENDERS; i++)
    {
      appenders[i] = (Appender) { id, i };
      threads[i] = g_thread_new ("appender", append_thread, &appenders[i]);
    }
  for (guint i = 0; i < APPENDERS; i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (sp_test_versions_verify (env, id), ==, APPENDERS * APPENDS);
}

/* load-demo's 300 pratiche, with their past states. */
static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  guint64 before = count_versions ();

  sp_test_env_admin (env, NULL, &out, &error, "load-demo", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (count_versions (), >, before + 300);
  g_assert_cmpuint (sp_test_versions_verify (env, NULL), ==, count_versions ());
}

/* generate's set-based versions, moduli listed in some. */
static void
test_generate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  guint64 before = count_versions ();
  gint64 with_modulo;

  sp_test_env_admin (env, SP_TEST_PASSWORD, &out, &error, "generate", "400", "--servizi", "6", "--operators", "4",
                     "--ente", "gen", "--moduli", "10", "--password-stdin", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (count_versions (), >, before + 400);
  with_modulo = sp_test_pg_int (conn, "SELECT count (DISTINCT v.pratica_id) FROM version v"
                                      " JOIN pratica p ON p.id = v.pratica_id JOIN ente e ON e.id = p.ente_id"
                                      " WHERE e.code = 'gen' AND json_array_length (v.snapshot -> 'documents') = 1",
                                0, NULL);
  g_assert_cmpint (with_modulo, ==, 10);
  g_assert_cmpuint (sp_test_versions_verify (env, NULL), ==, count_versions ());
}

static void
assert_broken (const char *pratica_id,
               const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *where = g_strdup_printf ("version  %s:", number);

  g_assert_false (sp_test_env_admin (env, NULL, &out, &error, "verify-versions", NULL));
  g_assert_error (error, G_SPAWN_EXIT_ERROR, 1);
  if (error == NULL)
    return;
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, pratica_id));
  g_assert_nonnull (strstr (error->message, where));
  g_assert_nonnull (strstr (error->message, "expected "));
}

/* As the superuser, past the append-only trigger: @sql changes version
 * $2 of pratica $1 with the value $3. */
static void
tamper (const char *sql,
        const char *pratica_id,
        const char *number,
        const char *value)
{
  sp_test_pg_command (conn, "ALTER TABLE version DISABLE TRIGGER version_append_only", 0, NULL);
  sp_test_pg_command (conn, sql, SP_TEST_PG_ARGS (pratica_id, number, value));
  sp_test_pg_command (conn, "ALTER TABLE version ENABLE TRIGGER version_append_only", 0, NULL);
}

/* A changed snapshot is named; put back, every link holds again; a
 * rewritten hash is named too. */
static void
test_tampered (void)
{
  g_autofree char *id = sp_test_pg_value (conn, "SELECT pratica_id FROM version WHERE number = 2"
                                                " ORDER BY pratica_id DESC LIMIT 1", 0, NULL);
  g_autofree char *snapshot = sp_test_pg_value (conn, "SELECT snapshot::text FROM version"
                                                      " WHERE pratica_id = $1::uuid AND number = 2",
                                                SP_TEST_PG_ARGS (id));

  tamper ("UPDATE version SET snapshot = jsonb_set (snapshot::jsonb, '{status}',"
          "                                          to_jsonb ((snapshot ->> 'status')::integer + $3::integer))"
          " WHERE pratica_id = $1::uuid AND number = $2::integer", id, "2", "1");
  assert_broken (id, "2");
  tamper ("UPDATE version SET snapshot = $3::json WHERE pratica_id = $1::uuid AND number = $2::integer",
          id, "2", snapshot);
  sp_test_versions_verify (env, NULL);

  /* The link covers the text as stored: the same document spaced otherwise
   * is a change too. */
  tamper ("UPDATE version SET snapshot = (snapshot::text || $3)::json"
          " WHERE pratica_id = $1::uuid AND number = $2::integer", id, "2", " ");
  assert_broken (id, "2");
  tamper ("UPDATE version SET snapshot = $3::json WHERE pratica_id = $1::uuid AND number = $2::integer",
          id, "2", snapshot);
  sp_test_versions_verify (env, NULL);

  tamper ("UPDATE version SET hash = $3 WHERE pratica_id = $1::uuid AND number = $2::integer",
          id, "1", "0000000000000000000000000000000000000000000000000000000000000000");
  assert_broken (id, "1");
}

static void
test_usage (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sp_test_env_admin (env, NULL, NULL, &error, "verify-versions", "--pratica", "2026-000001", NULL));
  g_assert_error (error, G_SPAWN_EXIT_ERROR, 2);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  /* In this order: the tampering comes last. */
  g_test_add_func ("/sportello/versions/link-vectors", test_link_vectors);
  g_test_add_func ("/sportello/versions/fixture-and-server", test_fixture_and_server);
  g_test_add_func ("/sportello/versions/snapshot-documents", test_snapshot_documents);
  g_test_add_func ("/sportello/versions/append-by-index", test_append_by_index);
  g_test_add_func ("/sportello/versions/concurrent-appends", test_concurrent_appends);
  g_test_add_func ("/sportello/versions/demo", test_demo);
  g_test_add_func ("/sportello/versions/generate", test_generate);
  g_test_add_func ("/sportello/versions/usage", test_usage);
  g_test_add_func ("/sportello/versions/tampered", test_tampered);

  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  status = g_test_run ();
  g_clear_pointer (&conn, PQfinish);
  sp_test_env_stop (env);
  return status;
}
