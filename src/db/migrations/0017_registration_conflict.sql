-- A registration refused because the ID number is already registered outside the caller's data
-- scope (another township or county). The caller is told only that the number cannot be
-- registered there; the bureau sees the request here and resolves it (a transfer between
-- townships is a bureau action). Distributed by certno with the person.
CREATE TABLE registration_conflict (
  conflict_id     bigserial,
  certno          char(18) NOT NULL,
  name            text NOT NULL,
  region_code     text NOT NULL,
  requested_by    text NOT NULL,
  requested_at    timestamptz NOT NULL DEFAULT now(),
  reason          text NOT NULL,
  resolved_by     text,
  resolved_at     timestamptz,
  resolution      text,
  PRIMARY KEY (certno, conflict_id)
);
CREATE INDEX registration_conflict_open_idx ON registration_conflict (region_code)
  WHERE resolved_at IS NULL;
