-- 0021: the processing times of Metriche di utilizzo, computed in the
-- background for the windows counted in days.
--
-- Over 90 days the figures read every pratica taken in charge or concluded
-- in the window (about 600,000 index entries at a million pratiche): a
-- second per request. The job 'metrics-processing' computes them for every
-- active service every 5 minutes; a request reads them when they are fresh
-- and computes, live, the services that have none (a new service, or a
-- server that has not run the job for three periods).

-- The figures of one service since an instant: the one definition, for the
-- job and for the live requests (server/db/sp-db-metrics-processing.c). A single
-- SELECT returning a table, so that PostgreSQL inlines it into the query
-- that calls it (LATERAL, a service after the other) and plans it with the
-- indexes of 0018, led by the service; days as float8 sort fast.
CREATE FUNCTION metrics_processing_figures (servizio bigint, since timestamptz)
RETURNS TABLE (taken_n bigint, taken_median float8, taken_p90 float8,
               concluded_n bigint, concluded_median float8, concluded_p90 float8,
               within_deadline float8)
LANGUAGE sql STABLE AS $$
  SELECT t.n, t.pct[1], t.pct[2], c.n, c.pct[1], c.pct[2], c.within
  FROM (SELECT count (*) AS n,
               percentile_cont (ARRAY[0.5, 0.9]) WITHIN GROUP
                 (ORDER BY date_part ('epoch', p.taken_at - p.submitted_at) / 86400) AS pct
        FROM pratica p
        WHERE p.servizio_id = servizio AND p.taken_at IS NOT NULL AND p.taken_at >= since) t,
       (SELECT count (*) AS n,
               percentile_cont (ARRAY[0.5, 0.9]) WITHIN GROUP
                 (ORDER BY date_part ('epoch', p.concluded_at - p.submitted_at) / 86400) AS pct,
               avg ((p.concluded_at <= p.deadline_at)::integer)::float8 AS within
        FROM pratica p
        WHERE p.servizio_id = servizio AND p.concluded_at IS NOT NULL AND p.concluded_at >= since) c
$$;

-- The job's results: one row per window and service, replaced at each run.
CREATE TABLE metrics_processing (
  window_name       text NOT NULL CHECK (window_name ~ '^[0-9]+[a-z]$'),
  servizio_id       bigint NOT NULL REFERENCES servizio (id) ON DELETE CASCADE,
  since             timestamptz NOT NULL,
  computed_at       timestamptz NOT NULL,
  taken_n           bigint NOT NULL,
  taken_median      float8,
  taken_p90         float8,
  concluded_n       bigint NOT NULL,
  concluded_median  float8,
  concluded_p90     float8,
  within_deadline   float8,
  PRIMARY KEY (window_name, servizio_id)
);

INSERT INTO job_schedule (kind, every) VALUES ('metrics-processing', interval '5 minutes');
