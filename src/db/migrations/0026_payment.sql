-- Provider payment (docs/payment.md): closed months with their statements, monthly advances and
-- year-end clearings, per county (the fund's pool, region_code of 6 digits).

-- A closed month (§7): how far the settlements went when it closed, the packages' residents.
CREATE TABLE payment_month (
  region_code text NOT NULL,
  year        integer NOT NULL,
  month       integer NOT NULL CHECK (month BETWEEN 1 AND 12),
  watermark   bigint NOT NULL,
  residents   jsonb NOT NULL,
  closed_at   timestamptz NOT NULL DEFAULT now(),
  closed_by   text NOT NULL,
  PRIMARY KEY (region_code, year, month)
);

-- The lines of a closed month's statements, one per institution, method, group, level, package.
CREATE TABLE payment_statement_line (
  region_code    text NOT NULL,
  year           integer NOT NULL,
  month          integer NOT NULL,
  fixmedins_code text NOT NULL,
  line_no        integer NOT NULL,
  method         text NOT NULL
                 CHECK (method IN ('fee_for_service', 'per_bed_day', 'capitation', 'global_budget')),
  grp            text,
  hospital_level smallint NOT NULL,
  package        text,
  adjustment     boolean NOT NULL,
  bills          bigint NOT NULL,
  items          bigint NOT NULL,
  owed           bigint NOT NULL,
  note           text,
  PRIMARY KEY (region_code, year, month, fixmedins_code, line_no),
  FOREIGN KEY (region_code, year, month) REFERENCES payment_month
);

-- A capitation package's residents' referral bills of a closed month, by treating institution.
CREATE TABLE payment_referral (
  region_code    text NOT NULL,
  year           integer NOT NULL,
  month          integer NOT NULL,
  package        text NOT NULL,
  fixmedins_code text NOT NULL,
  bills          bigint NOT NULL,
  items          bigint NOT NULL,
  PRIMARY KEY (region_code, year, month, package, fixmedins_code),
  FOREIGN KEY (region_code, year, month) REFERENCES payment_month
);

-- A monthly advance issued (§6): once per institution and month.
CREATE TABLE payment_advance (
  region_code    text NOT NULL,
  year           integer NOT NULL,
  month          integer NOT NULL CHECK (month BETWEEN 1 AND 12),
  fixmedins_code text NOT NULL,
  amount         bigint NOT NULL,
  issued_at      timestamptz NOT NULL DEFAULT now(),
  issued_by      text NOT NULL,
  PRIMARY KEY (region_code, year, fixmedins_code, month)
);

-- A year-end clearing (§8): drafted, approved, or superseded by a reopening (never edited).
CREATE TABLE payment_clearing (
  clearing_id  bigserial PRIMARY KEY,
  region_code  text NOT NULL,
  year         integer NOT NULL,
  status       text NOT NULL CHECK (status IN ('draft', 'approved', 'superseded')),
  residents    jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   text NOT NULL,
  approved_at  timestamptz,
  approved_by  text,
  reopened_at  timestamptz,
  reopened_by  text,
  reopen_reason text
);
-- One clearing in force per county and year: a second is refused until the first is reopened.
CREATE UNIQUE INDEX payment_clearing_current ON payment_clearing (region_code, year)
  WHERE status <> 'superseded';

CREATE TABLE payment_clearing_institution (
  clearing_id    bigint NOT NULL REFERENCES payment_clearing,
  fixmedins_code text NOT NULL,
  earned         bigint NOT NULL,
  paid           bigint NOT NULL,
  final          bigint NOT NULL,
  steps          jsonb NOT NULL,
  PRIMARY KEY (clearing_id, fixmedins_code)
);
