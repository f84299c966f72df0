-- A settlement row is its own audit entry (结算即审计). It already held what the entry repeated —
-- the operator, the amounts, the reason of a cancellation — and now also holds the rest: the
-- operator's name, roles and origin, and a link in a hash chain of the person's settlements of
-- the medical year (audit_prev, audit_hash), whose head is the accumulator row the settlement
-- updates anyway. So a settlement writes no audit_log row and moves no shared chain head: the
-- audit of the settlement path stays on the person's rows (one shard under Citus), and its cost
-- is a few columns of rows the settlement writes already.
--
-- Rows written before this migration keep their entries in audit_log (audit_hash stays null);
-- their person-years start a new chain from the genesis hash with their next settlement.
ALTER TABLE settlement
  ADD COLUMN actor_name   text,
  ADD COLUMN actor_roles  text,
  ADD COLUMN actor_origin text,
  ADD COLUMN audit_prev   char(64),
  ADD COLUMN audit_hash   char(64);

-- The head of the person-year's chain: the hash of its last settlement (null: genesis).
ALTER TABLE accumulator ADD COLUMN audit_hash char(64);

-- One sequence numbers the whole audit trail: a settlement's id is its entry's place (seq) in it,
-- so the audit log and the settlements page together, newest first, each on an index it has.
-- Both sequences move past every number either has handed out, so no id repeats.
SELECT setval('audit_seq',
              greatest(CASE WHEN a.is_called THEN a.last_value ELSE 0 END,
                       CASE WHEN s.is_called THEN s.last_value ELSE 0 END, 1),
              a.is_called OR s.is_called)
  FROM audit_seq a, settlement_id_seq s;
ALTER TABLE settlement ALTER COLUMN settlement_id SET DEFAULT nextval('audit_seq');
DROP SEQUENCE settlement_id_seq;
