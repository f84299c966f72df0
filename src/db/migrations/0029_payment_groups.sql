-- The month's statement groups its settlements by institution, level, visit type and diagnosis
-- (docs/payment.md §7). These four are far from independent (an institution has one level and
-- treats a limited set of diagnoses), so without combined statistics the planner multiplies their
-- distinct counts, expects about as many groups as rows and sorts the month instead of hashing it
-- in parallel. The statistics are filled by ANALYZE (autovacuum), like any other.
CREATE STATISTICS settlement_payment_keys (ndistinct)
  ON fixmedins_code, hospital_level, visit_type, diagnosis FROM settlement;

-- Outpatient disease groups (门诊病组, §11) are a payment method of their own on a statement line.
ALTER TABLE payment_statement_line DROP CONSTRAINT payment_statement_line_method_check;
ALTER TABLE payment_statement_line ADD CONSTRAINT payment_statement_line_method_check
  CHECK (method IN ('fee_for_service', 'per_bed_day', 'capitation', 'global_budget',
                    'outpatient_group'));
