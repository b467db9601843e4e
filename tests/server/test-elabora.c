/* test-elabora.c: Elabora through the API: save, resume, conclude (approve and reject), the response PDF, every refusal */
#define G_LOG_DOMAIN "test-elabora"

#include "config.h"

#include "sp-test-elabora.h"
#include "sp-test-pdf.h"
#include "sp-test-pg.h"

static SpTestElabora *fixture;

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
status_of (SpTestResponse *detail)
{
  JsonObject *pratica = object_member (sp_test_response_object (detail), "pratica");

  return pratica != NULL ? json_object_get_int_member_with_default (pratica, "status", -1) : -1;
}

static gint64
count (const char *sql,
       const char *pratica_id)
{
  return sp_test_pg_int (fixture->conn, sql, SP_TEST_PG_ARGS (pratica_id));
}

/* Uploads a small file as the response; returns its document id. */
static char *
upload_response (const char *pratica_id,
                 const char *filename)
{
  g_autoptr(GBytes) content = g_bytes_new_static ("%PDF-1.4 risposta di prova\n", 27);
  g_autoptr(SpTestResponse) response = sp_test_elabora_upload (fixture, pratica_id, SP_TEST_OPERATOR, filename,
                                                               "application/pdf", content);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  JsonObject *document;

  sp_test_assert_status (response, 201);
  document = sp_test_response_object (response);
  g_assert_cmpstr (string_member (document, "kind"), ==, "allegato");
  g_assert_cmpstr (string_member (document, "filename"), ==, filename);
  g_assert_cmpstr (string_member (document, "mime_type"), ==, "application/pdf");
  g_assert_cmpint (json_object_get_int_member_with_default (document, "size", -1), ==, 27);
  g_assert_cmpstr (string_member (document, "sha256"), ==, sha256);
  g_assert_true (json_object_get_null_member (document, "signer"));
  return g_strdup (string_member (document, "id"));
}

static char *
verifica_json (void)
{
  return g_strdup ("\"verifica\": {\"istruttore\": \"Ing. Paola Neri\", \"punteggio\": 7.5, \"data\": \"2026-03-02\","
                   " \"esito_verifica\": \"Conforme\", \"documenti\": true}");
}

/* The risposta document of the detail, or NULL. */
static JsonObject *
risposta_document (SpTestResponse *detail)
{
  JsonArray *documents = array_member (sp_test_response_object (detail), "documents");

  for (guint i = 0; documents != NULL && i < json_array_get_length (documents); i++)
    if (g_strcmp0 (string_member (json_array_get_object_element (documents, i), "kind"), "risposta") == 0)
      return json_array_get_object_element (documents, i);
  return NULL;
}

/* Downloads the response PDF of @detail, checks it, renders it to PNG. */
static char *
response_pdf_text (const char     *pratica_id,
                   SpTestResponse *detail,
                   const char     *png_name)
{
  JsonObject *document = risposta_document (detail);
  g_autoptr(SpTestResponse) download = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *png = NULL;

  g_assert_nonnull (document);
  download = sp_test_elabora_download (fixture, pratica_id, string_member (document, "id"), SP_TEST_OPERATOR);
  sp_test_assert_status (download, 200);
  g_assert_cmpstr (download->content_type, ==, "application/pdf");
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, download->body);
  g_assert_cmpstr (sha256, ==, string_member (document, "sha256"));
  g_assert_cmpstr (soup_message_headers_get_one (download->headers, "X-Content-SHA256"), ==, sha256);
  g_assert_cmpstr (soup_message_headers_get_one (download->headers, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_nonnull (strstr (soup_message_headers_get_one (download->headers, "Content-Disposition"),
                            string_member (document, "filename")));
  png = sp_test_pdf_png (download->body, png_name);
  g_test_message ("The response PDF, rendered: %s", png);
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  return sp_test_pdf_text (download->body);
}

static void
test_approve (void)
{
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  g_autofree char *risposta = upload_response (id, "risposta.pdf");
  g_autofree char *verifica = verifica_json ();
  g_autofree char *partial = g_strdup_printf ("{\"esito\": \"accepted\", \"motivazione\": null, \"risposta\": \"%s\","
                                              " \"steps\": {\"verifica\": {\"istruttore\": \"Ing. Paola Neri\","
                                              " \"punteggio\": 7.5}}}", risposta);
  g_autofree char *fuller = g_strdup_printf ("{\"esito\": \"accepted\", \"motivazione\": \"Requisiti verificati.\","
                                             " \"risposta\": \"%s\", \"steps\": {%s}}", risposta, verifica);
  g_autofree char *complete = g_strdup_printf ("{\"esito\": \"accepted\", \"motivazione\": \"Requisiti verificati.\","
                                               " \"risposta\": \"%s\", \"steps\": {%s, \"rilascio\":"
                                               " {\"numero_atto\": \"AT-2026-17\", \"scadenza\": null}}}",
                                               risposta, verifica);
  g_autofree char *text = NULL;
  g_autofree char *today = NULL;
  /* The letter is dated in the ente's time zone: near midnight UTC, that
   * is already tomorrow in Rome. */
  g_autoptr(GTimeZone) rome = g_time_zone_new_identifier ("Europe/Rome");
  g_autoptr(GDateTime) now = g_date_time_new_now (rome);
  SpTestResponse *response;
  JsonObject *processing;

  /* The first save: the work kept, the pratica in elaborazione. */
  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, partial);
  sp_test_assert_status (response, 200);
  g_assert_cmpint (status_of (response), ==, 5000);
  processing = object_member (sp_test_response_object (response), "processing");
  g_assert_cmpstr (string_member (processing, "esito"), ==, "accepted");
  g_assert_cmpstr (string_member (processing, "risposta"), ==, risposta);
  g_assert_cmpstr (string_member (processing, "saved_by"), ==, "Operatore di Prova");
  g_assert_nonnull (string_member (processing, "saved_at"));
  g_assert_cmpstr (string_member (object_member (object_member (processing, "steps"), "verifica"), "istruttore"), ==,
                   "Ing. Paola Neri");
  g_assert_true (json_object_get_boolean_member_with_default (sp_test_response_object (response),
                                                              "signed_response_required", TRUE) == FALSE);
  g_assert_cmpuint (json_array_get_length (array_member (sp_test_response_object (response), "steps")), ==, 2);
  sp_test_response_free (response);
  g_assert_cmpint (count ("SELECT count (*) FROM iter WHERE pratica_id = $1::uuid AND status = 5000", id), ==, 1);
  g_assert_cmpint (count ("SELECT count (*) FROM version WHERE pratica_id = $1::uuid AND operation = 'Salvataggio'"
                          " AND status = 5000", id), ==, 1);

  /* Opened again (another PC): the work is where it was left. */
  response = sp_test_elabora_detail (fixture, id, SP_TEST_OPERATOR);
  sp_test_assert_status (response, 200);
  processing = object_member (sp_test_response_object (response), "processing");
  g_assert_cmpstr (string_member (processing, "risposta"), ==, risposta);
  g_assert_cmpfloat (json_object_get_double_member_with_default (object_member (object_member (processing, "steps"),
                                                                                "verifica"), "punteggio", 0), ==, 7.5);
  sp_test_response_free (response);

  /* A second save: a version more, no status change. */
  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, fuller);
  sp_test_assert_status (response, 200);
  sp_test_response_free (response);
  g_assert_cmpint (count ("SELECT count (*) FROM iter WHERE pratica_id = $1::uuid AND status = 5000", id), ==, 1);
  g_assert_cmpint (count ("SELECT count (*) FROM version WHERE pratica_id = $1::uuid AND operation = 'Salvataggio'",
                          id), ==, 2);

  /* Not complete: the step "rilascio" applies to an approval. */
  response = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);
  sp_test_assert_problem (response, 422, "validation");
  g_assert_cmpstr (sp_test_field_error (response, "steps.rilascio.numero_atto"), ==, "Campo obbligatorio");
  g_assert_null (sp_test_field_error (response, "steps.rilascio.scadenza"));
  g_assert_null (sp_test_field_error (response, "motivazione"));
  sp_test_response_free (response);
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", id), ==, 5000);

  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, complete);
  sp_test_assert_status (response, 200);
  sp_test_response_free (response);
  response = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);
  sp_test_assert_status (response, 200);
  g_assert_cmpint (status_of (response), ==, 7000);
  g_assert_cmpstr (string_member (sp_test_response_object (response), "outcome"), ==, "accepted");
  g_assert_cmpstr (string_member (sp_test_response_object (response), "motivation"), ==, "Requisiti verificati.");
  g_assert_nonnull (risposta_document (response));
  g_assert_true (g_str_has_prefix (string_member (risposta_document (response), "filename"), "risposta-2026-"));

  /* In the history: the change, its version and the citizen's e-mail. */
  g_assert_cmpint (count ("SELECT count (*) FROM iter WHERE pratica_id = $1::uuid AND status = 7000"
                          " AND previous_status = 5000 AND actor_kind = 'operator'", id), ==, 1);
  g_assert_cmpint (count ("SELECT count (*) FROM version WHERE pratica_id = $1::uuid AND operation = 'Conclusione'"
                          " AND status = 7000 AND snapshot ->> 'outcome' = 'accepted'", id), ==, 1);
  g_assert_cmpint (count ("SELECT count (*) FROM outbox WHERE pratica_id = $1::uuid AND status = 7000", id), ==, 1);
  g_assert_cmpuint (sp_test_versions_verify (fixture->env, id), >=, 4);

  /* The response PDF says it all. */
  text = response_pdf_text (id, response, "elabora-risposta-accettata");
  sp_test_response_free (response);
  today = g_date_time_format (now, "%d/%m/%Y");
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, SP_TEST_ENTE_NAME));
  g_assert_nonnull (strstr (text, "Spett.le"));
  g_assert_nonnull (strstr (text, "Verdi Giulia"));
  g_assert_nonnull (strstr (text, "Oggetto: esito della pratica n. 2026-"));
  g_assert_nonnull (strstr (text, "Contributo"));   /* the subject may wrap before "di prova" */
  g_assert_nonnull (strstr (text, "Si comunica che la sua pratica è stata accolta."));
  g_assert_nonnull (strstr (text, "Accettata"));
  g_assert_nonnull (strstr (text, "Requisiti verificati."));
  g_assert_nonnull (strstr (text, "risposta.pdf"));
  g_assert_nonnull (strstr (text, today));

  /* A double click: refused, nothing changes. */
  response = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);
  sp_test_assert_problem (response, 409, "conflict");
  g_assert_cmpstr (string_member (sp_test_response_object (response), "detail"), ==,
                   "La pratica è già stata conclusa.");
  sp_test_response_free (response);
  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, complete);
  sp_test_assert_problem (response, 409, "conflict");
  sp_test_response_free (response);
  g_assert_cmpint (count ("SELECT count (*) FROM document WHERE pratica_id = $1::uuid AND kind = 'risposta'", id),
                   ==, 1);
}

static void
test_reject (void)
{
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PROTOCOL, 4500, SP_TEST_OPERATOR);
  g_autofree char *risposta = upload_response (id, "diniego.pdf");
  g_autofree char *verifica = verifica_json ();
  g_autofree char *unmotivated = g_strdup_printf ("{\"esito\": \"rejected\", \"motivazione\": \"  \", \"risposta\": \"%s\","
                                                  " \"steps\": {%s}}", risposta, verifica);
  g_autofree char *motivated = g_strdup_printf ("{\"esito\": \"rejected\", \"motivazione\": \"Manca la planimetria.\","
                                                " \"risposta\": \"%s\", \"steps\": {%s}}", risposta, verifica);
  g_autofree char *text = NULL;
  SpTestResponse *response;

  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, unmotivated);
  sp_test_assert_status (response, 200);
  sp_test_response_free (response);
  response = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);
  sp_test_assert_problem (response, 422, "validation");
  g_assert_cmpstr (sp_test_field_error (response, "motivazione"), ==,
                   "Per rifiutare la pratica è obbligatoria la motivazione");
  /* The only_if_approved step is not asked for on a rejection. */
  g_assert_null (sp_test_field_error (response, "steps.rilascio.numero_atto"));
  g_assert_cmpstr (string_member (sp_test_response_object (response), "detail"), ==,
                   "Per rifiutare la pratica è obbligatoria la motivazione");
  sp_test_response_free (response);

  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, motivated);
  sp_test_assert_status (response, 200);
  sp_test_response_free (response);
  response = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);
  sp_test_assert_status (response, 200);
  g_assert_cmpstr (string_member (sp_test_response_object (response), "outcome"), ==, "rejected");
  /* With protocol: 8000 until the response is registered (later, by a job). */
  g_assert_cmpint (count ("SELECT count (*) FROM iter WHERE pratica_id = $1::uuid AND status = 8000"
                          " AND previous_status = 5000 AND note = 'Manca la planimetria.'", id), ==, 1);
  g_assert_cmpint (count ("SELECT count (*) FROM iter WHERE pratica_id = $1::uuid AND status IN (6000, 7000)", id),
                   ==, 0);

  text = response_pdf_text (id, response, "elabora-risposta-rifiutata");
  sp_test_response_free (response);
  g_assert_nonnull (strstr (text, "Rifiutata"));
  g_assert_nonnull (strstr (text, "Si comunica che la sua pratica è stata respinta."));
  g_assert_nonnull (strstr (text, "Manca la planimetria."));
  g_assert_nonnull (strstr (text, "protocollo n. 2026/0000042"));
  g_assert_nonnull (strstr (text, "diniego.pdf"));
}

/* Each body and the field its 422 names; nothing is saved. */
static void
test_save_refuses_bad_values (void)
{
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  g_autofree char *other = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  g_autofree char *foreign = upload_response (other, "altra.pdf");
  g_autofree char *modulo = sp_test_pg_value (fixture->conn,
                                              "INSERT INTO document (pratica_id, kind, filename, mime_type, size,"
                                              "                      sha256, content_oid)"
                                              " VALUES ($1::uuid, 'modulo', 'modulo.pdf', 'application/pdf', 3,"
                                              "         encode (sha256 ('pdf'), 'hex'), lo_from_bytea (0, 'pdf'))"
                                              " RETURNING id", SP_TEST_PG_ARGS (id));
  g_autofree char *foreign_body = g_strdup_printf ("{\"risposta\": \"%s\"}", foreign);
  g_autofree char *modulo_body = g_strdup_printf ("{\"risposta\": \"%s\"}", modulo);
  const struct { const char *body; const char *field; const char *message; } cases[] = {
    { "{\"esito\": \"forse\"}", "esito", "Deve essere «accepted» o «rejected»" },
    { "{\"esito\": true}", "esito", "Deve essere un testo o null" },
    { "{\"motivazione\": 3}", "motivazione", "Deve essere un testo o null" },
    { "{\"risposta\": \"non-un-uuid\"}", "risposta", "Non è un documento di questa pratica" },
    { "{\"risposta\": \"7f1c1a3e-0000-4000-8000-000000000000\"}", "risposta", "Non è un documento di questa pratica" },
    { foreign_body, "risposta", "Non è un documento di questa pratica" },
    { modulo_body, "risposta", "Non è un documento di questa pratica" },
    { "{\"steps\": []}", "steps", "Deve essere un oggetto con i valori di ciascun passo" },
    { "{\"steps\": {\"ignoto\": {}}}", "steps.ignoto", "Non è un passo di questo servizio" },
    { "{\"steps\": {\"verifica\": 1}}", "steps.verifica", "Deve essere un oggetto con i valori dei campi" },
    { "{\"steps\": {\"verifica\": {\"colore\": \"blu\"}}}", "steps.verifica.colore", "Non è un campo di questo passo" },
    { "{\"steps\": {\"verifica\": {\"punteggio\": \"sette\"}}}", "steps.verifica.punteggio", "Deve essere un numero" },
    { "{\"steps\": {\"verifica\": {\"data\": \"2026-02-30\"}}}", "steps.verifica.data",
      "Deve essere una data (AAAA-MM-GG)" },
    { "{\"steps\": {\"verifica\": {\"data\": \"02/03/2026\"}}}", "steps.verifica.data",
      "Deve essere una data (AAAA-MM-GG)" },
    { "{\"steps\": {\"verifica\": {\"esito_verifica\": \"Forse\"}}}", "steps.verifica.esito_verifica",
      "Deve essere una delle opzioni previste" },
    { "{\"steps\": {\"verifica\": {\"documenti\": \"sì\"}}}", "steps.verifica.documenti", "Deve essere vero o falso" },
    { "{\"steps\": {\"verifica\": {\"istruttore\": 12}}}", "steps.verifica.istruttore", "Deve essere un testo" },
    { "{\"stato\": 7000}", "stato", "Membro sconosciuto" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpTestResponse) response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, cases[i].body);

      g_test_message ("%s", cases[i].body);
      sp_test_assert_problem (response, 422, "validation");
      g_assert_cmpstr (sp_test_field_error (response, cases[i].field), ==, cases[i].message);
    }

  /* Not JSON, not an object, not JSON at all. */
  {
    g_autoptr(SpTestResponse) malformed = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, "{\"esito\": ");
    g_autoptr(SpTestResponse) array = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, "[]");
    g_autofree char *path = g_strdup_printf ("/api/v1.0/operator/pratiche/%s/processing", id);
    g_autoptr(SpTestResponse) text = sp_test_request (fixture->env, "PUT", path,
                                                      sp_test_elabora_token (fixture, SP_TEST_OPERATOR),
                                                      "text/plain", "esito=accepted", -1);

    sp_test_assert_problem (malformed, 400, "invalid-input");
    sp_test_assert_problem (array, 400, "invalid-input");
    sp_test_assert_problem (text, 415, "unsupported-media-type");
  }

  /* Nothing was kept: no work, no version, the pratica still in carico. */
  g_assert_cmpint (count ("SELECT count (*) FROM pratica_processing WHERE pratica_id = $1::uuid", id), ==, 0);
  g_assert_cmpint (count ("SELECT count (*) FROM version WHERE pratica_id = $1::uuid", id), ==, 0);
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", id), ==, 4000);

  /* Concluding with nothing saved names everything missing. */
  {
    g_autoptr(SpTestResponse) response = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);

    sp_test_assert_problem (response, 422, "validation");
    g_assert_cmpstr (sp_test_field_error (response, "esito"), ==,
                     "Indicare se la pratica è accolta o rifiutata");
    g_assert_cmpstr (sp_test_field_error (response, "risposta"), ==, "Caricare il file di risposta");
    g_assert_cmpstr (sp_test_field_error (response, "steps.verifica.documenti"), ==, "Campo obbligatorio");
    g_assert_null (sp_test_field_error (response, "steps.verifica.punteggio"));
  }
}

/* A saved number is stored as the operator's client wrote it: not rounded
 * through a double, not wrapped past 64 bits. */
static void
test_save_numbers (void)
{
  const char *numbers[] = { "19.99", "100000000000000000000", "1.10", "0.1", "-9223372036854775809", "1e400" };
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  g_autofree char *zeros = g_strnfill (400, '0');

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"esito\": null, \"steps\": {\"verifica\": {\"istruttore\": \"Neri\","
                                               " \"punteggio\": %s}}}", numbers[i]);
      g_autoptr(SpTestResponse) response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, body);
      g_autofree char *stored = NULL;
      g_autofree char *versioned = NULL;
      g_autofree char *expected = NULL;

      g_test_message ("punteggio %s", numbers[i]);
      sp_test_assert_status (response, 200);
      stored = sp_test_pg_value (fixture->conn, "SELECT data #>> '{verifica,punteggio}' FROM pratica WHERE id = $1::uuid",
                                 SP_TEST_PG_ARGS (id));
      versioned = sp_test_pg_value (fixture->conn,
                                    "SELECT snapshot #>> '{data,verifica,punteggio}' FROM version"
                                    " WHERE pratica_id = $1::uuid ORDER BY number DESC LIMIT 1", SP_TEST_PG_ARGS (id));
      expected = g_str_equal (numbers[i], "1e400") ? g_strconcat ("1", zeros, NULL) : g_strdup (numbers[i]);
      g_assert_cmpstr (stored, ==, expected);
      g_assert_cmpstr (versioned, ==, expected);
    }
}

/* Who may not, and when: 401, 403, 404, 409. */
static void
test_refusals (void)
{
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  g_autofree char *waiting = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4100, SP_TEST_OPERATOR);
  g_autofree char *unassigned = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 2000, NULL);
  g_autoptr(GBytes) content = g_bytes_new_static ("file", 4);
  const struct { const char *username; const char *pratica; guint status; const char *slug; } cases[] = {
    { NULL, id, 401, "unauthenticated" },
    { SP_TEST_OPERATOR2, id, 403, "forbidden" },
    { SP_TEST_AUDITOR, id, 403, "forbidden" },
    { SP_TEST_OTHER_OPERATOR, id, 404, "not-found" },
    { SP_TEST_OPERATOR, "2b1b0e4e-1111-4222-8333-444455556666", 404, "not-found" },
    { SP_TEST_OPERATOR, "non-una-pratica", 404, "not-found" },
    { SP_TEST_OPERATOR, unassigned, 403, "forbidden" },
    { SP_TEST_OPERATOR, waiting, 409, "transition-not-allowed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpTestResponse) save = sp_test_elabora_save (fixture, cases[i].pratica, cases[i].username,
                                                             "{\"esito\": \"accepted\"}");
      g_autoptr(SpTestResponse) conclude = sp_test_elabora_conclude (fixture, cases[i].pratica, cases[i].username);
      g_autoptr(SpTestResponse) upload = sp_test_elabora_upload (fixture, cases[i].pratica, cases[i].username,
                                                                 "nota.txt", "text/plain", content);

      g_test_message ("%s on %s", cases[i].username, cases[i].pratica);
      sp_test_assert_problem (save, cases[i].status, cases[i].slug);
      sp_test_assert_problem (conclude, cases[i].status, cases[i].slug);
      sp_test_assert_problem (upload, cases[i].status, cases[i].slug);
    }
  g_assert_cmpint (count ("SELECT count (*) FROM document WHERE pratica_id = $1::uuid", id), ==, 0);
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", waiting), ==, 4100);
}

typedef struct
{
  const char *pratica_id;
  guint       status;
} Click;

static gpointer
click_thread (gpointer data)
{
  Click *click = data;
  g_autoptr(SoupSession) session = sp_test_session_new (sp_test_env_get_ca_file (fixture->env), NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1.0/operator/pratiche/%s/conclude", click->pratica_id);
  g_autoptr(SoupMessage) message = sp_test_message_new (fixture->env, "POST", path,
                                                        sp_test_elabora_token (fixture, SP_TEST_OPERATOR),
                                                        NULL, NULL, 0);
  g_autoptr(SpTestResponse) response = sp_test_send (session, message);

  click->status = response->status;
  return NULL;
}

/* Two "Concludi" at once: one concludes, the other is refused. */
static void
test_double_click (void)
{
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  g_autofree char *risposta = upload_response (id, "risposta.pdf");
  g_autofree char *verifica = verifica_json ();
  g_autofree char *body = g_strdup_printf ("{\"esito\": \"rejected\", \"motivazione\": \"Fuori termine.\","
                                           " \"risposta\": \"%s\", \"steps\": {%s}}", risposta, verifica);
  g_autoptr(SpTestResponse) saved = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, body);
  Click clicks[2] = { { id, 0 }, { id, 0 } };
  GThread *threads[2];

  sp_test_assert_status (saved, 200);
  sp_test_elabora_token (fixture, SP_TEST_OPERATOR);
  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("click", click_thread, &clicks[i]);
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  g_test_message ("clicks: %u, %u", clicks[0].status, clicks[1].status);
  g_assert_true ((clicks[0].status == 200 && clicks[1].status == 409)
                 || (clicks[0].status == 409 && clicks[1].status == 200));
  g_assert_cmpint (count ("SELECT count (*) FROM document WHERE pratica_id = $1::uuid AND kind = 'risposta'", id),
                   ==, 1);
  g_assert_cmpint (count ("SELECT count (*) FROM iter WHERE pratica_id = $1::uuid AND status = 9000", id), ==, 1);
  g_assert_cmpint (count ("SELECT count (*) FROM version WHERE pratica_id = $1::uuid AND operation = 'Conclusione'",
                          id), ==, 1);
}

/* A pratica processed before anything was saved through Elabora (as the
 * demo's): the step values in its data are the work to resume. */
static void
test_resume_steps_in_data (void)
{
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 5000, SP_TEST_OPERATOR);
  g_autoptr(SpTestResponse) response = NULL;
  JsonObject *processing;

  sp_test_pg_command (fixture->conn,
                      "UPDATE pratica SET data = data || '{\"verifica\": {\"istruttore\": \"Dott. Bruni\"}}'"
                      " WHERE id = $1::uuid", SP_TEST_PG_ARGS (id));
  response = sp_test_elabora_detail (fixture, id, SP_TEST_OPERATOR);
  sp_test_assert_status (response, 200);
  processing = object_member (sp_test_response_object (response), "processing");
  g_assert_nonnull (processing);
  g_assert_true (json_object_get_null_member (processing, "esito"));
  g_assert_true (json_object_get_null_member (processing, "saved_at"));
  g_assert_cmpstr (string_member (object_member (object_member (processing, "steps"), "verifica"), "istruttore"), ==,
                   "Dott. Bruni");

  /* And a pratica nobody worked on has none. */
  {
    g_autofree char *fresh = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
    g_autoptr(SpTestResponse) detail = sp_test_elabora_detail (fixture, fresh, SP_TEST_OPERATOR);

    sp_test_assert_status (detail, 200);
    g_assert_true (json_object_get_null_member (sp_test_response_object (detail), "processing"));
  }
}

/* The documents of @detail with @field equal to @value. */
static guint
documents_with (SpTestResponse *detail,
                const char     *field,
                const char     *value)
{
  JsonArray *documents = array_member (sp_test_response_object (detail), "documents");
  guint n = 0;

  for (guint i = 0; documents != NULL && i < json_array_get_length (documents); i++)
    if (g_strcmp0 (string_member (json_array_get_object_element (documents, i), field), value) == 0)
      n++;
  return n;
}

/* A new response file replaces the one before: that is kept, superseded,
 * and no longer shown in the detail, chosen, put in the PDF, attached or
 * listed by new versions. */
static void
test_replace_response (void)
{
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  g_autofree char *first = upload_response (id, "prima-versione.pdf");
  g_autofree char *second = NULL;
  g_autofree char *verifica = verifica_json ();
  g_autofree char *with_first = NULL;
  g_autofree char *with_second = NULL;
  g_autofree char *text = NULL;
  g_autofree char *latest_documents = NULL;
  g_autofree char *revision_before = NULL;
  g_autofree char *revision_after = NULL;
  SpTestResponse *response;

  with_first = g_strdup_printf ("{\"esito\": \"accepted\", \"motivazione\": \"Requisiti verificati.\","
                                " \"risposta\": \"%s\", \"steps\": {%s, \"rilascio\": {\"numero_atto\": \"AT-9\"}}}",
                                first, verifica);
  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, with_first);
  sp_test_assert_status (response, 200);
  sp_test_response_free (response);
  revision_before = sp_test_pg_value (fixture->conn, "SELECT revision FROM pratica_processing WHERE pratica_id = $1::uuid",
                                      SP_TEST_PG_ARGS (id));

  /* The second upload replaces the first, in the saved work too. */
  second = upload_response (id, "seconda-versione.pdf");
  g_assert_cmpint (sp_test_pg_int (fixture->conn,
                                   "SELECT count (*) FROM document WHERE id = $1::uuid AND superseded_by = $2::uuid"
                                   " AND superseded_at IS NOT NULL", SP_TEST_PG_ARGS (first, second)), ==, 1);
  g_assert_cmpint (count ("SELECT count (*) FROM document WHERE pratica_id = $1::uuid AND kind = 'allegato'", id),
                   ==, 2);
  g_assert_cmpint (count ("SELECT count (*) FROM document_current WHERE pratica_id = $1::uuid", id), ==, 1);
  revision_after = sp_test_pg_value (fixture->conn, "SELECT revision FROM pratica_processing WHERE pratica_id = $1::uuid",
                                     SP_TEST_PG_ARGS (id));
  g_assert_cmpint (g_ascii_strtoll (revision_after, NULL, 10), ==, g_ascii_strtoll (revision_before, NULL, 10) + 1);

  response = sp_test_elabora_detail (fixture, id, SP_TEST_OPERATOR);
  sp_test_assert_status (response, 200);
  g_assert_cmpuint (documents_with (response, "id", first), ==, 0);
  g_assert_cmpuint (documents_with (response, "id", second), ==, 1);
  g_assert_cmpstr (string_member (object_member (sp_test_response_object (response), "processing"), "risposta"), ==,
                   second);
  sp_test_response_free (response);

  /* The old one can no longer be chosen; it can still be read (audit). */
  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, with_first);
  sp_test_assert_problem (response, 422, "validation");
  g_assert_cmpstr (sp_test_field_error (response, "risposta"), ==,
                   "Questo file di risposta è stato sostituito da un caricamento più recente: "
                   "scegliere il file più recente.");
  sp_test_response_free (response);
  response = sp_test_elabora_download (fixture, id, first, SP_TEST_OPERATOR);
  sp_test_assert_status (response, 200);
  sp_test_response_free (response);

  with_second = g_strdup_printf ("{\"esito\": \"accepted\", \"motivazione\": \"Requisiti verificati.\","
                                 " \"risposta\": \"%s\", \"steps\": {%s, \"rilascio\": {\"numero_atto\": \"AT-9\"}}}",
                                 second, verifica);
  response = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, with_second);
  sp_test_assert_status (response, 200);
  sp_test_response_free (response);
  response = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);
  sp_test_assert_status (response, 200);
  g_assert_cmpuint (documents_with (response, "id", first), ==, 0);
  g_assert_cmpuint (documents_with (response, "kind", "allegato"), ==, 1);
  g_assert_cmpuint (documents_with (response, "kind", "risposta"), ==, 1);
  text = response_pdf_text (id, response, "elabora-risposta-sostituita");
  sp_test_response_free (response);
  g_assert_nonnull (strstr (text, "seconda-versione.pdf"));
  g_assert_null (strstr (text, "prima-versione.pdf"));

  /* The conclusion's version lists the current documents; the first save's
   * still lists the first file. */
  latest_documents = sp_test_pg_value (fixture->conn,
                                       "SELECT snapshot -> 'documents' FROM version WHERE pratica_id = $1::uuid"
                                       " ORDER BY number DESC LIMIT 1", SP_TEST_PG_ARGS (id));
  g_assert_null (strstr (latest_documents, first));
  g_assert_nonnull (strstr (latest_documents, second));
  g_assert_cmpint (sp_test_pg_int (fixture->conn,
                                   "SELECT count (*) FROM version WHERE pratica_id = $1::uuid"
                                   " AND operation = 'Salvataggio' AND (snapshot -> 'documents')::jsonb @> jsonb_build_array ("
                                   "   jsonb_build_object ('id', $2::text))", SP_TEST_PG_ARGS (id, first)), >=, 1);
  g_assert_cmpuint (sp_test_versions_verify (fixture->env, id), >=, 3);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sportello/elabora/approve", test_approve);
  g_test_add_func ("/sportello/elabora/reject", test_reject);
  g_test_add_func ("/sportello/elabora/save-refuses-bad-values", test_save_refuses_bad_values);
  g_test_add_func ("/sportello/elabora/save-numbers", test_save_numbers);
  g_test_add_func ("/sportello/elabora/refusals", test_refusals);
  g_test_add_func ("/sportello/elabora/double-click", test_double_click);
  g_test_add_func ("/sportello/elabora/resume-steps-in-data", test_resume_steps_in_data);
  g_test_add_func ("/sportello/elabora/replace-response", test_replace_response);

  fixture = sp_test_elabora_start (FALSE);
  status = g_test_run ();
  sp_test_elabora_stop (fixture);
  return status;
}
