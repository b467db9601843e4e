/* sp-style.h: the style sheets of the app's pages, loaded once */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void sp_style_ensure (const char *name);

G_END_DECLS
