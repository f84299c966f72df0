/**
 * The classification of one pass as SQL, set-based: the rows of the pass's lists with the person
 * each is (exact ID, or a confirmed candidate) and that person's registry facts in one table, then
 * every finding in one INSERT (parameters: $1 campaign, $2 pass, $3 reference month, $4 refund
 * cut-off, $5 campaign region), each kind a filtered scan of that table.
 */

/**
 * Rows of the pass's lists, each with the registry person it is, if any (exact ID, else a
 * confirmed candidate), and that person's facts: status, region, the year's enrolments, the flag
 * of the row's target category in the reference month. One statement reads each registry table
 * once for all rows (separate tables of people and of flags, joined back per finding, read the
 * same people three times), and every finding is then a filtered scan of this one table. Person
 * facts are null when the row is nobody in the registry.
 * Parameters: $1 list ids, $2 campaign region, $3 medical year, $4 first day of the reference
 * month, $5 reference month.
 */
export const ROWS_SQL = `
CREATE TEMP TABLE rc_row ON COMMIT DROP AS
SELECT x.*,
  left(x.p_region, length($2::text)) = $2::text AS in_region,
  CASE WHEN x.p_certno IS NOT NULL THEN er.certno IS NOT NULL END AS r_enrolled,
  er.contribution_type AS r_type, er.contribution AS r_contribution, er.refund AS r_refund,
  CASE WHEN x.p_certno IS NOT NULL THEN ee.certno IS NOT NULL
    AND (ee.benefit_to IS NULL OR ee.benefit_to >= $4::date) END AS e_active,
  fl.recognised AS flag_recognised
FROM (
  SELECT l.list_id, l.list_kind, l.department, l.as_of, r.row_number, r.certno_raw,
    r.name AS row_name, r.region_code AS row_region, r.category AS row_category, r.event_date,
    r.other_region, r.change_type,
    COALESCE(pe.certno, cc.confirmed) AS certno,
    (pe.certno IS NULL AND cc.confirmed IS NOT NULL) AS via_candidate,
    COALESCE(cc.proposed, 0) AS proposed,
    COALESCE(r.certno, r.certno_raw) AS row_ident,
    CASE l.list_kind WHEN 'poverty_targets' THEN 'poverty_returned'
      WHEN 'subsistence' THEN 'subsistence' WHEN 'extreme_poverty' THEN 'extreme_poverty' END
      AS target_category,
    COALESCE(pe.certno, cc.p_certno) AS p_certno, COALESCE(pe.name, cc.p_name) AS p_name,
    COALESCE(pe.status, cc.p_status) AS p_status,
    COALESCE(pe.region_code, cc.p_region) AS p_region
  FROM reconcile_list l
  JOIN reconcile_list_row r ON r.list_id = l.list_id
  LEFT JOIN person pe ON pe.certno = r.certno
  -- Rows with candidates (few), and the person a confirmed one names: used only when the exact
  -- ID found nobody.
  LEFT JOIN (
    SELECT c.*, pc.certno AS p_certno, pc.name AS p_name, pc.status AS p_status,
      pc.region_code AS p_region
    FROM (SELECT list_id, row_number, count(*) FILTER (WHERE status = 'proposed') AS proposed,
        max(certno) FILTER (WHERE status = 'confirmed') AS confirmed
      FROM reconcile_candidate WHERE list_id = ANY($1::bigint[])
      GROUP BY list_id, row_number) c
    -- (A lateral lookup: hashed, this join would read the whole registry a second time.)
    LEFT JOIN LATERAL (SELECT * FROM person p WHERE p.certno = c.confirmed) pc ON true
  ) cc ON cc.list_id = r.list_id AND cc.row_number = r.row_number
  -- (The row filter stated on the rows too, so the planner sizes them from their statistics.)
  WHERE l.list_id = ANY($1::bigint[]) AND r.list_id = ANY($1::bigint[])
) x
LEFT JOIN enrolment er ON er.certno = x.p_certno AND er.medical_year = $3 AND er.scheme = 'resident'
LEFT JOIN enrolment ee ON ee.certno = x.p_certno AND ee.medical_year = $3 AND ee.scheme = 'employee'
-- The key-category flags held in the reference month, with when recognised (one scan of those
-- flags, hashed: a probe per row costs more once the lists run to a million).
LEFT JOIN (
  SELECT f.certno, f.category,
    min(COALESCE(f.recognised_on, (f.from_month || '-01')::date)) AS recognised
  FROM person_flag f
  WHERE f.category IN ('poverty_returned', 'subsistence', 'extreme_poverty')
    AND f.from_month <= $5 AND (f.to_month IS NULL OR f.to_month >= $5)
  GROUP BY f.certno, f.category
) fl ON fl.certno = x.certno AND fl.category = x.target_category`;

/** Identifiers on the event lists, to tell target rows what else is known about them. */
export const MARKS_SQL = `
CREATE TEMP TABLE rc_mark ON COMMIT DROP AS
SELECT DISTINCT COALESCE(certno, row_ident) AS ident, list_kind, row_category,
  other_region, change_type, event_date
FROM rc_row
WHERE list_kind IN ('deaths', 'exits', 'insured_elsewhere', 'employee_insured',
  'household_changes')`;

/**
 * The rows some finding could come from: every row but the clean ones — a target-list row of a
 * living person in the region, the same name, enrolled here without paying, not an employee,
 * flagged, and on no event list. Most rows of a list that agrees with the registry are clean; the
 * kinds below scan this table (the flagged-absent check and the marks read all of rc_row).
 */
export const HITS_SQL = `
CREATE TEMP TABLE rc_hit ON COMMIT DROP AS
SELECT * FROM rc_row r
WHERE NOT COALESCE(r.target_category IS NOT NULL AND r.certno IS NOT NULL AND NOT r.via_candidate
  AND r.p_certno IS NOT NULL AND r.p_name = r.row_name AND r.p_status = 'alive' AND r.in_region
  AND r.r_enrolled AND r.r_type <> 'paid' AND NOT r.e_active AND r.flag_recognised IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM rc_mark m WHERE m.ident = r.certno), false)`;

/** Where an item goes: the person's township, else the row's, else the campaign's region. */
const REGION = `CASE WHEN r.in_region THEN left(r.p_region, 9)
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
  jsonb_build_object('registryCertno', r.certno, 'registryName', r.p_name,
    'viaCandidate', r.via_candidate, 'nameDiffers', r.p_name IS NOT NULL AND r.p_name <> r.row_name,
    'pendingCandidates', r.proposed)
FROM rc_hit r
WHERE (r.certno IS NOT NULL AND (r.via_candidate OR r.p_name <> r.row_name))
   OR (r.certno IS NULL AND r.proposed > 0)
) identity
UNION ALL
-- 1: missing, family still looking: keep benefits, mark missing.
SELECT ${BASE}, 'missing|' || r.certno, 'missing', NULL, r.certno, ${ROWCOLS}, ${REGION},
  jsonb_build_object('since', COALESCE(r.event_date, r.as_of)::text, 'registryName', r.p_name)
FROM rc_hit r
WHERE r.list_kind = 'missing' AND r.p_status = 'alive'
UNION ALL
-- 2: deaths the registry does not know.
SELECT DISTINCT ON (r.certno) ${BASE}, 'ended|death|' || r.certno, 'ended', NULL, r.certno,
  ${ROWCOLS}, ${REGION},
  jsonb_build_object('reason', 'death', 'date', r.event_date::text, 'registryName', r.p_name)
FROM rc_hit r
WHERE r.list_kind = 'deaths' AND r.p_status <> 'deceased'
UNION ALL
-- 2: exits from poverty and cancellations of 低保/特困 whose flag is still open.
SELECT DISTINCT ON (r.certno, r.row_category) ${BASE},
  'ended|' || r.row_category || '|' || r.certno, 'ended', r.row_category, r.certno, ${ROWCOLS},
  ${REGION},
  jsonb_build_object('reason', CASE r.row_category WHEN 'poverty_returned' THEN 'exit'
      ELSE 'cancellation' END,
    'date', r.event_date::text, 'month', to_char(r.event_date, 'YYYY-MM'), 'registryName', r.p_name)
FROM rc_hit r
WHERE r.list_kind = 'exits' AND r.p_status <> 'deceased'
  AND EXISTS (SELECT 1 FROM person_flag f WHERE f.certno = r.certno AND f.category = r.row_category
    AND f.end_reason IS NULL AND f.from_month <= to_char(r.event_date, 'YYYY-MM')
    AND (f.to_month IS NULL OR f.to_month > to_char(r.event_date, 'YYYY-MM')))
UNION ALL
-- 3: insured in another county (the registry places them outside, or the city platform says so).
SELECT ${BASE}, 'other_county|' || r.target_category || '|' || COALESCE(r.certno, r.row_ident),
  'other_county', r.target_category, r.certno, ${ROWCOLS}, ${REGION},
  jsonb_build_object('otherRegion', COALESCE(m.other_region, CASE WHEN NOT r.in_region
    THEN r.p_region END), 'registryName', r.p_name)
FROM rc_hit r
LEFT JOIN rc_mark m ON m.ident = COALESCE(r.certno, r.row_ident) AND m.list_kind = 'insured_elsewhere'
WHERE r.target_category IS NOT NULL AND COALESCE(r.p_status, 'alive') <> 'deceased'
  AND ((r.p_certno IS NOT NULL AND NOT r.in_region)
    OR (m.ident IS NOT NULL AND NOT COALESCE(r.r_enrolled, false)))
UNION ALL
-- 4: insured as an employee (registry enrolment, or the employee insurance system's list; with
-- a resident enrolment as well, that is insurance twice over — the ledger item says so).
SELECT ${BASE}, 'employee|' || r.target_category || '|' || r.certno, 'employee',
  r.target_category, r.certno, ${ROWCOLS}, ${REGION},
  jsonb_build_object('registryName', r.p_name, 'residentToo', r.r_enrolled,
    'source', CASE WHEN r.e_active THEN 'registry' ELSE 'list' END)
FROM rc_hit r
WHERE r.target_category IS NOT NULL AND r.p_status <> 'deceased' AND r.in_region
  AND (r.e_active OR EXISTS (SELECT 1 FROM rc_mark m WHERE m.ident = r.certno
    AND m.list_kind = 'employee_insured'))
UNION ALL
-- 5: a personal contribution paid that the refund rule returns (poverty targets always, 低保/特困
-- recognised by the cut-off).
SELECT DISTINCT ON (r.certno) ${BASE}, 'contribution_paid|' || r.certno, 'contribution_paid',
  r.target_category, r.certno, ${ROWCOLS}, ${REGION},
  jsonb_build_object('amount', r.r_contribution, 'registryName', r.p_name)
FROM rc_hit r
WHERE r.target_category IS NOT NULL AND r.in_region AND r.r_enrolled AND r.r_type = 'paid'
  AND r.r_contribution > 0 AND r.r_refund = 0
  AND (r.target_category = 'poverty_returned'
    OR COALESCE(r.flag_recognised, r.event_date, r.as_of) <= $4::date)
UNION ALL
-- 7: neither payment nor exemption: not enrolled here at all (the reason is looked into).
SELECT ${BASE}, 'no_contribution|' || COALESCE(r.certno, r.row_ident), 'no_contribution',
  r.target_category, r.certno, ${ROWCOLS}, ${REGION},
  jsonb_build_object('registryName', r.p_name, 'inRegistry', r.p_certno IS NOT NULL,
    'suspected', COALESCE(
      (SELECT m.change_type FROM rc_mark m WHERE m.ident = COALESCE(r.certno, r.row_ident)
        AND m.list_kind = 'household_changes' LIMIT 1),
      CASE WHEN r.p_status = 'deceased' OR EXISTS (SELECT 1 FROM rc_mark m
        WHERE m.ident = COALESCE(r.certno, r.row_ident) AND m.list_kind = 'deaths')
        THEN 'died' END))
FROM rc_hit r
WHERE r.target_category IS NOT NULL
  AND COALESCE(r.in_region, true) AND NOT COALESCE(r.r_enrolled, false)
  AND NOT COALESCE(r.e_active, false)
  AND NOT EXISTS (SELECT 1 FROM rc_mark m WHERE m.ident = COALESCE(r.certno, r.row_ident)
    AND m.list_kind IN ('insured_elsewhere', 'employee_insured'))
  AND (r.certno IS NOT NULL OR r.proposed = 0)
UNION ALL
-- In the list but not flagged: add the flag, the fee exemption, the green channel.
SELECT DISTINCT ON (r.certno, r.target_category) ${BASE},
  'not_flagged|' || r.target_category || '|' || r.certno, 'not_flagged', r.target_category,
  r.certno, ${ROWCOLS}, ${REGION},
  jsonb_build_object('recognisedOn', COALESCE(r.event_date, r.as_of)::text,
    'source', r.department, 'registryName', r.p_name, 'enrolled', r.r_enrolled)
FROM rc_hit r
WHERE r.target_category IS NOT NULL AND r.in_region AND r.p_status <> 'deceased'
  AND r.flag_recognised IS NULL
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
