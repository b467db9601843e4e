/* test-partner-pratiche.c: the partner API on pratiche: every evento from every status, creation, protocol entries, hostile bodies */
#define G_LOG_DOMAIN "test-partner"

#include "config.h"

#include "sp-api.h"
#include "sp-json.h"
#include "sp-status.h"
#include "sp-test-elabora.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-partner.h"
#include "sp-test-pdf.h"
#include "sp-test-pg.h"

static SpTestEnv *env;
static PGconn *conn;

/* POST …/status as SP_TEST_PARTNER (or @user) with @body. */
static SpTestResponse *
post_as (const char *user,
         const char *password,
         const char *path_partner,
         const char *pratica,
         const char *suffix,
         const char *body)
{
  g_autofree char *escaped = g_uri_escape_string (pratica, NULL, FALSE);
  g_autofree char *path = g_strdup_printf (SP_API_PREFIX "/%s/pratica/%s/%s", path_partner, escaped, suffix);

  return sp_test_partner_basic ("POST", path, user, password, "application/json", body, -1);
}

static SpTestResponse *
post_status (const char *pratica,
             const char *body)
{
  return post_as (SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD, SP_TEST_PARTNER, pratica, "status", body);
}

static char *
status_body (const char *evento,
             const char *note)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "evento");
  json_builder_add_string_value (builder, evento);
  json_builder_set_member_name (builder, "operatore");
  json_builder_add_string_value (builder, "Mario Bianchi");
  json_builder_set_member_name (builder, "responsabile");
  json_builder_add_string_value (builder, "Anna Verdi");
  json_builder_set_member_name (builder, "struttura");
  json_builder_add_string_value (builder, "SUE");
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, TIMESTAMP);
  if (note != NULL)
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, note);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
new_pratica (const char *servizio,
             int         status)
{
  SpTestPratica spec = { .servizio = servizio, .status = status };

  return sp_test_pratica_insert (conn, &spec);
}

static gint64
count (const char *sql,
       const char *pratica_id)
{
  return sp_test_pg_int (conn, sql, SP_TEST_PG_ARGS (pratica_id));
}

/* Every evento from every status, with and without protocol: the answer and
 * what it leaves behind are those the event table of common/ gives. */
static void
test_status_every_event (void)
{
  const char *servizi[] = { SP_TEST_SERVIZIO_EXTERNAL, NO_PROTOCOL };
  guint n_statuses;
  const SpStatus *statuses = sp_status_all (&n_statuses);
  guint n_allowed = 0;
  guint n_refused = 0;

  for (guint s = 0; s < G_N_ELEMENTS (servizi); s++)
    for (guint i = 0; i < n_statuses; i++)
      for (SpEvent event = SP_EVENT_INVALID + 1; sp_event_get_name (event) != NULL; event++)
        {
          gboolean protocol = s == 0;
          g_autofree char *pratica = new_pratica (servizi[s], statuses[i]);
          g_autofree char *body = status_body (sp_event_get_name (event), "Motivazione del partner");
          g_autoptr(SpTestResponse) response = post_status (pratica, body);
          SpStatus to = SP_STATUS_INVALID;
          gboolean allowed = sp_event_apply (event, statuses[i], protocol, &to, NULL);

          g_test_message ("%s from %d (%s protocol): HTTP %u", sp_event_get_name (event), statuses[i],
                          protocol ? "with" : "without", response->status);
          if (!allowed)
            {
              n_refused++;
              sp_test_assert_problem (response, 409, "transition-not-allowed");
              g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", pratica), ==, statuses[i]);
              g_assert_cmpint (count ("SELECT count(*) FROM document WHERE pratica_id = $1::uuid", pratica), ==, 0);
              g_assert_cmpint (count ("SELECT count(*) FROM iter WHERE pratica_id = $1::uuid", pratica), ==, 0);
              continue;
            }
          n_allowed++;
          sp_test_assert_status (response, 204);
          g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", pratica), ==, to);
          g_assert_cmpint (count ("SELECT count(*) FROM iter WHERE pratica_id = $1::uuid AND actor_kind = 'partner'"
                                  " AND partner_at = '" TIMESTAMP "' AND at > now () - interval '1 minute'"
                                  " AND partner_detail->>'operatore' = 'Mario Bianchi'", pratica), ==, 1);
          g_assert_cmpint (count ("SELECT count(*) FROM version WHERE pratica_id = $1::uuid AND actor_role = 'partner'"
                                  " AND actor_name LIKE 'Partner di prova (operatore Mario Bianchi%'", pratica), ==, 1);
          g_assert_cmpint (count ("SELECT count(*) FROM outbox WHERE pratica_id = $1::uuid", pratica), ==,
                           to != statuses[i] && sp_status_sends_email (to) ? 1 : 0);
          if (event == SP_EVENT_ACCETTATA || event == SP_EVENT_RIFIUTATA)
            {
              g_assert_cmpint (count ("SELECT count(*) FROM pratica WHERE id = $1::uuid"
                                      " AND motivation = 'Motivazione del partner' AND outcome IS NOT NULL", pratica), ==, 1);
              g_assert_cmpint (count ("SELECT count(*) FROM document_current WHERE pratica_id = $1::uuid"
                                      " AND kind = 'risposta' AND mime_type = 'application/pdf'", pratica), ==, 1);
            }
        }
  g_assert_cmpuint (n_allowed, >, 10);
  g_assert_cmpuint (n_refused, >, 10);
}

/* A partner's accettata gives the applicant the same response as an
 * operator's conclusion: the PDF, stored, and attached to the e-mail. */
static void
test_status_risposta (void)
{
  g_autofree char *pratica = new_pratica (NO_PROTOCOL, SP_STATUS_PENDING);
  g_autofree char *body = status_body ("accettata", "Istruttoria positiva: requisiti verificati dal SUE.");
  g_autoptr(SpTestResponse) response = post_status (pratica, body);
  g_autofree char *hex = NULL;
  g_autofree char *text = NULL;
  g_autofree char *png = NULL;
  g_autoptr(GBytes) pdf = NULL;
  gsize length = 0;
  guint8 *data;

  sp_test_assert_status (response, 204);
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", pratica), ==, SP_STATUS_COMPLETE);
  hex = sp_test_pg_value (conn, "SELECT encode (lo_get (content_oid), 'base64') FROM document_current"
                                " WHERE pratica_id = $1::uuid AND kind = 'risposta'", SP_TEST_PG_ARGS (pratica));
  g_assert_nonnull (hex);
  data = g_base64_decode (hex, &length);
  pdf = g_bytes_new_take (data, length);
  text = sp_test_pdf_text (pdf);
  png = sp_test_pdf_png (pdf, "partner-risposta-accettata");
  g_test_message ("%s\nThe response PDF, rendered: %s", text, png);
  g_assert_nonnull (strstr (text, "Spett.le"));
  g_assert_nonnull (strstr (text, "Accettata"));
  g_assert_nonnull (strstr (text, "Istruttoria positiva: requisiti verificati dal SUE."));
  /* The e-mail of the outcome goes with it (attached when it is sent). */
  g_assert_cmpint (count ("SELECT count(*) FROM outbox WHERE pratica_id = $1::uuid AND status = 7000", pratica), ==, 1);
}

static void
test_status_refused_bodies (void)
{
  g_autofree char *pratica = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, SP_STATUS_PENDING);
  g_autofree char *unknown = status_body ("approvata", "x");
  g_autofree char *no_note = status_body ("accettata", NULL);
  g_autofree char *blank_note = status_body ("rifiutata", "   ");
  g_autoptr(SpTestResponse) r1 = post_status (pratica, unknown);
  g_autoptr(SpTestResponse) r2 = post_status (pratica, no_note);
  g_autoptr(SpTestResponse) r3 = post_status (pratica, blank_note);
  g_autoptr(SpTestResponse) r4 = post_status (pratica, "{\"evento\": \"istruttoria\", \"timestamp\": \"2026-03-05 10:15\","
                                                       " \"operatore\": 7}");
  g_autoptr(SpTestResponse) r5 = post_status (pratica, "{\"evento\": 1}");
  JsonArray *errors;

  sp_test_assert_problem (r1, 422, "unknown-event");
  sp_test_assert_problem (r2, 422, "validation");
  errors = json_object_get_array_member (sp_test_response_object (r2), "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (errors, 0), "field"), ==, "note");
  sp_test_assert_problem (r3, 422, "validation");
  sp_test_assert_problem (r4, 422, "validation");
  /* operatore not a string, responsabile and struttura missing, timestamp without offset */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sp_test_response_object (r4), "errors")), ==, 4);
  sp_test_assert_problem (r5, 422, "validation");
  g_assert_cmpint (count ("SELECT count(*) FROM iter WHERE pratica_id = $1::uuid", pratica), ==, 0);
}

/* {pratica}: the UUID, the per-ente number or the partner's own id. */
static void
test_status_pratica_names (void)
{
  g_autofree char *pratica = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, SP_STATUS_SUBMITTED);
  g_autofree char *numero = sp_test_pg_value (conn, "SELECT numero FROM pratica WHERE id = $1::uuid",
                                              SP_TEST_PG_ARGS (pratica));
  g_autofree char *protocollata = status_body ("protocollata", NULL);
  g_autofree char *istruttoria = status_body ("istruttoria", NULL);
  g_autofree char *lavorazione = status_body ("in_elaborazione", NULL);
  g_autoptr(SpTestResponse) by_numero = NULL;
  g_autoptr(SpTestResponse) by_id = NULL;
  g_autoptr(SpTestResponse) by_uuid = NULL;
  g_autoptr(SpTestResponse) missing = NULL;

  sp_test_pg_command (conn,
                      "UPDATE pratica SET partner_id = (SELECT id FROM partner WHERE slug = $2), external_id = 'EC-2026-77'"
                      " WHERE id = $1::uuid", SP_TEST_PG_ARGS (pratica, SP_TEST_PARTNER));
  by_numero = post_status (numero, protocollata);
  sp_test_assert_status (by_numero, 204);
  by_id = post_status ("EC-2026-77", istruttoria);
  sp_test_assert_status (by_id, 204);
  by_uuid = post_status (pratica, lavorazione);
  sp_test_assert_status (by_uuid, 204);
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", pratica), ==, SP_STATUS_PROCESSING);
  g_assert_cmpuint (sp_test_versions_verify (env, pratica), ==, 3);

  missing = post_status ("2099-999999", protocollata);
  sp_test_assert_problem (missing, 404, "not-found");
}

/* A partner acts in its own name on the pratiche of its services only. */
static void
test_status_scope (void)
{
  g_autofree char *mine = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, SP_STATUS_SUBMITTED);
  g_autofree char *body = status_body ("protocollata", NULL);
  g_autoptr(SpTestResponse) other_path = post_as (OTHER_PARTNER, OTHER_PASSWORD, SP_TEST_PARTNER, mine, "status", body);
  g_autoptr(SpTestResponse) other_scope = post_as (OTHER_PARTNER, OTHER_PASSWORD, OTHER_PARTNER, mine, "status", body);
  g_autoptr(SpTestResponse) my_path = post_as (SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD, OTHER_PARTNER, mine,
                                               "status", body);
  g_autofree char *token = sp_test_login (env, SP_TEST_OPERATOR, SP_TEST_PASSWORD);
  g_autofree char *path = g_strdup_printf (SP_API_PREFIX "/%s/pratica/%s/status", SP_TEST_PARTNER, mine);
  g_autoptr(SpTestResponse) operator = sp_test_request (env, "POST", path, token, "application/json", body, -1);

  sp_test_assert_problem (other_path, 403, "forbidden");
  sp_test_assert_problem (other_scope, 404, "not-found");
  sp_test_assert_problem (my_path, 403, "forbidden");
  sp_test_assert_problem (operator, 403, "forbidden");
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", mine), ==, SP_STATUS_SUBMITTED);
}

/* SQL metacharacters and quotes in every field of a status change are kept as sent. */
static void
test_status_hostile_strings (void)
{
  g_autofree char *pratica = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, SP_STATUS_PENDING);
  const char *body = "{\"evento\": \"istruttoria\", \"operatore\": \"O'Brien\\\"; DROP TABLE iter; --\","
                     " \"responsabile\": \"$1::uuid %s %n\", \"struttura\": \"\\\\ \\u00e8 \\ud83d\\ude00\","
                     " \"timestamp\": \"2026-03-05T10:15:00.123+01:00\", \"note\": \"') OR 1=1; --\"}";
  g_autoptr(SpTestResponse) response = post_status (pratica, body);
  g_autofree char *operatore = NULL;
  g_autofree char *note = NULL;

  sp_test_assert_status (response, 204);
  operatore = sp_test_pg_value (conn, "SELECT partner_detail->>'operatore' FROM iter WHERE pratica_id = $1::uuid",
                                SP_TEST_PG_ARGS (pratica));
  g_assert_cmpstr (operatore, ==, "O'Brien\"; DROP TABLE iter; --");
  note = sp_test_pg_value (conn, "SELECT note FROM iter WHERE pratica_id = $1::uuid", SP_TEST_PG_ARGS (pratica));
  g_assert_cmpstr (note, ==, "') OR 1=1; --");
  g_assert_cmpint (count ("SELECT count(*) FROM iter WHERE pratica_id = $1::uuid"
                          " AND partner_detail->>'struttura' = E'\\\\ \\u00e8 \\U0001F600'", pratica), ==, 1);
}

#define CREATE_PATH SP_API_PREFIX "/" SP_TEST_PARTNER "/pratica/offline/create"

static char *
create_body (const char *id,
             const char *foglio,
             const char *protocollo)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (id != NULL)
    {
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
    }
  json_builder_set_member_name (builder, "servizio");
  json_builder_add_string_value (builder, SP_TEST_SERVIZIO_EXTERNAL);
  json_builder_set_member_name (builder, "ente");
  json_builder_add_string_value (builder, SP_TEST_ENTE);
  json_builder_set_member_name (builder, "richiedente");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "codice_fiscale");
  json_builder_add_string_value (builder, "RSSMRA80A01H501U");
  json_builder_set_member_name (builder, "nome");
  json_builder_add_string_value (builder, "Mario");
  json_builder_set_member_name (builder, "cognome");
  json_builder_add_string_value (builder, "Rossi");
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, "mario.rossi@example.org");
  json_builder_end_object (builder);
  if (protocollo != NULL)
    {
      json_builder_set_member_name (builder, "protocollo_principale");
      json_builder_add_string_value (builder, protocollo);
    }
  json_builder_set_member_name (builder, "dati");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "foglio");
  json_builder_add_string_value (builder, foglio);
  json_builder_set_member_name (builder, "particella");
  json_builder_add_string_value (builder, "118");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static SpTestResponse *
post_create (const char *body)
{
  return sp_test_partner_basic ("POST", CREATE_PATH, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD, "application/json", body, -1);
}

static void
test_create (void)
{
  g_autofree char *body = create_body ("EC-CREA-1", "12", NULL);
  g_autoptr(SpTestResponse) response = post_create (body);
  JsonObject *object;
  const char *id;

  sp_test_assert_status (response, 201);
  object = sp_test_response_object (response);
  id = json_object_get_string_member (object, "id");
  g_assert_cmpint (json_object_get_int_member (object, "stato"), ==, SP_STATUS_SUBMITTED);
  g_assert_true (g_regex_match_simple ("^20[0-9]{2}-[0-9]{6}$", json_object_get_string_member (object, "numero"), 0, 0));
  g_assert_cmpint (count ("SELECT count(*) FROM iter WHERE pratica_id = $1::uuid AND status = 2000"
                          " AND actor_kind = 'partner'", id), ==, 1);
  g_assert_cmpint (count ("SELECT count(*) FROM version WHERE pratica_id = $1::uuid AND number = 1", id), ==, 1);
  g_assert_cmpint (count ("SELECT count(*) FROM document WHERE pratica_id = $1::uuid AND kind = 'modulo'"
                          " AND mime_type = 'application/pdf'", id), ==, 1);
  g_assert_cmpint (count ("SELECT count(*) FROM outbox WHERE pratica_id = $1::uuid AND status = 2000"
                          " AND recipient = 'mario.rossi@example.org'", id), ==, 1);
  g_assert_cmpint (count ("SELECT count(*) FROM pratica WHERE id = $1::uuid AND external_id = 'EC-CREA-1'"
                          " AND data = '{\"foglio\": \"12\", \"particella\": \"118\"}'", id), ==, 1);
  g_assert_cmpuint (sp_test_versions_verify (env, id), ==, 1);
}

static void
test_create_idempotent (void)
{
  g_autofree char *body = create_body ("EC-CREA-2", "13", NULL);
  g_autofree char *other = create_body ("EC-CREA-2", "14", NULL);
  g_autoptr(SpTestResponse) first = post_create (body);
  g_autoptr(SpTestResponse) again = post_create (body);
  g_autoptr(SpTestResponse) differs = post_create (other);

  sp_test_assert_status (first, 201);
  sp_test_assert_status (again, 200);
  g_assert_cmpstr (json_object_get_string_member (sp_test_response_object (first), "id"), ==,
                   json_object_get_string_member (sp_test_response_object (again), "id"));
  sp_test_assert_problem (differs, 409, "conflict");
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count(*) FROM pratica WHERE external_id = 'EC-CREA-2'", 0, NULL), ==, 1);
}

typedef struct
{
  const char     *body;
  SpTestResponse *response;
} Retry;

static gpointer
retry_thread (gpointer data)
{
  Retry *retry = data;
  g_autoptr(SoupSession) session = sp_test_session_new (sp_test_env_get_ca_file (env), NULL);
  g_autoptr(SoupMessage) message = sp_test_message_new (env, "POST", CREATE_PATH, NULL, "application/json",
                                                         retry->body, -1);

  sp_test_partner_set_basic (message, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD);
  retry->response = sp_test_send (session, message);
  return NULL;
}

/* A partner that retries at once on many connections makes one pratica. */
static void
test_create_concurrent_retries (void)
{
  g_autofree char *body = create_body ("EC-CREA-RACE", "15", NULL);
  Retry retries[12] = { { 0 } };
  GThread *threads[G_N_ELEMENTS (retries)];
  guint n_created = 0;

  for (guint i = 0; i < G_N_ELEMENTS (retries); i++)
    {
      retries[i].body = body;
      threads[i] = g_thread_new ("retry", retry_thread, &retries[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (retries); i++)
    g_thread_join (threads[i]);
  for (guint i = 0; i < G_N_ELEMENTS (retries); i++)
    {
      sp_test_assert_status (retries[i].response, retries[i].response->status == 201 ? 201 : 200);
      n_created += retries[i].response->status == 201;
      g_assert_cmpstr (json_object_get_string_member (sp_test_response_object (retries[i].response), "id"), ==,
                       json_object_get_string_member (sp_test_response_object (retries[0].response), "id"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (retries); i++)
    sp_test_response_free (retries[i].response);
  g_assert_cmpuint (n_created, ==, 1);
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count(*) FROM pratica WHERE external_id = 'EC-CREA-RACE'", 0, NULL), ==, 1);
}

static void
test_create_protocollo (void)
{
  g_autofree char *body = create_body ("EC-CREA-3", "16", "PG/2026/0041235");
  g_autoptr(SpTestResponse) response = post_create (body);
  const char *id;

  sp_test_assert_status (response, 201);
  g_assert_cmpint (json_object_get_int_member (sp_test_response_object (response), "stato"), ==, SP_STATUS_REGISTERED);
  id = json_object_get_string_member (sp_test_response_object (response), "id");
  g_assert_cmpint (count ("SELECT count(*) FROM pratica WHERE id = $1::uuid AND protocol_number = 'PG/2026/0041235'"
                          " AND protocol_entries = '[\"PG/2026/0041235\"]'", id), ==, 1);
  g_assert_cmpint (count ("SELECT count(*) FROM outbox WHERE pratica_id = $1::uuid", id), ==, 2);
  g_assert_cmpuint (sp_test_versions_verify (env, id), ==, 2);
}

static void
test_create_refused (void)
{
  g_autoptr(SpTestResponse) dati = post_create ("{\"servizio\": \"" SP_TEST_SERVIZIO_EXTERNAL "\", \"ente\": \"" SP_TEST_ENTE "\","
                                                " \"richiedente\": {\"codice_fiscale\": \"rssmra\", \"nome\": \"Mario\","
                                                "   \"cognome\": \"Rossi\", \"email\": \"non-una-email\"},"
                                                " \"dati\": {\"foglio\": 12, \"ignoto\": \"x\"}}");
  g_autoptr(SpTestResponse) internal = post_create ("{\"servizio\": \"" SP_TEST_SERVIZIO_INTERNAL "\", \"ente\": \"" SP_TEST_ENTE "\","
                                                    " \"richiedente\": {\"codice_fiscale\": \"RSSMRA80A01H501U\", \"nome\": \"M\","
                                                    "   \"cognome\": \"R\", \"email\": \"m@example.org\"}, \"dati\": {}}");
  g_autoptr(SpTestResponse) other = post_create ("{\"servizio\": \"" SP_TEST_SERVIZIO_OTHER "\", \"ente\": \"" SP_TEST_OTHER_ENTE "\","
                                                 " \"richiedente\": {\"codice_fiscale\": \"RSSMRA80A01H501U\", \"nome\": \"M\","
                                                 "   \"cognome\": \"R\", \"email\": \"m@example.org\"}, \"dati\": {}}");
  g_autoptr(SpTestResponse) fields_only = post_create ("{\"servizio\": \"" SP_TEST_SERVIZIO_EXTERNAL "\", \"ente\": \"" SP_TEST_ENTE "\","
                                                       " \"richiedente\": {\"codice_fiscale\": \"RSSMRA80A01H501U\","
                                                       "   \"nome\": \"M\", \"cognome\": \"R\", \"email\": \"m@example.org\"},"
                                                       " \"dati\": {\"foglio\": 12, \"ignoto\": \"x\"}}");
  g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *errors;
  const char *expected[] = { "dati.foglio", "dati.particella", "dati.ignoto" };

  sp_test_assert_problem (dati, 422, "validation");
  errors = json_object_get_array_member (sp_test_response_object (dati), "errors");
  g_assert_cmpuint (json_array_get_length (errors), ==, 2);   /* richiedente first: dati is checked by the service */
  sp_test_assert_problem (fields_only, 422, "validation");
  errors = json_object_get_array_member (sp_test_response_object (fields_only), "errors");
  for (guint i = 0; i < json_array_get_length (errors); i++)
    g_hash_table_add (fields, (gpointer) json_object_get_string_member (json_array_get_object_element (errors, i), "field"));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (!g_hash_table_contains (fields, expected[i]))
      g_error ("No error for %s: %s", expected[i], sp_test_response_text (fields_only));
  sp_test_assert_problem (internal, 403, "forbidden");
  sp_test_assert_problem (other, 404, "not-found");
}

/* SQL metacharacters are data; very long strings are refused, never cut. */
static void
test_create_hostile_strings (void)
{
  const char *hostile = "'); DELETE FROM pratica; -- \" $1 %s \\ è";
  g_autofree char *body = create_body ("EC-CREA-SQL", hostile, NULL);
  g_autoptr(SpTestResponse) response = post_create (body);
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autofree char *long_body = NULL;
  g_autofree char *long_status = NULL;
  g_autoptr(SpTestResponse) too_long = NULL;
  g_autoptr(SpTestResponse) long_note = NULL;
  g_autofree char *stored = NULL;

  sp_test_assert_status (response, 201);
  stored = sp_test_pg_value (conn, "SELECT data->>'foglio' FROM pratica WHERE id = $1::uuid",
                             SP_TEST_PG_ARGS (json_object_get_string_member (sp_test_response_object (response), "id")));
  g_assert_cmpstr (stored, ==, hostile);
  for (guint i = 0; i < 20000; i++)
    g_string_append_c (long_text, 'x');
  long_body = create_body (NULL, long_text->str, NULL);
  too_long = post_create (long_body);
  sp_test_assert_problem (too_long, 422, "validation");

  long_status = status_body ("istruttoria", long_text->str);
  long_note = post_status ("EC-CREA-SQL", long_status);
  sp_test_assert_problem (long_note, 422, "validation");
}

/* Numbers json-glib would round (19.99 → 19.989999999999998), wrap (past
 * 64 bits) or turn into doubles (1.10, 1e400): as a partner writes them. */
#define NUMBERS_DATI "{\"foglio\": \"12\", \"particella\": \"118\", \"importo\": 19.99," \
                     " \"n\": 100000000000000000000, \"x\": 1.10, \"piccolo\": 0.1, \"enorme\": 1e400," \
                     " \"negativo\": -9223372036854775809}"

static char *
numbers_body (const char *id,
              const char *dati)
{
  return g_strdup_printf ("{\"id\": \"%s\", \"servizio\": \"" SP_TEST_SERVIZIO_EXTERNAL "\","
                          " \"ente\": \"" SP_TEST_ENTE "\", \"richiedente\": {\"codice_fiscale\": \"RSSMRA80A01H501U\","
                          " \"nome\": \"Mario\", \"cognome\": \"Rossi\", \"email\": \"mario.rossi@example.org\"},"
                          " \"dati\": %s}", id, dati);
}

/* What dati holds of pratica @id, member by member, as jsonb writes it. */
static void
assert_numbers_stored (const char *id,
                       const char *column)
{
  const struct { const char *key; const char *text; } numbers[] = {
    { "importo", "19.99" }, { "n", "100000000000000000000" }, { "x", "1.10" }, { "piccolo", "0.1" },
    { "negativo", "-9223372036854775809" },
  };
  g_autofree char *sql = g_strdup_printf ("SELECT (%s)->$2 #>> '{}' FROM pratica p WHERE p.id = $1::uuid", column);
  g_autofree char *enorme = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *stored = sp_test_pg_value (conn, sql, SP_TEST_PG_ARGS (id, numbers[i].key));

      g_assert_cmpstr (stored, ==, numbers[i].text);
    }
  enorme = sp_test_pg_value (conn, sql, SP_TEST_PG_ARGS (id, "enorme"));
  g_assert_cmpuint (strlen (enorme), ==, 401);
  g_assert_true (g_str_has_prefix (enorme, "10000"));
}

/* The modulo of pratica @id writes its numbers as stored, in Italian: not
 * the double json-glib reads (1.10 as 1,1), not a wrapped integer (-1). */
static void
assert_modulo_numbers (const char *id)
{
  g_autofree char *base64 = sp_test_pg_value (conn, "SELECT encode (lo_get (content_oid), 'base64') FROM document_current"
                                                    " WHERE pratica_id = $1::uuid AND kind = 'modulo'",
                                              SP_TEST_PG_ARGS (id));
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  guint8 *data;

  g_assert_nonnull (base64);
  data = g_base64_decode (base64, &length);
  pdf = g_bytes_new_take (data, length);
  text = sp_test_pdf_text (pdf);
  for (const char * const *expected = (const char * const[]) {
         "19,99", "100.000.000.000.000.000.000", "1,10", "0,1", "-9.223.372.036.854.775.809", NULL };
       *expected != NULL; expected++)
    if (strstr (text, *expected) == NULL)
      g_error ("“%s” is missing from the modulo:\n%s", *expected, text);
}

/* The dati of a create are stored as the partner sent them, numbers too,
 * and a retry is the same body only when its numbers are the same. */
static void
test_create_numbers (void)
{
  g_autofree char *body = numbers_body ("EC-CREA-NUM", NUMBERS_DATI);
  g_autofree char *spaced = NULL;
  g_autofree char *rounded = numbers_body ("EC-CREA-NUM", "{\"foglio\": \"12\", \"particella\": \"118\","
                                           " \"importo\": 19.989999999999998, \"n\": 100000000000000000000, \"x\": 1.10,"
                                           " \"piccolo\": 0.1, \"enorme\": 1e400, \"negativo\": -9223372036854775809}");
  g_autofree char *wrapped = numbers_body ("EC-CREA-NUM", "{\"foglio\": \"12\", \"particella\": \"118\","
                                           " \"importo\": 19.99, \"n\": 100000000000000000001, \"x\": 1.10,"
                                           " \"piccolo\": 0.1, \"enorme\": 1e400, \"negativo\": -9223372036854775809}");
  g_autoptr(SpTestResponse) created = NULL;
  g_autoptr(SpTestResponse) again = NULL;
  g_autoptr(SpTestResponse) respaced = NULL;
  g_autoptr(SpTestResponse) other_rounding = NULL;
  g_autoptr(SpTestResponse) other_integer = NULL;
  const char *id;

  sp_test_pg_command (conn,
                      "UPDATE servizio SET field_schema = field_schema || $2::jsonb WHERE slug = $1",
                      SP_TEST_PG_ARGS (SP_TEST_SERVIZIO_EXTERNAL,
                                       "[{\"key\": \"importo\", \"label\": \"Importo\", \"type\": \"number\"},"
                                       " {\"key\": \"n\", \"label\": \"N\", \"type\": \"number\"},"
                                       " {\"key\": \"x\", \"label\": \"X\", \"type\": \"number\"},"
                                       " {\"key\": \"piccolo\", \"label\": \"Piccolo\", \"type\": \"number\"},"
                                       " {\"key\": \"enorme\", \"label\": \"Enorme\", \"type\": \"number\"},"
                                       " {\"key\": \"negativo\", \"label\": \"Negativo\", \"type\": \"number\"}]"));
  created = post_create (body);
  sp_test_assert_status (created, 201);
  id = json_object_get_string_member (sp_test_response_object (created), "id");
  assert_numbers_stored (id, "p.data");
  g_assert_cmpint (count ("SELECT count(*) FROM pratica WHERE id = $1::uuid AND data = '" NUMBERS_DATI "'", id), ==, 1);
  /* Version 1 holds them as the pratica does. */
  assert_numbers_stored (id, "(SELECT v.snapshot->'data' FROM version v WHERE v.pratica_id = p.id AND v.number = 1)");
  assert_modulo_numbers (id);

  /* The same body is the same pratica, however it is spaced; numbers that
   * differ (even where a double would not tell them apart) are another. */
  again = post_create (body);
  sp_test_assert_status (again, 200);
  g_assert_cmpstr (json_object_get_string_member (sp_test_response_object (again), "id"), ==, id);
  spaced = numbers_body ("EC-CREA-NUM", "{ \"negativo\" : -9223372036854775809 , \"enorme\": 1e400, \"piccolo\": 0.1,"
                         " \"x\": 1.10, \"n\": 100000000000000000000, \"importo\": 19.99, \"particella\": \"118\","
                         " \"foglio\": \"12\" }");
  respaced = post_create (spaced);
  sp_test_assert_status (respaced, 200);
  g_assert_cmpstr (json_object_get_string_member (sp_test_response_object (respaced), "id"), ==, id);
  other_rounding = post_create (rounded);
  sp_test_assert_problem (other_rounding, 409, "conflict");
  other_integer = post_create (wrapped);
  sp_test_assert_problem (other_integer, 409, "conflict");
  g_assert_cmpint (sp_test_pg_int (conn, "SELECT count(*) FROM pratica WHERE external_id = 'EC-CREA-NUM'", 0, NULL), ==, 1);
}

static SpTestResponse *
post_protocolli (const char *pratica,
                 const char *body,
                 gssize      length)
{
  g_autofree char *path = g_strdup_printf (SP_API_PREFIX "/%s/pratica/%s/protocolli", SP_TEST_PARTNER, pratica);

  return sp_test_partner_basic ("POST", path, SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD, "application/json", body, length);
}

/* Entries are kept verbatim; the first string (or object's `numero`) is the
 * main number of a pratica without one, and moves a waiting one on. */
static void
test_protocolli (void)
{
  g_autofree char *pratica = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, SP_STATUS_SUBMITTED);
  const char *first = "[{\"tipo\": \"arrivo\", \"dettagli\": {\"aoo\": \"AOO1\", \"livelli\": [1, [2, {\"x\": null}]]}},"
                      " {\"numero\": \"PG/2026/0000007\", \"data\": \"2026-03-05\"}, \"PG/2026/0000008\", 42, true, null]";
  g_autoptr(SpTestResponse) r1 = post_protocolli (pratica, first, -1);
  g_autoptr(SpTestResponse) r2 = NULL;
  g_autoptr(SpTestResponse) r3 = NULL;
  g_autofree char *entries = NULL;

  sp_test_assert_status (r1, 204);
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid AND protocol_number = 'PG/2026/0000007'"
                          " AND protocol_date IS NOT NULL", pratica), ==, SP_STATUS_REGISTERED);
  g_assert_cmpint (count ("SELECT count(*) FROM iter WHERE pratica_id = $1::uuid AND status = 3000"
                          " AND actor_kind = 'partner'", pratica), ==, 1);
  entries = sp_test_pg_value (conn, "SELECT protocol_entries = $2::jsonb FROM pratica WHERE id = $1::uuid",
                              SP_TEST_PG_ARGS (pratica, first));
  g_assert_cmpstr (entries, ==, "t");

  /* More entries: appended; the main number stays. An empty array changes nothing. */
  r2 = post_protocolli (pratica, "[\"PG/2026/0000099\"]", -1);
  sp_test_assert_status (r2, 204);
  r3 = post_protocolli (pratica, "[]", -1);
  sp_test_assert_status (r3, 204);
  g_assert_cmpint (count ("SELECT jsonb_array_length (protocol_entries) FROM pratica WHERE id = $1::uuid"
                          " AND protocol_number = 'PG/2026/0000007'", pratica), ==, 7);
  g_assert_cmpuint (sp_test_versions_verify (env, pratica), ==, 2);
}

/* Entries hold their numbers as the partner wrote them. */
static void
test_protocolli_numbers (void)
{
  g_autofree char *pratica = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, SP_STATUS_PENDING);
  const char *entries = "[{\"numero\": \"PG/2026/0000130\", \"importo\": 19.99, \"n\": 100000000000000000000,"
                        " \"x\": 1.10}, 0.1, 1e400, -9223372036854775809]";
  g_autoptr(SpTestResponse) response = post_protocolli (pratica, entries, -1);
  g_autofree char *stored = NULL;
  g_autofree char *versioned = NULL;

  sp_test_assert_status (response, 204);
  stored = sp_test_pg_value (conn, "SELECT protocol_entries #>> '{0}' FROM pratica WHERE id = $1::uuid",
                             SP_TEST_PG_ARGS (pratica));
  g_assert_cmpstr (stored, ==, "{\"n\": 100000000000000000000, \"x\": 1.10, \"numero\": \"PG/2026/0000130\","
                               " \"importo\": 19.99}");
  g_assert_cmpint (count ("SELECT count(*) FROM pratica WHERE id = $1::uuid AND protocol_entries #>> '{1}' = '0.1'"
                          " AND length (protocol_entries #>> '{2}') = 401"
                          " AND protocol_entries #>> '{3}' = '-9223372036854775809'", pratica), ==, 1);
  versioned = sp_test_pg_value (conn, "SELECT v.snapshot #>> '{protocol,entries,0}' FROM version v"
                                      " WHERE v.pratica_id = $1::uuid ORDER BY v.number DESC LIMIT 1",
                                SP_TEST_PG_ARGS (pratica));
  g_assert_cmpstr (versioned, ==, stored);
}

/* The response of a concluded pratica waits for the partner's registration
 * too (6000, 8000): an entry with a number ends the wait; one without, or a
 * pratica that waits for nothing, only keeps the entry. */
static void
test_protocolli_response (void)
{
  g_autofree char *accepted = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, SP_STATUS_COMPLETE_WAITING);
  g_autofree char *rejected = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, SP_STATUS_CANCELLED_WAITING);
  g_autofree char *pending = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, SP_STATUS_PENDING);
  g_autoptr(SpTestResponse) r1 = post_protocolli (accepted, "[\"PG/2026/0000120\"]", -1);
  g_autoptr(SpTestResponse) r2 = post_protocolli (rejected, "[{\"data\": \"2026-03-06\"}, 7]", -1);
  g_autoptr(SpTestResponse) r3 = NULL;
  g_autoptr(SpTestResponse) r4 = post_protocolli (pending, "[\"PG/2026/0000122\"]", -1);

  sp_test_assert_status (r1, 204);
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", accepted), ==, SP_STATUS_COMPLETE);
  g_assert_cmpint (count ("SELECT count(*) FROM iter WHERE pratica_id = $1::uuid AND status = 7000"
                          " AND previous_status = 6000 AND actor_kind = 'partner'"
                          " AND note = 'Esito protocollato in uscita: n. PG/2026/0000120'", accepted), ==, 1);
  g_assert_cmpint (count ("SELECT count(*) FROM outbox WHERE pratica_id = $1::uuid AND status = 7000", accepted), ==, 1);

  /* No number: kept, still waiting; then one with a number. */
  sp_test_assert_status (r2, 204);
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", rejected), ==, SP_STATUS_CANCELLED_WAITING);
  r3 = post_protocolli (rejected, "[{\"numero\": \"PG/2026/0000121\"}]", -1);
  sp_test_assert_status (r3, 204);
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", rejected), ==, SP_STATUS_CANCELLED);
  g_assert_cmpint (count ("SELECT jsonb_array_length (protocol_entries) FROM pratica WHERE id = $1::uuid", rejected), ==, 3);

  /* In charge: it waits for no registration. */
  sp_test_assert_status (r4, 204);
  g_assert_cmpint (count ("SELECT status FROM pratica WHERE id = $1::uuid", pending), ==, SP_STATUS_PENDING);
  g_assert_cmpint (count ("SELECT count(*) FROM iter WHERE pratica_id = $1::uuid", pending), ==, 0);
}

/* Bodies that are no JSON array, no JSON, no UTF-8, too large, too deep. */
static void
test_bad_bodies (void)
{
  g_autofree char *pratica = new_pratica (SP_TEST_SERVIZIO_EXTERNAL, SP_STATUS_SUBMITTED);
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) large = g_string_new ("[");
  const struct { const char *body; gssize length; guint status; const char *type; } cases[] = {
    { "{\"numero\": \"PG/1\"}", -1, 400, "invalid-input" },
    { "\"PG/1\"", -1, 400, "invalid-input" },
    { "[\"PG/1\",]", -1, 400, "invalid-input" },
    { "non json", -1, 400, "invalid-input" },
    { "[\"\xff\xfe\"]", -1, 400, "invalid-input" },
    { "", 0, 400, "invalid-input" },
    /* JSON, but not what jsonb can keep verbatim. */
    { "[{\"numero\": \"PG/1\", \"numero\": \"PG/2\"}]", -1, 400, "invalid-input" },
    { "[\"PG/1\\u0000\"]", -1, 400, "invalid-input" },
    { "[\"PG/1\\ud800\"]", -1, 400, "invalid-input" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpTestResponse) response = post_protocolli (pratica, cases[i].body, cases[i].length);

      g_test_message ("bad body %u", i);
      sp_test_assert_problem (response, cases[i].status, cases[i].type);
    }
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 1000; i++)
    g_string_append_c (deep, ']');
  {
    g_autoptr(SpTestResponse) response = post_protocolli (pratica, deep->str, -1);

    sp_test_assert_problem (response, 400, "invalid-input");
  }
  while (large->len < SP_API_MAX_JSON_BODY + 10)
    g_string_append (large, "\"PG/2026/0000001\",");
  g_string_append (large, "\"x\"]");
  {
    g_autoptr(SpTestResponse) response = post_protocolli (pratica, large->str, -1);
    g_autoptr(SpTestResponse) status = post_status (pratica, large->str);

    sp_test_assert_problem (response, 413, "payload-too-large");
    sp_test_assert_problem (status, 413, "payload-too-large");
  }
  {
    g_autoptr(SpTestResponse) not_utf8 = post_status (pratica, "{\"evento\": \"protocollata\xc3\x28\"}");
    g_autoptr(SpTestResponse) plain = sp_test_partner_basic ("POST", SP_API_PREFIX "/" SP_TEST_PARTNER "/pratica/offline/create",
                                                     SP_TEST_PARTNER, SP_TEST_PARTNER_PASSWORD, "text/plain", "{}", -1);

    sp_test_assert_problem (not_utf8, 400, "invalid-input");
    sp_test_assert_problem (plain, 415, "unsupported-media-type");
  }
  g_assert_cmpint (count ("SELECT jsonb_array_length (protocol_entries) FROM pratica WHERE id = $1::uuid", pratica), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/partner/status/every-event", test_status_every_event);
  g_test_add_func ("/sportello/partner/status/risposta", test_status_risposta);
  g_test_add_func ("/sportello/partner/status/refused-bodies", test_status_refused_bodies);
  g_test_add_func ("/sportello/partner/status/pratica-names", test_status_pratica_names);
  g_test_add_func ("/sportello/partner/status/scope", test_status_scope);
  g_test_add_func ("/sportello/partner/status/hostile-strings", test_status_hostile_strings);
  g_test_add_func ("/sportello/partner/create/basic", test_create);
  g_test_add_func ("/sportello/partner/create/idempotent", test_create_idempotent);
  g_test_add_func ("/sportello/partner/create/concurrent-retries", test_create_concurrent_retries);
  g_test_add_func ("/sportello/partner/create/protocollo-principale", test_create_protocollo);
  g_test_add_func ("/sportello/partner/create/numbers", test_create_numbers);
  g_test_add_func ("/sportello/partner/create/refused", test_create_refused);
  g_test_add_func ("/sportello/partner/create/hostile-strings", test_create_hostile_strings);
  g_test_add_func ("/sportello/partner/protocolli/verbatim", test_protocolli);
  g_test_add_func ("/sportello/partner/protocolli/numbers", test_protocolli_numbers);
  g_test_add_func ("/sportello/partner/protocolli/response", test_protocolli_response);
  g_test_add_func ("/sportello/partner/bodies/refused", test_bad_bodies);

  env = sp_test_partner_start (&conn);
  status = g_test_run ();
  sp_test_partner_stop (env, conn);
  return status;
}
