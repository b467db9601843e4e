/* sp-test-ui.c: helpers of the desktop app's UI tests: the app, main loop, widgets, sign-in, screenshots */
#define G_LOG_DOMAIN "sp-test-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "sp-about-window.h"
#include "sp-application.h"
#include "sp-audit-log-window.h"
#include "sp-certificate-dialog.h"
#include "sp-compare-window.h"
#include "sp-elabora-page.h"
#include "sp-form-view.h"
#include "sp-login-page.h"
#include "sp-pratica-page.h"
#include "sp-test-ui.h"
#include "sp-window.h"

/**
 * sp_test_ui_init:
 *
 * The app in Italian, with the catalog of the build directory;
 * g_test_init(); then GTK, without animations, when there is a display.
 * Set the time zone and the user's folders before: GTK reads them.
 *
 * Returns: whether there is a display
 */
gboolean
sp_test_ui_init (int    *argc,
                 char ***argv)
{
  g_setenv ("LC_ALL", "it_IT.UTF-8", TRUE);
  g_unsetenv ("LANGUAGE");
  sp_application_init_i18n ();

  g_test_init (argc, argv, NULL);

  if (!gtk_init_check ())
    return FALSE;
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return TRUE;
}

/* The app as the tests drive it: registered, not unique, its windows opened by the test. */
SpApplication *
sp_test_ui_application_new (void)
{
  g_autoptr(SpApplication) application = sp_application_new ();
  g_autoptr(GError) error = NULL;

  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&application);
}

/* Skips the test case, saying why, without a display or a test server. */
gboolean
sp_test_ui_skip (gboolean have_display,
                 gboolean have_server)
{
  if (!have_display)
    {
      g_test_skip ("No display: run under Xvfb");
      return TRUE;
    }
  if (!have_server)
    {
      g_test_skip ("The test server did not start");
      return TRUE;
    }
  return FALSE;
}

/* Destroys @window (a GtkWindow), and lets it go. */
void
sp_test_ui_close_window (gpointer window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  sp_test_ui_spin (50);
}

gboolean
sp_test_ui_wake_up_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop for @milliseconds. */
void
sp_test_ui_spin (guint milliseconds)
{
  gint64 deadline = g_get_monotonic_time () + milliseconds * 1000;
  guint wake_up = g_timeout_add (10, sp_test_ui_wake_up_cb, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_up);
}

/* The child @name of @widget's template, or the test fails. */
gpointer
sp_test_ui_template_child (gpointer    widget,
                           GType       widget_type,
                           const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), widget_type, name);

  if (object == NULL)
    g_error ("No template child “%s” in %s", name, g_type_name (widget_type));
  return object;
}

/* The first descendant of @root (depth first) whose widget name is @name. */
GtkWidget *
sp_test_ui_find_named (GtkWidget  *root,
                       const char *name)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_widget_get_name (c), name) == 0)
        return c;
      if ((found = sp_test_ui_find_named (c, name)) != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
sp_test_ui_find_type (GtkWidget *root,
                      GType      type)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
      if ((found = sp_test_ui_find_type (c, type)) != NULL)
        return found;
    }
  return NULL;
}

/* Adds every descendant of @root of @type to @out, in depth-first order. */
void
sp_test_ui_collect_type (GtkWidget *root,
                         GType      type,
                         GPtrArray *out)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        g_ptr_array_add (out, c);
      sp_test_ui_collect_type (c, type, out);
    }
}

/* The text of the visible labels under @root, one per line: what a person reads. */
char *
sp_test_ui_collect_text (GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GString *text = g_string_new (NULL);

  sp_test_ui_collect_type (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (gtk_widget_is_visible (label) && *gtk_label_get_text (GTK_LABEL (label)) != '\0')
        g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (label)));
    }
  return g_string_free (text, FALSE);
}

/* The value a summary or detail row shows, by the row's name. */
const char *
sp_test_ui_row_value (GtkWidget  *root,
                      const char *name)
{
  GtkWidget *row = sp_test_ui_find_named (root, name);
  GtkWidget *value;

  if (row == NULL)
    g_error ("No row %s", name);
  value = sp_test_ui_find_named (row, "value");
  g_assert_nonnull (value);
  return gtk_label_get_text (GTK_LABEL (value));
}

static char *
describe (GtkWidget *widget)
{
  static char text[200];

  g_snprintf (text, sizeof text, "“%s” (%s)",
              GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : gtk_widget_get_name (widget),
              G_OBJECT_TYPE_NAME (widget));
  return text;
}

/**
 * sp_test_ui_assert_shown_in_full:
 *
 * @widget is drawn whole: at least as wide as it asks (its natural width,
 * or its minimum one when it can shrink, as an entry can), and inside every
 * ancestor (not scrolled or clipped away).
 */
void
sp_test_ui_assert_shown_in_full (GtkWidget *widget,
                                 gboolean   at_natural_width)
{
  graphene_rect_t box;
  int minimum = 0;
  int natural = 0;
  int needed;

  g_assert_true (gtk_widget_get_mapped (widget));
  /* The measure has the margins, the bounds are the border box. */
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  needed = (at_natural_width ? natural : minimum)
           - gtk_widget_get_margin_start (widget) - gtk_widget_get_margin_end (widget);
  g_assert_true (gtk_widget_compute_bounds (widget, widget, &box));
  if (box.size.width < needed)
    g_error ("%s is %g px wide, less than the %d px it needs", describe (widget), box.size.width, needed);

  for (GtkWidget *ancestor = gtk_widget_get_parent (widget);
       ancestor != NULL;
       ancestor = gtk_widget_get_parent (ancestor))
    {
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_compute_bounds (widget, ancestor, &bounds));
      if (bounds.origin.x < 0 || bounds.origin.y < 0
          || bounds.origin.x + bounds.size.width > gtk_widget_get_width (ancestor) + 0.5
          || bounds.origin.y + bounds.size.height > gtk_widget_get_height (ancestor) + 0.5)
        g_error ("%s is cut by %s: %g,%g %g×%g in %d×%d", describe (widget), G_OBJECT_TYPE_NAME (ancestor),
                 bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height,
                 gtk_widget_get_width (ancestor), gtk_widget_get_height (ancestor));
    }
}

/* Whether GTK would show @widget's tooltip with the pointer over it: it asks
 * the widget under the pointer, as here, then its ancestors. */
gboolean
sp_test_ui_offers_tooltip (GtkWidget *widget)
{
  GtkTooltip *tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean shown = FALSE;

  g_signal_emit_by_name (widget, "query-tooltip", 1, 1, FALSE, tooltip, &shown);
  g_object_unref (tooltip);
  return shown;
}

/**
 * sp_test_ui_shown_page:
 *
 * What @widget shows, as a person would name it: the visible page of the
 * app's window ("login", "dashboard", "protocol", "pratica", "elabora" when
 * the pratica shows Elabora, "no-pages"), or
 * the kind of window it is in ("certificate", "about", "dialog", "chooser",
 * "compare" for the audit's comparison), or the
 * app's widget in a test's own window ("elabora", "pratica", "form").
 *
 * Returns: (transfer none) (nullable): the name, or %NULL for a window of
 *   another kind
 */
/* Elabora is shown in place of the pratica's detail. */
static gboolean
shows_elabora (GtkWidget *root)
{
  GtkWidget *elabora = sp_test_ui_find_type (root, SP_TYPE_ELABORA_PAGE);

  return elabora != NULL && gtk_widget_get_mapped (elabora);
}

const char *
sp_test_ui_shown_page (GtkWidget *widget)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
  const char *name;

  if (SP_IS_WINDOW (root))
    {
      name = gtk_stack_get_visible_child_name (sp_test_ui_template_child (root, SP_TYPE_WINDOW, "main_stack"));
      if (g_strcmp0 (name, "pratica") == 0 && shows_elabora (root))
        return "elabora";
      if (g_strcmp0 (name, "session") != 0)
        return name;
      name = gtk_stack_get_visible_child_name (sp_test_ui_template_child (root, SP_TYPE_WINDOW, "content_stack"));
      if (g_strcmp0 (name, "pages") != 0)
        return name;
      return adw_view_stack_get_visible_child_name (sp_test_ui_template_child (root, SP_TYPE_WINDOW, "view_stack"));
    }
  if (SP_IS_CERTIFICATE_DIALOG (root))
    return "certificate";
  if (SP_IS_ABOUT_WINDOW (root))
    return "about";
  if (ADW_IS_MESSAGE_DIALOG (root))
    return "dialog";
  if (GTK_IS_FILE_CHOOSER (root))
    return "chooser";
  if (SP_IS_COMPARE_WINDOW (root))
    return "compare";
  if (SP_IS_AUDIT_LOG_WINDOW (root))
    return "audit-log";
  /* A window of the test's own, holding one page or widget of the app. */
  if (shows_elabora (root))
    return "elabora";
  if (sp_test_ui_find_type (root, SP_TYPE_PRATICA_PAGE) != NULL)
    return "pratica";
  if (sp_test_ui_find_type (root, SP_TYPE_FORM_VIEW) != NULL)
    return "form";
  return NULL;
}

/**
 * sp_test_ui_save_screenshot:
 * @name: the file name: what the screenshot shows (sp_test_ui_shown_page()),
 *   then optionally "-" and more words, then ".png"
 *
 * Saves a PNG of @widget as it is drawn into $SPORTELLO_SCREENSHOT_DIR/@name.
 * The test fails when the screenshot would not show what its name says: a
 * "protocol.png" of the dashboard, or of a widget that is not on screen.
 */
void
sp_test_ui_save_screenshot (GtkWidget  *widget,
                            const char *name)
{
  const char *dir = g_getenv ("SPORTELLO_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  const char *page;
  int width = 0;
  int height = 0;

  g_assert_true (g_str_has_suffix (name, ".png"));

  /* Let layout, the crossfades and a frame happen; a widget in the middle
   * of a new layout draws nothing, so wait for the next one then. A window
   * just presented may take seconds to get its size on a loaded machine. */
  sp_test_ui_spin (400);
  for (gint64 give_up = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
       (!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) <= 0 || gtk_widget_get_height (widget) <= 0)
       && g_get_monotonic_time () < give_up;)
    sp_test_ui_spin (100);
  for (guint attempt = 0; node == NULL && attempt < 10; attempt++)
    {
      if (attempt > 0)
        sp_test_ui_spin (100);

      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      g_assert_cmpint (width, >, 0);
      g_assert_cmpint (height, >, 0);

      g_clear_object (&paintable);
      paintable = gtk_widget_paintable_new (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);

  /* What is drawn is what is on screen, and it is what the name says. */
  g_assert_true (gtk_widget_get_mapped (widget));
  page = sp_test_ui_shown_page (widget);
  if (page == NULL || !g_str_has_prefix (name, page) || strchr ("-.", name[strlen (page)]) == NULL)
    g_error ("The screenshot “%s” shows “%s”: its name must begin with what it shows",
             name, page != NULL ? page : G_OBJECT_TYPE_NAME (gtk_widget_get_root (widget)));

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (dir == NULL || *dir == '\0')
    dir = g_get_tmp_dir ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s (%s)", path, page);
}

typedef struct
{
  gboolean  done;
  gboolean  signed_in;
  GError   *error;
} SignIn;

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  SignIn *sign_in = user_data;

  sign_in->signed_in = sp_client_login_finish (SP_CLIENT (object), result, &sign_in->error);
  sign_in->done = TRUE;
}

/* A client of @env's server, trusting its CA, signed in as @username. */
SpClient *
sp_test_ui_sign_in (SpTestEnv  *env,
                    const char *username,
                    const char *password)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(SpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  SignIn sign_in = { FALSE, FALSE, NULL };

  /* SpClient reads its CA file when it is made. */
  g_setenv ("SPORTELLO_CA_FILE", sp_test_env_get_ca_file (env), TRUE);
  client = sp_client_new (settings);
  g_assert_true (sp_client_set_base_url (client, sp_test_env_get_url (env), &error));
  g_assert_no_error (error);

  sp_client_login_async (client, username, password, NULL, sign_in_cb, &sign_in);
  SP_TEST_UI_WAIT_UNTIL (sign_in.done);
  g_assert_no_error (sign_in.error);
  g_assert_true (sign_in.signed_in);
  g_assert_true (sp_client_is_signed_in (client));
  return g_steal_pointer (&client);
}

/**
 * sp_test_ui_open_signed_in:
 * @width: the window's width; 0 for the app's default size (its GSettings
 *   schema's, 1100×760), reset first
 *
 * Opens the app's window on @env's server and signs in as @username with
 * the test password through the real login page, as a person would.
 *
 * Returns: (transfer none): the window, showing the session
 */
SpWindow *
sp_test_ui_open_signed_in (SpTestEnv      *env,
                           GtkApplication *application,
                           const char     *username,
                           int             width)
{
  SpWindow *window;
  SpLoginPage *login;

  g_setenv ("SPORTELLO_CA_FILE", sp_test_env_get_ca_file (env), TRUE);
  if (width == 0)
    {
      g_autoptr(GSettings) settings = g_settings_new (APP_ID);

      g_settings_reset (settings, "window-width");
      g_settings_reset (settings, "window-height");
      g_settings_reset (settings, "window-maximized");
    }
  window = sp_window_new (application);
  sp_window_set_server_url (window, sp_test_env_get_url (env));
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, 760);
  gtk_window_present (GTK_WINDOW (window));
  SP_TEST_UI_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));

  login = sp_test_ui_template_child (window, SP_TYPE_WINDOW, "login_page");
  gtk_editable_set_text (sp_test_ui_template_child (login, SP_TYPE_LOGIN_PAGE, "username_row"), username);
  gtk_editable_set_text (sp_test_ui_template_child (login, SP_TYPE_LOGIN_PAGE, "password_row"), SP_TEST_PASSWORD);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (login), "login.sign-in", NULL));
  SP_TEST_UI_WAIT_UNTIL (g_strcmp0 (gtk_stack_get_visible_child_name (sp_test_ui_template_child (window, SP_TYPE_WINDOW,
                                                                                                  "main_stack")),
                                    "session") == 0);
  return window;
}

/**
 * sp_test_ui_find_message_dialog:
 *
 * Returns: (transfer none) (nullable): the message dialog shown, if any
 */
AdwMessageDialog *
sp_test_ui_find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

/**
 * sp_test_ui_respond:
 *
 * Clicks the button of @response, as the user does, and waits until the
 * dialog has closed.
 */
void
sp_test_ui_respond (AdwMessageDialog *dialog,
                    const char       *response)
{
  const char *label = adw_message_dialog_get_response_label (dialog, response);
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *button = NULL;

  sp_test_ui_collect_type (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len && button == NULL; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      button = g_ptr_array_index (buttons, i);
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  SP_TEST_UI_WAIT_UNTIL (sp_test_ui_find_message_dialog () != dialog);
}

/* The file chooser shown (a toplevel of its own), or %NULL. */
GtkFileChooser *
sp_test_ui_find_file_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return GTK_FILE_CHOOSER (toplevel);
    }
  return NULL;
}

/* Activates the button labelled @label under @root (a dialog takes its
 * answer only from its buttons); fails the test when there is none. */
void
sp_test_ui_click_button (gpointer    root,
                         const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  GtkWidget *button = NULL;

  sp_test_ui_collect_type (GTK_WIDGET (root), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      button = g_ptr_array_index (buttons, i);
  if (button == NULL)
    g_error ("No button “%s”", label);
  gtk_widget_activate (button);
}

static void
count_click_cb (guint *clicks)
{
  (*clicks)++;
}

/* Presses @button, shown and sensitive, as the user does, and waits until it has clicked. */
void
sp_test_ui_press (GtkWidget *button)
{
  guint clicks = 0;
  gulong handler;

  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  handler = g_signal_connect_swapped (button, "clicked", G_CALLBACK (count_click_cb), &clicks);

  /* A button clicks once it has shown itself pressed (250 ms), later
   * when the machine is slow (the sanitizer build). */
  gtk_widget_activate (button);
  SP_TEST_UI_WAIT_UNTIL (clicks > 0);
  g_signal_handler_disconnect (button, handler);
}

/**
 * sp_test_ui_set_documents_folder:
 * @dir: the user's Documents from now on
 * @exists: whether to create @dir, or remove it
 *
 * Points XDG_DOCUMENTS_DIR to @dir, in the user-dirs.dirs of
 * $XDG_CONFIG_HOME (which the test set), where the app's file choosers open.
 */
void
sp_test_ui_set_documents_folder (const char *dir,
                                 gboolean    exists)
{
  g_autofree char *user_dirs = g_build_filename (g_getenv ("XDG_CONFIG_HOME"), "user-dirs.dirs", NULL);
  g_autofree char *contents = g_strdup_printf ("XDG_DOCUMENTS_DIR=\"%s\"\n", dir);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (user_dirs, contents, -1, &error));
  g_assert_no_error (error);
  if (exists)
    g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  else
    g_rmdir (dir);
  g_reload_user_special_dirs_cache ();
  g_assert_cmpstr (g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS), ==, dir);
}

static char *
chooser_folder (GtkFileChooser *chooser)
{
  g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (chooser);

  return folder != NULL ? g_file_get_path (folder) : NULL;
}

static gboolean
chooser_shows_folder (GtkFileChooser *chooser)
{
  g_autofree char *path = chooser_folder (chooser);

  return path != NULL;
}

/**
 * sp_test_ui_assert_chooser_folder:
 *
 * Waits until @chooser shows a folder (it goes there once shown), and
 * checks that it is @path.
 */
void
sp_test_ui_assert_chooser_folder (GtkFileChooser *chooser,
                                  const char     *path)
{
  g_autofree char *shown = NULL;

  SP_TEST_UI_WAIT_UNTIL (chooser_shows_folder (chooser));
  shown = chooser_folder (chooser);
  g_assert_cmpstr (shown, ==, path);
}
