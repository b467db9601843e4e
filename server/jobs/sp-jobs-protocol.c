/* sp-jobs-protocol.c: the jobs of the internal protocol register: register one pratica, sweep for waiting ones */
#define G_LOG_DOMAIN "sp-jobs"

#include "config.h"

#include "sp-db-protocol.h"
#include "sp-error.h"
#include "sp-jobs-protocol.h"

/* Registrations a sweep queues at most; the next sweep goes on. */
#define SWEEP_LIMIT 1000

/* payload: {pratica, direction}, queued by sp_db_protocol_queue() or the sweep. */
static gboolean
protocol_register (SpJob         *job,
                   PGconn        *conn,
                   GCancellable  *cancellable,
                   gpointer       user_data,
                   GError       **error)
{
  const char *pratica = json_object_get_string_member_with_default (job->payload, "pratica", NULL);
  const char *direction = json_object_get_string_member_with_default (job->payload, "direction", NULL);
  g_autofree char *number = NULL;

  if (pratica == NULL || !g_uuid_string_is_valid (pratica) || direction == NULL)
    {
      g_set_error (error, SP_ERROR, SP_ERROR_VALIDATION, "Job %" G_GINT64_FORMAT ": no pratica or direction", job->id);
      return FALSE;
    }
  if (!sp_db_protocol_register (conn, pratica, direction, &number, error))
    return FALSE;
  if (number != NULL)
    g_message ("Registered pratica %s (%s) as protocol no. %s", pratica, direction, number);
  else
    g_debug ("Pratica %s no longer waits for its %s registration", pratica, direction);
  return TRUE;
}

static gboolean
protocol_sweep (SpJob         *job,
                PGconn        *conn,
                GCancellable  *cancellable,
                gpointer       user_data,
                GError       **error)
{
  guint queued = 0;

  if (!sp_db_protocol_sweep (conn, SWEEP_LIMIT, &queued, error))
    return FALSE;
  if (queued > 0)
    g_message ("Queued the protocol registration of %u waiting pratiche", queued);
  return TRUE;
}

void
sp_jobs_register_protocol (SpJobs *self)
{
  sp_jobs_register (self, SP_DB_PROTOCOL_JOB, protocol_register, NULL);
  sp_jobs_register (self, SP_DB_PROTOCOL_SWEEP, protocol_sweep, NULL);
}
