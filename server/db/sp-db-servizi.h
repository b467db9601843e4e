#pragma once

/* Database work for services as operators see them. */

#include "sp-db.h"

G_BEGIN_DECLS

gpointer     sp_db_protocol_configs (PGconn    *conn,
                                     gpointer   account_id,
                                     GError   **error);

G_END_DECLS
