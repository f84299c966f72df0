-- The fuzzy path's two blocks read from indexes alone (bench/reconcile, ten million people):
-- people born on a day within a township, and people of one name within a township. Each index
-- carries every column a candidate needs (ID, name, birth date, region), so a block is one range
-- of one index: no visit to the table per candidate, and the name block no longer reads every
-- namesake in the county to keep those of one township.
DROP INDEX person_birth_region_idx;
CREATE INDEX person_birth_region_idx ON person (birth_date, region_code text_pattern_ops)
  INCLUDE (name, certno);
CREATE INDEX person_name_region_idx ON person (name, region_code text_pattern_ops)
  INCLUDE (certno, birth_date);
