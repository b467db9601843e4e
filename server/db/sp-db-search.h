#pragma once

/* The dashboard's search: the SQL that counts a search's matches and pages
 * through them. Private to sp-db-dashboard.c. */

#include "sp-db-dashboard.h"
#include "sp-db-scope.h"

G_BEGIN_DECLS

/* The parameters of a search after $1 and $2 (SP_DB_DASHBOARD_N_COMMON_PARAMS):
 * $3 the first term's pattern, $4 the services whose name matches (bigint[]),
 * $5 the other terms' patterns (text[]); the cursor's values follow. */
#define SP_DB_SEARCH_N_PARAMS 5

typedef struct
{
  char *first_pattern;    /* the longest term, as "term%" for LIKE; NULL without terms */
  char *other_patterns;   /* the other terms' patterns, as a text[] literal */
  guint n_other_terms;
} SpDbSearchTerms;

SpDbSearchTerms *sp_db_search_terms_new  (const char      *search);
void             sp_db_search_terms_free (SpDbSearchTerms *terms);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDbSearchTerms, sp_db_search_terms_free)

char            *sp_db_search_sql        (SpDashboardQuery *query,
                                          const SpDbScope  *scope,
                                          SpDbSearchTerms  *terms,
                                          gboolean          with_services) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
