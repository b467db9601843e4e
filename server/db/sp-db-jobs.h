#pragma once

/* The job queue in PostgreSQL (server/sql/0004_jobs.sql): the only code that
 * speaks SQL and libpq for server/jobs/. Every function runs one statement or
 * one transaction on a connection that the caller owns. */

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* The channel of LISTEN/NOTIFY on which job_notify() announces claimable jobs. */
#define SP_DB_JOBS_CHANNEL "sportello_jobs"
/* The channel on which the catalogue (partners, services, enti) announces
 * its changes (0012_catalogue_notify.sql). */
#define SP_DB_CATALOGUE_CHANNEL "sportello_catalogue"

/**
 * SpDbJob:
 * @id: the row
 * @kind: what to do
 * @payload: its JSON text
 * @dedupe_key: (nullable): the key it was queued with
 * @attempts: claims so far, this one included
 *
 * A claimed job.
 */
typedef struct
{
  gint64  id;
  char   *kind;
  char   *payload;
  char   *dedupe_key;
  int     attempts;
} SpDbJob;

void         sp_db_job_free             (SpDbJob             *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDbJob, sp_db_job_free)

gboolean     sp_db_job_enqueue          (PGconn              *conn,
                                         const char          *kind,
                                         const char          *payload,
                                         const char          *dedupe_key,
                                         GDateTime           *run_at,
                                         gint64              *out_id,
                                         GError             **error);

/* For the runner (server/jobs/). */
PGconn      *sp_db_jobs_connect         (const char          *conninfo,
                                         int                  statement_timeout_ms,
                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_db_jobs_connection_ok   (PGconn              *conn);
void         sp_db_jobs_disconnect      (PGconn              *conn);
PGcancel    *sp_db_jobs_cancel_new      (PGconn              *conn) G_GNUC_WARN_UNUSED_RESULT;
void         sp_db_jobs_cancel          (PGcancel            *cancel);
void         sp_db_jobs_cancel_free     (PGcancel            *cancel);
gboolean     sp_db_jobs_listen          (PGconn              *conn,
                                         GError             **error);
int          sp_db_jobs_get_socket      (PGconn              *conn);
int          sp_db_jobs_read_notifies   (PGconn              *conn,
                                         guint               *catalogue,
                                         GError             **error);
SpDbJob     *sp_db_jobs_claim           (PGconn              *conn,
                                         const char * const  *kinds,
                                         const char          *worker,
                                         int                  lease_seconds,
                                         int                  max_attempts,
                                         gint64              *next_due_ms,
                                         GError             **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_db_jobs_begin           (PGconn              *conn,
                                         GError             **error);
gboolean     sp_db_jobs_finish          (PGconn              *conn,
                                         gint64               id,
                                         const char          *worker,
                                         gboolean            *still_held,
                                         GError             **error);
void         sp_db_jobs_rollback        (PGconn              *conn);
gboolean     sp_db_jobs_fail            (PGconn              *conn,
                                         gint64               id,
                                         const char          *worker,
                                         const char          *message,
                                         int                  max_attempts,
                                         int                  backoff_cap_seconds,
                                         gboolean            *dead,
                                         GError             **error);
gboolean     sp_db_jobs_release_all     (PGconn              *conn,
                                         const char          *process,
                                         guint               *n_released,
                                         GError             **error);
gboolean     sp_db_jobs_schedule_due    (PGconn              *conn,
                                         const char * const  *kinds,
                                         guint               *n_queued,
                                         GError             **error);
gboolean     sp_db_jobs_bury_expired    (PGconn              *conn,
                                         int                  max_attempts,
                                         guint               *n_buried,
                                         GError             **error);

G_END_DECLS
