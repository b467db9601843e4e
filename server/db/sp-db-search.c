/* sp-db-search.c: the dashboard's search: counting the matches and paging them */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-dashboard-sql.h"
#include "sp-db-scope.h"
#include "sp-db-search.h"

/* A pratica matches when every term of the search begins a word of it
 * (pratica_word, see 0006_search_rule.sql: names, codice fiscale, number,
 * protocol number) or of its service's name (sp-db-search-terms.c). The
 * pratiche of the services whose names begin words with every term all
 * match: they are counted by pratica_count (sc) and paged apart, through the
 * sort indexes like a bucket. The others match by their own words ("the
 * matches" below), for all the terms or for those their service's name
 * leaves.
 *
 * The matches are a range of the words' index per group of services (m),
 * counted without reading a pratica (wc). A search of one short term
 * (SpDbSearchTerms.prefix: one or two letters) may begin words of a third of
 * the pratiche: its counts are a sum over pratica_prefix_count instead, and
 * its matches are read only when few.
 *
 * How the page is found depends on how many pratiche match, n, in a bucket
 * whose sort index has N rows:
 * - few matches: read them all by id, sort, keep the page ("fetch");
 * - many: walk the sort index in order, keeping the rows that match, until
 *   the page is full ("walk": about limit × N / n index entries). A row
 *   matches when its id is in a hash of the matches or, for a short term,
 *   when a lookup of its words by its id (pratica_word_pratica_idx) finds
 *   one beginning with it.
 * Reading a pratica costs about as much as WALK_FACTOR / limit index entries
 * of a walk with a hash, or PROBE_WALK_FACTOR / limit with lookups, so
 * walking is cheaper when n² > factor × N. The statement decides, from the
 * counts it has just made (a one-time filter skips the other branch).
 * Sorted by applicant, the matches (which carry the names) are the page
 * without either: a surname's matches sit together in that order, where a
 * walk would find them late.
 *
 * In the operator's own buckets (a few thousand pratiche), a short term's
 * matches are their rows with a lookup of the words each. */
#define WALK_FACTOR "2.4"
#define PROBE_WALK_FACTOR "25"

/* The query being built and what its parts share. */
typedef struct
{
  SpDbQuery        *sql;
  SpDashboardQuery *query;
  SpDbScope        *scope;
  const char       *account_id;
  SpDbSearchTerms  *terms;
  const char       *named;    /* the services whose names begin words with some term, "$n::bigint[]" */
  const char       *whole;    /* … with every term */
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

/* The condition on the words "x" of a pratica whose service's name begins
 * no word with a term: in scope, not of @search->named. */
static char *
unnamed_condition (Search     *search,
                   const char *words)
{
  g_autofree char *column = g_strdup_printf ("%s.servizio_id", words);
  g_autofree char *in_scope = sp_db_scope_condition (search->scope, column);

  return g_strdup_printf ("%s AND NOT %s = ANY (%s)", in_scope, column, search->named);
}

/* One group's matches, with what the counts and the applicant's order
 * need: the pratiche of the services @services (a condition on w.servizio_id)
 * with a word beginning with each of @patterns. */
static void
append_group_matches (Search     *search,
                      GPtrArray  *patterns,
                      const char *services)
{
  SpDbQuery *sql = search->sql;

  sp_db_query_append (sql, "(SELECT DISTINCT w.pratica_id AS id, w.status, w.assigned_to,"
                           "    w.applicant_cognome, w.applicant_nome"
                           "  FROM pratica_word w"
                           "  WHERE w.word LIKE ");
  sp_db_query_append_param (sql, patterns->len > 0 ? patterns->pdata[0] : NULL, "text");
  sp_db_query_append_printf (sql, " AND %s", services);
  /* Every other term, as a range of the same index (its pattern is a
   * constant when planning, so the range is known). */
  for (guint i = 1; i < patterns->len; i++)
    {
      sp_db_query_append (sql, " AND w.pratica_id IN (SELECT x.pratica_id FROM pratica_word x WHERE x.word LIKE ");
      sp_db_query_append_param (sql, patterns->pdata[i], "text");
      sp_db_query_append (sql, ")");
    }
  sp_db_query_append (sql, ")");
}

/* m: the matches, group by group; wc: their counts; sc: those of the
 * services whose names begin words with every term; c: the sums. */
static void
append_matches_and_counts (Search *search)
{
  SpDbQuery *sql = search->sql;
  SpDbSearchTerms *terms = search->terms;
  g_autofree char *unnamed = unnamed_condition (search, "w");

  sp_db_query_append (sql, "WITH m AS MATERIALIZED (");
  append_group_matches (search, terms->patterns, unnamed);
  for (guint i = 0; i < terms->groups->len; i++)
    {
      SpDbSearchGroup *group = terms->groups->pdata[i];
      g_autofree char *services = g_strdup_printf ("w.servizio_id = ANY (%s)",
                                                   sp_db_query_param (sql, group->services, "bigint[]"));

      sp_db_query_append (sql, " UNION ALL ");
      append_group_matches (search, group->patterns, services);
    }

  sp_db_query_append (sql, "), wc AS MATERIALIZED (SELECT ");
  if (terms->prefix != NULL)
    {
      g_autofree char *unnamed_counts = unnamed_condition (search, "pratica_prefix_count");

      sp_db_append_bucket_counts (sql, &sp_db_count_bucket_columns, search->account_id);
      sp_db_query_append (sql, " FROM pratica_prefix_count WHERE prefix = ");
      sp_db_query_append_param (sql, terms->prefix, "text");
      sp_db_query_append_printf (sql, " AND %s", unnamed_counts);
    }
  else
    {
      sp_db_append_bucket_counts (sql, &sp_db_pratica_bucket_columns, search->account_id);
      sp_db_query_append (sql, " FROM m p");
    }
  sp_db_query_append (sql, "), sc AS (SELECT ");
  sp_db_append_bucket_counts (sql, &sp_db_count_bucket_columns, search->account_id);
  sp_db_query_append_printf (sql, " FROM pratica_count WHERE servizio_id = ANY (%s) AND ", search->whole);
  sp_db_scope_append (search->scope, sql, "servizio_id");
  sp_db_query_append (sql, "), c AS (SELECT ");
  for (guint i = 0; i < SP_N_BUCKETS; i++)
    sp_db_query_append_printf (sql, "%swc.n%u + sc.n%u", i > 0 ? ", " : "", i, i);
  sp_db_query_append (sql, " FROM wc, sc)");
}

/* Whether the pratica "p" is among the matches: a lookup of its words, for
 * a short term, else its id in the hash of the bucket's matches (mb). */
static char *
match_condition (Search *search)
{
  g_autofree char *unnamed = NULL;

  if (search->terms->prefix == NULL)
    return g_strdup ("(p.id IN (SELECT mb.id FROM mb)) IS TRUE");
  unnamed = unnamed_condition (search, "x");
  return g_strdup_printf ("(EXISTS (SELECT FROM pratica_word x WHERE x.pratica_id = p.id AND x.word LIKE %s AND %s))"
                          " IS TRUE", sp_db_query_param (search->sql, search->terms->patterns->pdata[0], "text"),
                          unnamed);
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
  g_autofree char *matches = match_condition (search);

  sp_db_query_append_printf (sql, "(WITH mb AS MATERIALIZED (SELECT p.id FROM m p WHERE %s)", bucket);
  /* The index's rows: its statistics scaled to its size now, as the
   * planner does, since a bulk load may have outgrown them. */
  if (walk != NULL)
    sp_db_query_append_printf (sql, ", walk AS (SELECT (SELECT n%u FROM wc)::float8 ^ 2 > %s"
                                    " * CASE WHEN relpages > 0 THEN reltuples / relpages ELSE 100 END"
                                    " * pg_relation_size (oid) / current_setting ('block_size')::float8 AS yes"
                                    " FROM pg_class WHERE oid = '%s'::regclass)",
                               (guint) query->bucket,
                               search->terms->prefix != NULL ? PROBE_WALK_FACTOR : WALK_FACTOR, walk);

  /* Fetch: each match's sort values by its id ("OFFSET 0" keeps the lookup
   * per id: the planner might otherwise walk a sort index, or scan the
   * table, to join them). A short term's matches in the operator's own
   * buckets: their rows, each looked up in the words. */
  sp_db_query_append (sql, ", fetched AS (");
  if (walk == NULL && search->terms->prefix != NULL)
    {
      sp_db_query_append (sql, "SELECT p.id");
      append_sort_values (search, sp_db_sort_expressions (query->sort));
      sp_db_query_append_printf (sql, " FROM pratica p WHERE %s AND %s) SELECT * FROM (", bucket, matches);
    }
  else
    {
      sp_db_query_append (sql, "SELECT f.* FROM mb, LATERAL (SELECT p.id");
      append_sort_values (search, sp_db_sort_expressions (query->sort));
      sp_db_query_append_printf (sql, " FROM pratica p WHERE p.id = mb.id OFFSET 0) f%s) SELECT * FROM (",
                                 walk != NULL ? " WHERE NOT (SELECT yes FROM walk)" : "");
    }
  append_top_branch (search, "fetched p", "TRUE", fetched_values);

  /* Walk: "IS TRUE" keeps the match a filter of the index's rows: a join,
   * which the planner would make of a bare IN or EXISTS, reads every match. */
  if (walk != NULL)
    {
      g_autofree char *condition = g_strdup_printf ("%s AND %s AND (SELECT yes FROM walk)", bucket, matches);

      sp_db_query_append (sql, " UNION ALL ");
      append_top_branch (search, "pratica p", condition, sp_db_sort_expressions (query->sort));
    }
  sp_db_query_append (sql, ") fetched_or_walked)");
}

/**
 * sp_db_search_query:
 * @account_id: the operator asking
 * @terms: the search's terms, and the services whose names begin words with them
 *
 * Returns: (transfer full): one statement giving the four counts (n0…n3)
 *   and, joined to them, the rows of the page (SP_DB_SUMMARY_COLUMNS and the
 *   sort values as text), NULLs when the page is empty
 */
SpDbQuery *
sp_db_search_query (SpDashboardQuery *query,
                    const char       *account_id,
                    SpDbSearchTerms  *terms)
{
  static const char * const top_values[] = { "top.s0", "top.s1" };
  g_autoptr(SpDbQuery) sql = sp_db_query_new (NULL);
  g_autoptr(SpDbScope) scope = sp_db_scope_new_in (query->principal, sql);
  Search search = { sql, query, scope, account_id, terms, sp_db_query_param (sql, terms->named_services, "bigint[]"),
                    sp_db_query_param (sql, terms->whole_services, "bigint[]") };
  g_autofree char *bucket = sp_db_bucket_condition (sql, query->bucket, &sp_db_pratica_bucket_columns, account_id);

  append_matches_and_counts (&search);
  sp_db_query_append (sql, ", top AS (");
  /* The matches carry the applicant's names: sorted by them, they are the
   * page, unless they are a short term's, which are not read. */
  if (query->sort == SP_SORT_APPLICANT && terms->prefix == NULL)
    append_top_branch (&search, "m p", bucket, sp_db_sort_expressions (query->sort));
  else
    append_fetch_or_walk (&search);
  if (!g_str_equal (terms->whole_services, "{}"))
    {
      g_autofree char *in_scope = sp_db_scope_condition (scope, "p.servizio_id");
      g_autofree char *condition = g_strdup_printf ("%s AND p.servizio_id = ANY (%s) AND %s", bucket,
                                                    search.whole, in_scope);

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
