-- The steps after the tiers (docs/settlement.md §9): the hospital's waiver under an agreement
-- (医院减免, the national `hosp_part_amt`), the programme it is accounted under, and what each
-- step did (base, ratio, amount, rule reference) for the one bill. A settlement no step touched
-- keeps 0 / null. The amounts' invariant becomes medfee = fund + patient + hospital.
ALTER TABLE settlement
  ADD COLUMN hosp_part_amt bigint NOT NULL DEFAULT 0,
  ADD COLUMN waiver_programme text,
  ADD COLUMN post_tier jsonb;

DO $$
DECLARE c text;
BEGIN
  SELECT conname INTO c FROM pg_constraint
   WHERE conrelid = 'settlement'::regclass AND contype = 'c'
     AND pg_get_constraintdef(oid) LIKE '%medfee_sumamt%psn_part_amt%';
  IF c IS NOT NULL THEN
    EXECUTE format('ALTER TABLE settlement DROP CONSTRAINT %I', c);
  END IF;
END $$;
ALTER TABLE settlement ADD CONSTRAINT settlement_amounts_check
  CHECK (medfee_sumamt = fund_pay_sumamt + psn_part_amt + hosp_part_amt);

-- The programme's year-end report and the free-treatment window read a person's waived stays.
CREATE INDEX settlement_waiver_idx ON settlement (waiver_programme, year)
  INCLUDE (certno, settlement_id) WHERE waiver_programme IS NOT NULL;
