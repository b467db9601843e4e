-- 0009: the partner API (issue 11): certificates per partner, the lockout of
-- HTTP Basic, what a partner sends with a status change, idempotent creation.

-- A partner may hold several client certificates at once (a rotation
-- overlaps); a revoked one stays, for the record.
CREATE TABLE partner_cert (
  fingerprint  text PRIMARY KEY CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  partner_id   bigint NOT NULL REFERENCES partner (id) ON DELETE CASCADE,
  added_at     timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);
CREATE INDEX partner_cert_partner_idx ON partner_cert (partner_id);

INSERT INTO partner_cert (fingerprint, partner_id)
  SELECT cert_fingerprint, id FROM partner WHERE cert_fingerprint IS NOT NULL;
-- Drops the check "a password or a certificate" with it: a partner may now
-- be created first and given its credentials after.
ALTER TABLE partner DROP COLUMN cert_fingerprint;

-- HTTP Basic: failed attempts lock the partner as they lock an account.
ALTER TABLE partner
  ADD COLUMN failed_logins  integer NOT NULL DEFAULT 0,
  ADD COLUMN locked_until   timestamptz,
  ADD COLUMN disabled       boolean NOT NULL DEFAULT false;

-- A partner's status change: its own time of the event, and who acted on its
-- side ({operatore, responsabile, struttura}); iter.at is the reception time.
ALTER TABLE iter
  ADD COLUMN partner_at      timestamptz,
  ADD COLUMN partner_detail  jsonb;

-- offline/create: the SHA-256 of the canonical request, so that the same id
-- again is told apart as the same body (the pratica again) or another (409).
ALTER TABLE pratica ADD COLUMN external_request_hash text;
