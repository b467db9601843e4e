-- 0007: what Elabora needs (DESIGN.md §7): documents as large objects, and
-- the saved work of an operator on a pratica.

-- Documents live in PostgreSQL large objects, written and read in chunks
-- (lo_write, lo_get with an offset), so that neither an upload nor a download
-- holds a whole file in memory. The rows of 0001 are moved over.
ALTER TABLE document ADD COLUMN content_oid oid;
UPDATE document SET content_oid = lo_from_bytea (0, content);
ALTER TABLE document DROP COLUMN content;
ALTER TABLE document ALTER COLUMN content_oid SET NOT NULL;
ALTER TABLE document ADD CONSTRAINT document_content_oid_key UNIQUE (content_oid);

-- A document's large object goes with it.
CREATE FUNCTION document_unlink_content () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lo_unlink (OLD.content_oid)
    FROM pg_largeobject_metadata m WHERE m.oid = OLD.content_oid;
  RETURN OLD;
END
$$;
CREATE TRIGGER document_unlink_content AFTER DELETE ON document
  FOR EACH ROW EXECUTE FUNCTION document_unlink_content ();

-- The operator's work in progress on a pratica (Elabora, "Salva"): the
-- outcome, the motivation and the response file chosen so far. The values of
-- the service's own steps are kept in the pratica's data under each step's
-- key, so that every version holds them. "Concludi" copies the outcome and
-- the motivation onto the pratica.
CREATE TABLE pratica_processing (
  pratica_id   uuid PRIMARY KEY REFERENCES pratica (id) ON DELETE CASCADE,
  esito        text CHECK (esito IN ('accepted', 'rejected')),
  motivazione  text,
  risposta_id  uuid REFERENCES document (id),
  -- Incremented at every save: a conclusion drawn from one save is stored
  -- only if no other save came in between.
  revision     integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  saved_at     timestamptz NOT NULL DEFAULT now (),
  saved_by     bigint NOT NULL REFERENCES account (id)
);

-- A step's fields now have the types of Elabora (text, number, date, choice,
-- checkbox; common/sp-processing.c): the earlier definitions are brought to
-- them (select → choice with its options' values, textarea and email →
-- text), and lose "sensitive", which a step never had a use for.
UPDATE servizio SET steps = (
  SELECT coalesce (jsonb_agg (s || jsonb_build_object ('fields', (
           SELECT coalesce (jsonb_agg ((f - 'sensitive' - 'options')
                    || jsonb_build_object ('type', CASE f ->> 'type' WHEN 'select' THEN 'choice'
                                                    WHEN 'textarea' THEN 'text' WHEN 'email' THEN 'text'
                                                    ELSE f ->> 'type' END)
                    || CASE WHEN jsonb_typeof (f -> 'options') = 'array' THEN jsonb_build_object ('options', (
                         SELECT jsonb_agg (CASE jsonb_typeof (o) WHEN 'object' THEN o -> 'value' ELSE o END
                                           ORDER BY n)
                         FROM jsonb_array_elements (f -> 'options') WITH ORDINALITY AS option (o, n)))
                       ELSE '{}' END
                    ORDER BY i), '[]')
           FROM jsonb_array_elements (s -> 'fields') WITH ORDINALITY AS field (f, i)))
         ORDER BY k), '[]')
  FROM jsonb_array_elements (steps) WITH ORDINALITY AS step (s, k))
WHERE steps <> '[]';
