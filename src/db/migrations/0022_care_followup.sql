-- Family-doctor contracts and the monthly follow-up record (docs/care.md §1–§5). Every table
-- carries the person's certno (the key a province would distribute it by) and the township the
-- person lives in, so the month's lists per township read one index range.

-- 家庭医生签约: a person, the doctor and team who keep them, the institution the team works for.
CREATE TABLE care_contract (
  contract_id    bigserial,
  certno         char(18) NOT NULL,
  township_code  text NOT NULL,
  doctor         text NOT NULL,
  team           text NOT NULL,
  fixmedins_code text NOT NULL,
  valid_from     date NOT NULL,
  valid_to       date,
  ended_reason   text,
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, contract_id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX care_contract_id_idx ON care_contract (contract_id);
CREATE INDEX care_contract_township_idx ON care_contract (township_code, valid_from);
CREATE INDEX care_contract_institution_idx ON care_contract (fixmedins_code);

-- 慢性病动态管理记录单: one visit. `month` is the visit's month, the unit the lists count in.
-- Blood pressure in mmHg; glucose in tenths of mmol/L (6.1 mmol/L is 61).
CREATE TABLE care_followup (
  followup_id       bigserial,
  certno            char(18) NOT NULL,
  contract_id       bigint NOT NULL,
  month             char(7) NOT NULL,
  visited_on        date NOT NULL,
  visitor           text NOT NULL,
  health_status     text NOT NULL CHECK (health_status IN ('stable', 'improved', 'worse', 'new_symptoms')),
  outpatient_need   boolean NOT NULL,
  certificate_held  boolean NOT NULL,
  suspected_disease text,
  application_id    bigint,
  medication        text,
  systolic          smallint CHECK (systolic IS NULL OR systolic BETWEEN 40 AND 300),
  diastolic         smallint CHECK (diastolic IS NULL OR diastolic BETWEEN 20 AND 200),
  glucose_tenths    smallint CHECK (glucose_tenths IS NULL OR glucose_tenths BETWEEN 5 AND 600),
  note              text,
  recorded_by       text NOT NULL,
  recorded_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, followup_id)
);
-- The month's lists: who has a record this month, read from the index alone.
CREATE INDEX care_followup_month_idx ON care_followup (month, certno);
CREATE INDEX care_followup_id_idx ON care_followup (followup_id);

-- 上门随访 by the bureau: what was found, and the correction asked for (督促整改) until closed.
CREATE TABLE care_spot_check (
  check_id        bigserial,
  certno          char(18) NOT NULL,
  township_code   text NOT NULL,
  contract_id     bigint NOT NULL,
  fixmedins_code  text NOT NULL,
  team            text NOT NULL,
  checked_on      date NOT NULL,
  month           char(7) NOT NULL,
  finding         text NOT NULL CHECK (finding IN ('accurate', 'missing_record', 'inaccurate_record')),
  note            text,
  correction      text,
  correction_due  date,
  closed_on       date,
  closed_note     text,
  checked_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, check_id),
  CHECK ((finding = 'accurate') = (correction IS NULL))
);
CREATE INDEX care_spot_check_id_idx ON care_spot_check (check_id);
CREATE INDEX care_spot_check_institution_idx ON care_spot_check (fixmedins_code, checked_on);

-- A month whose due list was opened (the monthly job or `triguard care open-month`): the counts
-- on the day it was opened, per county.
CREATE TABLE care_month (
  county      text NOT NULL,
  month       char(7) NOT NULL,
  due         integer NOT NULL,
  opened_by   text NOT NULL,
  opened_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county, month)
);
