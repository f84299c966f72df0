/**
 * The screening's SQL (docs/chronic.md §15, §16): the run that lists people, the lists, visits, and
 * the funnel. Every query that reads people takes the caller's data scope (kernel/access/scope.ts); a run
 * is seen by callers whose region overlaps the run's.
 */
import { personScopeSql } from '../../kernel/access/scope.ts';
import { SENSITIVE_CATEGORIES } from '../../kernel/access/masking.ts';
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import type { IsoDate } from '../../kernel/period.ts';
import {
  NOT_APPLYING_REASONS,
  STORED_HEAD,
  bareDiagnosisSql,
  probeKeys,
  emptyFunnel,
  periodMonths,
  type CatalogueKeys,
  type Funnel,
  type NotApplyingReason,
  type PersonStatus,
  type ScreeningCriteria,
  type Visit,
} from '../core/screening.ts';

/** `$n` placeholders appended one by one to a statement's parameter list. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
  scope(scope: DataScope, alias: string): string {
    const s = personScopeSql(scope, alias, this.values.length + 1);
    this.values.push(...s.params);
    return s.sql;
  }
}

// ---- the run ---------------------------------------------------------------------------------------

/**
 * The disease of the stored diagnosis in `column` by the probe lookup `keys` (a jsonb parameter,
 * core probeKeys): one probe per prefix length, longest first; the first STORED_HEAD characters
 * are probed as stored, longer heads on the normalised code.
 */
const diseaseSql = (keys: string, column: string, lengths: readonly number[]) =>
  lengths.length === 0
    ? 'NULL::text'
    : `COALESCE(${lengths
        .map((n) => {
          const code = n <= STORED_HEAD ? column : bareDiagnosisSql(column);
          return `${keys} ->> left(${code}, ${Math.trunc(n)})`;
        })
        .join(', ')})`;

/**
 * The inpatient stays of the period (settled, not cancelled): the rows the partial index
 * settlement_inpatient_idx holds (migration 0021).
 */
export const inpatientRowsSql = (from: string, to: string) =>
  `s.kind = 'settle' AND s.visit_type = 'inpatient' AND s.cancelled_by IS NULL
   AND s.bill_date BETWEEN ${from}::date AND ${to}::date`;

/**
 * A certificate disease that spares the person a visit: valid at the period's end, or issued since
 * (valid to a later day or open).
 */
export const coveredSql = (certno: string, disease: string | null, to: string) =>
  `EXISTS (SELECT 1 FROM chronic_certificate_disease c
            WHERE c.certno = ${certno}${disease ? ` AND c.disease = ${disease}` : ''}
              AND (c.valid_to IS NULL OR c.valid_to >= ${to}::date))`;

export interface RunRow {
  screening_id: number;
  period_from: string;
  period_to: string;
  criteria: ScreeningCriteria;
  listed: number;
  created_by: string;
  created_at: string;
  /** The bureau's day (Asia/Shanghai) the run was made. */
  run_date: string;
}

const RUN_COLUMNS = `screening_id, period_from::text AS period_from, period_to::text AS period_to,
  criteria, listed, created_by, created_at,
  to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS run_date`;

/** `createdAt` null: now (the demo dates its run in the year after its bills). */
export async function insertRun(
  tx: Queryable,
  criteria: ScreeningCriteria,
  createdBy: string,
  createdAt: string | null = null,
): Promise<RunRow> {
  const r = await tx.query<RunRow>(
    `INSERT INTO chronic_screening (period_from, period_to, criteria, created_by, created_at)
     VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now())) RETURNING ${RUN_COLUMNS}`,
    [criteria.periodFrom, criteria.periodTo, JSON.stringify(criteria), createdBy, createdAt],
  );
  return r.rows[0]!;
}

/**
 * The run's people as one SELECT: the period's stays whose diagnosis matches a catalogue disease,
 * less those certified for it, those with an application for it under way, and (for the severe
 * mental disease) those an active `severe_mental` flag covers; then the people in the caller's
 * scope and the run's region, alive, holding one of the categories in the period if any were
 * asked. One row per person with their diseases and diagnoses:
 * `(certno, screening_id, region_code, diseases, diagnoses)`.
 */
export function screeningSelect(
  runId: number,
  c: ScreeningCriteria,
  catalogue: CatalogueKeys,
  scope: DataScope,
): { sql: string; params: unknown[] } {
  const p = new Params();
  const id = p.add(runId);
  const from = p.add(c.periodFrom);
  const to = p.add(c.periodTo);
  const probe = probeKeys(catalogue);
  const keys = `${p.add(JSON.stringify(probe.keys))}::jsonb`;
  const [fromMonth, toMonth] = periodMonths(c);
  const conditions = [`p.status <> 'deceased'`, p.scope(scope, 'p')];
  if (c.regionCode) conditions.push(`p.region_code LIKE ${p.add(c.regionCode)} || '%'`);
  // Categories, and a region below the county, as semi-joins on the stays (with the period's
  // flags, with the region index): a run for a few then checks, sorts and reads those few only.
  const narrow: string[] = [];
  if (c.categories.length > 0) {
    const cats = p.add(c.categories);
    const fm = p.add(fromMonth);
    const tm = p.add(toMonth);
    narrow.push(`h.certno IN (SELECT f.certno FROM person_flag f
       WHERE f.category = ANY(${cats}::text[])
         AND f.from_month <= ${tm} AND (f.to_month IS NULL OR f.to_month >= ${fm})
         AND (f.to_month IS NULL OR f.to_month >= f.from_month))`);
  }
  if (c.regionCode && c.regionCode.length > 6) {
    narrow.push(`h.certno IN (SELECT r.certno FROM person r
       WHERE r.region_code LIKE ${p.add(c.regionCode)} || '%')`);
  }
  const narrowed = narrow.map((n) => `AND ${n}`).join('\n');
  // The severe mental disease is dropped for people whose flag covers it after grouping, with
  // the diagnoses that pointed to it: a count per candidate listed for it (never a hash of every
  // flag in the county), and the diagnoses looked up again only for those few.
  const s004 = catalogue.severeMental === null ? null : p.add(catalogue.severeMental);
  const covered =
    s004 === null
      ? 'false'
      : `${s004} = ANY(c.diseases) AND (SELECT count(*) FROM person_flag m
           WHERE m.certno = c.certno AND m.category = 'severe_mental'
             AND m.from_month <= ${p.add(toMonth)}
             AND (m.to_month IS NULL OR m.to_month >= ${p.add(toMonth)})) > 0`;
  const others =
    s004 === null
      ? { diseases: 'x.diseases', diagnoses: 'x.diagnoses' }
      : {
          diseases: `array_remove(x.diseases, ${s004})`,
          diagnoses: `ARRAY(SELECT d.dx FROM unnest(x.diagnoses) AS d(dx)
                 WHERE ${diseaseSql(keys, 'd.dx', probe.lengths)} IS DISTINCT FROM ${s004})`,
        };
  // The disease is computed once per stay, the person and the flag once per candidate (OFFSET 0
  // keeps a subquery from being flattened, which would repeat its lookups wherever they are
  // named). The stays are grouped per
  // person before the person is read, and the person is read by a subquery per candidate: an
  // index lookup each, where a join would scan the whole registry for a few of its people.
  // Applications are joined by their id alone: a join on (certno, application_id) makes the
  // planner expect one row and loop over the applications for every stay.
  const sql = `SELECT x.certno, ${id}::bigint AS screening_id, x.region_code,
            CASE WHEN x.covered THEN ${others.diseases} ELSE x.diseases END AS diseases,
            CASE WHEN x.covered THEN ${others.diagnoses} ELSE x.diagnoses END AS diagnoses
       FROM (SELECT c.*,
                    (SELECT p.region_code FROM person p
                      WHERE p.certno = c.certno AND ${conditions.join(' AND ')}) AS region_code,
                    CASE WHEN ${covered} THEN true ELSE false END AS covered
               FROM (SELECT h.certno,
                            array_agg(DISTINCT h.disease ORDER BY h.disease) AS diseases,
                            array_agg(DISTINCT h.diagnosis ORDER BY h.diagnosis) AS diagnoses
                       FROM (SELECT s.certno, s.diagnosis,
                                    ${diseaseSql(keys, 's.diagnosis', probe.lengths)} AS disease
                               FROM settlement s
                              WHERE ${inpatientRowsSql(from, to)} OFFSET 0) h
                      WHERE h.disease IS NOT NULL
                        ${narrowed}
                        AND NOT ${coveredSql('h.certno', 'h.disease', to)}
                        AND NOT EXISTS (SELECT 1 FROM chronic_application_disease ad
                             WHERE ad.certno = h.certno AND ad.disease = h.disease
                               AND ad.decision = 'pending'
                               AND ad.application_id IN (SELECT a.application_id FROM chronic_application a
                                     WHERE a.status IN ('incomplete', 'under_review')))
                      GROUP BY h.certno) c
             OFFSET 0) x
      WHERE x.region_code IS NOT NULL
        AND (NOT x.covered OR cardinality(${others.diseases}) > 0)`;
  return { sql, params: p.values };
}

/**
 * Settings for the run's transaction: no JIT compilation, which costs the statement more than
 * it saves on a scan this size (and most on the largest registries, where it compiles most);
 * memory enough to hash the certificates and sort the candidates without spilling to disk; and one
 * process, leaving the server's other cores to the windows' settlements while a run reads.
 */
export const SCREENING_SETTINGS =
  "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL max_parallel_workers_per_gather = 0";

/** Lists the run's people (screeningSelect) into chronic_screening_person; returns how many. */
export async function screenInto(
  tx: Queryable,
  runId: number,
  c: ScreeningCriteria,
  catalogue: CatalogueKeys,
  scope: DataScope,
): Promise<number> {
  const s = screeningSelect(runId, c, catalogue, scope);
  await tx.exec(SCREENING_SETTINGS);
  const r = await tx.query(
    `INSERT INTO chronic_screening_person (certno, screening_id, region_code, diseases, diagnoses)
     ${s.sql}`,
    s.params,
  );
  await tx.query('UPDATE chronic_screening SET listed = $2 WHERE screening_id = $1', [
    runId,
    r.rowCount,
  ]);
  return r.rowCount;
}

// ---- runs ----------------------------------------------------------------------------------------

/**
 * Runs the caller sees: those whose region holds the caller's or lies within it (a township sees
 * the county's runs, for its own people), and — without `registry:sensitive:read` — none asked
 * for a sensitive category, whose list would disclose it.
 */
function visibleRuns(p: Params, scope: DataScope, sensitive: boolean): string {
  const parts: string[] = [];
  if (scope.kind !== 'system') {
    const own = p.add(scope.regionCode);
    parts.push(`(s.criteria->>'regionCode' IS NULL
      OR s.criteria->>'regionCode' LIKE ${own} || '%' OR ${own} LIKE (s.criteria->>'regionCode') || '%')`);
  }
  if (!sensitive) {
    parts.push(`NOT (s.criteria->'categories' ?| ${p.add([...SENSITIVE_CATEGORIES])}::text[])`);
  }
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

export async function listRuns(
  q: Queryable,
  scope: DataScope,
  sensitive: boolean,
  page: { page: number; pageSize: number },
): Promise<{ items: RunRow[]; total: number }> {
  const p = new Params();
  const where = visibleRuns(p, scope, sensitive);
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM chronic_screening s WHERE ${where}`,
    p.values,
  );
  const limit = p.add(page.pageSize);
  const offset = p.add((page.page - 1) * page.pageSize);
  const rows = await q.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM chronic_screening s WHERE ${where}
      ORDER BY screening_id DESC LIMIT ${limit} OFFSET ${offset}`,
    p.values,
  );
  return { items: rows.rows, total: total.rows[0]?.n ?? 0 };
}

/** A run the caller sees, or null (latest when `id` is null). */
export async function findRun(
  q: Queryable,
  scope: DataScope,
  sensitive: boolean,
  id: number | null,
): Promise<RunRow | null> {
  const p = new Params();
  const where = visibleRuns(p, scope, sensitive);
  const byId = id === null ? '' : `AND screening_id = ${p.add(id)}`;
  const r = await q.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM chronic_screening s WHERE ${where} ${byId}
      ORDER BY screening_id DESC LIMIT 1`,
    p.values,
  );
  return r.rows[0] ?? null;
}

// ---- the people of a run -------------------------------------------------------------------------

export interface ListedRow {
  certno: string;
  name: string;
  region_code: string;
  region_name: string | null;
  township_code: string;
  township_name: string | null;
  diseases: string[];
  diagnoses: string[];
  visited_on: string | null;
  not_applying: NotApplyingReason | null;
  note: string | null;
  recorded_by: string | null;
  recorded_at: string | null;
  application_id: number | null;
  application_status: string | null;
  certified: boolean;
  refused: boolean;
}

export interface ListedFilter {
  /** A region prefix (a township, a village). */
  regionCode?: string | undefined;
  certno?: string | undefined;
  status?: PersonStatus | undefined;
}

const STATUS_SQL: Record<PersonStatus, string> = {
  unvisited: 'l.visited_on IS NULL AND l.application_id IS NULL',
  visited: 'l.visited_on IS NOT NULL',
  not_applying: 'l.not_applying IS NOT NULL',
  applied: 'l.application_id IS NOT NULL',
  certified: 'l.certified',
  refused: 'l.refused',
};

/** People listed for the severe mental disease alone, which readers without the permission skip. */
const hiddenSql = (p: Params, run: RunRow, sensitive: boolean): string | null =>
  !sensitive && run.criteria.severeMental
    ? `NOT (sp.diseases <@ ARRAY[${p.add(run.criteria.severeMental)}]::text[])`
    : null;

/**
 * The run's people in the caller's scope with what became of them since the run: the latest
 * application made on or after the run, whether a certificate disease from such an application is
 * valid `today`, and whether such an application refused a disease (refused counts only the
 * people certified for nothing from it). Readers without `registry:sensitive:read` do not see
 * people listed for the severe mental disease alone.
 */
function listedCte(
  p: Params,
  run: RunRow,
  scope: DataScope,
  sensitive: boolean,
  today: IsoDate,
  f: ListedFilter,
): string {
  const id = p.add(run.screening_id);
  const since = `${p.add(run.created_at)}::timestamptz`;
  const day = `${p.add(today)}::date`;
  const where = [`sp.screening_id = ${id}`, p.scope(scope, 'p')];
  if (f.regionCode) where.push(`sp.region_code LIKE ${p.add(f.regionCode)} || '%'`);
  if (f.certno) where.push(`sp.certno = ${p.add(f.certno)}`);
  const hide = hiddenSql(p, run, sensitive);
  if (hide) where.push(hide);
  return `listed AS (
    SELECT sp.certno::text AS certno, p.name, sp.region_code, v.name AS region_name,
           left(sp.region_code, 9) AS township_code, t.name AS township_name,
           sp.diseases, sp.diagnoses, sp.visited_on::text AS visited_on, sp.not_applying, sp.note,
           sp.recorded_by, sp.recorded_at::text AS recorded_at,
           app.application_id, app.status AS application_status,
           EXISTS (SELECT 1 FROM chronic_certificate_disease d
                     JOIN chronic_application a ON a.certno = d.certno AND a.application_id = d.application_id
                    WHERE d.certno = sp.certno AND a.created_at >= ${since}
                      AND (d.valid_to IS NULL OR d.valid_to >= ${day})) AS certified,
           EXISTS (SELECT 1 FROM chronic_application_disease ad
                     JOIN chronic_application a ON a.certno = ad.certno AND a.application_id = ad.application_id
                    WHERE ad.certno = sp.certno AND a.created_at >= ${since}
                      AND ad.decision = 'refused') AS refused_any
      FROM chronic_screening_person sp
      JOIN person p ON p.certno = sp.certno
      LEFT JOIN region v ON v.code = sp.region_code
      LEFT JOIN region t ON t.code = left(sp.region_code, 9)
      LEFT JOIN LATERAL (SELECT a.application_id, a.status FROM chronic_application a
                          WHERE a.certno = sp.certno AND a.created_at >= ${since}
                          ORDER BY a.created_at DESC, a.application_id DESC LIMIT 1) app ON TRUE
     WHERE ${where.join(' AND ')}),
  l AS (SELECT listed.*, refused_any AND NOT certified AS refused FROM listed)`;
}

const listedSelect = (ctes: string, status: PersonStatus | undefined) =>
  `WITH ${ctes} SELECT * FROM l WHERE ${status ? STATUS_SQL[status] : 'TRUE'}`;

export async function listPeople(
  q: Queryable,
  run: RunRow,
  scope: DataScope,
  sensitive: boolean,
  today: IsoDate,
  f: ListedFilter,
  page: { page: number; pageSize: number },
): Promise<{ items: ListedRow[]; total: number }> {
  const p = new Params();
  const sql = listedSelect(listedCte(p, run, scope, sensitive, today, f), f.status);
  const total = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, p.values);
  const limit = p.add(page.pageSize);
  const offset = p.add((page.page - 1) * page.pageSize);
  const rows = await q.query<ListedRow>(
    `${sql} ORDER BY region_code, certno LIMIT ${limit} OFFSET ${offset}`,
    p.values,
  );
  return { items: rows.rows, total: total.rows[0]?.n ?? 0 };
}

/** The run's people in pages ordered by village and ID number (keyset), for an export. */
export async function* allPeople(
  q: Queryable,
  run: RunRow,
  scope: DataScope,
  sensitive: boolean,
  today: IsoDate,
  f: ListedFilter,
  pageSize = 2_000,
): AsyncGenerator<ListedRow[]> {
  let after: [string, string] | null = null;
  for (;;) {
    const p = new Params();
    const sql = listedSelect(listedCte(p, run, scope, sensitive, today, f), f.status);
    const keyset: string = after
      ? `WHERE (region_code, certno) > (${p.add(after[0])}, ${p.add(after[1])})`
      : '';
    const rows: ListedRow[] = (
      await q.query<ListedRow>(
        `SELECT * FROM (${sql}) x ${keyset} ORDER BY region_code, certno LIMIT ${p.add(pageSize)}`,
        p.values,
      )
    ).rows;
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    const last: ListedRow = rows[rows.length - 1]!;
    after = [last.region_code, last.certno];
  }
}

export async function funnelOf(
  q: Queryable,
  run: RunRow,
  scope: DataScope,
  sensitive: boolean,
  today: IsoDate,
  regionCode: string | undefined,
): Promise<Funnel> {
  const p = new Params();
  const ctes = listedCte(p, run, scope, sensitive, today, { regionCode });
  const reasons = NOT_APPLYING_REASONS.map(
    (r, i) => `count(*) FILTER (WHERE not_applying = ${p.add(r)})::int AS r${i}`,
  );
  const r = await q.query<Record<string, number>>(
    `WITH ${ctes}
     SELECT count(*)::int AS screened,
            count(*) FILTER (WHERE visited_on IS NOT NULL)::int AS visited,
            count(application_id)::int AS applied,
            count(*) FILTER (WHERE certified)::int AS certified,
            count(*) FILTER (WHERE refused)::int AS refused,
            ${reasons.join(', ')}
       FROM l`,
    p.values,
  );
  const row = r.rows[0]!;
  const out = emptyFunnel(run.screening_id);
  out.screened = row.screened ?? 0;
  out.visited = row.visited ?? 0;
  out.applied = row.applied ?? 0;
  out.certified = row.certified ?? 0;
  out.refused = row.refused ?? 0;
  NOT_APPLYING_REASONS.forEach((reason, i) => (out.notApplying[reason] = row[`r${i}`] ?? 0));
  return out;
}

// ---- visits --------------------------------------------------------------------------------------

export interface VisitRow {
  visited_on: string | null;
  not_applying: NotApplyingReason | null;
  note: string | null;
}

/** The listed person's visit as it stands, locked for the change; null when not listed in scope. */
export async function lockListed(
  tx: Queryable,
  scope: DataScope,
  sensitive: boolean,
  run: RunRow,
  certno: string,
): Promise<VisitRow | null> {
  const p = new Params();
  const hide = hiddenSql(p, run, sensitive);
  const r = await tx.query<VisitRow>(
    `SELECT sp.visited_on::text AS visited_on, sp.not_applying, sp.note
       FROM chronic_screening_person sp JOIN person p ON p.certno = sp.certno
      WHERE sp.certno = ${p.add(certno)} AND sp.screening_id = ${p.add(run.screening_id)}
        AND ${p.scope(scope, 'p')} ${hide ? `AND ${hide}` : ''}
        FOR UPDATE OF sp`,
    p.values,
  );
  return r.rows[0] ?? null;
}

export async function writeVisit(
  tx: Queryable,
  runId: number,
  certno: string,
  v: Visit,
  recordedBy: string,
): Promise<void> {
  await tx.query(
    `UPDATE chronic_screening_person
        SET visited_on = $3, not_applying = $4, note = $5, recorded_by = $6, recorded_at = now()
      WHERE certno = $1 AND screening_id = $2`,
    [certno, runId, v.visitedOn, v.notApplying, v.note, recordedBy],
  );
}

/** The counties of the region table, for a run that names no region. */
export async function counties(q: Queryable): Promise<string[]> {
  const r = await q.query<{ code: string }>(
    `SELECT code FROM region WHERE level = 'county' ORDER BY code`,
  );
  return r.rows.map((x) => x.code);
}

export async function regionExists(q: Queryable, code: string): Promise<boolean> {
  const r = await q.query('SELECT 1 FROM region WHERE code = $1', [code]);
  return r.rows.length > 0;
}
