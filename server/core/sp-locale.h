#pragma once

#include <locale.h>

#include <glib.h>

G_BEGIN_DECLS

/**
 * SpLocaleScope:
 *
 * The calling thread's messages in another language for a while, so a worker
 * can write an ente's e-mail or PDF in that ente's language.
 */
typedef struct
{
  locale_t wanted;
  locale_t previous;
} SpLocaleScope;

void         sp_locale_push        (SpLocaleScope *scope,
                                    const char    *locale);
void         sp_locale_pop         (SpLocaleScope *scope);

G_END_DECLS
