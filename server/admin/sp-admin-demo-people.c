/* sp-admin-demo-people.c: made-up Italian people for the demo, with valid codici fiscali, IBANs and partite IVA */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include <string.h>

#include "sp-admin-demo.h"

static const char * const male_names[] = {
  "Marco", "Luca", "Andrea", "Francesco", "Alessandro", "Matteo", "Lorenzo", "Davide", "Simone",
  "Federico", "Giuseppe", "Giovanni", "Antonio", "Roberto", "Stefano", "Paolo", "Riccardo",
  "Nicola", "Fabio", "Daniele", "Massimo", "Claudio", "Emanuele", "Tommaso", "Pietro", "Enrico",
  "Michele", "Filippo", "Alberto", "Giorgio", "Vincenzo", "Salvatore", "Leonardo", "Gabriele",
  "Edoardo", "Samuele", "Nicolò", "Mattia", NULL };

static const char * const female_names[] = {
  "Giulia", "Francesca", "Chiara", "Sara", "Martina", "Valentina", "Alessia", "Elena", "Silvia",
  "Federica", "Laura", "Paola", "Anna", "Maria", "Elisa", "Roberta", "Monica", "Cristina",
  "Barbara", "Serena", "Giorgia", "Beatrice", "Alice", "Sofia", "Aurora", "Ginevra", "Emma",
  "Greta", "Irene", "Marta", "Caterina", "Ilaria", "Veronica", "Lucia", "Camilla", "Noemi", NULL };

static const char * const surnames[] = {
  "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
  "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo",
  "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso",
  "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale", "Serra",
  "Coppola", "De Santis", "D'Angelo", "Marchetti", "Parisi", "Villa", "Conte", "Ferraro", "Fabbri",
  "Bianco", "Marini", "Grasso", "Valentini", "Sala", "De Angelis", "Gatti", "Pellegrini", "Farina",
  "Monti", "Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa", "Dall'Acqua", "Carbone",
  "Benedetti", "Barone", "Montanari", "Guerra", "Palmieri", "Bernardi", "Fiore", "Ferretti",
  "Bellini", "Donati", "Vitali", "Sartori", "Neri", "Milani", "Orlando", "Zanetti", "Bertoldi",
  "Tommasi", "Zanella", "Brunelli", "Girelli", "Scarpa", "Furlan", "Perbellini", "Castellani",
  "Zamboni", "Benetti", "Pasetto", "Righetti", "Tedeschi", "Dalla Valle", NULL };

/* Birthplaces with their cadastral (Belfiore) codes; Verona weighs more. */
static const struct { const char *comune; const char *code; } birthplaces[] = {
  { "Verona", "L781" }, { "Verona", "L781" }, { "Verona", "L781" }, { "Verona", "L781" },
  { "Vicenza", "L840" }, { "Padova", "G224" }, { "Venezia", "L736" }, { "Trento", "L378" },
  { "Brescia", "B157" }, { "Mantova", "E897" }, { "Milano", "F205" }, { "Roma", "H501" },
  { "Napoli", "F839" }, { "Torino", "L219" }, { "Bologna", "A944" }, { "Firenze", "D612" },
  { "Palermo", "G273" }, { "Bari", "A662" }, { "Genova", "D969" }, { "Catania", "C351" },
  { "Trieste", "L424" },
};

static const char * const streets[] = {
  "Via Roma", "Via Giuseppe Garibaldi", "Piazza della Libertà", "Via Dante Alighieri",
  "Corso Vittorio Emanuele II", "Via Giuseppe Mazzini", "Via dei Tigli", "Via San Rocco",
  "Vicolo del Forno", "Via delle Vigne", "Via Monte Baldo", "Via Giuseppe Verdi", "Via Cavour",
  "Via XX Settembre", "Via IV Novembre", "Viale della Stazione", "Via Adige", "Via Don Minzoni",
  "Via Giacomo Matteotti", "Via Giacomo Leopardi", "Via dei Mulini", "Via Castello",
  "Strada della Valpolicella", "Via Lessinia", "Piazza San Marco", "Via dei Gelsi", NULL };

static const char * const companies[] = {
  "Edil Roccaverde S.r.l.", "Costruzioni Adige S.p.A.", "Bertoldi Costruzioni S.n.c.",
  "Ristrutturazioni Lessinia S.r.l.", "Impresa Edile Zanetti Luigi", "Ponteggi Valpolicella S.r.l.",
  "Traslochi Scaligeri S.r.l.", "Bar Centrale di Sartori Anna & C. S.a.s.", "Pizzeria Da Gino S.r.l.",
  "Girelli Impianti S.r.l.", NULL };

static const char * const email_domains[] = { "example.com", "example.org", "example.net", NULL };

const char *
sp_demo_pick (GRand              *rand,
              const char * const *list)
{
  return list[g_rand_int_range (rand, 0, g_strv_length ((char **) list))];
}

const char * const *
sp_demo_first_names (gboolean female)
{
  return female ? female_names : male_names;
}

const char * const *
sp_demo_surnames (void)
{
  return surnames;
}

const char *
sp_demo_street (GRand *rand)
{
  return sp_demo_pick (rand, streets);
}

const char *
sp_demo_company (GRand *rand)
{
  return sp_demo_pick (rand, companies);
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
    return g_strdup_printf ("%s.%s@%s", local, family, sp_demo_pick (rand, email_domains));
  return g_strdup_printf ("%s.%s%02d@%s", local, family, g_rand_int_range (rand, 50, 100),
                          sp_demo_pick (rand, email_domains));
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
  guint place_index = g_rand_int_range (rand, 0, G_N_ELEMENTS (birthplaces));
  int days = g_rand_int_range (rand, min_age * 365 + 30, max_age * 365 + 364);
  g_autoptr(GDateTime) born = g_date_time_add_days (now, -days);

  person->female = g_rand_boolean (rand);
  person->nome = g_strdup (sp_demo_pick (rand, person->female ? female_names : male_names));
  person->cognome = g_strdup (cognome != NULL ? cognome : sp_demo_pick (rand, surnames));
  g_date_set_dmy (&person->birth, g_date_time_get_day_of_month (born), g_date_time_get_month (born),
                  g_date_time_get_year (born));
  person->luogo_nascita = g_strdup (birthplaces[place_index].comune);
  person->codice_fiscale = sp_demo_codice_fiscale (person->cognome, person->nome, person->female,
                                                   &person->birth, birthplaces[place_index].code);
  person->email = make_email (rand, person->nome, person->cognome);
  person->telefono = g_strdup_printf ("+39 3%02d %07d", g_rand_int_range (rand, 20, 93),
                                      g_rand_int_range (rand, 1000000, 9999999));
  person->via = g_strdup (sp_demo_street (rand));
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
  return g_strdup_printf ("%s %s", person->nome, person->cognome);
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
  static const char * const abi[] = { "03069", "02008", "05034", "08315", "03111", "05696", NULL };
  g_autofree char *bban = g_strdup_printf ("%c%s%05d%012" G_GINT64_MODIFIER "d",
                                           'A' + g_rand_int_range (rand, 0, 26), sp_demo_pick (rand, abi),
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
