/* sp-server-main.c: sportello-server, the central HTTPS server */
#define G_LOG_DOMAIN "sp-server"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>

#include "sp-config.h"
#include "sp-db-migrate.h"
#include "sp-jobs-mail.h"
#include "sp-jobs.h"
#include "sp-log.h"
#include "sp-router.h"
#include "sp-server.h"

/* How long running jobs may take to finish once the server is told to stop. */
#define JOBS_GRACE_SECONDS 5

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_message ("Shutting down");
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* Each client connection holds a descriptor: take all the system allows
 * (LimitNOFILE in the systemd unit), and say how many connections fit. */
static void
raise_descriptor_limit (const SpConfig *config)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return;
  if (limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        getrlimit (RLIMIT_NOFILE, &limit);
    }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < (rlim_t) config->max_connections + 128)
    g_warning ("The descriptor limit (%lu) leaves room for fewer than [limits] max-connections (%d); "
               "connections beyond it are closed unanswered", (unsigned long) limit.rlim_cur,
               config->max_connections);
}

static int
run (const char *config_path,
     const char *url_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SpConfig) config = NULL;
  g_autoptr(SpServer) server = NULL;
  /* Before jobs: freed after them, as their handlers use it. */
  g_autoptr(SpMailer) mailer = NULL;
  g_autoptr(SpJobs) jobs = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *url = NULL;
  guint applied = 0;

  if (!(config = sp_config_load (config_path, &error)))
    {
      g_printerr ("sportello-server: %s\n", error->message);
      return 1;
    }
  sp_log_init (config->log_level);
  raise_descriptor_limit (config);

  if (!(server = sp_server_new (config, &error))
      || !sp_db_migrate (server->db, &applied, &error)
      || !sp_server_listen (server, &error))
    {
      g_critical ("Cannot start: %s", error->message);
      return 1;
    }

  url = sp_server_get_url (server);
  mailer = sp_mailer_new (config, url, &error);
  if (error != NULL)
    {
      g_printerr ("sportello-server: %s\n", error->message);
      return 1;
    }

  jobs = sp_jobs_new (config);
  sp_jobs_register_builtin (jobs, config);
  sp_jobs_register_mail (jobs, mailer);
  sp_jobs_watch_catalogue (jobs, server->catalogue);
  sp_jobs_start (jobs);

  g_message ("Listening on %s (%u migrations applied)", url, applied);
  if (url_file != NULL && !g_file_set_contents (url_file, url, -1, &error))
    {
      g_critical ("Cannot write %s: %s", url_file, error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  /* Jobs first: they finish or give back what they hold while the server
   * still answers. Freeing the server stops accepting and waits for the
   * database workers. */
  sp_jobs_stop (jobs, JOBS_GRACE_SECONDS);
  g_clear_pointer (&server, sp_server_free);
  g_message ("Stopped");
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config_path = NULL;
  g_autofree char *url_file = NULL;
  gboolean list_routes = FALSE;
  gboolean print_config = FALSE;
  gboolean version = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      "Configuration file (default " SYSCONFDIR "/sportello/server.conf)", "FILE" },
    { "url-file", 0, 0, G_OPTION_ARG_FILENAME, &url_file,
      "Write the base URL here once listening", "FILE" },
    { "list-routes", 0, 0, G_OPTION_ARG_NONE, &list_routes, "Print the HTTP routes and exit", NULL },
    { "print-config", 0, 0, G_OPTION_ARG_NONE, &print_config,
      "Print every configuration key with its default and exit", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* E-mails and PDFs are written in each ente's language (sp-locale.c). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SPORTELLO_LOCALEDIR") != NULL ? g_getenv ("SPORTELLO_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  signal (SIGPIPE, SIG_IGN);
  /* TLS 1.2 or later only (DESIGN.md §8), and on TLS 1.2 only AEAD suites
   * with forward secrecy (ECDHE with AES-GCM or ChaCha20-Poly1305; TLS 1.3
   * has no others). GIO has no API for this; glib-networking's GnuTLS
   * backend reads its priorities from here before its first connection. */
  g_setenv ("G_TLS_GNUTLS_PRIORITY",
            "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
            ":-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305"
            ":-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA", FALSE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "Sportello: the central server of the back office.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sportello-server: %s\n", error->message);
      return 2;
    }

  if (version)
    {
      printf ("sportello-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (list_routes)
    {
      sp_router_print ();
      return 0;
    }
  if (print_config)
    {
      g_autofree char *text = sp_config_describe ();

      fputs (text, stdout);
      return 0;
    }

  return run (config_path != NULL ? config_path : SYSCONFDIR "/sportello/server.conf", url_file);
}
