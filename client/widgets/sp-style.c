/* sp-style.c: the style sheets of the app's pages, loaded once for the display */
#define G_LOG_DOMAIN "sp-style"

#include "config.h"

#include "sp-style.h"

/**
 * sp_style_ensure:
 * @name: a style sheet among the app's resources, e.g. `sp-audit.css`
 *
 * Adds @name to the default display's style, the first time only; does
 * nothing without a display.
 */
void
sp_style_ensure (const char *name)
{
  static GHashTable *loaded;
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autofree char *path = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (display == NULL)
    return;
  if (loaded == NULL)
    loaded = g_hash_table_new (g_str_hash, g_str_equal);
  if (g_hash_table_contains (loaded, name))
    return;
  g_hash_table_add (loaded, (gpointer) g_intern_string (name));

  path = g_strconcat ("/it/sportello/Sportello/", name, NULL);
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, path);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}
