/* test-audit.c: the audit API: auditors only, search, versions, comparisons, and the log of every audit read */
#define G_LOG_DOMAIN "test-audit"

#include "config.h"

#include <string.h>

#include "sp-api.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pdf.h"
#include "sp-test-pg.h"

static SpTestEnv *env;
static PGconn *conn;
static char *auditor;    /* session tokens */
static char *operator;

static SpTestResponse *
get (const char *token,
     const char *path)
{
  return sp_test_request (env, "GET", path, token, NULL, NULL, 0);
}

static char *
versions_path (const char *pratica)
{
  return g_strdup_printf (SP_API_AUDIT_PRATICHE "/%s/versions", pratica);
}

static char *
compare_path (const char *pratica,
              const char *query)
{
  return g_strdup_printf (SP_API_AUDIT_PRATICHE "/%s/compare%s", pratica, query);
}

static char *
reads_path (const char *pratica)
{
  return g_strdup_printf (SP_API_AUDIT_PRATICHE "/%s/reads", pratica);
}

static char *
chain_path (const char *pratica)
{
  return g_strdup_printf (SP_API_AUDIT_PRATICHE "/%s/chain", pratica);
}

/* A pratica with three versions: submitted with its data, taken in charge
 * by an operator (assignee and status), then its data corrected. */
static char *
three_versions (const char *cognome)
{
  SpTestPratica spec = {
    .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = 3000, .protocol_number = "2026/0008001",
    .cognome = cognome, .codice_fiscale = "VRDLRA80A41H501X",
    .data = "{\"motivo\": \"Residenza\", \"indirizzo\": {\"via\": \"Via Roma 1\", \"cap\": \"\"},"
            " \"note\": \"da cancellare\"}",
  };
  g_autofree char *id = sp_test_pratica_insert (conn, &spec);

  g_assert_cmpint (sp_test_version_append (conn, id, "Protocollazione", "Sistema", "sistema"), ==, 1);
  sp_test_pg_command (conn, "UPDATE pratica SET status = 4000, assigned_to = (SELECT id FROM account WHERE username = $2)"
                            " WHERE id = $1::uuid", SP_TEST_PG_ARGS (id, SP_TEST_OPERATOR));
  g_assert_cmpint (sp_test_version_append (conn, id, "Presa in carico", "Operatore di Prova", "operatore"), ==, 2);
  sp_test_pg_command (conn, "UPDATE pratica SET data = jsonb_set (jsonb_set (data - 'note', '{indirizzo,cap}', '\"00100\"'),"
                            " '{motivo}', '\"Cambio di residenza\"') WHERE id = $1::uuid", SP_TEST_PG_ARGS (id));
  g_assert_cmpint (sp_test_version_append (conn, id, "Salvataggio", "Operatore di Prova", "operatore"), ==, 3);
  return g_steal_pointer (&id);
}

static gint64
reads_of (const char *pratica,
          const char *action)
{
  return sp_test_pg_int (conn, "SELECT count (*) FROM audit_read r JOIN account a ON a.id = r.account_id"
                               " WHERE r.pratica_id = $1::uuid AND r.action = $2 AND a.username = '" SP_TEST_AUDITOR "'",
                         SP_TEST_PG_ARGS (pratica, action));
}

/* Only auditors: operators 403, nobody 401; partners' credentials are not valid here. */
static void
test_auditors_only (void)
{
  g_autofree char *id = three_versions ("Auditati");
  g_autofree char *versions = versions_path (id);
  g_autofree char *compare = compare_path (id, "?from=1&to=2");
  g_autofree char *reads = reads_path (id);
  g_autofree char *chain = chain_path (id);
  const char *paths[] = { SP_API_AUDIT_PRATICHE "?q=Auditati", versions, compare, reads, chain };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(SpTestResponse) as_operator = get (operator, paths[i]);
      g_autoptr(SpTestResponse) anonymous = get (NULL, paths[i]);

      sp_test_assert_problem (as_operator, 403, "forbidden");
      g_assert_cmpint (anonymous->status, ==, 401);
    }
  g_assert_cmpint (reads_of (id, "versions") + reads_of (id, "compare") + reads_of (id, "reads")
                   + reads_of (id, "chain"), ==, 0);
}

static guint
items (SpTestResponse *response)
{
  sp_test_assert_status (response, 200);
  return json_array_get_length (json_object_get_array_member (sp_test_response_object (response), "items"));
}

/* By surname, codice fiscale, number and UUID, across the ente; each search logged. */
static void
test_search (void)
{
  g_autofree char *id = three_versions ("Ricercabile");
  g_autofree char *numero = sp_test_pg_value (conn, "SELECT numero FROM pratica WHERE id = $1::uuid",
                                              SP_TEST_PG_ARGS (id));
  g_autofree char *by_numero = g_strdup_printf (SP_API_AUDIT_PRATICHE "?q=%s", numero);
  g_autofree char *by_uuid = g_strdup_printf (SP_API_AUDIT_PRATICHE "?q=%s", id);
  g_autoptr(SpTestResponse) surname = get (auditor, SP_API_AUDIT_PRATICHE "?q=ricerc");
  g_autoptr(SpTestResponse) cf = get (auditor, SP_API_AUDIT_PRATICHE "?q=VRDLRA80A41H501X");
  g_autoptr(SpTestResponse) number = get (auditor, by_numero);
  g_autoptr(SpTestResponse) uuid = get (auditor, by_uuid);
  g_autoptr(SpTestResponse) unknown = get (auditor, SP_API_AUDIT_PRATICHE "?q=00000000-0000-4000-8000-000000000000");
  g_autoptr(SpTestResponse) empty = get (auditor, SP_API_AUDIT_PRATICHE "?q=%20");
  g_autoptr(SpTestResponse) bucket = get (auditor, SP_API_AUDIT_PRATICHE "?q=x&bucket=da_gestire");
  g_autoptr(SpTestResponse) other_ente = get (auditor, SP_API_AUDIT_PRATICHE "?q=" SP_TEST_SERVIZIO_OTHER);
  JsonObject *first;

  g_assert_cmpuint (items (surname), ==, 1);
  first = json_array_get_object_element (json_object_get_array_member (sp_test_response_object (surname), "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==, id);
  g_assert_cmpuint (items (cf), >=, 1);
  g_assert_cmpuint (items (number), ==, 1);
  g_assert_cmpuint (items (uuid), ==, 1);
  g_assert_cmpuint (items (unknown), ==, 0);
  g_assert_cmpuint (items (other_ente), ==, 0);
  sp_test_assert_problem (empty, 422, "validation");
  sp_test_assert_problem (bucket, 400, "invalid-input");

  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM audit_read WHERE action = 'search' AND detail ->> 'q' = 'ricerc'",
                                   0, NULL), ==, 1);
  g_assert_cmpint (reads_of (id, "search"), ==, 1);   /* by UUID: the pratica is known */
}

/* Every version, oldest first, with the role its user had then. */
static void
test_versions (void)
{
  g_autofree char *id = three_versions ("Versionata");
  g_autofree char *path = versions_path (id);
  g_autoptr(SpTestResponse) response = get (auditor, path);
  g_autoptr(SpTestResponse) missing = get (auditor, SP_API_AUDIT_PRATICHE "/00000000-0000-4000-8000-000000000000/versions");
  g_autoptr(SpTestResponse) not_uuid = get (auditor, SP_API_AUDIT_PRATICHE "/2026-000001/versions");
  JsonArray *versions;
  JsonObject *second;

  sp_test_assert_status (response, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (sp_test_response_object (response),
                                                                                 "pratica"), "id"), ==, id);
  versions = json_object_get_array_member (sp_test_response_object (response), "versions");
  g_assert_cmpuint (json_array_get_length (versions), ==, 3);
  second = json_array_get_object_element (versions, 1);
  g_assert_cmpint (json_object_get_int_member (second, "version"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (second, "operation"), ==, "Presa in carico");
  g_assert_cmpint (json_object_get_int_member (second, "status"), ==, 4000);
  g_assert_cmpstr (json_object_get_string_member (second, "user"), ==, "Operatore di Prova");
  g_assert_cmpstr (json_object_get_string_member (second, "role"), ==, "operatore");
  g_assert_nonnull (json_object_get_string_member (second, "at"));
  g_assert_true (json_object_get_null_member (second, "note"));
  sp_test_assert_problem (missing, 404, "not-found");
  sp_test_assert_problem (not_uuid, 404, "not-found");
  g_assert_cmpint (reads_of (id, "versions"), ==, 1);
}

/* The field of @response at @path. */
static JsonObject *
field (SpTestResponse *response,
       const char     *path)
{
  return sp_test_response_find (response, "fields", "path", path);
}

static const char *
change (SpTestResponse *response,
        const char     *path)
{
  return json_object_get_string_member (field (response, path), "change");
}

/* Two versions, field by field, with who and when on each side. */
static void
test_compare (void)
{
  g_autofree char *id = three_versions ("Comparata");
  g_autofree char *path = compare_path (id, "?from=1&to=3");
  g_autofree char *reversed_path = compare_path (id, "?from=3&to=1");
  g_autofree char *same_path = compare_path (id, "?from=2&to=2");
  g_autofree char *missing_path = compare_path (id, "?from=1&to=9");
  g_autofree char *bad_path = compare_path (id, "?from=uno&to=0");
  g_autoptr(SpTestResponse) response = get (auditor, path);
  g_autoptr(SpTestResponse) reversed = get (auditor, reversed_path);
  g_autoptr(SpTestResponse) same = get (auditor, same_path);
  g_autoptr(SpTestResponse) missing = get (auditor, missing_path);
  g_autoptr(SpTestResponse) bad = get (auditor, bad_path);
  JsonObject *from, *to, *cap;
  JsonArray *fields;

  sp_test_assert_status (response, 200);
  from = json_object_get_object_member (sp_test_response_object (response), "from");
  to = json_object_get_object_member (sp_test_response_object (response), "to");
  g_assert_cmpint (json_object_get_int_member (from, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (from, "user"), ==, "Sistema");
  g_assert_cmpstr (json_object_get_string_member (from, "role"), ==, "sistema");
  g_assert_cmpint (json_object_get_int_member (to, "version"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (to, "role"), ==, "operatore");

  /* Every kind of change, the unchanged listed too. */
  g_assert_cmpstr (change (response, "data.motivo"), ==, "changed");
  g_assert_cmpstr (change (response, "data.indirizzo.cap"), ==, "added");
  g_assert_cmpstr (change (response, "data.note"), ==, "removed");
  g_assert_cmpstr (change (response, "data.indirizzo.via"), ==, "unchanged");
  g_assert_cmpstr (change (response, "status"), ==, "changed");
  g_assert_cmpstr (change (response, "assigned_to"), ==, "added");
  g_assert_cmpstr (change (response, "protocol.number"), ==, "unchanged");
  cap = field (response, "data.indirizzo.cap");
  g_assert_cmpstr (json_object_get_string_member (cap, "old"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (cap, "new"), ==, "00100");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cap, "labels")), ==, 2);

  /* The other way round: what was added is removed. */
  sp_test_assert_status (reversed, 200);
  g_assert_cmpstr (change (reversed, "data.note"), ==, "added");
  g_assert_cmpstr (change (reversed, "assigned_to"), ==, "removed");

  /* A version with itself: nothing changed. */
  sp_test_assert_status (same, 200);
  fields = json_object_get_array_member (sp_test_response_object (same), "fields");
  g_assert_cmpuint (json_array_get_length (fields), >, 0);
  for (guint i = 0; i < json_array_get_length (fields); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (fields, i), "change"), ==,
                     "unchanged");

  sp_test_assert_problem (missing, 404, "not-found");
  sp_test_assert_problem (bad, 422, "validation");
  g_assert_cmpint (reads_of (id, "compare"), ==, 3);
}

/* Accept: application/pdf: the same comparison as a PDF, every field with
 * both values and its change in words, named and checksummed like a
 * document; the log says it was a PDF. */
static void
test_compare_pdf (void)
{
  g_autofree char *id = three_versions ("Stampata");
  g_autofree char *path = compare_path (id, "?from=1&to=3");
  g_autoptr(SoupSession) session = sp_test_session_new (sp_test_env_get_ca_file (env), NULL);
  g_autoptr(SoupMessage) message = sp_test_message_new (env, "GET", path, auditor, NULL, NULL, 0);
  g_autoptr(SpTestResponse) response = NULL;
  g_autoptr(SpTestResponse) json = NULL;
  g_autofree char *numero = sp_test_pg_value (conn, "SELECT numero FROM pratica WHERE id = $1::uuid",
                                              SP_TEST_PG_ARGS (id));
  g_autofree char *sha256 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *png = NULL;
  g_autofree char *disposition = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/pdf");
  response = sp_test_send (session, message);
  sp_test_assert_status (response, 200);
  g_assert_cmpstr (response->content_type, ==, "application/pdf");
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, response->body);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "X-Content-SHA256"), ==, sha256);
  disposition = g_strdup_printf ("attachment; filename=confronto-%s-v1-v3.pdf", numero);
  g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Content-Disposition"), ==, disposition);

  text = sp_test_pdf_text (response->body);
  g_assert_nonnull (strstr (text, "Confronto delle versioni"));
  g_assert_nonnull (strstr (text, numero));
  g_assert_nonnull (strstr (text, "versione 1 · Protocollazione · Sistema (sistema)"));
  g_assert_nonnull (strstr (text, "versione 3 · Salvataggio · Operatore di Prova"));
  g_assert_nonnull (strstr (text, "+ Aggiunto"));
  g_assert_nonnull (strstr (text, "≠ Modificato"));
  g_assert_nonnull (strstr (text, "− Rimosso"));
  g_assert_nonnull (strstr (text, "= Invariato"));
  g_assert_nonnull (strstr (text, "Cambio di residenza"));
  g_assert_nonnull (strstr (text, "da cancellare"));
  g_assert_nonnull (strstr (text, "00100"));
  g_assert_nonnull (strstr (text, "stampato da Revisore di Prova"));
  png = sp_test_pdf_png (response->body, "audit-compare-pdf");
  g_test_message ("The comparison's first page: %s", png);

  /* JSON stays the default, and the log tells the two apart. */
  json = get (auditor, path);
  sp_test_assert_status (json, 200);
  g_assert_cmpstr (json->content_type, ==, "application/json");
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM audit_read WHERE pratica_id = $1::uuid"
                                         " AND action = 'compare' AND detail ->> 'format' = 'pdf'",
                                   SP_TEST_PG_ARGS (id)), ==, 1);
  g_assert_cmpint (reads_of (id, "compare"), ==, 2);
}

/* Numbers as the snapshots store them (jsonb's numeric: any precision),
 * written through version_append(), the one writer of versions: the API
 * copies each as jsonb writes it (not 19.989999999999998, not -1 for an
 * integer past 64 bits), compares them by exact value (1 and 1.0 are the
 * same numeric; 1 and "1" are not), and so does the PDF. */
static void
test_compare_numbers (void)
{
  g_autofree char *id = three_versions ("Numerica");
  g_autofree char *path = NULL;
  g_autoptr(SpTestResponse) response = NULL;
  g_autoptr(SoupSession) session = sp_test_session_new (sp_test_env_get_ca_file (env), NULL);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(SpTestResponse) pdf = NULL;
  g_autoptr(GString) huge = g_string_new ("1");
  g_autofree char *pdf_text = NULL;
  const struct
  {
    const char *key;
    const char *old_value;    /* as written into the jsonb */
    const char *new_value;
    const char *change;
  } cases[] = {
    { "importo", "19.99", "19.990", "unchanged" },
    { "rata", "0.1", "0.30", "changed" },
    { "grande", "100000000000000000000", "100000000000000000001", "changed" },
    { "enorme", "1E+400", "1E+400", "unchanged" },
    { "zero", "-0", "0.0", "unchanged" },
    { "uno", "1", "1.0", "unchanged" },
    { "testo", "1", "\"1\"", "changed" },
  };
  int first = 0;
  int second = 0;

  for (guint i = 0; i < 400; i++)
    g_string_append_c (huge, '0');
  for (guint side = 0; side < 2; side++)
    {
      g_autoptr(GString) data = g_string_new ("{");

      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        g_string_append_printf (data, "%s\"%s\": %s", i > 0 ? ", " : "", cases[i].key,
                                side == 0 ? cases[i].old_value : cases[i].new_value);
      g_string_append_c (data, '}');
      sp_test_pg_command (conn, "UPDATE pratica SET data = data || $2::jsonb WHERE id = $1::uuid",
                          SP_TEST_PG_ARGS (id, data->str));
      if (side == 0)
        first = sp_test_version_append (conn, id, "Salvataggio", "Operatore di Prova", "operatore");
      else
        second = sp_test_version_append (conn, id, "Salvataggio", "Operatore di Prova", "operatore");
    }
  g_assert_cmpint (first, ==, 4);
  g_assert_cmpint (second, ==, 5);

  path = compare_path (id, "?from=4&to=5");
  response = get (auditor, path);
  sp_test_assert_status (response, 200);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* jsonb's own text of each value, as the API must write it. */
      g_autofree char *old_text = sp_test_pg_value (conn, "SELECT (snapshot -> 'data' -> $2)::text FROM version"
                                                          " WHERE pratica_id = $1::uuid AND number = 4",
                                                    SP_TEST_PG_ARGS (id, cases[i].key));
      g_autofree char *new_text = sp_test_pg_value (conn, "SELECT (snapshot -> 'data' -> $2)::text FROM version"
                                                          " WHERE pratica_id = $1::uuid AND number = 5",
                                                    SP_TEST_PG_ARGS (id, cases[i].key));
      g_autofree char *expected = g_strdup_printf ("{\"path\":\"data.%s\",\"labels\":[\"%s\"],\"old\":%s,"
                                                   "\"new\":%s,\"change\":\"%s\"}", cases[i].key, cases[i].key,
                                                   old_text, new_text, cases[i].change);

      if (strstr (response->text, expected) == NULL)
        g_error ("%s not in %s", expected, response->text);
    }
  /* What jsonb writes: every digit, and a number's scale. */
  g_assert_nonnull (strstr (response->text, "\"old\":19.99,\"new\":19.990,"));
  g_assert_nonnull (strstr (response->text, "\"old\":100000000000000000000,\"new\":100000000000000000001,"));
  g_assert_nonnull (strstr (response->text, huge->str));
  g_assert_nonnull (strstr (response->text, "\"old\":1,\"new\":\"1\",\"change\":\"changed\""));

  /* The PDF reads them in Italian, every digit as stored (a long number
   * wraps in its cell). */
  message = sp_test_message_new (env, "GET", path, auditor, NULL, NULL, 0);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/pdf");
  pdf = sp_test_send (session, message);
  sp_test_assert_status (pdf, 200);
  pdf_text = sp_test_pdf_text (pdf->body);
  g_assert_nonnull (strstr (pdf_text, "19,99 "));
  g_assert_nonnull (strstr (pdf_text, "19,990"));
  g_assert_nonnull (strstr (pdf_text, "0,30"));
  g_assert_nonnull (strstr (pdf_text, "1,0"));
  g_assert_nonnull (strstr (pdf_text, "1000000000000000000"));
  g_assert_null (strstr (pdf_text, "19,9899"));
}

/* The audit's log: every read of the pratica, visible to auditors, and append-only. */
static void
test_reads (void)
{
  g_autofree char *id = three_versions ("Letta");
  g_autofree char *versions = versions_path (id);
  g_autofree char *compare = compare_path (id, "?from=2&to=3");
  g_autofree char *reads = reads_path (id);
  g_autoptr(SpTestResponse) r1 = get (auditor, versions);
  g_autoptr(SpTestResponse) r2 = get (auditor, compare);
  g_autoptr(SpTestResponse) log = get (auditor, reads);
  g_autoptr(PGresult) update = NULL;
  g_autoptr(PGresult) delete = NULL;
  JsonArray *entries;
  JsonObject *newest, *compared;

  sp_test_assert_status (r1, 200);
  sp_test_assert_status (r2, 200);
  sp_test_assert_status (log, 200);
  entries = json_object_get_array_member (sp_test_response_object (log), "reads");
  g_assert_cmpuint (json_array_get_length (entries), ==, 3);
  newest = json_array_get_object_element (entries, 0);
  g_assert_cmpstr (json_object_get_string_member (newest, "action"), ==, "reads");
  g_assert_cmpstr (json_object_get_string_member (newest, "username"), ==, SP_TEST_AUDITOR);
  compared = json_array_get_object_element (entries, 1);
  g_assert_cmpstr (json_object_get_string_member (compared, "action"), ==, "compare");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (compared, "detail"), "from"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (compared, "detail"), "to"), ==, 3);

  /* Nobody rewrites it, the server's own role included. */
  update = PQexecParams (conn, "UPDATE audit_read SET action = 'search' WHERE pratica_id = $1::uuid", 1, NULL,
                         (const char *[]) { id }, NULL, NULL, 0);
  delete = PQexecParams (conn, "DELETE FROM audit_read WHERE pratica_id = $1::uuid", 1, NULL,
                         (const char *[]) { id }, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (update), ==, PGRES_FATAL_ERROR);
  g_assert_cmpint (PQresultStatus (delete), ==, PGRES_FATAL_ERROR);
  g_assert_nonnull (strstr (PQresultErrorMessage (delete), "append-only"));
  g_assert_cmpint (reads_of (id, "reads"), ==, 1);
}

static void
tamper (const char *sql,
        const char *pratica_id)
{
  sp_test_pg_command (conn, "ALTER TABLE version DISABLE TRIGGER version_append_only", 0, NULL);
  sp_test_pg_command (conn, sql, SP_TEST_PG_ARGS (pratica_id));
  sp_test_pg_command (conn, "ALTER TABLE version ENABLE TRIGGER version_append_only", 0, NULL);
}

static JsonObject *
assert_chain (SpTestResponse *response,
              gint64          versions,
              gboolean        intact)
{
  JsonObject *object;

  sp_test_assert_status (response, 200);
  object = sp_test_response_object (response);
  g_assert_cmpint (json_object_get_int_member (object, "versions"), ==, versions);
  g_assert_cmpint (json_object_get_boolean_member (object, "intact"), ==, intact);
  g_assert_true (json_object_get_null_member (object, "broken") == intact);
  return intact ? NULL : json_object_get_object_member (object, "broken");
}

/* The check of a pratica's hash chain: intact, then a rewritten snapshot,
 * a rewritten hash and a missing version named; each check logged with
 * what it found. */
static void
test_chain (void)
{
  g_autofree char *id = three_versions ("Catena");
  g_autofree char *chain = chain_path (id);
  g_autoptr(SpTestResponse) intact = get (auditor, chain);
  g_autoptr(SpTestResponse) snapshot = NULL;
  g_autoptr(SpTestResponse) hash = NULL;
  g_autoptr(SpTestResponse) gap = NULL;
  g_autoptr(SpTestResponse) missing = get (auditor, SP_API_AUDIT_PRATICHE "/00000000-0000-4000-8000-000000000000/chain");
  JsonObject *broken;

  assert_chain (intact, 3, TRUE);

  tamper ("UPDATE version SET snapshot = jsonb_set (snapshot::jsonb, '{data,motivo}', '\"Altro\"')"
          " WHERE pratica_id = $1::uuid AND number = 2", id);
  snapshot = get (auditor, chain);
  broken = assert_chain (snapshot, 3, FALSE);
  g_assert_cmpint (json_object_get_int_member (broken, "version"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (broken, "kind"), ==, "hash");
  g_assert_cmpstr (json_object_get_string_member (broken, "stored_hash"), !=,
                   json_object_get_string_member (broken, "expected_hash"));

  tamper ("UPDATE version SET snapshot = jsonb_set (snapshot::jsonb, '{data,motivo}', '\"Residenza\"'),"
          "   hash = repeat ('0', 64) WHERE pratica_id = $1::uuid AND number = 2", id);
  hash = get (auditor, chain);
  broken = assert_chain (hash, 3, FALSE);
  g_assert_cmpint (json_object_get_int_member (broken, "version"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (broken, "stored_hash"), ==,
                   "0000000000000000000000000000000000000000000000000000000000000000");

  tamper ("DELETE FROM version WHERE pratica_id = $1::uuid AND number = 2", id);
  gap = get (auditor, chain);
  broken = assert_chain (gap, 2, FALSE);
  g_assert_cmpint (json_object_get_int_member (broken, "version"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (broken, "kind"), ==, "gap");

  sp_test_assert_problem (missing, 404, "not-found");
  g_assert_cmpint (reads_of (id, "chain"), ==, 4);
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM audit_read WHERE pratica_id = $1::uuid"
                                         " AND action = 'chain' AND detail = '{\"versions\": 3, \"intact\": true,"
                                         " \"broken_version\": 0}'", SP_TEST_PG_ARGS (id)), ==, 1);
}

/* A pratica of another ente does not exist for this auditor. */
static void
test_other_ente (void)
{
  SpTestPratica spec = { .servizio = SP_TEST_SERVIZIO_OTHER, .ente = SP_TEST_OTHER_ENTE };
  g_autofree char *id = sp_test_pratica_insert (conn, &spec);
  g_autofree char *versions = versions_path (id);
  g_autofree char *compare = compare_path (id, "?from=1&to=1");
  g_autoptr(SpTestResponse) r1 = NULL;
  g_autoptr(SpTestResponse) r2 = NULL;

  g_assert_cmpint (sp_test_version_append (conn, id, "Protocollazione", "Sistema", "sistema"), ==, 1);
  r1 = get (auditor, versions);
  r2 = get (auditor, compare);
  sp_test_assert_problem (r1, 404, "not-found");
  sp_test_assert_problem (r2, 404, "not-found");
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count (*) FROM audit_read WHERE pratica_id = $1::uuid",
                                   SP_TEST_PG_ARGS (id)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  env = sp_test_env_start ();
  if (env == NULL)
    return 77;
  conn = sp_test_pg_connect (env);
  auditor = sp_test_login (env, SP_TEST_AUDITOR, SP_TEST_PASSWORD);
  operator = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);

  g_test_add_func ("/sportello/audit/auditors-only", test_auditors_only);
  g_test_add_func ("/sportello/audit/search", test_search);
  g_test_add_func ("/sportello/audit/versions", test_versions);
  g_test_add_func ("/sportello/audit/compare", test_compare);
  g_test_add_func ("/sportello/audit/compare-pdf", test_compare_pdf);
  g_test_add_func ("/sportello/audit/compare-numbers", test_compare_numbers);
  g_test_add_func ("/sportello/audit/reads", test_reads);
  g_test_add_func ("/sportello/audit/chain", test_chain);
  g_test_add_func ("/sportello/audit/other-ente", test_other_ente);
  status = g_test_run ();

  g_free (auditor);
  g_free (operator);
  PQfinish (conn);
  sp_test_env_stop (env);
  return status;
}
