-- 关爱帮扶小组 (docs/care-teams.md): one care team per registered severe-mental patient, its
-- members with dated changes, the regular visits, the unstable-patient reports (referral and
-- notifications) and their outcome. Every table carries the person key (certno) and the person's
-- village code, so the region scopes (township office, police station, village head) filter by
-- prefix and the overdue lists group by township and village without reading `person`.

CREATE TABLE care_team (
  certno        char(18) NOT NULL,
  region_code   text NOT NULL,
  formed_on     date NOT NULL,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno)
);
CREATE INDEX care_team_region_idx ON care_team (region_code text_pattern_ops, certno);

-- A member holds a role from `from_date` to `to_date` (inclusive; null = still on the team). A
-- replaced member keeps the row with its end date; the replacement is a new row.
CREATE TABLE care_team_member (
  member_id     bigserial,
  certno        char(18) NOT NULL,
  role          text NOT NULL CHECK (role IN ('village_head', 'guardian', 'specialist',
                  'medical_staff', 'police_officer', 'disabled_federation', 'civil_affairs')),
  name          text NOT NULL,
  contact       text NOT NULL,
  from_date     date NOT NULL,
  to_date       date,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  ended_by      text,
  PRIMARY KEY (certno, member_id),
  CHECK (to_date IS NULL OR to_date >= from_date)
);

CREATE TABLE care_visit (
  visit_id      bigserial,
  certno        char(18) NOT NULL,
  region_code   text NOT NULL,
  visited_on    date NOT NULL,
  visitor       text NOT NULL,
  condition     text NOT NULL CHECK (condition IN ('stable', 'unstable')),
  medication_as_prescribed boolean NOT NULL,
  risk_level    smallint NOT NULL CHECK (risk_level BETWEEN 0 AND 5),
  next_due      date NOT NULL,
  note          text,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, visit_id),
  CHECK (next_due > visited_on)
);
CREATE INDEX care_visit_latest_idx ON care_visit (certno, visited_on DESC, visit_id DESC);

-- 病情不稳定报告: symptomatic treatment given, the higher-level institution referred to, and the
-- referral's outcome to closure.
CREATE TABLE care_report (
  report_id     bigserial,
  certno        char(18) NOT NULL,
  region_code   text NOT NULL,
  visit_id      bigint,
  reported_on   date NOT NULL,
  treatment     text NOT NULL,
  referred_to   text NOT NULL,
  status        text NOT NULL DEFAULT 'referred'
                  CHECK (status IN ('referred', 'admitted', 'returned', 'closed')),
  outcome       text,
  closed_on     date,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_by    text,
  updated_at    timestamptz,
  PRIMARY KEY (certno, report_id)
);
CREATE UNIQUE INDEX care_report_id_idx ON care_report (report_id);
CREATE INDEX care_report_region_idx ON care_report (region_code text_pattern_ops, status);

-- One row per recipient of a report: the police station of the patient's township and every
-- member of the team on the report's day. `acknowledged_at` is when the recipient read it.
CREATE TABLE care_notification (
  notification_id bigserial,
  certno        char(18) NOT NULL,
  report_id     bigint NOT NULL,
  recipient_kind text NOT NULL CHECK (recipient_kind IN ('police_station', 'member')),
  member_id     bigint,
  recipient_role text NOT NULL,
  recipient_name text NOT NULL,
  contact       text,
  sent_at       timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  acknowledged_by text,
  PRIMARY KEY (certno, notification_id)
);
CREATE INDEX care_notification_report_idx ON care_notification (report_id);
