/**
 * The payment domain's SQL (docs/payment.md §7–§8): the month's settlements aggregated for the
 * statements, closed months and their lines, advances, clearings. Statements hold amounts per
 * institution, never a person; the aggregate reads only the settlements of the caller's county.
 */
import type { Queryable } from '../../db/db.ts';
import type {
  DiagnosisPattern,
  HospitalLevel,
  PaymentMethod,
  VisitType,
} from '../../policy/index.ts';
import type { Referral, StatementLine, StatementRow } from '../core/statement.ts';
import type { AggregateShape, RuleTest } from '../core/rules.ts';
import type { Step } from '../core/steps.ts';

export interface MonthWindow {
  county: string;
  /** First day of the month and of the next. */
  start: string;
  next: string;
  /** Rows of the month up to this settlement number (null: all, an open month). */
  upTo: number | null;
  /** Rows of earlier months above this number are adjustments (null: none). */
  adjustAbove: number | null;
  /** The capitation packages' areas (region code prefixes). */
  areas: readonly string[];
}

interface AggRow {
  fixmedins_code: string;
  hospital_level: number;
  visit_type: string;
  diagnosis: string;
  sig: string;
  township: string;
  adjustment: boolean;
  count: string | number;
  items: string | number;
}

interface StayRow extends AggRow {
  full_days: string | number;
  beyond_days: string | number;
  short_items: string | number;
  undated_items: string | number;
  undated_rows: string | number;
}

/**
 * Settings of the transaction a statement is drawn up in: no JIT compilation (it costs a
 * month's aggregate more than it saves) and memory to hash the groups without spilling.
 */
export const STATEMENT_SETTINGS = "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'";

/** Pushes a parameter and answers its placeholder. */
function param(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

/** Upper case without dots and white space, as the pack compares diagnoses (policy diagnosis.ts). */
const bare = (code: string): string => code.trim().toUpperCase().replace(/[.\s]/g, '');
const bareSql = (col: string) =>
  `translate(upper(${col}), E'. \\t\\n\\r\\f\\x0b\\u00a0\\u3000\\ufeff', '') COLLATE "C"`;

/**
 * Does the diagnosis column fall in one of the patterns? The SQL twin of matchesDiagnosis: a code
 * matches when its first characters, as many as the pattern has, lie between the pattern's ends
 * in code order.
 */
function patternsSql(patterns: readonly DiagnosisPattern[], col: string, params: unknown[]) {
  if (patterns.length === 0) return 'false';
  const d = bareSql(col);
  return patterns
    .map((p) => {
      const from = bare(p.from);
      const to = bare(p.to);
      return `(length(${d}) >= ${from.length} AND left(${d}, ${from.length}) BETWEEN (${param(params, from)}::text COLLATE "C") AND (${param(params, to)}::text COLLATE "C"))`;
    })
    .join(' OR ');
}

/** The groups a diagnosis falls in, as a string of 0/1 in the shape's order. */
export function signatureSql(
  groups: AggregateShape['groups'],
  col: string,
  params: unknown[],
): string {
  if (groups.length === 0) return "''";
  return groups
    .map((g) => `CASE WHEN ${patternsSql(g, col, params)} THEN '1' ELSE '0' END`)
    .join(' || ');
}

function ruleSql(r: RuleTest, params: unknown[]): string {
  const visit = r.visitTypes ? `s.visit_type = ANY(${param(params, r.visitTypes)}::text[])` : null;
  const diag = r.patterns ? `(${patternsSql(r.patterns, 's.diagnosis', params)})` : null;
  return [visit, diag].filter((x) => x !== null).join(' AND ') || 'true';
}

/** The bills a per bed-day rule takes (§2), as `methodFor` decides: see AggregateShape. */
export function bedDaySql(shape: AggregateShape, params: unknown[]): string {
  return shape.bedDay
    .map((c) => {
      const who =
        c.institutions !== null
          ? `s.fixmedins_code = ANY(${param(params, c.institutions)}::text[])`
          : `NOT (s.fixmedins_code = ANY(${param(params, shape.listed)}::text[]))
             AND s.hospital_level = ANY(${param(params, c.levels)}::int[])`;
      const rules = c.rules
        .map(({ rule, before }) => {
          const earlier = before.map((b) => `(${ruleSql(b, params)})`).join(' OR ');
          return `(${ruleSql(rule, params)}${earlier ? ` AND NOT (${earlier})` : ''})`;
        })
        .join(' OR ');
      return `((${who}) AND (${rules}))`;
    })
    .join(' OR ');
}

const num = (v: string | number | null) => (v === null ? 0 : Number(v));

/**
 * The month's settlements grouped as the statement reads them (§7), in the database: by
 * institution, level, visit type, the diagnosis groups the diagnosis falls in (`shape.groups`;
 * one diagnosis of each group of rows is kept to decide its method), the capitation area the
 * person lives in (of `w.areas`; '' for none) and whether the rows adjust an earlier closed month.
 * The bills a per bed-day rule takes are read a second time with their stays — only at the
 * institutions where `needs` finds such a group — summed as §3 pays them (`StaySums`), and replace
 * their group; likewise the patients of outpatient groups paid per month (§11) are counted: a cancellation mirror (negative amounts) reads its
 * original's stay, and since a stay is discharged on its bill date only the window's stays are
 * joined.
 */
export async function aggregateMonth(
  q: Queryable,
  w: MonthWindow,
  shape: AggregateShape,
  needs: (row: StatementRow) => 'stays' | 'patients' | null,
): Promise<StatementRow[]> {
  await q.exec(STATEMENT_SETTINGS);
  const params: unknown[] = [`${w.county}%`, w.start, w.next, w.upTo, w.adjustAbove];
  const areas = w.areas
    .map((a) => `WHEN s.region_code LIKE ${param(params, `${a}%`)} THEN ${param(params, a)}::text`)
    .join(' ');
  const township = areas ? `CASE ${areas} ELSE '' END` : "''";
  // An open month's rows are all of the month: the adjustment flag is then a constant.
  const adjustment = w.adjustAbove === null ? 'false' : 's.bill_date < $2::date';
  const where = `s.region_code LIKE $1 AND s.fixmedins_code IS NOT NULL
        AND ($4::bigint IS NULL OR s.settlement_id <= $4::bigint)
        AND ((s.bill_date >= $2::date AND s.bill_date < $3::date)
          OR ($5::bigint IS NOT NULL AND s.bill_date < $2::date AND s.settlement_id > $5::bigint))`;
  const sig = signatureSql(shape.groups, 'm.diagnosis', params);
  const keys = `s.fixmedins_code, s.hospital_level, s.visit_type, s.diagnosis,
                ${township} AS township, ${adjustment} AS adjustment,
                sum(CASE WHEN s.kind = 'settle' THEN 1 ELSE -1 END) AS count,
                sum(s.hifp_pay) AS items`;
  // Rows are first grouped by plain columns (the planner knows how few such groups there are,
  // migration 0029, and hashes them in parallel); the groups' diagnoses are then reduced to
  // the payment groups they fall in.
  const regroup = (inner: string, sums: string[]) => `
    WITH m AS (${inner})
    SELECT m.fixmedins_code, m.hospital_level, m.visit_type, min(m.diagnosis) AS diagnosis,
           ${sig} AS sig, m.township, m.adjustment, sum(m.count) AS count, sum(m.items) AS items
           ${sums.map((c) => `, sum(m.${c}) AS ${c}`).join('')}
      FROM m GROUP BY m.fixmedins_code, m.hospital_level, m.visit_type, 5, m.township,
           m.adjustment`;
  const all = await q.query<AggRow>(
    regroup(`SELECT ${keys} FROM settlement s WHERE ${where} GROUP BY 1, 2, 3, 4, 5, 6`, []),
    params,
  );
  const out = new Map<string, StatementRow>();
  const key = (x: AggRow) =>
    [x.fixmedins_code, x.hospital_level, x.visit_type, x.sig, x.township, x.adjustment].join('|');
  const row = (x: AggRow): StatementRow => ({
    institution: x.fixmedins_code,
    level: x.hospital_level as HospitalLevel,
    visitType: x.visit_type as VisitType,
    diagnosis: x.diagnosis,
    township: x.township,
    days: null,
    adjustment: x.adjustment,
    count: Number(x.count),
    items: Number(x.items),
  });
  for (const x of all.rows) out.set(key(x), row(x));
  // Only the institutions with a group that needs its stays or patients are read again.
  const again = (what: 'stays' | 'patients') => [
    ...new Set([...out.values()].filter((r) => needs(r) === what).map((r) => r.institution)),
  ];
  const stayed = again('stays');
  if (shape.bedDay.length > 0 && stayed.length > 0) {
    const dp = [...params];
    const sp = param(dp, shape.shortStayDays);
    const lp = param(dp, shape.longStayDays);
    const sign = `CASE WHEN s.kind = 'settle' THEN 1 ELSE -1 END`;
    const dated = await q.query<StayRow>(
      regroup(
        `SELECT ${keys},
                sum(${sign} * CASE WHEN st.days >= ${sp}::int THEN LEAST(st.days, ${lp}::int) END)
                  AS full_days,
                sum(${sign} * CASE WHEN st.days >= ${sp}::int
                                   THEN GREATEST(0, st.days - ${lp}::int) END) AS beyond_days,
                sum(s.hifp_pay) FILTER (WHERE st.days < ${sp}::int) AS short_items,
                sum(s.hifp_pay) FILTER (WHERE st.days IS NULL) AS undated_items,
                count(*) FILTER (WHERE st.days IS NULL) AS undated_rows
           FROM settlement s
           LEFT JOIN (
             SELECT certno, settlement_id, GREATEST(1, discharge_date - admission_date) AS days
               FROM settlement_stay
              WHERE discharge_date < $3::date
                AND ($5::bigint IS NOT NULL OR discharge_date >= $2::date)) st
             ON st.certno = s.certno AND st.settlement_id = coalesce(s.original_id, s.settlement_id)
          WHERE ${where} AND s.fixmedins_code = ANY(${param(dp, stayed)}::text[])
            AND (${bedDaySql(shape, dp)})
          GROUP BY 1, 2, 3, 4, 5, 6`,
        ['full_days', 'beyond_days', 'short_items', 'undated_items', 'undated_rows'],
      ),
      dp,
    );
    for (const x of dated.rows) {
      out.set(key(x), {
        ...row(x),
        stays: {
          fullDays: num(x.full_days),
          beyondDays: num(x.beyond_days),
          shortItems: num(x.short_items),
          undatedItems: num(x.undated_items),
          undatedRows: num(x.undated_rows),
        },
      });
    }
  }
  const counted = again('patients');
  if (shape.patients.length > 0 && counted.length > 0) {
    const cp = [...params];
    // Per patient and month (§11): a person counts once per line, when their bills of the month
    // net to at least one (a late row of a closed month counts +1 or −1 the same way, §10).
    const cond = shape.patients
      .map((c) => {
        const who =
          c.institutions !== null
            ? `s.fixmedins_code = ANY(${param(cp, c.institutions)}::text[])`
            : `NOT (s.fixmedins_code = ANY(${param(cp, shape.listed)}::text[]))
               AND s.hospital_level = ANY(${param(cp, c.levels)}::int[])`;
        const visit = c.visitTypes
          ? `s.visit_type = ANY(${param(cp, c.visitTypes)}::text[])`
          : 'true';
        return `((${who}) AND ${visit} AND (${patternsSql(c.patterns, 's.diagnosis', cp)}))`;
      })
      .join(' OR ');
    const persons = await q.query<AggRow & { patients: string | number }>(
      `WITH d AS (
         SELECT s.fixmedins_code, s.hospital_level, s.visit_type, s.diagnosis,
                ${township} AS township, ${adjustment} AS adjustment, s.certno,
                sum(CASE WHEN s.kind = 'settle' THEN 1 ELSE -1 END) AS net
           FROM settlement s
          WHERE ${where} AND s.fixmedins_code = ANY(${param(cp, counted)}::text[])
            AND (${cond})
          GROUP BY 1, 2, 3, 4, 5, 6, 7),
       pp AS (
         SELECT m.fixmedins_code, m.hospital_level, m.visit_type, ${sig} AS sig, m.township,
                m.adjustment, m.certno, sign(sum(m.net)) AS patient
           FROM d AS m GROUP BY 1, 2, 3, 4, 5, 6, 7)
       SELECT fixmedins_code, hospital_level, visit_type, sig, township, adjustment,
              sum(patient) AS patients
         FROM pp GROUP BY 1, 2, 3, 4, 5, 6`,
      cp,
    );
    for (const x of persons.rows) {
      const r = out.get(key(x));
      if (r) r.patients = Number(x.patients);
    }
  }
  return [...out.values()];
}

/** How far the settlements have gone: settlement ids come from audit_seq; every number up to it has been drawn. */
export async function settlementWatermark(q: Queryable): Promise<number> {
  const r = await q.query<{ w: string | number }>(
    `SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS w FROM audit_seq`,
  );
  return Number(r.rows[0]!.w);
}

/** Insured residents (resident scheme) enrolled in the year whose region starts with `area`. */
export async function countResidents(q: Queryable, area: string, year: number): Promise<number> {
  const r = await q.query<{ n: number }>(
    `SELECT count(DISTINCT e.certno)::int AS n
       FROM enrolment e JOIN person p ON p.certno = e.certno
      WHERE p.region_code LIKE $1 AND e.medical_year = $2 AND e.scheme = 'resident'`,
    [`${area}%`, year],
  );
  return r.rows[0]!.n;
}

export interface ClosedMonth {
  year: number;
  month: number;
  watermark: number;
  residents: Record<string, number>;
  closedAt: string;
  closedBy: string;
}

interface MonthRow {
  year: number;
  month: number;
  watermark: string | number;
  residents: Record<string, number>;
  closed_at: string;
  closed_by: string;
}

const monthOf = (r: MonthRow): ClosedMonth => ({
  year: r.year,
  month: r.month,
  watermark: Number(r.watermark),
  residents: r.residents,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
});

const MONTH_COLS = `year, month, watermark, residents,
  to_char(closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS closed_at, closed_by`;

/** The county's closed months, latest first. */
export async function closedMonths(q: Queryable, county: string): Promise<ClosedMonth[]> {
  const r = await q.query<MonthRow>(
    `SELECT ${MONTH_COLS} FROM payment_month WHERE region_code = $1 ORDER BY year DESC, month DESC`,
    [county],
  );
  return r.rows.map(monthOf);
}

/** Serialises closings of one county (the lock is the transaction's). */
export async function lockCounty(q: Queryable, county: string): Promise<void> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtext('payment:' || $1))`, [county]);
}

export async function insertMonth(
  q: Queryable,
  county: string,
  m: { year: number; month: number; watermark: number; residents: Record<string, number> },
  by: string,
  lines: readonly StatementLine[],
  referrals: readonly (Referral & { centre: string })[],
): Promise<void> {
  await q.query(
    `INSERT INTO payment_month (region_code, year, month, watermark, residents, closed_by)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
    [county, m.year, m.month, m.watermark, JSON.stringify(m.residents), by],
  );
  if (lines.length > 0) {
    await q.query(
      `INSERT INTO payment_statement_line (region_code, year, month, fixmedins_code, line_no,
         method, grp, hospital_level, package, adjustment, bills, items, owed, note)
       SELECT $1, $2, $3, t.institution, t.line_no, t.method, t.grp, t.level, t.package,
              t.adjustment, t.bills, t.items, t.owed, t.note
         FROM json_to_recordset($4::json) AS t(institution text, line_no int, method text,
              grp text, level smallint, package text, adjustment boolean, bills bigint,
              items bigint, owed bigint, note text)`,
      [
        county,
        m.year,
        m.month,
        JSON.stringify(
          lines.map((l, i) => ({
            institution: l.institution,
            line_no: i + 1,
            method: l.method,
            grp: l.group,
            level: l.level,
            package: l.package,
            adjustment: l.adjustment,
            bills: l.bills,
            items: l.items,
            owed: l.owed,
            note: l.note,
          })),
        ),
      ],
    );
  }
  if (referrals.length > 0) {
    await q.query(
      `INSERT INTO payment_referral (region_code, year, month, package, fixmedins_code, bills, items)
       SELECT $1, $2, $3, t.package, t.institution, t.bills, t.items
         FROM json_to_recordset($4::json) AS t(package text, institution text, bills bigint,
              items bigint)`,
      [county, m.year, m.month, JSON.stringify(referrals)],
    );
  }
}

interface LineRow {
  month: number;
  fixmedins_code: string;
  method: string;
  grp: string | null;
  hospital_level: number;
  package: string | null;
  adjustment: boolean;
  bills: string | number;
  items: string | number;
  owed: string | number;
  note: string | null;
}

/** Stored lines of closed months of a year (one month, or all), optionally one institution's. */
export async function storedLines(
  q: Queryable,
  county: string,
  year: number,
  month: number | null,
  institution: string | null,
): Promise<(StatementLine & { month: number })[]> {
  const r = await q.query<LineRow>(
    `SELECT month, fixmedins_code, method, grp, hospital_level, package, adjustment, bills,
            items, owed, note
       FROM payment_statement_line
      WHERE region_code = $1 AND year = $2 AND ($3::int IS NULL OR month = $3::int)
        AND ($4::text IS NULL OR fixmedins_code = $4::text)
      ORDER BY month, fixmedins_code, line_no`,
    [county, year, month, institution],
  );
  return r.rows.map((x) => ({
    month: x.month,
    institution: x.fixmedins_code,
    method: x.method as PaymentMethod,
    group: x.grp,
    level: x.hospital_level as HospitalLevel,
    package: x.package,
    adjustment: x.adjustment,
    bills: Number(x.bills),
    items: Number(x.items),
    owed: Number(x.owed),
    note: x.note,
  }));
}

export async function storedReferrals(
  q: Queryable,
  county: string,
  year: number,
  month: number | null,
): Promise<(Referral & { month: number })[]> {
  const r = await q.query<{
    month: number;
    package: string;
    fixmedins_code: string;
    bills: string;
    items: string;
  }>(
    `SELECT month, package, fixmedins_code, bills, items FROM payment_referral
      WHERE region_code = $1 AND year = $2 AND ($3::int IS NULL OR month = $3::int)
      ORDER BY month, package, fixmedins_code`,
    [county, year, month],
  );
  return r.rows.map((x) => ({
    month: x.month,
    package: x.package,
    institution: x.fixmedins_code,
    bills: Number(x.bills),
    items: Number(x.items),
  }));
}

/** Is the institution registered (gateway_institution)? */
export async function institutionExists(q: Queryable, code: string): Promise<boolean> {
  const r = await q.query('SELECT 1 FROM gateway_institution WHERE fixmedins_code = $1', [code]);
  return r.rows.length === 1;
}

// ---- advances ---------------------------------------------------------------------------------

export interface Advance {
  month: number;
  institution: string;
  amount: number;
}

/** Inserts advances not yet issued; answers those written now. */
export async function insertAdvances(
  q: Queryable,
  county: string,
  year: number,
  advances: readonly Advance[],
  by: string,
): Promise<Advance[]> {
  if (advances.length === 0) return [];
  const r = await q.query<{ month: number; fixmedins_code: string; amount: string }>(
    `INSERT INTO payment_advance (region_code, year, month, fixmedins_code, amount, issued_by)
     SELECT $1, $2, t.month, t.institution, t.amount, $4
       FROM json_to_recordset($3::json) AS t(month int, institution text, amount bigint)
     ON CONFLICT DO NOTHING
     RETURNING month, fixmedins_code, amount`,
    [county, year, JSON.stringify(advances), by],
  );
  return r.rows.map((x) => ({
    month: x.month,
    institution: x.fixmedins_code,
    amount: Number(x.amount),
  }));
}

export async function advancesOf(
  q: Queryable,
  county: string,
  year: number,
  institution: string | null,
): Promise<Advance[]> {
  const r = await q.query<{ month: number; fixmedins_code: string; amount: string }>(
    `SELECT month, fixmedins_code, amount FROM payment_advance
      WHERE region_code = $1 AND year = $2 AND ($3::text IS NULL OR fixmedins_code = $3::text)
      ORDER BY fixmedins_code, month`,
    [county, year, institution],
  );
  return r.rows.map((x) => ({
    month: x.month,
    institution: x.fixmedins_code,
    amount: Number(x.amount),
  }));
}

// ---- clearings --------------------------------------------------------------------------------

export interface ClearingRecord {
  id: number;
  year: number;
  status: 'draft' | 'approved' | 'superseded';
  residents: Record<string, number>;
  createdAt: string;
  createdBy: string;
  approvedAt: string | null;
  approvedBy: string | null;
  reopenedAt: string | null;
  reopenedBy: string | null;
  reopenReason: string | null;
  institutions: {
    institution: string;
    earned: number;
    paid: number;
    final: number;
    steps: Step[];
  }[];
}

const TS = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

export async function insertClearing(
  q: Queryable,
  county: string,
  year: number,
  residents: Record<string, number>,
  by: string,
  rows: ClearingRecord['institutions'],
): Promise<number> {
  const r = await q.query<{ clearing_id: string }>(
    `INSERT INTO payment_clearing (region_code, year, status, residents, created_by)
     VALUES ($1, $2, 'draft', $3::jsonb, $4) RETURNING clearing_id`,
    [county, year, JSON.stringify(residents), by],
  );
  const id = Number(r.rows[0]!.clearing_id);
  if (rows.length > 0) {
    await q.query(
      `INSERT INTO payment_clearing_institution (clearing_id, fixmedins_code, earned, paid, final, steps)
       SELECT $1, t.institution, t.earned, t.paid, t.final, t.steps
         FROM json_to_recordset($2::json) AS t(institution text, earned bigint, paid bigint,
              final bigint, steps jsonb)`,
      [id, JSON.stringify(rows)],
    );
  }
  return id;
}

interface ClearingRow {
  clearing_id: string;
  year: number;
  status: ClearingRecord['status'];
  residents: Record<string, number>;
  created_at: string;
  created_by: string;
  approved_at: string | null;
  approved_by: string | null;
  reopened_at: string | null;
  reopened_by: string | null;
  reopen_reason: string | null;
}

/** Clearings of a county (one id, or a year's, newest first), with the institutions' rows. */
export async function findClearings(
  q: Queryable,
  county: string,
  by: { id?: number; year?: number },
  institution: string | null,
): Promise<ClearingRecord[]> {
  const r = await q.query<ClearingRow>(
    `SELECT clearing_id, year, status, residents, ${TS('created_at')} AS created_at, created_by,
            ${TS('approved_at')} AS approved_at, approved_by, ${TS('reopened_at')} AS reopened_at,
            reopened_by, reopen_reason
       FROM payment_clearing
      WHERE region_code = $1 AND ($2::bigint IS NULL OR clearing_id = $2::bigint)
        AND ($3::int IS NULL OR year = $3::int)
      ORDER BY clearing_id DESC`,
    [county, by.id ?? null, by.year ?? null],
  );
  if (r.rows.length === 0) return [];
  const ids = r.rows.map((x) => Number(x.clearing_id));
  const inst = await q.query<{
    clearing_id: string;
    fixmedins_code: string;
    earned: string;
    paid: string;
    final: string;
    steps: Step[];
  }>(
    `SELECT clearing_id, fixmedins_code, earned, paid, final, steps
       FROM payment_clearing_institution
      WHERE clearing_id = ANY($1::bigint[]) AND ($2::text IS NULL OR fixmedins_code = $2::text)
      ORDER BY fixmedins_code`,
    [ids, institution],
  );
  return r.rows.map((x) => ({
    id: Number(x.clearing_id),
    year: x.year,
    status: x.status,
    residents: x.residents,
    createdAt: x.created_at,
    createdBy: x.created_by,
    approvedAt: x.approved_at,
    approvedBy: x.approved_by,
    reopenedAt: x.reopened_at,
    reopenedBy: x.reopened_by,
    reopenReason: x.reopen_reason,
    institutions: inst.rows
      .filter(
        (i) => i.clearing_id === x.clearing_id || Number(i.clearing_id) === Number(x.clearing_id),
      )
      .map((i) => ({
        institution: i.fixmedins_code,
        earned: Number(i.earned),
        paid: Number(i.paid),
        final: Number(i.final),
        steps: i.steps,
      })),
  }));
}

export async function approveClearing(q: Queryable, id: number, by: string): Promise<boolean> {
  const r = await q.query(
    `UPDATE payment_clearing SET status = 'approved', approved_at = now(), approved_by = $2
      WHERE clearing_id = $1 AND status = 'draft' RETURNING 1`,
    [id, by],
  );
  return r.rows.length === 1;
}

export async function supersedeClearing(
  q: Queryable,
  id: number,
  by: string,
  reason: string,
): Promise<boolean> {
  const r = await q.query(
    `UPDATE payment_clearing
        SET status = 'superseded', reopened_at = now(), reopened_by = $2, reopen_reason = $3
      WHERE clearing_id = $1 AND status <> 'superseded' RETURNING 1`,
    [id, by, reason],
  );
  return r.rows.length === 1;
}
