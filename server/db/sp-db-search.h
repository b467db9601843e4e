#pragma once

/* The dashboard's search: the SQL that counts a search's matches and pages
 * through them. Private to sp-db-dashboard.c. */

#include "sp-db-dashboard.h"
#include "sp-db-query.h"

G_BEGIN_DECLS

typedef struct
{
  char      *first_pattern;    /* the longest term, as "term%" for LIKE */
  GPtrArray *other_patterns;   /* of char *: the other terms' patterns */
} SpDbSearchTerms;

SpDbSearchTerms *sp_db_search_terms_new  (const char      *search);
void             sp_db_search_terms_free (SpDbSearchTerms *terms);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDbSearchTerms, sp_db_search_terms_free)

SpDbQuery       *sp_db_search_query      (SpDashboardQuery *query,
                                          const char       *account_id,
                                          SpDbSearchTerms  *terms,
                                          const char       *matching_services) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
