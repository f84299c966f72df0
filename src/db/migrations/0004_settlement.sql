-- One-stop settlement: settlements (and their cancellation mirrors), an append-only ledger per
-- settlement and tier, the year-to-date accumulators per person and medical year, and programme
-- spending per year. Every table carries certno, the key a province would distribute by (Citus):
-- the settlement path touches one person's rows only.

-- 年度累计: one row per person and medical year. `state` is the calculator's Accumulators object;
-- the two monitoring sums are columns too, so the monthly warning run scans plain columns.
CREATE TABLE accumulator (
  certno       char(18) NOT NULL,
  year         integer NOT NULL,
  state        jsonb NOT NULL,
  oop_inscope  bigint NOT NULL DEFAULT 0,
  oop_total    bigint NOT NULL DEFAULT 0,
  settlements  integer NOT NULL DEFAULT 0,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, year)
);

CREATE SEQUENCE settlement_id_seq;

-- 结算: kind `settle` is a settlement; kind `cancel` is the mirror a cancellation writes, with
-- every amount negated and `original_id` pointing at the settlement it cancels.
CREATE TABLE settlement (
  settlement_id      bigint NOT NULL DEFAULT nextval('settlement_id_seq'),
  certno             char(18) NOT NULL,
  year               integer NOT NULL,
  msgid              text NOT NULL,
  kind               text NOT NULL CHECK (kind IN ('settle', 'cancel')),
  original_id        bigint,
  cancelled_by       bigint,
  fixmedins_code     text,
  region_code        text NOT NULL,
  bill_date          date NOT NULL,
  visit_type         text NOT NULL,
  hospital_level     smallint NOT NULL,
  diagnosis          text NOT NULL,
  remote             text,
  pack               text NOT NULL,
  categories         text[] NOT NULL,
  medfee_sumamt      bigint NOT NULL,
  fulamt_ownpay_amt  bigint NOT NULL,
  overlmt_selfpay    bigint NOT NULL,
  preselfpay_amt     bigint NOT NULL,
  inscp_scp_amt      bigint NOT NULL,
  act_pay_dedc       bigint NOT NULL,
  hifp_pay           bigint NOT NULL,
  hifmi_pay          bigint NOT NULL,
  maf_pay            bigint NOT NULL,
  reassist_pay       bigint NOT NULL,
  backstop_pay       bigint NOT NULL,
  fund_pay_sumamt    bigint NOT NULL,
  psn_part_amt       bigint NOT NULL,
  psn_cash_pay       bigint NOT NULL,
  backstop_programme text,
  lines              jsonb NOT NULL,
  explain            jsonb NOT NULL,
  delta              jsonb NOT NULL,
  actor_id           text NOT NULL,
  reason             text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, settlement_id),
  -- A client message id answers once per person: a repeat gets the first answer.
  UNIQUE (certno, msgid),
  CHECK (medfee_sumamt = fund_pay_sumamt + psn_part_amt)
);
CREATE INDEX settlement_id_idx ON settlement (settlement_id);
CREATE INDEX settlement_institution_date_idx ON settlement (fixmedins_code, bill_date);

-- Append-only ledger: what each settlement (or cancellation, negative) added to each tier's
-- year-to-date base and paid amount. Σ ledger = accumulator, always.
CREATE TABLE settlement_ledger (
  certno        char(18) NOT NULL,
  year          integer NOT NULL,
  settlement_id bigint NOT NULL,
  tier          text NOT NULL CHECK (tier IN ('basic_insurance', 'critical_illness', 'assistance', 're_assistance', 'backstop')),
  base          bigint NOT NULL,
  paid          bigint NOT NULL,
  PRIMARY KEY (certno, settlement_id, tier)
);

-- What a programme (e.g. the county mental-disorder backstop) paid in a year, per settlement.
CREATE TABLE programme_spend (
  programme     text NOT NULL,
  year          integer NOT NULL,
  certno        char(18) NOT NULL,
  settlement_id bigint NOT NULL,
  amount        bigint NOT NULL,
  PRIMARY KEY (certno, settlement_id, programme)
);
CREATE INDEX programme_spend_year_idx ON programme_spend (programme, year);
