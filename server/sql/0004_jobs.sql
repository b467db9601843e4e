-- Background jobs (server/jobs/): a durable queue shared by every server
-- process on the database. Workers claim due rows with FOR UPDATE SKIP LOCKED
-- and a lease; a process that dies leaves a lease that expires, and the job is
-- claimed again. Features queue jobs in the transaction of the change they
-- follow (sp_db_job_enqueue()), so a job exists exactly when its change does.

CREATE TABLE job (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9-]{0,63}$'),
  payload       jsonb NOT NULL DEFAULT '{}',
  -- At most one job per kind and key, whatever its state: a feature queues
  -- "protocol of pratica X" or "e-mail of iter row Y" once, however often it
  -- is asked to.
  dedupe_key    text CHECK (dedupe_key <> ''),
  -- queued: waiting or running (locked_by set); done; dead: failed
  -- max_attempts times, kept for an operator to look at.
  state         text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'done', 'dead')),
  run_at        timestamptz NOT NULL DEFAULT now (),
  -- Claims so far, the running one included.
  attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- NULL: the server's [jobs] max-attempts.
  max_attempts  integer CHECK (max_attempts > 0),
  -- The lease: which worker holds the job and until when.
  locked_by     text,
  locked_until  timestamptz,
  -- The worker that ran the job to its end (done or dead).
  finished_by   text,
  finished_at   timestamptz,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now (),
  UNIQUE (kind, dedupe_key),
  CHECK ((locked_by IS NULL) = (locked_until IS NULL)),
  CHECK (state = 'queued' OR locked_by IS NULL),
  CHECK ((state = 'queued') = (finished_at IS NULL))
);

-- The claim reads queued jobs in run_at order.
CREATE INDEX job_queued_idx ON job (run_at) WHERE state = 'queued';
-- The clean-up of finished jobs.
CREATE INDEX job_finished_idx ON job (finished_at) WHERE state <> 'queued';

-- Wake the workers of every process when a job is queued (INSERT) or given
-- back (UPDATE: released by a process that stops, or failed and due again
-- later): the job is claimable now, or the workers plan to wake at its
-- run_at. Notifications with the same payload fold into one per transaction.
CREATE FUNCTION job_notify () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify ('sportello_jobs', NEW.kind);
  RETURN NULL;
END
$$;

CREATE TRIGGER job_queued_notify AFTER INSERT ON job
  FOR EACH ROW WHEN (NEW.state = 'queued')
  EXECUTE FUNCTION job_notify ();

CREATE TRIGGER job_given_back_notify AFTER UPDATE OF locked_by ON job
  FOR EACH ROW WHEN (NEW.state = 'queued' AND NEW.locked_by IS NULL AND OLD.locked_by IS NOT NULL)
  EXECUTE FUNCTION job_notify ();

-- Periodic jobs: at each sweep one process (the row lock decides) moves
-- next_run_at on and queues the job of the slot that came due; the slot is
-- the dedupe key, so a slot runs once even if two processes race.
CREATE TABLE job_schedule (
  kind         text PRIMARY KEY CHECK (kind ~ '^[a-z][a-z0-9-]{0,63}$'),
  every        interval NOT NULL CHECK (every >= interval '1 second'),
  next_run_at  timestamptz NOT NULL DEFAULT now ()
);

INSERT INTO job_schedule (kind, every) VALUES
  ('session-purge', interval '10 minutes'),
  ('job-purge', interval '1 day');
