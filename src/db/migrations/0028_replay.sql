-- Policy replay (docs/replay.md): a draft pack replayed over a county's settled bills of a year.
-- One row per replay, with its progress while it runs and its results when done; kept until
-- deleted. Nothing of a replay is written to the settlement tables.
CREATE TABLE replay_run (
  replay_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  region_code   text NOT NULL,          -- the county (6 digits): the draft pack's region
  year          integer NOT NULL,
  pack          text NOT NULL,          -- the draft (or any pack) replayed
  pack_hash     char(64) NOT NULL,      -- its files' digest: a later edit is noticed, never mixed in
  filters       jsonb NOT NULL,         -- {region, category, visitType}, each optional
  cutoff        bigint NOT NULL,        -- the last settlement id the replay reads
  status        text NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
  cancel_asked  boolean NOT NULL DEFAULT false,
  done_people   integer NOT NULL DEFAULT 0,
  total_people  integer NOT NULL DEFAULT 0,
  actual_packs  jsonb,                  -- the packs the bills were settled with
  result        json,
  error         jsonb,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  heartbeat     timestamptz NOT NULL DEFAULT now(), -- a running replay beats as it goes (§5)
  finished_at   timestamptz
);
-- One running replay per county (§5).
CREATE UNIQUE INDEX replay_run_one_running ON replay_run (region_code) WHERE status = 'running';
CREATE INDEX replay_run_region_idx ON replay_run (region_code, replay_id);
