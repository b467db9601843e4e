/* sp-login-page.h: the sign-in form (server address, username, password) */
#pragma once

#include <adwaita.h>

#include "sp-client.h"

G_BEGIN_DECLS

#define SP_TYPE_LOGIN_PAGE (sp_login_page_get_type ())

G_DECLARE_FINAL_TYPE (SpLoginPage, sp_login_page, SP, LOGIN_PAGE, AdwBin)

SpClient   *sp_login_page_get_client     (SpLoginPage *self);
void        sp_login_page_set_client     (SpLoginPage *self,
                                          SpClient    *client);
void        sp_login_page_set_server_url (SpLoginPage *self,
                                          const char  *server_url);
void        sp_login_page_set_username   (SpLoginPage *self,
                                          const char  *username);
void        sp_login_page_reset          (SpLoginPage *self,
                                          const char  *message);

G_END_DECLS
