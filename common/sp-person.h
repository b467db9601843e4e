/* sp-person.h: how a person's name is written (the applicant's, everywhere) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *sp_person_format_name (const char *cognome,
                             const char *nome) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
