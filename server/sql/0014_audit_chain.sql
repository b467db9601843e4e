-- 0014: the audit's check of a pratica's hash chain (GET
-- …/audit/pratiche/{pratica}/chain) is a read of its versions too, logged
-- with what it found: {versions, intact, broken_version}.

ALTER TABLE audit_read DROP CONSTRAINT audit_read_action_check;
ALTER TABLE audit_read ADD CONSTRAINT audit_read_action_check
  CHECK (action IN ('search', 'versions', 'compare', 'reads', 'chain'));
