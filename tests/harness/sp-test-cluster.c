/* sp-test-cluster.c: the private PostgreSQL cluster of a test environment, and SQL through psql */
#define G_LOG_DOMAIN "sp-test-cluster"

#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "sp-test-env-private.h"
#include "sp-test-env.h"

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
  ok = _sp_test_env_run_va (self, TRUE, NULL, NULL, NULL, error, path, args);
  va_end (args);
  return ok;
}

/* The highest installed PostgreSQL, as Debian lays it out; else $PATH. */
char *
_sp_test_env_find_pg_bindir (void)
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

/* A shell that outlives a crashed test and cleans up after it. */
void
_sp_test_env_start_watchdog (SpTestEnv *self)
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
  g_autofree char *remove = g_strdup_printf ("sleep 1; rm -rf %s", q_dir);
  g_autofree char *script = NULL;
  const char *setsid = g_file_test ("/usr/bin/setsid", G_FILE_TEST_IS_EXECUTABLE) ? "/usr/bin/setsid" : NULL;

  /* SP_TEST_KEEP: the directory stays for a look afterwards, as
   * sp_test_env_stop() leaves it. */
  script = g_strdup_printf ("while kill -0 %d 2>/dev/null; do sleep 1; done; "
                            "[ -d %s ] || exit 0; "
                            "[ -f %s ] && kill -TERM \"$(cat %s)\" 2>/dev/null; "
                            "[ -f %s/PG_VERSION ] && %s%s stop -D %s -m immediate -w >/dev/null 2>&1; "
                            "%s",
                            (int) getpid (), q_dir, q_pid, q_pid, q_data, as_pg, q_pg_ctl, q_data,
                            g_getenv ("SP_TEST_KEEP") != NULL ? "exit 0" : remove);

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
  _sp_test_env_check (ok, "cannot start PostgreSQL", error);
}

/* initdb, start, and CREATE DATABASE sportello; sets conninfo. */
void
_sp_test_env_init_database (SpTestEnv *self)
{
  g_autofree char *psql = g_build_filename (self->pg_bindir, "psql", NULL);
  GError *error = NULL;
  gboolean ok;

  _sp_test_env_make_dir (self->pg_root, 0755);
  if (self->switch_user && chown (self->pg_root, self->pg_uid, self->pg_gid) != 0)
    {
      g_autofree char *what = g_strdup_printf ("cannot chown %s: %s", self->pg_root, g_strerror (errno));

      _sp_test_env_fail (what, NULL);
    }

  ok = run_postgres_tool (self, &error, "initdb", "-A", "trust", "--nosync", "-U", "sportello",
                          "-E", "UTF8", "--no-locale", "-D", self->pg_data, NULL);
  _sp_test_env_check (ok, "initdb failed", error);

  start_database (self);

  ok = _sp_test_env_run_argv (self, FALSE, NULL, NULL, NULL, &error,
                              (const char *[]) { psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self->pg_root,
                                                 "-U", "sportello", "-d", "postgres",
                                                 "-c", "CREATE DATABASE sportello", NULL });
  _sp_test_env_check (ok, "cannot create the database", error);

  self->conninfo = g_strdup_printf ("host=%s dbname=sportello user=sportello", self->pg_root);
}

/* For sp_test_env_stop(): stops PostgreSQL if there is a cluster, and only
 * says so if it cannot. */
void
_sp_test_env_shutdown_database (SpTestEnv *self)
{
  g_autoptr(GError) error = NULL;

  if (g_file_test (self->pg_data, G_FILE_TEST_IS_DIR)
      && !run_postgres_tool (self, &error, "pg_ctl", "stop", "-D", self->pg_data, "-m", "fast", "-w", NULL))
    g_printerr ("sp-test-env: %s\n", error->message);
}

void
sp_test_env_stop_database (SpTestEnv *self)
{
  GError *error = NULL;
  gboolean ok;

  ok = run_postgres_tool (self, &error, "pg_ctl", "stop", "-D", self->pg_data, "-m", "fast", "-w", NULL);
  _sp_test_env_check (ok, "cannot stop PostgreSQL", error);
}

void
sp_test_env_start_database (SpTestEnv *self)
{
  start_database (self);
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

  if (!_sp_test_env_run_argv (self, FALSE, NULL, &out, &err, error,
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
    _sp_test_env_fail ("SQL failed", error);
  return out;
}
