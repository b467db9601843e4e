/* test-elabora-files.c: Elabora's files: uploads admitted before their body, size cap, streaming, large objects, signed .p7m */
#define G_LOG_DOMAIN "test-elabora"

#include "config.h"

#include "sp-test-elabora.h"
#include "sp-test-pdf.h"
#include "sp-test-pg.h"

#define BIG (25 * 1024 * 1024)

static SpTestElabora *fixture;

static const char *
string_member (JsonObject *object,
               const char *member)
{
  return object != NULL ? json_object_get_string_member_with_default (object, member, NULL) : NULL;
}

static GBytes *
random_bytes (gsize size)
{
  guint32 *data = g_malloc (size + 4);

  for (gsize i = 0; i < size / 4 + 1; i++)
    data[i] = g_random_int ();
  return g_bytes_new_take (data, size);
}

/* Files created in the upload directory while it is watched. */
typedef struct
{
  GFileMonitor *monitor;
  guint         created;
} Watch;

static void
changed_cb (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other,
            GFileMonitorEvent  event,
            gpointer           user_data)
{
  Watch *watch = user_data;

  if (event == G_FILE_MONITOR_EVENT_CREATED)
    {
      g_autofree char *path = g_file_get_path (file);

      g_test_message ("created in the upload directory: %s", path);
      watch->created++;
    }
}

static void
watch_start (Watch *watch)
{
  g_autoptr(GFile) dir = g_file_new_for_path (fixture->upload_dir);
  g_autoptr(GError) error = NULL;

  watch->created = 0;
  watch->monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_NONE, NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (watch->monitor, "changed", G_CALLBACK (changed_cb), watch);
}

/* Lets the events of the last request arrive, then stops watching. */
static guint
watch_stop (Watch *watch)
{
  gint64 until = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
  g_file_monitor_cancel (watch->monitor);
  g_clear_object (&watch->monitor);
  return watch->created;
}

static guint
files_in_upload_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->upload_dir, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Files left in the upload directory once the server is done with them
 * (it removes a refused upload's file when the last write ends). */
static guint
files_left_in_upload_dir (void)
{
  for (guint i = 0; i < 50 && files_in_upload_dir () > 0; i++)
    g_usleep (100 * 1000);
  return files_in_upload_dir ();
}

/* 25 MiB from a caller who may not upload: answered from the headers, and
 * nothing of the body written to the upload directory (nor anywhere: the
 * server never starts the upload). */
static void
test_refused_before_body (void)
{
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  g_autoptr(GBytes) big = random_bytes (BIG);
  g_autoptr(GBytes) small = random_bytes (1024 * 1024);
  const struct { const char *username; const char *filename; guint status; const char *slug; } cases[] = {
    { NULL, "grande.pdf", 401, "unauthenticated" },
    { SP_TEST_OPERATOR2, "grande.pdf", 403, "forbidden" },
    { SP_TEST_OTHER_OPERATOR, "grande.pdf", 404, "not-found" },
    { SP_TEST_AUDITOR, "grande.pdf", 403, "forbidden" },
    { SP_TEST_OPERATOR, NULL, 400, "invalid-input" },
  };
  Watch watch;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SpTestResponse) response = NULL;
      gint64 started = g_get_monotonic_time ();

      watch_start (&watch);
      response = sp_test_elabora_upload (fixture, id, cases[i].username, cases[i].filename, "application/pdf", big);
      g_test_message ("%s, %s: HTTP %u in %.0f ms", cases[i].username, cases[i].filename, response->status,
                      (g_get_monotonic_time () - started) / 1000.0);
      sp_test_assert_problem (response, cases[i].status, cases[i].slug);
      g_assert_cmpuint (watch_stop (&watch), ==, 0);
      g_assert_cmpuint (files_in_upload_dir (), ==, 0);
    }
  g_assert_cmpint (sp_test_pg_int (fixture->conn, "SELECT count (*) FROM document WHERE pratica_id = $1::uuid",
                                   SP_TEST_PG_ARGS (id)), ==, 0);

  /* The same watch sees an admitted upload go through the directory. */
  watch_start (&watch);
  {
    g_autoptr(SpTestResponse) response = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, "piccolo.pdf",
                                                                 "application/pdf", small);

    sp_test_assert_status (response, 201);
  }
  g_assert_cmpuint (watch_stop (&watch), ==, 1);
  g_assert_cmpuint (files_left_in_upload_dir (), ==, 0);
}

/* Past 25 MiB: 413, with a length (before the body) or chunked (on the way). */
static void
test_too_large (void)
{
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  g_autoptr(GBytes) over = random_bytes (BIG + 1);
  g_autoptr(SpTestResponse) response = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, "troppo.pdf",
                                                               "application/pdf", over);
  g_autofree char *path = g_strdup_printf ("/api/v1.0/operator/pratiche/%s/documents", id);
  g_autoptr(SoupMessage) message = sp_test_message_new (fixture->env, "POST", path,
                                                        sp_test_elabora_token (fixture, SP_TEST_OPERATOR),
                                                        NULL, NULL, 0);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (over);
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SpTestResponse) chunked = NULL;

  sp_test_assert_problem (response, 413, "payload-too-large");

  g_hash_table_insert (params, (gpointer) "filename", (gpointer) "troppo.pdf");
  soup_message_headers_set_content_disposition (soup_message_get_request_headers (message), "attachment", params);
  soup_message_set_request_body (message, "application/pdf", stream, -1);
  chunked = sp_test_send (sp_test_env_get_session (fixture->env), message);
  /* Refused: a 413, or a connection closed on the sender. */
  if (chunked->error == NULL)
    sp_test_assert_problem (chunked, 413, "payload-too-large");
  g_assert_cmpuint (files_left_in_upload_dir (), ==, 0);
  g_assert_cmpint (sp_test_pg_int (fixture->conn, "SELECT count (*) FROM document WHERE pratica_id = $1::uuid",
                                   SP_TEST_PG_ARGS (id)), ==, 0);

  /* Exactly 25 MiB is accepted. */
  {
    g_autoptr(GBytes) limit = g_bytes_new_from_bytes (over, 0, BIG);
    g_autoptr(SpTestResponse) accepted = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, "limite.pdf",
                                                                 "application/pdf", limit);

    sp_test_assert_status (accepted, 201);
  }
}

/* What goes in comes out, streamed from a large object; the large object
 * goes with its document. */
static void
test_round_trip (void)
{
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
  g_autoptr(GBytes) content = random_bytes (5 * 1024 * 1024 + 123);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  g_autoptr(SpTestResponse) uploaded = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR,
                                                               "planimetria è firmata.dwg", "Application/Octet-Stream",
                                                               content);
  g_autoptr(SpTestResponse) downloaded = NULL;
  g_autoptr(SpTestResponse) empty = NULL;
  g_autofree char *oid = NULL;
  JsonObject *document;

  sp_test_assert_status (uploaded, 201);
  document = sp_test_response_object (uploaded);
  g_assert_cmpstr (string_member (document, "filename"), ==, "planimetria è firmata.dwg");
  g_assert_cmpstr (string_member (document, "mime_type"), ==, "application/octet-stream");
  g_assert_cmpstr (string_member (document, "sha256"), ==, sha256);

  downloaded = sp_test_elabora_download (fixture, id, string_member (document, "id"), SP_TEST_OPERATOR);
  sp_test_assert_status (downloaded, 200);
  g_assert_cmpint (soup_message_headers_get_content_length (downloaded->headers), ==, g_bytes_get_size (content));
  g_assert_true (g_bytes_equal (downloaded->body, content));

  /* A colleague without the pratica may read it too (in scope), a stranger not. */
  {
    g_autoptr(SpTestResponse) colleague = sp_test_elabora_download (fixture, id, string_member (document, "id"),
                                                                    SP_TEST_OPERATOR2);
    g_autoptr(SpTestResponse) stranger = sp_test_elabora_download (fixture, id, string_member (document, "id"),
                                                                   SP_TEST_OTHER_OPERATOR);

    sp_test_assert_status (colleague, 200);
    g_assert_true (g_bytes_equal (colleague->body, content));
    sp_test_assert_problem (stranger, 404, "not-found");
  }

  oid = sp_test_pg_value (fixture->conn, "SELECT content_oid::text FROM document WHERE id = $1::uuid",
                          SP_TEST_PG_ARGS (string_member (document, "id")));
  g_assert_cmpint (sp_test_pg_int (fixture->conn, "SELECT count (*) FROM pg_largeobject_metadata WHERE oid = $1::oid",
                                   SP_TEST_PG_ARGS (oid)), ==, 1);
  sp_test_pg_command (fixture->conn, "DELETE FROM document WHERE id = $1::uuid",
                      SP_TEST_PG_ARGS (string_member (document, "id")));
  g_assert_cmpint (sp_test_pg_int (fixture->conn, "SELECT count (*) FROM pg_largeobject_metadata WHERE oid = $1::oid",
                                   SP_TEST_PG_ARGS (oid)), ==, 0);

  /* A name is never a path: only its last part is kept. */
  {
    g_autoptr(GBytes) small = g_bytes_new_static ("x", 1);
    g_autoptr(SpTestResponse) pathname = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, "../../etc/passwd",
                                                                 "text/plain", small);

    sp_test_assert_status (pathname, 201);
    g_assert_cmpstr (string_member (sp_test_response_object (pathname), "filename"), ==, "passwd");
  }

  /* An empty file is no answer. */
  {
    g_autoptr(GBytes) nothing = g_bytes_new_static ("", 0);

    empty = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, "vuoto.pdf", "application/pdf", nothing);
    sp_test_assert_problem (empty, 422, "validation");
    g_assert_cmpstr (sp_test_field_error (empty, "file"), ==, "Il file è vuoto");
  }
}

static GBytes *
tampered (GBytes *signed_file)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (signed_file, &size);
  guint8 *copy = g_memdup2 (data, size);
  const char *marker = "CONTENUTO";

  for (gsize i = 0; i + strlen (marker) < size; i++)
    if (memcmp (copy + i, marker, strlen (marker)) == 0)
      {
        copy[i] = 'X';
        return g_bytes_new_take (copy, size);
      }
  g_assert_not_reached ();
}

/* @signed_file with the last byte of its signature changed (a DER .p7m
 * with signed attributes ends with the signature value). */
static GBytes *
bad_signature (GBytes *signed_file)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (signed_file, &size);
  guint8 *copy = g_memdup2 (data, size);

  copy[size - 1] ^= 0x5a;
  return g_bytes_new_take (copy, size);
}

/* A service that wants a signed response takes only a .p7m whose signature
 * OpenSSL verifies, and shows who signed it. A refusal tells the operator
 * why in Italian, never in OpenSSL's English. */
static void
test_p7m (void)
{
  g_autofree char *id = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_SIGNED, 4000, SP_TEST_OPERATOR);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4 CONTENUTO della risposta firmata\n", 42);
  g_autoptr(GBytes) good = sp_test_elabora_sign (fixture, "rossi", pdf, FALSE);
  g_autoptr(GBytes) foreign = sp_test_elabora_sign (fixture, "intruso", pdf, FALSE);
  g_autoptr(GBytes) detached = sp_test_elabora_sign (fixture, "rossi", pdf, TRUE);
  g_autoptr(GBytes) broken = tampered (good);
  g_autoptr(GBytes) forged = bad_signature (good);
  const struct { const char *filename; GBytes *content; const char *message; } refused[] = {
    { "risposta.pdf", pdf,
      "Questo servizio richiede un file di risposta firmato digitalmente: scegliere un file .p7m." },
    { "risposta.pdf.p7m", pdf,
      "Il file non è un documento firmato digitalmente (.p7m) valido: non contiene una firma CMS leggibile." },
    { "risposta.pdf.p7m", foreign,
      "Il certificato del firmatario non è stato rilasciato da un'autorità di certificazione riconosciuta, "
      "oppure non è valido in questo momento." },
    { "risposta.pdf.p7m", forged, "La firma digitale del file non è valida." },
    { "risposta.pdf.p7m", broken,
      "Il documento è stato modificato dopo la firma: la firma non corrisponde più al suo contenuto." },
    { "risposta.pdf.p7m", detached,
      "Il file .p7m contiene la firma ma non il documento firmato (firma separata): firmare il file "
      "includendo il documento." },
  };
  g_autoptr(SpTestResponse) accepted = NULL;
  g_autofree char *body = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(SpTestResponse) response = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, refused[i].filename,
                                                                   "application/pkcs7-mime", refused[i].content);
      const char *message = sp_test_field_error (response, "file");

      g_test_message ("%s: %s", refused[i].filename, sp_test_response_text (response));
      sp_test_assert_problem (response, 422, "validation");
      g_assert_cmpstr (message, ==, refused[i].message);
      g_assert_cmpstr (string_member (sp_test_response_object (response), "detail"), ==, message);
      /* None of OpenSSL's own words reach the operator. */
      g_assert_null (strstr (sp_test_response_text (response), "signature"));
      g_assert_null (strstr (sp_test_response_text (response), "certificate"));
      g_assert_null (strstr (sp_test_response_text (response), "verify"));
    }
  g_assert_cmpint (sp_test_pg_int (fixture->conn, "SELECT count (*) FROM document WHERE pratica_id = $1::uuid",
                                   SP_TEST_PG_ARGS (id)), ==, 0);

  accepted = sp_test_elabora_upload (fixture, id, SP_TEST_OPERATOR, "risposta.pdf.p7m", "application/pkcs7-mime",
                                     good);
  sp_test_assert_status (accepted, 201);
  g_assert_cmpstr (string_member (sp_test_response_object (accepted), "signer"), ==, "ROSSI MARIO");

  /* Chosen as the response, it goes into the response PDF with its signer. */
  body = g_strdup_printf ("{\"esito\": \"rejected\", \"motivazione\": \"Atto firmato.\", \"risposta\": \"%s\","
                          " \"steps\": {\"verifica\": {\"istruttore\": \"Neri\", \"data\": \"2026-03-02\","
                          " \"esito_verifica\": \"Non conforme\", \"documenti\": true}}}",
                          string_member (sp_test_response_object (accepted), "id"));
  {
    g_autoptr(SpTestResponse) saved = sp_test_elabora_save (fixture, id, SP_TEST_OPERATOR, body);
    g_autoptr(SpTestResponse) concluded = NULL;
    g_autoptr(SpTestResponse) download = NULL;
    g_autofree char *text = NULL;
    g_autofree char *document_id = NULL;

    sp_test_assert_status (saved, 200);
    g_assert_true (json_object_get_boolean_member_with_default (sp_test_response_object (saved),
                                                                "signed_response_required", FALSE));
    concluded = sp_test_elabora_conclude (fixture, id, SP_TEST_OPERATOR);
    sp_test_assert_status (concluded, 200);
    document_id = sp_test_pg_value (fixture->conn,
                                    "SELECT id FROM document WHERE pratica_id = $1::uuid AND kind = 'risposta'",
                                    SP_TEST_PG_ARGS (id));
    download = sp_test_elabora_download (fixture, id, document_id, SP_TEST_OPERATOR);
    sp_test_assert_status (download, 200);
    text = sp_test_pdf_text (download->body);
    g_test_message ("%s", text);
    g_free (sp_test_pdf_png (download->body, "elabora-risposta-firmata"));
    g_assert_nonnull (strstr (text, "risposta.pdf.p7m (firmato digitalmente da ROSSI"));
  }

  /* Where a signature is not required, a .p7m is still checked: its signer
   * shown when it verifies, none when not. */
  {
    g_autofree char *plain = sp_test_elabora_pratica (fixture, SP_TEST_ELABORA_PLAIN, 4000, SP_TEST_OPERATOR);
    g_autoptr(SpTestResponse) verified = sp_test_elabora_upload (fixture, plain, SP_TEST_OPERATOR, "a.pdf.p7m",
                                                                 "application/pkcs7-mime", good);
    g_autoptr(SpTestResponse) unverified = sp_test_elabora_upload (fixture, plain, SP_TEST_OPERATOR, "b.pdf.p7m",
                                                                   "application/pkcs7-mime", foreign);

    sp_test_assert_status (verified, 201);
    g_assert_cmpstr (string_member (sp_test_response_object (verified), "signer"), ==, "ROSSI MARIO");
    sp_test_assert_status (unverified, 201);
    g_assert_true (json_object_get_null_member (sp_test_response_object (unverified), "signer"));
  }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Applies to @conn every migration of the sources before 0007. */
static void
apply_migrations_before_0007 (PGconn *conn)
{
  g_autofree char *dir_path = g_build_filename (sp_test_env_get_source_dir (), "server", "sql", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".sql") && strcmp (name, "0007") < 0)
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  sp_test_pg_command (conn, "CREATE TABLE schema_migration (version integer PRIMARY KEY, name text NOT NULL,"
                            " applied_at timestamptz NOT NULL DEFAULT now ())", 0, NULL);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
      g_autofree char *sql = NULL;
      g_autofree char *version = g_strndup (g_ptr_array_index (names, i), 4);
      PGresult *result;

      g_assert_true (g_file_get_contents (path, &sql, NULL, NULL));
      result = PQexec (conn, sql);
      if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
        g_error ("%s: %s", path, PQerrorMessage (conn));
      PQclear (result);
      sp_test_pg_command (conn, "INSERT INTO schema_migration (version, name) VALUES ($1::integer, $2)",
                          SP_TEST_PG_ARGS (version, g_ptr_array_index (names, i)));
    }
}

/* A database of before 0007, its documents in bytea: the migration moves
 * them into large objects, byte for byte, and brings the steps of its
 * services to Elabora's types; of two operator's files, 0010 keeps the
 * newer current and the older superseded by it. */
static void
test_migration_moves_contents (void)
{
  g_autofree char *conninfo = g_strdup (sp_test_env_get_conninfo (fixture->env));
  g_autofree char *old_conninfo = NULL;
  g_autoptr(PGconn) old = NULL;
  g_autoptr(GBytes) content = random_bytes (300 * 1024);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);
  g_autoptr(GError) error = NULL;
  g_autofree char *pratica = NULL;
  g_autofree char *moved = NULL;
  const char *params[2];
  int lengths[2] = { 0, 0 };
  int formats[2] = { 0, 1 };
  PGresult *result;

  g_assert_nonnull (strstr (conninfo, "dbname=sportello"));
  {
    g_auto(GStrv) parts = g_strsplit (conninfo, "dbname=sportello", 2);

    old_conninfo = g_strjoinv ("dbname=migrazione", parts);
  }
  sp_test_pg_command (fixture->conn, "CREATE DATABASE migrazione", 0, NULL);
  old = PQconnectdb (old_conninfo);
  g_assert_cmpint (PQstatus (old), ==, CONNECTION_OK);
  apply_migrations_before_0007 (old);

  pratica = sp_test_pg_value (old,
                              "WITH e AS (INSERT INTO ente (code, name) VALUES ('c_m001', 'Comune Migrato') RETURNING id),"
                              " s AS (INSERT INTO servizio (ente_id, slug, name, steps) SELECT id, 'vecchio', 'Vecchio',"
                              "         '[{\"key\": \"verifica\", \"title\": \"Verifica\", \"only_if_approved\": false,"
                              "           \"fields\": [{\"key\": \"esito\", \"label\": \"Esito\", \"type\": \"select\","
                              "                         \"required\": true, \"sensitive\": false, \"options\":"
                              "                         [\"Buono\", {\"value\": \"cattivo\", \"label\": \"Cattivo\"}]},"
                              "                        {\"key\": \"note\", \"label\": \"Note\", \"type\": \"textarea\"}]}]'"
                              "       FROM e RETURNING id, ente_id),"
                              " c AS (INSERT INTO citizen (codice_fiscale, nome, cognome, email)"
                              "       VALUES ('MGRMRA80A01H501A', 'Maria', 'Migrata', 'm@example.org') RETURNING id)"
                              " INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf,"
                              "                      applicant_nome, applicant_cognome, applicant_email, status)"
                              " SELECT s.ente_id, s.id, '2025-000001', c.id, 'MGRMRA80A01H501A', 'Maria', 'Migrata',"
                              "        'm@example.org', 2000 FROM s, c RETURNING id", 0, NULL);
  params[0] = pratica;
  params[1] = g_bytes_get_data (content, NULL);
  lengths[1] = (int) g_bytes_get_size (content);
  result = PQexecParams (old,
                         "INSERT INTO document (pratica_id, kind, filename, mime_type, size, sha256, content)"
                         " VALUES ($1::uuid, 'modulo', 'modulo.pdf', 'application/pdf', length ($2::bytea),"
                         "         encode (sha256 ($2::bytea), 'hex'), $2::bytea)",
                         2, NULL, params, lengths, formats, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);
  /* Two operator's files: the newer replaces the older (0010). */
  result = PQexecParams (old,
                         "INSERT INTO document (pratica_id, kind, filename, mime_type, size, sha256, content, created_at)"
                         " SELECT $1::uuid, 'allegato', f.name, 'application/pdf', 3, encode (sha256 ('abc'), 'hex'),"
                         "        'abc', now () - f.age"
                         " FROM (VALUES ('prima.pdf', interval '2 days'), ('seconda.pdf', interval '1 day')) AS f (name, age)",
                         1, NULL, params, NULL, NULL, 0);
  g_assert_cmpint (PQresultStatus (result), ==, PGRES_COMMAND_OK);
  PQclear (result);

  /* The administrator's migrate, on that database. */
  sp_test_env_set_config (fixture->env, "database", "conninfo", old_conninfo);
  sp_test_env_admin (fixture->env, NULL, NULL, &error, "migrate", NULL);
  sp_test_env_set_config (fixture->env, "database", "conninfo", conninfo);
  g_assert_no_error (error);

  moved = sp_test_pg_value (old, "SELECT encode (sha256 (lo_get (content_oid)), 'hex') || ' ' || sha256"
                                 " FROM document WHERE kind = 'modulo'", 0, NULL);
  {
    g_autofree char *expected = g_strdup_printf ("%s %s", sha256, sha256);

    g_assert_cmpstr (moved, ==, expected);
  }
  g_assert_cmpint (sp_test_pg_int (old, "SELECT count (*) FROM information_schema.columns"
                                        " WHERE table_name = 'document' AND column_name = 'content'", 0, NULL), ==, 0);

  {
    g_autofree char *current = sp_test_pg_value (old, "SELECT string_agg (filename, ',' ORDER BY filename)"
                                                      " FROM document_current", 0, NULL);

    g_assert_cmpstr (current, ==, "modulo.pdf,seconda.pdf");
    g_assert_cmpint (sp_test_pg_int (old, "SELECT count (*) FROM document d JOIN document n ON n.id = d.superseded_by"
                                          " WHERE d.filename = 'prima.pdf' AND n.filename = 'seconda.pdf'", 0, NULL),
                     ==, 1);
  }

  /* Its service's steps now have Elabora's types. */
  {
    g_autofree char *steps = sp_test_pg_value (old, "SELECT steps::text FROM servizio", 0, NULL);

    g_assert_cmpstr (steps, ==, "[{\"key\": \"verifica\", \"title\": \"Verifica\", \"fields\": [{\"key\": \"esito\","
                                " \"type\": \"choice\", \"label\": \"Esito\", \"options\": [\"Buono\", \"cattivo\"],"
                                " \"required\": true}, {\"key\": \"note\", \"type\": \"text\", \"label\": \"Note\"}],"
                                " \"only_if_approved\": false}]");
  }
  g_clear_pointer (&old, PQfinish);
  sp_test_pg_command (fixture->conn, "DROP DATABASE migrazione", 0, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sportello/elabora/files/refused-before-body", test_refused_before_body);
  g_test_add_func ("/sportello/elabora/files/too-large", test_too_large);
  g_test_add_func ("/sportello/elabora/files/round-trip", test_round_trip);
  g_test_add_func ("/sportello/elabora/files/p7m", test_p7m);
  g_test_add_func ("/sportello/elabora/files/migration-moves-contents", test_migration_moves_contents);

  fixture = sp_test_elabora_start (TRUE);
  status = g_test_run ();
  sp_test_elabora_stop (fixture);
  return status;
}
