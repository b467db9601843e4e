/* sp-test-pratica-page.c: the detail page's UI tests' environment, and reading what the page shows */
#include "config.h"

#include "sp-application.h"
#include "sp-test-pratica-page.h"
#include "sp-test-ui.h"

static SpTestEnv *ui_env;
static SpTestPratiche *ui_pratiche;
static gboolean ui_have_display;
static char *runtime_dir;
static char *cache_dir;

/**
 * sp_test_pratica_ui_init:
 *
 * The app in Italian, with the catalog of the build directory, in Rome's
 * time; g_test_init(); GTK when there is a display, then the server and
 * the pratiche.
 */
void
sp_test_pratica_ui_init (int    *argc,
                         char ***argv)
{
  g_setenv ("LC_ALL", "it_IT.UTF-8", TRUE);
  g_setenv ("TZ", "Europe/Rome", TRUE);
  g_unsetenv ("LANGUAGE");
  sp_application_init_i18n ();

  g_test_init (argc, argv, NULL);

  /* The user's runtime and cache folders, of the test's own (G_TEST_OPTION_ISOLATE_DIRS
   * would need a GLib newer than Debian 12's for the runtime one). */
  runtime_dir = g_dir_make_tmp ("sp-runtime-XXXXXX", NULL);
  cache_dir = g_dir_make_tmp ("sp-cache-XXXXXX", NULL);
  g_assert_nonnull (runtime_dir);
  g_assert_nonnull (cache_dir);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);

  ui_have_display = gtk_init_check ();
  if (ui_have_display)
    {
      adw_init ();
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      ui_env = sp_test_env_start ();
      if (ui_env != NULL)
        ui_pratiche = sp_test_pratiche_insert (ui_env);
    }
}

/* g_test_run(), then the server stopped and the folders removed. */
int
sp_test_pratica_ui_run (void)
{
  int status = g_test_run ();
  const char *argv_rm[] = { "rm", "-rf", runtime_dir, cache_dir, NULL };

  if (ui_env != NULL)
    sp_test_env_stop (ui_env);
  g_clear_pointer (&ui_pratiche, sp_test_pratiche_free);
  /* GTK, fontconfig and Mesa may have left their caches there. */
  g_spawn_sync (NULL, (char **) argv_rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  g_clear_pointer (&runtime_dir, g_free);
  g_clear_pointer (&cache_dir, g_free);
  return status;
}

gboolean
sp_test_pratica_ui_have_display (void)
{
  return ui_have_display;
}

SpTestEnv *
sp_test_pratica_ui_env (void)
{
  return ui_env;
}

SpTestPratiche *
sp_test_pratica_ui_pratiche (void)
{
  return ui_pratiche;
}

/* Skips the test without a display or a server. */
gboolean
sp_test_pratica_skip (void)
{
  if (!sp_test_pratica_ui_have_display ())
    {
      g_test_skip ("No display: run under Xvfb");
      return TRUE;
    }
  if (ui_env == NULL)
    {
      g_test_skip ("The test server did not start");
      return TRUE;
    }
  return FALSE;
}

const char *
sp_test_pratica_state (SpPraticaPage *page)
{
  return gtk_stack_get_visible_child_name (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, "stack"));
}

const char *
sp_test_pratica_label (SpPraticaPage *page,
                       const char    *name)
{
  return gtk_label_get_text (sp_test_ui_template_child (page, SP_TYPE_PRATICA_PAGE, name));
}

GtkWindow *
sp_test_pratica_open (SpClient       *client,
                      const char     *pratica_id,
                      int             height,
                      SpPraticaPage **page_out)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  SpPraticaPage *page = sp_pratica_page_new (client, pratica_id);

  gtk_window_set_default_size (window, 1000, height);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  SP_TEST_UI_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (page)));
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (sp_test_pratica_state (page), "loading") != 0);

  *page_out = page;
  return window;
}

void
sp_test_pratica_close (GtkWindow *window)
{
  gtk_window_destroy (window);
  sp_test_ui_spin (50);
}

guint
sp_test_pratica_count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c != NULL; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

GtkWidget *
sp_test_pratica_nth_row (GtkWidget *list,
                         guint      n)
{
  GtkWidget *c = gtk_widget_get_first_child (list);

  while (c != NULL && n-- > 0)
    c = gtk_widget_get_next_sibling (c);
  g_assert_nonnull (c);
  return c;
}

const char *
sp_test_pratica_named_text (GtkWidget  *root,
                            const char *name)
{
  GtkWidget *label = sp_test_ui_find_named (root, name);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}
