/* sp-application.c: the Sportello desktop application */
#define G_LOG_DOMAIN "sp-application"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "sp-about-window.h"
#include "sp-application.h"
#include "sp-window.h"

struct _SpApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (SpApplication, sp_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "server", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Address of the Sportello server, e.g. https://sportello.comune.it"), N_("URL") },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { NULL }
};

/**
 * sp_application_init_i18n:
 *
 * Sets the locale from the environment and binds the message catalog. The
 * catalog is looked up in $SPORTELLO_LOCALEDIR when set, so that the app
 * and its tests run from the build directory (where `po/` compiles
 * `<lang>/LC_MESSAGES/sportello.mo`), and in the installed LOCALEDIR
 * otherwise.
 */
void
sp_application_init_i18n (void)
{
  const char *localedir = g_getenv ("SPORTELLO_LOCALEDIR");

  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static SpWindow *
get_window (SpApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (SP_IS_WINDOW (window))
    return SP_WINDOW (window);
  return sp_window_new (GTK_APPLICATION (self));
}

static void
sp_application_activate (GApplication *application)
{
  gtk_window_present (GTK_WINDOW (get_window (SP_APPLICATION (application))));
}

static int
sp_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("sportello %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  return G_APPLICATION_CLASS (sp_application_parent_class)->handle_local_options (application, options);
}

static int
sp_application_command_line (GApplication            *application,
                             GApplicationCommandLine *command_line)
{
  SpApplication *self = SP_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *server_url = NULL;
  SpWindow *window = get_window (self);

  if (g_variant_dict_lookup (options, "server", "&s", &server_url))
    sp_window_set_server_url (window, server_url);

  gtk_window_present (GTK_WINDOW (window));
  return EXIT_SUCCESS;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  SpApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *base_url = NULL;
  g_autofree char *debug_info = NULL;

  if (SP_IS_WINDOW (parent))
    base_url = sp_client_get_base_url (sp_window_get_client (SP_WINDOW (parent)));

  /* For support: not translated, the same in every language. */
  debug_info = g_strdup_printf ("Sportello %s\nServer: %s\nGTK %u.%u.%u\nlibadwaita %u.%u.%u\n",
                                PACKAGE_VERSION,
                                base_url != NULL ? base_url : "-",
                                gtk_get_major_version (), gtk_get_minor_version (),
                                gtk_get_micro_version (),
                                adw_get_major_version (), adw_get_minor_version (),
                                adw_get_micro_version ());
  gtk_window_present (GTK_WINDOW (sp_about_window_new (parent, debug_info)));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *application = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (application));

  /* Closing the windows lets them save their state and sign out. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "quit", quit_action },
};

static void
sp_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "<Control>question", "<Control>slash", NULL };

  G_APPLICATION_CLASS (sp_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-help-overlay", help_accels);
  gtk_window_set_default_icon_name (APP_ID);
}

static void
sp_application_class_init (SpApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = sp_application_activate;
  app_class->startup = sp_application_startup;
  app_class->command_line = sp_application_command_line;
  app_class->handle_local_options = sp_application_handle_local_options;
}

static void
sp_application_init (SpApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                             _("The desktop app of Sportello, the back office of the municipal e-services."));
}

SpApplication *
sp_application_new (void)
{
  return g_object_new (SP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/it/sportello/Sportello",
                       NULL);
}
