#pragma once

/* The e-mail outbox: messages queued in the transaction of the change they tell. */

#include <libpq-fe.h>

#include "sp-status.h"

G_BEGIN_DECLS

gboolean     sp_db_outbox_queue    (PGconn      *conn,
                                    const char  *pratica_id,
                                    gint64       iter_id,
                                    SpStatus     status,
                                    const char  *text,
                                    GError     **error);

G_END_DECLS
