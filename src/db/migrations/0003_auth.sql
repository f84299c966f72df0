-- Accounts, sessions, the people each designated institution has treated, and the audit log.

-- 用户: one account per person or machine client. Every account has a data scope: a region
-- (county, township or village code), an institution, or a department (flag source).
CREATE TABLE app_user (
  user_id              text PRIMARY KEY,
  username             text NOT NULL UNIQUE,
  display_name         text NOT NULL,
  password_hash        text NOT NULL,
  roles                text[] NOT NULL CHECK (cardinality(roles) > 0),
  scope_kind           text NOT NULL CHECK (scope_kind IN ('region', 'institution', 'department')),
  region_code          text NOT NULL,
  fixmedins_code       text,
  department           text,
  must_change_password boolean NOT NULL DEFAULT true,
  failed_logins        integer NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  disabled_at          timestamptz,
  password_changed_at  timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (scope_kind <> 'institution' OR fixmedins_code IS NOT NULL),
  CHECK (scope_kind <> 'department' OR department IS NOT NULL)
);

-- Web sessions (http-only cookie) and bearer tokens (machine clients). Only the SHA-256 of the
-- secret is stored, so a copy of this table cannot be replayed.
CREATE TABLE auth_session (
  token_hash   char(64) PRIMARY KEY,
  user_id      text NOT NULL REFERENCES app_user (user_id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('cookie', 'bearer')),
  label        text,
  origin       text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX auth_session_user_idx ON auth_session (user_id);

-- The people a designated institution (定点医疗机构) has treated: its data scope.
CREATE TABLE institution_patient (
  certno         char(18) NOT NULL,
  fixmedins_code text NOT NULL,
  first_seen     date NOT NULL DEFAULT CURRENT_DATE,
  PRIMARY KEY (certno, fixmedins_code)
);
CREATE INDEX institution_patient_fixmedins_idx ON institution_patient (fixmedins_code);

-- 审计日志: hash-chained, append-only. The log is split into chains so that writes about
-- different people do not queue on one row: chain 0 holds entries about no person (logins,
-- accounts), chains 1..64 hold entries about people, by a hash of certno. Within a chain,
-- chain_seq is assigned by the appender (head + 1), so a deleted entry leaves a gap, and each
-- entry holds the previous entry's hash. seq orders the whole log (paging); certno is the key the
-- log is distributed by.
CREATE SEQUENCE audit_seq;
CREATE TABLE audit_log (
  seq         bigint PRIMARY KEY,
  chain       smallint NOT NULL,
  chain_seq   bigint NOT NULL,
  at          timestamptz NOT NULL,
  actor_id    text NOT NULL,
  actor_name  text NOT NULL,
  actor_roles text NOT NULL,
  origin      text,
  action      text NOT NULL,
  entity      text NOT NULL,
  entity_id   text NOT NULL,
  certno      text,
  before_json text,
  after_json  text,
  reason      text,
  prev_hash   char(64) NOT NULL,
  hash        char(64) NOT NULL,
  UNIQUE (chain, chain_seq)
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
CREATE INDEX audit_log_certno_idx ON audit_log (certno);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- The chain heads: one row per chain, locked FOR UPDATE by an append so writers of one chain
-- take turns.
CREATE TABLE audit_head (
  chain     smallint PRIMARY KEY,
  chain_seq bigint NOT NULL,
  hash      char(64) NOT NULL
);
INSERT INTO audit_head (chain, chain_seq, hash)
  SELECT c, 0, repeat('0', 64) FROM generate_series(0, 64) AS c;
