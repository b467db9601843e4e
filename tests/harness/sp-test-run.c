/* sp-test-run.c: running programs for the test harness, as the test's user or PostgreSQL's */
#define G_LOG_DOMAIN "sp-test-run"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-test-env-private.h"
#include "sp-test-env.h"

/* Runs @argv (as PostgreSQL's user if @as_postgres) in the environment's
 * directory, pg/ for PostgreSQL; %FALSE, with its stderr in @error, unless it
 * exits with status 0. */
gboolean
_sp_test_env_run_argv (SpTestEnv           *self,
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

gboolean
_sp_test_env_run_va (SpTestEnv   *self,
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
  return _sp_test_env_run_argv (self, as_postgres, stdin_text, stdout_text, stderr_text, error,
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
  ok = _sp_test_env_run_va (env, FALSE, stdin_text, stdout_text, stderr_text, error, first_arg, args);
  va_end (args);
  return ok;
}
