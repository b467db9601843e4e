/* sp-about-window.c: "Informazioni su Sportello": version, licence, details for support */
#define G_LOG_DOMAIN "sp-about-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-about-window.h"

#define LICENSE_URL "https://www.gnu.org/licenses/agpl-3.0.html"

/*
 * Our own about window rather than AdwAboutWindow: Debian 12's libadwaita
 * (1.2) has no Italian for AdwAboutWindow's strings ("Details", "Legal",
 * "Troubleshooting", "Debugging Information"…), and every string the user
 * sees must be in the app's language. This one says what the operator
 * needs: the app, its version, the information support asks for (with a
 * button to copy it), and the licence. Its strings are in po/.
 */
struct _SpAboutWindow
{
  AdwWindow        parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkWidget       *back_button;
  GtkStack        *stack;
  GtkImage        *icon;
  GtkLabel        *version_label;
  GtkTextView     *debug_view;
  GtkLabel        *license_label;
};

G_DEFINE_FINAL_TYPE (SpAboutWindow, sp_about_window, ADW_TYPE_WINDOW)

static void
show_page (SpAboutWindow *self,
           const char    *name)
{
  GtkWidget *child = gtk_stack_get_child_by_name (self->stack, name);
  GtkStackPage *page;
  gboolean is_main;

  if (child == NULL)
    return;
  page = gtk_stack_get_page (self->stack, child);
  is_main = g_str_equal (name, "main");

  gtk_stack_set_visible_child (self->stack, child);
  gtk_widget_set_visible (self->back_button, !is_main);
  adw_window_title_set_title (self->window_title,
                              is_main ? gtk_window_get_title (GTK_WINDOW (self))
                                      : gtk_stack_page_get_title (page));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  show_page (SP_ABOUT_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  show_page (SP_ABOUT_WINDOW (widget), "main");
}

/* Escape goes back from a page, and closes the window from the first. */
static void
escape_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpAboutWindow *self = SP_ABOUT_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "main") != 0)
    show_page (self, "main");
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpAboutWindow *self = SP_ABOUT_WINDOW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->debug_view);
  g_autofree char *text = NULL;
  GtkTextIter start;
  GtkTextIter end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Copied to the clipboard")));
}

static void
sp_about_window_class_init (SpAboutWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-about-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SpAboutWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SpAboutWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SpAboutWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, SpAboutWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, SpAboutWindow, icon);
  gtk_widget_class_bind_template_child (widget_class, SpAboutWindow, version_label);
  gtk_widget_class_bind_template_child (widget_class, SpAboutWindow, debug_view);
  gtk_widget_class_bind_template_child (widget_class, SpAboutWindow, license_label);

  gtk_widget_class_install_action (widget_class, "about.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "about.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "about.escape", NULL, escape_action);
  gtk_widget_class_install_action (widget_class, "about.copy", NULL, copy_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "about.escape", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "about.back", NULL);
}

static void
sp_about_window_init (SpAboutWindow *self)
{
  g_autofree char *version = NULL;
  g_autofree char *license = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_image_set_from_icon_name (self->icon, APP_ID);
  /* Translators: %s is the version of the app, e.g. 0.1.0 */
  version = g_strdup_printf (_("Version %s"), PACKAGE_VERSION);
  gtk_label_set_text (self->version_label, version);
  /* Translators: the link is the licence's text on gnu.org */
  license = g_strdup_printf (_("Sportello is free software: you can redistribute it and modify it under the "
                               "terms of the <a href=\"%s\">GNU Affero General Public License</a>, version 3 "
                               "or later. It comes with absolutely no warranty."),
                             LICENSE_URL);
  gtk_label_set_markup (self->license_label, license);
  show_page (self, "main");
}

/**
 * sp_about_window_new:
 * @parent: (nullable): the window it is modal for
 * @debug_info: (nullable): what support needs to know: version, server,
 *   libraries, one a line
 *
 * Returns: (transfer none): a new about window, not yet presented
 */
SpAboutWindow *
sp_about_window_new (GtkWindow  *parent,
                     const char *debug_info)
{
  SpAboutWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (SP_TYPE_ABOUT_WINDOW,
                       "transient-for", parent,
                       NULL);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->debug_view),
                            debug_info != NULL ? debug_info : "", -1);
  return self;
}
