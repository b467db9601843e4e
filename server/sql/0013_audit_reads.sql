-- 0013: the audit's own log (DESIGN.md §7): every read an auditor makes of
-- the versions of a pratica — a search, its versions, a comparison, this
-- log — who, when, of which pratica and what. Append-only, as the versions.

CREATE TABLE audit_read (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now (),
  account_id  bigint NOT NULL REFERENCES account (id),
  pratica_id  uuid REFERENCES pratica (id),          -- NULL for a search
  action      text NOT NULL CHECK (action IN ('search', 'versions', 'compare', 'reads')),
  detail      jsonb NOT NULL DEFAULT '{}'             -- {q} of a search, {from, to} of a comparison
);
CREATE INDEX audit_read_pratica_idx ON audit_read (pratica_id, at) WHERE pratica_id IS NOT NULL;
CREATE INDEX audit_read_account_idx ON audit_read (account_id, at);

CREATE FUNCTION audit_read_refuse_change () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_read_append_only BEFORE UPDATE OR DELETE ON audit_read
  FOR EACH ROW EXECUTE FUNCTION audit_read_refuse_change ();
CREATE TRIGGER audit_read_no_truncate BEFORE TRUNCATE ON audit_read
  FOR EACH STATEMENT EXECUTE FUNCTION audit_read_refuse_change ();
