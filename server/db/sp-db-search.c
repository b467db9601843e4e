/* sp-db-search.c: the dashboard's search: counting the matches from the words' index and paging them */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <string.h>

#include "sp-db-dashboard-sql.h"
#include "sp-db-search.h"

/* A pratica matches when every term of the search begins one of its words
 * (pratica_word, see 0003_search_words.sql: surname, name, codice fiscale,
 * number), or when the whole search is part of its service's name.
 *
 * How the page is found depends on how many pratiche match, n, in a bucket
 * whose sort index has N rows:
 * - few matches: read them all by id, sort, keep the page ("fetch");
 * - many: walk the sort index in order, alone, keeping the rows whose id is
 *   among the matches (a hash of them), until the page is full ("walk": about
 *   limit × N / n index entries).
 * Reading a pratica costs about as much as WALK_FACTOR / limit index entries,
 * so walking is cheaper when n² > WALK_FACTOR × N. The statement decides,
 * from the counts it has just made (a one-time filter skips the other branch).
 * Sorted by applicant, the matches (which carry the names) are the page
 * without either: a surname's matches sit together in that order, where a
 * walk would find them late. */
#define WALK_FACTOR "2.4"

/* The search's terms: split at white space and apostrophes, as
 * pratica_search_words() splits names. @search is lower case already. */
static GPtrArray *
split_terms (const char *search)
{
  g_auto(GStrv) quotes = g_strsplit (search, "’", -1);
  g_autofree char *plain = g_strjoinv ("'", quotes);
  g_auto(GStrv) words = g_strsplit_set (plain, " \t\r\n'", -1);
  GPtrArray *terms = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (terms, g_strdup (words[i]));
  return terms;
}

/* "term%": the words that begin with @term, its LIKE wildcards escaped. */
static char *
prefix_pattern (const char *term)
{
  GString *pattern = g_string_new (NULL);

  for (const char *c = term; *c != '\0'; c++)
    {
      if (*c == '%' || *c == '_' || *c == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *c);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

/* {"a","b\\c"}: @values as a text[] literal. */
static char *
text_array_literal (GPtrArray *values)
{
  GString *literal = g_string_new ("{");

  for (guint i = 0; i < values->len; i++)
    {
      g_string_append (literal, i > 0 ? ",\"" : "\"");
      for (const char *c = values->pdata[i]; *c != '\0'; c++)
        {
          if (*c == '"' || *c == '\\')
            g_string_append_c (literal, '\\');
          g_string_append_c (literal, *c);
        }
      g_string_append_c (literal, '"');
    }
  g_string_append_c (literal, '}');
  return g_string_free (literal, FALSE);
}

static gint
longest_first (gconstpointer a,
               gconstpointer b)
{
  glong length_a = g_utf8_strlen (*(const char * const *) a, -1);
  glong length_b = g_utf8_strlen (*(const char * const *) b, -1);

  return (length_b > length_a) - (length_b < length_a);
}

/**
 * sp_db_search_terms_new:
 * @search: the normalized search (lower case, trimmed)
 *
 * Returns: (transfer full): the patterns of @search's terms, the longest
 *   (likely the rarest) first: it is the one read from the index
 */
SpDbSearchTerms *
sp_db_search_terms_new (const char *search)
{
  SpDbSearchTerms *terms = g_new0 (SpDbSearchTerms, 1);
  g_autoptr(GPtrArray) words = split_terms (search);
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_sort (words, longest_first);
  for (guint i = 0; i < words->len; i++)
    {
      char *pattern = prefix_pattern (words->pdata[i]);

      if (i == 0)
        terms->first_pattern = pattern;
      else
        g_ptr_array_add (others, pattern);
    }
  terms->other_patterns = text_array_literal (others);
  terms->n_other_terms = others->len;
  return terms;
}

void
sp_db_search_terms_free (SpDbSearchTerms *terms)
{
  if (terms == NULL)
    return;
  g_free (terms->first_pattern);
  g_free (terms->other_patterns);
  g_free (terms);
}

/* ", v0 AS s0, v1 AS s1": the sort values, named as "top" has them. */
static void
append_sort_values (GString            *sql,
                    SpDashboardQuery   *query,
                    const char * const *values)
{
  for (guint i = 0; i < sp_sort_key_n_values (query->sort); i++)
    g_string_append_printf (sql, ", %s AS s%u", values[i], i);
}

/* One branch of "top": the page's ids and sort values (@values) among rows
 * "p" of @from that meet @condition, after the cursor, in order. */
static void
append_top_branch (GString            *sql,
                   SpDashboardQuery   *query,
                   const char         *from,
                   const char         *condition,
                   const char * const *values,
                   guint               limit_param)
{
  guint next_param = SP_DB_SEARCH_N_PARAMS + 1;

  g_string_append (sql, "(SELECT p.id");
  append_sort_values (sql, query, values);
  g_string_append_printf (sql, " FROM %s WHERE %s", from, condition);
  sp_db_append_after_cursor (sql, query, values, "p.id", &next_param);
  sp_db_append_order_limit (sql, query, values, "p.id", limit_param);
  g_string_append (sql, ")");
}

/* The rows of the bucket's sort indexes (see 0002_dashboard.sql): a walk of
 * one of them reads about limit × these / matches entries. */
static const char *
walk_index (SpBucket bucket)
{
  switch (bucket)
    {
    case SP_BUCKET_TUTTE:
      return "pratica_numero_idx";
    case SP_BUCKET_DA_ASSEGNARE:
      return "pratica_unassigned_numero_idx";
    case SP_BUCKET_DA_GESTIRE:
    case SP_BUCKET_CONCLUSE:
    case SP_N_BUCKETS:
    default:
      return NULL; /* the operator's own pratiche: always few, always fetched */
    }
}

/* m: the pratiche with a word beginning with the first term and, for every
 * other term, a word beginning with it, with what the counts and the
 * applicant's order need; those of the services whose name matches are
 * counted by pratica_count (sc) and paged apart. c: the counts. */
static void
append_matches_and_counts (GString         *sql,
                           const SpDbScope *scope,
                           SpDbSearchTerms *terms)
{
  g_autofree char *in_w = sp_db_scope_condition (scope, "w.servizio_id");
  g_autofree char *in_x = sp_db_scope_condition (scope, "x.servizio_id");
  g_autofree char *in_count = sp_db_scope_condition (scope, "servizio_id");

  g_string_append_printf (sql,
                          "WITH m AS MATERIALIZED (SELECT DISTINCT w.pratica_id AS id, w.status, w.assigned_to,"
                          "    w.applicant_cognome, w.applicant_nome"
                          "  FROM pratica_word w"
                          "  WHERE w.word LIKE $3::text AND %s"
                          "    AND NOT w.servizio_id = ANY ($4::bigint[])", in_w);
  /* Every other term, as a range of the same index ("[i]" of a parameter
   * folds into a constant, so the range is known when planning). */
  for (guint i = 1; i <= terms->n_other_terms; i++)
    g_string_append_printf (sql, " AND w.pratica_id IN (SELECT x.pratica_id FROM pratica_word x"
                                 "  WHERE x.word LIKE ($5::text[])[%u] AND %s)", i, in_x);
  if (terms->n_other_terms == 0)
    g_string_append (sql, " AND $5::text[] IS NOT NULL");
  g_string_append_printf (sql, "),"
                          " wc AS MATERIALIZED (SELECT " SP_DB_COUNT_COLUMNS " FROM m p),"
                          " sc AS (SELECT " SP_DB_SUM_COUNT_COLUMNS " FROM pratica_count"
                          "        WHERE servizio_id = ANY ($4::bigint[]) AND %s),"
                          " c AS (SELECT wc.n0 + sc.n0, wc.n1 + sc.n1, wc.n2 + sc.n2, wc.n3 + sc.n3 FROM wc, sc)", in_count);
}

/* The page among the matches of the bucket (mb), fetched or walked (see the
 * top of this file), as a parenthesized query with its own WITH. */
static void
append_fetch_or_walk (GString          *sql,
                      SpDashboardQuery *query,
                      guint             limit_param)
{
  static const char * const fetched_values[] = { "p.s0", "p.s1" };
  const char *walk = walk_index (query->bucket);
  const char *bucket = sp_db_bucket_condition (query->bucket);

  g_string_append_printf (sql, "(WITH mb AS MATERIALIZED (SELECT p.id FROM m p WHERE %s)", bucket);
  /* The index's rows: its statistics scaled to its size now, as the
   * planner does, since a bulk load may have outgrown them. */
  if (walk != NULL)
    g_string_append_printf (sql, ", walk AS (SELECT (SELECT n%u FROM wc)::float8 ^ 2 > " WALK_FACTOR
                                 " * CASE WHEN relpages > 0 THEN reltuples / relpages ELSE 100 END"
                                 " * pg_relation_size (oid) / current_setting ('block_size')::float8 AS yes"
                                 " FROM pg_class WHERE oid = '%s'::regclass)",
                            (guint) query->bucket, walk);

  /* Fetch: each match's sort values by its id ("OFFSET 0" keeps the lookup
   * per id: the planner might otherwise walk a sort index, or scan the
   * table, to join them). */
  g_string_append (sql, ", fetched AS (SELECT f.* FROM mb, LATERAL (SELECT p.id");
  append_sort_values (sql, query, sp_db_sort_expressions (query->sort));
  g_string_append_printf (sql, " FROM pratica p WHERE p.id = mb.id OFFSET 0) f%s) SELECT * FROM (",
                          walk != NULL ? " WHERE NOT (SELECT yes FROM walk)" : "");
  append_top_branch (sql, query, "fetched p", "TRUE", fetched_values, limit_param);

  /* Walk: "IS TRUE" keeps the IN a (hashed) filter of the index's rows: a
   * join, which the planner would make of a bare IN, reads every match. */
  if (walk != NULL)
    {
      g_autofree char *condition = g_strdup_printf ("%s AND (p.id IN (SELECT mb.id FROM mb)) IS TRUE"
                                                    " AND (SELECT yes FROM walk)", bucket);

      g_string_append (sql, " UNION ALL ");
      append_top_branch (sql, query, "pratica p", condition, sp_db_sort_expressions (query->sort), limit_param);
    }
  g_string_append (sql, ") fetched_or_walked)");
}

/**
 * sp_db_search_sql:
 * @scope: the principal's scope ($1)
 * @terms: the search's terms ($3 and $5)
 * @with_services: whether some services' names match the search ($4 not empty)
 *
 * Returns: one statement giving the four counts (n0…n3) and, joined to
 *   them, the rows of the page (SP_DB_SUMMARY_COLUMNS and the sort values as
 *   text), NULLs when the page is empty
 */
char *
sp_db_search_sql (SpDashboardQuery *query,
                  const SpDbScope  *scope,
                  SpDbSearchTerms  *terms,
                  gboolean          with_services)
{
  static const char * const top_values[] = { "top.s0", "top.s1" };
  GString *sql = g_string_new (NULL);
  guint limit_param = SP_DB_SEARCH_N_PARAMS + 1
                      + (query->cursor != NULL ? sp_sort_key_n_values (query->sort) + 1 : 0);

  append_matches_and_counts (sql, scope, terms);
  g_string_append (sql, ", top AS (");
  /* The matches carry the applicant's names: sorted by them, they are the page. */
  if (query->sort == SP_SORT_APPLICANT)
    append_top_branch (sql, query, "m p", sp_db_bucket_condition (query->bucket),
                       sp_db_sort_expressions (query->sort), limit_param);
  else
    append_fetch_or_walk (sql, query, limit_param);
  if (with_services)
    {
      g_autofree char *in_scope = sp_db_scope_condition (scope, "p.servizio_id");
      g_autofree char *condition = g_strdup_printf ("%s AND p.servizio_id = ANY ($4::bigint[]) AND %s",
                                                    sp_db_bucket_condition (query->bucket), in_scope);

      g_string_append (sql, " UNION ALL ");
      append_top_branch (sql, query, "pratica p", condition, sp_db_sort_expressions (query->sort), limit_param);
    }
  g_string_append (sql, ") ");

  g_string_append (sql, "SELECT c.*, page.* FROM c LEFT JOIN LATERAL (SELECT " SP_DB_SUMMARY_COLUMNS);
  for (guint i = 0; i < sp_sort_key_n_values (query->sort); i++)
    g_string_append_printf (sql, ", (%s)::text", top_values[i]);
  g_string_append (sql, " FROM top JOIN pratica p ON p.id = top.id JOIN servizio sv ON sv.id = p.servizio_id"
                        " LEFT JOIN account a ON a.id = p.assigned_to");
  sp_db_append_order_limit (sql, query, top_values, "top.id", limit_param);
  g_string_append (sql, ") page ON TRUE");
  return g_string_free (sql, FALSE);
}
