-- 0016: what Metriche di utilizzo counts, without reading every pratica.
--
-- Pratiche per service and year of submission (Rome's year), kept by
-- statement triggers as pratica_count is (0002): the summary sums a few rows
-- per service instead of a million pratiche.

CREATE TABLE pratica_year_count (
  servizio_id  bigint NOT NULL REFERENCES servizio (id) ON DELETE CASCADE,
  year         integer NOT NULL,
  n            bigint NOT NULL,
  PRIMARY KEY (servizio_id, year)
);

-- Each statement's net change per service and year, in key order (so that
-- concurrent writers never deadlock on the counts); a status change nets
-- to nothing and writes nothing.
CREATE FUNCTION pratica_year_count_apply () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO pratica_year_count AS c (servizio_id, year, n)
      SELECT servizio_id, extract (year FROM submitted_at AT TIME ZONE 'Europe/Rome')::integer, count (*)
        FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (servizio_id, year) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO pratica_year_count AS c (servizio_id, year, n)
      SELECT servizio_id, extract (year FROM submitted_at AT TIME ZONE 'Europe/Rome')::integer, -count (*)
        FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (servizio_id, year) DO UPDATE SET n = c.n + excluded.n;
  ELSE
    INSERT INTO pratica_year_count AS c (servizio_id, year, n)
      SELECT servizio_id, year, sum (delta)
        FROM (SELECT servizio_id, extract (year FROM submitted_at AT TIME ZONE 'Europe/Rome')::integer AS year,
                     -1 AS delta FROM old_rows
              UNION ALL
              SELECT servizio_id, extract (year FROM submitted_at AT TIME ZONE 'Europe/Rome')::integer, 1
                FROM new_rows) d
        GROUP BY 1, 2 HAVING sum (delta) <> 0 ORDER BY 1, 2
      ON CONFLICT (servizio_id, year) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER pratica_year_count_insert AFTER INSERT ON pratica
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_year_count_apply ();
CREATE TRIGGER pratica_year_count_update AFTER UPDATE ON pratica
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_year_count_apply ();
CREATE TRIGGER pratica_year_count_delete AFTER DELETE ON pratica
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pratica_year_count_apply ();

INSERT INTO pratica_year_count (servizio_id, year, n)
  SELECT servizio_id, extract (year FROM submitted_at AT TIME ZONE 'Europe/Rome')::integer, count (*)
  FROM pratica GROUP BY 1, 2;

-- Overdue: the open pratiche (before the first concluded status, 7000; see
-- sp_status_get_first_concluded()) by service and deadline, a small part of
-- them all.
CREATE INDEX pratica_open_deadline_idx ON pratica (servizio_id, deadline_at) WHERE status < 7000;

-- The chart: a service's pratiche by time of submission, with their status,
-- read from the index alone.
CREATE INDEX pratica_metrics_idx ON pratica (servizio_id, submitted_at) INCLUDE (status);
