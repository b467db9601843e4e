-- 0003: the dashboard's search matches the beginnings of words, and counts
-- its matches from one narrow index instead of the pratiche themselves.
--
-- A common surname matches about 1% of a million pratiche, spread over the
-- whole table: reading them (through a trigram index) visited ~10,000 heap
-- pages per search. The words below, one row per word of a pratica, keep
-- what the counts need next to the word, so counting reads one contiguous
-- range of one index.

DROP INDEX pratica_search_idx;
ALTER TABLE pratica DROP COLUMN search_text;

-- The words the search box finds a pratica by, lower case (ICU's root
-- collation folds every letter, whatever the database's collation; the
-- server folds the search the same way): the surname's and name's words,
-- split at spaces and apostrophes ("D'Angelo": d, angelo) and, when
-- hyphenated, their parts too (anna-maria, anna, maria); the codice
-- fiscale; the number, its sequence ("2026-000123": 000123) and the
-- sequence without its leading zeros (123).
CREATE FUNCTION pratica_search_words (numero text, cf text, cognome text, nome text)
  RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH token AS (
    SELECT t FROM regexp_split_to_table (lower ((cognome || ' ' || nome) COLLATE "und-x-icu"),
                                         '[[:space:]''’]+') t
  ), sequence AS (
    SELECT lower (regexp_replace (numero, '^.*-', '') COLLATE "und-x-icu") AS s
  )
  SELECT DISTINCT w FROM (
    SELECT t FROM token
    UNION ALL SELECT regexp_split_to_table (t, '-+') FROM token WHERE t LIKE '%-%'
    UNION ALL SELECT lower (cf COLLATE "und-x-icu")
    UNION ALL SELECT lower (numero COLLATE "und-x-icu")
    UNION ALL SELECT s FROM sequence
    UNION ALL SELECT ltrim (s, '0') FROM sequence
  ) words (w)
  WHERE w <> ''
$$;

-- With what the counts need (service, status, assignee), so that counting a
-- search's matches never reads a pratica, and the applicant's names, so that
-- sorting them by applicant does not either (a surname's matches sit together
-- in that order: walking the sort index to them would read much of it).
-- Byte order ("C") so that a prefix is a range of the index.
CREATE TABLE pratica_word (
  word         text COLLATE "C" NOT NULL,
  pratica_id   uuid NOT NULL,
  servizio_id  bigint NOT NULL,
  status       integer NOT NULL,
  assigned_to  bigint,
  applicant_cognome  text NOT NULL,
  applicant_nome     text NOT NULL
);
CREATE INDEX pratica_word_search_idx ON pratica_word (word, servizio_id, status, assigned_to, pratica_id)
  INCLUDE (applicant_cognome, applicant_nome);
-- A pratica's words, to replace them (small: B-tree deduplication).
CREATE INDEX pratica_word_pratica_idx ON pratica_word (pratica_id);

-- Kept by statement-level triggers, like pratica_count, so bulk loads stay fast.
CREATE FUNCTION pratica_word_apply () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM pratica_word w USING old_rows o WHERE w.pratica_id = o.id;
  ELSIF TG_OP = 'UPDATE' THEN
    -- Only the pratiche whose words, service, status or assignee changed.
    DELETE FROM pratica_word w USING old_rows o JOIN new_rows n ON n.id = o.id
     WHERE w.pratica_id = o.id
       AND (o.numero, o.applicant_cf, o.applicant_cognome, o.applicant_nome, o.servizio_id, o.status, o.assigned_to)
           IS DISTINCT FROM
           (n.numero, n.applicant_cf, n.applicant_cognome, n.applicant_nome, n.servizio_id, n.status, n.assigned_to);
    INSERT INTO pratica_word (word, pratica_id, servizio_id, status, assigned_to, applicant_cognome, applicant_nome)
      SELECT w, n.id, n.servizio_id, n.status, n.assigned_to, n.applicant_cognome, n.applicant_nome
        FROM old_rows o JOIN new_rows n ON n.id = o.id,
             pratica_search_words (n.numero, n.applicant_cf, n.applicant_cognome, n.applicant_nome) w
       WHERE (o.numero, o.applicant_cf, o.applicant_cognome, o.applicant_nome, o.servizio_id, o.status, o.assigned_to)
             IS DISTINCT FROM
             (n.numero, n.applicant_cf, n.applicant_cognome, n.applicant_nome, n.servizio_id, n.status, n.assigned_to);
  ELSE
    INSERT INTO pratica_word (word, pratica_id, servizio_id, status, assigned_to, applicant_cognome, applicant_nome)
      SELECT w, n.id, n.servizio_id, n.status, n.assigned_to, n.applicant_cognome, n.applicant_nome
        FROM new_rows n, pratica_search_words (n.numero, n.applicant_cf, n.applicant_cognome, n.applicant_nome) w;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER pratica_word_insert AFTER INSERT ON pratica
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_word_apply ();
CREATE TRIGGER pratica_word_update AFTER UPDATE ON pratica
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_word_apply ();
CREATE TRIGGER pratica_word_delete AFTER DELETE ON pratica
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_word_apply ();

CREATE FUNCTION pratica_word_truncate () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE pratica_word;
  RETURN NULL;
END
$$;
CREATE TRIGGER pratica_word_truncate AFTER TRUNCATE ON pratica
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_word_truncate ();

INSERT INTO pratica_word (word, pratica_id, servizio_id, status, assigned_to, applicant_cognome, applicant_nome)
  SELECT w, p.id, p.servizio_id, p.status, p.assigned_to, p.applicant_cognome, p.applicant_nome
    FROM pratica p, pratica_search_words (p.numero, p.applicant_cf, p.applicant_cognome, p.applicant_nome) w;

-- The walk of a sort index in a search (sp-db-dashboard.c) reads the index
-- alone: the protocol sort's index carries the column its expression needs.
DROP INDEX pratica_protocol_idx;
CREATE INDEX pratica_protocol_idx ON pratica ((coalesce (protocol_number, '')), id) INCLUDE (protocol_number);
DROP INDEX pratica_unassigned_protocol_idx;
CREATE INDEX pratica_unassigned_protocol_idx ON pratica ((coalesce (protocol_number, '')), id) INCLUDE (protocol_number)
  WHERE assigned_to IS NULL AND status < 6000;
