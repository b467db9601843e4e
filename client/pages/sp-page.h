/* sp-page.h: the interface of the pages shown after sign-in */
#pragma once

#include <gtk/gtk.h>

#include "sp-client.h"

G_BEGIN_DECLS

#define SP_TYPE_PAGE (sp_page_get_type ())

G_DECLARE_INTERFACE (SpPage, sp_page, SP, PAGE, GtkWidget)

/**
 * SpPageInterface:
 * @is_available: whether @user's role may see the page
 * @refresh: (re)load the page's data from the server
 * @reset: forget all data (the user signed out)
 *
 * A page of the main window's view stack. The window gives each page the
 * #SpClient through the `client` property, hides the pages the user's role
 * does not allow, refreshes them after sign-in and on F5, and resets them
 * on sign-out.
 */
struct _SpPageInterface
{
  GTypeInterface parent_iface;

  gboolean (*is_available) (SpPage       *self,
                            const SpUser *user);
  void     (*refresh)      (SpPage       *self);
  void     (*reset)        (SpPage       *self);
};

gboolean sp_page_is_available (SpPage       *self,
                               const SpUser *user);
void     sp_page_refresh      (SpPage       *self);
void     sp_page_reset        (SpPage       *self);

G_END_DECLS
