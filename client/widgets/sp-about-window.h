/* sp-about-window.h: "Informazioni su Sportello": version, licence, details for support */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SP_TYPE_ABOUT_WINDOW (sp_about_window_get_type ())

G_DECLARE_FINAL_TYPE (SpAboutWindow, sp_about_window, SP, ABOUT_WINDOW, AdwWindow)

SpAboutWindow *sp_about_window_new (GtkWindow  *parent,
                                    const char *debug_info);

G_END_DECLS
