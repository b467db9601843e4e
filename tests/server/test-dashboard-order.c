/* test-dashboard-order.c: the dashboard's sort and search against reference queries, and keyset paging while data changes */
#define G_LOG_DOMAIN "test-dashboard"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-dashboard.h"
#include "sp-pratica.h"
#include "sp-status.h"
#include "sp-test-dashboard.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

/* One environment for the whole binary: starting PostgreSQL takes a while. */
static SpTestEnv *env;
static PGconn *conn;
static GHashTable *tokens;      /* username → session token */

static const SpStatus all_statuses[] = {
  2000, 3000, 4000, 4100, 4500, 5000, 6000, 7000, 8000, 9000, 20000,
};

static const char *
token_for (const char *username)
{
  char *token = g_hash_table_lookup (tokens, username);

  if (token == NULL)
    {
      token = sp_test_login (env, username, SP_TEST_PASSWORD);
      g_hash_table_insert (tokens, g_strdup (username), token);
    }
  return token;
}

/* ———— Sort and search against reference queries ———— */

#define ORD_ENTE "c_s003"
#define ORD_ME "ord.me"
#define ORD_COLLEAGUE "ord.collega"

static const char * const reference_order[SP_N_SORT_KEYS][2] = {
  [SP_SORT_SUBMITTED] = { "p.submitted_at, p.id", "p.submitted_at DESC, p.id DESC" },
  [SP_SORT_NUMERO] = { "p.numero, p.id", "p.numero DESC, p.id DESC" },
  [SP_SORT_APPLICANT] = { "p.applicant_cognome, p.applicant_nome, p.id",
                          "p.applicant_cognome DESC, p.applicant_nome DESC, p.id DESC" },
  [SP_SORT_SERVIZIO] = { "sv.name, p.numero, p.id", "sv.name DESC, p.numero DESC, p.id DESC" },
  [SP_SORT_STATUS] = { "p.status, p.id", "p.status DESC, p.id DESC" },
  /* no protocol number sorts first, ascending */
  [SP_SORT_PROTOCOL] = { "p.protocol_number NULLS FIRST, p.id", "p.protocol_number DESC NULLS LAST, p.id DESC" },
  [SP_SORT_DEADLINE] = { "p.deadline_at, p.id", "p.deadline_at DESC, p.id DESC" },
};

/* What the search box matches (DESIGN.md §7 and the server's contract), case-
 * insensitive, the terms taken literally: every term of the search (split at
 * white space and apostrophes) begins a word of the pratica or of its
 * service's name, in any order — the words of the applicant's surname and
 * name and of the service's name (split at white space and apostrophes,
 * hyphenated ones also at the hyphens), the codice fiscale, and the number
 * and the protocol number with each of their parts after the first (split at
 * "-" and "/") with and without its leading zeros. */
/* @text's pieces between white space and apostrophes, none empty. */
static GPtrArray *
split_words (const char *text)
{
  g_auto(GStrv) quotes = g_strsplit (text, "’", -1);
  g_autofree char *plain = g_strjoinv ("'", quotes);
  g_auto(GStrv) pieces = g_strsplit_set (plain, " \t'", -1);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; pieces[i] != NULL; i++)
    if (*pieces[i] != '\0')
      g_ptr_array_add (words, g_strdup (pieces[i]));
  return words;
}

static void
add_name_words (GPtrArray  *words,
                const char *name)
{
  g_autofree char *lower = g_utf8_strdown (name, -1);
  g_autoptr(GPtrArray) pieces = split_words (lower);

  for (guint i = 0; i < pieces->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (pieces->pdata[i], "-", -1);

      g_ptr_array_add (words, g_strdup (pieces->pdata[i]));
      for (guint j = 0; parts[1] != NULL && parts[j] != NULL; j++)
        g_ptr_array_add (words, g_strdup (parts[j]));
    }
}

static void
add_number_words (GPtrArray  *words,
                  const char *number)
{
  g_autofree char *lower = g_utf8_strdown (number, -1);
  g_auto(GStrv) parts = g_strsplit_set (lower, "-/", -1);

  g_ptr_array_add (words, g_strdup (lower));
  for (guint i = 1; parts[i] != NULL; i++)
    {
      const char *digits = parts[i];

      g_ptr_array_add (words, g_strdup (parts[i]));
      while (*digits == '0')
        digits++;
      g_ptr_array_add (words, g_strdup (digits));
    }
}

/* Columns: 1 number, 2 codice fiscale, 3 surname, 4 name, 6 service's name, 7 protocol number. */
static GPtrArray *
reference_words (PGresult *row_result,
                 int       row)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  add_number_words (words, PQgetvalue (row_result, row, 1));
  if (!PQgetisnull (row_result, row, 7))
    add_number_words (words, PQgetvalue (row_result, row, 7));
  g_ptr_array_add (words, g_utf8_strdown (PQgetvalue (row_result, row, 2), -1));
  add_name_words (words, PQgetvalue (row_result, row, 3));
  add_name_words (words, PQgetvalue (row_result, row, 4));
  add_name_words (words, PQgetvalue (row_result, row, 6));
  return words;
}

static gboolean
reference_matches (const char *normalized,
                   PGresult   *row_result,
                   int         row)
{
  g_autoptr(GPtrArray) words = reference_words (row_result, row);
  g_autoptr(GPtrArray) terms = split_words (normalized);
  gboolean all_found = TRUE;

  for (guint t = 0; t < terms->len && all_found; t++)
    {
      gboolean found = FALSE;

      for (guint w = 0; w < words->len && !found; w++)
        found = g_str_has_prefix (words->pdata[w], terms->pdata[t]);
      all_found = found;
    }
  return all_found;
}

static char *
normalize (const char *search)
{
  g_autofree char *lower = g_utf8_strdown (search, -1);
  g_auto(GStrv) words = g_strsplit_set (lower, " \t", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_strv_builder_add (builder, words[i]);
  kept = g_strv_builder_end (builder);
  return g_strjoinv (" ", kept);
}

/* The ids the server should list, in order, by a query written from DESIGN.md §3. */
static GPtrArray *
reference_ids (gint64       account_id,
               SpBucket     bucket,
               SpSortKey    sort,
               gboolean     descending,
               const char  *search)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT p.id, p.numero, p.applicant_cf, p.applicant_cognome, p.applicant_nome,"
    "       p.applicant_cognome || ' ' || p.applicant_nome, sv.name, p.protocol_number"
    " FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id"
    " WHERE p.ente_id = (SELECT ente_id FROM account WHERE id = $1::bigint)"
    "   AND p.servizio_id IN (SELECT x.servizio_id FROM account_servizio x JOIN servizio s ON s.id = x.servizio_id"
    "                         JOIN account a ON a.id = x.account_id"
    "                         WHERE x.account_id = $1::bigint AND s.ente_id = a.ente_id)"
    "   AND %s"
    " ORDER BY %s", sp_test_design_bucket_sql (bucket), reference_order[sort][descending ? 1 : 0]);
  g_autofree char *account = g_strdup_printf ("%" G_GINT64_FORMAT, account_id);
  g_autoptr(PGresult) result = sp_test_pg_exec (conn, sql, SP_TEST_PG_ARGS (account));
  g_autofree char *normalized = search != NULL ? normalize (search) : NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (int row = 0; row < PQntuples (result); row++)
    if (normalized == NULL || *normalized == '\0' || reference_matches (normalized, result, row))
      g_ptr_array_add (ids, g_strdup (PQgetvalue (result, row, 0)));
  return ids;
}

static void
create_order_fixtures (void)
{
  const char *surnames[] = {
    "Rossi", "ROSSI", "rossi", "Bianchi", "De Luca", "de luca", "D'Angelo", "Dell%Orto", "Under_Score",
    "Back\\Slash", "Perc%", "Zanetti", "Rossini", "Esposito", "Colombo", "Ricci", "Marino", "Greco",
    "Rossi-Bianchi",
  };
  const char *names[] = { "Mario", "Anna", "Luca", "anna", "Giulia", "Marco", "Sara" };
  const char *servizi[] = { "ord-anagrafe", "ord-tributi", "ord-sociali" };
  static gboolean created = FALSE;
  GRand *rand;

  /* Once, for the tests that share them. */
  if (created)
    return;
  created = TRUE;
  rand = g_rand_new_with_seed (20260311);

  sp_test_ente_create (conn, ORD_ENTE, "Comune di Ordinamento", NULL);
  sp_test_servizio_create (conn, ORD_ENTE, "ord-anagrafe", "Anagrafe e stato civile", TRUE);
  sp_test_servizio_create (conn, ORD_ENTE, "ord-tributi", "Tributi 100% online", FALSE);
  sp_test_servizio_create (conn, ORD_ENTE, "ord-sociali", "Servizi_sociali", TRUE);
  sp_test_operator_create (conn, ORD_ENTE, ORD_ME, "Ordinatore Principale", "ord-anagrafe,ord-tributi");
  sp_test_operator_create (conn, ORD_ENTE, ORD_COLLEAGUE, "Collega Ordinatrice", "ord-anagrafe,ord-tributi,ord-sociali");

  for (guint i = 0; i < 110; i++)
    {
      const char *assignees[] = { ORD_ME, ORD_COLLEAGUE, NULL, NULL };
      g_autofree char *cf = g_strdup_printf ("%s%02uA%02uH501%c", i % 4 == 0 ? "RSSMRA" : "BNCLCU", i % 90,
                                             1 + i % 28, 'A' + (char) (i % 26));
      /* Few distinct times: ties, broken by the id. */
      g_autofree char *submitted = g_strdup_printf ("2026-02-%02u 09:%02u:00+01", 1 + i % 5, (i % 3) * 10);
      g_autofree char *protocol = g_strdup_printf ("2026/%07u", g_rand_int_range (rand, 1, 40));
      g_autofree char *numero = g_strdup_printf ("2026-%06u", 700000 + (i * 37) % 1000);
      SpTestPratica spec = {
        .ente = ORD_ENTE,
        .servizio = servizi[g_rand_int_range (rand, 0, 3)],
        .status = all_statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (all_statuses))],
        .assigned_to = assignees[g_rand_int_range (rand, 0, 4)],
        .protocol_number = g_rand_int_range (rand, 0, 5) < 3 ? protocol : NULL,
        .numero = numero,
        .codice_fiscale = cf,
        .nome = names[g_rand_int_range (rand, 0, G_N_ELEMENTS (names))],
        .cognome = surnames[g_rand_int_range (rand, 0, G_N_ELEMENTS (surnames))],
        .submitted_at = submitted,
      };

      g_free (sp_test_pratica_insert (conn, &spec));
    }
  g_rand_free (rand);
}

static void
compare_with_reference (const char *viewer,
                        SpBucket    bucket,
                        SpSortKey   sort,
                        gboolean    descending,
                        const char *search,
                        guint       limit,
                        GPtrArray  *problems)
{
  gint64 account_id = sp_test_account_id (conn, viewer);
  g_autoptr(SpTestPaged) paged = sp_test_dashboard_page_through (env, token_for (viewer), bucket, sort, descending, search, limit, NULL, NULL);
  g_autoptr(GPtrArray) expected = reference_ids (account_id, bucket, sort, descending, search);
  g_autofree char *what = g_strdup_printf ("%s %s %s q=%s", sp_bucket_to_string (bucket), sp_sort_key_to_string (sort),
                                           descending ? "desc" : "asc", search != NULL ? search : "(none)");

  if (paged->failed_status != 0)
    {
      sp_test_problem (problems, "%s: %s", what, paged->failure);
      return;
    }
  for (guint p = 0; p < paged->pages->len; p++)
    {
      GPtrArray *page = paged->pages->pdata[p];

      for (guint i = 0; i < page->len; i++)
        {
          guint at = p * limit + i;

          if (at >= expected->len || !g_str_equal (page->pdata[i], expected->pdata[at]))
            {
              sp_test_problem (problems, "%s: page %u row %u is %s, the reference has %s (%u rows against %u)", what, p, i,
                       (const char *) page->pdata[i], at < expected->len ? (const char *) expected->pdata[at] : "nothing",
                       paged->ids->len, expected->len);
              return;
            }
        }
    }
  if (paged->ids->len != expected->len)
    sp_test_problem (problems, "%s: %u rows, the reference has %u", what, paged->ids->len, expected->len);
  if (paged->pages->len != MAX (1, (expected->len + limit - 1) / limit))
    sp_test_problem (problems, "%s: %u pages for %u rows of limit %u", what, paged->pages->len, expected->len, limit);

  /* The counts of every bucket, with the same search. */
  if (paged->has_counts)
    for (guint b = 0; b < SP_N_BUCKETS; b++)
      {
        g_autoptr(GPtrArray) in_bucket = b == bucket ? g_ptr_array_ref (expected)
                                                     : reference_ids (account_id, b, sort, descending, search);

        if (paged->counts[b] != (gint64) in_bucket->len)
          sp_test_problem (problems, "%s: count of %s is %" G_GINT64_FORMAT ", the reference has %u", what,
                   sp_bucket_to_string (b), paged->counts[b], in_bucket->len);
      }
  else
    sp_test_problem (problems, "%s: no counts", what);
}

static const char * const order_searches[] = {
  NULL,
  "rossi",            /* surname, any case in the data */
  "RoSsI",            /* the search is case-insensitive */
  "rssmra",           /* the beginning of a codice fiscale, lower case */
  "mra04",            /* … not its middle */
  "RSSMRA04A05H501E", /* a whole codice fiscale (i = 4: RSSMRA 04 A 05 H501 E) */
  "2026-700037",      /* a whole number */
  "2026-7001",        /* the beginning of a number */
  "700037",           /* a number's sequence */
  "0037",             /* … not its middle */
  "tributi",          /* a service's name */
  "100%",             /* … with a literal % */
  "%",                /* LIKE metacharacters match themselves only */
  "_",
  "\\",
  "l%o",
  "r_s",
  "  De   LUCA ",     /* white space trimmed and collapsed */
  "d'angelo",         /* a quote: "d" and "angelo" */
  "angelo",           /* … a word after it */
  "luca rossi",       /* name then surname */
  "rossi anna",       /* surname then name */
  "ross an",          /* beginnings of both */
  "ossi",             /* the middle of a word matches nothing */
  "anna anna",        /* a term twice */
  "bianchi",          /* a part of a hyphenated surname */
  "rossi-b",          /* … or its beginning */
  "r",                /* one letter: counted from pratica_prefix_count */
  "ro",               /* two letters */
  "d",                /* "D'Angelo", "De Luca" and no service's word */
  "de",
  "e",                /* a word of a service's name: all its pratiche */
  "s",                /* a word of a service's name and of applicants' */
  "2",                /* every number */
  "0",                /* the protocol numbers' sequences */
  "12",
  "2026/00000",       /* the beginning of a protocol number */
  "0000012",          /* a protocol number's sequence */
  "civile",           /* a word of a service's name, not its first */
  "ivile",            /* … not its middle */
  "stato anagrafe",   /* two words of one service's name */
  "tributi rossi",    /* a service's word and an applicant's */
  "tributi anagrafe", /* words of two services' names */
  "'",                /* separators only: no term, as without a search */
};

static void
test_sort_search_reference (void)
{
  const char *viewers[] = { ORD_ME, ORD_COLLEAGUE };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  guint combinations = 0;

  create_order_fixtures ();
  for (guint v = 0; v < G_N_ELEMENTS (viewers); v++)
    for (guint q = 0; q < G_N_ELEMENTS (order_searches); q++)
      for (guint b = 0; b < SP_N_BUCKETS; b++)
        for (guint s = 0; s < SP_N_SORT_KEYS; s++)
          for (guint d = 0; d < 2; d++)
            {
              /* The second viewer only without a search and for one order. */
              if (v == 1 && (q != 0 || d == 1))
                continue;
              compare_with_reference (viewers[v], b, s, d, order_searches[q], order_searches[q] == NULL ? 7 : 3,
                                      problems);
              combinations++;
            }
  g_test_message ("%u combinations of viewer, search, bucket, sort and order compared", combinations);
  sp_test_assert_no_problems (problems);
}

/* A search pages its matches either by reading them all ("fetch") or by
 * walking a sort index ("walk"), choosing from the counts and the index's
 * size from pg_class (server/sp-db-search.c). Both, forced by that size (and
 * autovacuum kept from correcting it), give the reference's rows. */
static void
test_search_strategies (void)
{
  const struct { const char *name; const char *reltuples; } strategies[] = {
    { "walk", "0" },
    { "fetch", "1e12" },
  };
  const SpBucket buckets[] = { SP_BUCKET_TUTTE, SP_BUCKET_DA_ASSEGNARE };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  create_order_fixtures ();
  sp_test_pg_command (conn, "ALTER TABLE pratica SET (autovacuum_enabled = false)", 0, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (strategies); i++)
    {
      guint before = problems->len;

      sp_test_pg_command (conn, "UPDATE pg_class SET reltuples = $1::real, relpages = 1"
                                " WHERE oid IN ('pratica_numero_idx'::regclass, 'pratica_unassigned_numero_idx'::regclass)",
                          SP_TEST_PG_ARGS (strategies[i].reltuples));
      for (guint q = 1; q < G_N_ELEMENTS (order_searches); q++)
        for (guint b = 0; b < G_N_ELEMENTS (buckets); b++)
          for (guint s = 0; s < SP_N_SORT_KEYS; s++)
            compare_with_reference (ORD_ME, buckets[b], s, (q + s) % 2, order_searches[q], 10, problems);
      g_test_message ("%s: %u problems", strategies[i].name, problems->len - before);
    }
  sp_test_pg_command (conn, "ALTER TABLE pratica RESET (autovacuum_enabled)", 0, NULL);
  sp_test_pg_command (conn, "ANALYZE pratica", 0, NULL);
  sp_test_assert_no_problems (problems);
}

/* Upper-case accented letters, as identity providers send names: the search
 * is case-insensitive beyond ASCII too. */
static void
test_search_non_ascii_case (void)
{
  const struct { const char *cognome; const char *nome; const char *search; } cases[] = {
    { "CANTÙ", "NICOLÒ", "cantù" },
    { "CANTÙ", "NICOLÒ", "Nicolò" },
    { "Cantù", "Nicolò", "CANTÙ" },
    { "ÇELIK", "ÉMILE", "çelik" },
  };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cf = g_strdup_printf ("CNTNCL80A01H50%uZ", i);
      SpTestPratica spec = {
        .servizio = SP_TEST_SERVIZIO_INTERNAL, .status = 3000, .protocol_number = "2026/0000099",
        .cognome = cases[i].cognome, .nome = cases[i].nome, .codice_fiscale = cf,
      };
      g_autofree char *id = sp_test_pratica_insert (conn, &spec);
      g_autoptr(SpTestPaged) paged = sp_test_dashboard_page_through (env, token_for (SP_TEST_OPERATOR), SP_BUCKET_TUTTE, SP_SORT_NUMERO, FALSE,
                                             cases[i].search, 50, NULL, NULL);
      gboolean found = FALSE;

      for (guint j = 0; j < paged->ids->len; j++)
        found |= g_str_equal (paged->ids->pdata[j], id);
      if (!found)
        sp_test_problem (problems, "“%s %s” not found searching “%s”%s%s", cases[i].cognome, cases[i].nome, cases[i].search,
                 paged->failure != NULL ? ": " : "", paged->failure != NULL ? paged->failure : "");
      sp_test_pratica_delete (conn, id);
    }
  sp_test_assert_no_problems (problems);
}

/* ———— Paging while the data changes ———— */

#define PAG_ENTE "c_p004"
#define PAG_ME "pag.me"

typedef struct
{
  int      status;
  gboolean assigned;      /* to PAG_ME */
  gboolean changed_key;   /* a sort value changed while paging */
  gboolean left;          /* was out of the bucket at some point while paging */
  gboolean at_start;      /* existed when paging started */
} Row;

typedef struct
{
  GHashTable  *rows;      /* id → Row */
  GRand       *rand;
  SpBucket     bucket;
  SpSortKey    sort;
  GPtrArray   *problems;
  guint        inserted;
  guint        changed;
} Churning;

static gboolean
row_in_bucket (const Row *row,
               SpBucket   bucket)
{
  return sp_test_design_bucket_contains (bucket, row->status, row->assigned, row->assigned);
}

static char *
churn_insert (Churning *churning,
              int       status)
{
  const char *surnames[] = { "Abate", "Neri", "Zorzi", "Moretti", "Bruno", "Gallo" };
  g_autofree char *numero = g_strdup_printf ("2026-%06d", g_rand_int_range (churning->rand, 100000, 999999));
  g_autofree char *submitted = g_strdup_printf ("2026-01-%02d %02d:%02d:00+01", g_rand_int_range (churning->rand, 1, 29),
                                                g_rand_int_range (churning->rand, 8, 18),
                                                g_rand_int_range (churning->rand, 0, 60));
  g_autofree char *protocol = g_strdup_printf ("2026/%07d", g_rand_int_range (churning->rand, 1, 500));
  SpTestPratica spec = {
    .ente = PAG_ENTE, .servizio = g_rand_boolean (churning->rand) ? "pag-uno" : "pag-due", .status = status,
    .numero = numero, .submitted_at = submitted,
    .protocol_number = g_rand_boolean (churning->rand) ? protocol : NULL,
    .cognome = surnames[g_rand_int_range (churning->rand, 0, G_N_ELEMENTS (surnames))],
    .nome = g_rand_boolean (churning->rand) ? "Carla" : "Bruno",
  };
  char *id;

  /* A random number may be taken already: try another. */
  if (sp_test_pg_int (conn, "SELECT count (*) FROM pratica WHERE numero = $1", SP_TEST_PG_ARGS (numero)) > 0)
    return churn_insert (churning, status);
  id = sp_test_pratica_insert (conn, &spec);
  return id;
}

static void
between_pages_cb (guint    page,
                  gpointer user_data)
{
  Churning *churning = user_data;
  g_autoptr(GPtrArray) existing = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, churning->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (existing, g_strdup (key));

  /* Two new pratiche, with random sort values: before and after the cursor. */
  for (guint i = 0; i < 2; i++)
    {
      Row *row = g_new0 (Row, 1);

      row->status = g_rand_boolean (churning->rand) ? 2000 : 3000;
      g_hash_table_insert (churning->rows, churn_insert (churning, row->status), row);
      churning->inserted++;
    }

  /* Three status changes: out of the bucket, back in, or within it. */
  for (guint i = 0; i < 3; i++)
    {
      const char *id = existing->pdata[g_rand_int_range (churning->rand, 0, (gint32) existing->len)];
      Row *row = g_hash_table_lookup (churning->rows, id);
      int choice = g_rand_int_range (churning->rand, 0, 4);
      int old_status = row->status;
      g_autofree char *status = NULL;

      switch (choice)
        {
        case 0:   /* taken in charge: leaves Da assegnare */
          row->status = 4000;
          row->assigned = TRUE;
          break;
        case 1:   /* concluded */
          row->status = 7000;
          break;
        case 2:   /* given back: enters Da assegnare when not concluded */
          row->assigned = FALSE;
          break;
        default:  /* registered: stays where it is */
          row->status = row->status == 2000 ? 3000 : row->status;
          break;
        }
      status = g_strdup_printf ("%d", row->status);
      sp_test_pg_command (conn,
                          "UPDATE pratica SET status = $2::integer,"
                          " assigned_to = CASE WHEN $3 THEN (SELECT id FROM account WHERE username = '" PAG_ME "') END"
                          " WHERE id = $1::uuid",
                          SP_TEST_PG_ARGS (id, status, row->assigned ? "true" : "false"));
      if (churning->sort == SP_SORT_STATUS && old_status != row->status)
        row->changed_key = TRUE;
      if (!row_in_bucket (row, churning->bucket))
        row->left = TRUE;
      churning->changed++;
    }
}

static void
page_while_changing (SpBucket   bucket,
                     SpSortKey  sort,
                     gboolean   descending,
                     GRand     *rand,
                     GPtrArray *problems)
{
  Churning churning = { NULL };
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, NULL);
  g_autoptr(PGresult) result = NULL;
  g_autoptr(SpTestPaged) paged = NULL;
  g_autofree char *what = g_strdup_printf ("%s %s %s", sp_bucket_to_string (bucket), sp_sort_key_to_string (sort),
                                           descending ? "desc" : "asc");
  GHashTableIter iter;
  gpointer key, value;
  guint stable = 0;

  churning.rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  churning.rand = rand;
  churning.bucket = bucket;
  churning.sort = sort;
  churning.problems = problems;

  result = sp_test_pg_exec (conn,
                            "SELECT p.id, p.status, p.assigned_to IS NOT NULL FROM pratica p JOIN ente e ON e.id = p.ente_id"
                            " WHERE e.code = '" PAG_ENTE "'", 0, NULL);
  for (int r = 0; r < PQntuples (result); r++)
    {
      Row *row = g_new0 (Row, 1);

      row->status = atoi (PQgetvalue (result, r, 1));
      row->assigned = g_str_equal (PQgetvalue (result, r, 2), "t");
      row->at_start = TRUE;
      row->left = !row_in_bucket (row, bucket);
      g_hash_table_insert (churning.rows, g_strdup (PQgetvalue (result, r, 0)), row);
    }

  paged = sp_test_dashboard_page_through (env, token_for (PAG_ME), bucket, sort, descending, NULL, 7, between_pages_cb, &churning);
  if (paged->failed_status != 0)
    {
      sp_test_problem (problems, "%s: %s", what, paged->failure);
      g_hash_table_unref (churning.rows);
      return;
    }

  for (guint i = 0; i < paged->ids->len; i++)
    {
      const char *id = paged->ids->pdata[i];
      Row *row = g_hash_table_lookup (churning.rows, id);

      if (row == NULL)
        sp_test_problem (problems, "%s: %s is not a pratica of the ente", what, id);
      else if (!g_hash_table_add (seen, (gpointer) id) && !row->changed_key)
        sp_test_problem (problems, "%s: %s listed twice (its sort values did not change)", what, id);
    }

  g_hash_table_iter_init (&iter, churning.rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const Row *row = value;

      if (!row->at_start || row->left || row->changed_key)
        continue;
      stable++;
      if (!g_hash_table_contains (seen, key))
        sp_test_problem (problems, "%s: %s was in the bucket all along but was never listed", what, (const char *) key);
    }
  g_test_message ("%s: %u pages, %u rows listed, %u stable rows, %u inserted and %u changed meanwhile", what,
                  paged->pages->len, paged->ids->len, stable, churning.inserted, churning.changed);
  g_hash_table_unref (churning.rows);
}

static void
test_paging_while_changing (void)
{
  const struct { SpBucket bucket; SpSortKey sort; gboolean descending; } cases[] = {
    { SP_BUCKET_DA_ASSEGNARE, SP_SORT_SUBMITTED, TRUE },
    { SP_BUCKET_DA_ASSEGNARE, SP_SORT_NUMERO, FALSE },
    { SP_BUCKET_DA_ASSEGNARE, SP_SORT_APPLICANT, FALSE },
    { SP_BUCKET_DA_ASSEGNARE, SP_SORT_STATUS, FALSE },
    { SP_BUCKET_DA_ASSEGNARE, SP_SORT_PROTOCOL, TRUE },
    { SP_BUCKET_TUTTE, SP_SORT_DEADLINE, TRUE },
    { SP_BUCKET_TUTTE, SP_SORT_SERVIZIO, FALSE },
    { SP_BUCKET_TUTTE, SP_SORT_APPLICANT, TRUE },
    { SP_BUCKET_DA_GESTIRE, SP_SORT_SUBMITTED, FALSE },
  };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  GRand *rand = g_rand_new_with_seed (77);

  sp_test_ente_create (conn, PAG_ENTE, "Comune di Paginazione", NULL);
  sp_test_servizio_create (conn, PAG_ENTE, "pag-uno", "Primo servizio", TRUE);
  sp_test_servizio_create (conn, PAG_ENTE, "pag-due", "Secondo servizio", FALSE);
  sp_test_operator_create (conn, PAG_ENTE, PAG_ME, "Paginatore", "pag-uno,pag-due");
  {
    Churning seeding = { .rand = rand };

    for (guint i = 0; i < 90; i++)
      g_free (churn_insert (&seeding, i % 2 == 0 ? 2000 : 3000));
    for (guint i = 0; i < 25; i++)
      {
        g_autofree char *id = churn_insert (&seeding, 4000);

        sp_test_pg_command (conn, "UPDATE pratica SET assigned_to = (SELECT id FROM account WHERE username = '" PAG_ME "')"
                                  " WHERE id = $1::uuid", SP_TEST_PG_ARGS (id));
      }
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    page_while_changing (cases[i].bucket, cases[i].sort, cases[i].descending, rand, problems);
  g_rand_free (rand);
  sp_test_assert_no_problems (problems);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* A failed check fails its test and the others still run and report. */
  g_test_set_nonfatal_assertions ();

  g_test_add_func ("/sportello/dashboard/order/reference", test_sort_search_reference);
  g_test_add_func ("/sportello/dashboard/search/strategies", test_search_strategies);
  g_test_add_func ("/sportello/dashboard/search/non-ascii-case", test_search_non_ascii_case);
  g_test_add_func ("/sportello/dashboard/paging/while-changing", test_paging_while_changing);

  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  status = g_test_run ();
  g_hash_table_unref (tokens);
  g_clear_pointer (&conn, PQfinish);
  sp_test_env_stop (env);
  return status;
}
