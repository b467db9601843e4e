#pragma once

/* A dashboard search's terms, and the services whose names begin words with
 * them. Private to server/db/. */

#include <glib.h>
#include <libpq-fe.h>

#include "sp-principal.h"

G_BEGIN_DECLS

/**
 * SpDbSearchGroup:
 * @services: the services (a bigint[] literal) whose names begin words with
 *   the same terms of the search, not all of them
 * @patterns: (element-type utf8): the other terms, as LIKE patterns, which
 *   each of their pratiche must begin words of itself with, longest first
 */
typedef struct
{
  char      *services;
  GPtrArray *patterns;
} SpDbSearchGroup;

/**
 * SpDbSearchTerms:
 * @patterns: (element-type utf8): every term, as a LIKE pattern ("term%",
 *   its wildcards escaped), longest (likely the rarest) first; none when the
 *   search is only separators
 * @whole_services: the services (bigint[] literal) whose names begin words
 *   with every term: all their pratiche match
 * @named_services: those whose names begin words with any term
 * @groups: (element-type SpDbSearchGroup): the services of @named_services
 *   not in @whole_services, by the terms their names leave to their pratiche
 * @prefix: (nullable): the search's only term, when it is short enough to be
 *   counted from pratica_prefix_count (search_prefix_length(), 0006_search_rule.sql)
 *
 * A pratica matches when every term begins a word of it or of its
 * service's name. The pratiche of services outside @named_services match by
 * their own words alone.
 */
typedef struct
{
  GPtrArray *patterns;
  char      *whole_services;
  char      *named_services;
  GPtrArray *groups;
  char      *prefix;
} SpDbSearchTerms;

SpDbSearchTerms *sp_db_search_terms_load (PGconn             *conn,
                                          const SpPrincipal  *principal,
                                          const char         *search,
                                          GError            **error) G_GNUC_WARN_UNUSED_RESULT;
void             sp_db_search_terms_free (SpDbSearchTerms    *terms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDbSearchTerms, sp_db_search_terms_free)

G_END_DECLS
