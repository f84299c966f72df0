-- 门诊慢特病 and 门诊两病 (docs/chronic.md): screening (摸底排查), applications with their documents
-- and expert review, certificates (门诊慢特病证) with a validity per disease, and the two-diseases
-- filings made at primary care. Every table carries certno, the person's shard key: settlement
-- reads one person's certificates and filings on the bill date and nothing else.

-- 申请: one person, one or more catalogue diseases. `accepted_on` is the acceptance date (受理日):
-- an approved disease is covered from it (即时享受). `documents_due` is the 容缺 deadline when
-- documents of the checklist were missing at acceptance; `onsite` marks an application decided
-- on the spot from the current condition (现场评估).
CREATE TABLE chronic_application (
  application_id  bigserial,
  certno          char(18) NOT NULL,
  region_code     text NOT NULL,
  channel         text NOT NULL CHECK (channel IN ('window', 'township', 'doctor', 'hospital', 'gateway')),
  fixmedins_code  text,
  status          text NOT NULL CHECK (status IN ('incomplete', 'under_review', 'decided', 'withdrawn')),
  accepted_on     date NOT NULL,
  documents_due   date,
  onsite          boolean NOT NULL DEFAULT false,
  review_steps    smallint NOT NULL DEFAULT 1 CHECK (review_steps IN (1, 2)),
  note            text,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, application_id),
  CHECK (documents_due IS NULL OR documents_due >= accepted_on)
);
CREATE INDEX chronic_application_id_idx ON chronic_application (application_id);
CREATE INDEX chronic_application_queue_idx ON chronic_application (status, region_code);

-- 申请病种: the decision on each disease of an application; `step` counts the review steps done.
CREATE TABLE chronic_application_disease (
  certno          char(18) NOT NULL,
  application_id  bigint NOT NULL,
  disease         text NOT NULL,
  diagnosis       text,
  decision        text NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'approved', 'refused')),
  step            smallint NOT NULL DEFAULT 0,
  reason          text,
  reason_note     text,
  decided_by      text,
  decided_at      timestamptz,
  PRIMARY KEY (certno, application_id, disease)
);

-- 专家评审: every expert decision, one row per disease and step (a two-step review keeps both).
CREATE TABLE chronic_review (
  certno          char(18) NOT NULL,
  application_id  bigint NOT NULL,
  disease         text NOT NULL,
  step            smallint NOT NULL CHECK (step IN (1, 2)),
  decision        text NOT NULL CHECK (decision IN ('approved', 'refused')),
  reason          text,
  note            text,
  reviewer_id     text NOT NULL,
  reviewer_name   text NOT NULL,
  reviewed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, application_id, disease, step)
);

-- 申请材料: the documents of the checklist, each an uploaded PDF, JPEG or PNG.
CREATE TABLE chronic_attachment (
  attachment_id   bigserial,
  certno          char(18) NOT NULL,
  application_id  bigint NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('medical_record', 'test_result', 'prescription_history',
                    'family_doctor_contract', 'health_check', 'other')),
  file_name       text NOT NULL,
  media_type      text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes      integer NOT NULL CHECK (size_bytes > 0),
  sha256          text NOT NULL,
  content         bytea NOT NULL,
  uploaded_by     text NOT NULL,
  uploaded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, attachment_id)
);

-- 门诊慢特病证: one certificate per person, its number printed on the card.
CREATE TABLE chronic_certificate (
  certno          char(18) NOT NULL,
  certificate_no  text NOT NULL,
  region_code     text NOT NULL,
  issued_on       date NOT NULL,
  source          text NOT NULL CHECK (source IN ('review', 'import')),
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno)
);
CREATE INDEX chronic_certificate_no_idx ON chronic_certificate (certificate_no);

-- The diseases a certificate covers, each from/to (inclusive; `valid_to` null = open). A disease
-- ended early (revoked, expired, death) keeps its row with the reason; a new approval of the same
-- disease is a new row.
CREATE TABLE chronic_certificate_disease (
  certno          char(18) NOT NULL,
  disease         text NOT NULL,
  valid_from      date NOT NULL,
  valid_to        date,
  application_id  bigint,
  ended_reason    text CHECK (ended_reason IN ('revoked', 'expired', 'death', 'correction')),
  ended_note      text,
  ended_by        text,
  ended_at        timestamptz,
  PRIMARY KEY (certno, disease, valid_from),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

-- 两病备案: a hypertension or diabetes patient filed by a primary-care doctor (no expert review),
-- at the institution named; any level-1 institution of the county may then settle the visits.
CREATE TABLE two_diseases_filing (
  filing_id       bigserial,
  certno          char(18) NOT NULL,
  disease         text NOT NULL CHECK (disease IN ('hypertension', 'diabetes')),
  diagnosis       text,
  fixmedins_code  text NOT NULL,
  region_code     text NOT NULL,
  valid_from      date NOT NULL,
  valid_to        date,
  source          text NOT NULL CHECK (source IN ('doctor', 'hospital', 'gateway', 'import')),
  gateway_sn      text,
  ended_reason    text CHECK (ended_reason IN ('cancelled', 'death', 'correction')),
  ended_by        text,
  ended_at        timestamptz,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (certno, filing_id),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX two_diseases_filing_region_idx ON two_diseases_filing (region_code);

-- 摸底排查: a screening run (who had inpatient settlements in a period and no certificate for a
-- catalogue disease their diagnoses match) and the people it listed, with what became of them:
-- visited, a reason for not applying (seed 004's four), or an application.
CREATE TABLE chronic_screening (
  screening_id    bigserial PRIMARY KEY,
  period_from     date NOT NULL,
  period_to       date NOT NULL,
  criteria        jsonb NOT NULL,
  listed          integer NOT NULL DEFAULT 0,
  created_by      text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (period_to >= period_from)
);

CREATE TABLE chronic_screening_person (
  certno          char(18) NOT NULL,
  screening_id    bigint NOT NULL,
  region_code     text NOT NULL,
  diseases        text[] NOT NULL,
  diagnoses       text[] NOT NULL,
  visited_on      date,
  not_applying    text CHECK (not_applying IN ('no_chronic_disease', 'review_not_passed',
                    'not_in_catalogue', 'no_outpatient_need')),
  note            text,
  recorded_by     text,
  recorded_at     timestamptz,
  application_id  bigint,
  PRIMARY KEY (certno, screening_id)
);
CREATE INDEX chronic_screening_person_run_idx ON chronic_screening_person (screening_id, region_code);

-- 两病用药目录: a catalogue attribute, imported with the catalogue.
ALTER TABLE catalogue_item ADD COLUMN two_diseases boolean NOT NULL DEFAULT false;
