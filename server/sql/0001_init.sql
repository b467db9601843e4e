-- 0001: the data model of Sportello (DESIGN.md §3).

DO $$
BEGIN
  IF current_setting ('server_encoding') <> 'UTF8' THEN
    RAISE EXCEPTION 'Sportello needs a UTF8 database, not %', current_setting ('server_encoding');
  END IF;
END
$$;

CREATE TABLE ente (
  id          bigserial PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9_]{1,32}$'),
  name        text NOT NULL CHECK (name <> ''),
  locale      text NOT NULL DEFAULT 'it_IT',
  place_name  text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE servizio (
  id                        bigserial PRIMARY KEY,
  ente_id                   bigint NOT NULL REFERENCES ente (id),
  slug                      text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  name                      text NOT NULL CHECK (name <> ''),
  description               text NOT NULL DEFAULT '',
  active                    boolean NOT NULL DEFAULT true,
  protocol_required         boolean NOT NULL DEFAULT true,
  protocol_provider         text NOT NULL DEFAULT 'internal'
                              CHECK (protocol_provider IN ('internal', 'external')),
  -- {"arrivo": [{"key", "label", "value"}…], "risposta": […]}
  protocol_config           jsonb NOT NULL DEFAULT '{"arrivo": [], "risposta": []}',
  deadline_days             integer NOT NULL DEFAULT 30 CHECK (deadline_days > 0),
  signed_response_required  boolean NOT NULL DEFAULT false,
  -- ordered fields: {"key", "label", "type", "required", "sensitive", "fields"?}
  field_schema              jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof (field_schema) = 'array'),
  -- processing steps: {"key", "title", "only_if_approved", "fields": […]}
  steps                     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof (steps) = 'array'),
  -- servizioTexts: {"<step>": "text"}
  texts                     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof (texts) = 'object'),
  scheda_informativa        jsonb,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  UNIQUE (ente_id, slug)
);

CREATE TABLE account (
  id                   bigserial PRIMARY KEY,
  ente_id              bigint NOT NULL REFERENCES ente (id),
  username             text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  full_name            text NOT NULL CHECK (full_name <> ''),
  email                text,
  role                 text NOT NULL CHECK (role IN ('operatore', 'auditor', 'admin')),
  password_hash        text NOT NULL,
  failed_logins        integer NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  disabled             boolean NOT NULL DEFAULT false,
  created_at           timestamptz NOT NULL DEFAULT now(),
  password_changed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE account_servizio (
  account_id   bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  servizio_id  bigint NOT NULL REFERENCES servizio (id) ON DELETE CASCADE,
  PRIMARY KEY (account_id, servizio_id)
);
CREATE INDEX account_servizio_servizio_idx ON account_servizio (servizio_id);

-- Only the SHA-256 of a session token is stored.
CREATE TABLE session (
  token_hash    bytea PRIMARY KEY CHECK (length (token_hash) = 32),
  account_id    bigint NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  user_agent    text
);
CREATE INDEX session_account_idx ON session (account_id);

CREATE TABLE partner (
  id                bigserial PRIMARY KEY,
  slug              text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  name              text NOT NULL CHECK (name <> ''),
  password_hash     text,
  cert_fingerprint  text UNIQUE CHECK (cert_fingerprint ~ '^[0-9a-f]{64}$'),
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (password_hash IS NOT NULL OR cert_fingerprint IS NOT NULL)
);

-- The services a partner may see; can_create marks the one(s) of offline/create.
CREATE TABLE partner_servizio (
  partner_id   bigint NOT NULL REFERENCES partner (id) ON DELETE CASCADE,
  servizio_id  bigint NOT NULL REFERENCES servizio (id) ON DELETE CASCADE,
  can_create   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (partner_id, servizio_id)
);

CREATE TABLE citizen (
  id              bigserial PRIMARY KEY,
  codice_fiscale  text NOT NULL UNIQUE CHECK (codice_fiscale ~ '^[A-Z0-9]{16}$'),
  nome            text NOT NULL,
  cognome         text NOT NULL,
  email           text NOT NULL
);

-- Per ente and year, the last pratica number handed out.
CREATE TABLE pratica_counter (
  ente_id  bigint NOT NULL REFERENCES ente (id),
  year     integer NOT NULL,
  last     integer NOT NULL,
  PRIMARY KEY (ente_id, year)
);

CREATE TABLE pratica (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid (),
  ente_id            bigint NOT NULL REFERENCES ente (id),
  servizio_id        bigint NOT NULL REFERENCES servizio (id),
  numero             text NOT NULL,
  citizen_id         bigint NOT NULL REFERENCES citizen (id),
  -- the applicant as submitted, kept with the pratica
  applicant_cf       text NOT NULL,
  applicant_nome     text NOT NULL,
  applicant_cognome  text NOT NULL,
  applicant_email    text NOT NULL,
  data               jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof (data) = 'object'),
  status             integer NOT NULL
                       CHECK (status IN (2000, 3000, 4000, 4100, 4500, 5000, 6000, 7000, 8000, 9000, 20000)),
  assigned_to        bigint REFERENCES account (id),
  submitted_at       timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  protocol_number    text,
  protocol_date      timestamptz,
  protocol_entries   jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof (protocol_entries) = 'array'),
  outcome            text CHECK (outcome IN ('accepted', 'rejected')),
  motivation         text,
  concluded_at       timestamptz,
  partner_id         bigint REFERENCES partner (id),
  external_id        text,
  UNIQUE (ente_id, numero),
  UNIQUE (partner_id, external_id)
);
CREATE INDEX pratica_servizio_idx ON pratica (servizio_id);
CREATE INDEX pratica_assigned_idx ON pratica (assigned_to) WHERE assigned_to IS NOT NULL;

CREATE TABLE iter (
  id                bigserial PRIMARY KEY,
  pratica_id        uuid NOT NULL REFERENCES pratica (id),
  status            integer NOT NULL,
  previous_status   integer,
  at                timestamptz NOT NULL DEFAULT now(),
  actor_kind        text NOT NULL CHECK (actor_kind IN ('citizen', 'operator', 'partner', 'system')),
  actor_account_id  bigint REFERENCES account (id),
  actor_name        text NOT NULL,
  note              text
);
CREATE INDEX iter_pratica_idx ON iter (pratica_id, at);

CREATE TABLE document (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid (),
  pratica_id   uuid NOT NULL REFERENCES pratica (id),
  kind         text NOT NULL CHECK (kind IN ('modulo', 'risposta', 'allegato')),
  filename     text NOT NULL,
  mime_type    text NOT NULL,
  size         bigint NOT NULL CHECK (size >= 0),
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content      bytea NOT NULL,
  signer       text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX document_pratica_idx ON document (pratica_id);

-- Append-only, hash-chained snapshots of a pratica.
CREATE TABLE version (
  id                bigserial PRIMARY KEY,
  pratica_id        uuid NOT NULL REFERENCES pratica (id),
  number            integer NOT NULL CHECK (number >= 1),
  operation         text NOT NULL,
  status            integer NOT NULL,
  actor_account_id  bigint REFERENCES account (id),
  actor_name        text NOT NULL,
  actor_role        text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  note              text,
  snapshot          jsonb NOT NULL,
  previous_hash     text,
  hash              text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  UNIQUE (pratica_id, number)
);

CREATE FUNCTION version_refuse_change () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'versions are append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER version_append_only BEFORE UPDATE OR DELETE ON version
  FOR EACH ROW EXECUTE FUNCTION version_refuse_change ();
CREATE TRIGGER version_no_truncate BEFORE TRUNCATE ON version
  FOR EACH STATEMENT EXECUTE FUNCTION version_refuse_change ();

-- The gapless protocol register of the internal provider, per ente and year.
CREATE TABLE protocol_register (
  ente_id        bigint NOT NULL REFERENCES ente (id),
  year           integer NOT NULL,
  number         integer NOT NULL CHECK (number >= 1),
  direction      text NOT NULL CHECK (direction IN ('arrivo', 'risposta')),
  registered_at  timestamptz NOT NULL DEFAULT now(),
  pratica_id     uuid NOT NULL REFERENCES pratica (id),
  document_id    uuid REFERENCES document (id),
  PRIMARY KEY (ente_id, year, number)
);

CREATE TABLE outbox (
  id               bigserial PRIMARY KEY,
  pratica_id       uuid NOT NULL REFERENCES pratica (id),
  -- at most one e-mail per status change
  iter_id          bigint NOT NULL UNIQUE REFERENCES iter (id),
  status           integer NOT NULL,
  recipient        text NOT NULL,
  subject          text NOT NULL,
  body             text NOT NULL,
  attachments      jsonb NOT NULL DEFAULT '[]',
  message_id       text NOT NULL UNIQUE,
  created_at       timestamptz NOT NULL DEFAULT now(),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  last_error       text
);
CREATE INDEX outbox_pending_idx ON outbox (next_attempt_at) WHERE sent_at IS NULL;
