-- Department list reconciliation (数据比对) and the problem ledger (问题台账): the three-pass closed
-- loop of the Wenshang seed (三步走、回头看). A campaign receives department lists; each pass
-- compares the registry with the latest list of every department and kind, records its findings,
-- and keeps one ledger item per finding, closed item by item (销号). List rows carry the ID number
-- they were matched by (certno), findings and problems the person's certno or, for a row nobody
-- matched, the ID as the department wrote it; campaigns and lists are small.

-- Column mappings a department's files use, saved for reuse (header text → list field).
CREATE TABLE reconcile_template (
  department  text NOT NULL,
  name        text NOT NULL,
  list_kind   text NOT NULL,
  mapping     jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL,
  PRIMARY KEY (department, name)
);

CREATE TABLE reconcile_campaign (
  campaign_id   bigserial PRIMARY KEY,
  name          text NOT NULL,
  region_code   text NOT NULL,
  medical_year  integer NOT NULL,
  -- Days a township office has to rectify an item before it is overdue.
  due_days      integer NOT NULL DEFAULT 15 CHECK (due_days > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL
);

-- One uploaded list. Counts: rows_read = accepted + rejected, always.
CREATE TABLE reconcile_list (
  list_id      bigserial PRIMARY KEY,
  campaign_id  bigint NOT NULL REFERENCES reconcile_campaign (campaign_id),
  department   text NOT NULL,
  list_kind    text NOT NULL,
  as_of        date NOT NULL,
  file_name    text NOT NULL,
  template     text,
  rows_read    integer NOT NULL DEFAULT 0,
  accepted     integer NOT NULL DEFAULT 0,
  rejected     integer NOT NULL DEFAULT 0,
  complete     boolean NOT NULL DEFAULT false,
  -- The fuzzy search for rows whose ID matched nobody has run.
  matched      boolean NOT NULL DEFAULT false,
  imported_at  timestamptz NOT NULL DEFAULT now(),
  imported_by  text NOT NULL,
  CHECK (NOT complete OR rows_read = accepted + rejected)
);
CREATE INDEX reconcile_list_campaign_idx ON reconcile_list (campaign_id, department, list_kind);

-- Accepted rows. `certno` is the normalised ID (15 digits upgraded, x folded) when the ID was a
-- valid one, null otherwise (a mistyped ID is kept in `certno_raw` and goes to the fuzzy path).
-- Birth date and gender come from the ID, or from their own columns when the ID is unreadable.
CREATE TABLE reconcile_list_row (
  list_id       bigint NOT NULL,
  row_number    integer NOT NULL,
  certno        char(18),
  certno_raw    text NOT NULL,
  name          text NOT NULL,
  birth_date    date,
  region_code   text,
  category      text,
  event_date    date,
  other_region  text,
  change_type   text,
  note          text,
  PRIMARY KEY (list_id, row_number)
);
CREATE INDEX reconcile_list_row_certno_idx ON reconcile_list_row (certno);

CREATE TABLE reconcile_rejected_row (
  list_id     bigint NOT NULL,
  row_number  integer NOT NULL,
  certno_raw  text,
  name        text,
  field       text,
  reason_zh   text NOT NULL,
  reason_en   text NOT NULL,
  PRIMARY KEY (list_id, row_number)
);

-- Fuzzy candidates for rows whose ID matched nobody: a person found by blocking on birth date or
-- name within the row's region, with a score; a person confirms or rejects each.
CREATE TABLE reconcile_candidate (
  candidate_id  bigserial PRIMARY KEY,
  list_id       bigint NOT NULL,
  row_number    integer NOT NULL,
  certno        char(18) NOT NULL,
  score         integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  name_score    integer NOT NULL,
  id_distance   integer NOT NULL,
  status        text NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'confirmed', 'rejected')),
  decided_by    text,
  decided_at    timestamptz,
  UNIQUE (list_id, row_number, certno)
);
CREATE UNIQUE INDEX reconcile_candidate_one_confirmed ON reconcile_candidate (list_id, row_number)
  WHERE status = 'confirmed';

-- Blocking key of the fuzzy path: people born on a day, within a region prefix.
CREATE INDEX person_birth_region_idx ON person (birth_date, region_code text_pattern_ops)
  INCLUDE (name);

-- A numbered pass: which lists it read, when, and its counts.
CREATE TABLE reconcile_pass (
  campaign_id  bigint NOT NULL REFERENCES reconcile_campaign (campaign_id),
  pass_no      integer NOT NULL CHECK (pass_no > 0),
  list_ids     bigint[] NOT NULL,
  ref_month    char(7) NOT NULL,
  refund_cutoff date NOT NULL,
  run_at       timestamptz NOT NULL DEFAULT now(),
  run_by       text NOT NULL,
  summary      jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (campaign_id, pass_no)
);

-- What one pass found. `finding_key` is stable across passes (kind, category and the person or
-- the ID as written), so pass N+1 tells fixed, new and still open apart from pass N.
CREATE TABLE reconcile_finding (
  campaign_id   bigint NOT NULL,
  pass_no       integer NOT NULL,
  finding_key   text NOT NULL,
  kind          text NOT NULL,
  category      text,
  certno        char(18),
  certno_raw    text,
  name          text,
  list_id       bigint,
  row_number    integer,
  department    text,
  region_code   text NOT NULL,
  detail        jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (campaign_id, pass_no, finding_key)
);

-- 问题台账: one item per finding key and campaign. open → rectified → verified → closed (销号);
-- a rectification the next pass contradicts sends it back to open.
CREATE TABLE reconcile_problem (
  problem_id     bigserial PRIMARY KEY,
  campaign_id    bigint NOT NULL REFERENCES reconcile_campaign (campaign_id),
  finding_key    text NOT NULL,
  kind           text NOT NULL,
  category       text,
  certno         char(18),
  certno_raw     text,
  name           text,
  department     text,
  region_code    text NOT NULL,
  state          text NOT NULL DEFAULT 'open'
                 CHECK (state IN ('open', 'rectified', 'verified', 'closed')),
  resolution     text,
  first_pass     integer NOT NULL,
  last_seen_pass integer NOT NULL,
  due_on         date NOT NULL,
  detail         jsonb NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (campaign_id, finding_key)
);
CREATE INDEX reconcile_problem_region_idx ON reconcile_problem (campaign_id, region_code text_pattern_ops);

CREATE TABLE reconcile_problem_event (
  event_id    bigserial PRIMARY KEY,
  problem_id  bigint NOT NULL REFERENCES reconcile_problem (problem_id),
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    text NOT NULL,
  actor_name  text NOT NULL,
  event       text NOT NULL,
  from_state  text,
  to_state    text,
  pass_no     integer,
  comment     text
);
CREATE INDEX reconcile_problem_event_problem_idx ON reconcile_problem_event (problem_id, event_id);

-- Registry changes made by applying a pass's actions (the audit log holds the records; this says
-- which campaign and pass asked for them).
CREATE TABLE reconcile_applied (
  campaign_id  bigint NOT NULL,
  pass_no      integer NOT NULL,
  certno       char(18) NOT NULL,
  action       text NOT NULL,
  detail       jsonb NOT NULL,
  applied_at   timestamptz NOT NULL DEFAULT now(),
  applied_by   text NOT NULL
);
CREATE INDEX reconcile_applied_campaign_idx ON reconcile_applied (campaign_id, pass_no);
