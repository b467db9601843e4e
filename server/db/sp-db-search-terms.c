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

/* The services of the scope whose names begin words with some terms, a row
 * for each set of terms: the terms (their indexes in @terms->patterns, as
 * "0,2") and the services ("4,9"); and, on every row, search_prefix_length (). */
static PGresult *
load_named_services (PGconn             *conn,
                     const SpPrincipal  *principal,
                     SpDbSearchTerms    *terms,
                     GError            **error)
{
  g_autoptr(SpDbQuery) sql = sp_db_query_new ("SELECT search_prefix_length (), s.terms, string_agg (s.id::text, ',' ORDER BY s.id)"
                                              " FROM (VALUES (0)) AS always (x)"
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
  sp_db_query_append (sql, ") s ON s.terms <> '' GROUP BY s.terms ORDER BY s.terms");
  return sp_db_query_exec (conn, sql, error);
}

/* The group of @services, whose names begin words with the terms @covered
 * ("0,2") and not the others. */
static SpDbSearchGroup *
group_new (SpDbSearchTerms *terms,
           const char      *covered,
           const char      *services)
{
  g_auto(GStrv) indexes = g_strsplit (covered, ",", -1);
  SpDbSearchGroup *group = g_new0 (SpDbSearchGroup, 1);

  group->services = g_strdup_printf ("{%s}", services);
  group->patterns = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < terms->patterns->len; i++)
    {
      g_autofree char *index = g_strdup_printf ("%u", i);

      if (!g_strv_contains ((const char * const *) indexes, index))
        g_ptr_array_add (group->patterns, g_strdup (terms->patterns->pdata[i]));
    }
  return group;
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
  g_autoptr(GStrvBuilder) named = g_strv_builder_new ();
  g_auto(GStrv) named_ids = NULL;
  g_autofree char *named_list = NULL;
  g_autoptr(PGresult) result = NULL;

  terms->patterns = g_ptr_array_new_with_free_func (g_free);
  terms->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);
  terms->whole_services = g_strdup ("{}");
  g_ptr_array_sort (words, longest_first);
  for (guint i = 0; i < words->len; i++)
    g_ptr_array_add (terms->patterns, prefix_pattern (words->pdata[i]));

  if (!(result = load_named_services (conn, principal, terms, error)))
    return NULL;
  for (int row = 0; row < PQntuples (result); row++)
    {
      const char *covered = sp_db_get (result, row, 1);
      const char *services = sp_db_get (result, row, 2);
      g_auto(GStrv) indexes = NULL;

      if (covered == NULL)
        continue;
      g_strv_builder_add (named, services);
      indexes = g_strsplit (covered, ",", -1);
      if (g_strv_length (indexes) == terms->patterns->len)
        {
          g_free (terms->whole_services);
          terms->whole_services = g_strdup_printf ("{%s}", services);
        }
      else
        g_ptr_array_add (terms->groups, group_new (terms, covered, services));
    }
  named_ids = g_strv_builder_end (named);
  named_list = g_strjoinv (",", named_ids);
  terms->named_services = g_strdup_printf ("{%s}", named_list);
  if (words->len == 1 && g_utf8_strlen (words->pdata[0], -1) <= sp_db_get_int64 (result, 0, 0))
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
