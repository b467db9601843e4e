-- 0012: what a server process may keep in memory between requests (the
-- partners, their certificates and grants, the services and their enti)
-- is announced when it changes, so that every process drops its copy.

CREATE FUNCTION catalogue_changed () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Delivered at commit, once per transaction and table.
  PERFORM pg_notify ('sportello_catalogue', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER ente_catalogue AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ente
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed ();
CREATE TRIGGER servizio_catalogue AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON servizio
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed ();
CREATE TRIGGER partner_catalogue AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partner
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed ();
CREATE TRIGGER partner_servizio_catalogue AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partner_servizio
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed ();
CREATE TRIGGER partner_cert_catalogue AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON partner_cert
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_changed ();
