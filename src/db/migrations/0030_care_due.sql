-- The month's due list in narrow rows (docs/care.md §3): the month's summary reads these rows
-- alone instead of joining the contracts, their people and the month's records. The rows are kept
-- by triggers in the transaction that writes a contract, a record or a person's region, so no
-- code path (the API, the CLI, the demo loader) can leave them stale.

-- The doctor-team groups the summary counts in: four text columns once, an integer per row.
CREATE TABLE care_group (
  group_id       serial PRIMARY KEY,
  township_code  text NOT NULL,
  fixmedins_code text NOT NULL,
  doctor         text NOT NULL,
  team           text NOT NULL,
  UNIQUE (township_code, fixmedins_code, doctor, team)
);

-- The years whose rows are written (`care_due_open_year`): every contract in force on a month's
-- last day of such a year has its row, and a contract signed later gets its rows on signing.
CREATE TABLE care_due_year (year integer PRIMARY KEY);

-- One row per contract and year. Bit m − 1 of `in_force` says the contract is in force on the
-- last day of month m (the person is due that month under it); bit m − 1 of `months` says the
-- person has a record dated in month m. `region_code` is the person's current village (the scope
-- and the region filter read it, as they read `person`).
CREATE TABLE care_due (
  contract_id  bigint NOT NULL,
  year         integer NOT NULL,
  certno       char(18) NOT NULL,
  region_code  text NOT NULL,
  group_id     integer NOT NULL,
  in_force     integer NOT NULL,
  months       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (contract_id, year)
);
-- The month's pass reads the year's rows from this index alone, in group order (a region scope;
-- the rarer institution and department scopes read the row for its certno).
CREATE INDEX care_due_year_idx ON care_due (year, group_id)
  INCLUDE (in_force, months, region_code);
CREATE INDEX care_due_certno_idx ON care_due (certno, year);

-- The months of year `y` on whose last day a contract from `f` to `t` (null: open) is in force:
-- from the month it starts (every month's last day is on or after its first) to the last month
-- whose last day it reaches.
CREATE FUNCTION care_in_force(f date, t date, y integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  fm integer := CASE WHEN extract(year FROM f) < y THEN 1
                     WHEN extract(year FROM f) > y THEN 13
                     ELSE extract(month FROM f)::int END;
  lm integer := CASE WHEN t IS NULL OR extract(year FROM t) > y THEN 12
                     WHEN extract(year FROM t) < y THEN 0
                     WHEN extract(month FROM t + 1) <> extract(month FROM t) THEN extract(month FROM t)::int
                     ELSE extract(month FROM t)::int - 1 END;
BEGIN
  IF lm < fm THEN RETURN 0; END IF;
  RETURN ((1 << lm) - 1) & ~((1 << (fm - 1)) - 1);
END $$;

-- The months of year `y` in which the person has a record.
CREATE FUNCTION care_record_months(p_certno char(18), y integer) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT coalesce(bit_or(1 << (substr(f.month, 6, 2)::int - 1)), 0)::int
    FROM care_followup f
   WHERE f.certno = p_certno AND f.month >= y::text || '-01' AND f.month <= y::text || '-12'
$$;

-- Writes the rows of year `y` once: every contract in force on one of its months' last days.
-- Contracts and records are locked against writes meanwhile, so none is signed or recorded
-- between the rows written here and the triggers that keep them.
CREATE FUNCTION care_due_open_year(y integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM care_due_year WHERE year = y) THEN RETURN; END IF;
  LOCK TABLE care_contract, care_followup IN SHARE MODE;
  INSERT INTO care_due_year (year) VALUES (y) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN RETURN; END IF;
  INSERT INTO care_group (township_code, fixmedins_code, doctor, team)
  SELECT DISTINCT township_code, fixmedins_code, doctor, team FROM care_contract
  ON CONFLICT DO NOTHING;
  ANALYZE care_group;
  -- Each contract's record months by its index (the plan cannot go astray on estimates).
  INSERT INTO care_due (contract_id, year, certno, region_code, group_id, in_force, months)
  SELECT c.contract_id, y, c.certno, p.region_code, g.group_id, x.in_force,
         care_record_months(c.certno, y)
    FROM care_contract c
    JOIN person p ON p.certno = c.certno
    JOIN care_group g USING (township_code, fixmedins_code, doctor, team)
    CROSS JOIN LATERAL (SELECT care_in_force(c.valid_from, c.valid_to, y) AS in_force) x
   WHERE c.valid_from <= make_date(y, 12, 31)
     AND (c.valid_to IS NULL OR c.valid_to >= make_date(y, 1, 31))
     AND x.in_force <> 0;
END $$;

-- A contract signed or changed: its rows for every open year are written again.
CREATE FUNCTION care_due_contracts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM care_due d USING new_rows n WHERE d.contract_id = n.contract_id;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM care_due_year) THEN RETURN NULL; END IF;
  INSERT INTO care_group (township_code, fixmedins_code, doctor, team)
  SELECT DISTINCT township_code, fixmedins_code, doctor, team FROM new_rows
  ON CONFLICT DO NOTHING;
  INSERT INTO care_due (contract_id, year, certno, region_code, group_id, in_force, months)
  SELECT c.contract_id, y.year, c.certno, p.region_code, g.group_id, x.in_force,
         care_record_months(c.certno, y.year)
    FROM new_rows c
    JOIN person p ON p.certno = c.certno
    JOIN care_group g USING (township_code, fixmedins_code, doctor, team)
    JOIN care_due_year y ON y.year >= extract(year FROM c.valid_from)
                        AND (c.valid_to IS NULL OR y.year <= extract(year FROM c.valid_to))
    CROSS JOIN LATERAL (SELECT care_in_force(c.valid_from, c.valid_to, y.year) AS in_force) x
   WHERE x.in_force <> 0;
  RETURN NULL;
END $$;
CREATE TRIGGER care_due_on_contract_insert AFTER INSERT ON care_contract
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION care_due_contracts();
CREATE TRIGGER care_due_on_contract_update AFTER UPDATE ON care_contract
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION care_due_contracts();

CREATE FUNCTION care_due_contracts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM care_due d USING old_rows o WHERE d.contract_id = o.contract_id;
  RETURN NULL;
END $$;
CREATE TRIGGER care_due_on_contract_delete AFTER DELETE ON care_contract
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION care_due_contracts_deleted();

-- New records set their months' bits on the person's rows of their year.
CREATE FUNCTION care_due_records() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE care_due d SET months = d.months | n.months
    FROM (SELECT certno, substr(month, 1, 4)::int AS year,
                 bit_or(1 << (substr(month, 6, 2)::int - 1))::int AS months
            FROM new_rows GROUP BY 1, 2) n
   WHERE d.certno = n.certno AND d.year = n.year AND d.months | n.months <> d.months;
  RETURN NULL;
END $$;
CREATE TRIGGER care_due_on_record_insert AFTER INSERT ON care_followup
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION care_due_records();

-- A record changed or removed: the person's bits are read again from the records.
CREATE FUNCTION care_due_records_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE care_due d SET months = care_record_months(d.certno, d.year)
   WHERE d.certno IN (SELECT certno FROM old_rows);
  RETURN NULL;
END $$;
CREATE TRIGGER care_due_on_record_update AFTER UPDATE ON care_followup
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION care_due_records_changed();
CREATE TRIGGER care_due_on_record_delete AFTER DELETE ON care_followup
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION care_due_records_changed();

-- A person who moves is counted, and scoped, under the new village.
CREATE FUNCTION care_due_person_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE care_due SET region_code = NEW.region_code WHERE certno = NEW.certno;
  RETURN NULL;
END $$;
CREATE TRIGGER care_due_on_person_move AFTER UPDATE OF region_code ON person
  FOR EACH ROW WHEN (OLD.region_code IS DISTINCT FROM NEW.region_code)
  EXECUTE FUNCTION care_due_person_moved();

-- A delivery's drugs may be borne by an assistance programme after the tiers (the free drugs of
-- the rehabilitation agreement, docs/care.md §10): which programme, and what it bore (fen).
ALTER TABLE care_delivery
  ADD COLUMN programme text,
  ADD COLUMN programme_paid bigint NOT NULL DEFAULT 0;
