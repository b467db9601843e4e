/* sp-jobs-worker.c: a job worker: its own connection, claim, run the handler, finish, fail or release */
#define G_LOG_DOMAIN "sp-jobs"

#include "config.h"

#include "sp-error.h"
#include "sp-jobs-private.h"

/* The shortest nap when a due job was being claimed by someone else. */
#define MIN_WAIT_MS 50

static void
set_busy (SpJobWorker *worker,
          gboolean     busy)
{
  SpJobs *jobs = worker->jobs;

  g_mutex_lock (&jobs->mutex);
  worker->busy = busy;
  g_cond_broadcast (&jobs->cond);
  g_mutex_unlock (&jobs->mutex);
}

static void
set_connection (SpJobWorker *worker,
                PGconn      *conn)
{
  SpJobs *jobs = worker->jobs;
  PGcancel *cancel = conn != NULL ? sp_db_jobs_cancel_new (conn) : NULL;

  g_mutex_lock (&jobs->mutex);
  g_clear_pointer (&worker->pg_cancel, sp_db_jobs_cancel_free);
  worker->pg_cancel = cancel;
  g_mutex_unlock (&jobs->mutex);
}

static JsonObject *
parse_payload (const char  *text,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text != NULL ? text : "{}", -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, SP_ERROR, SP_ERROR_VALIDATION, "The payload is not a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* Runs the handler in a transaction; FALSE with @error if it failed. */
static gboolean
run_handler (SpJobWorker  *worker,
             PGconn       *conn,
             SpDbJob      *row,
             GError      **error)
{
  SpJobs *jobs = worker->jobs;
  SpJobHandler *handler = g_hash_table_lookup (jobs->handlers, row->kind);
  g_autoptr(JsonObject) payload = NULL;
  gboolean held = FALSE;
  SpJob job = { 0 };

  if (!(payload = parse_payload (row->payload, error)))
    return FALSE;

  job.id = row->id;
  job.kind = row->kind;
  job.payload = payload;
  job.dedupe_key = row->dedupe_key;
  job.attempts = row->attempts;
  job.worker = worker->name;

  if (!sp_db_jobs_begin (conn, error))
    return FALSE;
  if (!handler->func (&job, conn, worker->cancellable, handler->user_data, error))
    {
      sp_db_jobs_rollback (conn);
      return FALSE;
    }
  if (!sp_db_jobs_finish (conn, row->id, worker->name, &held, error))
    return FALSE;
  if (!held)
    g_warning ("Job %" G_GINT64_FORMAT " (%s) outlived its lease and another worker took it:"
               " its work here was rolled back", row->id, row->kind);
  return TRUE;
}

static void
run_job (SpJobWorker *worker,
         PGconn      *conn,
         SpDbJob     *row)
{
  SpJobs *jobs = worker->jobs;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) give_back_error = NULL;
  gboolean dead = FALSE;

  set_busy (worker, TRUE);
  /* Claimed just as the server began to stop: sp_jobs_stop() saw this
   * worker idle and will not wait for it, and releases the job. */
  if (_sp_jobs_is_stopping (jobs))
    {
      set_busy (worker, FALSE);
      return;
    }
  g_debug ("Job %" G_GINT64_FORMAT " (%s), attempt %d, on %s", row->id, row->kind, row->attempts, worker->name);

  if (run_handler (worker, conn, row, &error))
    g_debug ("Job %" G_GINT64_FORMAT " (%s) done", row->id, row->kind);
  else if (g_cancellable_is_cancelled (worker->cancellable))
    /* Stopped by the end of the grace period, not a failure of the job.
     * This connection may still see the cancel request meant for the
     * handler's statement: sp_jobs_stop() releases the job on a fresh one. */
    g_message ("Job %" G_GINT64_FORMAT " (%s) stopped unfinished", row->id, row->kind);
  else if (sp_db_jobs_fail (conn, row->id, worker->name, error->message, jobs->max_attempts,
                            SP_JOBS_BACKOFF_CAP_SECONDS, &dead, &give_back_error))
    {
      if (dead)
        g_warning ("Job %" G_GINT64_FORMAT " (%s) failed on its last attempt (%d), set aside: %s",
                   row->id, row->kind, row->attempts, error->message);
      else
        g_message ("Job %" G_GINT64_FORMAT " (%s) failed on attempt %d, will retry: %s",
                   row->id, row->kind, row->attempts, error->message);
    }

  if (give_back_error != NULL)
    g_warning ("Cannot give back job %" G_GINT64_FORMAT " (%s), its lease will expire: %s",
               row->id, row->kind, give_back_error->message);
  set_busy (worker, FALSE);
}

/* Connects, waiting with back-off while the database is away. NULL when stopping. */
static PGconn *
connect_with_backoff (SpJobWorker *worker)
{
  SpJobs *jobs = worker->jobs;
  gint64 backoff_ms = 500;
  gboolean warned = FALSE;

  while (!_sp_jobs_is_stopping (jobs))
    {
      g_autoptr(GError) error = NULL;
      /* A statement may not outlast the lease that protects it. */
      PGconn *conn = sp_db_jobs_connect (jobs->conninfo, jobs->lease_seconds * 1000, &error);

      if (conn != NULL)
        {
          if (warned)
            g_message ("Job worker %s connected again", worker->name);
          set_connection (worker, conn);
          return conn;
        }
      if (!warned)
        g_warning ("Job worker %s: %s; retrying", worker->name, error->message);
      warned = TRUE;
      /* The listener's wake-up when it is connected again cuts this short. */
      _sp_jobs_wait (jobs, _sp_jobs_get_generation (jobs), backoff_ms);
      backoff_ms = MIN (backoff_ms * 2, SP_JOBS_RECONNECT_CAP_MS);
    }
  return NULL;
}

gpointer
_sp_jobs_worker_thread (gpointer data)
{
  SpJobWorker *worker = data;
  SpJobs *jobs = worker->jobs;
  PGconn *conn = NULL;

  while (!_sp_jobs_is_stopping (jobs))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SpDbJob) row = NULL;
      guint64 seen;
      gint64 next_due_ms;

      if (conn == NULL && !(conn = connect_with_backoff (worker)))
        break;

      seen = _sp_jobs_get_generation (jobs);
      row = sp_db_jobs_claim (conn, (const char * const *) jobs->kinds, worker->name,
                              jobs->lease_seconds, jobs->max_attempts, &next_due_ms, &error);
      if (row != NULL)
        run_job (worker, conn, row);
      else if (error != NULL)
        _sp_jobs_wait (jobs, seen, 1000);
      else
        _sp_jobs_wait (jobs, seen, CLAMP (next_due_ms, MIN_WAIT_MS, jobs->sweep_seconds * (gint64) 1000));

      if (!sp_db_jobs_connection_ok (conn))
        {
          g_message ("Job worker %s lost its connection", worker->name);
          set_connection (worker, NULL);
          g_clear_pointer (&conn, sp_db_jobs_disconnect);
        }
    }

  set_connection (worker, NULL);
  sp_db_jobs_disconnect (conn);
  return NULL;
}
