/* sp-db-search.c: the dashboard's search: counting the matches and paging them */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-dashboard-sql.h"
#include "sp-db-search-private.h"
#include "sp-db-search.h"

/* A pratica matches when every term of the search begins a word of it
 * (pratica_word, see 0006_search_rule.sql: names, codice fiscale, number,
 * protocol number) or of its service's name (sp-db-search-terms.c). The
 * pratiche of the services whose names begin words with every term all
 * match: they are counted by pratica_count (sc) and paged apart, through the
 * sort indexes like a bucket. The others match by their own words ("the
 * matches" below), for all the terms or for those their service's name
 * leaves: one range of the words' index per group of services (m), counted
 * without reading a pratica (wc).
 *
 * How the page is found depends on how many pratiche match, n, in a bucket
 * whose sort index has N rows:
 * - few matches: read them all by id, sort, keep the page ("fetch");
 * - many: walk the sort index in order, alone, keeping the rows whose id is
 *   among the matches (a hash of them), until the page is full ("walk": about
 *   limit × N / n index entries).
 * Walking is cheaper when n² > SP_DB_SEARCH_WALK_FACTOR × N. The statement
 * decides, from the counts it has just made (a one-time filter skips the
 * other branch). Sorted by applicant, the matches (which carry the names)
 * are the page without either: a surname's matches sit together in that
 * order, where a walk would find them late.
 *
 * A search of one short term (SpDbSearchTerms.prefix) may begin words of a
 * third of the pratiche: it is counted and paged otherwise
 * (sp-db-search-prefix.c). */

/* ", v0 AS s0, v1 AS s1": the sort values, named as "top" has them. */
void
sp_db_search_append_sort_values (SpDbSearch         *search,
                                 const char * const *values)
{
  for (guint i = 0; i < sp_sort_key_n_values (search->query->sort); i++)
    sp_db_query_append_printf (search->sql, ", %s AS s%u", values[i], i);
}

/* One branch of "top": the page's ids and sort values (@values) among rows
 * "p" of @from that meet @condition, after the cursor, in order. */
void
sp_db_search_append_top_branch (SpDbSearch         *search,
                                const char         *from,
                                const char         *condition,
                                const char * const *values)
{
  sp_db_query_append (search->sql, "(SELECT p.id");
  sp_db_search_append_sort_values (search, values);
  sp_db_query_append_printf (search->sql, " FROM %s WHERE %s", from, condition);
  sp_db_append_after_cursor (search->sql, search->query, values, "p.id");
  sp_db_append_order_limit (search->sql, search->query, values, "p.id");
  sp_db_query_append (search->sql, ")");
}

/* ", fetched AS (…)": the sort values of each match of the bucket (mb) by
 * its id, when @condition holds ("OFFSET 0" keeps the lookup per id: the
 * planner might otherwise walk a sort index, or scan the table, to join them). */
void
sp_db_search_append_fetched (SpDbSearch *search,
                             const char *condition)
{
  sp_db_query_append (search->sql, ", fetched AS (SELECT f.* FROM mb, LATERAL (SELECT p.id");
  sp_db_search_append_sort_values (search, sp_db_sort_expressions (search->query->sort));
  sp_db_query_append_printf (search->sql, " FROM pratica p WHERE p.id = mb.id OFFSET 0) f WHERE %s)", condition);
}

/* ", walk AS (…)": whether walking @index beats fetching @count matches
 * (an SQL expression), reading each at the cost of @factor / limit index
 * entries of the walk. The index's rows: its statistics scaled to its size
 * now, as the planner does, since a bulk load may have outgrown them. */
void
sp_db_search_append_walk_decision (SpDbSearch *search,
                                   const char *index,
                                   const char *count,
                                   const char *factor)
{
  sp_db_query_append_printf (search->sql, ", walk AS (SELECT (%s)::float8 ^ 2 > %s"
                                          " * CASE WHEN relpages > 0 THEN reltuples / relpages ELSE 100 END"
                                          " * pg_relation_size (oid) / current_setting ('block_size')::float8 AS yes"
                                          " FROM pg_class WHERE oid = '%s'::regclass)",
                             count, factor, index);
}

/* Returns: the sort index of the bucket (see 0002_dashboard.sql) whose rows
 * a walk is measured against, or %NULL for the operator's own buckets:
 * always few, never walked */
const char *
sp_db_search_walk_index (SpBucket bucket)
{
  switch (sp_bucket_get_assignee (bucket))
    {
    case SP_ASSIGNEE_ANYONE:
      return "pratica_numero_idx";
    case SP_ASSIGNEE_NOBODY:
      return "pratica_unassigned_numero_idx";
    case SP_ASSIGNEE_ME:
    default:
      return NULL;
    }
}

/* Returns: the condition on the words @words of a pratica whose service's
 * name begins no word with a term: in scope, not of @search->named */
char *
sp_db_search_unnamed_condition (SpDbSearch *search,
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
append_group_matches (SpDbSearch *search,
                      GPtrArray  *patterns,
                      const char *services)
{
  SpDbQuery *sql = search->sql;

  sp_db_query_append (sql, "(SELECT DISTINCT w.pratica_id AS id, w.status, w.assigned_to,"
                           "    w.applicant_cognome, w.applicant_nome"
                           "  FROM pratica_word w"
                           "  WHERE w.word LIKE ");
  sp_db_query_append_param (sql, patterns->pdata[0], "text");
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

/* The counts of a short term (see 0011_search_initials.sql): the buckets of
 * the operator's own pratiche from pratica_prefix_assigned (their rows sit
 * together), the others from pratica_prefix_count (nobody or someone). */
static void
append_prefix_counts (SpDbSearch *search)
{
  static const char * const tables[] = { "pratica_prefix_count", "pratica_prefix_assigned" };
  SpDbQuery *sql = search->sql;
  const char *prefix = sp_db_query_param (sql, search->terms->prefix, "text");

  sp_db_query_append (sql, "SELECT ");
  for (guint i = 0; i < SP_N_BUCKETS; i++)
    sp_db_query_append_printf (sql, "%s%s.n%u", i > 0 ? ", " : "",
                               sp_bucket_get_assignee ((SpBucket) i) == SP_ASSIGNEE_ME ? "mine" : "everyone", i);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *unnamed = sp_db_search_unnamed_condition (search, tables[t]);

      sp_db_query_append (sql, t == 0 ? " FROM (SELECT " : ", (SELECT ");
      sp_db_append_bucket_counts (sql, &sp_db_count_bucket_columns, search->account_id);
      sp_db_query_append_printf (sql, " FROM %s WHERE prefix = %s AND %s", tables[t], prefix, unnamed);
      if (t == 1)
        sp_db_query_append_printf (sql, " AND assigned_to = %s",
                                   sp_db_query_param (sql, search->account_id, "bigint"));
      sp_db_query_append (sql, t == 0 ? ") everyone" : ") mine");
    }
}

/* m: the matches, group by group; wc: their counts, or a short term's
 * (append_prefix_counts()); sc: the counts of the services whose names begin
 * words with every term; c: the sums. */
static void
append_matches_and_counts (SpDbSearch *search)
{
  SpDbQuery *sql = search->sql;
  SpDbSearchTerms *terms = search->terms;
  g_autofree char *unnamed = sp_db_search_unnamed_condition (search, "w");

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

  sp_db_query_append (sql, "), wc AS MATERIALIZED (");
  if (terms->prefix != NULL)
    append_prefix_counts (search);
  else
    {
      sp_db_query_append (sql, "SELECT ");
      sp_db_append_bucket_counts (sql, &sp_db_pratica_bucket_columns, search->account_id);
      sp_db_query_append (sql, " FROM m p");
    }
  sp_db_query_append (sql, "), sc AS (SELECT ");
  sp_db_append_bucket_counts (sql, &sp_db_count_bucket_columns, search->account_id);
  sp_db_query_append_printf (sql, " FROM pratica_count WHERE servizio_id = ANY (%s) AND ", search->whole);
  sp_db_scope_append (search->scope, sql, "servizio_id");
  sp_db_query_append (sql, "), c AS (SELECT ");
  for (guint i = 0; i < SP_N_BUCKETS; i++)
    sp_db_query_append_printf (sql, "%swc.n%u + sc.n%u AS n%u", i > 0 ? ", " : "", i, i, i);
  sp_db_query_append (sql, " FROM wc, sc)");
}

/* The page among the matches of the bucket (mb), fetched or walked (see the
 * top of this file), as a parenthesized query with its own WITH. */
static void
append_fetch_or_walk (SpDbSearch *search)
{
  static const char * const fetched_values[] = { "p.s0", "p.s1" };
  SpDbQuery *sql = search->sql;
  SpDashboardQuery *query = search->query;
  const char *walk = sp_db_search_walk_index (query->bucket);

  sp_db_query_append_printf (sql, "(WITH mb AS MATERIALIZED (SELECT p.id FROM m p WHERE %s)", search->bucket);
  if (walk != NULL)
    {
      g_autofree char *count = g_strdup_printf ("SELECT n%u FROM wc", (guint) query->bucket);

      sp_db_search_append_walk_decision (search, walk, count, SP_DB_SEARCH_WALK_FACTOR);
    }
  sp_db_search_append_fetched (search, walk != NULL ? "NOT (SELECT yes FROM walk)" : "TRUE");
  sp_db_query_append (sql, " SELECT * FROM (");
  sp_db_search_append_top_branch (search, "fetched p", "TRUE", fetched_values);

  /* Walk: "IS TRUE" keeps the IN a (hashed) filter of the index's rows: a
   * join, which the planner would make of a bare IN, reads every match. */
  if (walk != NULL)
    {
      g_autofree char *condition = g_strdup_printf ("%s AND (p.id IN (SELECT mb.id FROM mb)) IS TRUE"
                                                    " AND (SELECT yes FROM walk)", search->bucket);

      sp_db_query_append (sql, " UNION ALL ");
      sp_db_search_append_top_branch (search, "pratica p", condition, sp_db_sort_expressions (query->sort));
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
  g_autofree char *bucket = sp_db_bucket_condition (sql, query->bucket, &sp_db_pratica_bucket_columns, account_id);
  SpDbSearch search = {
    sql, query, scope, account_id, terms,
    sp_db_query_param (sql, terms->named_services, "bigint[]"),
    sp_db_query_param (sql, terms->whole_services, "bigint[]"),
    bucket,
  };

  g_return_val_if_fail (terms->patterns->len > 0, NULL);

  append_matches_and_counts (&search);
  sp_db_query_append (sql, ", top AS (");
  if (terms->prefix != NULL)
    sp_db_search_append_prefix_page (&search);
  else
    {
      /* The matches carry the applicant's names: sorted by them, they are the page. */
      if (query->sort == SP_SORT_APPLICANT)
        sp_db_search_append_top_branch (&search, "m p", search.bucket, sp_db_sort_expressions (query->sort));
      else
        append_fetch_or_walk (&search);
      if (!g_str_equal (terms->whole_services, "{}"))
        {
          g_autofree char *in_scope = sp_db_scope_condition (scope, "p.servizio_id");
          g_autofree char *condition = g_strdup_printf ("%s AND p.servizio_id = ANY (%s) AND %s", search.bucket,
                                                        search.whole, in_scope);

          sp_db_query_append (sql, " UNION ALL ");
          sp_db_search_append_top_branch (&search, "pratica p", condition, sp_db_sort_expressions (query->sort));
        }
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
