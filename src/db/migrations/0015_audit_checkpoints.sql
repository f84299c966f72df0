-- Checkpoints of the audit trail (docs/audit.md): every chain head at one moment — each log
-- chain's (chain_seq, hash) and each person-year's settlement chain (its length and last hash) —
-- and one sha256 digest over them all, like a transparency log's tree head. Each checkpoint is
-- also an audit_log entry holding its digest, and can be exported to a file kept off the
-- database. `audit verify` checks that every chain still extends the last checkpoint's head.
CREATE TABLE audit_checkpoint (
  checkpoint_id bigserial PRIMARY KEY,
  at            timestamptz NOT NULL,
  digest        char(64) NOT NULL,
  -- [[chain, chain_seq, hash], ...] of the log's chains
  log_heads     json NOT NULL,
  chains        integer NOT NULL
);

-- The settlement chain heads of a checkpoint. Only the latest checkpoint keeps its rows (one per
-- person-year); older ones keep their digest, here and in the log.
CREATE TABLE audit_checkpoint_head (
  checkpoint_id bigint NOT NULL,
  certno        char(18) NOT NULL,
  year          integer NOT NULL,
  n             integer NOT NULL,
  hash          char(64) NOT NULL,
  PRIMARY KEY (checkpoint_id, certno, year)
);
