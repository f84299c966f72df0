-- 摸底排查 (docs/chronic.md §5): a screening reads the inpatient settlements of a period, their
-- people and diagnoses. A partial index holds exactly those rows (settled, not cancelled,
-- inpatient) by bill date with the columns the screening reads, so a run reads the period's stays
-- from the index alone instead of scanning every bill of the county. Other visit types add
-- nothing to it when settled.
CREATE INDEX settlement_inpatient_idx ON settlement (bill_date) INCLUDE (certno, diagnosis)
  WHERE kind = 'settle' AND visit_type = 'inpatient' AND cancelled_by IS NULL;
