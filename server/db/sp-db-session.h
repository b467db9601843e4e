#pragma once

/* The caller of a request, from its session token: the principal. */

#include "sp-db-accounts.h"
#include "sp-principal.h"

G_BEGIN_DECLS

void         sp_db_session_lookup_async  (SpDb                *db,
                                          GBytes              *token_hash,
                                          int                  idle_minutes,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
SpPrincipal *sp_db_session_lookup_finish (SpDb                *db,
                                          GAsyncResult        *result,
                                          SpSession          **session,
                                          GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
