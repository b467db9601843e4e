/* sp-admin-demo-people.c: made-up Italian people for the demo (names from data/demo/people.json), with valid codici fiscali, IBANs and partite IVA */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include <string.h>

#include "sp-admin-demo.h"
#include "sp-person.h"

const char *
sp_demo_pick (GRand              *rand,
              const char * const *list)
{
  return list[g_rand_int_range (rand, 0, g_strv_length ((char **) list))];
}

/* A birthplace drawn by weight (data/demo/people.json): its comune and Belfiore code. */
static JsonObject *
pick_birthplace (GRand *rand)
{
  JsonArray *places = sp_demo_records ("birthplaces");
  gint64 total = 0;
  gint64 drawn;

  for (guint i = 0; i < json_array_get_length (places); i++)
    total += json_object_get_int_member_with_default (json_array_get_object_element (places, i), "weight", 1);
  drawn = g_rand_int_range (rand, 0, (gint32) total);
  for (guint i = 0; i < json_array_get_length (places); i++)
    {
      JsonObject *place = json_array_get_object_element (places, i);

      drawn -= json_object_get_int_member_with_default (place, "weight", 1);
      if (drawn < 0)
        return place;
    }
  g_assert_not_reached ();
}

/* Upper-case letters of @text without accents, spaces or apostrophes. */
static char *
letters_of (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isalpha (*p))
      g_string_append_c (out, g_ascii_toupper (*p));
  return g_string_free (out, FALSE);
}

static void
split_letters (const char *letters,
               GString    *consonants,
               GString    *vowels)
{
  for (const char *p = letters; *p != '\0'; p++)
    g_string_append_c (strchr ("AEIOU", *p) != NULL ? vowels : consonants, *p);
}

static void
append_code (GString    *cf,
             const char *text,
             gboolean    is_name)
{
  g_autofree char *letters = letters_of (text);
  g_autoptr(GString) consonants = g_string_new (NULL);
  g_autoptr(GString) vowels = g_string_new (NULL);
  g_autoptr(GString) code = g_string_new (NULL);

  split_letters (letters, consonants, vowels);
  if (is_name && consonants->len >= 4)
    {
      g_string_append_c (code, consonants->str[0]);
      g_string_append_c (code, consonants->str[2]);
      g_string_append_c (code, consonants->str[3]);
    }
  else
    {
      g_string_append (code, consonants->str);
      g_string_append (code, vowels->str);
      g_string_append (code, "XXX");
    }
  g_string_append_len (cf, code->str, 3);
}

/**
 * sp_demo_codice_fiscale:
 *
 * Computes a codice fiscale (DM 23/12/1976), check character included.
 */
char *
sp_demo_codice_fiscale (const char  *cognome,
                        const char  *nome,
                        gboolean     female,
                        const GDate *birth,
                        const char  *belfiore)
{
  static const char months[] = "ABCDEHLMPRST";
  static const int odd[] = { 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14,
                             16, 10, 22, 25, 24, 23 };
  GString *cf = g_string_new (NULL);
  int sum = 0;

  append_code (cf, cognome, FALSE);
  append_code (cf, nome, TRUE);
  g_string_append_printf (cf, "%02d%c%02d%s", g_date_get_year (birth) % 100,
                          months[g_date_get_month (birth) - 1],
                          g_date_get_day (birth) + (female ? 40 : 0), belfiore);

  for (guint i = 0; i < 15; i++)
    {
      char c = cf->str[i];
      int value = g_ascii_isdigit (c) ? c - '0' : c - 'A';

      sum += (i % 2 == 0) ? odd[value] : value;
    }
  g_string_append_c (cf, 'A' + sum % 26);
  return g_string_free (cf, FALSE);
}

static char *
make_email (GRand        *rand,
            const char   *nome,
            const char   *cognome)
{
  g_autofree char *first = letters_of (nome);
  g_autofree char *last = letters_of (cognome);
  g_autofree char *local = g_ascii_strdown (first, -1);
  g_autofree char *family = g_ascii_strdown (last, -1);

  if (g_rand_boolean (rand))
    return g_strdup_printf ("%s.%s@%s", local, family, sp_demo_pick (rand, sp_demo_list ("email_domains")));
  return g_strdup_printf ("%s.%s%02d@%s", local, family, g_rand_int_range (rand, 50, 100),
                          sp_demo_pick (rand, sp_demo_list ("email_domains")));
}

/**
 * sp_demo_person_new:
 * @cognome: (nullable): the surname, for a relative of someone; random otherwise
 *
 * A person aged between @min_age and @max_age (a newborn when both are 0)
 * who lives at a random address of @place.
 */
SpDemoPerson *
sp_demo_person_new (GRand             *rand,
                    GDateTime         *now,
                    int                min_age,
                    int                max_age,
                    const char        *cognome,
                    const SpDemoPlace *place)
{
  SpDemoPerson *person = g_new0 (SpDemoPerson, 1);
  JsonObject *birthplace = pick_birthplace (rand);
  int days = g_rand_int_range (rand, min_age * 365 + 30, max_age * 365 + 364);
  g_autoptr(GDateTime) born = g_date_time_add_days (now, -days);

  person->female = g_rand_boolean (rand);
  person->nome = g_strdup (sp_demo_pick (rand, sp_demo_list (person->female ? "female_names" : "male_names")));
  person->cognome = g_strdup (cognome != NULL ? cognome : sp_demo_pick (rand, sp_demo_list ("surnames")));
  g_date_set_dmy (&person->birth, g_date_time_get_day_of_month (born), g_date_time_get_month (born),
                  g_date_time_get_year (born));
  person->luogo_nascita = g_strdup (json_object_get_string_member (birthplace, "comune"));
  person->codice_fiscale = sp_demo_codice_fiscale (person->cognome, person->nome, person->female, &person->birth,
                                                   json_object_get_string_member (birthplace, "belfiore"));
  person->email = make_email (rand, person->nome, person->cognome);
  person->telefono = g_strdup_printf ("+39 3%02d %07d", g_rand_int_range (rand, 20, 93),
                                      g_rand_int_range (rand, 1000000, 9999999));
  person->via = g_strdup (sp_demo_pick (rand, sp_demo_list ("streets")));
  person->civico = g_rand_int_range (rand, 0, 6) == 0
                   ? g_strdup_printf ("%d/%c", g_rand_int_range (rand, 1, 80), 'A' + g_rand_int_range (rand, 0, 3))
                   : g_strdup_printf ("%d", g_rand_int_range (rand, 1, 120));
  person->place = place;
  return person;
}

void
sp_demo_person_free (SpDemoPerson *person)
{
  if (person == NULL)
    return;
  g_free (person->nome);
  g_free (person->cognome);
  g_free (person->luogo_nascita);
  g_free (person->codice_fiscale);
  g_free (person->email);
  g_free (person->telefono);
  g_free (person->via);
  g_free (person->civico);
  g_free (person);
}

char *
sp_demo_person_full_name (const SpDemoPerson *person)
{
  return sp_person_format_name (person->cognome, person->nome);
}

/* ISO 7064 mod 97-10 over a string of digits and letters (A = 10). */
static int
mod97 (const char *text)
{
  int remainder = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      int value = g_ascii_isdigit (*p) ? *p - '0' : *p - 'A' + 10;

      remainder = (remainder * (value >= 10 ? 100 : 10) + value) % 97;
    }
  return remainder;
}

/**
 * sp_demo_iban:
 *
 * An Italian IBAN with correct check digits (the CIN is not computed).
 */
char *
sp_demo_iban (GRand *rand)
{
  g_autofree char *bban = g_strdup_printf ("%c%s%05d%012" G_GINT64_MODIFIER "d",
                                           'A' + g_rand_int_range (rand, 0, 26), sp_demo_pick (rand, sp_demo_list ("bank_codes")),
                                           g_rand_int_range (rand, 11700, 59999),
                                           (gint64) g_rand_int_range (rand, 1, G_MAXINT32) * 17);
  g_autofree char *rearranged = g_strconcat (bban, "IT00", NULL);

  return g_strdup_printf ("IT%02d%s", 98 - mod97 (rearranged), bban);
}

/**
 * sp_demo_partita_iva:
 *
 * A partita IVA of the Verona office (023) with a correct check digit.
 */
char *
sp_demo_partita_iva (GRand *rand)
{
  g_autofree char *digits = g_strdup_printf ("%07d023", g_rand_int_range (rand, 1000000, 9999999));
  int sum = 0;

  for (int i = 0; i < 10; i++)
    {
      int d = digits[i] - '0';

      if (i % 2 == 1)
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
  return g_strdup_printf ("%s%d", digits, (10 - sum % 10) % 10);
}
