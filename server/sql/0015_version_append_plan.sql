-- 0015: version_append() finds a pratica's last version with a plan for that
-- pratica. PL/pgSQL caches a generic plan after a few calls; planned while
-- the version table was small, that plan read the whole table (a sequential
-- scan and a sort) to find the last version, and kept doing so as the table
-- grew. Run with EXECUTE, the lookup is planned for the pratica at hand and
-- always takes the (pratica_id, number) index backwards: three buffers,
-- whatever the size of the table. The rest is as in 0005.

CREATE OR REPLACE FUNCTION version_append (pratica uuid, operation text, actor_account_id bigint, actor_name text,
                                           actor_role text, note text, at timestamptz DEFAULT now (),
                                           snapshot jsonb DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  last_number integer;
  last_hash text;
BEGIN
  PERFORM 1 FROM pratica p WHERE p.id = pratica FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  snapshot := coalesce (snapshot, version_current_snapshot (pratica));
  EXECUTE 'SELECT v.number, v.hash FROM version v WHERE v.pratica_id = $1 ORDER BY v.number DESC LIMIT 1'
    INTO last_number, last_hash USING pratica;
  INSERT INTO version (pratica_id, number, operation, status, actor_account_id, actor_name, actor_role,
                       created_at, note, snapshot, previous_hash, hash)
  VALUES (pratica, coalesce (last_number, 0) + 1, operation, (snapshot ->> 'status')::integer,
          actor_account_id, actor_name, actor_role, at, note, snapshot, last_hash,
          version_link (last_hash, snapshot));
  RETURN coalesce (last_number, 0) + 1;
END
$$;
