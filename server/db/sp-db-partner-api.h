#pragma once

/* Database work of the partner API (DESIGN.md §5): the services a partner
 * sees, their schede informative and texts, and what partners do to pratiche. */

#include "sp-db.h"
#include "sp-principal.h"

G_BEGIN_DECLS

void         sp_db_partner_services_async   (SpDb                *db,
                                             SpPrincipal         *principal,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GBytes      *sp_db_partner_services_finish  (SpDb                *db,
                                             GAsyncResult        *result,
                                             GError             **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
