/* sp-db-search-terms.c: a dashboard search's terms, and the services whose names begin words with them */
#define G_LOG_DOMAIN "sp-db"

#include "config.h"

#include "sp-db-query.h"
#include "sp-db-scope.h"
#include "sp-db-search-terms.h"
#include "sp-db-util.h"

/* The search's terms: split at white space and apostrophes, as
 * search_name_words() splits names. @search is lower case already. */
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

static void
group_free (SpDbSearchGroup *group)
{
  g_free (group->services);
  g_ptr_array_unref (group->patterns);
  g_free (group);
}

/* Appends @id to the bigint[] literal being built in @ids ("{1,2"). */
static void
add_id (GString    *ids,
        const char *id)
{
  g_string_append_printf (ids, "%s%s", ids->len > 1 ? "," : "", id);
}

/* The group of the services whose names begin words with the terms
 * @covered ("0,2"), new in @groups when it is not there yet. */
static GString *
group_ids (GHashTable      *groups,
           SpDbSearchTerms *terms,
           const char      *covered)
{
  g_auto(GStrv) indexes = NULL;
  SpDbSearchGroup *group;
  GString *ids = g_hash_table_lookup (groups, covered);

  if (ids != NULL)
    return ids;
  indexes = g_strsplit (covered, ",", -1);
  group = g_new0 (SpDbSearchGroup, 1);
  group->patterns = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < terms->patterns->len; i++)
    {
      g_autofree char *index = g_strdup_printf ("%u", i);

      if (!g_strv_contains ((const char * const *) indexes, index))
        g_ptr_array_add (group->patterns, g_strdup (terms->patterns->pdata[i]));
    }
  g_ptr_array_add (terms->groups, group);
  ids = g_string_new ("{");
  g_hash_table_insert (groups, g_strdup (covered), ids);
  return ids;
}

/* For each service in the scope whose name begins a word with some term,
 * the terms it does (their indexes in @terms->patterns, as "0,2"); and, on
 * every row, search_prefix_length (). */
static PGresult *
load_named_services (PGconn             *conn,
                     const SpPrincipal  *principal,
                     SpDbSearchTerms    *terms,
                     GError            **error)
{
  g_autoptr(SpDbQuery) sql = sp_db_query_new ("SELECT search_prefix_length (), s.id, s.terms FROM (VALUES (0)) AS always (x)"
                                              " LEFT JOIN (SELECT sv.id, array_to_string (ARRAY ("
                                              "   SELECT t.i - 1 FROM unnest (ARRAY[");
  g_autoptr(SpDbScope) scope = NULL;

  for (guint i = 0; i < terms->patterns->len; i++)
    {
      sp_db_query_append (sql, i > 0 ? ", " : "");
      sp_db_query_append_param (sql, terms->patterns->pdata[i], "text");
    }
  sp_db_query_append (sql, "]::text[]) WITH ORDINALITY AS t (pattern, i)"
                           "   WHERE EXISTS (SELECT FROM search_name_words (sv.name) w WHERE w LIKE t.pattern)"
                           "   ORDER BY t.i), ',') AS terms"
                           " FROM servizio sv WHERE ");
  scope = sp_db_scope_new_in (principal, sql);
  sp_db_scope_append (scope, sql, "sv.id");
  sp_db_query_append (sql, ") s ON s.terms <> '' ORDER BY s.id");
  return sp_db_query_exec (conn, sql, error);
}

/**
 * sp_db_search_terms_load:
 * @principal: who searches: the services are those of their scope
 * @search: the normalized search (lower case, trimmed)
 *
 * Returns: (transfer full): the terms of @search and the services whose
 *   names begin words with them, or %NULL on a database error
 */
SpDbSearchTerms *
sp_db_search_terms_load (PGconn             *conn,
                         const SpPrincipal  *principal,
                         const char         *search,
                         GError            **error)
{
  g_autoptr(SpDbSearchTerms) terms = g_new0 (SpDbSearchTerms, 1);
  g_autoptr(GPtrArray) words = split_terms (search);
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) group_services = g_ptr_array_new ();   /* of GString: the ids of each group */
  g_autoptr(GString) whole = g_string_new ("{");
  g_autoptr(GString) named = g_string_new ("{");
  g_autoptr(PGresult) result = NULL;
  gint64 prefix_length;

  terms->patterns = g_ptr_array_new_with_free_func (g_free);
  terms->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  g_ptr_array_sort (words, longest_first);
  for (guint i = 0; i < words->len; i++)
    g_ptr_array_add (terms->patterns, prefix_pattern (words->pdata[i]));

  /* The rows by service id, so services with the same terms are grouped in a stable order. */
  if (!(result = load_named_services (conn, principal, terms, error)))
    return NULL;
  prefix_length = sp_db_get_int64 (result, 0, 0);
  for (int row = 0; row < PQntuples (result) && sp_db_get (result, row, 1) != NULL; row++)
    {
      const char *id = sp_db_get (result, row, 1);
      const char *covered = sp_db_get (result, row, 2);
      g_auto(GStrv) indexes = g_strsplit (covered, ",", -1);
      guint n_groups = terms->groups->len;
      GString *ids;

      add_id (named, id);
      if (g_strv_length (indexes) == terms->patterns->len)
        {
          add_id (whole, id);
          continue;
        }
      ids = group_ids (groups, terms, covered);
      if (terms->groups->len > n_groups)
        g_ptr_array_add (group_services, ids);
      add_id (ids, id);
    }
  for (guint i = 0; i < terms->groups->len; i++)
    {
      GString *ids = group_services->pdata[i];
      SpDbSearchGroup *group = terms->groups->pdata[i];

      g_string_append_c (ids, '}');
      group->services = g_string_free (ids, FALSE);
    }
  g_string_append_c (whole, '}');
  g_string_append_c (named, '}');
  terms->whole_services = g_string_free (g_steal_pointer (&whole), FALSE);
  terms->named_services = g_string_free (g_steal_pointer (&named), FALSE);
  if (words->len == 1 && g_utf8_strlen (words->pdata[0], -1) <= prefix_length)
    terms->prefix = g_strdup (words->pdata[0]);
  return g_steal_pointer (&terms);
}

void
sp_db_search_terms_free (SpDbSearchTerms *terms)
{
  if (terms == NULL)
    return;
  g_clear_pointer (&terms->patterns, g_ptr_array_unref);
  g_clear_pointer (&terms->groups, g_ptr_array_unref);
  g_free (terms->whole_services);
  g_free (terms->named_services);
  g_free (terms->prefix);
  g_free (terms);
}
