-- Early warning of poverty caused by illness (防止因病返贫致贫动态监测). A monthly run scans the
-- accumulator table (one row per person and medical year) and writes a warning the first time a
-- person's year-to-date burden crosses a threshold of the policy pack. Every table carries certno,
-- the key a province would distribute by (Citus), except the per-run and per-push records.

-- One monthly run: which month, what it found, who ran it.
CREATE SEQUENCE monitoring_run_id_seq;
CREATE TABLE monitoring_run (
  run_id       bigint PRIMARY KEY DEFAULT nextval('monitoring_run_id_seq'),
  month        char(7) NOT NULL,
  year         integer NOT NULL,
  -- The packs and lines applied, per county, as the run computed them.
  rules        jsonb NOT NULL,
  created      integer NOT NULL DEFAULT 0,
  reopened     integer NOT NULL DEFAULT 0,
  withdrawn    integer NOT NULL DEFAULT 0,
  actor_id     text NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX monitoring_run_month_idx ON monitoring_run (month);

-- 预警: one per person, medical year and threshold, whatever the number of runs (the primary key
-- makes "once per year" a property of the table, not of the code). `month` is the run that found
-- it; `amount` and `line` are the burden and the line at that run (fen).
CREATE SEQUENCE monitoring_warning_id_seq;
CREATE TABLE monitoring_warning (
  warning_id      bigint NOT NULL DEFAULT nextval('monitoring_warning_id_seq'),
  certno          char(18) NOT NULL,
  year            integer NOT NULL,
  threshold       text NOT NULL CHECK (threshold IN ('inscope', 'total')),
  month           char(7) NOT NULL,
  run_id          bigint NOT NULL,
  region_code     text NOT NULL,
  categories      text[] NOT NULL,
  pack            text NOT NULL,
  amount          bigint NOT NULL,
  line            bigint NOT NULL,
  status          text NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'pushed', 'confirmed', 'dismissed', 'assisted', 'withdrawn')),
  push_id         bigint,
  pushed_at       timestamptz,
  decided_by      text,
  decided_at      timestamptz,
  dismiss_reason  text,
  assistance      jsonb,
  assisted_at     timestamptz,
  withdrawn_at    timestamptz,
  reopened        integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, year, threshold)
);
CREATE INDEX monitoring_warning_id_idx ON monitoring_warning (warning_id);
CREATE INDEX monitoring_warning_month_idx ON monitoring_warning (month, status);
-- Open warnings are re-checked against the accumulators (withdrawal after a cancel).
CREATE INDEX monitoring_warning_open_idx ON monitoring_warning (year, certno)
  WHERE status IN ('new', 'pushed', 'confirmed');

-- Every status change of a warning, in order (the audit log holds the same with who and why;
-- the run's bulk creations are one audit entry per run, and one event row per warning here).
CREATE TABLE monitoring_warning_event (
  certno      char(18) NOT NULL,
  warning_id  bigint NOT NULL,
  seq         bigserial,
  from_status text,
  to_status   text NOT NULL,
  actor_id    text NOT NULL,
  run_id      bigint,
  reason      text,
  detail      jsonb,
  at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, warning_id, seq)
);

-- Receivers of pushed warnings (civil affairs, rural revitalisation): signed webhooks.
CREATE SEQUENCE monitoring_webhook_id_seq;
CREATE TABLE monitoring_webhook (
  webhook_id  bigint PRIMARY KEY DEFAULT nextval('monitoring_webhook_id_seq'),
  department  text NOT NULL,
  url         text NOT NULL,
  -- The HMAC-SHA256 key shared with the receiver (it must be readable to sign).
  secret      text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One push of a month's warnings.
CREATE SEQUENCE monitoring_push_id_seq;
CREATE TABLE monitoring_push (
  push_id     bigint PRIMARY KEY DEFAULT nextval('monitoring_push_id_seq'),
  month       char(7) NOT NULL,
  warnings    integer NOT NULL,
  actor_id    text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- The delivery log: one row per attempt of a push to a webhook.
CREATE TABLE monitoring_delivery (
  push_id      bigint NOT NULL,
  webhook_id   bigint NOT NULL,
  attempt      integer NOT NULL,
  delivery_id  text NOT NULL,
  ok           boolean NOT NULL,
  status_code  integer,
  error        text,
  duration_ms  integer NOT NULL,
  at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (push_id, webhook_id, attempt)
);
