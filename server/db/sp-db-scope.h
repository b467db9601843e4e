#pragma once

/* The pratiche a principal may see, as one SQL condition for every query.
 * Private to server/db/. */

#include <glib.h>

#include "sp-db-query.h"
#include "sp-principal.h"

G_BEGIN_DECLS

typedef struct _SpDbScope SpDbScope;

SpDbScope   *sp_db_scope_new_in    (const SpPrincipal  *principal,
                                    SpDbQuery          *query) G_GNUC_WARN_UNUSED_RESULT;
char        *sp_db_scope_condition (const SpDbScope    *scope,
                                    const char         *servizio_column) G_GNUC_WARN_UNUSED_RESULT;
void         sp_db_scope_append    (const SpDbScope    *scope,
                                    SpDbQuery          *query,
                                    const char         *servizio_column);
void         sp_db_scope_free      (SpDbScope          *scope);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDbScope, sp_db_scope_free)

G_END_DECLS
