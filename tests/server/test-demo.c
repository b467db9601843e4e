/* test-demo.c: load-demo's concluded pratiche have what Concludi gives a real one: the response PDF and the operator's (signed) file */
#define G_LOG_DOMAIN "test-demo"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pdf.h"
#include "sp-test-pg.h"

/* The demo's service that wants a signed response (data/demo/servizi). */
#define SIGNED_SERVIZIO "scia-edilizia"

static SpTestEnv *env;
static PGconn *conn;
static char *signing_dir;

static void
run (const char * const *argv,
     const char         *cwd,
     char              **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_true (g_spawn_sync (cwd, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &status,
                               &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

/* A certificate authority made with the OpenSSL command line, as build-aux/demo makes the demo's. */
static void
make_ca (const char *name,
         const char *common_name)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *cert = g_strconcat (name, ".pem", NULL);
  g_autofree char *subject = g_strconcat ("/O=Prova/CN=", common_name, NULL);
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                         "-nodes", "-sha256", "-days", "30", "-keyout", key, "-out", cert, "-subj", subject,
                         "-addext", "basicConstraints=critical,CA:TRUE",
                         "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL };

  run (argv, signing_dir, NULL);
}

static GBytes *
document_bytes (const char *document_id)
{
  g_autofree char *hex = sp_test_pg_value (conn, "SELECT encode (lo_get (content_oid), 'hex') FROM document"
                                                 " WHERE id = $1::uuid", SP_TEST_PG_ARGS (document_id));
  gsize length = strlen (hex) / 2;
  guint8 *data = g_malloc (length);

  for (gsize i = 0; i < length; i++)
    data[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
  return g_bytes_new_take (data, length);
}

static char *
write_file (GBytes     *content,
            const char *name)
{
  g_autofree char *path = g_build_filename (signing_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (content, NULL), (gssize) g_bytes_get_size (content),
                                      &error));
  return g_steal_pointer (&path);
}

/* @text without white space (in place). */
static char *
squeezed (char *text)
{
  char *to = text;

  for (const char *from = text; *from != '\0'; from++)
    if (!g_ascii_isspace (*from))
      *to++ = *from;
  *to = '\0';
  return text;
}

/* Whether `openssl cms -verify` takes @p7m with @ca (the command line, not
 * the server's code); the signed content in @content. */
static gboolean
openssl_verifies (GBytes      *p7m,
                  const char  *ca,
                  GBytes     **content)
{
  g_autofree char *in = write_file (p7m, "firmato.p7m");
  g_autofree char *out = g_build_filename (signing_dir, "contenuto.pdf", NULL);
  g_autofree char *ca_file = g_strconcat (ca, ".pem", NULL);
  const char *argv[] = { "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", in, "-CAfile", ca_file,
                         "-out", out, NULL };
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length;
  int status;

  g_assert_true (g_spawn_sync (signing_dir, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return FALSE;
  if (content != NULL)
    {
      g_assert_true (g_file_get_contents (out, &data, &length, NULL));
      *content = g_bytes_new_take (data, length);
    }
  return TRUE;
}

/* Every concluded demo pratica has one response PDF and one operator's
 * file, from its conclusion on; the signed ones verify with the demo's CA
 * (and not with another), and the response names the file and its signer. */
static void
test_concluded (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *ca = g_build_filename (signing_dir, "firma.pem", NULL);
  g_autofree char *key = g_build_filename (signing_dir, "firma.key", NULL);
  g_autoptr(GPtrArray) signed_files = NULL;
  g_autoptr(GPtrArray) plain_files = NULL;
  const char *seconds;
  gint64 concluded;

  make_ca ("firma", "Prova - CA firma digitale");
  make_ca ("altra", "Altra CA");
  sp_test_env_admin (env, NULL, &out, &error, "load-demo", "--signing-ca", ca, "--signing-key", key, NULL);
  g_assert_no_error (error);
  g_test_message ("%s", out);
  seconds = strstr (out, "Loaded the demo in ");
  g_assert_nonnull (seconds);
  /* Fast enough to load at every demo start. */
  g_assert_cmpfloat (g_ascii_strtod (seconds + strlen ("Loaded the demo in "), NULL), <, 30.0);

  concluded = sp_test_pg_int (conn, "SELECT count (*) FROM pratica WHERE status IN (6000, 7000, 8000, 9000)", 0, NULL);
  g_test_message ("%" G_GINT64_FORMAT " concluded demo pratiche", concluded);
  g_assert_cmpint (concluded, >, 10);
  /* One response and one operator's file each, current, and none for the others. */
  g_assert_cmpint (sp_test_pg_int (conn,
                                   "SELECT count (*) FROM pratica p WHERE (p.status IN (6000, 7000, 8000, 9000)) <>"
                                   " ((SELECT count (*) FROM document_current d WHERE d.pratica_id = p.id"
                                   "   AND d.kind = 'risposta') = 1"
                                   "  AND (SELECT count (*) FROM document_current d WHERE d.pratica_id = p.id"
                                   "   AND d.kind = 'allegato') = 1)", 0, NULL), ==, 0);
  /* Signed exactly where the service wants it, by the operator in charge. */
  g_assert_cmpint (sp_test_pg_int (conn,
                                   "SELECT count (*) FROM document d JOIN pratica p ON p.id = d.pratica_id"
                                   " JOIN servizio s ON s.id = p.servizio_id JOIN account a ON a.id = p.assigned_to"
                                   " WHERE d.kind = 'allegato' AND (s.signed_response_required <> (d.signer IS NOT NULL)"
                                   "   OR s.signed_response_required <> (d.filename LIKE '%.pdf.p7m')"
                                   "   OR d.signer IS DISTINCT FROM CASE WHEN s.signed_response_required"
                                   "                                     THEN upper (a.full_name) END)",
                                   0, NULL), ==, 0);
  /* The saved work it was concluded from names the operator's file and the outcome. */
  g_assert_cmpint (sp_test_pg_int (conn,
                                   "SELECT count (*) FROM pratica p"
                                   " LEFT JOIN pratica_processing w ON w.pratica_id = p.id"
                                   " LEFT JOIN document_current d ON d.id = w.risposta_id AND d.kind = 'allegato'"
                                   " WHERE p.status IN (6000, 7000, 8000, 9000)"
                                   "   AND (d.id IS NULL OR w.esito IS DISTINCT FROM p.outcome"
                                   "        OR w.saved_by IS DISTINCT FROM p.assigned_to)", 0, NULL), ==, 0);
  /* Listed by the versions from the conclusion on, not before. */
  g_assert_cmpint (sp_test_pg_int (conn,
                                   "SELECT count (*) FROM version v JOIN document d ON d.pratica_id = v.pratica_id"
                                   " WHERE d.kind = 'risposta' AND ((v.snapshot -> 'documents')::jsonb @> jsonb_build_array ("
                                   "   jsonb_build_object ('id', d.id::text))) <> (v.created_at >= d.created_at)",
                                   0, NULL), ==, 0);
  g_assert_cmpint (sp_test_pg_int (conn,
                                   "SELECT count (*) FROM version v JOIN document d ON d.pratica_id = v.pratica_id"
                                   " WHERE d.kind = 'modulo' AND NOT (v.snapshot -> 'documents')::jsonb @> jsonb_build_array ("
                                   "   jsonb_build_object ('id', d.id::text))", 0, NULL), ==, 0);

  signed_files = sp_test_pg_column (conn,
                                    "SELECT d.id FROM document d JOIN pratica p ON p.id = d.pratica_id"
                                    " JOIN servizio s ON s.id = p.servizio_id"
                                    " WHERE d.kind = 'allegato' AND s.slug = $1 ORDER BY p.numero LIMIT 3",
                                    SP_TEST_PG_ARGS (SIGNED_SERVIZIO));
  g_assert_cmpuint (signed_files->len, >, 0);
  for (guint i = 0; i < signed_files->len; i++)
    {
      const char *id = g_ptr_array_index (signed_files, i);
      g_autoptr(GBytes) p7m = document_bytes (id);
      g_autoptr(GBytes) content = NULL;
      g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, p7m);
      g_autofree char *stored = sp_test_pg_value (conn, "SELECT sha256 FROM document WHERE id = $1::uuid",
                                                  SP_TEST_PG_ARGS (id));
      g_autofree char *filename = sp_test_pg_value (conn, "SELECT filename FROM document WHERE id = $1::uuid",
                                                    SP_TEST_PG_ARGS (id));
      g_autofree char *signer = sp_test_pg_value (conn, "SELECT signer FROM document WHERE id = $1::uuid",
                                                  SP_TEST_PG_ARGS (id));
      g_autofree char *response_id = sp_test_pg_value (conn,
                                                       "SELECT r.id FROM document r JOIN document a"
                                                       " ON a.pratica_id = r.pratica_id"
                                                       " WHERE a.id = $1::uuid AND r.kind = 'risposta'",
                                                       SP_TEST_PG_ARGS (id));
      g_autoptr(GBytes) response = document_bytes (response_id);
      g_autofree char *decision = NULL;
      g_autofree char *text = NULL;
      g_autofree char *mentioned = NULL;

      g_assert_cmpstr (sha256, ==, stored);
      g_assert_true (openssl_verifies (p7m, "firma", &content));
      g_assert_false (openssl_verifies (p7m, "altra", NULL));
      decision = sp_test_pdf_text (content);
      g_assert_nonnull (strstr (decision, "Provvedimento finale"));
      g_assert_null (strstr (decision, signer));    /* the citizen gets it: nobody named */

      text = sp_test_pdf_text (response);
      g_test_message ("%s", text);
      /* The attachment's line may wrap: compared without spaces. */
      mentioned = g_strdup_printf ("%s (firmato digitalmente da %s)", filename, signer);
      g_assert_nonnull (strstr (text, "Spett.le"));
      g_assert_nonnull (strstr (squeezed (text), squeezed (mentioned)));
    }

  plain_files = sp_test_pg_column (conn,
                                   "SELECT d.id FROM document d JOIN pratica p ON p.id = d.pratica_id"
                                   " JOIN servizio s ON s.id = p.servizio_id"
                                   " WHERE d.kind = 'risposta' AND NOT s.signed_response_required"
                                   " ORDER BY p.numero LIMIT 2", 0, NULL);
  for (guint i = 0; i < plain_files->len; i++)
    {
      g_autoptr(GBytes) response = document_bytes (g_ptr_array_index (plain_files, i));
      g_autofree char *text = sp_test_pdf_text (response);

      g_assert_nonnull (strstr (text, "provvedimento-"));
      g_assert_null (strstr (text, "firmato digitalmente"));
    }
}

/* Through the server, as mario.rossi (data/demo/demo.json): the detail of
 * a concluded SCIA shows the signer, the files download as stored, and the
 * server, given the demo's CA as [documents] signers-ca-file, verifies the
 * demo's signed file as it verifies an upload. */
static void
test_through_server (void)
{
  g_autofree char *ca = g_build_filename (signing_dir, "firma.pem", NULL);
  g_autofree char *token = NULL;
  g_autofree char *concluded = NULL;
  g_autofree char *open_one = NULL;
  g_autofree char *path = NULL;
  g_autofree char *p7m_id = NULL;
  g_autoptr(SpTestResponse) detail = NULL;
  g_autoptr(SpTestResponse) download = NULL;
  g_autoptr(GBytes) p7m = NULL;
  g_autofree char *sha256 = NULL;
  JsonArray *documents;
  guint signed_by_mario = 0;

  sp_test_env_set_config (env, "documents", "signers-ca-file", ca);
  sp_test_env_restart_server (env);
  token = sp_test_login (env, "mario.rossi", "demo-operatore-1");
  concluded = sp_test_pg_value (conn,
                                "SELECT p.id FROM pratica p JOIN servizio s ON s.id = p.servizio_id"
                                " JOIN account a ON a.id = p.assigned_to"
                                " WHERE s.slug = $1 AND a.username = 'mario.rossi' AND p.status IN (7000, 9000)"
                                " ORDER BY p.numero LIMIT 1", SP_TEST_PG_ARGS (SIGNED_SERVIZIO));
  path = g_strconcat ("/api/v1.0/operator/pratiche/", concluded, NULL);
  detail = sp_test_request (env, "GET", path, token, NULL, NULL, 0);
  g_assert_cmpuint (detail->status, ==, 200);
  documents = json_object_get_array_member (sp_test_response_object (detail), "documents");
  for (guint i = 0; i < json_array_get_length (documents); i++)
    {
      JsonObject *document = json_array_get_object_element (documents, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (document, "signer", NULL), "MARIO ROSSI") == 0)
        {
          signed_by_mario++;
          p7m_id = g_strdup (json_object_get_string_member (document, "id"));
          g_assert_cmpstr (json_object_get_string_member (document, "kind"), ==, "allegato");
        }
    }
  g_assert_cmpuint (json_array_get_length (documents), ==, 3);   /* modulo, file, response */
  g_assert_cmpuint (signed_by_mario, ==, 1);

  g_free (path);
  path = g_strconcat ("/api/v1.0/operator/pratiche/", concluded, "/documents/", p7m_id, NULL);
  download = sp_test_request (env, "GET", path, token, NULL, NULL, 0);
  g_assert_cmpuint (download->status, ==, 200);
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, download->body);
  g_assert_cmpstr (soup_message_headers_get_one (download->headers, "X-Content-SHA256"), ==, sha256);
  p7m = g_bytes_ref (download->body);

  /* The same file uploaded to an open SCIA of his: verified, signer named. */
  open_one = sp_test_pg_value (conn,
                               "SELECT coalesce ((SELECT p.id::text FROM pratica p JOIN servizio s ON s.id = p.servizio_id"
                               " JOIN account a ON a.id = p.assigned_to"
                               " WHERE s.slug = $1 AND a.username = 'mario.rossi' AND p.status IN (4000, 4500, 5000)"
                               " ORDER BY p.numero LIMIT 1), '')", SP_TEST_PG_ARGS (SIGNED_SERVIZIO));
  if (*open_one == '\0')
    {
      g_test_message ("No open SCIA of mario.rossi in the demo: upload not tried");
      return;
    }
  {
    g_autofree char *upload_path = g_strconcat ("/api/v1.0/operator/pratiche/", open_one, "/documents", NULL);
    g_autoptr(SoupMessage) message = sp_test_message_new (env, "POST", upload_path, token, "application/pkcs7-mime",
                                                          g_bytes_get_data (p7m, NULL),
                                                          (gssize) g_bytes_get_size (p7m));
    g_autoptr(SpTestResponse) uploaded = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (message), "Content-Disposition",
                                  "attachment; filename=\"provvedimento.pdf.p7m\"");
    uploaded = sp_test_send (sp_test_env_get_session (env), message);
    g_test_message ("%s", sp_test_response_text (uploaded));
    g_assert_cmpuint (uploaded->status, ==, 201);
    g_assert_cmpstr (json_object_get_string_member (sp_test_response_object (uploaded), "signer"), ==, "MARIO ROSSI");
  }
}

/* The two options go together. */
static void
test_usage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_assert_false (sp_test_env_admin (env, NULL, &out, &error, "load-demo", "--signing-ca", "/dev/null", NULL));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  signing_dir = g_build_filename (sp_test_env_get_dir (env), "firma", NULL);
  g_assert_cmpint (g_mkdir_with_parents (signing_dir, 0700), ==, 0);

  g_test_add_func ("/sportello/demo/usage", test_usage);
  g_test_add_func ("/sportello/demo/concluded", test_concluded);
  g_test_add_func ("/sportello/demo/through-server", test_through_server);

  status = g_test_run ();
  PQfinish (conn);
  sp_test_env_stop (env);
  g_free (signing_dir);
  return status;
}
