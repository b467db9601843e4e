/* sp-test-server2.c: extra sportello-server processes on a test environment's database */
#define G_LOG_DOMAIN "sp-test-env"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sp-test-env-private.h"
#include "sp-test-server2.h"

#define START_TIMEOUT_S  20
#define STOP_TIMEOUT_MS  10000

struct _SpTestServer
{
  GSubprocess  *process;
  char         *url_file;
  char         *url;
};

static guint n_servers;

/* The extra server must not outlive the test (SpTestEnv's watchdog knows only
 * its own server). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/**
 * sp_test_server_start:
 * @config: (nullable): the configuration file; the environment's when %NULL
 * @extra_environ: (nullable): `NAME=VALUE` pairs for the server's environment
 *
 * Starts one more sportello-server on the environment's database, on a port
 * of its own, and waits until it listens. Any failure fails the test.
 */
SpTestServer *
sp_test_server_start (SpTestEnv          *env,
                      const char         *config,
                      const char * const *extra_environ)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  SpTestServer *self = g_new0 (SpTestServer, 1);
  g_autofree char *name = g_strdup_printf ("server-%u.url", ++n_servers);
  gint64 deadline;
  int out;

  self->url_file = g_build_filename (sp_test_env_get_dir (env), name, NULL);
  g_unlink (self->url_file);

  out = dup (STDERR_FILENO);
  if (out >= 0)
    g_subprocess_launcher_take_stdout_fd (launcher, out);
  g_subprocess_launcher_set_cwd (launcher, sp_test_env_get_dir (env));
  g_subprocess_launcher_setenv (launcher, "G_DEBUG", "gc-friendly,fatal-criticals", TRUE);
  for (guint i = 0; extra_environ != NULL && extra_environ[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (extra_environ[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1] != NULL ? pair[1] : "", TRUE);
    }
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->process = g_subprocess_launcher_spawn (launcher, &error, sp_test_env_get_server_bin (),
                                               "--config", config != NULL ? config : sp_test_env_get_config (env),
                                               "--url-file", self->url_file, NULL);
  if (self->process == NULL)
    _sp_test_env_fail ("cannot start another sportello-server", error);

  deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (self->url_file, &contents, NULL, NULL) && *g_strstrip (contents) != '\0')
        {
          self->url = g_steal_pointer (&contents);
          g_test_message ("another sportello-server (pid %d) listening at %s",
                          sp_test_server_get_pid (self), self->url);
          return self;
        }
      if (g_subprocess_get_identifier (self->process) == NULL)
        _sp_test_env_fail ("another sportello-server exited before listening", NULL);
      g_usleep (G_USEC_PER_SEC / 50);
    }
  _sp_test_env_fail ("another sportello-server wrote no URL file within " G_STRINGIFY (START_TIMEOUT_S) " s", NULL);
}

/* Returns: its process id, 0 once it has exited */
int
sp_test_server_get_pid (SpTestServer *self)
{
  const char *identifier = g_subprocess_get_identifier (self->process);

  return identifier != NULL ? atoi (identifier) : 0;
}

const char *
sp_test_server_get_url (SpTestServer *self)
{
  return self->url;
}

/* SIGKILL, as a crash or the OOM killer would; waits for it to be gone. */
void
sp_test_server_kill (SpTestServer *self)
{
  g_subprocess_force_exit (self->process);
  g_subprocess_wait (self->process, NULL, NULL);
}

/* SIGTERM, as systemd stops it; sp_test_server_wait_exit() tells how it ended. */
void
sp_test_server_terminate (SpTestServer *self)
{
  g_subprocess_send_signal (self->process, SIGTERM);
}

/**
 * sp_test_server_wait_exit:
 * @exit_status: (out): its exit status, -1 if a signal ended it
 *
 * Returns: %FALSE if it still runs after @timeout_ms
 */
gboolean
sp_test_server_wait_exit (SpTestServer *self,
                          guint         timeout_ms,
                          int          *exit_status)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) G_TIME_SPAN_MILLISECOND;

  while (g_subprocess_get_identifier (self->process) != NULL && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 100);
  if (g_subprocess_get_identifier (self->process) != NULL)
    return FALSE;
  g_subprocess_wait (self->process, NULL, NULL);
  *exit_status = g_subprocess_get_if_exited (self->process) ? g_subprocess_get_exit_status (self->process) : -1;
  return TRUE;
}

/* Stops it if it still runs (SIGTERM, then SIGKILL after 10 s). */
void
sp_test_server_free (SpTestServer *self)
{
  int status;

  if (self == NULL)
    return;
  if (g_subprocess_get_identifier (self->process) != NULL)
    {
      sp_test_server_terminate (self);
      if (!sp_test_server_wait_exit (self, STOP_TIMEOUT_MS, &status))
        sp_test_server_kill (self);
    }
  g_object_unref (self->process);
  g_unlink (self->url_file);
  g_free (self->url_file);
  g_free (self->url);
  g_free (self);
}

/**
 * sp_test_env_copy_config:
 * @name: the file name of the copy, in the environment's directory
 * @first_group: group, key, value, … %NULL: what to change in the copy
 *
 * Returns: (transfer full): the path of a copy of the server's configuration
 *   with some keys changed, for sp_test_server_start()
 */
char *
sp_test_env_copy_config (SpTestEnv  *env,
                         const char *name,
                         const char *first_group,
                         ...)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (sp_test_env_get_dir (env), name, NULL);
  const char *group;
  va_list args;

  if (!g_key_file_load_from_file (file, sp_test_env_get_config (env), G_KEY_FILE_KEEP_COMMENTS, &error))
    _sp_test_env_fail ("cannot read server.conf", error);
  va_start (args, first_group);
  for (group = first_group; group != NULL; group = va_arg (args, const char *))
    {
      const char *key = va_arg (args, const char *);
      const char *value = va_arg (args, const char *);

      g_key_file_set_string (file, group, key, value);
    }
  va_end (args);
  if (!g_key_file_save_to_file (file, path, &error))
    _sp_test_env_fail ("cannot write a copy of server.conf", error);
  return path;
}
