-- The one definition of a version (DESIGN.md §3): what its snapshot holds, and
-- the link that chains it to the version before. Every writer calls these —
-- the server (version_append), sportello-admin load-demo (version_append with
-- the snapshot of a past state), generate (version_snapshot and version_link,
-- set-based) and the tests' fixtures — and sportello-admin verify-versions
-- recomputes each link with version_link.
--
-- Canonical form: the snapshot's jsonb text (object members once each, in
-- jsonb's order, one space after ':' and ','), so that equal snapshots give
-- equal bytes whoever wrote them; computed by the database in C, at the speed
-- of the bulk writers.

-- The document list of a snapshot: the pratica's documents in creation order.
CREATE FUNCTION version_documents (pratica uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce (jsonb_agg (jsonb_build_object ('id', d.id, 'kind', d.kind, 'filename', d.filename,
                                                  'sha256', d.sha256) ORDER BY d.created_at, d.id), '[]')
  FROM document d WHERE d.pratica_id = pratica
$$;

-- A snapshot: form data, status, assignee, protocol, outcome, motivation and documents.
-- STABLE, not IMMUTABLE: a protocol date is written in the session's time zone.
CREATE FUNCTION version_snapshot (data jsonb, status integer, assigned_to text, protocol_number text,
                                  protocol_date timestamptz, protocol_entries jsonb, outcome text,
                                  motivation text, documents jsonb) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object (
    'data', data, 'status', status, 'assigned_to', assigned_to,
    'protocol', jsonb_build_object ('number', protocol_number, 'date', protocol_date,
                                    'entries', coalesce (protocol_entries, '[]')),
    'outcome', outcome, 'motivation', motivation, 'documents', coalesce (documents, '[]'))
$$;

-- The snapshot of a pratica as it is now; NULL when there is no such pratica.
CREATE FUNCTION version_current_snapshot (pratica uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT version_snapshot (p.data, p.status, a.username, p.protocol_number, p.protocol_date,
                           p.protocol_entries, p.outcome, p.motivation, version_documents (p.id))
  FROM pratica p LEFT JOIN account a ON a.id = p.assigned_to
  WHERE p.id = pratica
$$;

-- A link of the chain: hex SHA-256 of (the previous version's hex hash ‖ the
-- canonical snapshot); the first version has no previous hash. (STABLE as
-- convert_to is, so that it is inlined into the statements that call it.)
CREATE FUNCTION version_link (previous_hash text, snapshot jsonb) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT encode (sha256 (convert_to (coalesce (previous_hash, '') || snapshot::text, 'UTF8')), 'hex')
$$;

-- Appends the next version of a pratica and returns its number, or NULL when
-- there is no such pratica. The snapshot is the pratica as it is now unless one
-- is given (the demo writes past states). The pratica's row lock, taken here if
-- the caller has not, makes concurrent writers chain one after the other.
CREATE FUNCTION version_append (pratica uuid, operation text, actor_account_id bigint, actor_name text,
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
