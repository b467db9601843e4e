-- 0017: what the processing times of Metriche di utilizzo read.
--
-- When a pratica was first taken in charge (status 4000, SP_STATUS_PENDING),
-- kept on the pratica itself by a row trigger, whichever path takes it in
-- charge (an operator, a partner's event): the iter says the same, but
-- reading it would mean joining a million iter rows back to their pratiche.

ALTER TABLE pratica ADD COLUMN taken_at timestamptz;

CREATE FUNCTION pratica_stamp_taken () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.taken_at := now ();
  RETURN NEW;
END
$$;
CREATE TRIGGER pratica_stamp_taken BEFORE UPDATE OF status ON pratica
  FOR EACH ROW WHEN (NEW.status = 4000 AND OLD.taken_at IS NULL AND NEW.taken_at IS NULL)
  EXECUTE FUNCTION pratica_stamp_taken ();

UPDATE pratica p SET taken_at = i.at
  FROM (SELECT pratica_id, min (at) AS at FROM iter WHERE status = 4000 GROUP BY 1) i
  WHERE i.pratica_id = p.id;

-- The pratiche taken in charge, and those concluded, in a window: read from
-- the indexes alone, with the service, the submission and the deadline.
CREATE INDEX pratica_taken_idx ON pratica (taken_at) INCLUDE (servizio_id, submitted_at)
  WHERE taken_at IS NOT NULL;
CREATE INDEX pratica_concluded_idx ON pratica (concluded_at) INCLUDE (servizio_id, submitted_at, deadline_at)
  WHERE concluded_at IS NOT NULL;

-- 0016 bounded the open pratiche at 7000, but the first concluded status is
-- 6000 (the outcome decided, its registration waiting; see
-- sp_status_get_first_concluded()): the index of the overdue ones, again,
-- over the open ones only.
DROP INDEX pratica_open_deadline_idx;
CREATE INDEX pratica_open_deadline_idx ON pratica (servizio_id, deadline_at) WHERE status < 6000;
