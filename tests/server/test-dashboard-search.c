/* test-dashboard-search.c: the dashboard's search rule: beginnings of words, protocol numbers, services' names, short searches */
#define G_LOG_DOMAIN "test-dashboard"

#include "config.h"

#include "sp-dashboard.h"
#include "sp-test-dashboard.h"
#include "sp-test-env.h"
#include "sp-test-http.h"
#include "sp-test-pg.h"

/* One environment for the whole binary: starting PostgreSQL takes a while. */
static SpTestEnv *env;
static PGconn *conn;
static GHashTable *tokens;      /* username → session token */

#define RULE_ENTE "c_s005"
#define RULE_ME "rule.me"
#define RULE_SOLO "rule.solo"   /* enabled for the residenza service only */

/* The fixtures, by the letter the cases below name them with. */
enum { VERDI, DE_SANTIS, DENUNCIA, BIANCHI, N_FIXTURES };

static const struct
{
  const char *servizio;
  const char *cognome;
  const char *nome;
  const char *cf;
  const char *numero;
  const char *protocol;
  int         status;
  const char *assigned_to;
} fixtures[N_FIXTURES] = {
  [VERDI] = { "rule-residenza", "Verdi", "Paolo", "VRDPLA80A01H501Z", "2026-610001", NULL, 2000, NULL },
  [DE_SANTIS] = { "rule-residenza", "De Santis", "Anna", "DSNNNA80A41H501X", "2026-610002", "2026/0004242", 3000, NULL },
  [DENUNCIA] = { "rule-denunce", "Verdi", "Paolo", "VRDPLA81A01H501Y", "2026-610003", "PG/2026/0041235", 3000, NULL },
  [BIANCHI] = { "rule-residenza", "Bianchi", "Luca", "BNCLCU80A01H501W", "2026-610004", "2026/0000017", 4000, RULE_ME },
};

static char *fixture_ids[N_FIXTURES];

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

static void
create_fixtures (void)
{
  if (fixture_ids[0] != NULL)
    return;
  sp_test_ente_create (conn, RULE_ENTE, "Comune della Regola", NULL);
  sp_test_servizio_create (conn, RULE_ENTE, "rule-residenza", "Certificato di residenza", TRUE);
  sp_test_servizio_create (conn, RULE_ENTE, "rule-denunce", "Denuncia di nascita", TRUE);
  sp_test_operator_create (conn, RULE_ENTE, RULE_ME, "Regola Principale", "rule-residenza,rule-denunce");
  sp_test_operator_create (conn, RULE_ENTE, RULE_SOLO, "Regola Sola", "rule-residenza");
  for (guint i = 0; i < N_FIXTURES; i++)
    {
      SpTestPratica spec = {
        .ente = RULE_ENTE, .servizio = fixtures[i].servizio, .status = fixtures[i].status,
        .assigned_to = fixtures[i].assigned_to, .protocol_number = fixtures[i].protocol,
        .numero = fixtures[i].numero, .codice_fiscale = fixtures[i].cf,
        .nome = fixtures[i].nome, .cognome = fixtures[i].cognome,
      };

      fixture_ids[i] = sp_test_pratica_insert (conn, &spec);
    }
}

/* Checks that @search lists exactly the fixtures of @expected (a string of
 * their letters, "VD" for VERDI and DE_SANTIS…) in "Tutte" for @viewer, and
 * that the count of every bucket is the number of rows paged through it. */
static void
check_search (const char *viewer,
              const char *search,
              const char *expected,
              GPtrArray  *problems)
{
  static const char letters[N_FIXTURES] = { [VERDI] = 'V', [DE_SANTIS] = 'S', [DENUNCIA] = 'D', [BIANCHI] = 'B' };

  for (guint b = 0; b < SP_N_BUCKETS; b++)
    {
      g_autoptr(SpTestPaged) paged = sp_test_dashboard_page_through (env, token_for (viewer), b, SP_SORT_NUMERO, FALSE,
                                                                     search, 2, NULL, NULL);

      if (paged->failed_status != 0)
        {
          sp_test_problem (problems, "%s, “%s”, %s: %s", viewer, search, sp_bucket_to_string (b), paged->failure);
          continue;
        }
      if (!paged->has_counts || paged->counts[b] != (gint64) paged->ids->len)
        sp_test_problem (problems, "%s, “%s”, %s: count %" G_GINT64_FORMAT ", %u rows paged through", viewer, search,
                         sp_bucket_to_string (b), paged->has_counts ? paged->counts[b] : -1, paged->ids->len);
      if (b != SP_BUCKET_TUTTE)
        continue;
      for (guint i = 0; i < N_FIXTURES; i++)
        {
          gboolean listed = g_ptr_array_find_with_equal_func (paged->ids, fixture_ids[i], g_str_equal, NULL);
          gboolean wanted = strchr (expected, letters[i]) != NULL;

          if (listed != wanted)
            sp_test_problem (problems, "%s, “%s”: %s %s %s", viewer, search, fixtures[i].cognome, fixtures[i].servizio,
                             wanted ? "missing" : "listed, though no word of it begins with the search");
        }
      if (paged->ids->len != strlen (expected))
        sp_test_problem (problems, "%s, “%s”: %u rows, %zu expected", viewer, search, paged->ids->len, strlen (expected));
    }
}

/* "de" matched inside "residenza": now every term begins a word, of the
 * service's name as of the rest. */
static void
test_service_name_words (void)
{
  const struct { const char *search; const char *expected; } cases[] = {
    { "de", "SD" },                 /* "De Santis", "Denuncia di nascita": not "residenza" */
    { "residenza", "VSB" },         /* a word of the service's name */
    { "RESID", "VSB" },             /* … its beginning, in any case */
    { "idenza", "" },               /* … not its middle */
    { "denuncia verdi", "D" },      /* the service's word and the applicant's */
    { "residenza verdi", "V" },
    { "certificato residenza", "VSB" },  /* two words of one service's name */
    { "certificato denuncia", "" }, /* words of two services' names */
    { "nascita paolo", "D" },
    { "de sa", "S" },
  };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  create_fixtures ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check_search (RULE_ME, cases[i].search, cases[i].expected, problems);
  /* Another operator's scope: the other service's words find nothing. */
  check_search (RULE_SOLO, "de", "S", problems);
  check_search (RULE_SOLO, "denuncia", "", problems);
  sp_test_assert_no_problems (problems);
}

/* The protocol number is searched like the pratica's number: itself and
 * each of its parts after the first, with and without leading zeros. */
static void
test_protocol_number (void)
{
  const struct { const char *search; const char *expected; } cases[] = {
    { "2026/0004242", "S" },
    { "2026/00042", "S" },          /* the beginning of the whole number */
    { "0004242", "S" },             /* its sequence */
    { "4242", "S" },                /* … without leading zeros */
    { "424", "S" },                 /* … its beginning */
    { "242", "" },                  /* … not its middle */
    { "pg/2026/0041235", "D" },     /* an external register's number */
    { "PG", "D" },
    { "41235", "D" },
    { "17", "B" },
    { "2026/0000017 bianchi", "B" },
  };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  create_fixtures ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check_search (RULE_ME, cases[i].search, cases[i].expected, problems);

  /* Registering a protocol number makes it searchable at once. */
  sp_test_pg_command (conn, "UPDATE pratica SET protocol_number = '2026/0009876' WHERE id = $1::uuid",
                      SP_TEST_PG_ARGS (fixture_ids[VERDI]));
  check_search (RULE_ME, "9876", "V", problems);
  sp_test_pg_command (conn, "UPDATE pratica SET protocol_number = NULL WHERE id = $1::uuid",
                      SP_TEST_PG_ARGS (fixture_ids[VERDI]));
  check_search (RULE_ME, "9876", "", problems);
  sp_test_assert_no_problems (problems);
}

/* Searches of one and two letters or digits follow the same rule (their
 * counts come from pratica_prefix_count, their pages from lookups by id). */
static void
test_short_searches (void)
{
  const struct { const char *viewer; const char *search; const char *expected; } cases[] = {
    { RULE_ME, "d", "VSDB" },       /* "di" in both services' names */
    { RULE_ME, "v", "VD" },         /* "Verdi" and its codice fiscale */
    { RULE_ME, "pa", "VD" },        /* "Paolo" */
    { RULE_ME, "lu", "B" },         /* "Luca" */
    { RULE_ME, "an", "S" },         /* "Anna" */
    { RULE_ME, "sa", "S" },         /* "Santis" */
    { RULE_ME, "nn", "" },          /* inside "Anna" */
    { RULE_ME, "pg", "D" },
    { RULE_ME, "6", "VSDB" },       /* every number's sequence */
    { RULE_ME, "61", "VSDB" },
    { RULE_ME, "42", "S" },         /* "4242" */
    { RULE_ME, "0", "SDB" },        /* the protocol numbers' sequences */
    { RULE_ME, "%", "" },           /* a wildcard matches itself only */
    { RULE_ME, "_", "" },
    { RULE_SOLO, "d", "VSB" },
    { RULE_SOLO, "v", "V" },
    { RULE_SOLO, "pg", "" },
  };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  create_fixtures ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    check_search (cases[i].viewer, cases[i].search, cases[i].expected, problems);
  sp_test_assert_no_problems (problems);
}

/* A search of separators only has no term: it lists what no search does. */
static void
test_separators_only (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);

  create_fixtures ();
  check_search (RULE_ME, "'", "VSDB", problems);
  check_search (RULE_ME, "’ '", "VSDB", problems);
  sp_test_assert_no_problems (problems);
}

/* pratica_prefix_count follows every change of the words: a pratica
 * inserted, renamed, given a protocol number, taken, moved, deleted. */
static void
test_prefix_counts_kept (void)
{
  g_autofree char *diff = NULL;
  g_autofree char *id = NULL;
  SpTestPratica spec = {
    .ente = RULE_ENTE, .servizio = "rule-residenza", .status = 2000, .cognome = "Zanetti", .nome = "Ugo",
    .codice_fiscale = "ZNTGUO80A01H501Q",
  };

  create_fixtures ();
  id = sp_test_pratica_insert (conn, &spec);
  sp_test_pg_command (conn, "UPDATE pratica SET applicant_cognome = 'Zanotti' WHERE id = $1::uuid", SP_TEST_PG_ARGS (id));
  sp_test_pg_command (conn, "UPDATE pratica SET protocol_number = '2026/0000555', status = 3000 WHERE id = $1::uuid",
                      SP_TEST_PG_ARGS (id));
  sp_test_pg_command (conn, "UPDATE pratica SET status = 4000, assigned_to = (SELECT id FROM account WHERE username = $2)"
                            " WHERE id = $1::uuid", SP_TEST_PG_ARGS (id, RULE_ME));
  sp_test_pg_command (conn, "UPDATE pratica SET servizio_id = (SELECT s.id FROM servizio s JOIN ente e ON e.id = s.ente_id"
                            "   WHERE e.code = $2 AND s.slug = 'rule-denunce') WHERE id = $1::uuid",
                      SP_TEST_PG_ARGS (id, RULE_ENTE));
  diff = sp_test_prefix_count_diff (conn);
  if (diff != NULL)
    g_test_message ("after the changes:\n%s", diff);
  g_assert_null (diff);

  sp_test_pratica_delete (conn, id);
  g_clear_pointer (&diff, g_free);
  diff = sp_test_prefix_count_diff (conn);
  if (diff != NULL)
    g_test_message ("after the delete:\n%s", diff);
  g_assert_null (diff);
}

/* A walk of a sort index gives up after reading as many rows as it may
 * (at least 1000) and reads the matches instead: here the matches sit at
 * the end of the applicant's order, after 1500 rows that do not match, and
 * the walk is forced (its index claims no rows, autovacuum kept from
 * correcting it), as test-dashboard-order's strategies are. */
static void
test_short_walk_gives_up (void)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PGresult) expected = NULL;

  create_fixtures ();
  sp_test_pg_command (conn,
                      "INSERT INTO pratica (ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
                      "  applicant_cognome, applicant_email, status)"
                      " SELECT s.ente_id, s.id, '2026-W' || lpad (g::text, 6, '0'), (SELECT min (id) FROM citizen),"
                      "   CASE WHEN g <= 1500 THEN 'AAAAAA80A01H501A' ELSE 'ZRZZRZ80A01H501Z' END,"
                      "   CASE WHEN g <= 1500 THEN 'Aldo' ELSE 'Ugo' END,"
                      "   CASE WHEN g <= 1500 THEN 'Aaa' ELSE 'Zorzi' END, 'walk@example.org', 2000"
                      " FROM servizio s JOIN ente e ON e.id = s.ente_id, generate_series (1, 1560) AS g"
                      " WHERE e.code = '" RULE_ENTE "' AND s.slug = 'rule-residenza'", 0, NULL);
  expected = sp_test_pg_exec (conn, "SELECT id FROM pratica WHERE numero LIKE '2026-W%' AND applicant_cognome = 'Zorzi'"
                                    " ORDER BY applicant_cognome, applicant_nome, id", 0, NULL);
  sp_test_pg_command (conn, "ALTER TABLE pratica SET (autovacuum_enabled = false)", 0, NULL);
  sp_test_pg_command (conn, "UPDATE pg_class SET reltuples = 0, relpages = 1"
                            " WHERE oid IN ('pratica_numero_idx'::regclass, 'pratica_unassigned_numero_idx'::regclass)",
                      0, NULL);
  for (guint b = 0; b < 2; b++)
    {
      SpBucket bucket = b == 0 ? SP_BUCKET_TUTTE : SP_BUCKET_DA_ASSEGNARE;
      g_autoptr(SpTestPaged) paged = sp_test_dashboard_page_through (env, token_for (RULE_ME), bucket, SP_SORT_APPLICANT,
                                                                     FALSE, "zo", 25, NULL, NULL);

      if (paged->failed_status != 0)
        {
          sp_test_problem (problems, "%s: %s", sp_bucket_to_string (bucket), paged->failure);
          continue;
        }
      if (paged->ids->len != (guint) PQntuples (expected) || paged->counts[bucket] != PQntuples (expected))
        sp_test_problem (problems, "%s: %u rows, count %" G_GINT64_FORMAT ", %d expected", sp_bucket_to_string (bucket),
                         paged->ids->len, paged->counts[bucket], PQntuples (expected));
      for (guint i = 0; i < paged->ids->len && i < (guint) PQntuples (expected); i++)
        if (!g_str_equal (paged->ids->pdata[i], PQgetvalue (expected, (int) i, 0)))
          {
            sp_test_problem (problems, "%s: row %u is %s, expected %s", sp_bucket_to_string (bucket), i,
                             (const char *) paged->ids->pdata[i], PQgetvalue (expected, (int) i, 0));
            break;
          }
    }
  sp_test_pg_command (conn, "DELETE FROM pratica WHERE numero LIKE '2026-W%'", 0, NULL);
  sp_test_pg_command (conn, "ALTER TABLE pratica RESET (autovacuum_enabled)", 0, NULL);
  sp_test_pg_command (conn, "ANALYZE pratica", 0, NULL);
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

  g_test_add_func ("/sportello/dashboard/search/service-name-words", test_service_name_words);
  g_test_add_func ("/sportello/dashboard/search/protocol-number", test_protocol_number);
  g_test_add_func ("/sportello/dashboard/search/short", test_short_searches);
  g_test_add_func ("/sportello/dashboard/search/separators-only", test_separators_only);
  g_test_add_func ("/sportello/dashboard/search/prefix-counts-kept", test_prefix_counts_kept);
  g_test_add_func ("/sportello/dashboard/search/short-walk-gives-up", test_short_walk_gives_up);

  env = sp_test_env_start ();
  conn = sp_test_pg_connect (env);
  tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  status = g_test_run ();
  g_hash_table_unref (tokens);
  g_clear_pointer (&conn, PQfinish);
  for (guint i = 0; i < N_FIXTURES; i++)
    g_free (fixture_ids[i]);
  sp_test_env_stop (env);
  return status;
}
