-- 0019: a version's snapshot is planned once per connection, not at every
-- version. version_current_snapshot() and version_documents() read tables, so
-- PostgreSQL cannot inline them as SQL functions, and runs them through its
-- SQL-function executor, which plans their statement again at every call:
-- with pratica's many indexes, about a millisecond of planning for every
-- version version_append() writes, twice what writing it costs. As PL/pgSQL
-- functions their statements keep their plan for the session. Both find
-- their rows by key (a pratica by its id, its documents by
-- document_current_idx), so the plan does not depend on the pratica.
-- The definitions are those of 0005 and 0010, to the byte of their results.

CREATE OR REPLACE FUNCTION version_documents (pratica uuid, at timestamptz) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT coalesce (jsonb_agg (jsonb_build_object ('id', d.id, 'kind', d.kind, 'filename', d.filename,
                                                          'sha256', d.sha256) ORDER BY d.created_at, d.id), '[]')
          FROM document_current d WHERE d.pratica_id = version_documents.pratica AND d.created_at <= version_documents.at);
END
$$;

CREATE OR REPLACE FUNCTION version_current_snapshot (pratica uuid) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT version_snapshot (p.data, p.status, a.username, p.protocol_number, p.protocol_date,
                                   p.protocol_entries, p.outcome, p.motivation, version_documents (p.id))
          FROM pratica p LEFT JOIN account a ON a.id = p.assigned_to
          WHERE p.id = version_current_snapshot.pratica);
END
$$;
