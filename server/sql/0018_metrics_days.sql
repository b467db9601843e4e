-- 0018: the chart of submitted pratiche by day, counted ahead.
--
-- Pratiche per service, Rome's day of submission and current status, and
-- per service and day whatever the status (status 0), kept by the statement
-- triggers that keep pratica_year_count (0016), now one function for both:
-- the 7, 30 and 90 days' charts read one row per service and day instead of
-- every pratica of the window.

CREATE TABLE pratica_day_count (
  servizio_id  bigint NOT NULL REFERENCES servizio (id) ON DELETE CASCADE,
  day          date NOT NULL,
  status       integer NOT NULL,    -- 0: every status
  n            bigint NOT NULL,
  PRIMARY KEY (servizio_id, day, status)
);

-- A statement's net change per service and day and status, in key order (so
-- that concurrent writers never deadlock on the counts); what nets to
-- nothing (a save that keeps the status) writes nothing. The year's count
-- as 0016 keeps it.
CREATE OR REPLACE FUNCTION pratica_year_count_apply () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO pratica_year_count AS c (servizio_id, year, n)
      SELECT servizio_id, extract (year FROM submitted_at AT TIME ZONE 'Europe/Rome')::integer, count (*)
        FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (servizio_id, year) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO pratica_day_count AS c (servizio_id, day, status, n)
      SELECT servizio_id, day, coalesce (status, 0), count (*)
        FROM (SELECT servizio_id, (submitted_at AT TIME ZONE 'Europe/Rome')::date AS day, status FROM new_rows) d
        GROUP BY GROUPING SETS ((servizio_id, day, status), (servizio_id, day)) ORDER BY 1, 2, 3
      ON CONFLICT (servizio_id, day, status) DO UPDATE SET n = c.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO pratica_year_count AS c (servizio_id, year, n)
      SELECT servizio_id, extract (year FROM submitted_at AT TIME ZONE 'Europe/Rome')::integer, -count (*)
        FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (servizio_id, year) DO UPDATE SET n = c.n + excluded.n;
    INSERT INTO pratica_day_count AS c (servizio_id, day, status, n)
      SELECT servizio_id, day, coalesce (status, 0), -count (*)
        FROM (SELECT servizio_id, (submitted_at AT TIME ZONE 'Europe/Rome')::date AS day, status FROM old_rows) d
        GROUP BY GROUPING SETS ((servizio_id, day, status), (servizio_id, day)) ORDER BY 1, 2, 3
      ON CONFLICT (servizio_id, day, status) DO UPDATE SET n = c.n + excluded.n;
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
    INSERT INTO pratica_day_count AS c (servizio_id, day, status, n)
      SELECT servizio_id, day, coalesce (status, 0), sum (delta)
        FROM (SELECT servizio_id, (submitted_at AT TIME ZONE 'Europe/Rome')::date AS day, status, -1 AS delta
                FROM old_rows
              UNION ALL
              SELECT servizio_id, (submitted_at AT TIME ZONE 'Europe/Rome')::date, status, 1 FROM new_rows) d
        GROUP BY GROUPING SETS ((servizio_id, day, status), (servizio_id, day)) HAVING sum (delta) <> 0
        ORDER BY 1, 2, 3
      ON CONFLICT (servizio_id, day, status) DO UPDATE SET n = c.n + excluded.n;
  END IF;
  RETURN NULL;
END
$$;

INSERT INTO pratica_day_count (servizio_id, day, status, n)
  SELECT servizio_id, day, coalesce (status, 0), count (*)
  FROM (SELECT servizio_id, (submitted_at AT TIME ZONE 'Europe/Rome')::date AS day, status FROM pratica) d
  GROUP BY GROUPING SETS ((servizio_id, day, status), (servizio_id, day));

-- It keeps both counts now; the triggers of 0016 follow it.
ALTER FUNCTION pratica_year_count_apply () RENAME TO pratica_metrics_count_apply;

-- The processing times read each service's pratiche taken in charge, and
-- concluded, in the window, one service after the other: 0017's indexes, led
-- by the service.
DROP INDEX pratica_taken_idx;
DROP INDEX pratica_concluded_idx;
CREATE INDEX pratica_taken_idx ON pratica (servizio_id, taken_at) INCLUDE (submitted_at)
  WHERE taken_at IS NOT NULL;
CREATE INDEX pratica_concluded_idx ON pratica (servizio_id, concluded_at) INCLUDE (submitted_at, deadline_at)
  WHERE concluded_at IS NOT NULL;
