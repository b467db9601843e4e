/* sp-person.c: how a person's name is written (the applicant's, everywhere) */
#define G_LOG_DOMAIN "sp-person"

#include "config.h"

#include "sp-person.h"

/*
 * Italian administrative usage: surname first, then given name
 * ("Rossi Mario"), the order in which the dashboard sorts and the CSV export
 * lists its columns. The list, the detail, the dialogs and the modulo PDF all
 * write the applicant through this function, so the order cannot differ.
 */

static void
append_part (GString    *name,
             const char *part)
{
  g_autofree char *stripped = g_strstrip (g_strdup (part != NULL ? part : ""));

  if (*stripped == '\0')
    return;
  if (name->len > 0)
    g_string_append_c (name, ' ');
  g_string_append (name, stripped);
}

/**
 * sp_person_format_name:
 * @cognome: (nullable): the surname
 * @nome: (nullable): the given name
 *
 * Writes a person's name as "Cognome Nome", without the blanks around each
 * part; a missing part is left out.
 *
 * Returns: (transfer full): the name, possibly empty
 */
char *
sp_person_format_name (const char *cognome,
                       const char *nome)
{
  GString *name = g_string_new (NULL);

  append_part (name, cognome);
  append_part (name, nome);
  return g_string_free (name, FALSE);
}
