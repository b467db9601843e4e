#pragma once

/* What the files of the dashboard's search share while building its
 * statement (sp-db-search.c, sp-db-search-prefix.c). Private to them. */

#include "sp-db-dashboard.h"
#include "sp-db-query.h"
#include "sp-db-scope.h"
#include "sp-db-search-terms.h"

G_BEGIN_DECLS

/* Reading a pratica by its id costs about as much as this many index
 * entries of a walk (over the page's limit) that checks each against a hash
 * of the matches… */
#define SP_DB_SEARCH_WALK_FACTOR "2.4"
/* … or as this many that look each up in the words by its id. */
#define SP_DB_SEARCH_PROBE_WALK_FACTOR "25"

/* The statement being built and what its parts share. */
typedef struct
{
  SpDbQuery        *sql;
  SpDashboardQuery *query;
  SpDbScope        *scope;
  const char       *account_id;
  SpDbSearchTerms  *terms;
  const char       *named;    /* the services whose names begin words with some term, "$n::bigint[]" */
  const char       *whole;    /* … with every term */
  const char       *bucket;   /* the bucket's condition on "p" */
} SpDbSearch;

void        sp_db_search_append_sort_values   (SpDbSearch         *search,
                                               const char * const *values);
void        sp_db_search_append_top_branch    (SpDbSearch         *search,
                                               const char         *from,
                                               const char         *condition,
                                               const char * const *values);
void        sp_db_search_append_fetched       (SpDbSearch         *search,
                                               const char         *condition);
void        sp_db_search_append_walk_decision (SpDbSearch         *search,
                                               const char         *index,
                                               const char         *count,
                                               const char         *factor);
const char *sp_db_search_walk_index           (SpBucket            bucket);
char       *sp_db_search_unnamed_condition    (SpDbSearch         *search,
                                               const char         *words) G_GNUC_WARN_UNUSED_RESULT;

void        sp_db_search_append_prefix_page   (SpDbSearch         *search);

G_END_DECLS
