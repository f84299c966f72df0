-- The admission and discharge dates of an inpatient stay, for per bed-day payment
-- (docs/payment.md §3). Kept beside the settlement row, keyed like it; a cancellation mirror
-- reads its original's stay.
CREATE TABLE settlement_stay (
  certno         char(18) NOT NULL,
  settlement_id  bigint NOT NULL,
  admission_date date NOT NULL,
  discharge_date date NOT NULL,
  PRIMARY KEY (certno, settlement_id),
  CONSTRAINT settlement_stay_order CHECK (discharge_date >= admission_date)
);
-- A month's statement joins the stays discharged in the month (a stay's discharge is its bill date).
CREATE INDEX settlement_stay_discharge_idx ON settlement_stay (discharge_date);
