-- 0008: the internal protocol register's numbering and the e-mail dispatcher
-- (DESIGN.md §4 and §6). Both run as background jobs (0004_jobs.sql):
-- `protocol-register` for one registration, `protocol-sweep` for pratiche that
-- entered a waiting state without one, `mail-send` for one outbox row.

-- The last number of each ente's register per year. Its row lock is what makes
-- the register gapless under concurrent registrations from several server
-- processes: the number is taken and the entry written in one transaction, one
-- registration of an ente at a time.
CREATE TABLE protocol_counter (
  ente_id  bigint NOT NULL REFERENCES ente (id),
  year     integer NOT NULL,
  last     integer NOT NULL CHECK (last >= 0),
  PRIMARY KEY (ente_id, year)
);

-- Registers the next entry of the ente's register for the current year (in
-- Italian time: the register is the office's) and returns its number, year and
-- time. Entries that sportello-admin wrote without the counter (the demo and
-- generated data sets) are counted too, so numbering goes on after them.
CREATE FUNCTION protocol_register_next (ente bigint, direction text, pratica uuid, document uuid,
                                        OUT entry_year integer, OUT entry_number integer,
                                        OUT entry_at timestamptz)
LANGUAGE plpgsql AS $$
BEGIN
  entry_at := now ();
  entry_year := extract (year FROM entry_at AT TIME ZONE 'Europe/Rome')::integer;
  INSERT INTO protocol_counter AS c (ente_id, year, last) VALUES (ente, entry_year, 0)
    ON CONFLICT (ente_id, year) DO NOTHING;
  SELECT c.last INTO entry_number FROM protocol_counter c
    WHERE c.ente_id = ente AND c.year = entry_year FOR UPDATE;
  entry_number := greatest (entry_number, (SELECT coalesce (max (r.number), 0) FROM protocol_register r
                                           WHERE r.ente_id = ente AND r.year = entry_year)) + 1;
  INSERT INTO protocol_register (ente_id, year, number, direction, registered_at, pratica_id, document_id)
    VALUES (ente, entry_year, entry_number, direction, entry_at, pratica, document);
  UPDATE protocol_counter c SET last = entry_number WHERE c.ente_id = ente AND c.year = entry_year;
END
$$;

-- How a register entry's number is written: 2026/0000123 (as the demo and
-- generated data sets write the main protocol number).
CREATE FUNCTION protocol_number_text (year integer, number integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT year || '/' || lpad (number::text, 7, '0')
$$;

CREATE INDEX protocol_register_pratica_idx ON protocol_register (pratica_id, registered_at);

-- The pratiche that wait for a registration by the internal provider, and in
-- which direction: the one rule of who gets a `protocol-register` job.
CREATE VIEW protocol_waiting AS
  SELECT p.id AS pratica_id, p.status, p.updated_at,
         CASE WHEN p.status = 2000 THEN 'arrivo' ELSE 'risposta' END AS direction
  FROM pratica p JOIN servizio sv ON sv.id = p.servizio_id
  WHERE p.status IN (2000, 6000, 8000) AND sv.protocol_required AND sv.protocol_provider = 'internal';

-- Every minute one process looks for pratiche that wait for a registration
-- without a job (written by sportello-admin, or queued before this migration).
INSERT INTO job_schedule (kind, every) VALUES ('protocol-sweep', interval '1 minute');

-- The outbox (0001) is sent by one `mail-send` job per row, whose claim,
-- lease, attempts and back-off are the job's: the row keeps what was sent.
-- `context` is what the templates need, as it was when the change was
-- recorded; the message is rendered at sending, with links to the documents
-- that are valid from then on.
ALTER TABLE outbox
  ADD COLUMN context jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof (context) = 'object'),
  ADD COLUMN failed_at timestamptz,
  DROP COLUMN attempts,
  DROP COLUMN next_attempt_at;
CREATE INDEX outbox_unsent_idx ON outbox (created_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Every five minutes one process queues the job of unsent e-mails that have
-- none (queued before this migration): none waits for ever.
INSERT INTO job_schedule (kind, every) VALUES ('mail-sweep', interval '5 minutes');

-- A slice of a document's bytes ($2 from 0, $3 long; shorter at the end, NULL
-- when there is no such document), whichever way the document is stored:
-- bytea `content` (0001) or a large object `content_oid` (0007, documents
-- streamed by Elabora). E-mails and download links read through it a chunk at
-- a time, before and after 0007 alike.
CREATE FUNCTION document_read (document uuid, start bigint, length integer) RETURNS bytea
LANGUAGE plpgsql STABLE AS $$
DECLARE
  slice bytea;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = 'document'::regclass
             AND a.attname = 'content_oid' AND NOT a.attisdropped) THEN
    EXECUTE 'SELECT lo_get (d.content_oid, $2, $3) FROM document d WHERE d.id = $1'
      INTO slice USING document, start, length;
  ELSE
    EXECUTE 'SELECT substring (d.content FROM $2::integer + 1 FOR $3) FROM document d WHERE d.id = $1'
      INTO slice USING document, start, length;
  END IF;
  RETURN slice;
END
$$;
