#pragma once

/* The internal provider's protocol register (DESIGN.md §4): which changes
 * need a registration, the job that makes it, and the sweep that finds the
 * pratiche still waiting without one. */

#include <libpq-fe.h>

#include "sp-status.h"

G_BEGIN_DECLS

/* The job kinds (server/jobs/sp-jobs-protocol.c). */
#define SP_DB_PROTOCOL_JOB    "protocol-register"
#define SP_DB_PROTOCOL_SWEEP  "protocol-sweep"

gboolean     sp_db_protocol_queues      (SpStatus     status);
gboolean     sp_db_protocol_queue       (PGconn      *conn,
                                         const char  *pratica_id,
                                         SpStatus     status,
                                         gboolean     commit,
                                         GError     **error);
gboolean     sp_db_protocol_register    (PGconn      *conn,
                                         const char  *pratica_id,
                                         const char  *direction,
                                         char       **number,
                                         GError     **error);
gboolean     sp_db_protocol_sweep       (PGconn      *conn,
                                         guint        limit,
                                         guint       *n_queued,
                                         GError     **error);

G_END_DECLS
