-- An append moves its chain's head in one UPDATE ... RETURNING, which both locks the head row
-- (writers of one chain still take turns) and hands the new entry the hash it follows: PostgreSQL
-- 15's RETURNING shows only the new row, so the head keeps the hash before its own. Before this,
-- an append read the head FOR UPDATE, then updated it: two scans of the row where one does.
-- Written by every append; no entry reads it before one has written it.
ALTER TABLE audit_head ADD COLUMN prev_hash char(64);
