/* sp-test-data.c: the server's configuration and the known data set, loaded with sportello-admin */
#define G_LOG_DOMAIN "sp-test-data"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-test-env-private.h"
#include "sp-test-env.h"

/* server.conf: the address, the certificates, the cluster; sets config. */
void
_sp_test_env_write_config (SpTestEnv *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = sp_test_env_get_tls_file (self, "server.pem");
  g_autofree char *key = sp_test_env_get_tls_file (self, "server.key");

  g_key_file_set_string (file, "server", "listen-address", "127.0.0.1");
  g_key_file_set_integer (file, "server", "port", 0);
  g_key_file_set_string (file, "server", "tls-certificate", cert);
  g_key_file_set_string (file, "server", "tls-key", key);
  g_key_file_set_string (file, "database", "conninfo", self->conninfo);
  g_key_file_set_integer (file, "database", "pool-size", 4);
  g_key_file_set_integer (file, "sessions", "idle-timeout-minutes", 30);
  g_key_file_set_integer (file, "sessions", "absolute-timeout-hours", 12);
  g_key_file_set_integer (file, "security", "lockout-threshold", 5);
  g_key_file_set_integer (file, "security", "lockout-minutes", 15);

  self->config = g_build_filename (self->dir, "server.conf", NULL);
  if (!g_key_file_save_to_file (file, self->config, &error))
    _sp_test_env_fail ("cannot write server.conf", error);
}

static void
admin (SpTestEnv  *self,
       const char *stdin_text,
       const char *first_arg,
       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) _sp_test_env_get_admin_bin ());
  g_ptr_array_add (argv, (gpointer) "--config");
  g_ptr_array_add (argv, self->config);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!_sp_test_env_run_argv (self, FALSE, stdin_text, NULL, NULL, &error,
                              (const char * const *) argv->pdata))
    _sp_test_env_fail ("sportello-admin failed while loading the test data", error);
}

/* The data set that sp-test-env.h describes. */
void
_sp_test_env_load_data (SpTestEnv *self)
{
  g_autofree char *data = g_build_filename (sp_test_env_get_source_dir (), "tests", "data", NULL);
  g_autofree char *internal = g_build_filename (data, "servizio-" SP_TEST_SERVIZIO_INTERNAL ".json", NULL);
  g_autofree char *external = g_build_filename (data, "servizio-" SP_TEST_SERVIZIO_EXTERNAL ".json", NULL);
  g_autofree char *other = g_build_filename (data, "servizio-" SP_TEST_SERVIZIO_OTHER ".json", NULL);
  g_autofree char *partner_cert = sp_test_env_get_tls_file (self, "partner.pem");
  const char *both = SP_TEST_SERVIZIO_INTERNAL "," SP_TEST_SERVIZIO_EXTERNAL;

  admin (self, NULL, "migrate", NULL);
  admin (self, NULL, "ente-create", SP_TEST_ENTE, SP_TEST_ENTE_NAME, "--place", "Prova", NULL);
  admin (self, NULL, "ente-create", SP_TEST_OTHER_ENTE, SP_TEST_OTHER_ENTE_NAME, "--place", "Altrove", NULL);
  admin (self, NULL, "servizio-import", SP_TEST_ENTE, internal, NULL);
  admin (self, NULL, "servizio-import", SP_TEST_ENTE, external, NULL);
  admin (self, NULL, "servizio-import", SP_TEST_OTHER_ENTE, other, NULL);

  /* Passwords without a newline: read as a line or as the whole input alike. */
  admin (self, SP_TEST_PASSWORD, "account-create", SP_TEST_OPERATOR, "--ente", SP_TEST_ENTE,
         "--role", "operatore", "--name", "Operatore di Prova", "--servizi", both, "--password-stdin", NULL);
  admin (self, SP_TEST_PASSWORD, "account-create", SP_TEST_OPERATOR2, "--ente", SP_TEST_ENTE,
         "--role", "operatore", "--name", "Seconda Operatrice", "--servizi", both, "--password-stdin", NULL);
  admin (self, SP_TEST_PASSWORD, "account-create", SP_TEST_OTHER_OPERATOR, "--ente", SP_TEST_OTHER_ENTE,
         "--role", "operatore", "--name", "Operatore di Altrove", "--servizi", SP_TEST_SERVIZIO_OTHER,
         "--password-stdin", NULL);
  admin (self, SP_TEST_PASSWORD, "account-create", SP_TEST_AUDITOR, "--ente", SP_TEST_ENTE,
         "--role", "auditor", "--name", "Revisore di Prova", "--password-stdin", NULL);
  admin (self, SP_TEST_PARTNER_PASSWORD, "partner-create", SP_TEST_PARTNER, "--name", "Partner di prova",
         "--password-stdin", "--cert", partner_cert,
         "--servizi", SP_TEST_ENTE ":" SP_TEST_SERVIZIO_INTERNAL "," SP_TEST_ENTE ":" SP_TEST_SERVIZIO_EXTERNAL,
         "--create", SP_TEST_ENTE ":" SP_TEST_SERVIZIO_EXTERNAL, NULL);
}

/**
 * sp_test_env_admin:
 * @stdin_text: (nullable): what to write on the program's standard input
 * @stdout_text: (out) (optional): what it printed
 *
 * Runs `sportello-admin --config server.conf first_arg …`.
 *
 * Returns: %FALSE if it did not exit with status 0 (@error has its stderr and
 *   %G_SPAWN_EXIT_ERROR with the status as code)
 */
gboolean
sp_test_env_admin (SpTestEnv   *self,
                   const char  *stdin_text,
                   char       **stdout_text,
                   GError     **error,
                   const char  *first_arg,
                   ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, (gpointer) _sp_test_env_get_admin_bin ());
  g_ptr_array_add (argv, (gpointer) "--config");
  g_ptr_array_add (argv, self->config);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return _sp_test_env_run_argv (self, FALSE, stdin_text, stdout_text, NULL, error,
                                (const char * const *) argv->pdata);
}
