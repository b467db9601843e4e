/* sp-locale.c: per-thread switching of the messages' language (uselocale) */
#define G_LOG_DOMAIN "sp-locale"

#include "config.h"

#include "sp-locale.h"
#include "sp-value-format.h"

/**
 * sp_locale_push:
 * @locale: such as `it_IT`; `.UTF-8` is added when missing
 *
 * Falls back to the current language, with a warning, when @locale is not
 * installed.
 */
void
sp_locale_push (SpLocaleScope *scope,
                const char    *locale)
{
  g_autofree char *name = sp_locale_name_utf8 (locale);

  scope->previous = (locale_t) 0;
  scope->wanted = newlocale (LC_MESSAGES_MASK | LC_CTYPE_MASK | LC_TIME_MASK, name, (locale_t) 0);
  if (scope->wanted == (locale_t) 0)
    {
      g_warning ("Locale %s is not installed: falling back to the default language", name);
      return;
    }
  scope->previous = uselocale (scope->wanted);
}

void
sp_locale_pop (SpLocaleScope *scope)
{
  if (scope->wanted == (locale_t) 0)
    return;
  uselocale (scope->previous);
  freelocale (scope->wanted);
  scope->wanted = (locale_t) 0;
}
