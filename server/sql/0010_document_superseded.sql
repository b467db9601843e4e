-- 0010: a replaced document is kept, for the audit, but is no longer current
-- (DESIGN.md §3, documents). Uploading a new response file replaces the one
-- before: the old row stays, with its large object and its place in the
-- versions written while it was current, marked superseded by the new one.
-- (0009 is another branch's.)

ALTER TABLE document
  ADD COLUMN superseded_by uuid REFERENCES document (id) ON DELETE SET NULL,
  ADD COLUMN superseded_at timestamptz,
  ADD CONSTRAINT document_superseded_check
    CHECK ((superseded_by IS NULL OR superseded_at IS NOT NULL) AND superseded_by IS DISTINCT FROM id);

-- The one definition of a pratica's current documents: what the detail
-- lists, the e-mails attach, the response PDF names and the versions record.
CREATE VIEW document_current AS
  SELECT d.* FROM document d WHERE d.superseded_at IS NULL;

CREATE INDEX document_current_idx ON document (pratica_id, kind) WHERE superseded_at IS NULL;

-- Marks the pratica's current documents of the new one's kind as replaced
-- by it; returns how many. The one rule of replacement: the operator's file
-- (`allegato`) and the response PDF (`risposta`) alike.
CREATE FUNCTION document_supersede (newer uuid) RETURNS integer
LANGUAGE sql AS $$
  WITH replaced AS (
    UPDATE document d SET superseded_by = n.id, superseded_at = now ()
    FROM document n
    WHERE n.id = newer AND d.pratica_id = n.pratica_id AND d.kind = n.kind AND d.id <> n.id
      AND d.superseded_at IS NULL
    RETURNING d.id)
  SELECT count (*)::integer FROM replaced
$$;

-- Documents written before this migration: of several operator's files of
-- one pratica, the one chosen as the response (or else the newest) stays
-- current, the others are replaced by it.
WITH kept AS (
  SELECT DISTINCT ON (d.pratica_id, d.kind) d.id, d.pratica_id, d.kind
  FROM document d LEFT JOIN pratica_processing w ON w.risposta_id = d.id
  WHERE d.kind IN ('allegato', 'risposta')
  ORDER BY d.pratica_id, d.kind, (w.risposta_id IS NOT NULL) DESC, d.created_at DESC, d.id DESC)
UPDATE document d SET superseded_by = k.id, superseded_at = now ()
FROM kept k
WHERE d.pratica_id = k.pratica_id AND d.kind = k.kind AND d.id <> k.id;

-- A version's document list is the pratica's current documents (versions
-- written before keep theirs: a replaced file shows in the comparison); as
-- they were at a past time for the versions of a past state that
-- sportello-admin load-demo writes (the response from the conclusion on).
CREATE FUNCTION version_documents (pratica uuid, at timestamptz) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT coalesce (jsonb_agg (jsonb_build_object ('id', d.id, 'kind', d.kind, 'filename', d.filename,
                                                  'sha256', d.sha256) ORDER BY d.created_at, d.id), '[]')
  FROM document_current d WHERE d.pratica_id = pratica AND d.created_at <= at
$$;

CREATE OR REPLACE FUNCTION version_documents (pratica uuid) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT version_documents (pratica, 'infinity')
$$;
