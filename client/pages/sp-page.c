/* sp-page.c: the interface of the pages shown after sign-in */
#define G_LOG_DOMAIN "sp-page"

#include "config.h"

#include "sp-page.h"

G_DEFINE_INTERFACE (SpPage, sp_page, GTK_TYPE_WIDGET)

static gboolean
sp_page_real_is_available (SpPage       *self,
                           const SpUser *user)
{
  return user != NULL;
}

static void
sp_page_default_init (SpPageInterface *iface)
{
  iface->is_available = sp_page_real_is_available;

  /**
   * SpPage:client:
   *
   * The API client of the signed-in session.
   */
  g_object_interface_install_property (iface,
                                       g_param_spec_object ("client", NULL, NULL,
                                                            SP_TYPE_CLIENT,
                                                            G_PARAM_READWRITE |
                                                            G_PARAM_EXPLICIT_NOTIFY |
                                                            G_PARAM_STATIC_STRINGS));
}

gboolean
sp_page_is_available (SpPage       *self,
                      const SpUser *user)
{
  g_return_val_if_fail (SP_IS_PAGE (self), FALSE);

  return SP_PAGE_GET_IFACE (self)->is_available (self, user);
}

void
sp_page_refresh (SpPage *self)
{
  g_return_if_fail (SP_IS_PAGE (self));

  if (SP_PAGE_GET_IFACE (self)->refresh != NULL)
    SP_PAGE_GET_IFACE (self)->refresh (self);
}

void
sp_page_reset (SpPage *self)
{
  g_return_if_fail (SP_IS_PAGE (self));

  if (SP_PAGE_GET_IFACE (self)->reset != NULL)
    SP_PAGE_GET_IFACE (self)->reset (self);
}
