/* sp-test-mail.c: a real SMTP sink for the tests, and the server configuration that sends to it */
#define G_LOG_DOMAIN "sp-test-mail"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sp-test-env-private.h"
#include "sp-test-mail.h"

#define START_TIMEOUT_S 20

struct _SpTestMailSink
{
  SpTestEnv    *env;
  GSubprocess  *process;
  char         *dir;
  char         *port_file;
  guint         port;
  gboolean      tls_and_auth;
};

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
spawn (SpTestMailSink *self)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  int out;

  g_unlink (self->port_file);
  g_ptr_array_add (argv, g_build_filename (sp_test_env_get_source_dir (), "build-aux", "mail-sink.py", NULL));
  g_ptr_array_add (argv, g_strdup ("--dir"));
  g_ptr_array_add (argv, g_strdup (self->dir));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", self->port));
  g_ptr_array_add (argv, g_strdup ("--port-file"));
  g_ptr_array_add (argv, g_strdup (self->port_file));
  g_ptr_array_add (argv, g_strdup ("--refuse-domain"));
  g_ptr_array_add (argv, g_strdup (SP_TEST_REFUSED_DOMAIN));
  if (self->tls_and_auth)
    {
      g_ptr_array_add (argv, g_strdup ("--tls-cert"));
      g_ptr_array_add (argv, sp_test_env_get_tls_file (self->env, "server.pem"));
      g_ptr_array_add (argv, g_strdup ("--tls-key"));
      g_ptr_array_add (argv, sp_test_env_get_tls_file (self->env, "server.key"));
      g_ptr_array_add (argv, g_strdup ("--auth"));
      g_ptr_array_add (argv, g_strdup (SP_TEST_SMTP_USER ":" SP_TEST_SMTP_PASSWORD));
    }
  g_ptr_array_add (argv, NULL);

  /* Its messages on stderr: stdout is the test's TAP. */
  out = dup (STDERR_FILENO);
  if (out >= 0)
    g_subprocess_launcher_take_stdout_fd (launcher, out);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (self->process == NULL)
    _sp_test_env_fail ("cannot start build-aux/mail-sink.py", error);

  deadline = g_get_monotonic_time () + START_TIMEOUT_S * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (self->port_file, &contents, NULL, NULL))
        {
          self->port = (guint) g_ascii_strtoull (contents, NULL, 10);
          return;
        }
      if (g_subprocess_get_identifier (self->process) == NULL)
        _sp_test_env_fail ("build-aux/mail-sink.py exited before listening (is python3-aiosmtpd installed?)", NULL);
      g_usleep (G_USEC_PER_SEC / 50);
    }
  _sp_test_env_fail ("build-aux/mail-sink.py did not listen within " G_STRINGIFY (START_TIMEOUT_S) " s", NULL);
}

/**
 * sp_test_mail_sink_start:
 * @tls_and_auth: offer and require STARTTLS (the environment's server
 *   certificate) and AUTH (SP_TEST_SMTP_USER)
 *
 * Starts the sink on a free port of 127.0.0.1, writing to mail/ in the
 * environment's directory.
 */
SpTestMailSink *
sp_test_mail_sink_start (SpTestEnv *env,
                         gboolean   tls_and_auth)
{
  SpTestMailSink *self = g_new0 (SpTestMailSink, 1);

  self->env = env;
  self->tls_and_auth = tls_and_auth;
  self->dir = g_build_filename (sp_test_env_get_dir (env), "mail", NULL);
  self->port_file = g_build_filename (sp_test_env_get_dir (env), "mail-sink.port", NULL);
  _sp_test_env_make_dir (self->dir, 0755);
  spawn (self);
  return self;
}

/* SIGTERM, as an SMTP server going away; waits until it is gone. */
void
sp_test_mail_sink_stop (SpTestMailSink *self)
{
  if (self->process == NULL)
    return;
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
}

/* Starts it again on the same port. */
void
sp_test_mail_sink_restart (SpTestMailSink *self)
{
  sp_test_mail_sink_stop (self);
  spawn (self);
}

guint
sp_test_mail_sink_get_port (SpTestMailSink *self)
{
  return self->port;
}

/* Returns: its process id, 0 while it is stopped */
int
sp_test_mail_sink_get_pid (SpTestMailSink *self)
{
  const char *identifier = self->process != NULL ? g_subprocess_get_identifier (self->process) : NULL;

  return identifier != NULL ? atoi (identifier) : 0;
}

const char *
sp_test_mail_sink_get_dir (SpTestMailSink *self)
{
  return self->dir;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/**
 * sp_test_mail_sink_list:
 *
 * Returns: (transfer full) (element-type filename): the messages received,
 *   oldest first
 */
GPtrArray *
sp_test_mail_sink_list (SpTestMailSink *self)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (self->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (paths, g_build_filename (self->dir, name, NULL));
  g_ptr_array_sort (paths, compare_paths);
  return paths;
}

void
sp_test_mail_sink_free (SpTestMailSink *self)
{
  if (self == NULL)
    return;
  sp_test_mail_sink_stop (self);
  g_free (self->dir);
  g_unlink (self->port_file);
  g_free (self->port_file);
  g_free (self);
}

/**
 * sp_test_mail_configure:
 *
 * Points the environment's server at @sink ([mail]: STARTTLS required and
 * AUTH when the sink asks for them) and gives it a link secret ([links]);
 * the server reads it at its next start.
 *
 * Returns: (transfer full): the link secret, for the tests that forge links
 */
char *
sp_test_mail_configure (SpTestEnv      *env,
                        SpTestMailSink *sink)
{
  g_autofree char *secret_file = g_build_filename (sp_test_env_get_dir (env), "link-secret", NULL);
  g_autofree char *password_file = g_build_filename (sp_test_env_get_dir (env), "smtp-password", NULL);
  g_autofree char *url = g_strdup_printf ("smtp://localhost:%u", sink->port);
  g_autoptr(GError) error = NULL;
  guint8 random[32];
  char *secret;

  for (guint i = 0; i < sizeof random; i++)
    random[i] = (guint8) g_random_int ();
  secret = g_base64_encode (random, sizeof random);
  if (!g_file_set_contents (secret_file, secret, -1, &error)
      || !g_file_set_contents (password_file, SP_TEST_SMTP_PASSWORD "\n", -1, &error))
    _sp_test_env_fail ("cannot write the mail secrets", error);

  sp_test_env_set_config (env, "mail", "smtp-url", url);
  sp_test_env_set_config (env, "mail", "from", SP_TEST_MAIL_FROM);
  sp_test_env_set_config (env, "mail", "starttls", sink->tls_and_auth ? "required" : "off");
  if (sink->tls_and_auth)
    {
      sp_test_env_set_config (env, "mail", "username", SP_TEST_SMTP_USER);
      sp_test_env_set_config (env, "mail", "password-file", password_file);
      sp_test_env_set_config (env, "mail", "ca-file", sp_test_env_get_ca_file (env));
    }
  sp_test_env_set_config (env, "links", "secret-file", secret_file);
  return secret;
}

/**
 * sp_test_mail_parse:
 *
 * Returns: (transfer full): the message as tests/harness/eml-to-json.py reads it
 */
JsonObject *
sp_test_mail_parse (const char *path)
{
  g_autofree char *script = g_build_filename (sp_test_env_get_source_dir (), "tests", "harness", "eml-to-json.py", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, script, path, NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error)
      || !g_subprocess_get_successful (process))
    _sp_test_env_fail ("cannot parse a received e-mail", error);
  if (!json_parser_load_from_data (parser, out, -1, &error))
    _sp_test_env_fail ("eml-to-json.py wrote no JSON", error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/**
 * sp_test_mail_header:
 *
 * Returns: (transfer full) (nullable): the first header @name of the
 *   message at @path, unfolded no further (enough for Message-ID and To)
 */
char *
sp_test_mail_header (const char *path,
                     const char *name)
{
  g_autofree char *contents = NULL;
  g_autofree char *prefix = g_strconcat (name, ":", NULL);
  gsize prefix_length = strlen (prefix);
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\r' && lines[i][0] != '\0'; i++)
    if (g_ascii_strncasecmp (lines[i], prefix, prefix_length) == 0)
      return g_strdup (g_strstrip (lines[i] + prefix_length));
  return NULL;
}
