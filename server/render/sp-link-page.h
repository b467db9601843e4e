#pragma once

/* The page a citizen sees when a download link does not work. */

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SP_LINK_PAGE_INVALID,
  SP_LINK_PAGE_EXPIRED,
  SP_LINK_PAGE_GONE,
} SpLinkPage;

char        *sp_link_page_render   (SpLinkPage   page,
                                    const char  *locale) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
