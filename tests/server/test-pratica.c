/* test-pratica.c: one pratica as an operator sees it: fields with labels, masking (detail and modulo), iter, protocol registrations, documents */
#define G_LOG_DOMAIN "test-pratica"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <unistd.h>

#include "sp-api.h"
#include "sp-json.h"
#include "sp-pdf.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pdf.h"
#include "sp-test-pg.h"

#define PRATICHE "/api/v1.0/operator/pratiche"
#define SERVIZIO "contributo-affitto"

static SpTestEnv *env;
static PGconn *conn;
static GHashTable *tokens;      /* username → session token */

/* Members that may be missing (after a failed request) without a critical. */
static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  return object != NULL ? json_object_get_string_member_with_default (object, member, NULL) : NULL;
}

static gint64
int_member (JsonObject *object,
            const char *member)
{
  return object != NULL ? json_object_get_int_member_with_default (object, member, -1) : -1;
}

static JsonObject *
element_object (JsonArray *array,
                guint      index)
{
  JsonNode *node = array != NULL && index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* A form with groups inside groups, a sensitive field and a sensitive group. */
static const char servizio_json[] =
  "{\"slug\": \"" SERVIZIO "\", \"name\": \"Contributo per l'affitto\", \"description\": \"Sostegno alla locazione.\","
  " \"active\": true, \"protocol_required\": false, \"protocol_provider\": \"internal\","
  " \"protocol\": {\"arrivo\": [], \"risposta\": []}, \"deadline_days\": 45,"
  " \"fields\": ["
  "  {\"key\": \"richiedente\", \"label\": \"Richiedente\", \"type\": \"group\", \"required\": true, \"sensitive\": false,"
  "   \"fields\": ["
  "    {\"key\": \"nome\", \"label\": \"Nome\", \"type\": \"text\", \"required\": true, \"sensitive\": false},"
  "    {\"key\": \"indirizzo\", \"label\": \"Indirizzo\", \"type\": \"group\", \"required\": true, \"sensitive\": false,"
  "     \"fields\": ["
  "      {\"key\": \"via\", \"label\": \"Via\", \"type\": \"text\", \"required\": true, \"sensitive\": false},"
  "      {\"key\": \"cap\", \"label\": \"CAP\", \"type\": \"text\", \"required\": true, \"sensitive\": false}]}]},"
  "  {\"key\": \"isee\", \"label\": \"Valore ISEE\", \"type\": \"number\", \"required\": true, \"sensitive\": true},"
  "  {\"key\": \"salute\", \"label\": \"Dati sanitari\", \"type\": \"group\", \"required\": false, \"sensitive\": true,"
  "   \"fields\": ["
  "    {\"key\": \"diagnosi\", \"label\": \"Diagnosi\", \"type\": \"text\", \"required\": false, \"sensitive\": false}]},"
  "  {\"key\": \"note\", \"label\": \"Note\", \"type\": \"textarea\", \"required\": false, \"sensitive\": false},"
  "  {\"key\": \"contratto\", \"label\": \"Contratto\", \"type\": \"group\", \"required\": true, \"sensitive\": false,"
  "   \"fields\": ["
  "    {\"key\": \"data\", \"label\": \"Data di stipula\", \"type\": \"date\", \"required\": true, \"sensitive\": false},"
  "    {\"key\": \"canone\", \"label\": \"Canone annuo\", \"type\": \"number\", \"required\": true, \"sensitive\": false},"
  "    {\"key\": \"deposito\", \"label\": \"Deposito\", \"type\": \"number\", \"required\": false, \"sensitive\": false}]},"
  "  {\"key\": \"privacy\", \"label\": \"Consenso privacy\", \"type\": \"checkbox\", \"required\": true, \"sensitive\": false},"
  "  {\"key\": \"animali\", \"label\": \"Animali domestici\", \"type\": \"checkbox\", \"required\": false, \"sensitive\": false}"
  " ], \"steps\": [], \"texts\": {}}";

static const char pratica_data[] =
  "{\"richiedente\": {\"nome\": \"Anna\", \"indirizzo\": {\"via\": \"Via Po 3\", \"cap\": \"10100\"}},"
  " \"isee\": 9876.5, \"salute\": {\"diagnosi\": \"Riservatissima\"},"
  " \"contratto\": {\"data\": \"2026-03-15\", \"canone\": 14400, \"deposito\": \"2400.50\"},"
  " \"privacy\": true, \"animali\": false}";

/* path, labels joined by " › ", group, sensitive */
static const struct { const char *path; const char *labels; gboolean group; gboolean sensitive; const char *value; }
expected_fields[] = {
  { "richiedente", "Richiedente", TRUE, FALSE, NULL },
  { "richiedente.nome", "Richiedente › Nome", FALSE, FALSE, "Anna" },
  { "richiedente.indirizzo", "Richiedente › Indirizzo", TRUE, FALSE, NULL },
  { "richiedente.indirizzo.via", "Richiedente › Indirizzo › Via", FALSE, FALSE, "Via Po 3" },
  { "richiedente.indirizzo.cap", "Richiedente › Indirizzo › CAP", FALSE, FALSE, "10100" },
  { "isee", "Valore ISEE", FALSE, TRUE, "9.876,5" },
  { "salute", "Dati sanitari", TRUE, TRUE, NULL },
  { "salute.diagnosi", "Dati sanitari › Diagnosi", FALSE, TRUE, "Riservatissima" },
  { "note", "Note", FALSE, FALSE, NULL },
  /* In the ente's language (it_IT), while the server runs in C.UTF-8. */
  { "contratto", "Contratto", TRUE, FALSE, NULL },
  { "contratto.data", "Contratto › Data di stipula", FALSE, FALSE, "15/03/2026" },
  { "contratto.canone", "Contratto › Canone annuo", FALSE, FALSE, "14.400" },
  { "contratto.deposito", "Contratto › Deposito", FALSE, FALSE, "2.400,50" },
  { "privacy", "Consenso privacy", FALSE, FALSE, "Sì" },
  { "animali", "Animali domestici", FALSE, FALSE, "No" },
};

static const char *
token_for (const char *username)
{
  char *token = g_hash_table_lookup (tokens, username);

  if (token == NULL)
    {
      token = sp_test_login (env, username, SP_TEST_PASSWORD);
      g_hash_table_insert (tokens, g_strdup (username), token);
    }
  return token;
}

static SpTestResponse *
get (const char *path,
     const char *token)
{
  return sp_test_request (env, "GET", path, token, NULL, NULL, 0);
}

static SpTestResponse *
get_detail (const char *id,
            const char *username)
{
  g_autofree char *path = g_strdup_printf (PRATICHE "/%s", id);

  return get (path, token_for (username));
}

static char *
insert_pratica (const char *assignee)
{
  SpTestPratica spec = {
    .servizio = SERVIZIO, .status = assignee != NULL ? 4000 : 2000, .assigned_to = assignee,
    .cognome = "Bassi", .nome = "Anna", .codice_fiscale = "BSSNNA85M41L219K", .data = pratica_data,
  };

  return sp_test_pratica_insert (conn, &spec);
}

static void
check_fields (JsonObject *detail,
              gboolean    masked)
{
  JsonArray *fields = array_member (detail, "fields");

  g_assert_nonnull (fields);
  if (fields == NULL)
    return;
  g_assert_cmpuint (json_array_get_length (fields), ==, G_N_ELEMENTS (expected_fields));
  for (guint i = 0; i < MIN (json_array_get_length (fields), G_N_ELEMENTS (expected_fields)); i++)
    {
      JsonObject *field = element_object (fields, i);
      JsonArray *labels = array_member (field, "labels");
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) parts = NULL;
      g_autofree char *joined = NULL;
      gboolean hidden = masked && expected_fields[i].sensitive && !expected_fields[i].group;
      JsonNode *value = json_object_get_member (field, "value");

      for (guint j = 0; labels != NULL && j < json_array_get_length (labels); j++)
        g_strv_builder_add (builder, json_array_get_string_element (labels, j));
      parts = g_strv_builder_end (builder);
      joined = g_strjoinv (" › ", parts);

      g_test_message ("field %u: %s", i, json_object_get_string_member_with_default (field, "path", "?"));
      g_assert_cmpstr (json_object_get_string_member_with_default (field, "path", NULL), ==, expected_fields[i].path);
      g_assert_cmpstr (joined, ==, expected_fields[i].labels);
      g_assert_cmpint (json_object_get_boolean_member_with_default (field, "group", !expected_fields[i].group), ==,
                       expected_fields[i].group);
      g_assert_cmpint (json_object_get_boolean_member_with_default (field, "sensitive", !expected_fields[i].sensitive),
                       ==, expected_fields[i].sensitive);
      g_assert_cmpint (json_object_get_boolean_member_with_default (field, "masked", !hidden), ==, hidden);
      g_assert_nonnull (value);
      if (hidden || expected_fields[i].value == NULL)
        g_assert_true (value != NULL && JSON_NODE_HOLDS_NULL (value));
      else
        g_assert_cmpstr (json_object_get_string_member_with_default (field, "value", NULL), ==, expected_fields[i].value);
    }
}

static void
test_detail_fields (void)
{
  g_autofree char *id = insert_pratica (SP_TEST_OPERATOR);
  g_autoptr(SpTestResponse) response = get_detail (id, SP_TEST_OPERATOR);
  JsonObject *detail, *pratica, *assigned;

  sp_test_assert_status (response, 200);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  detail = sp_test_response_object (response);
  pratica = object_member (detail, "pratica");
  g_assert_nonnull (pratica);
  if (pratica == NULL)
    return;
  g_assert_cmpstr (string_member (pratica, "id"), ==, id);
  g_assert_cmpint (int_member (pratica, "status"), ==, 4000);
  g_assert_cmpstr (string_member (object_member (pratica, "servizio"), "name"), ==,
                   "Contributo per l'affitto");
  g_assert_cmpstr (string_member (object_member (pratica, "applicant"), "cognome"), ==,
                   "Bassi");
  assigned = object_member (pratica, "assigned_to");
  g_assert_nonnull (assigned);
  if (assigned != NULL)
    {
      g_assert_cmpstr (string_member (assigned, "username"), ==, SP_TEST_OPERATOR);
      g_assert_cmpstr (string_member (assigned, "full_name"), ==, "Operatore di Prova");
    }
  g_assert_true (json_object_get_boolean_member_with_default (detail, "assigned_to_me", FALSE));

  /* The assignee sees everything, sensitive values included. */
  check_fields (detail, FALSE);
}

static void
test_detail_masked (void)
{
  g_autofree char *mine = insert_pratica (SP_TEST_OPERATOR);
  g_autofree char *nobodys = insert_pratica (NULL);
  const struct { const char *id; const char *viewer; } cases[] = {
    { mine, SP_TEST_OPERATOR2 },      /* a colleague's pratica */
    { nobodys, SP_TEST_OPERATOR },    /* nobody's yet */
    { nobodys, SP_TEST_OPERATOR2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpTestResponse) response = get_detail (cases[i].id, cases[i].viewer);
      JsonObject *detail;

      g_test_message ("%s viewing %s", cases[i].viewer, cases[i].id);
      sp_test_assert_status (response, 200);
      detail = sp_test_response_object (response);
      g_assert_false (json_object_get_boolean_member_with_default (detail, "assigned_to_me", TRUE));
      check_fields (detail, TRUE);
      /* Nowhere in the answer, not just not in "value", in no notation. */
      g_assert_null (strstr (sp_test_response_text (response), "9876"));
      g_assert_null (strstr (sp_test_response_text (response), "9.876"));
      g_assert_null (strstr (sp_test_response_text (response), "Riservatissima"));
    }
}

static void
test_detail_iter_ordered (void)
{
  g_autofree char *id = insert_pratica (SP_TEST_OPERATOR);
  g_autoptr(SpTestResponse) response = NULL;
  JsonArray *iter;
  const int expected[] = { 2000, 3000, 4000, 4100, 4500 };

  /* Written out of order; same time for the last two (then by insertion). */
  sp_test_pg_command (conn,
                      "INSERT INTO iter (pratica_id, status, previous_status, at, actor_kind, actor_name, note) VALUES"
                      " ($1::uuid, 4000, 3000, '2026-03-03 10:00+01', 'operator', 'Operatore di Prova', NULL),"
                      " ($1::uuid, 2000, NULL, '2026-03-01 09:00+01', 'citizen', 'Anna Bassi', 'Domanda presentata'),"
                      " ($1::uuid, 3000, 2000, '2026-03-01 09:05+01', 'system', 'Protocollo informatico', NULL)",
                      SP_TEST_PG_ARGS (id));
  sp_test_pg_command (conn,
                      "INSERT INTO iter (pratica_id, status, previous_status, at, actor_kind, actor_name, note) VALUES"
                      " ($1::uuid, 4100, 4000, '2026-03-05 12:00+01', 'operator', 'Operatore di Prova', 'Manca il contratto')",
                      SP_TEST_PG_ARGS (id));
  sp_test_pg_command (conn,
                      "INSERT INTO iter (pratica_id, status, previous_status, at, actor_kind, actor_name, note) VALUES"
                      " ($1::uuid, 4500, 4100, '2026-03-05 12:00+01', 'partner', 'Partner di prova', NULL)",
                      SP_TEST_PG_ARGS (id));

  response = get_detail (id, SP_TEST_OPERATOR);
  sp_test_assert_status (response, 200);
  iter = array_member (sp_test_response_object (response), "iter");
  g_assert_nonnull (iter);
  if (iter == NULL)
    return;
  g_assert_cmpuint (json_array_get_length (iter), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < MIN (json_array_get_length (iter), G_N_ELEMENTS (expected)); i++)
    {
      JsonObject *step = element_object (iter, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (json_object_get_string_member_with_default (step, "at", ""),
                                                              NULL);

      g_assert_cmpint (int_member (step, "status"), ==, expected[i]);
      g_assert_nonnull (at);
    }
  {
    JsonObject *first = element_object (iter, 0);
    JsonObject *fourth = element_object (iter, 3);

    g_assert_true (json_node_is_null (json_object_get_member (first, "previous_status")));
    g_assert_cmpstr (string_member (first, "actor_kind"), ==, "citizen");
    g_assert_cmpstr (string_member (first, "note"), ==, "Domanda presentata");
    g_assert_cmpint (int_member (fourth, "previous_status"), ==, 4000);
    g_assert_cmpstr (string_member (fourth, "note"), ==, "Manca il contratto");
  }
}

/* Every byte value, NULs included, and a bit more than one buffer. */
static GBytes *
binary_content (void)
{
  guint8 *data = g_malloc (70001);

  for (guint i = 0; i < 70001; i++)
    data[i] = (guint8) ((i * 7 + i / 256) & 0xff);
  return g_bytes_new_take (data, 70001);
}

static char *
insert_document (const char *pratica_id,
                 const char *kind,
                 const char *filename,
                 const char *mime_type,
                 GBytes     *content,
                 const char *signer,
                 const char *created_at)
{
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  g_autofree char *size = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (content));
  const char *params[] = { pratica_id, kind, filename, mime_type, size, sha256, NULL, signer, created_at };
  int lengths[G_N_ELEMENTS (params)] = { 0 };
  int formats[G_N_ELEMENTS (params)] = { 0 };
  g_autoptr(PGresult) result = NULL;

  params[6] = g_bytes_get_data (content, NULL);
  lengths[6] = (int) g_bytes_get_size (content);
  formats[6] = 1;   /* binary: the bytes as they are */
  result = PQexecParams (conn,
                         "INSERT INTO document (pratica_id, kind, filename, mime_type, size, sha256, content_oid, signer,"
                         "                      created_at)"
                         " VALUES ($1::uuid, $2, $3, $4, $5::bigint, $6, lo_from_bytea (0, $7::bytea), $8, $9::timestamptz)"
                         " RETURNING id",
                         G_N_ELEMENTS (params), NULL, params, lengths, formats, 0);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    g_test_message ("insert document: %s", PQerrorMessage (conn));
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  return g_strdup (PQgetvalue (result, 0, 0));
}

static void
test_documents (void)
{
  g_autofree char *id = insert_pratica (SP_TEST_OPERATOR);
  g_autofree char *other = insert_pratica (SP_TEST_OPERATOR);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n", 40);
  g_autoptr(GBytes) binary = binary_content ();
  g_autoptr(GBytes) small = g_bytes_new_static ("altro\n", 6);
  g_autofree char *modulo = insert_document (id, "modulo", "modulo-2026.pdf", "application/pdf", pdf, NULL,
                                             "2026-03-01 09:00+01");
  g_autofree char *allegato = insert_document (id, "allegato", "Relazione è firmata.pdf.p7m", "application/pkcs7-mime",
                                               binary, "CN=Mario Bianchi, O=Comune di Prova", "2026-03-02 11:00+01");
  g_autofree char *elsewhere = insert_document (other, "allegato", "altro.txt", "text/plain",
                                                small, NULL, "2026-03-02 11:00+01");
  g_autoptr(SpTestResponse) response = get_detail (id, SP_TEST_OPERATOR);
  JsonArray *documents;

  sp_test_assert_status (response, 200);
  documents = array_member (sp_test_response_object (response), "documents");
  g_assert_nonnull (documents);
  g_assert_cmpuint (documents != NULL ? json_array_get_length (documents) : 0, ==, 2);
  if (documents != NULL && json_array_get_length (documents) == 2)
    {
      JsonObject *first = element_object (documents, 0);
      JsonObject *second = element_object (documents, 1);
      g_autofree char *binary_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, binary);

      g_assert_cmpstr (string_member (first, "id"), ==, modulo);
      g_assert_cmpstr (string_member (first, "kind"), ==, "modulo");
      g_assert_cmpstr (string_member (first, "mime_type"), ==, "application/pdf");
      g_assert_cmpint (int_member (first, "size"), ==, 40);
      g_assert_true (json_node_is_null (json_object_get_member (first, "signer")));
      g_assert_cmpstr (string_member (second, "id"), ==, allegato);
      g_assert_cmpstr (string_member (second, "filename"), ==, "Relazione è firmata.pdf.p7m");
      g_assert_cmpstr (string_member (second, "sha256"), ==, binary_sha);
      g_assert_cmpint (int_member (second, "size"), ==, 70001);
      g_assert_cmpstr (string_member (second, "signer"), ==, "CN=Mario Bianchi, O=Comune di Prova");
    }

  /* Downloads: the exact bytes, their SHA-256, the name for saving. */
  {
    const struct { const char *doc; GBytes *bytes; const char *type; const char *filename; } cases[] = {
      { modulo, pdf, "application/pdf", "modulo-2026.pdf" },
      { allegato, binary, "application/pkcs7-mime", "Relazione è firmata.pdf.p7m" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *path = g_strdup_printf (PRATICHE "/%s/documents/%s", id, cases[i].doc);
        g_autoptr(SpTestResponse) download = get (path, token_for (SP_TEST_OPERATOR));
        g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, cases[i].bytes);
        g_autofree char *disposition = NULL;
        GHashTable *parameters = NULL;

        sp_test_assert_status (download, 200);
        g_assert_cmpstr (download->content_type, ==, cases[i].type);
        g_assert_true (download->body != NULL && g_bytes_equal (download->body, cases[i].bytes));
        g_assert_cmpstr (soup_message_headers_get_one (download->headers, "X-Content-SHA256"), ==, sha);
        g_assert_true (soup_message_headers_get_content_disposition (download->headers, &disposition, &parameters));
        g_assert_cmpstr (disposition, ==, "attachment");
        if (parameters != NULL)
          {
            g_assert_cmpstr (g_hash_table_lookup (parameters, "filename"), ==, cases[i].filename);
            g_hash_table_destroy (parameters);
          }
      }
  }

  /* Not through another pratica, not unknown, not malformed, not for others. */
  {
    g_autofree char *wrong_pratica = g_strdup_printf (PRATICHE "/%s/documents/%s", id, elsewhere);
    g_autofree char *unknown = g_strdup_printf (PRATICHE "/%s/documents/6f1d0f7c-5b1e-4c1a-9a57-0c6a1d0e9b11", id);
    g_autofree char *malformed = g_strdup_printf (PRATICHE "/%s/documents/not-a-uuid", id);
    g_autofree char *traversal = g_strdup_printf (PRATICHE "/%s/documents/..%%2F..%%2Fetc%%2Fpasswd", id);
    g_autofree char *mine = g_strdup_printf (PRATICHE "/%s/documents/%s", id, modulo);
    const struct { const char *path; const char *user; } cases[] = {
      { wrong_pratica, SP_TEST_OPERATOR },
      { unknown, SP_TEST_OPERATOR },
      { malformed, SP_TEST_OPERATOR },
      { mine, "pr.solo" },
      { mine, SP_TEST_OTHER_OPERATOR },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(SpTestResponse) refused = get (cases[i].path, token_for (cases[i].user));

        g_test_message ("%s: GET %s", cases[i].user, cases[i].path);
        sp_test_assert_problem (refused, 404, "not-found");
        g_assert_null (soup_message_headers_get_one (refused->headers, "X-Content-SHA256"));
      }

    /* Whoever refuses it (libsoup answers 400 by itself): a client error, no content. */
    {
      g_autoptr(SpTestResponse) refused = get (traversal, token_for (SP_TEST_OPERATOR));

      g_test_message ("GET %s: HTTP %u", traversal, refused->status);
      g_assert_cmpuint (refused->status, >=, 400);
      g_assert_cmpuint (refused->status, <, 500);
      g_assert_null (soup_message_headers_get_one (refused->headers, "X-Content-SHA256"));
    }
  }
  {
    g_autofree char *path = g_strdup_printf (PRATICHE "/%s/documents/%s", id, modulo);
    g_autofree char *auditor = sp_test_login (env, SP_TEST_AUDITOR, SP_TEST_PASSWORD);
    g_autoptr(SpTestResponse) as_auditor = get (path, auditor);
    g_autoptr(SpTestResponse) anonymous = get (path, NULL);

    sp_test_assert_problem (as_auditor, 403, "forbidden");
    g_assert_cmpuint (anonymous->status, ==, 401);
  }
}

/* The modulo as it is stored at submission: the whole form, sensitive values included. */
static GBytes *
render_modulo (void)
{
  g_autoptr(JsonNode) servizio = sp_json_parse (servizio_json, strlen (servizio_json), NULL);
  g_autoptr(JsonNode) data = sp_json_parse (pratica_data, strlen (pratica_data), NULL);
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 1, 8, 0, 0);
  g_autoptr(GError) error = NULL;
  SpModulo modulo = {
    .locale = "it_IT", .ente_name = SP_TEST_ENTE_NAME, .servizio_name = "Contributo per l'affitto",
    .numero = "2026-000777", .submitted_at = when, .applicant_nome = "Anna", .applicant_cognome = "Bassi",
    .applicant_cf = "BSSNNA85M41L219K", .applicant_email = "anna@example.org",
    .schema = json_object_get_array_member (json_node_get_object (servizio), "fields"),
    .data = json_node_get_object (data), .created_at = when,
  };
  GBytes *pdf = sp_pdf_render_modulo (&modulo, &error);

  g_assert_no_error (error);
  return pdf;
}

/* The modulo PDF masks what the detail masks, for the same viewer: every
 * value the detail shows is in the PDF's text, none that it masks. */
static void
test_modulo_masked (void)
{
  g_autofree char *id = insert_pratica (SP_TEST_OPERATOR);
  g_autoptr(GBytes) stored = render_modulo ();
  g_autofree char *stored_text = sp_test_pdf_text (stored);
  g_autofree char *modulo = NULL;
  g_autofree char *path = NULL;
  const struct { const char *viewer; gboolean masked; } cases[] = {
    { SP_TEST_OPERATOR2, TRUE },     /* a colleague: the detail masks */
    { SP_TEST_OPERATOR, FALSE },     /* the assignee sees everything, the stored bytes */
  };

  if (stored_text == NULL)
    {
      g_test_skip ("pdftotext (poppler-utils) is not installed");
      return;
    }
  g_assert_nonnull (strstr (stored_text, "Riservatissima"));
  modulo = insert_document (id, "modulo", "modulo-2026-000777.pdf", "application/pdf", stored, NULL,
                            "2026-03-01 09:00+01");
  path = g_strdup_printf (PRATICHE "/%s/documents/%s", id, modulo);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpTestResponse) detail = get_detail (id, cases[i].viewer);
      g_autoptr(SpTestResponse) download = get (path, token_for (cases[i].viewer));
      g_autofree char *text = NULL;
      g_autofree char *sha = NULL;
      JsonArray *fields;

      g_test_message ("%s downloads the modulo of %s", cases[i].viewer, id);
      sp_test_assert_status (detail, 200);
      sp_test_assert_status (download, 200);
      g_assert_cmpstr (download->content_type, ==, "application/pdf");
      if (download->body == NULL || (text = sp_test_pdf_text (download->body)) == NULL)
        {
          g_test_fail ();
          continue;
        }
      sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, download->body);
      g_assert_cmpstr (soup_message_headers_get_one (download->headers, "X-Content-SHA256"), ==, sha);
      g_assert_cmpint (g_bytes_equal (download->body, stored), ==, !cases[i].masked);

      fields = array_member (sp_test_response_object (detail), "fields");
      for (guint j = 0; fields != NULL && j < json_array_get_length (fields); j++)
        {
          JsonObject *field = element_object (fields, j);
          const char *value = string_member (field, "value");
          gboolean masked = json_object_get_boolean_member_with_default (field, "masked", FALSE);

          g_assert_cmpint (masked, ==, cases[i].masked && expected_fields[j].sensitive && !expected_fields[j].group);
          if (value != NULL)
            g_assert_nonnull (strstr (text, value));
        }
      /* The sensitive values themselves (a number may read 9.876,5). */
      if (cases[i].masked)
        {
          g_assert_null (strstr (text, "Riservatissima"));
          g_assert_null (strstr (text, "9876"));
          g_assert_null (strstr (text, "9.876"));
        }
      else
        g_assert_nonnull (strstr (text, "Riservatissima"));
      g_assert_nonnull (strstr (text, "Via Po 3"));
      /* Drawn by the server (masked) or stored (not): in the ente's language either way. */
      for (const char * const *italian = (const char * const[]) { "15/03/2026", "14.400", "2.400,50", "Sì", NULL };
           *italian != NULL; italian++)
        if (strstr (text, *italian) == NULL)
          g_error ("“%s” is missing from the modulo:\n%s", *italian, text);
      g_assert_null (strstr (text, "2026-03-15"));
      g_assert_null (strstr (text, "Yes"));
    }
}

/* A partner's request, with HTTP Basic. */
static SpTestResponse *
partner_post (const char *path,
              const char *body)
{
  g_autoptr(SoupMessage) message = sp_test_message_new (env, "POST", path, NULL, "application/json", body, -1);
  const char *pair = SP_TEST_PARTNER ":" SP_TEST_PARTNER_PASSWORD;
  g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  g_autofree char *basic = g_strdup_printf ("Basic %s", encoded);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", basic);
  return sp_test_send (sp_test_env_get_session (env), message);
}

/* Whether @raw is the JSON text of the same value as @expected. */
static gboolean
same_json (const char *raw,
           const char *expected)
{
  g_autoptr(JsonNode) a = raw != NULL ? sp_json_parse (raw, strlen (raw), NULL) : NULL;
  g_autoptr(JsonNode) b = sp_json_parse (expected, strlen (expected), NULL);

  return a != NULL && b != NULL && json_node_equal (a, b);
}

/* The register lists every registration: the internal register's rows, then
 * each entry partners sent, in order and as sent (a string, an object with
 * numero and data, and the shapes nothing reads a number out of), who sent
 * it, and which is the pratica's main number. */
static void
test_detail_protocols (void)
{
  static const char create[] =
    "{\"id\": \"REG-1\", \"servizio\": \"" SP_TEST_SERVIZIO_EXTERNAL "\", \"ente\": \"" SP_TEST_ENTE "\","
    " \"richiedente\": {\"codice_fiscale\": \"RSSMRA80A01H501U\", \"nome\": \"Mario\", \"cognome\": \"Rossi\","
    " \"email\": \"mario.rossi@example.org\"}, \"protocollo_principale\": \"EDIL/2026/88\","
    " \"dati\": {\"foglio\": \"12\", \"particella\": \"118\"}}";
  static const struct { const char *raw; const char *number; const char *date; } expected[] = {
    { "\"EDIL/2026/88\"", "EDIL/2026/88", NULL },
    { "{\"numero\": \"PG/2026/0000007\", \"data\": \"2026-03-05\"}", "PG/2026/0000007", "2026-03-05" },
    { "\"PG/2026/0000008\"", "PG/2026/0000008", NULL },
    { "{\"numero\": \"PG/2026/0000009\", \"aoo\": \"AOO1\", \"data\": 20260305}", "PG/2026/0000009", NULL },
    { "42", NULL, NULL },
    { "true", NULL, NULL },
    { "null", NULL, NULL },
    { "{\"dettagli\": {\"aoo\": \"AOO1\", \"livelli\": [1, [2, {\"x\": null}]]}}", NULL, NULL },
    { "[\"PG/1\", {\"numero\": \"PG/2\"}]", NULL, NULL },
    { "{\"numero\": 12, \"data\": \"2026-03-06\"}", NULL, "2026-03-06" },
    { "\"EDIL/2026/88\"", "EDIL/2026/88", NULL },
  };
  g_autoptr(SpTestResponse) created = partner_post (SP_API_PREFIX "/" SP_TEST_PARTNER "/pratica/offline/create", create);
  g_autoptr(GString) body = g_string_new ("[");
  g_autoptr(SpTestResponse) appended = NULL;
  g_autoptr(SpTestResponse) empty = NULL;
  g_autoptr(SpTestResponse) response = NULL;
  g_autofree char *path = NULL;
  g_autofree char *arrivo = NULL;
  g_autofree char *risposta = NULL;
  const char *id;
  JsonObject *detail;
  JsonArray *protocols;

  sp_test_assert_status (created, 201);
  id = string_member (sp_test_response_object (created), "id");
  g_assert_nonnull (id);
  path = g_strdup_printf (SP_API_PREFIX "/" SP_TEST_PARTNER "/pratica/%s/protocolli", id);
  for (guint i = 1; i < G_N_ELEMENTS (expected); i++)
    g_string_append_printf (body, "%s%s", i > 1 ? ", " : "", expected[i].raw);
  g_string_append_c (body, ']');
  appended = partner_post (path, body->str);
  sp_test_assert_status (appended, 204);
  empty = partner_post (path, "[]");
  sp_test_assert_status (empty, 204);

  /* Rows of the internal register too (as if the service had changed provider). */
  arrivo = sp_test_pg_value (conn, "SELECT protocol_number_text (r.entry_year, r.entry_number) FROM pratica p,"
                                   " protocol_register_next (p.ente_id, 'arrivo', p.id, NULL) r WHERE p.id = $1::uuid",
                             SP_TEST_PG_ARGS (id));
  risposta = sp_test_pg_value (conn, "SELECT protocol_number_text (r.entry_year, r.entry_number) FROM pratica p,"
                                     " protocol_register_next (p.ente_id, 'risposta', p.id, NULL) r WHERE p.id = $1::uuid",
                               SP_TEST_PG_ARGS (id));

  response = get_detail (id, SP_TEST_OPERATOR);
  sp_test_assert_status (response, 200);
  detail = sp_test_response_object (response);
  g_assert_cmpstr (string_member (object_member (detail, "pratica"), "protocol_number"), ==, "EDIL/2026/88");
  protocols = array_member (detail, "protocols");
  g_assert_nonnull (protocols);
  g_assert_cmpuint (json_array_get_length (protocols), ==, 2 + G_N_ELEMENTS (expected));

  for (guint i = 0; i < 2; i++)
    {
      JsonObject *record = element_object (protocols, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (string_member (record, "registered_at"), NULL);

      g_assert_cmpstr (string_member (record, "origin"), ==, "internal");
      g_assert_cmpstr (string_member (record, "number"), ==, i == 0 ? arrivo : risposta);
      g_assert_cmpstr (string_member (record, "direction"), ==, i == 0 ? "arrivo" : "risposta");
      g_assert_nonnull (at);
      g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (record, "raw")));
      g_assert_false (json_object_get_boolean_member_with_default (record, "main", TRUE));
    }
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *record = element_object (protocols, 2 + i);
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (string_member (record, "registered_at"), NULL);

      g_test_message ("entry %u: %s", i, expected[i].raw);
      g_assert_cmpstr (string_member (record, "origin"), ==, "external");
      g_assert_true (same_json (string_member (record, "raw"), expected[i].raw));
      g_assert_cmpstr (string_member (record, "number"), ==, expected[i].number);
      g_assert_cmpstr (string_member (record, "date"), ==, expected[i].date);
      g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (record, "direction")));
      g_assert_cmpstr (string_member (record, "registered_by"), ==, "Partner di prova");
      g_assert_nonnull (at);
      /* The main number once: the create's, not the same number sent again. */
      g_assert_cmpint (json_object_get_boolean_member_with_default (record, "main", FALSE), ==, i == 0);
    }

  /* Nothing registered: an empty list, with or without a main number. */
  {
    SpTestPratica spec = { .servizio = SERVIZIO, .protocol_number = "EDIL/2026/90" };
    g_autofree char *bare = insert_pratica (NULL);
    g_autofree char *numbered = sp_test_pratica_insert (conn, &spec);
    g_autoptr(SpTestResponse) none = get_detail (bare, SP_TEST_OPERATOR);
    g_autoptr(SpTestResponse) main_only = get_detail (numbered, SP_TEST_OPERATOR);

    sp_test_assert_status (none, 200);
    sp_test_assert_status (main_only, 200);
    g_assert_cmpuint (json_array_get_length (array_member (sp_test_response_object (none), "protocols")), ==, 0);
    g_assert_cmpuint (json_array_get_length (array_member (sp_test_response_object (main_only), "protocols")), ==, 0);
  }
}

static void
test_detail_not_found (void)
{
  SpTestPratica other_ente = { .ente = SP_TEST_OTHER_ENTE, .servizio = SP_TEST_SERVIZIO_OTHER, .status = 3000 };
  g_autofree char *id = insert_pratica (SP_TEST_OPERATOR);
  g_autofree char *other_id = sp_test_pratica_insert (conn, &other_ente);
  const struct { const char *user; const char *id; } cases[] = {
    { "pr.solo", id },                       /* not enabled for the service */
    { SP_TEST_OTHER_OPERATOR, id },          /* another ente, even linked to the service by mistake */
    { SP_TEST_OPERATOR, other_id },          /* another ente's pratica */
    { SP_TEST_OPERATOR, "6f1d0f7c-5b1e-4c1a-9a57-0c6a1d0e9b11" },
    { SP_TEST_OPERATOR, "not-a-uuid" },
    { SP_TEST_OPERATOR, "%27%20OR%201%3D1--" },
    { SP_TEST_OPERATOR, "6F1D0F7C-5B1E-4C1A-9A57-0C6A1D0E9B1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpTestResponse) response = get_detail (cases[i].id, cases[i].user);

      g_test_message ("%s: GET .../%s", cases[i].user, cases[i].id);
      sp_test_assert_problem (response, 404, "not-found");
    }

  /* The auditor uses the audit pages, not this route. */
  {
    g_autofree char *auditor = sp_test_login (env, SP_TEST_AUDITOR, SP_TEST_PASSWORD);
    g_autofree char *path = g_strdup_printf (PRATICHE "/%s", id);
    g_autoptr(SpTestResponse) as_auditor = get (path, auditor);

    sp_test_assert_problem (as_auditor, 403, "forbidden");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *file = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* As the server does: the stored modulo below is drawn here, in Italian. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SPORTELLO_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/sportello/pratica/detail/fields", test_detail_fields);
  g_test_add_func ("/sportello/pratica/detail/masked", test_detail_masked);
  g_test_add_func ("/sportello/pratica/detail/iter-ordered", test_detail_iter_ordered);
  g_test_add_func ("/sportello/pratica/detail/protocols", test_detail_protocols);
  g_test_add_func ("/sportello/pratica/detail/not-found", test_detail_not_found);
  g_test_add_func ("/sportello/pratica/documents", test_documents);
  g_test_add_func ("/sportello/pratica/documents/modulo-masked", test_modulo_masked);

  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* The service, through the administrator's command as in production. */
  file = g_build_filename (sp_test_env_get_dir (env), "servizio-" SERVIZIO ".json", NULL);
  g_file_set_contents (file, servizio_json, -1, &error);
  g_assert_no_error (error);
  sp_test_env_admin (env, NULL, NULL, &error, "servizio-import", SP_TEST_ENTE, file, NULL);
  g_assert_no_error (error);
  sp_test_pg_command (conn,
                      "INSERT INTO account_servizio (account_id, servizio_id)"
                      " SELECT a.id, s.id FROM account a JOIN servizio s ON s.ente_id = a.ente_id"
                      " WHERE a.username IN ($1, $2) AND s.slug = $3",
                      SP_TEST_PG_ARGS (SP_TEST_OPERATOR, SP_TEST_OPERATOR2, SERVIZIO));
  sp_test_operator_create (conn, SP_TEST_ENTE, "pr.solo", "Operatore Solo Residenza", SP_TEST_SERVIZIO_INTERNAL);
  sp_test_pg_command (conn,
                      "INSERT INTO account_servizio (account_id, servizio_id)"
                      " SELECT a.id, s.id FROM account a, servizio s JOIN ente e ON e.id = s.ente_id"
                      " WHERE a.username = $1 AND e.code = $2 AND s.slug = $3",
                      SP_TEST_PG_ARGS (SP_TEST_OTHER_OPERATOR, SP_TEST_ENTE, SERVIZIO));

  status = g_test_run ();

  g_hash_table_unref (tokens);
  g_clear_pointer (&conn, PQfinish);
  sp_test_env_stop (env);
  return status;
}
