-- Foundation: regions, households, people and their identity flags.
-- Large tables carry the key a province would distribute them by under Citus:
-- people and flags by certno, households by region_code.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- GB/T 2260 regions (province, city, county) and the townships and villages below them.
CREATE TABLE region (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
  parent_code text REFERENCES region (code)
);
CREATE INDEX region_parent_idx ON region (parent_code);

CREATE TABLE household (
  household_id text PRIMARY KEY,
  region_code  text NOT NULL REFERENCES region (code),
  head_certno  text,
  address      text
);
CREATE INDEX household_region_idx ON household (region_code);

-- 参保人, keyed by the normalised 18-digit ID number.
CREATE TABLE person (
  certno       char(18) PRIMARY KEY,
  name         text NOT NULL,
  gender       text NOT NULL CHECK (gender IN ('male', 'female')),
  birth_date   date NOT NULL,
  household_id text,
  region_code  text NOT NULL,
  phone        text,
  status       text NOT NULL DEFAULT 'alive' CHECK (status IN ('alive', 'deceased', 'missing')),
  death_date   date,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_region_idx ON person (region_code);
CREATE INDEX person_household_idx ON person (household_id);

-- 身份标识: one category held over an inclusive month range (docs/settlement.md §4).
CREATE TABLE person_flag (
  flag_id      bigserial,
  certno       char(18) NOT NULL,
  category     text NOT NULL CHECK (category IN ('extreme_poverty', 'subsistence', 'poverty_returned',
                 'low_income_marginal', 'monitored', 'illness_poverty', 'severe_mental', 'mental_aid_card')),
  from_month   char(7) NOT NULL,
  to_month     char(7),
  source       text,
  evidence_no  text,
  end_reason   text CHECK (end_reason IN ('death', 'exit', 'cancellation', 'correction')),
  PRIMARY KEY (certno, flag_id),
  CHECK (to_month IS NULL OR to_month >= from_month)
);
