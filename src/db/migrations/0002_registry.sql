-- Registry: versioned people and flags, enrolments per medical year and scheme, and the history
-- of every superseded version. Current rows stay in `person`, `person_flag` and `enrolment`
-- (what settlement reads); each carries its version, when it was recorded, by whom and why. A
-- change copies the row it replaces into `registry_history` (valid from its `updated_at` until
-- the change), so the registry as it stood on any day is the current rows recorded by then plus
-- the history rows whose validity covers that moment. Every table is keyed by certno (Citus).

-- People: pinyin initials for name search (filled by the app with pinyin-pro), missing status,
-- and the version stamp.
ALTER TABLE person
  ADD COLUMN name_pinyin_initials text NOT NULL DEFAULT '',
  ADD COLUMN missing_since date,
  ADD COLUMN version integer NOT NULL DEFAULT 1,
  ADD COLUMN updated_by text NOT NULL DEFAULT 'system',
  ADD COLUMN change_reason text;

-- Search. Exact names and pinyin initials by btree (region_code included, so counting within a
-- region scope never reads the table); region by prefix (text_pattern_ops, so LIKE 'prefix%'
-- uses the index whatever the collation).
CREATE INDEX person_name_idx ON person (name, certno) INCLUDE (region_code);
CREATE INDEX person_initials_idx ON person (name_pinyin_initials text_pattern_ops, certno)
  INCLUDE (region_code);
DROP INDEX person_region_idx;
CREATE INDEX person_region_idx ON person (region_code text_pattern_ops, certno);

-- Similar names: every distinct name once, with a trigram index. Matching a name against the
-- few hundred thousand distinct names rather than ten million people keeps fuzzy search cheap;
-- the people are then found by exact name. A statement trigger keeps it filled, whoever writes
-- people (COPY included); a name nobody holds any more stays, harmlessly.
CREATE TABLE person_name (name text PRIMARY KEY);
CREATE INDEX person_name_trgm_idx ON person_name USING gin (name gin_trgm_ops);
CREATE FUNCTION person_name_collect() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO person_name (name) SELECT DISTINCT name FROM new_rows ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER person_name_on_insert AFTER INSERT ON person REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION person_name_collect();
CREATE TRIGGER person_name_on_update AFTER UPDATE ON person REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION person_name_collect();
INSERT INTO person_name (name) SELECT DISTINCT name FROM person ON CONFLICT DO NOTHING;

-- Flags: when the category was recognised (the refund cut-off compares it), and the version
-- stamp. A flag interrupted before it began (a death before its first month) has an empty range:
-- `to_month < from_month` is allowed only for an ended flag.
ALTER TABLE person_flag
  ADD COLUMN recognised_on date,
  ADD COLUMN version integer NOT NULL DEFAULT 1,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN updated_by text NOT NULL DEFAULT 'system',
  ADD COLUMN change_reason text;
ALTER TABLE person_flag DROP CONSTRAINT person_flag_check;
ALTER TABLE person_flag ADD CONSTRAINT person_flag_range_check
  CHECK (to_month IS NULL OR to_month >= from_month OR end_reason IS NOT NULL);
CREATE INDEX person_flag_category_idx ON person_flag (category, from_month);

-- 参保登记: one per person, medical year and scheme. Amounts are fen. `benefit_to` is the last
-- day with benefits when the enrolment was interrupted (death, employee insurance stopped); a
-- `benefit_to` before `benefit_from` means no benefits at all (a death before the year began).
CREATE TABLE enrolment (
  enrolment_id      bigserial,
  certno            char(18) NOT NULL,
  medical_year      integer NOT NULL,
  scheme            text NOT NULL CHECK (scheme IN ('resident', 'employee')),
  contribution_type text NOT NULL
                    CHECK (contribution_type IN ('paid', 'fee_exemption', 'funded_enrolment')),
  contribution      bigint NOT NULL DEFAULT 0 CHECK (contribution >= 0),
  funded_amount     bigint NOT NULL DEFAULT 0 CHECK (funded_amount >= 0),
  funder            text,
  enrolled_on       date NOT NULL,
  benefit_from      date NOT NULL,
  benefit_to        date,
  end_reason        text CHECK (end_reason IN ('death', 'stopped', 'correction')),
  refund            bigint NOT NULL DEFAULT 0 CHECK (refund >= 0),
  refunded_on       date,
  version           integer NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  updated_by        text NOT NULL DEFAULT 'system',
  change_reason     text,
  PRIMARY KEY (certno, enrolment_id),
  UNIQUE (certno, medical_year, scheme),
  CHECK (contribution_type <> 'funded_enrolment' OR (funded_amount > 0 AND funder IS NOT NULL)),
  CHECK (refund <= contribution)
);
CREATE INDEX enrolment_year_idx ON enrolment (medical_year, scheme);

-- Superseded versions, as JSON of the row they were (jsonb_populate_record turns them back into
-- rows of the entity's table, so adding a column later never breaks the history).
CREATE TABLE registry_history (
  history_id    bigserial,
  certno        char(18) NOT NULL,
  entity        text NOT NULL CHECK (entity IN ('person', 'person_flag', 'enrolment')),
  entity_id     text NOT NULL,
  version       integer NOT NULL,
  valid_from    timestamptz NOT NULL,
  valid_to      timestamptz NOT NULL,
  data          jsonb NOT NULL,
  PRIMARY KEY (certno, history_id),
  CHECK (valid_to >= valid_from)
);
CREATE INDEX registry_history_entity_idx ON registry_history (certno, entity, entity_id, version);
