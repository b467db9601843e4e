-- 0002: what the operators' dashboard needs to stay fast at a million pratiche.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The legal deadline, fixed at submission from the service's deadline_days,
-- and the service's name, kept on the pratica so the dashboard sorts by it
-- with an index (kept up to date when a service is renamed).
ALTER TABLE pratica ADD COLUMN deadline_at timestamptz;
ALTER TABLE pratica ADD COLUMN servizio_name text;
UPDATE pratica p SET deadline_at = p.submitted_at + s.deadline_days * interval '1 day', servizio_name = s.name
  FROM servizio s WHERE s.id = p.servizio_id;
ALTER TABLE pratica ALTER COLUMN deadline_at SET NOT NULL;
ALTER TABLE pratica ALTER COLUMN servizio_name SET NOT NULL;

CREATE FUNCTION pratica_from_servizio () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT coalesce (NEW.deadline_at, NEW.submitted_at + deadline_days * interval '1 day'), name
    INTO NEW.deadline_at, NEW.servizio_name
    FROM servizio WHERE id = NEW.servizio_id;
  RETURN NEW;
END
$$;
CREATE TRIGGER pratica_from_servizio BEFORE INSERT OR UPDATE OF servizio_id ON pratica
  FOR EACH ROW EXECUTE FUNCTION pratica_from_servizio ();

CREATE FUNCTION servizio_renamed () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE pratica SET servizio_name = NEW.name WHERE servizio_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER servizio_renamed AFTER UPDATE OF name ON servizio
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION servizio_renamed ();

-- What the search box matches: number, codice fiscale, surname and name.
-- lower() under ICU's root collation folds every letter (Ù, Ç…), whatever the
-- database's own collation; the server folds the search term the same way.
ALTER TABLE pratica ADD COLUMN search_text text GENERATED ALWAYS AS
  (lower ((numero || ' ' || applicant_cf || ' ' || applicant_cognome || ' ' || applicant_nome)
          COLLATE "und-x-icu")) STORED;
CREATE INDEX pratica_search_idx ON pratica USING gin (search_text gin_trgm_ops);
CREATE INDEX servizio_name_idx ON servizio (ente_id, name);

-- "Da gestire" and "Concluse" are the operator's own: a few thousand rows at most.
CREATE INDEX pratica_assignee_status_idx ON pratica (assigned_to, status) WHERE assigned_to IS NOT NULL;

-- "Tutte": one index per sortable column, each ending in id for a stable order.
CREATE INDEX pratica_numero_idx ON pratica (numero, id);
CREATE INDEX pratica_applicant_idx ON pratica (applicant_cognome, applicant_nome, id);
CREATE INDEX pratica_submitted_idx ON pratica (submitted_at, id);
CREATE INDEX pratica_status_idx ON pratica (status, id);
CREATE INDEX pratica_protocol_idx ON pratica ((coalesce (protocol_number, '')), id);
CREATE INDEX pratica_deadline_idx ON pratica (deadline_at, id);
CREATE INDEX pratica_servizio_sort_idx ON pratica (servizio_name, numero, id);

-- "Da assegnare": the same, partial, so they stay small.
CREATE INDEX pratica_unassigned_numero_idx ON pratica (numero, id)
  WHERE assigned_to IS NULL AND status < 6000;
CREATE INDEX pratica_unassigned_applicant_idx ON pratica (applicant_cognome, applicant_nome, id)
  WHERE assigned_to IS NULL AND status < 6000;
CREATE INDEX pratica_unassigned_submitted_idx ON pratica (submitted_at, id)
  WHERE assigned_to IS NULL AND status < 6000;
CREATE INDEX pratica_unassigned_status_idx ON pratica (status, id)
  WHERE assigned_to IS NULL AND status < 6000;
CREATE INDEX pratica_unassigned_protocol_idx ON pratica ((coalesce (protocol_number, '')), id)
  WHERE assigned_to IS NULL AND status < 6000;
CREATE INDEX pratica_unassigned_deadline_idx ON pratica (deadline_at, id)
  WHERE assigned_to IS NULL AND status < 6000;
CREATE INDEX pratica_unassigned_servizio_idx ON pratica (servizio_name, numero, id)
  WHERE assigned_to IS NULL AND status < 6000;

-- Bucket counts without counting: pratiche per service, status and assignee
-- (0 = nobody), kept by statement-level triggers so bulk loads stay fast.
CREATE TABLE pratica_count (
  servizio_id  bigint NOT NULL REFERENCES servizio (id) ON DELETE CASCADE,
  status       integer NOT NULL,
  assigned_to  bigint NOT NULL,
  n            bigint NOT NULL,
  PRIMARY KEY (servizio_id, status, assigned_to)
);

CREATE FUNCTION pratica_count_apply () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO pratica_count AS c (servizio_id, status, assigned_to, n)
      SELECT servizio_id, status, coalesce (assigned_to, 0), -count (*)
        FROM old_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (servizio_id, status, assigned_to) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO pratica_count AS c (servizio_id, status, assigned_to, n)
      SELECT servizio_id, status, coalesce (assigned_to, 0), count (*)
        FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (servizio_id, status, assigned_to) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER pratica_count_insert AFTER INSERT ON pratica
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_count_apply ();
CREATE TRIGGER pratica_count_update AFTER UPDATE ON pratica
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_count_apply ();
CREATE TRIGGER pratica_count_delete AFTER DELETE ON pratica
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_count_apply ();

INSERT INTO pratica_count (servizio_id, status, assigned_to, n)
  SELECT servizio_id, status, coalesce (assigned_to, 0), count (*) FROM pratica GROUP BY 1, 2, 3;
