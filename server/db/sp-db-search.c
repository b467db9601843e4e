/* sp-db-search.c: the dashboard's search: counting the matches from the words' index and paging them */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include <string.h>

#include "sp-db-dashboard-sql.h"
#include "sp-db-scope.h"
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
 *   (likely the rarest) first: it is the one read from the index; none
 *   (%NULL) when @search is only separators
 */
SpDbSearchTerms *
sp_db_search_terms_new (const char *search)
{
  SpDbSearchTerms *terms = g_new0 (SpDbSearchTerms, 1);
  g_autoptr(GPtrArray) words = split_terms (search);

  terms->other_patterns = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_sort (words, longest_first);
  for (guint i = 0; i < words->len; i++)
    {
      char *pattern = prefix_pattern (words->pdata[i]);

      if (i == 0)
        terms->first_pattern = pattern;
      else
        g_ptr_array_add (terms->other_patterns, pattern);
    }
  return terms;
}

void
sp_db_search_terms_free (SpDbSearchTerms *terms)
{
  if (terms == NULL)
    return;
  g_free (terms->first_pattern);
  g_ptr_array_unref (terms->other_patterns);
  g_free (terms);
}

/* The query being built and what its parts share. */
typedef struct
{
  SpDbQuery        *sql;
  SpDashboardQuery *query;
  SpDbScope        *scope;
  const char       *account_id;
  const char       *matching;    /* the services whose name matches, "$n::bigint[]" */
} Search;

/* ", v0 AS s0, v1 AS s1": the sort values, named as "top" has them. */
static void
append_sort_values (Search             *search,
                    const char * const *values)
{
  for (guint i = 0; i < sp_sort_key_n_values (search->query->sort); i++)
    sp_db_query_append_printf (search->sql, ", %s AS s%u", values[i], i);
}

/* One branch of "top": the page's ids and sort values (@values) among rows
 * "p" of @from that meet @condition, after the cursor, in order. */
static void
append_top_branch (Search             *search,
                   const char         *from,
                   const char         *condition,
                   const char * const *values)
{
  sp_db_query_append (search->sql, "(SELECT p.id");
  append_sort_values (search, values);
  sp_db_query_append_printf (search->sql, " FROM %s WHERE %s", from, condition);
  sp_db_append_after_cursor (search->sql, search->query, values, "p.id");
  sp_db_append_order_limit (search->sql, search->query, values, "p.id");
  sp_db_query_append (search->sql, ")");
}

/* The rows of the bucket's sort indexes (see 0002_dashboard.sql): a walk of
 * one of them reads about limit × these / matches entries. */
static const char *
walk_index (SpBucket bucket)
{
  switch (sp_bucket_get_assignee (bucket))
    {
    case SP_ASSIGNEE_ANYONE:
      return "pratica_numero_idx";
    case SP_ASSIGNEE_NOBODY:
      return "pratica_unassigned_numero_idx";
    case SP_ASSIGNEE_ME:
    default:
      return NULL; /* the operator's own pratiche: always few, always fetched */
    }
}

/* m: the pratiche with a word beginning with the first term and, for every
 * other term, a word beginning with it, with what the counts and the
 * applicant's order need; those of the services whose name matches are
 * counted by pratica_count (sc) and paged apart. c: the counts. */
static void
append_matches_and_counts (Search          *search,
                           SpDbSearchTerms *terms)
{
  SpDbQuery *sql = search->sql;

  sp_db_query_append (sql, "WITH m AS MATERIALIZED (SELECT DISTINCT w.pratica_id AS id, w.status, w.assigned_to,"
                           "    w.applicant_cognome, w.applicant_nome"
                           "  FROM pratica_word w"
                           "  WHERE w.word LIKE ");
  sp_db_query_append_param (sql, terms->first_pattern, "text");
  sp_db_query_append (sql, " AND ");
  sp_db_scope_append (search->scope, sql, "w.servizio_id");
  sp_db_query_append_printf (sql, " AND NOT w.servizio_id = ANY (%s)", search->matching);
  /* Every other term, as a range of the same index (its pattern is a
   * constant when planning, so the range is known). */
  for (guint i = 0; i < terms->other_patterns->len; i++)
    {
      sp_db_query_append (sql, " AND w.pratica_id IN (SELECT x.pratica_id FROM pratica_word x WHERE x.word LIKE ");
      sp_db_query_append_param (sql, terms->other_patterns->pdata[i], "text");
      sp_db_query_append (sql, " AND ");
      sp_db_scope_append (search->scope, sql, "x.servizio_id");
      sp_db_query_append (sql, ")");
    }
  sp_db_query_append (sql, "), wc AS MATERIALIZED (SELECT ");
  sp_db_append_bucket_counts (sql, &sp_db_pratica_bucket_columns, search->account_id);
  sp_db_query_append (sql, " FROM m p), sc AS (SELECT ");
  sp_db_append_bucket_counts (sql, &sp_db_count_bucket_columns, search->account_id);
  sp_db_query_append_printf (sql, " FROM pratica_count WHERE servizio_id = ANY (%s) AND ", search->matching);
  sp_db_scope_append (search->scope, sql, "servizio_id");
  sp_db_query_append (sql, "), c AS (SELECT ");
  for (guint i = 0; i < SP_N_BUCKETS; i++)
    sp_db_query_append_printf (sql, "%swc.n%u + sc.n%u", i > 0 ? ", " : "", i, i);
  sp_db_query_append (sql, " FROM wc, sc)");
}

/* The page among the matches of the bucket (mb), fetched or walked (see the
 * top of this file), as a parenthesized query with its own WITH. */
static void
append_fetch_or_walk (Search *search)
{
  static const char * const fetched_values[] = { "p.s0", "p.s1" };
  SpDbQuery *sql = search->sql;
  SpDashboardQuery *query = search->query;
  const char *walk = walk_index (query->bucket);
  g_autofree char *bucket = sp_db_bucket_condition (sql, query->bucket, &sp_db_pratica_bucket_columns,
                                                    search->account_id);

  sp_db_query_append_printf (sql, "(WITH mb AS MATERIALIZED (SELECT p.id FROM m p WHERE %s)", bucket);
  /* The index's rows: its statistics scaled to its size now, as the
   * planner does, since a bulk load may have outgrown them. */
  if (walk != NULL)
    sp_db_query_append_printf (sql, ", walk AS (SELECT (SELECT n%u FROM wc)::float8 ^ 2 > " WALK_FACTOR
                                    " * CASE WHEN relpages > 0 THEN reltuples / relpages ELSE 100 END"
                                    " * pg_relation_size (oid) / current_setting ('block_size')::float8 AS yes"
                                    " FROM pg_class WHERE oid = '%s'::regclass)",
                               (guint) query->bucket, walk);

  /* Fetch: each match's sort values by its id ("OFFSET 0" keeps the lookup
   * per id: the planner might otherwise walk a sort index, or scan the
   * table, to join them). */
  sp_db_query_append (sql, ", fetched AS (SELECT f.* FROM mb, LATERAL (SELECT p.id");
  append_sort_values (search, sp_db_sort_expressions (query->sort));
  sp_db_query_append_printf (sql, " FROM pratica p WHERE p.id = mb.id OFFSET 0) f%s) SELECT * FROM (",
                             walk != NULL ? " WHERE NOT (SELECT yes FROM walk)" : "");
  append_top_branch (search, "fetched p", "TRUE", fetched_values);

  /* Walk: "IS TRUE" keeps the IN a (hashed) filter of the index's rows: a
   * join, which the planner would make of a bare IN, reads every match. */
  if (walk != NULL)
    {
      g_autofree char *condition = g_strdup_printf ("%s AND (p.id IN (SELECT mb.id FROM mb)) IS TRUE"
                                                    " AND (SELECT yes FROM walk)", bucket);

      sp_db_query_append (sql, " UNION ALL ");
      append_top_branch (search, "pratica p", condition, sp_db_sort_expressions (query->sort));
    }
  sp_db_query_append (sql, ") fetched_or_walked)");
}

/**
 * sp_db_search_query:
 * @account_id: the operator asking
 * @terms: the search's terms
 * @matching_services: the services whose name contains the search, as a
 *   bigint[] literal
 *
 * Returns: (transfer full): one statement giving the four counts (n0…n3)
 *   and, joined to them, the rows of the page (SP_DB_SUMMARY_COLUMNS and the
 *   sort values as text), NULLs when the page is empty
 */
SpDbQuery *
sp_db_search_query (SpDashboardQuery *query,
                    const char       *account_id,
                    SpDbSearchTerms  *terms,
                    const char       *matching_services)
{
  static const char * const top_values[] = { "top.s0", "top.s1" };
  g_autoptr(SpDbQuery) sql = sp_db_query_new (NULL);
  g_autoptr(SpDbScope) scope = sp_db_scope_new_in (query->principal, sql);
  Search search = { sql, query, scope, account_id, sp_db_query_param (sql, matching_services, "bigint[]") };
  g_autofree char *bucket = sp_db_bucket_condition (sql, query->bucket, &sp_db_pratica_bucket_columns, account_id);

  append_matches_and_counts (&search, terms);
  sp_db_query_append (sql, ", top AS (");
  /* The matches carry the applicant's names: sorted by them, they are the page. */
  if (query->sort == SP_SORT_APPLICANT)
    append_top_branch (&search, "m p", bucket, sp_db_sort_expressions (query->sort));
  else
    append_fetch_or_walk (&search);
  if (!g_str_equal (matching_services, "{}"))
    {
      g_autofree char *in_scope = sp_db_scope_condition (scope, "p.servizio_id");
      g_autofree char *condition = g_strdup_printf ("%s AND p.servizio_id = ANY (%s) AND %s",
                                                    bucket, search.matching, in_scope);

      sp_db_query_append (sql, " UNION ALL ");
      append_top_branch (&search, "pratica p", condition, sp_db_sort_expressions (query->sort));
    }
  sp_db_query_append (sql, ") ");

  sp_db_query_append (sql, "SELECT c.*, page.* FROM c LEFT JOIN LATERAL (SELECT " SP_DB_SUMMARY_COLUMNS);
  for (guint i = 0; i < sp_sort_key_n_values (query->sort); i++)
    sp_db_query_append_printf (sql, ", (%s)::text", top_values[i]);
  sp_db_query_append (sql, " FROM top JOIN pratica p ON p.id = top.id JOIN servizio sv ON sv.id = p.servizio_id"
                           " LEFT JOIN account a ON a.id = p.assigned_to");
  sp_db_append_order_limit (sql, query, top_values, "top.id");
  sp_db_query_append (sql, ") page ON TRUE");
  return g_steal_pointer (&sql);
}
