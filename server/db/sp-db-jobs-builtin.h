#pragma once

/* SQL of the server's own jobs (server/jobs/sp-jobs-builtin.c): purging ended
 * sessions and old finished jobs, and the tests' echo job. */

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

gboolean     sp_db_session_purge        (PGconn      *conn,
                                         int          idle_minutes,
                                         int          keep_hours,
                                         guint       *n_deleted,
                                         GError     **error);
gboolean     sp_db_job_purge            (PGconn      *conn,
                                         int          keep_days,
                                         guint       *n_deleted,
                                         GError     **error);
gboolean     sp_db_job_echo_record      (PGconn      *conn,
                                         gint64       id,
                                         const char  *worker,
                                         GError     **error);

G_END_DECLS
