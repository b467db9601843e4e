/* sp-test-env.c: a test environment's lifecycle, its sportello-server process and its accessors */
#define G_LOG_DOMAIN "sp-test-env"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sp-test-env-private.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-responses.h"

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

const char *
_sp_test_env_get_admin_bin (void)
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
void
_sp_test_env_fail (const char   *what,
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

/* Fails the test with @what and @error unless @ok; frees @error. */
void
_sp_test_env_check (gboolean      ok,
                    const char   *what,
                    GError       *error)
{
  if (!ok)
    _sp_test_env_fail (what, error);
  g_clear_error (&error);
}

void
_sp_test_env_make_dir (const char *path,
                       int         mode)
{
  if (g_mkdir_with_parents (path, mode) != 0)
    {
      g_autofree char *what = g_strdup_printf ("cannot create %s: %s", path, g_strerror (errno));

      _sp_test_env_fail (what, NULL);
    }
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
  const char *log_path = g_getenv ("SP_TEST_SERVER_LOG");
  gint64 deadline;
  int out;

  g_return_if_fail (self->server == NULL);

  g_unlink (self->url_file);
  g_clear_pointer (&self->url, g_free);

  /* stdout is the TAP stream of the test: the server's goes to stderr, or
   * to SP_TEST_SERVER_LOG (the benchmarks': the test runner reading every
   * line of the log would take CPU from what they measure). */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  if (log_path != NULL)
    {
      static gboolean truncated;

      /* Each run's own log: emptied the first time, then the servers it
       * restarts add to it. */
      out = g_open (log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncated ? 0 : O_TRUNC), 0644);
      truncated = TRUE;
      if (out < 0)
        _sp_test_env_fail ("cannot open SP_TEST_SERVER_LOG", NULL);
      g_subprocess_launcher_take_stderr_fd (launcher, dup (out));
    }
  else
    out = dup (STDERR_FILENO);
  if (out >= 0)
    g_subprocess_launcher_take_stdout_fd (launcher, out);
  g_subprocess_launcher_set_cwd (launcher, self->dir);
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "gc-friendly,fatal-criticals", TRUE);
  self->server = g_subprocess_launcher_spawn (launcher, &error, sp_test_env_get_server_bin (),
                                              "--config", self->config, "--url-file", self->url_file, NULL);
  if (self->server == NULL)
    _sp_test_env_fail ("cannot start sportello-server", error);
  if (!g_file_set_contents (self->pid_file, g_subprocess_get_identifier (self->server), -1, &error))
    _sp_test_env_fail ("cannot write the pid file", error);

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
          _sp_test_env_fail (what, NULL);
        }
      g_usleep (G_USEC_PER_SEC / 50);
    }
  _sp_test_env_fail ("sportello-server wrote no URL file within " G_STRINGIFY (SERVER_START_TIMEOUT_S) " s", NULL);
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
    _sp_test_env_fail (problem, NULL);
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
    _sp_test_env_fail ("sportello-server was not built (set SPORTELLO_SERVER_BIN)", NULL);
  if (!g_file_test (_sp_test_env_get_admin_bin (), G_FILE_TEST_IS_EXECUTABLE))
    _sp_test_env_fail ("sportello-admin was not built (set SPORTELLO_ADMIN_BIN)", NULL);
  if ((self->pg_bindir = _sp_test_env_find_pg_bindir ()) == NULL)
    _sp_test_env_fail ("PostgreSQL's initdb was not found (install postgresql)", NULL);

  /* Under /tmp, whatever TMPDIR says: a Unix socket path has ~107 bytes. */
  if (g_mkdtemp (template) == NULL)
    _sp_test_env_fail ("cannot create a directory in /tmp", NULL);
  self->dir = g_strdup (template);
  self->url_file = g_build_filename (self->dir, "server.url", NULL);
  self->pid_file = g_build_filename (self->dir, "server.pid", NULL);
  self->pg_root = g_build_filename (self->dir, "pg", NULL);
  self->pg_data = g_build_filename (self->pg_root, "data", NULL);

  /* initdb and postgres refuse to run as root. */
  if (geteuid () == 0)
    {
      if ((nobody = getpwnam ("nobody")) == NULL)
        _sp_test_env_fail ("running as root and there is no user “nobody” to run PostgreSQL", NULL);
      self->switch_user = TRUE;
      self->pg_uid = nobody->pw_uid;
      self->pg_gid = nobody->pw_gid;
      g_chmod (self->dir, 0755);
    }

  _sp_test_env_start_watchdog (self);
  _sp_test_env_make_certificates (self);
  _sp_test_env_init_database (self);
  _sp_test_env_write_config (self);
  _sp_test_env_load_data (self);
  sp_test_env_start_server (self);
  return self;
}

/**
 * sp_test_env_stop:
 *
 * Stops the server (asserting a clean exit on SIGTERM), stops PostgreSQL,
 * removes the directory, and checks the responses the test received against
 * data/openapi.json (see sp-test-responses.h).
 */
void
sp_test_env_stop (SpTestEnv *self)
{
  g_autofree char *problem = NULL;
  g_autofree char *mismatches = NULL;
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;

  g_clear_object (&self->session);
  problem = stop_server (self);

  _sp_test_env_shutdown_database (self);

  if (g_getenv ("SP_TEST_KEEP") == NULL
      && !_sp_test_env_run_argv (self, FALSE, NULL, NULL, NULL, &error,
                                 (const char *[]) { "rm", "-rf", self->dir, NULL }))
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
    _sp_test_env_fail (problem, NULL);

  /* The responses the test received, against data/openapi.json. */
  mismatches = sp_test_responses_check ();
  if (mismatches != NULL)
    _sp_test_env_fail (mismatches, NULL);
}

void
sp_test_env_restart_server (SpTestEnv *self)
{
  sp_test_env_stop_server (self);
  sp_test_env_start_server (self);
}

/**
 * sp_test_time_scale:
 *
 * Latency bounds are multiplied by this: 1, or SPORTELLO_TEST_TIME_SCALE
 * where the code runs slower on purpose (the sanitizer run of build-aux/test).
 *
 * Returns: the factor, at least 1
 */
double
sp_test_time_scale (void)
{
  const char *value = g_getenv ("SPORTELLO_TEST_TIME_SCALE");
  double scale = value != NULL ? g_ascii_strtod (value, NULL) : 1.0;

  return MAX (scale, 1.0);
}

/**
 * sp_test_sanitized:
 *
 * Returns: whether the programs run under AddressSanitizer (the sanitizer
 *   run of build-aux/test), whose quarantine makes memory figures meaningless
 */
gboolean
sp_test_sanitized (void)
{
  return g_getenv ("SPORTELLO_TEST_SANITIZED") != NULL;
}

/**
 * sp_test_env_set_config:
 *
 * Sets @key of @group in the server's configuration file; the server reads
 * it at its next start (sp_test_env_restart_server()).
 */
void
sp_test_env_set_config (SpTestEnv  *self,
                        const char *group,
                        const char *key,
                        const char *value)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  if (!g_key_file_load_from_file (file, self->config, G_KEY_FILE_KEEP_COMMENTS, &error))
    _sp_test_env_fail ("cannot read server.conf", error);
  g_key_file_set_string (file, group, key, value);
  if (!g_key_file_save_to_file (file, self->config, &error))
    _sp_test_env_fail ("cannot write server.conf", error);
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

