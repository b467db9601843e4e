/* sp-test-env.c: a private PostgreSQL, generated certificates and a real sportello-server for tests */
#define G_LOG_DOMAIN "sp-test-env"

#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sp-test-env.h"
#include "sp-test-http.h"

#ifndef SP_TEST_SERVER_BIN
# define SP_TEST_SERVER_BIN ""
#endif
#ifndef SP_TEST_ADMIN_BIN
# define SP_TEST_ADMIN_BIN ""
#endif
#ifndef SP_TEST_SOURCE_DIR
# define SP_TEST_SOURCE_DIR ""
#endif

#define SERVER_START_TIMEOUT_S  20
#define SERVER_STOP_TIMEOUT_S   10

struct _SpTestEnv
{
  char         *dir;            /* /tmp/sp-test-XXXXXX, short: the socket lives below */
  char         *pg_root;        /* dir/pg: the socket, the log, data/ */
  char         *pg_data;
  char         *pg_bindir;
  char         *conninfo;
  char         *config;
  char         *url_file;
  char         *pid_file;
  char         *ca_file;
  char         *url;

  /* When running as root, PostgreSQL runs as this user. */
  gboolean      switch_user;
  uid_t         pg_uid;
  gid_t         pg_gid;

  GSubprocess  *server;
  GSubprocess  *watchdog;
  SoupSession  *session;        /* see sp-test-http.c */
};

static char *
env_or (const char *variable,
        const char *fallback)
{
  const char *value = g_getenv (variable);

  return g_strdup (value != NULL && *value != '\0' ? value : fallback);
}

const char *
sp_test_env_get_server_bin (void)
{
  static char *path;

  /* The tests are single-threaded where they start environments. */
  if (path == NULL)
    path = env_or ("SPORTELLO_SERVER_BIN", SP_TEST_SERVER_BIN);
  return path;
}

static const char *
get_admin_bin (void)
{
  static char *path;

  /* The tests are single-threaded where they start environments. */
  if (path == NULL)
    path = env_or ("SPORTELLO_ADMIN_BIN", SP_TEST_ADMIN_BIN);
  return path;
}

const char *
sp_test_env_get_source_dir (void)
{
  static char *path;

  /* The tests are single-threaded where they start environments. */
  if (path == NULL)
    path = env_or ("SPORTELLO_SOURCE_DIR", SP_TEST_SOURCE_DIR);
  return path;
}

/* Fails the test with @message and @error, from the harness's point of view. */
G_GNUC_NORETURN static void
harness_fail (const char   *what,
              const GError *error)
{
  g_autofree char *message = g_strdup_printf ("sp-test-env: %s%s%s", what,
                                              error != NULL ? ": " : "",
                                              error != NULL ? error->message : "");

  g_printerr ("%s\n", message);
  g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
  /* Even with g_test_set_nonfatal_assertions(): nothing works after this. */
  abort ();
}

static gboolean
run_argv (SpTestEnv           *self,
          gboolean             as_postgres,
          const char          *stdin_text,
          char               **stdout_text,
          char               **stderr_text,
          GError             **error,
          const char * const  *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) full = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;

  if (as_postgres && self->switch_user)
    {
      g_ptr_array_add (full, g_strdup ("setpriv"));
      g_ptr_array_add (full, g_strdup_printf ("--reuid=%u", (guint) self->pg_uid));
      g_ptr_array_add (full, g_strdup_printf ("--regid=%u", (guint) self->pg_gid));
      g_ptr_array_add (full, g_strdup ("--clear-groups"));
    }
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, g_strdup (argv[i]));
  g_ptr_array_add (full, NULL);

  if (stdin_text != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  launcher = g_subprocess_launcher_new (flags);
  if (self->dir != NULL)
    g_subprocess_launcher_set_cwd (launcher, as_postgres ? self->pg_root : self->dir);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) full->pdata, error);
  if (process == NULL)
    return FALSE;
  if (!g_subprocess_communicate_utf8 (process, stdin_text, NULL, &out, &err, error))
    return FALSE;

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_autofree char *command = g_strjoinv (" ", (char **) full->pdata);

      g_set_error (error, G_SPAWN_EXIT_ERROR,
                   g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : 128,
                   "“%s” failed (%s %d): %s%s", command,
                   g_subprocess_get_if_exited (process) ? "exit status" : "signal",
                   g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                        : g_subprocess_get_term_sig (process),
                   err != NULL ? err : "", out != NULL ? out : "");
      if (stderr_text != NULL)
        *stderr_text = g_steal_pointer (&err);
      if (stdout_text != NULL)
        *stdout_text = g_steal_pointer (&out);
      return FALSE;
    }

  if (stdout_text != NULL)
    *stdout_text = g_steal_pointer (&out);
  if (stderr_text != NULL)
    *stderr_text = g_steal_pointer (&err);
  else if (err != NULL && *err != '\0')
    g_printerr ("%s", err);   /* the test log keeps what the tools said */
  return TRUE;
}

static gboolean
run_va (SpTestEnv   *self,
        gboolean     as_postgres,
        const char  *stdin_text,
        char       **stdout_text,
        char       **stderr_text,
        GError     **error,
        const char  *first_arg,
        va_list      args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  return run_argv (self, as_postgres, stdin_text, stdout_text, stderr_text, error,
                   (const char * const *) argv->pdata);
}

/**
 * sp_test_env_run:
 *
 * Runs a program in the environment's directory; fails (with the program's
 * stderr in @error) if it does not exit with status 0.
 */
gboolean
sp_test_env_run (SpTestEnv   *env,
                 const char  *stdin_text,
                 char       **stdout_text,
                 char       **stderr_text,
                 GError     **error,
                 const char  *first_arg,
                 ...)
{
  va_list args;
  gboolean ok;

  va_start (args, first_arg);
  ok = run_va (env, FALSE, stdin_text, stdout_text, stderr_text, error, first_arg, args);
  va_end (args);
  return ok;
}

static gboolean
run_postgres_tool (SpTestEnv   *self,
                   GError     **error,
                   const char  *tool,
                   ...)
{
  g_autofree char *path = g_build_filename (self->pg_bindir, tool, NULL);
  va_list args;
  gboolean ok;

  va_start (args, tool);
  ok = run_va (self, TRUE, NULL, NULL, NULL, error, path, args);
  va_end (args);
  return ok;
}

static void
check (gboolean      ok,
       const char   *what,
       GError       *error)
{
  if (!ok)
    harness_fail (what, error);
  g_clear_error (&error);
}

/* The highest installed PostgreSQL, as Debian lays it out; else $PATH. */
static char *
find_pg_bindir (void)
{
  const char *override = g_getenv ("SP_TEST_PG_BINDIR");
  g_autoptr(GDir) dir = NULL;
  g_autofree char *best = NULL;
  g_autofree char *initdb = NULL;
  guint64 best_version = 0;
  const char *name;

  if (override != NULL && *override != '\0')
    return g_strdup (override);

  if ((dir = g_dir_open ("/usr/lib/postgresql", 0, NULL)) != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *candidate = g_build_filename ("/usr/lib/postgresql", name, "bin", "initdb", NULL);
        guint64 version = g_ascii_strtoull (name, NULL, 10);

        if (version > best_version && g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
          {
            best_version = version;
            g_free (best);
            best = g_build_filename ("/usr/lib/postgresql", name, "bin", NULL);
          }
      }
  if (best != NULL)
    return g_steal_pointer (&best);

  if ((initdb = g_find_program_in_path ("initdb")) != NULL)
    return g_path_get_dirname (initdb);
  return NULL;
}

static void
make_dir (const char *path,
          int         mode)
{
  if (g_mkdir_with_parents (path, mode) != 0)
    {
      g_autofree char *what = g_strdup_printf ("cannot create %s: %s", path, g_strerror (errno));

      harness_fail (what, NULL);
    }
}

/* A shell that outlives a crashed test and cleans up after it. */
static void
start_watchdog (SpTestEnv *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pg_ctl = g_build_filename (self->pg_bindir, "pg_ctl", NULL);
  g_autofree char *as_pg = self->switch_user
                           ? g_strdup_printf ("setpriv --reuid=%u --regid=%u --clear-groups ",
                                              (guint) self->pg_uid, (guint) self->pg_gid)
                           : g_strdup ("");
  g_autofree char *q_dir = g_shell_quote (self->dir);
  g_autofree char *q_pid = g_shell_quote (self->pid_file);
  g_autofree char *q_pg_ctl = g_shell_quote (pg_ctl);
  g_autofree char *q_data = g_shell_quote (self->pg_data);
  g_autofree char *script = NULL;
  const char *setsid = g_file_test ("/usr/bin/setsid", G_FILE_TEST_IS_EXECUTABLE) ? "/usr/bin/setsid" : NULL;

  script = g_strdup_printf ("while kill -0 %d 2>/dev/null; do sleep 1; done; "
                            "[ -d %s ] || exit 0; "
                            "[ -f %s ] && kill -TERM \"$(cat %s)\" 2>/dev/null; "
                            "[ -f %s/PG_VERSION ] && %s%s stop -D %s -m immediate -w >/dev/null 2>&1; "
                            "sleep 1; rm -rf %s",
                            (int) getpid (), q_dir, q_pid, q_pid, q_data, as_pg, q_pg_ctl, q_data, q_dir);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_cwd (launcher, "/");
  /* Its own session: a test runner killing the test's process group on a
   * timeout must not kill the cleaner too. */
  if (setsid != NULL)
    self->watchdog = g_subprocess_launcher_spawn (launcher, &error, setsid, "sh", "-c", script, NULL);
  else
    self->watchdog = g_subprocess_launcher_spawn (launcher, &error, "sh", "-c", script, NULL);
  if (self->watchdog == NULL)
    g_printerr ("sp-test-env: no watchdog: %s\n", error->message);
}

static void
start_database (SpTestEnv *self)
{
  g_autofree char *log = g_build_filename (self->pg_root, "postgres.log", NULL);
  /* SP_TEST_PG_SETTINGS adds settings (the benchmarks give PostgreSQL the
   * memory a production server would have). */
  const char *extra = g_getenv ("SP_TEST_PG_SETTINGS");
  g_autofree char *options = g_strdup_printf ("-k %s -c listen_addresses='' -c fsync=off "
                                              "-c full_page_writes=off -c synchronous_commit=off "
                                              "-c max_connections=50 -c shared_buffers=32MB %s",
                                              self->pg_root, extra != NULL ? extra : "");
  GError *error = NULL;
  gboolean ok;

  ok = run_postgres_tool (self, &error, "pg_ctl", "start", "-w", "-t", "60", "-D", self->pg_data,
                          "-l", log, "-o", options, NULL);
  if (!ok)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (log, &contents, NULL, NULL))
        g_printerr ("postgres.log:\n%s\n", contents);
    }
  check (ok, "cannot start PostgreSQL", error);
}

static void
init_database (SpTestEnv *self)
{
  g_autofree char *psql = g_build_filename (self->pg_bindir, "psql", NULL);
  GError *error = NULL;
  gboolean ok;

  make_dir (self->pg_root, 0755);
  if (self->switch_user && chown (self->pg_root, self->pg_uid, self->pg_gid) != 0)
    {
      g_autofree char *what = g_strdup_printf ("cannot chown %s: %s", self->pg_root, g_strerror (errno));

      harness_fail (what, NULL);
    }

  ok = run_postgres_tool (self, &error, "initdb", "-A", "trust", "--nosync", "-U", "sportello",
                          "-E", "UTF8", "--no-locale", "-D", self->pg_data, NULL);
  check (ok, "initdb failed", error);

  start_database (self);

  ok = run_argv (self, FALSE, NULL, NULL, NULL, &error,
                 (const char *[]) { psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self->pg_root,
                                    "-U", "sportello", "-d", "postgres",
                                    "-c", "CREATE DATABASE sportello", NULL });
  check (ok, "cannot create the database", error);

  self->conninfo = g_strdup_printf ("host=%s dbname=sportello user=sportello", self->pg_root);
}

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
  ok = run_argv (self, FALSE, NULL, NULL, &err, &error, (const char * const *) full->pdata);
  check (ok, "openssl failed", error);
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
make_leaf (SpTestEnv  *self,
           const char *tls,
           const char *ca,
           const char *name,
           const char *subject,
           const char *extensions)
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
                                    "-CAserial", ca_serial, "-CAcreateserial", "-days", "2",
                                    "-out", cert, "-extfile", config, "-extensions", extensions, NULL });
}

static void
make_certificates (SpTestEnv *self)
{
  g_autofree char *tls = g_build_filename (self->dir, "tls", NULL);
  g_autofree char *config = g_build_filename (tls, "openssl.cnf", NULL);
  g_autoptr(GError) error = NULL;

  make_dir (tls, 0700);
  if (!g_file_set_contents (config, openssl_config, -1, &error))
    harness_fail ("cannot write openssl.cnf", error);

  make_ca (self, tls, "ca1", "/O=Sportello tests/CN=Sportello Test CA 1");
  make_ca (self, tls, "ca2", "/O=Sportello tests/CN=Sportello Test CA 2 (untrusted)");
  make_leaf (self, tls, "ca1", "server", "/O=Sportello tests/CN=localhost", "server_ext");
  make_leaf (self, tls, "ca2", "wrong-server", "/O=Sportello tests/CN=localhost", "server_ext");
  make_leaf (self, tls, "ca1", "partner", "/O=Partner di prova/CN=" SP_TEST_PARTNER, "client_ext");
  make_leaf (self, tls, "ca1", "stranger", "/O=Sconosciuto/CN=stranger", "client_ext");
  make_leaf (self, tls, "ca2", "partner-wrong-ca", "/O=Partner di prova/CN=" SP_TEST_PARTNER, "client_ext");

  self->ca_file = g_build_filename (tls, "ca1.pem", NULL);
}

static void
write_config (SpTestEnv *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = sp_test_env_get_tls_file (self, "server.pem");
  g_autofree char *key = sp_test_env_get_tls_file (self, "server.key");

  g_key_file_set_string (file, "server", "listen-address", "127.0.0.1");
  g_key_file_set_integer (file, "server", "port", 0);
  g_key_file_set_string (file, "server", "tls-certificate", cert);
  g_key_file_set_string (file, "server", "tls-key", key);
  g_key_file_set_string (file, "server", "partner-ca", self->ca_file);
  g_key_file_set_string (file, "database", "conninfo", self->conninfo);
  g_key_file_set_integer (file, "database", "pool-size", 4);
  g_key_file_set_integer (file, "sessions", "idle-timeout-minutes", 30);
  g_key_file_set_integer (file, "sessions", "absolute-timeout-hours", 12);
  g_key_file_set_integer (file, "security", "lockout-threshold", 5);
  g_key_file_set_integer (file, "security", "lockout-minutes", 15);

  self->config = g_build_filename (self->dir, "server.conf", NULL);
  if (!g_key_file_save_to_file (file, self->config, &error))
    harness_fail ("cannot write server.conf", error);
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

  g_ptr_array_add (argv, (gpointer) get_admin_bin ());
  g_ptr_array_add (argv, (gpointer) "--config");
  g_ptr_array_add (argv, self->config);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!run_argv (self, FALSE, stdin_text, NULL, NULL, &error, (const char * const *) argv->pdata))
    harness_fail ("sportello-admin failed while loading the test data", error);
}

static void
load_data (SpTestEnv *self)
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

static gboolean
server_running (SpTestEnv *self)
{
  /* GSubprocess reaps its child on GLib's worker thread: no main loop needed. */
  return self->server != NULL && g_subprocess_get_identifier (self->server) != NULL;
}

/**
 * sp_test_env_start_server:
 *
 * Starts sportello-server and waits until it has written its URL.
 */
void
sp_test_env_start_server (SpTestEnv *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  int out;

  g_return_if_fail (self->server == NULL);

  g_unlink (self->url_file);
  g_clear_pointer (&self->url, g_free);

  /* stdout is the TAP stream of the test: the server's goes to stderr. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  out = dup (STDERR_FILENO);
  if (out >= 0)
    g_subprocess_launcher_take_stdout_fd (launcher, out);
  g_subprocess_launcher_set_cwd (launcher, self->dir);
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "gc-friendly,fatal-criticals", TRUE);
  self->server = g_subprocess_launcher_spawn (launcher, &error, sp_test_env_get_server_bin (),
                                              "--config", self->config, "--url-file", self->url_file, NULL);
  if (self->server == NULL)
    harness_fail ("cannot start sportello-server", error);
  if (!g_file_set_contents (self->pid_file, g_subprocess_get_identifier (self->server), -1, &error))
    harness_fail ("cannot write the pid file", error);

  deadline = g_get_monotonic_time () + SERVER_START_TIMEOUT_S * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (self->url_file, &contents, NULL, NULL) && *g_strstrip (contents) != '\0')
        {
          self->url = g_steal_pointer (&contents);
          g_test_message ("sportello-server listening at %s", self->url);
          return;
        }
      if (!server_running (self))
        {
          g_autofree char *what = NULL;

          g_subprocess_wait (self->server, NULL, NULL);
          what = g_strdup_printf ("sportello-server exited before listening (%s %d)",
                                  g_subprocess_get_if_exited (self->server) ? "status" : "signal",
                                  g_subprocess_get_if_exited (self->server)
                                    ? g_subprocess_get_exit_status (self->server)
                                    : g_subprocess_get_term_sig (self->server));
          g_clear_object (&self->server);
          harness_fail (what, NULL);
        }
      g_usleep (G_USEC_PER_SEC / 50);
    }
  harness_fail ("sportello-server wrote no URL file within " G_STRINGIFY (SERVER_START_TIMEOUT_S) " s", NULL);
}

/**
 * sp_test_env_get_server_pid:
 *
 * Returns: the process id of sportello-server, 0 if it is not running
 */
int
sp_test_env_get_server_pid (SpTestEnv *self)
{
  const char *identifier = self->server != NULL ? g_subprocess_get_identifier (self->server) : NULL;

  return identifier != NULL ? atoi (identifier) : 0;
}

/* Returns NULL if the server stopped cleanly, else what went wrong. */
static char *
stop_server (SpTestEnv *self)
{
  g_autoptr(GSubprocess) server = g_steal_pointer (&self->server);
  gint64 deadline;

  if (server == NULL)
    return NULL;
  g_unlink (self->pid_file);

  if (g_subprocess_get_identifier (server) == NULL)
    {
      g_subprocess_wait (server, NULL, NULL);
      return g_strdup_printf ("sportello-server had already died (%s %d)",
                              g_subprocess_get_if_exited (server) ? "status" : "signal",
                              g_subprocess_get_if_exited (server) ? g_subprocess_get_exit_status (server)
                                                                  : g_subprocess_get_term_sig (server));
    }

  g_subprocess_send_signal (server, SIGTERM);
  deadline = g_get_monotonic_time () + SERVER_STOP_TIMEOUT_S * G_USEC_PER_SEC;
  while (g_subprocess_get_identifier (server) != NULL && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 50);

  if (g_subprocess_get_identifier (server) != NULL)
    {
      g_subprocess_force_exit (server);
      g_subprocess_wait (server, NULL, NULL);
      return g_strdup ("sportello-server did not exit within " G_STRINGIFY (SERVER_STOP_TIMEOUT_S)
                       " s of SIGTERM");
    }

  g_subprocess_wait (server, NULL, NULL);
  if (!g_subprocess_get_if_exited (server))
    return g_strdup_printf ("sportello-server died of signal %d on SIGTERM", g_subprocess_get_term_sig (server));
  if (g_subprocess_get_exit_status (server) != 0)
    return g_strdup_printf ("sportello-server exited with status %d on SIGTERM", g_subprocess_get_exit_status (server));
  return NULL;
}

/**
 * sp_test_env_stop_server:
 *
 * SIGTERM, and asserts a clean exit (status 0) within 10 s.
 */
void
sp_test_env_stop_server (SpTestEnv *self)
{
  g_autofree char *problem = stop_server (self);

  if (problem != NULL)
    harness_fail (problem, NULL);
}

/**
 * sp_test_env_start:
 *
 * Sets everything up; any failure fails the calling test.
 *
 * Returns: (transfer full): the environment, to give to sp_test_env_stop()
 */
SpTestEnv *
sp_test_env_start (void)
{
  SpTestEnv *self = g_new0 (SpTestEnv, 1);
  char template[] = "/tmp/sp-test-XXXXXX";
  const struct passwd *nobody;

  if (!g_file_test (sp_test_env_get_server_bin (), G_FILE_TEST_IS_EXECUTABLE))
    harness_fail ("sportello-server was not built (set SPORTELLO_SERVER_BIN)", NULL);
  if (!g_file_test (get_admin_bin (), G_FILE_TEST_IS_EXECUTABLE))
    harness_fail ("sportello-admin was not built (set SPORTELLO_ADMIN_BIN)", NULL);
  if ((self->pg_bindir = find_pg_bindir ()) == NULL)
    harness_fail ("PostgreSQL's initdb was not found (install postgresql)", NULL);

  /* Under /tmp, whatever TMPDIR says: a Unix socket path has ~107 bytes. */
  if (g_mkdtemp (template) == NULL)
    harness_fail ("cannot create a directory in /tmp", NULL);
  self->dir = g_strdup (template);
  self->url_file = g_build_filename (self->dir, "server.url", NULL);
  self->pid_file = g_build_filename (self->dir, "server.pid", NULL);
  self->pg_root = g_build_filename (self->dir, "pg", NULL);
  self->pg_data = g_build_filename (self->pg_root, "data", NULL);

  /* initdb and postgres refuse to run as root. */
  if (geteuid () == 0)
    {
      if ((nobody = getpwnam ("nobody")) == NULL)
        harness_fail ("running as root and there is no user “nobody” to run PostgreSQL", NULL);
      self->switch_user = TRUE;
      self->pg_uid = nobody->pw_uid;
      self->pg_gid = nobody->pw_gid;
      g_chmod (self->dir, 0755);
    }

  start_watchdog (self);
  make_certificates (self);
  init_database (self);
  write_config (self);
  load_data (self);
  sp_test_env_start_server (self);
  return self;
}

/**
 * sp_test_env_stop:
 *
 * Stops the server (asserting a clean exit on SIGTERM), stops PostgreSQL and
 * removes the directory.
 */
void
sp_test_env_stop (SpTestEnv *self)
{
  g_autofree char *problem = NULL;
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;

  g_clear_object (&self->session);
  problem = stop_server (self);

  if (g_file_test (self->pg_data, G_FILE_TEST_IS_DIR)
      && !run_postgres_tool (self, &error, "pg_ctl", "stop", "-D", self->pg_data, "-m", "fast", "-w", NULL))
    {
      g_printerr ("sp-test-env: %s\n", error->message);
      g_clear_error (&error);
    }

  if (g_getenv ("SP_TEST_KEEP") == NULL
      && !run_argv (self, FALSE, NULL, NULL, NULL, &error, (const char *[]) { "rm", "-rf", self->dir, NULL }))
    g_printerr ("sp-test-env: %s\n", error->message);

  if (self->watchdog != NULL)
    {
      g_subprocess_force_exit (self->watchdog);
      g_clear_object (&self->watchdog);
    }

  g_free (self->dir);
  g_free (self->pg_root);
  g_free (self->pg_data);
  g_free (self->pg_bindir);
  g_free (self->conninfo);
  g_free (self->config);
  g_free (self->url_file);
  g_free (self->pid_file);
  g_free (self->ca_file);
  g_free (self->url);
  g_free (self);

  if (problem != NULL)
    harness_fail (problem, NULL);
}

void
sp_test_env_restart_server (SpTestEnv *self)
{
  sp_test_env_stop_server (self);
  sp_test_env_start_server (self);
}

void
sp_test_env_stop_database (SpTestEnv *self)
{
  GError *error = NULL;

  check (run_postgres_tool (self, &error, "pg_ctl", "stop", "-D", self->pg_data, "-m", "fast", "-w", NULL),
         "cannot stop PostgreSQL", error);
}

void
sp_test_env_start_database (SpTestEnv *self)
{
  start_database (self);
}

const char *
sp_test_env_get_url (SpTestEnv *self)
{
  return self->url;
}

const char *
sp_test_env_get_ca_file (SpTestEnv *self)
{
  return self->ca_file;
}

const char *
sp_test_env_get_conninfo (SpTestEnv *self)
{
  return self->conninfo;
}

const char *
sp_test_env_get_config (SpTestEnv *self)
{
  return self->config;
}

const char *
sp_test_env_get_dir (SpTestEnv *self)
{
  return self->dir;
}

char *
sp_test_env_get_tls_file (SpTestEnv  *self,
                          const char *name)
{
  return g_build_filename (self->dir, "tls", name, NULL);
}

/* For sp-test-http.c: one session per environment. */
SoupSession *
sp_test_env_get_session (SpTestEnv *self)
{
  if (self->session == NULL)
    self->session = sp_test_session_new (self->ca_file, NULL);
  return self->session;
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

  g_ptr_array_add (argv, (gpointer) get_admin_bin ());
  g_ptr_array_add (argv, (gpointer) "--config");
  g_ptr_array_add (argv, self->config);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  return run_argv (self, FALSE, stdin_text, stdout_text, NULL, error, (const char * const *) argv->pdata);
}

/**
 * sp_test_env_try_sql:
 * @stdout_text: (out) (optional): psql's unaligned, tuples-only output, trimmed
 *
 * Runs @sql with psql as the database owner. Returns %FALSE with psql's error
 * message in @error if the statement fails.
 */
gboolean
sp_test_env_try_sql (SpTestEnv   *self,
                     const char  *sql,
                     char       **stdout_text,
                     GError     **error)
{
  g_autofree char *psql = g_build_filename (self->pg_bindir, "psql", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (!run_argv (self, FALSE, NULL, &out, &err, error,
                 (const char *[]) { psql, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                                    "-h", self->pg_root, "-U", "sportello", "-d", "sportello",
                                    "-c", sql, NULL }))
    return FALSE;
  if (stdout_text != NULL)
    *stdout_text = g_strdup (g_strstrip (out));
  return TRUE;
}

/**
 * sp_test_env_sql:
 *
 * Like sp_test_env_try_sql() but a failing statement fails the test.
 *
 * Returns: (transfer full): the trimmed output
 */
char *
sp_test_env_sql (SpTestEnv  *self,
                 const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  if (!sp_test_env_try_sql (self, sql, &out, &error))
    harness_fail ("SQL failed", error);
  return out;
}
