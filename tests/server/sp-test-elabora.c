/* sp-test-elabora.c: the fixtures and calls the tests of Elabora share */
#define G_LOG_DOMAIN "test-elabora"

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "sp-test-elabora.h"
#include "sp-test-pg.h"

#define PRATICHE "/api/v1.0/operator/pratiche"

/* The steps of every test service; %s: slug, name, protocol_required, signed_response_required. */
static const char servizio_template[] =
  "{\"slug\": \"%s\", \"name\": \"%s\", \"description\": \"Servizio per i test di Elabora.\","
  " \"active\": true, \"protocol_required\": %s, \"protocol_provider\": \"internal\","
  " \"protocol\": {\"arrivo\": [], \"risposta\": []}, \"deadline_days\": 30, \"signed_response_required\": %s,"
  " \"fields\": [{\"key\": \"motivo\", \"label\": \"Motivo\", \"type\": \"text\", \"required\": true}],"
  " \"steps\": ["
  "  {\"key\": \"verifica\", \"title\": \"Verifica\", \"only_if_approved\": false, \"fields\": ["
  "    {\"key\": \"istruttore\", \"label\": \"Istruttore\", \"type\": \"text\", \"required\": true},"
  "    {\"key\": \"punteggio\", \"label\": \"Punteggio\", \"type\": \"number\", \"required\": false},"
  "    {\"key\": \"data\", \"label\": \"Data della verifica\", \"type\": \"date\", \"required\": true},"
  "    {\"key\": \"esito_verifica\", \"label\": \"Esito della verifica\", \"type\": \"choice\", \"required\": true,"
  "     \"options\": [\"Conforme\", \"Non conforme\"]},"
  "    {\"key\": \"documenti\", \"label\": \"Documenti controllati\", \"type\": \"checkbox\", \"required\": true}]},"
  "  {\"key\": \"rilascio\", \"title\": \"Rilascio\", \"only_if_approved\": true, \"fields\": ["
  "    {\"key\": \"numero_atto\", \"label\": \"Numero dell'atto\", \"type\": \"text\", \"required\": true},"
  "    {\"key\": \"scadenza\", \"label\": \"Scadenza\", \"type\": \"date\", \"required\": false}]}],"
  " \"texts\": {}}";

static const char signers_config[] =
  "[req]\n"
  "distinguished_name = dn\n"
  "prompt = no\n"
  "[dn]\n"
  "CN = Firme di prova\n"
  "[ca_ext]\n"
  "basicConstraints = critical,CA:TRUE\n"
  "keyUsage = critical,keyCertSign,cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "[signer_ext]\n"
  "basicConstraints = critical,CA:FALSE\n"
  "keyUsage = critical,digitalSignature,nonRepudiation\n"
  "extendedKeyUsage = emailProtection\n"
  "subjectKeyIdentifier = hash\n"
  "authorityKeyIdentifier = keyid\n";

static void
run (SpTestElabora      *self,
     const char * const *argv)
{
  g_autoptr(GPtrArray) full = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (full, (gpointer) "openssl");
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);
  if (!g_spawn_sync (self->signers_dir, (char **) full->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("openssl %s: %s\n%s", argv[0], error->message, err != NULL ? err : "");
}

static void
make_signers (SpTestElabora *self)
{
  g_autofree char *config = g_build_filename (self->signers_dir, "openssl.cnf", NULL);
  g_autoptr(GError) error = NULL;
  static const struct { const char *name; const char *ca; const char *subject; } certificates[] = {
    { "fca", NULL, "/O=Firme di prova/CN=CA delle firme di prova" },
    { "rossi", "fca", "/C=IT/O=Comune di Prova/CN=ROSSI MARIO" },
    { "altraca", NULL, "/O=Altrove/CN=CA sconosciuta" },
    { "intruso", "altraca", "/C=IT/CN=BIANCHI LUCA" },
  };

  g_assert_true (g_file_set_contents (config, signers_config, -1, &error));
  for (guint i = 0; i < G_N_ELEMENTS (certificates); i++)
    {
      g_autofree char *key = g_strconcat (certificates[i].name, ".key", NULL);
      g_autofree char *pem = g_strconcat (certificates[i].name, ".pem", NULL);
      g_autofree char *csr = g_strconcat (certificates[i].name, ".csr", NULL);
      g_autofree char *ca_pem = g_strconcat (certificates[i].ca != NULL ? certificates[i].ca : "", ".pem", NULL);
      g_autofree char *ca_key = g_strconcat (certificates[i].ca != NULL ? certificates[i].ca : "", ".key", NULL);

      if (certificates[i].ca == NULL)
        {
          run (self, (const char *[]) { "req", "-config", config, "-x509", "-new", "-newkey", "ec",
                                        "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                                        "-out", pem, "-days", "3", "-subj", certificates[i].subject,
                                        "-extensions", "ca_ext", NULL });
          continue;
        }
      run (self, (const char *[]) { "req", "-config", config, "-new", "-newkey", "ec",
                                    "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                                    "-out", csr, "-subj", certificates[i].subject, NULL });
      run (self, (const char *[]) { "x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-CAcreateserial",
                                    "-days", "2", "-out", pem, "-extfile", config, "-extensions", "signer_ext",
                                    NULL });
    }
}

static void
import_servizio (SpTestElabora *self,
                 const char    *slug,
                 const char    *name,
                 gboolean       protocol,
                 gboolean       signed_response)
{
  g_autofree char *json = g_strdup_printf (servizio_template, slug, name, protocol ? "true" : "false",
                                           signed_response ? "true" : "false");
  g_autofree char *file = g_strdup_printf ("%s/servizio-%s.json", sp_test_env_get_dir (self->env), slug);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (file, json, -1, &error));
  sp_test_env_admin (self->env, NULL, NULL, &error, "servizio-import", SP_TEST_ENTE, file, NULL);
  g_assert_no_error (error);
  sp_test_pg_command (self->conn,
                      "INSERT INTO account_servizio (account_id, servizio_id)"
                      " SELECT a.id, s.id FROM account a JOIN servizio s ON s.ente_id = a.ente_id"
                      " WHERE a.username IN ($1, $2) AND s.slug = $3",
                      SP_TEST_PG_ARGS (SP_TEST_OPERATOR, SP_TEST_OPERATOR2, slug));
}

/**
 * sp_test_elabora_start:
 * @with_signers: make the certificates of .p7m signers, and have the
 *   server trust one of their CAs ([documents] signers-ca-file)
 *
 * Starts a test installation with the services of sp-test-elabora.h; the
 * server spools uploads into @upload_dir.
 */
SpTestElabora *
sp_test_elabora_start (gboolean with_signers)
{
  SpTestElabora *self = g_new0 (SpTestElabora, 1);

  self->env = sp_test_env_start ();
  self->conn = sp_test_pg_connect (self->env);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->upload_dir = g_build_filename (sp_test_env_get_dir (self->env), "uploads", NULL);
  g_assert_cmpint (g_mkdir (self->upload_dir, 0700), ==, 0);
  sp_test_env_set_config (self->env, "limits", "upload-dir", self->upload_dir);
  if (with_signers)
    {
      g_autofree char *ca = NULL;

      self->signers_dir = g_build_filename (sp_test_env_get_dir (self->env), "signers", NULL);
      g_assert_cmpint (g_mkdir (self->signers_dir, 0700), ==, 0);
      make_signers (self);
      ca = g_build_filename (self->signers_dir, "fca.pem", NULL);
      sp_test_env_set_config (self->env, "documents", "signers-ca-file", ca);
    }
  sp_test_env_restart_server (self->env);

  import_servizio (self, SP_TEST_ELABORA_PLAIN, "Contributo di prova", FALSE, FALSE);
  import_servizio (self, SP_TEST_ELABORA_PROTOCOL, "Autorizzazione di prova", TRUE, FALSE);
  import_servizio (self, SP_TEST_ELABORA_SIGNED, "Licenza firmata di prova", FALSE, TRUE);
  return self;
}

void
sp_test_elabora_stop (SpTestElabora *self)
{
  g_clear_pointer (&self->conn, PQfinish);
  sp_test_env_stop (self->env);
  g_hash_table_unref (self->tokens);
  g_free (self->signers_dir);
  g_free (self->upload_dir);
  g_free (self);
}

const char *
sp_test_elabora_token (SpTestElabora *self,
                       const char    *username)
{
  char *token = g_hash_table_lookup (self->tokens, username);

  if (token == NULL)
    {
      token = sp_test_login (self->env, username, SP_TEST_PASSWORD);
      g_hash_table_insert (self->tokens, g_strdup (username), token);
    }
  return token;
}

/* A pratica of @servizio in @status, by "Verdi Giulia" of Via Roma. */
char *
sp_test_elabora_pratica (SpTestElabora *self,
                         const char    *servizio,
                         int            status,
                         const char    *assignee)
{
  SpTestPratica spec = {
    .servizio = servizio, .status = status, .assigned_to = assignee, .nome = "Giulia", .cognome = "Verdi",
    .codice_fiscale = "VRDGLI80A41H501X", .email = "giulia.verdi@example.org",
    .data = "{\"motivo\": \"Richiesta di prova\"}",
    .protocol_number = status >= 3000 ? "2026/0000042" : NULL,
  };

  return sp_test_pratica_insert (self->conn, &spec);
}

static SpTestResponse *
call (SpTestElabora *self,
      const char    *method,
      const char    *path,
      const char    *username,
      const char    *json)
{
  return sp_test_request (self->env, method, path, username != NULL ? sp_test_elabora_token (self, username) : NULL,
                          json != NULL ? "application/json" : NULL, json, -1);
}

/**
 * sp_test_elabora_upload:
 * @username: (nullable): who uploads; %NULL for nobody
 * @filename: (nullable): the name in Content-Disposition; %NULL for none
 */
SpTestResponse *
sp_test_elabora_upload (SpTestElabora *self,
                        const char    *pratica_id,
                        const char    *username,
                        const char    *filename,
                        const char    *content_type,
                        GBytes        *content)
{
  g_autofree char *path = g_strdup_printf (PRATICHE "/%s/documents", pratica_id);
  g_autoptr(SoupMessage) message = NULL;

  message = sp_test_message_new (self->env, "POST", path,
                                 username != NULL ? sp_test_elabora_token (self, username) : NULL,
                                 content_type, g_bytes_get_data (content, NULL), (gssize) g_bytes_get_size (content));
  if (filename != NULL)
    {
      g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

      g_hash_table_insert (params, (gpointer) "filename", (gpointer) filename);
      soup_message_headers_set_content_disposition (soup_message_get_request_headers (message), "attachment", params);
    }
  return sp_test_send (sp_test_env_get_session (self->env), message);
}

SpTestResponse *
sp_test_elabora_save (SpTestElabora *self,
                      const char    *pratica_id,
                      const char    *username,
                      const char    *json)
{
  g_autofree char *path = g_strdup_printf (PRATICHE "/%s/processing", pratica_id);

  return call (self, "PUT", path, username, json);
}

SpTestResponse *
sp_test_elabora_conclude (SpTestElabora *self,
                          const char    *pratica_id,
                          const char    *username)
{
  g_autofree char *path = g_strdup_printf (PRATICHE "/%s/conclude", pratica_id);

  return call (self, "POST", path, username, NULL);
}

SpTestResponse *
sp_test_elabora_detail (SpTestElabora *self,
                        const char    *pratica_id,
                        const char    *username)
{
  g_autofree char *path = g_strdup_printf (PRATICHE "/%s", pratica_id);

  return call (self, "GET", path, username, NULL);
}

SpTestResponse *
sp_test_elabora_download (SpTestElabora *self,
                          const char    *pratica_id,
                          const char    *document_id,
                          const char    *username)
{
  g_autofree char *path = g_strdup_printf (PRATICHE "/%s/documents/%s", pratica_id, document_id);

  return call (self, "GET", path, username, NULL);
}

/**
 * sp_test_elabora_sign:
 * @signer: "rossi" (trusted CA, CN "ROSSI MARIO") or "intruso" (another CA)
 * @detached: leave the content out of the signed file
 *
 * Returns: (transfer full): @content signed with OpenSSL CMS, as a DER .p7m
 */
GBytes *
sp_test_elabora_sign (SpTestElabora *self,
                      const char    *signer,
                      GBytes        *content,
                      gboolean       detached)
{
  g_autofree char *in = g_build_filename (self->signers_dir, "contenuto.bin", NULL);
  g_autofree char *out = g_build_filename (self->signers_dir, "firmato.p7m", NULL);
  g_autofree char *cert = g_strconcat (signer, ".pem", NULL);
  g_autofree char *key = g_strconcat (signer, ".key", NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize length;

  g_assert_true (g_file_set_contents (in, g_bytes_get_data (content, NULL), (gssize) g_bytes_get_size (content),
                                      &error));
  run (self, (const char *[]) { "cms", "-sign", "-binary", "-outform", "DER", "-in", in, "-signer", cert,
                                "-inkey", key, "-out", out, detached ? NULL : "-nodetach", NULL });
  g_assert_true (g_file_get_contents (out, &data, &length, &error));
  return g_bytes_new_take (data, length);
}

