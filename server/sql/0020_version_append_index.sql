-- 0020: version_append() keeps the plan of every statement for the session,
-- the lookup of the last version included, and that plan is the index's
-- whatever the size of the tables when it is made.
--
-- 0015 planned the lookup again at every call (EXECUTE), because the generic
-- plan PL/pgSQL keeps, made while the version table was small, read the whole
-- table as it grew. Parsing and planning it again costs more than the rest of
-- the lookup, at every version. Every statement here finds its rows by key:
-- the pratica by its id, its last version by (pratica_id, number), its
-- documents by document_current_idx. With sequential scans off while the
-- function runs, the plans it keeps (its own, and those of the functions and
-- foreign-key checks it runs) use those indexes, for a table of ten rows as
-- for one of ten million. The rest is as in 0015.

CREATE OR REPLACE FUNCTION version_append (pratica uuid, operation text, actor_account_id bigint, actor_name text,
                                           actor_role text, note text, at timestamptz DEFAULT now (),
                                           snapshot jsonb DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql
SET enable_seqscan = off
AS $$
DECLARE
  last_number integer;
  last_hash text;
BEGIN
  PERFORM 1 FROM pratica p WHERE p.id = pratica FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  snapshot := coalesce (snapshot, version_current_snapshot (pratica));
  SELECT v.number, v.hash INTO last_number, last_hash
  FROM version v WHERE v.pratica_id = pratica ORDER BY v.number DESC LIMIT 1;
  INSERT INTO version (pratica_id, number, operation, status, actor_account_id, actor_name, actor_role,
                       created_at, note, snapshot, previous_hash, hash)
  VALUES (pratica, coalesce (last_number, 0) + 1, operation, (snapshot ->> 'status')::integer,
          actor_account_id, actor_name, actor_role, at, note, snapshot, last_hash,
          version_link (last_hash, snapshot));
  RETURN coalesce (last_number, 0) + 1;
END
$$;
