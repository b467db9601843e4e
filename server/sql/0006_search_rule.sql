-- 0006: one rule for the dashboard's search, and short searches as fast as
-- the others.
--
-- A pratica matches when every term of the search begins a word of it: of
-- the applicant's names, the codice fiscale, the pratica's number, its
-- protocol number, or its service's name. The service's name used to match
-- anywhere inside ("de" found "residenza") and the protocol number not at all.
--
-- A term of one or two letters begins words of a large part of the
-- pratiche (a third of a million for "m"): counting them from the words'
-- index read all of them. pratica_prefix_count keeps, for every such
-- beginning, how many pratiche have a word with it, per service, status and
-- assignee, as pratica_count does for all of them, so that their counts are a
-- sum over a few thousand rows; their page comes from walking a sort index,
-- each row looked up in the words by its id (server/db/sp-db-search.c).

-- The words of a name, the applicant's or the service's: lower case (ICU's
-- root collation folds every letter, whatever the database's collation; the
-- server folds the search the same way), split at white space and
-- apostrophes ("D'Angelo": d, angelo) and, when hyphenated, their parts too
-- (anna-maria, anna, maria).
CREATE FUNCTION search_name_words (name text)
  RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH token AS (
    SELECT t FROM regexp_split_to_table (lower (name COLLATE "und-x-icu"), '[[:space:]''’]+') t
  )
  SELECT t FROM token WHERE t <> ''
  UNION ALL SELECT p FROM token, regexp_split_to_table (t, '-+') p WHERE t LIKE '%-%' AND p <> ''
$$;

-- The words of a number, the pratica's ("2026-000123") or its protocol's
-- ("2026/0000123", "PG/2026/0041235"): the number, lower case, and each of
-- its parts after the first (split at "-" and "/") with and without its
-- leading zeros ("000123", "123").
CREATE FUNCTION search_number_words (number text)
  RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower (number COLLATE "und-x-icu") WHERE number <> ''
  UNION ALL
  SELECT w FROM regexp_split_to_table (lower (number COLLATE "und-x-icu"), '[-/]') WITH ORDINALITY AS part (p, i),
                LATERAL (VALUES (p), (ltrim (p, '0'))) AS v (w)
   WHERE part.i > 1 AND w <> ''
$$;

-- A pratica's words, but its service's (they are the service's, matched by
-- the server from servizio.name with search_name_words ()).
DROP FUNCTION pratica_search_words (text, text, text, text);
CREATE FUNCTION pratica_search_words (numero text, cf text, cognome text, nome text, protocol_number text)
  RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT w FROM (
    SELECT n FROM search_name_words (cognome || ' ' || nome) n
    UNION ALL SELECT lower (cf COLLATE "und-x-icu")
    UNION ALL SELECT n FROM search_number_words (numero) n
    UNION ALL SELECT n FROM search_number_words (protocol_number) n
  ) words (w)
  WHERE w <> ''
$$;

-- The same triggers, now also when the protocol number changes.
CREATE OR REPLACE FUNCTION pratica_word_apply () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM pratica_word w USING old_rows o WHERE w.pratica_id = o.id;
  ELSIF TG_OP = 'UPDATE' THEN
    -- Only the pratiche whose words, service, status or assignee changed.
    DELETE FROM pratica_word w USING old_rows o JOIN new_rows n ON n.id = o.id
     WHERE w.pratica_id = o.id
       AND (o.numero, o.applicant_cf, o.applicant_cognome, o.applicant_nome, o.protocol_number,
            o.servizio_id, o.status, o.assigned_to)
           IS DISTINCT FROM
           (n.numero, n.applicant_cf, n.applicant_cognome, n.applicant_nome, n.protocol_number,
            n.servizio_id, n.status, n.assigned_to);
    INSERT INTO pratica_word (word, pratica_id, servizio_id, status, assigned_to, applicant_cognome, applicant_nome)
      SELECT w, n.id, n.servizio_id, n.status, n.assigned_to, n.applicant_cognome, n.applicant_nome
        FROM old_rows o JOIN new_rows n ON n.id = o.id,
             pratica_search_words (n.numero, n.applicant_cf, n.applicant_cognome, n.applicant_nome, n.protocol_number) w
       WHERE (o.numero, o.applicant_cf, o.applicant_cognome, o.applicant_nome, o.protocol_number,
              o.servizio_id, o.status, o.assigned_to)
             IS DISTINCT FROM
             (n.numero, n.applicant_cf, n.applicant_cognome, n.applicant_nome, n.protocol_number,
              n.servizio_id, n.status, n.assigned_to);
  ELSE
    INSERT INTO pratica_word (word, pratica_id, servizio_id, status, assigned_to, applicant_cognome, applicant_nome)
      SELECT w, n.id, n.servizio_id, n.status, n.assigned_to, n.applicant_cognome, n.applicant_nome
        FROM new_rows n,
             pratica_search_words (n.numero, n.applicant_cf, n.applicant_cognome, n.applicant_nome, n.protocol_number) w;
  END IF;
  RETURN NULL;
END
$$;

-- A search this short (in characters) is counted from pratica_prefix_count.
CREATE FUNCTION search_prefix_length () RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 2
$$;

-- The pratiche with a word beginning with each prefix of up to
-- search_prefix_length () characters, per service, status and assignee
-- (0 = nobody), like pratica_count. Kept from pratica_word, whose triggers
-- replace all of a pratica's words at once (so a statement's rows hold all
-- the words of each of its pratiche), by statement-level triggers.
CREATE TABLE pratica_prefix_count (
  prefix       text COLLATE "C" NOT NULL,
  servizio_id  bigint NOT NULL,
  status       integer NOT NULL,
  assigned_to  bigint NOT NULL,
  n            bigint NOT NULL,
  PRIMARY KEY (prefix, servizio_id, status, assigned_to)
);

CREATE FUNCTION pratica_prefix_count_apply () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO pratica_prefix_count AS c (prefix, servizio_id, status, assigned_to, n)
      SELECT prefix, servizio_id, status, coalesce (assigned_to, 0), -count (*)
        FROM (SELECT DISTINCT w.pratica_id, left (w.word, k) AS prefix, w.servizio_id, w.status, w.assigned_to
                FROM old_words w, generate_series (1, search_prefix_length ()) k) p
       GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (prefix, servizio_id, status, assigned_to) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO pratica_prefix_count AS c (prefix, servizio_id, status, assigned_to, n)
      SELECT prefix, servizio_id, status, coalesce (assigned_to, 0), count (*)
        FROM (SELECT DISTINCT w.pratica_id, left (w.word, k) AS prefix, w.servizio_id, w.status, w.assigned_to
                FROM new_words w, generate_series (1, search_prefix_length ()) k) p
       GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (prefix, servizio_id, status, assigned_to) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER pratica_prefix_count_insert AFTER INSERT ON pratica_word
  REFERENCING NEW TABLE AS new_words
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_prefix_count_apply ();
CREATE TRIGGER pratica_prefix_count_update AFTER UPDATE ON pratica_word
  REFERENCING OLD TABLE AS old_words NEW TABLE AS new_words
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_prefix_count_apply ();
CREATE TRIGGER pratica_prefix_count_delete AFTER DELETE ON pratica_word
  REFERENCING OLD TABLE AS old_words
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_prefix_count_apply ();

CREATE FUNCTION pratica_prefix_count_truncate () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE pratica_prefix_count;
  RETURN NULL;
END
$$;
CREATE TRIGGER pratica_prefix_count_truncate AFTER TRUNCATE ON pratica_word
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_prefix_count_truncate ();

-- A pratica's words by its id, to replace them and to tell whether a row of
-- a sort index matches a search (an index-only lookup).
DROP INDEX pratica_word_pratica_idx;
CREATE INDEX pratica_word_pratica_idx ON pratica_word (pratica_id, word) INCLUDE (servizio_id);

-- Every pratica's words again, with its protocol number's, and their counts.
TRUNCATE pratica_word;
INSERT INTO pratica_word (word, pratica_id, servizio_id, status, assigned_to, applicant_cognome, applicant_nome)
  SELECT w, p.id, p.servizio_id, p.status, p.assigned_to, p.applicant_cognome, p.applicant_nome
    FROM pratica p,
         pratica_search_words (p.numero, p.applicant_cf, p.applicant_cognome, p.applicant_nome, p.protocol_number) w;
