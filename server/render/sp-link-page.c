/* sp-link-page.c: the HTML page of a download link that is altered, expired or whose document is gone */
#define G_LOG_DOMAIN "sp-link-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sp-link-page.h"
#include "sp-locale.h"

/**
 * sp_link_page_render:
 * @locale: (nullable): the language, it_IT when %NULL
 *
 * Returns: a small HTML page that says what happened and what to do
 */
char *
sp_link_page_render (SpLinkPage  page,
                     const char *locale)
{
  SpLocaleScope scope;
  const char *title, *text;
  g_autofree char *title_html = NULL;
  g_autofree char *text_html = NULL;
  g_autofree char *hint_html = NULL;
  char *html;

  sp_locale_push (&scope, locale != NULL ? locale : "it_IT");
  switch (page)
    {
    case SP_LINK_PAGE_EXPIRED:
      title = _("This link has expired");
      text = _("Download links in our e-mails work for a limited time, and this one is past it.");
      break;
    case SP_LINK_PAGE_GONE:
      title = _("Document not available");
      text = _("The document of this link is no longer available.");
      break;
    case SP_LINK_PAGE_INVALID:
    default:
      title = _("This link is not valid");
      text = _("The address is incomplete or has been altered. Open the link exactly as it appears in the e-mail "
               "you received.");
      break;
    }
  title_html = g_markup_escape_text (title, -1);
  text_html = g_markup_escape_text (text, -1);
  hint_html = g_markup_escape_text (_("To receive the document again, contact the office that handles your "
                                      "application, quoting its number."), -1);
  html = g_strdup_printf ("<!DOCTYPE html>\n<html lang=\"%.2s\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                          "<title>%s</title>\n</head>\n"
                          "<body style=\"font-family: sans-serif; line-height: 1.4; color: #222; max-width: 40em;"
                          " margin: 3em auto; padding: 0 1em\">\n"
                          "<h1>%s</h1>\n<p>%s</p>\n<p>%s</p>\n</body>\n</html>\n",
                          locale != NULL ? locale : "it", title_html, title_html, text_html, hint_html);
  sp_locale_pop (&scope);
  return html;
}
