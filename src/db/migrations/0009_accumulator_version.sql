-- 年度累计的版本号: every write of a person's accumulator row adds one. A settlement computed from
-- version v is written only if the row is still at v (one autocommit statement, no lock held
-- between the read and the write); otherwise the service re-does it under the row lock. Cancels
-- and the locked path bump it too, so an optimistic write never lands on a state it did not see.
ALTER TABLE accumulator ADD COLUMN version bigint NOT NULL DEFAULT 0;
