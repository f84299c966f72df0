/**
 * SQL of the persistent settlement. Every statement names the person (certno), so the settlement
 * path stays on one person's rows (one shard under Citus). The write of a settlement — the row,
 * its ledger, programme spending and the accumulator — is one statement.
 */
import type { Queryable } from '../../db/db.ts';
import type { DataScope } from '../../kernel/access/actor.ts';
import { personScopeSql } from '../../kernel/access/scope.ts';
import {
  type Category,
  type HospitalLevel,
  type Tier,
  type VisitType,
  TIERS,
} from '../../policy/index.ts';
import type { Accumulators } from '../accumulators.ts';
import type { SettlementAmounts } from '../calculate.ts';
import type { Bill, BillLine } from '../bill.ts';
import { AMOUNT_FIELDS } from '../trial-answer.ts';
import { TWO_DISEASES_MAX_DAYS, type Prescription } from '../coverage.ts';
import { storedExplainJson } from '../explain-json.ts';
import { TierExplanation, type ExplainTier, type TierFacts } from '../explain.ts';
import { CHAIN_GENESIS, chainHash, sealedBody, type AuditActor } from './audit-chain.ts';
import type { PostTierLine } from '../post-tier.ts';

/**
 * The categories person `p`'s flags hold in the month given by parameter `month` (`YYYY-MM`):
 * both ends of a flag's range are inclusive, an open end holds (docs/settlement.md §4).
 */
const categoriesOn = (month: string) =>
  `(SELECT array_agg(DISTINCT f.category) FROM person_flag f
     WHERE f.certno = p.certno AND f.from_month <= ${month}
       AND (f.to_month IS NULL OR f.to_month >= ${month}))`;

/**
 * Does person `p` have benefits on the date in parameter `date` (`YYYY-MM-DD`)? A resident
 * enrolment for that medical year whose benefit period holds the date: a green-channel enrolment
 * starts on its enrolment day, a death or a stop ends it.
 */
const enrolledOn = (date: string) =>
  `EXISTS (SELECT 1 FROM enrolment e
     WHERE e.certno = p.certno AND e.scheme = 'resident'
       AND e.medical_year = extract(year FROM ${date}::date)::int
       AND e.benefit_from <= ${date}::date
       AND (e.benefit_to IS NULL OR e.benefit_to >= ${date}::date))`;

/**
 * A certificate's disease or a filing (alias `x`) still holds on the date in parameter `date`: an
 * open or later end, or — ended early without an end date — not past the day it was ended; a row
 * ended as a correction (recorded in error) never covers.
 */
const holdsOn = (x: string, date: string) =>
  `${x}.valid_from <= ${date}::date
       AND ${x}.ended_reason IS DISTINCT FROM 'correction'
       AND coalesce(${x}.valid_to, ${x}.ended_at::date, 'infinity'::date) >= ${date}::date`;

/** Which reads a bill's checks need: a chronic bill its certificates, a 两病 bill its filings and drugs. */
type FactsKind = 'plain' | 'chronic' | 'two_diseases';

const factsKind = (v: VisitType): FactsKind =>
  v === 'chronic_outpatient' ? 'chronic' : v === 'two_diseases' ? 'two_diseases' : 'plain';

/**
 * What the bill's checks read along with the person, in the same statement (docs/chronic.md §3,
 * §5): the registered level of the institution in parameter `fix`; for a chronic bill the
 * diseases the person's certificates cover on `date`; for a two-diseases bill the diseases they are
 * filed for, which of the bill's item codes (parameter `items`) are on the two-diseases drug list
 * that day, and the last earlier two-diseases prescription of each of those drugs. Each kind of
 * bill has its own text, so a general bill pays one index look-up and every text keeps one
 * generic plan (a text that chose its reads by a parameter would be planned anew each time: its
 * custom plans look cheaper than the generic one). Every read names the person by `$1` (certno):
 * the settlement's shard.
 */
function billFacts(kind: FactsKind, date: string, fix: string, items: string): string {
  const level = `(SELECT gi.hosp_lv FROM gateway_institution gi WHERE gi.fixmedins_code = ${fix}) AS hosp_lv`;
  const certificates =
    kind !== 'chronic'
      ? 'NULL::text[]'
      : `ARRAY(SELECT c.disease FROM chronic_certificate_disease c
                WHERE c.certno = $1 AND ${holdsOn('c', date)})`;
  if (kind !== 'two_diseases') {
    return `${level}, ${certificates} AS certificates, NULL::text[] AS filings,
            NULL::text[] AS listed, NULL::json AS last_rx`;
  }
  return `${level}, ${certificates} AS certificates,
     ARRAY(SELECT t.disease FROM two_diseases_filing t
            WHERE t.certno = $1 AND ${holdsOn('t', date)}) AS filings,
     ARRAY(SELECT DISTINCT ci.med_list_codg FROM catalogue_item ci
            WHERE ci.med_list_codg = ANY(${items}::text[]) AND ci.two_diseases
              AND ci.begndate <= ${date}::date
              AND (ci.enddate IS NULL OR ci.enddate >= ${date}::date)) AS listed,
     (SELECT json_agg(json_build_array(x.code, x.bill_date, x.days)) FROM (
        SELECT DISTINCT ON (l.line->>'itemCode') l.line->>'itemCode' AS code, st.bill_date,
               (l.line->>'days')::int AS days
          FROM settlement st, json_array_elements(st.lines) AS l(line)
         WHERE st.certno = $1 AND st.visit_type = 'two_diseases' AND st.kind = 'settle'
           AND st.cancelled_by IS NULL AND st.bill_date <= ${date}::date
           AND st.bill_date > ${date}::date - ${TWO_DISEASES_MAX_DAYS}
           AND l.line->>'itemCode' = ANY(${items}::text[])
         ORDER BY l.line->>'itemCode', st.bill_date DESC, st.settlement_id DESC) x) AS last_rx`;
}

/** What the bill names that the checks look up: its institution, visit type and item codes. */
export interface BillKeys {
  fixmedinsCode: string | null;
  visitType: VisitType;
  /** The distinct item codes of the lines (only a two-diseases bill's are looked up). */
  itemCodes: string[];
}

/**
 * The parameters billFacts adds after a statement's own `n` parameters: the item codes, for a
 * two-diseases bill only. Returns them, the placeholder of the item codes and the index the
 * caller's scope parameters start at.
 */
function factParams(k: BillKeys, n: number): { params: unknown[]; items: string; next: number } {
  return factsKind(k.visitType) === 'two_diseases'
    ? { params: [k.itemCodes], items: `$${n + 1}`, next: n + 2 }
    : { params: [], items: '', next: n + 1 };
}

/** What billFacts read, as the checks use it. */
export interface BillFacts {
  /** The registered level of the bill's institution; null when it names none registered. */
  hospitalLevel: HospitalLevel | null;
  /** Diseases the person's certificates cover on the bill date; null: not read (not chronic). */
  certificates: string[] | null;
  /** Two diseases the person is filed for on the bill date; null: not read. */
  filings: string[] | null;
  /** The bill's item codes on the two-diseases drug list on its date; null: not read. */
  listed: string[] | null;
  /** The last earlier two-diseases prescription of each of the bill's drugs; null: not read. */
  lastPrescriptions: Map<string, Prescription> | null;
}

/** The billFacts columns as the database returns them. */
interface FactRow {
  hosp_lv: HospitalLevel | null;
  certificates: string[] | null;
  filings: string[] | null;
  listed: string[] | null;
  last_rx: [string, string, number | null][] | null;
}

const toFacts = (row: FactRow, visitType: VisitType): BillFacts => ({
  hospitalLevel: row.hosp_lv,
  certificates: row.certificates,
  filings: row.filings,
  listed: row.listed,
  lastPrescriptions:
    visitType === 'two_diseases'
      ? new Map((row.last_rx ?? []).map(([code, date, days]) => [code, { date, days }]))
      : null,
});

export interface PersonOnDate {
  certno: string;
  /** Enrolled in resident insurance for the bill's year, with benefits on the bill date. */
  enrolled: boolean;
  regionCode: string;
  status: string;
  deathDate: string | null;
  categories: Category[];
}

/** The person columns both look-ups select, as the database returns them. */
interface PersonRow {
  certno: string;
  enrolled: boolean;
  region_code: string;
  status: string;
  death_date: string | null;
  categories: Category[] | null;
}

const PERSON_COLUMNS = 'p.certno, p.region_code, p.status, p.death_date';

const toPerson = (row: PersonRow): PersonOnDate => ({
  certno: row.certno,
  enrolled: row.enrolled,
  regionCode: row.region_code,
  status: row.status,
  deathDate: row.death_date,
  categories: (row.categories ?? []).slice().sort(),
});

/** The person, in the caller's scope, with the categories their flags hold on `date`. */
export async function personOnDate(
  q: Queryable,
  scope: DataScope,
  certno: string,
  date: string,
): Promise<PersonOnDate | null> {
  const s = personScopeSql(scope, 'p', 4);
  const r = await q.query<PersonRow>(
    `SELECT ${PERSON_COLUMNS}, ${categoriesOn('$2')} AS categories, ${enrolledOn('$3')} AS enrolled
       FROM person p WHERE p.certno = $1 AND ${s.sql}`,
    [certno, date.slice(0, 7), date, ...s.params],
  );
  const row = r.rows[0];
  return row ? toPerson(row) : null;
}

export interface PersonForBill {
  person: PersonOnDate;
  facts: BillFacts;
}

/**
 * The person in the caller's scope on the bill date (as personOnDate) with what the bill's checks
 * read (billFacts), in one statement: the pre-settlement's read.
 */
export async function personForBill(
  q: Queryable,
  scope: DataScope,
  certno: string,
  date: string,
  keys: BillKeys,
): Promise<PersonForBill | null> {
  const f = factParams(keys, 4);
  const s = personScopeSql(scope, 'p', f.next);
  const r = await q.query<PersonRow & FactRow>(
    `SELECT ${PERSON_COLUMNS}, ${categoriesOn('$2')} AS categories, ${enrolledOn('$3')} AS enrolled,
            ${billFacts(factsKind(keys.visitType), '$3', '$4', f.items)}
       FROM person p WHERE p.certno = $1 AND ${s.sql}`,
    [certno, date.slice(0, 7), date, keys.fixmedinsCode, ...f.params, ...s.params],
  );
  const row = r.rows[0];
  return row ? { person: toPerson(row), facts: toFacts(row, keys.visitType) } : null;
}

export interface OpenedForSettlement {
  person: PersonOnDate;
  /** What the bill's checks read with the person (billFacts). */
  facts: BillFacts;
  acc: Accumulators;
  /** The settlement this msgid already made, if any (then answer with it). */
  existingId: number | null;
  /** The person-year's audit chain head: the hash the settlement follows (audit-chain.ts). */
  auditHead: string;
  /** The id for this settlement, drawn from the audit trail's sequence (ids skip, never repeat). */
  nextId: number;
}

/**
 * Opens one person's settlement in one statement: reads the person in the caller's scope with the
 * categories their flags hold on `date` and what the bill's checks need (billFacts), locks (creating it empty the first time) their
 * accumulator row for the year — so concurrent settlements of one person queue here and never
 * both spend the same room under a cap — and looks for the msgid's earlier settlement. Nothing is
 * written for a person out of scope. Round trips are what the settlement path costs, hence one.
 *
 * The msgid look-up shares the statement's snapshot; a repeat that raced its first request past
 * this point fails on the (certno, msgid) unique key instead, and the service answers it then.
 */
export async function openForSettlement(
  q: Queryable,
  scope: DataScope,
  certno: string,
  date: string,
  msgid: string,
  empty: Accumulators,
  keys: BillKeys,
): Promise<OpenedForSettlement | null> {
  const f = factParams(keys, 7);
  const s = personScopeSql(scope, 'p', f.next);
  const r = await q.query<
    PersonRow &
      FactRow & {
        state: Accumulators;
        audit_hash: string | null;
        existing_id: number | null;
        next_id: number;
      }
  >(
    `WITH visible AS (
       SELECT ${PERSON_COLUMNS}, ${categoriesOn('$3')} AS categories, ${enrolledOn('$6')} AS enrolled,
              ${billFacts(factsKind(keys.visitType), '$6', '$7', f.items)}
         FROM person p WHERE p.certno = $1 AND ${s.sql}),
     acc AS (
       INSERT INTO accumulator (certno, year, state)
       SELECT certno, $2, $4::json FROM visible
       ON CONFLICT (certno, year) DO UPDATE SET certno = EXCLUDED.certno
       RETURNING state, audit_hash)
     SELECT v.*, acc.state, acc.audit_hash,
            (SELECT st.settlement_id FROM settlement st WHERE st.certno = $1 AND st.msgid = $5)
              AS existing_id,
            nextval('audit_seq') AS next_id
       FROM visible v, acc`,
    [
      certno,
      empty.year,
      date.slice(0, 7),
      JSON.stringify(empty),
      msgid,
      date,
      keys.fixmedinsCode,
      ...f.params,
      ...s.params,
    ],
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    person: toPerson(row),
    facts: toFacts(row, keys.visitType),
    acc: row.state,
    existingId: row.existing_id,
    auditHead: row.audit_hash ?? CHAIN_GENESIS,
    nextId: row.next_id,
  };
}

export interface ReadForSettlement extends OpenedForSettlement {
  /** The accumulator row's version; null when the person has none for the year yet. */
  version: number | null;
  /**
   * The institution has treated the person before (they are in its data scope already), so the
   * write need not record it: the write of a settlement at a new institution does.
   */
  treated: boolean;
}

/**
 * The optimistic path's one read: the person in the caller's scope with the categories their
 * flags hold on `date` and whether they have benefits then, their accumulators for the year and
 * the row's version, the msgid's earlier settlement, a settlement id, whether the institution
 * has treated them before, and what the bill's checks need (billFacts) — without locking anything.
 * insertSettlementIfCurrent then writes only if the version still holds.
 */
export async function readForSettlement(
  q: Queryable,
  scope: DataScope,
  certno: string,
  date: string,
  msgid: string,
  empty: Accumulators,
  keys: BillKeys,
): Promise<ReadForSettlement | null> {
  const kind = factsKind(keys.visitType);
  const f = factParams(keys, 6);
  const s = personScopeSql(scope, 'p', f.next);
  const key = `${kind} ${s.sql}`;
  let sql = READ_SQL.get(key);
  if (sql === undefined) {
    sql = readSql(s.sql, kind, f.items);
    READ_SQL.set(key, sql);
  }
  const r = await q.query<
    PersonRow &
      FactRow & {
        state: Accumulators | null;
        version: number | null;
        audit_hash: string | null;
        existing_id: number | null;
        next_id: number;
        treated: boolean;
      }
  >(
    sql,
    [
      certno,
      empty.year,
      date.slice(0, 7),
      msgid,
      date,
      keys.fixmedinsCode,
      ...f.params,
      ...s.params,
    ],
    { prepare: true },
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    person: toPerson(row),
    facts: toFacts(row, keys.visitType),
    acc: row.state ?? empty,
    existingId: row.existing_id,
    version: row.version,
    auditHead: row.audit_hash ?? CHAIN_GENESIS,
    nextId: row.next_id,
    treated: row.treated,
  };
}

/**
 * The optimistic read's text per kind of bill and scope predicate (a few: one per kind of scope).
 * Kept, not rebuilt: the adapter finds a prepared statement by its text, and a kilobyte string built anew
 * for every settlement was hashed anew to be found (0.7 % of the server's main thread).
 */
const READ_SQL = new Map<string, string>();

const readSql = (scopeSql: string, kind: FactsKind, items: string) =>
  `SELECT ${PERSON_COLUMNS}, ${categoriesOn('$3')} AS categories, ${enrolledOn('$5')} AS enrolled,
            a.state, a.version, a.audit_hash,
            (SELECT st.settlement_id FROM settlement st WHERE st.certno = $1 AND st.msgid = $4)
              AS existing_id,
            nextval('audit_seq') AS next_id,
            EXISTS (SELECT 1 FROM institution_patient ip
                     WHERE ip.certno = p.certno AND ip.fixmedins_code = $6) AS treated,
            ${billFacts(kind, '$5', '$6', items)}
       FROM person p LEFT JOIN accumulator a ON a.certno = p.certno AND a.year = $2
      WHERE p.certno = $1 AND ${scopeSql}`;

/** Is this error the (certno, msgid) unique key: a repeat that raced its first request? */
export const isMsgidRace = (e: unknown): boolean =>
  typeof e === 'object' &&
  e !== null &&
  (e as { code?: unknown }).code === '23505' &&
  String(
    (e as { constraint?: unknown; message?: unknown }).constraint ??
      (e as { message?: unknown }).message,
  ).includes('msgid');

/** Reads the accumulators without locking (pre-settlement, queries). */
export async function readAccumulators(
  q: Queryable,
  certno: string,
  year: number,
): Promise<Accumulators | null> {
  const r = await q.query<{ state: Accumulators }>(
    'SELECT state FROM accumulator WHERE certno = $1 AND year = $2',
    [certno, year],
  );
  return r.rows[0]?.state ?? null;
}

export interface LockedAccumulators {
  acc: Accumulators;
  /** The person-year's audit chain head (audit-chain.ts). */
  auditHead: string;
  /** The id for the settlement written under this lock. */
  nextId: number;
}

/**
 * Locks the person's accumulator row for the year (creating it empty the first time), so that
 * concurrent settlements of one person queue here and never both spend the same room under a cap.
 */
export async function lockAccumulators(
  q: Queryable,
  certno: string,
  year: number,
  empty: Accumulators,
): Promise<LockedAccumulators> {
  type Locked = { state: Accumulators; audit_hash: string | null; next_id: number };
  const sel = `SELECT state, audit_hash, nextval('audit_seq') AS next_id FROM accumulator
                WHERE certno = $1 AND year = $2 FOR UPDATE`;
  let row = (await q.query<Locked>(sel, [certno, year])).rows[0];
  if (!row) {
    await q.query(
      `INSERT INTO accumulator (certno, year, state) VALUES ($1, $2, $3::json)
       ON CONFLICT (certno, year) DO NOTHING`,
      [certno, year, JSON.stringify(empty)],
    );
    row = (await q.query<Locked>(sel, [certno, year])).rows[0]!;
  }
  return { acc: row.state, auditHead: row.audit_hash ?? CHAIN_GENESIS, nextId: row.next_id };
}

export interface SettlementRow extends SettlementAmounts {
  settlement_id: number;
  certno: string;
  year: number;
  msgid: string;
  kind: 'settle' | 'cancel';
  original_id: number | null;
  cancelled_by: number | null;
  fixmedins_code: string | null;
  region_code: string;
  bill_date: string;
  visit_type: Bill['visitType'];
  hospital_level: Bill['hospitalLevel'];
  diagnosis: string;
  remote: Bill['remote'];
  pack: string;
  categories: Category[];
  backstop_programme: string | null;
  /** The programme a hospital waiver is accounted under (docs/settlement.md §9), or null. */
  waiver_programme?: string | null;
  /** What the post-tier steps did (§9); null when none applied. */
  post_tier?: PostTierLine[] | null;
  lines: BillLine[];
  explain: ExplainTier[];
  delta: Accumulators;
  actor_id: string;
  reason: string | null;
  created_at: string;
}

const AMOUNT_COLUMNS = AMOUNT_FIELDS;

/**
 * Adds the amounts to `into` field by field: spreading an object made by Object.fromEntries (a
 * dictionary-mode object) into a row literal is slow on every settlement.
 */
function copyAmounts<T extends object>(into: T, from: SettlementAmounts): T & SettlementAmounts {
  const out = into as T & SettlementAmounts;
  for (const c of AMOUNT_COLUMNS) out[c] = from[c];
  return out;
}

/** A settlement row as the database returns it: the explanation holds the facts only. */
type StoredRow = Omit<SettlementRow, 'explain'> & { explain: TierFacts[] };

/**
 * The row with its explanation whole again: the sentences are written from the stored facts and
 * the visit (storedExplainJson). Rows stored before the sentences were left out still carry them;
 * they are written afresh all the same, from the same facts.
 */
function readRow(row: StoredRow | undefined): SettlementRow | null {
  if (!row) return null;
  const visit = { visitType: row.visit_type, hospitalLevel: row.hospital_level };
  return { ...row, explain: row.explain.map((f) => new TierExplanation(f, visit)) };
}

export async function findByMsgid(
  q: Queryable,
  certno: string,
  msgid: string,
): Promise<SettlementRow | null> {
  const r = await q.query<StoredRow>('SELECT * FROM settlement WHERE certno = $1 AND msgid = $2', [
    certno,
    msgid,
  ]);
  return readRow(r.rows[0]);
}

/** A settlement by id, in the caller's scope (a settlement of a person out of scope is absent). */
export async function findById(
  q: Queryable,
  scope: DataScope,
  id: number,
  lock = false,
): Promise<SettlementRow | null> {
  const s = personScopeSql(scope, 'p', 2);
  const r = await q.query<StoredRow>(
    `SELECT st.* FROM settlement st JOIN person p ON p.certno = st.certno
      WHERE st.settlement_id = $1 AND ${s.sql}${lock ? ' FOR UPDATE OF st' : ''}`,
    [id, ...s.params],
  );
  return readRow(r.rows[0]);
}

export interface NewSettlement {
  /** Drawn by the read or the lock before the write: the audit hash covers it. */
  settlementId: number;
  certno: string;
  year: number;
  msgid: string;
  kind: 'settle' | 'cancel';
  originalId: number | null;
  fixmedinsCode: string | null;
  regionCode: string;
  bill: Bill;
  pack: string;
  categories: readonly Category[];
  amounts: SettlementAmounts;
  backstopProgramme: string | null;
  explain: readonly ExplainTier[];
  /** The post-tier steps' lines (§9); empty when none applied. */
  postTier?: readonly PostTierLine[] | undefined;
  delta: Accumulators;
  next: Accumulators;
  actor: AuditActor;
  reason: string | null;
  /** When it is written (UTC ISO, milliseconds): the row's created_at, sealed by its hash. */
  at: string;
  /** The person-year's audit chain head the settlement follows (read with the accumulators). */
  auditHead: string;
}

/**
 * Writes a settlement (or a cancellation mirror) in one statement, inside a transaction that
 * holds the person's accumulator row lock: the settlement row, a ledger row per tier it moved, the
 * programme's spending, the accumulator's new state, and — for a cancellation — the link from the
 * original. Returns the written row.
 */
export async function insertSettlement(q: Queryable, s: NewSettlement): Promise<SettlementRow> {
  const w = settlementWrite(s, null);
  const r = await q.query<Written>(w.sql, w.params);
  return written(w.row, r.rows[0]!);
}

/** What the write returns: what the database made of the timestamp it was given. */
interface Written {
  created_at: string;
}

/**
 * The settlement as a row, from what is about to be written; the write fills in `created_at`
 * as the database returns it. Built before the write, as its audit seal is (sealedBody): returning
 * the whole row would send the explanation back and parse it again — a visible share of each
 * settlement's time — to learn what the caller already holds.
 */
function rowOf(s: NewSettlement): SettlementRow {
  const row: Omit<SettlementRow, keyof SettlementAmounts> = {
    settlement_id: s.settlementId,
    certno: s.certno,
    year: s.year,
    msgid: s.msgid,
    kind: s.kind,
    original_id: s.originalId,
    cancelled_by: null,
    fixmedins_code: s.fixmedinsCode,
    region_code: s.regionCode,
    bill_date: s.bill.date,
    visit_type: s.bill.visitType,
    hospital_level: s.bill.hospitalLevel,
    diagnosis: s.bill.diagnosis,
    remote: s.bill.remote,
    pack: s.pack,
    categories: [...s.categories],
    backstop_programme: s.backstopProgramme,
    waiver_programme: waiverProgramme(s),
    post_tier: s.postTier && s.postTier.length > 0 ? [...s.postTier] : null,
    lines: s.bill.lines,
    explain: [...s.explain],
    delta: s.delta,
    actor_id: s.actor.id,
    reason: s.reason,
    created_at: '',
  };
  const out = copyAmounts(row, s.amounts);
  if (s.amounts.hosp_part_amt !== undefined) out.hosp_part_amt = s.amounts.hosp_part_amt;
  return out;
}

/** The programme of the first hospital-waiver line that waived something. */
const waiverProgramme = (s: NewSettlement): string | null =>
  s.postTier?.find((l) => l.kind === 'hospital_waiver' && l.amount !== 0)?.programme ?? null;

/** The written row, with the database's created_at. */
function written(row: SettlementRow, w: Written): SettlementRow {
  row.created_at = w.created_at;
  return row;
}

/** What an optimistic settlement was computed from. */
export interface OptimisticGuard {
  /** The accumulator row's version the settlement was computed from; null: there was no row. */
  version: number | null;
  /** The read found the institution had treated the person before (ReadForSettlement). */
  treated: boolean;
}

/**
 * Writes a settlement (its own audit entry) in one autocommit statement, only if the person's
 * accumulator row is still at the version the settlement was computed from (or, for the year's
 * first settlement, still absent). Returns null when it is not — another settlement or cancel of
 * the same person got there first — and then nothing was written: the caller re-does the
 * settlement under the row lock.
 */
export async function insertSettlementIfCurrent(
  q: Queryable,
  s: NewSettlement,
  guard: OptimisticGuard,
): Promise<SettlementRow | null> {
  const w = settlementWrite(s, guard);
  const r = await q.query<Written>(w.sql, w.params, { prepare: true });
  return r.rows[0] ? written(w.row, r.rows[0]) : null;
}

/** The one statement of insertSettlement (guard null) and insertSettlementIfCurrent. */
function settlementWrite(s: NewSettlement, guard: OptimisticGuard | null) {
  // A ledger row per tier the settlement moved: one that changed neither the tier's base nor
  // what it paid adds nothing to a rebuild of the year-to-date, and most bills (outpatient ones)
  // move only the basic tier — four of five rows were zeros, each a row and an index entry.
  const ledger = TIERS.flatMap((tier: Tier) => {
    const { base, paid } = s.delta.tiers[tier];
    return base !== 0 || paid !== 0 ? [{ tier, base, paid }] : [];
  });
  const row = rowOf(s);
  const params: unknown[] = [
    s.certno, // 1
    s.year,
    s.msgid,
    s.kind,
    s.originalId, // 5
    s.fixmedinsCode,
    s.regionCode,
    s.bill.date,
    s.bill.visitType,
    s.bill.hospitalLevel, // 10
    s.bill.diagnosis,
    s.bill.remote,
    s.pack,
    s.categories,
    s.backstopProgramme, // 15
    JSON.stringify(s.bill.lines),
    storedExplainJson(s.explain),
    JSON.stringify(s.delta),
    s.actor.id,
    s.reason, // 20
    JSON.stringify(ledger),
    JSON.stringify(s.next),
    s.next.oopInscope,
    s.next.oopTotal,
    s.kind === 'settle' ? 1 : -1, // 25
    ...AMOUNT_COLUMNS.map((c) => s.amounts[c]), // 26..39
    s.settlementId, // 40
    guard?.version ?? null, // 41
    s.actor.name,
    JSON.stringify(s.actor.roles),
    s.actor.origin,
    s.at, // 45
    s.auditHead,
    chainHash(s.auditHead, sealedBody(row, s.actor, s.at)),
    s.amounts.hosp_part_amt ?? 0, // 48
    row.waiver_programme ?? null,
    row.post_tier == null ? null : JSON.stringify(row.post_tier), // 50
  ];
  // The text depends only on the path and on which side writes apply (its parameters are
  // numbered the same every time): built once per shape, so the prepared statement is found by
  // the same string. A side write that cannot apply is left out rather than run to write nothing:
  // each costs its table's and indexes' opening on every execution.
  const shape: WriteShape = {
    guard: guard === null ? 'none' : guard.version === null ? 'first' : 'version',
    programme: s.backstopProgramme !== null,
    cancel: s.kind === 'cancel',
    treated: s.kind === 'settle' && s.fixmedinsCode !== null && !(guard?.treated ?? false),
  };
  const key = JSON.stringify(shape);
  let sql = WRITE_SQL.get(key);
  if (sql === undefined) {
    sql = writeSql(shape);
    WRITE_SQL.set(key, sql);
  }
  return { sql, params, row };
}

/** Which parts a settlement's write carries (see settlementWrite). */
interface WriteShape {
  /**
   * The optimistic path's gate: the year's first settlement creates the accumulator row (and
   * finds it taken if another got there first); a later one updates the row at its version.
   * `none`: the locked path, which holds the row.
   */
  guard: 'none' | 'first' | 'version';
  /** A backstop programme paid: its spending is recorded. */
  programme: boolean;
  /** A cancellation: the original is marked cancelled. */
  cancel: boolean;
  /**
   * A settlement at an institution that has not treated the person before (as far as the
   * optimistic read saw; the locked path does not look): the patient enters its data scope.
   */
  treated: boolean;
}

const WRITE_SQL = new Map<string, string>();

/** The side writes, each a CTE that follows the ledger's (hence the leading comma). */
const PROG = `,
     prog AS (
       INSERT INTO programme_spend (programme, year, certno, settlement_id, amount)
       SELECT $15, $2, $1, st.settlement_id, $${26 + AMOUNT_COLUMNS.indexOf('backstop_pay')}
         FROM st WHERE $15::text IS NOT NULL)`;
const ORIG = `,
     orig AS (
       UPDATE settlement SET cancelled_by = st.settlement_id FROM st
        WHERE settlement.certno = $1 AND settlement.settlement_id = $5)`;
// The institution has now treated this person: they enter its data scope (auth).
const TREATED = `,
     treated AS (
       INSERT INTO institution_patient (certno, fixmedins_code, first_seen)
       SELECT $1, $6, $8::date FROM st WHERE $6::text IS NOT NULL AND $4 = 'settle'
       ON CONFLICT (certno, fixmedins_code) DO NOTHING)`;

/** The text of the write statement. */
function writeSql(shape: WriteShape): string {
  const amountPlaceholders = AMOUNT_COLUMNS.map((_, i) => `$${26 + i}`).join(', ');
  // The accumulator row is the head of the person-year's audit chain: it moves with the state.
  const accState = `state = $22::json, oop_inscope = $23, oop_total = $24,
              settlements = accumulator.settlements + $25, version = accumulator.version + 1,
              updated_at = now(), audit_hash = $47`;
  // Locked (none): the transaction holds the row, so it is simply updated. Optimistic: the
  // accumulator's write is the gate — the update matches only the version the settlement was
  // computed from; the year's first settlement's insert finds the row taken if another settlement
  // made it first — and everything else is written only if the gate passed.
  const accumulator = {
    first: `acc AS (
       INSERT INTO accumulator (certno, year, state, oop_inscope, oop_total, settlements, version,
         audit_hash)
       SELECT $1, $2, $22::json, $23, $24, $25, 1, $47 WHERE $41::bigint IS NULL -- true; names $41
       ON CONFLICT (certno, year) DO NOTHING
       RETURNING 1),`,
    version: `acc AS (
       UPDATE accumulator SET ${accState}
        WHERE certno = $1 AND year = $2 AND version = $41::bigint
       RETURNING 1),`,
    none: `acc AS (
       UPDATE accumulator SET ${accState}
        WHERE certno = $1 AND year = $2 AND $41::bigint IS NULL -- true here; names $41
       RETURNING 1),`,
  }[shape.guard];
  const sides = [
    shape.programme ? PROG : '',
    shape.cancel ? ORIG : '',
    shape.treated ? TREATED : '',
  ].join('');
  return `WITH ${accumulator}
     st AS (
       INSERT INTO settlement (settlement_id, certno, year, msgid, kind, original_id,
         fixmedins_code, region_code, bill_date, visit_type, hospital_level, diagnosis, remote,
         pack, categories, backstop_programme, lines, explain, delta, actor_id, reason,
         ${AMOUNT_COLUMNS.join(', ')}, actor_name, actor_roles, actor_origin, created_at,
         audit_prev, audit_hash, hosp_part_amt, waiver_programme, post_tier)
       SELECT $40, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::json,
         $17::json, $18::json, $19, $20, ${amountPlaceholders}, $42, $43, $44, $45::timestamptz,
         $46, $47, $48::bigint, $49::text, $50::jsonb
        WHERE EXISTS (SELECT 1 FROM acc)
       RETURNING settlement_id, created_at),
     led AS (
       INSERT INTO settlement_ledger (certno, year, settlement_id, tier, base, paid)
       SELECT $1, $2, st.settlement_id, t.tier, t.base, t.paid
         FROM st, json_to_recordset($21::json) AS t(tier text, base bigint, paid bigint))${sides}
     SELECT created_at FROM st`;
}

/** The ledger summed: what the accumulators must equal (tests and audits rebuild from it). */
export async function ledgerTotals(
  q: Queryable,
  certno: string,
  year: number,
): Promise<Record<Tier, { base: number; paid: number }>> {
  const r = await q.query<{ tier: Tier; base: number; paid: number }>(
    `SELECT tier, sum(base)::int8 AS base, sum(paid)::int8 AS paid FROM settlement_ledger
      WHERE certno = $1 AND year = $2 GROUP BY tier`,
    [certno, year],
  );
  const out = Object.fromEntries(TIERS.map((t) => [t, { base: 0, paid: 0 }])) as Record<
    Tier,
    { base: number; paid: number }
  >;
  for (const row of r.rows) out[row.tier] = { base: row.base, paid: row.paid };
  return out;
}

/** The person's name, for the one bill (same person, same shard as the settlement). */
export async function personName(q: Queryable, certno: string): Promise<string> {
  const r = await q.query<{ name: string }>('SELECT name FROM person WHERE certno = $1', [certno]);
  return r.rows[0]?.name ?? '';
}
