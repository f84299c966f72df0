/**
 * The settled bills a replay reads (docs/replay.md §2): a county's settlements of one medical year
 * up to the replay's cut-off, person by person in the order each was settled, in batches of whole
 * people. Read-only: a replay writes nothing to the settlement tables.
 */
import type { Queryable } from '../../db/db.ts';
import type { StoredBill } from '../core/person.ts';

export interface BillSelection {
  /** The county, or a township or village inside it: a prefix of the settlement's region code. */
  region: string;
  year: number;
  /** The last settlement id read: settlements and cancellations after it are not seen. */
  cutoff: number;
}

interface Row {
  settlement_id: number;
  certno: string;
  year: number;
  region_code: string;
  fixmedins_code: string | null;
  bill_date: string;
  visit_type: StoredBill['bill']['visitType'];
  hospital_level: StoredBill['bill']['hospitalLevel'];
  diagnosis: string;
  remote: StoredBill['bill']['remote'];
  pack: string;
  categories: StoredBill['categories'];
  lines: StoredBill['bill']['lines'];
  backstop_programme: string | null;
  hifp_pay: number;
  hifmi_pay: number;
  maf_pay: number;
  reassist_pay: number;
  backstop_pay: number;
  fund_pay_sumamt: number;
  psn_part_amt: number;
  hosp_part_amt: number;
  medfee_sumamt: number;
  inscp_scp_amt: number;
  cancelled: boolean;
  delivered: boolean;
}

// Every settlement, cancelled or not: a cancelled one is marked and left out of the replay, but
// its person-year is reported apart (§3).
const COLUMNS = `settlement_id, certno, year, region_code, fixmedins_code, bill_date, visit_type,
  hospital_level, diagnosis, remote, pack, categories, lines, backstop_programme, hifp_pay,
  hifmi_pay, maf_pay, reassist_pay, backstop_pay, fund_pay_sumamt, psn_part_amt, hosp_part_amt,
  medfee_sumamt, inscp_scp_amt, (cancelled_by IS NOT NULL AND cancelled_by <= $3) AS cancelled,
  EXISTS (SELECT 1 FROM care_delivery d WHERE d.certno = settlement.certno
          AND d.settlement_id = settlement.settlement_id) AS delivered`;
const WHERE = `kind = 'settle' AND year = $1 AND region_code LIKE $2 || '%' AND settlement_id <= $3`;

const toStored = (r: Row): StoredBill => ({
  settlementId: r.settlement_id,
  certno: r.certno,
  year: r.year,
  regionCode: r.region_code,
  fixmedinsCode: r.fixmedins_code,
  bill: {
    date: r.bill_date,
    visitType: r.visit_type,
    hospitalLevel: r.hospital_level,
    diagnosis: r.diagnosis,
    remote: r.remote,
    lines: r.lines,
  },
  pack: r.pack,
  categories: r.categories,
  actual: {
    hifp_pay: r.hifp_pay,
    hifmi_pay: r.hifmi_pay,
    maf_pay: r.maf_pay,
    reassist_pay: r.reassist_pay,
    backstop_pay: r.backstop_pay,
    fund_pay_sumamt: r.fund_pay_sumamt,
    psn_part_amt: r.psn_part_amt,
    hosp_part_amt: r.hosp_part_amt,
  },
  medfee: r.medfee_sumamt,
  inscope: r.inscp_scp_amt,
  backstopProgramme: r.backstop_programme,
  cancelled: r.cancelled,
  // A home delivery's bill (care_delivery names it) came by the delivery channel.
  channel: r.delivered ? 'delivery' : null,
});

/**
 * The people of the selection, each with their bills in settlement order, `batch` bills at a
 * time (a person's bills are never split across batches). Memory holds two batches: the next one
 * is asked for as soon as the current one arrives, so the database reads while the caller
 * computes.
 */
export async function* peopleBills(
  q: Queryable,
  sel: BillSelection,
  batch = 5_000,
): AsyncGenerator<StoredBill[][]> {
  const read = (after: string) =>
    q.query<Row>(
      `SELECT ${COLUMNS} FROM settlement WHERE ${WHERE} AND certno > $4
        ORDER BY certno, settlement_id LIMIT $5`,
      [sel.year, sel.region, sel.cutoff, after, batch],
    );
  let pending = read('');
  for (;;) {
    const r = await pending;
    if (r.rows.length === 0) return;
    const people = group(r.rows);
    if (r.rows.length < batch) {
      yield people;
      return;
    }
    // A full batch: its last person may go on past it, so they come first in the next one.
    const last = people.pop()!;
    if (people.length === 0) {
      // One person fills the batch: read them whole on their own.
      const certno = last[0]!.certno;
      pending = read(certno);
      yield [await personBills(q, sel, certno)];
      continue;
    }
    pending = read(people[people.length - 1]![0]!.certno);
    yield people;
  }
}

/** One person's bills of the selection, in settlement order (the explanation of a difference). */
export async function personBills(
  q: Queryable,
  sel: BillSelection,
  certno: string,
): Promise<StoredBill[]> {
  const r = await q.query<Row>(
    `SELECT ${COLUMNS} FROM settlement WHERE ${WHERE} AND certno = $4 ORDER BY settlement_id`,
    [sel.year, sel.region, sel.cutoff, certno],
  );
  return r.rows.map(toStored);
}

function group(rows: readonly Row[]): StoredBill[][] {
  const out: StoredBill[][] = [];
  let current: StoredBill[] = [];
  for (const row of rows) {
    if (current.length > 0 && current[0]!.certno !== row.certno) {
      out.push(current);
      current = [];
    }
    current.push(toStored(row));
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Whether the selection holds a bill that was not cancelled before the cut-off. */
export async function hasBills(q: Queryable, sel: BillSelection): Promise<boolean> {
  const r = await q.query(
    `SELECT 1 FROM settlement WHERE ${WHERE} AND (cancelled_by IS NULL OR cancelled_by > $3) LIMIT 1`,
    [sel.year, sel.region, sel.cutoff],
  );
  return r.rows.length > 0;
}

/** How many people the selection holds (a replay's progress counts people). */
export async function countPeople(q: Queryable, sel: BillSelection): Promise<number> {
  const r = await q.query<{ people: number }>(
    `SELECT count(DISTINCT certno)::int AS people FROM settlement WHERE ${WHERE}`,
    [sel.year, sel.region, sel.cutoff],
  );
  return r.rows[0]?.people ?? 0;
}

/** The last settlement id written so far: a replay's cut-off. */
export async function lastSettlementId(q: Queryable): Promise<number> {
  const r = await q.query<{ id: number | null }>('SELECT max(settlement_id) AS id FROM settlement');
  return r.rows[0]?.id ?? 0;
}

/** The names of regions (township names for the results). */
export async function regionNames(
  q: Queryable,
  codes: readonly string[],
): Promise<Record<string, string>> {
  if (codes.length === 0) return {};
  const r = await q.query<{ code: string; name: string }>(
    'SELECT code, name FROM region WHERE code = ANY($1::text[])',
    [codes],
  );
  return Object.fromEntries(r.rows.map((x) => [x.code, x.name]));
}
