/**
 * The classification of one pass as SQL, set-based: the rows of the pass's lists with the person
 * each is (exact ID, or a confirmed candidate), the registry facts of those people, then every
 * finding in one INSERT (parameters: $1 campaign, $2 pass, $3 reference month, $4 refund cut-off,
 * $5 campaign region).
 */

/** Rows of the pass's lists, each with the registry person it is, if any. */
export const ROWS_SQL = `
CREATE TEMP TABLE rc_row ON COMMIT DROP AS
SELECT l.list_id, l.list_kind, l.department, l.as_of, r.row_number, r.certno_raw,
  r.name AS row_name, r.region_code AS row_region, r.category AS row_category, r.event_date,
  r.other_region, r.change_type,
  COALESCE(pe.certno, cc.confirmed) AS certno,
  (pe.certno IS NULL AND cc.confirmed IS NOT NULL) AS via_candidate,
  COALESCE(cc.proposed, 0) AS proposed,
  COALESCE(r.certno, r.certno_raw) AS row_ident,
  CASE l.list_kind WHEN 'poverty_targets' THEN 'poverty_returned'
    WHEN 'subsistence' THEN 'subsistence' WHEN 'extreme_poverty' THEN 'extreme_poverty' END
    AS target_category
FROM reconcile_list l
JOIN reconcile_list_row r ON r.list_id = l.list_id
LEFT JOIN person pe ON pe.certno = r.certno
LEFT JOIN (
  SELECT list_id, row_number, count(*) FILTER (WHERE status = 'proposed') AS proposed,
    max(certno) FILTER (WHERE status = 'confirmed') AS confirmed
  FROM reconcile_candidate WHERE list_id = ANY($1::bigint[])
  GROUP BY list_id, row_number) cc ON cc.list_id = r.list_id AND cc.row_number = r.row_number
WHERE l.list_id = ANY($1::bigint[])`;

/** Registry facts of the people on the lists: status, region, the year's enrolments. */
export const PEOPLE_SQL = `
CREATE TEMP TABLE rc_p ON COMMIT DROP AS
SELECT p.certno, p.name, p.status, p.region_code,
  left(p.region_code, length($1::text)) = $1::text AS in_region,
  er.certno IS NOT NULL AS r_enrolled, er.contribution_type AS r_type,
  er.contribution AS r_contribution, er.refund AS r_refund,
  (ee.certno IS NOT NULL AND (ee.benefit_to IS NULL OR ee.benefit_to >= $3::date)) AS e_active
FROM person p
LEFT JOIN enrolment er ON er.certno = p.certno AND er.medical_year = $2 AND er.scheme = 'resident'
LEFT JOIN enrolment ee ON ee.certno = p.certno AND ee.medical_year = $2 AND ee.scheme = 'employee'
WHERE p.certno IN (SELECT certno FROM rc_row WHERE certno IS NOT NULL)`;

/** The key-category flags those people hold in the reference month, with when recognised. */
export const FLAGS_SQL = `
CREATE TEMP TABLE rc_flag ON COMMIT DROP AS
SELECT f.certno, f.category,
  min(COALESCE(f.recognised_on, (f.from_month || '-01')::date)) AS recognised
FROM person_flag f
WHERE f.certno IN (SELECT certno FROM rc_row WHERE certno IS NOT NULL)
  AND f.category IN ('poverty_returned', 'subsistence', 'extreme_poverty')
  AND f.from_month <= $1 AND (f.to_month IS NULL OR f.to_month >= $1)
GROUP BY f.certno, f.category`;

/** Identifiers on the event lists, to tell target rows what else is known about them. */
export const MARKS_SQL = `
CREATE TEMP TABLE rc_mark ON COMMIT DROP AS
SELECT DISTINCT COALESCE(certno, row_ident) AS ident, list_kind, row_category,
  other_region, change_type, event_date
FROM rc_row
WHERE list_kind IN ('deaths', 'exits', 'insured_elsewhere', 'employee_insured',
  'household_changes')`;

/** Where an item goes: the person's township, else the row's, else the campaign's region. */
const REGION = `CASE WHEN p.in_region THEN left(p.region_code, 9)
  WHEN left(r.row_region, length($5::text)) = $5::text AND length(r.row_region) >= 9
    THEN left(r.row_region, 9)
  ELSE $5::text END`;

const BASE = `$1::bigint, $2::int`;
const ROWCOLS = `r.certno_raw, r.row_name, r.list_id, r.row_number, r.department`;

/** One INSERT for every kind of finding; each SELECT is one kind. */
export const FINDINGS_SQL = `
INSERT INTO reconcile_finding (campaign_id, pass_no, finding_key, kind, category, certno,
  certno_raw, name, list_id, row_number, department, region_code, detail)
-- 6: identity differs (name differs, ID changed and confirmed, or candidates awaiting a person).
SELECT DISTINCT ON (key) * FROM (
SELECT ${BASE}, 'identity_mismatch|' || r.department || '|' || r.row_ident AS key,
  'identity_mismatch', r.target_category, r.certno, ${ROWCOLS},
  ${REGION},
  jsonb_build_object('registryCertno', r.certno, 'registryName', p.name,
    'viaCandidate', r.via_candidate, 'nameDiffers', p.name IS NOT NULL AND p.name <> r.row_name,
    'pendingCandidates', r.proposed)
FROM rc_row r LEFT JOIN rc_p p ON p.certno = r.certno
WHERE (r.certno IS NOT NULL AND (r.via_candidate OR p.name <> r.row_name))
   OR (r.certno IS NULL AND r.proposed > 0)
) identity
UNION ALL
-- 1: missing, family still looking: keep benefits, mark missing.
SELECT ${BASE}, 'missing|' || r.certno, 'missing', NULL, r.certno, ${ROWCOLS}, ${REGION},
  jsonb_build_object('since', COALESCE(r.event_date, r.as_of)::text, 'registryName', p.name)
FROM rc_row r JOIN rc_p p ON p.certno = r.certno
WHERE r.list_kind = 'missing' AND p.status = 'alive'
UNION ALL
-- 2: deaths the registry does not know.
SELECT DISTINCT ON (r.certno) ${BASE}, 'ended|death|' || r.certno, 'ended', NULL, r.certno,
  ${ROWCOLS}, ${REGION},
  jsonb_build_object('reason', 'death', 'date', r.event_date::text, 'registryName', p.name)
FROM rc_row r JOIN rc_p p ON p.certno = r.certno
WHERE r.list_kind = 'deaths' AND p.status <> 'deceased'
UNION ALL
-- 2: exits from poverty and cancellations of 低保/特困 whose flag is still open.
SELECT DISTINCT ON (r.certno, r.row_category) ${BASE},
  'ended|' || r.row_category || '|' || r.certno, 'ended', r.row_category, r.certno, ${ROWCOLS},
  ${REGION},
  jsonb_build_object('reason', CASE r.row_category WHEN 'poverty_returned' THEN 'exit'
      ELSE 'cancellation' END,
    'date', r.event_date::text, 'month', to_char(r.event_date, 'YYYY-MM'), 'registryName', p.name)
FROM rc_row r JOIN rc_p p ON p.certno = r.certno
WHERE r.list_kind = 'exits' AND p.status <> 'deceased'
  AND EXISTS (SELECT 1 FROM person_flag f WHERE f.certno = r.certno AND f.category = r.row_category
    AND f.end_reason IS NULL AND f.from_month <= to_char(r.event_date, 'YYYY-MM')
    AND (f.to_month IS NULL OR f.to_month > to_char(r.event_date, 'YYYY-MM')))
UNION ALL
-- 3: insured in another county (the registry places them outside, or the city platform says so).
SELECT ${BASE}, 'other_county|' || r.target_category || '|' || COALESCE(r.certno, r.row_ident),
  'other_county', r.target_category, r.certno, ${ROWCOLS}, ${REGION},
  jsonb_build_object('otherRegion', COALESCE(m.other_region, CASE WHEN NOT p.in_region
    THEN p.region_code END), 'registryName', p.name)
FROM rc_row r LEFT JOIN rc_p p ON p.certno = r.certno
LEFT JOIN rc_mark m ON m.ident = COALESCE(r.certno, r.row_ident) AND m.list_kind = 'insured_elsewhere'
WHERE r.target_category IS NOT NULL AND COALESCE(p.status, 'alive') <> 'deceased'
  AND ((p.certno IS NOT NULL AND NOT p.in_region)
    OR (m.ident IS NOT NULL AND NOT COALESCE(p.r_enrolled, false)))
UNION ALL
-- 4: insured as an employee (registry enrolment, or the employee insurance system's list; with
-- a resident enrolment as well, that is insurance twice over — the ledger item says so).
SELECT ${BASE}, 'employee|' || r.target_category || '|' || r.certno, 'employee',
  r.target_category, r.certno, ${ROWCOLS}, ${REGION},
  jsonb_build_object('registryName', p.name, 'residentToo', p.r_enrolled,
    'source', CASE WHEN p.e_active THEN 'registry' ELSE 'list' END)
FROM rc_row r JOIN rc_p p ON p.certno = r.certno
WHERE r.target_category IS NOT NULL AND p.status <> 'deceased' AND p.in_region
  AND (p.e_active OR EXISTS (SELECT 1 FROM rc_mark m WHERE m.ident = r.certno
    AND m.list_kind = 'employee_insured'))
UNION ALL
-- 5: a personal contribution paid that the refund rule returns (poverty targets always, 低保/特困
-- recognised by the cut-off).
SELECT DISTINCT ON (r.certno) ${BASE}, 'contribution_paid|' || r.certno, 'contribution_paid',
  r.target_category, r.certno, ${ROWCOLS}, ${REGION},
  jsonb_build_object('amount', p.r_contribution, 'registryName', p.name)
FROM rc_row r JOIN rc_p p ON p.certno = r.certno
LEFT JOIN rc_flag f ON f.certno = r.certno AND f.category = r.target_category
WHERE r.target_category IS NOT NULL AND p.in_region AND p.r_enrolled AND p.r_type = 'paid'
  AND p.r_contribution > 0 AND p.r_refund = 0
  AND (r.target_category = 'poverty_returned'
    OR COALESCE(f.recognised, r.event_date, r.as_of) <= $4::date)
UNION ALL
-- 7: neither payment nor exemption: not enrolled here at all (the reason is looked into).
SELECT ${BASE}, 'no_contribution|' || COALESCE(r.certno, r.row_ident), 'no_contribution',
  r.target_category, r.certno, ${ROWCOLS}, ${REGION},
  jsonb_build_object('registryName', p.name, 'inRegistry', p.certno IS NOT NULL,
    'suspected', COALESCE(
      (SELECT m.change_type FROM rc_mark m WHERE m.ident = COALESCE(r.certno, r.row_ident)
        AND m.list_kind = 'household_changes' LIMIT 1),
      CASE WHEN p.status = 'deceased' OR EXISTS (SELECT 1 FROM rc_mark m
        WHERE m.ident = COALESCE(r.certno, r.row_ident) AND m.list_kind = 'deaths')
        THEN 'died' END))
FROM rc_row r LEFT JOIN rc_p p ON p.certno = r.certno
WHERE r.target_category IS NOT NULL
  AND COALESCE(p.in_region, true) AND NOT COALESCE(p.r_enrolled, false)
  AND NOT COALESCE(p.e_active, false)
  AND NOT EXISTS (SELECT 1 FROM rc_mark m WHERE m.ident = COALESCE(r.certno, r.row_ident)
    AND m.list_kind IN ('insured_elsewhere', 'employee_insured'))
  AND (r.certno IS NOT NULL OR r.proposed = 0)
UNION ALL
-- In the list but not flagged: add the flag, the fee exemption, the green channel.
SELECT DISTINCT ON (r.certno, r.target_category) ${BASE},
  'not_flagged|' || r.target_category || '|' || r.certno, 'not_flagged', r.target_category,
  r.certno, ${ROWCOLS}, ${REGION},
  jsonb_build_object('recognisedOn', COALESCE(r.event_date, r.as_of)::text,
    'source', r.department, 'registryName', p.name, 'enrolled', p.r_enrolled)
FROM rc_row r JOIN rc_p p ON p.certno = r.certno
WHERE r.target_category IS NOT NULL AND p.in_region AND p.status <> 'deceased'
  AND NOT EXISTS (SELECT 1 FROM rc_flag f WHERE f.certno = r.certno
    AND f.category = r.target_category)
  AND NOT EXISTS (SELECT 1 FROM rc_mark m WHERE m.ident = r.certno
    AND ((m.list_kind = 'exits' AND m.row_category = r.target_category)
      OR m.list_kind IN ('deaths', 'household_changes', 'insured_elsewhere')))
UNION ALL
-- Flagged but absent from the department's list: review.
SELECT ${BASE}, 'flagged_absent|' || t.category || '|' || f.certno, 'flagged_absent',
  t.category, f.certno, NULL, p.name, t.list_id, NULL, t.department,
  left(p.region_code, 9),
  jsonb_build_object('registryName', p.name, 'fromMonth', f.from_month, 'source', f.source)
FROM (SELECT DISTINCT list_id, department, target_category AS category FROM rc_row
      WHERE target_category IS NOT NULL) t
JOIN person_flag f ON f.category = t.category AND f.from_month <= $3
  AND (f.to_month IS NULL OR f.to_month >= $3)
JOIN person p ON p.certno = f.certno AND left(p.region_code, length($5::text)) = $5::text
  AND p.status <> 'deceased'
WHERE NOT EXISTS (SELECT 1 FROM rc_row r WHERE r.certno = f.certno
    AND r.target_category = t.category)
  AND NOT EXISTS (SELECT 1 FROM rc_mark m WHERE m.ident = f.certno
    AND (m.list_kind = 'deaths' OR (m.list_kind = 'exits' AND m.row_category = t.category)))
ON CONFLICT (campaign_id, pass_no, finding_key) DO NOTHING`;
