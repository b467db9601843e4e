/* sp-window.h: the main window: sign-in, then the pages of the user's role */
#pragma once

#include <adwaita.h>

#include "sp-client.h"

G_BEGIN_DECLS

#define SP_TYPE_WINDOW (sp_window_get_type ())

G_DECLARE_FINAL_TYPE (SpWindow, sp_window, SP, WINDOW, AdwApplicationWindow)

SpWindow *sp_window_new            (GtkApplication *application) G_GNUC_WARN_UNUSED_RESULT;
SpClient *sp_window_get_client     (SpWindow       *self);
void      sp_window_set_server_url (SpWindow       *self,
                                    const char     *server_url);
void      sp_window_show_pratica   (SpWindow       *self,
                                    const char     *pratica_id);

G_END_DECLS
