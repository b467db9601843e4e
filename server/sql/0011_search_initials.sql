-- 0011: searches of one or two letters as fast as the others at a million
-- pratiche (issue 9: they took 100-200 ms).
--
-- Such a search begins words of a large part of the pratiche. Its page comes
-- from walking the bucket's sort index (server/db/sp-db-search-prefix.c),
-- which used to look each row's words up by its id: a few thousand lookups
-- of ~15 µs when the matches sit far from where the walk begins. Each
-- pratica now carries the beginnings of its words as bits, and the sort
-- indexes carry those bits: the walk tells most rows apart without leaving
-- the index, and looks up only the rows whose bits fit the search.
--
-- Its counts summed pratica_prefix_count's rows per service, status and
-- assignee: 30,000 rows for "m". Nobody and someone are enough there; the
-- operator's own pratiche are counted from rows of their own.

-- The bit of a word's first character: a-z, 0-9, or 36 for any other.
CREATE FUNCTION search_letter_bit (c text) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce (nullif (strpos ('abcdefghijklmnopqrstuvwxyz0123456789', c), 0), 37) - 1
$$;

-- The bits of a word, as search_name_words () and search_number_words ()
-- make them, or of a search's term, folded the same way: its first
-- character's (exact), and for two characters or more one of bits 37-63
-- for its first two (a hash: several pairs share a bit). A term begins a
-- word only if the term's bits are all among the word's.
CREATE FUNCTION search_prefix_bits (word text) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN word = '' THEN 0::bigint ELSE
    (1::bigint << search_letter_bit (left (word, 1)))
    | CASE WHEN length (word) >= 2
           THEN 1::bigint << (37 + (ascii (substr (word, 1, 1)) * 31 + ascii (substr (word, 2, 1))) % 27)
           ELSE 0::bigint END
  END
$$;

-- The bits of all of a pratica's words (pratica_search_words ()).
CREATE FUNCTION pratica_search_initials (numero text, cf text, cognome text, nome text, protocol_number text)
  RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce (bit_or (search_prefix_bits (w)), 0)
    FROM pratica_search_words (numero, cf, cognome, nome, protocol_number) w
$$;

ALTER TABLE pratica ADD COLUMN search_initials bigint NOT NULL GENERATED ALWAYS AS
  (pratica_search_initials (numero, applicant_cf, applicant_cognome, applicant_nome, protocol_number)) STORED;

-- The sort indexes of the buckets a search walks ("Tutte", "Da assegnare")
-- carry the bits, and the service a row's scope and a service-name match
-- need, so that the walk reads the index alone.
DROP INDEX pratica_numero_idx;
CREATE INDEX pratica_numero_idx ON pratica (numero, id) INCLUDE (servizio_id, search_initials);
DROP INDEX pratica_applicant_idx;
CREATE INDEX pratica_applicant_idx ON pratica (applicant_cognome, applicant_nome, id)
  INCLUDE (servizio_id, search_initials);
DROP INDEX pratica_submitted_idx;
CREATE INDEX pratica_submitted_idx ON pratica (submitted_at, id) INCLUDE (servizio_id, search_initials);
DROP INDEX pratica_status_idx;
CREATE INDEX pratica_status_idx ON pratica (status, id) INCLUDE (servizio_id, search_initials);
DROP INDEX pratica_protocol_idx;
CREATE INDEX pratica_protocol_idx ON pratica ((coalesce (protocol_number, '')), id)
  INCLUDE (protocol_number, servizio_id, search_initials);
DROP INDEX pratica_deadline_idx;
CREATE INDEX pratica_deadline_idx ON pratica (deadline_at, id) INCLUDE (servizio_id, search_initials);
DROP INDEX pratica_servizio_sort_idx;
CREATE INDEX pratica_servizio_sort_idx ON pratica (servizio_name, numero, id) INCLUDE (servizio_id, search_initials);

DROP INDEX pratica_unassigned_numero_idx;
CREATE INDEX pratica_unassigned_numero_idx ON pratica (numero, id) INCLUDE (servizio_id, search_initials)
  WHERE assigned_to IS NULL AND status < 6000;
DROP INDEX pratica_unassigned_applicant_idx;
CREATE INDEX pratica_unassigned_applicant_idx ON pratica (applicant_cognome, applicant_nome, id)
  INCLUDE (servizio_id, search_initials) WHERE assigned_to IS NULL AND status < 6000;
DROP INDEX pratica_unassigned_submitted_idx;
CREATE INDEX pratica_unassigned_submitted_idx ON pratica (submitted_at, id) INCLUDE (servizio_id, search_initials)
  WHERE assigned_to IS NULL AND status < 6000;
DROP INDEX pratica_unassigned_status_idx;
CREATE INDEX pratica_unassigned_status_idx ON pratica (status, id) INCLUDE (servizio_id, search_initials)
  WHERE assigned_to IS NULL AND status < 6000;
DROP INDEX pratica_unassigned_protocol_idx;
CREATE INDEX pratica_unassigned_protocol_idx ON pratica ((coalesce (protocol_number, '')), id)
  INCLUDE (protocol_number, servizio_id, search_initials) WHERE assigned_to IS NULL AND status < 6000;
DROP INDEX pratica_unassigned_deadline_idx;
CREATE INDEX pratica_unassigned_deadline_idx ON pratica (deadline_at, id) INCLUDE (servizio_id, search_initials)
  WHERE assigned_to IS NULL AND status < 6000;
DROP INDEX pratica_unassigned_servizio_idx;
CREATE INDEX pratica_unassigned_servizio_idx ON pratica (servizio_name, numero, id)
  INCLUDE (servizio_id, search_initials) WHERE assigned_to IS NULL AND status < 6000;

-- pratica_prefix_count now tells only nobody (0) from someone (-1); the
-- pratiche of each assignee are counted in pratica_prefix_assigned, whose
-- rows of one operator sit together.
CREATE TABLE pratica_prefix_assigned (
  prefix       text COLLATE "C" NOT NULL,
  assigned_to  bigint NOT NULL,
  servizio_id  bigint NOT NULL,
  status       integer NOT NULL,
  n            bigint NOT NULL,
  PRIMARY KEY (prefix, assigned_to, servizio_id, status)
);

-- Adds the prefixes of the words of a statement (all of each pratica's, as
-- pratica_word's triggers write them) to both tables: subtracts the old
-- words', adds the new ones'.
CREATE OR REPLACE FUNCTION pratica_prefix_count_apply () RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  add constant text := $sql$
    WITH p AS MATERIALIZED (
      SELECT DISTINCT w.pratica_id, left (w.word, k) AS prefix, w.servizio_id, w.status, w.assigned_to
        FROM %I w, generate_series (1, search_prefix_length ()) k
    ), everyone AS (
      INSERT INTO pratica_prefix_count AS c (prefix, servizio_id, status, assigned_to, n)
        SELECT prefix, servizio_id, status, CASE WHEN assigned_to IS NULL THEN 0 ELSE -1 END, $1 * count (*)
          FROM p GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (prefix, servizio_id, status, assigned_to) DO UPDATE SET n = c.n + excluded.n
    )
    INSERT INTO pratica_prefix_assigned AS c (prefix, assigned_to, servizio_id, status, n)
      SELECT prefix, assigned_to, servizio_id, status, $1 * count (*)
        FROM p WHERE assigned_to IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (prefix, assigned_to, servizio_id, status) DO UPDATE SET n = c.n + excluded.n
  $sql$;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    EXECUTE format (add, 'old_words') USING -1;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    EXECUTE format (add, 'new_words') USING 1;
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION pratica_prefix_count_truncate () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE pratica_prefix_count, pratica_prefix_assigned;
  RETURN NULL;
END
$$;

-- Both tables afresh, by the triggers: every pratica's words again.
TRUNCATE pratica_word;
INSERT INTO pratica_word (word, pratica_id, servizio_id, status, assigned_to, applicant_cognome, applicant_nome)
  SELECT w, p.id, p.servizio_id, p.status, p.assigned_to, p.applicant_cognome, p.applicant_nome
    FROM pratica p,
         pratica_search_words (p.numero, p.applicant_cf, p.applicant_cognome, p.applicant_nome, p.protocol_number) w;

ANALYZE pratica, pratica_word, pratica_prefix_count, pratica_prefix_assigned;
