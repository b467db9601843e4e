/* sp-db-search-prefix.c: the page of a search of one short term, whose matches are too many to read */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-dashboard-sql.h"
#include "sp-db-search-private.h"

/* A term of one or two letters (SpDbSearchTerms.prefix) begins words of a
 * large part of the pratiche: a third of a million for "m". Its counts are
 * sums over pratica_prefix_count and pratica_prefix_assigned (sp-db-search.c);
 * its page is found without reading its matches: each candidate row's bits
 * (the beginnings of its words, which the sort indexes carry) must fit the
 * term's, and those that do are looked up in the words by id
 * (pratica_word_pratica_idx, an index-only lookup of a few microseconds,
 * which also tells the pratica's service):
 * - in the operator's own buckets, the candidates are their few thousand rows;
 * - in the others, a walk of the bucket's sort index in order, until the
 *   page is full: about limit × N / n rows for n matches among N.
 * Matches may sit together in the sort order, far from where the walk
 * begins: "co" in the applicant's (Colombo, Conti, Costa…), or "ma" among
 * the first names sorted under each surname. A walk reads at most a quarter
 * as many rows as there are matches (reading the matches instead costs more
 * than that), between WALK_CAP_MIN and WALK_CAP_MAX. When the walk ends there
 * with the page not full, or when the matches are few (n² ≤
 * SP_DB_SEARCH_PROBE_WALK_FACTOR × N), they are read instead ("fetch", as
 * for longer searches): those of the term's range of the words' index (m),
 * and the pratiche of the services whose names begin a word with the term. */
#define WALK_CAP_MIN "1000"
#define WALK_CAP_MAX "50000"

/* Whether the pratica "p" matches: the beginnings of its words as bits
 * (search_initials, 0011_search_initials.sql, which the sort indexes
 * carry) must have the term's, or its service's name begin a word with the
 * term; only then a lookup of its words by its id ("OFFSET 0" keeps it one:
 * the planner would make a bare EXISTS a join, or a hash of every match). */
static char *
match_condition (SpDbSearch *search)
{
  g_autofree char *unnamed = sp_db_search_unnamed_condition (search, "x");
  g_autofree char *in_scope = sp_db_scope_condition (search->scope, "x.servizio_id");
  g_autofree char *initials = NULL;
  const char *term = sp_db_query_param (search->sql, search->terms->prefix, "text");
  const char *pattern = sp_db_query_param (search->sql, search->terms->patterns->pdata[0], "text");

  initials = g_strdup_printf ("p.search_initials & search_prefix_bits (%s) = search_prefix_bits (%s)", term, term);
  if (g_str_equal (search->terms->whole_services, "{}"))
    return g_strdup_printf ("%s AND EXISTS (SELECT FROM pratica_word x WHERE x.pratica_id = p.id AND x.word LIKE %s"
                            " AND %s OFFSET 0)", initials, pattern, unnamed);
  return g_strdup_printf ("(%s OR p.servizio_id = ANY (%s)) AND EXISTS (SELECT FROM pratica_word x"
                          " WHERE x.pratica_id = p.id AND (x.servizio_id = ANY (%s) AND %s OR x.word LIKE %s AND %s)"
                          " OFFSET 0)", initials, search->whole, search->whole, in_scope, pattern, unnamed);
}

/* ", walked AS (…)": the page among the first rows of the walk (its cap),
 * when walking (an index-only scan, each row looked up as it is read: the
 * outer LIMIT stops the walk). */
static void
append_walked (SpDbSearch *search,
               const char *matches)
{
  static const char * const walked_values[] = { "w.s0", "w.s1" };
  SpDbQuery *sql = search->sql;
  const char * const *values = sp_db_sort_expressions (search->query->sort);

  sp_db_query_append (sql, ", walked AS MATERIALIZED (SELECT w.id");
  for (guint i = 0; i < sp_sort_key_n_values (search->query->sort); i++)
    sp_db_query_append_printf (sql, ", w.s%u", i);
  sp_db_query_append (sql, " FROM (SELECT p.id");
  sp_db_search_append_sort_values (search, values);
  sp_db_query_append_printf (sql, ", %s AS hit FROM pratica p WHERE %s AND (SELECT yes FROM walk)", matches,
                             search->bucket);
  sp_db_append_after_cursor (sql, search->query, values, "p.id");
  sp_db_append_order (sql, search->query, values, "p.id");
  sp_db_query_append (sql, " LIMIT (SELECT rows FROM cap)) w WHERE w.hit");
  sp_db_append_order_limit (sql, search->query, walked_values, "w.id");
  sp_db_query_append (sql, ")");
}

/* ", complete AS (…)": whether the walk gave the page: full, or the bucket
 * (after the cursor) has no row past those it read. */
static void
append_complete (SpDbSearch *search)
{
  SpDbQuery *sql = search->sql;
  const char * const *values = sp_db_sort_expressions (search->query->sort);
  g_autofree char *limit = g_strdup_printf ("%u", search->query->limit);

  sp_db_query_append (sql, ", complete AS (SELECT (SELECT yes FROM walk) AND ((SELECT count (*) FROM walked) > ");
  sp_db_query_append_param (sql, limit, "integer");
  sp_db_query_append_printf (sql, " OR NOT EXISTS (SELECT FROM pratica p WHERE %s", search->bucket);
  sp_db_append_after_cursor (sql, search->query, values, "p.id");
  sp_db_append_order (sql, search->query, values, "p.id");
  sp_db_query_append (sql, " OFFSET (SELECT rows FROM cap) LIMIT 1)) AS yes)");
}

/* The page of a bucket with a sort index: walked, or fetched when the walk
 * does not give it (see the top of this file). */
static void
append_walk_or_fetch (SpDbSearch *search,
                      const char *walk,
                      const char *matches)
{
  static const char * const fetched_values[] = { "p.s0", "p.s1" };
  SpDbQuery *sql = search->sql;
  const char * const *values = sp_db_sort_expressions (search->query->sort);
  g_autofree char *count = g_strdup_printf ("SELECT n%u FROM c", (guint) search->query->bucket);
  g_autofree char *unfetched = g_strdup_printf ("%s AND NOT (SELECT yes FROM complete)", search->bucket);

  sp_db_query_append (sql, "(WITH mb AS MATERIALIZED (SELECT p.id FROM m p WHERE ");
  sp_db_query_append_printf (sql, "%s)", search->bucket);
  sp_db_search_append_walk_decision (search, walk, count, SP_DB_SEARCH_PROBE_WALK_FACTOR);
  sp_db_query_append_printf (sql, ", cap AS (SELECT least (" WALK_CAP_MAX ", greatest (" WALK_CAP_MIN ", (%s) / 4)) AS rows)",
                             count);
  append_walked (search, matches);
  append_complete (search);
  sp_db_search_append_fetched (search, "NOT (SELECT yes FROM complete)");
  sp_db_query_append (sql, " SELECT * FROM ((SELECT * FROM walked WHERE (SELECT yes FROM complete)) UNION ALL ");

  /* The matches carry the applicant's names: sorted by them, they are the
   * fetched page without reading a pratica. */
  if (search->query->sort == SP_SORT_APPLICANT)
    sp_db_search_append_top_branch (search, "m p", unfetched, values);
  else
    sp_db_search_append_top_branch (search, "fetched p", "TRUE", fetched_values);
  if (!g_str_equal (search->terms->whole_services, "{}"))
    {
      g_autofree char *in_scope = sp_db_scope_condition (search->scope, "p.servizio_id");
      g_autofree char *condition = g_strdup_printf ("%s AND p.servizio_id = ANY (%s) AND %s", unfetched,
                                                    search->whole, in_scope);

      sp_db_query_append (sql, " UNION ALL ");
      sp_db_search_append_top_branch (search, "pratica p", condition, values);
    }
  sp_db_query_append (sql, ") walked_or_fetched)");
}

/**
 * sp_db_search_append_prefix_page:
 *
 * Appends, as the body of "top", the page of a search of one short term.
 */
void
sp_db_search_append_prefix_page (SpDbSearch *search)
{
  const char *walk = sp_db_search_walk_index (search->query->bucket);
  g_autofree char *matches = match_condition (search);

  if (walk != NULL)
    append_walk_or_fetch (search, walk, matches);
  else
    {
      g_autofree char *condition = g_strdup_printf ("%s AND %s", search->bucket, matches);

      sp_db_search_append_top_branch (search, "pratica p", condition, sp_db_sort_expressions (search->query->sort));
    }
}
