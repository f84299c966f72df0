-- The 门诊慢特病 workflow on the tables of 0018 (docs/chronic.md §10–§17).

-- 门诊慢特病证号: MT + county + year of issue + this serial (docs/chronic.md §13).
CREATE SEQUENCE chronic_certificate_seq;

-- An application made by a national 2503 filing names its serial number, so a 2504 finds it;
-- a withdrawn application keeps why; `closed_at` is when it was decided or withdrawn.
ALTER TABLE chronic_application ADD COLUMN gateway_sn text;
ALTER TABLE chronic_application ADD COLUMN withdrawn_reason text;
ALTER TABLE chronic_application ADD COLUMN closed_at timestamptz;

-- Attachments and filings are addressed by their id alone in the API.
CREATE INDEX chronic_attachment_id_idx ON chronic_attachment (attachment_id);
CREATE INDEX chronic_attachment_application_idx ON chronic_attachment (certno, application_id);
CREATE INDEX two_diseases_filing_id_idx ON two_diseases_filing (filing_id);

-- A 2503 filing cancelled by its 2504 (人员慢特病备案撤销).
ALTER TABLE gateway_chronic_filing ADD COLUMN cancelled_at timestamptz;
