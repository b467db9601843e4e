#pragma once

/* Database work for services as operators see them. */

#include "sp-db.h"
#include "sp-principal.h"

G_BEGIN_DECLS

void         sp_db_protocol_configs_async  (SpDb                *db,
                                            SpPrincipal         *principal,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray   *sp_db_protocol_configs_finish (SpDb                *db,
                                            GAsyncResult        *result,
                                            GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
