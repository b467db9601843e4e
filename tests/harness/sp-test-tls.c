/* sp-test-tls.c: the test certificates, made with openssl: two CAs, servers and partners */
#define G_LOG_DOMAIN "sp-test-tls"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-test-env-private.h"
#include "sp-test-env.h"

static const char openssl_config[] =
  "[req]\n"
  "distinguished_name = dn\n"
  "prompt = no\n"
  "[dn]\n"
  "CN = Sportello test\n"
  "[ca_ext]\n"
  "basicConstraints = critical,CA:TRUE\n"
  "keyUsage = critical,keyCertSign,cRLSign\n"
  "subjectKeyIdentifier = hash\n"
  "[server_ext]\n"
  "basicConstraints = critical,CA:FALSE\n"
  "keyUsage = critical,digitalSignature,keyEncipherment\n"
  "extendedKeyUsage = serverAuth\n"
  "subjectAltName = IP:127.0.0.1,DNS:localhost\n"
  "subjectKeyIdentifier = hash\n"
  "authorityKeyIdentifier = keyid\n"
  "[client_ext]\n"
  "basicConstraints = critical,CA:FALSE\n"
  "keyUsage = critical,digitalSignature,keyEncipherment\n"
  "extendedKeyUsage = clientAuth\n"
  "subjectKeyIdentifier = hash\n"
  "authorityKeyIdentifier = keyid\n";

static void
openssl (SpTestEnv          *self,
         const char * const *argv)
{
  g_autoptr(GPtrArray) full = g_ptr_array_new ();
  g_autofree char *err = NULL;
  GError *error = NULL;
  gboolean ok;

  g_ptr_array_add (full, (gpointer) "openssl");
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);
  /* openssl chats on stderr even when all is well: keep it out of the log. */
  ok = _sp_test_env_run_argv (self, FALSE, NULL, NULL, &err, &error, (const char * const *) full->pdata);
  _sp_test_env_check (ok, "openssl failed", error);
}

static void
make_ca (SpTestEnv  *self,
         const char *tls,
         const char *name,
         const char *subject)
{
  g_autofree char *config = g_build_filename (tls, "openssl.cnf", NULL);
  g_autofree char *key = g_strdup_printf ("%s/%s.key", tls, name);
  g_autofree char *cert = g_strdup_printf ("%s/%s.pem", tls, name);

  openssl (self, (const char *[]) { "req", "-config", config, "-x509", "-new",
                                    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                    "-nodes", "-keyout", key, "-out", cert, "-days", "3",
                                    "-subj", subject, "-extensions", "ca_ext", NULL });
}

static void
make_leaf_for (SpTestEnv  *self,
               const char *tls,
               const char *ca,
               const char *name,
               const char *subject,
               const char *extensions,
               const char *days)
{
  g_autofree char *config = g_build_filename (tls, "openssl.cnf", NULL);
  g_autofree char *ca_key = g_strdup_printf ("%s/%s.key", tls, ca);
  g_autofree char *ca_cert = g_strdup_printf ("%s/%s.pem", tls, ca);
  g_autofree char *ca_serial = g_strdup_printf ("%s/%s.srl", tls, ca);
  g_autofree char *key = g_strdup_printf ("%s/%s.key", tls, name);
  g_autofree char *csr = g_strdup_printf ("%s/%s.csr", tls, name);
  g_autofree char *cert = g_strdup_printf ("%s/%s.pem", tls, name);

  openssl (self, (const char *[]) { "req", "-config", config, "-new",
                                    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                    "-nodes", "-keyout", key, "-out", csr, "-subj", subject, NULL });
  openssl (self, (const char *[]) { "x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key,
                                    "-CAserial", ca_serial, "-CAcreateserial", "-days", days,
                                    "-out", cert, "-extfile", config, "-extensions", extensions, NULL });
}

static void
make_leaf (SpTestEnv  *self,
           const char *tls,
           const char *ca,
           const char *name,
           const char *subject,
           const char *extensions)
{
  make_leaf_for (self, tls, ca, name, subject, extensions, "2");
}

/* Writes the files of tls/ that sp-test-env.h lists, and sets ca_file. */
void
_sp_test_env_make_certificates (SpTestEnv *self)
{
  g_autofree char *tls = g_build_filename (self->dir, "tls", NULL);
  g_autofree char *config = g_build_filename (tls, "openssl.cnf", NULL);
  g_autoptr(GError) error = NULL;

  _sp_test_env_make_dir (tls, 0700);
  if (!g_file_set_contents (config, openssl_config, -1, &error))
    _sp_test_env_fail ("cannot write openssl.cnf", error);

  make_ca (self, tls, "ca1", "/O=Sportello tests/CN=Sportello Test CA 1");
  make_ca (self, tls, "ca2", "/O=Sportello tests/CN=Sportello Test CA 2 (untrusted)");
  make_leaf (self, tls, "ca1", "server", "/O=Sportello tests/CN=localhost", "server_ext");
  make_leaf (self, tls, "ca2", "wrong-server", "/O=Sportello tests/CN=localhost", "server_ext");
  make_leaf (self, tls, "ca1", "partner", "/O=Partner di prova/CN=" SP_TEST_PARTNER, "client_ext");
  make_leaf (self, tls, "ca1", "stranger", "/O=Sconosciuto/CN=stranger", "client_ext");
  make_leaf (self, tls, "ca2", "partner-wrong-ca", "/O=Partner di prova/CN=" SP_TEST_PARTNER, "client_ext");
  /* Valid for no time at all: expired by the time anybody presents it. */
  make_leaf_for (self, tls, "ca1", "partner-expired", "/O=Partner di prova/CN=" SP_TEST_PARTNER, "client_ext", "0");

  self->ca_file = g_build_filename (tls, "ca1.pem", NULL);
}
