/**
 * Settles the demo year's bills through the persistent SettlementService, month by month, so the
 * accumulators, ledger and programme spending are exactly what the hospital windows would have
 * produced. After each month, `afterMonth` runs (the CLI runs that month's monitoring there).
 * Settling is idempotent by msgid, so running it twice settles nothing twice.
 */
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { isTriguardError } from '../../kernel/errors.ts';
import type { Category } from '../../policy/index.ts';
import { loadPackCatalog } from '../persist/packs.ts';
import { SettlementService } from '../persist/service.ts';
import { generateDemoBills, type DemoBill, type DemoCover, type DemoPatient } from './bills.ts';

export const DEMO_ACTOR: Actor = { ...SYSTEM_ACTOR, id: 'system:demo-bills', name: 'demo bills' };

export interface DemoYearOptions {
  seed: number;
  year: number;
  bills: number;
  /** County (region code prefix) whose people are patients. */
  county: string;
}

export interface DemoYearCounts {
  bills: number;
  settled: number;
  cancelled: number;
  refused: number;
  /** Refusals by error code (not enrolled, deceased…). */
  refusals: Record<string, number>;
}

/** A person's certificate diseases or filings as `[{disease, from, to}]` (a correction never covers). */
const coversOf = (table: string) =>
  `(SELECT coalesce(json_agg(json_build_object('disease', c.disease, 'from', c.valid_from,
                      'to', coalesce(c.valid_to, c.ended_at::date)) ORDER BY c.disease, c.valid_from),
                    '[]')
      FROM ${table} c
     WHERE c.certno = p.certno AND c.ended_reason IS DISTINCT FROM 'correction')`;

/**
 * The patients: a seeded sample of the county's living people with the categories they hold, the
 * village they live in, and the certificates and two-diseases filings the database holds for them
 * now (the chronic demo loads them first), about ten candidates per wanted bill (BERNOULLI …
 * REPEATABLE is deterministic for a table).
 */
export async function demoPatients(db: Db, opts: DemoYearOptions): Promise<DemoPatient[]> {
  const total = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM person WHERE region_code LIKE $1 || '%'`,
    [opts.county],
  );
  const pct = Math.min(100, (100 * opts.bills * 4) / Math.max(1, total.rows[0]!.n));
  const r = await db.query<{
    certno: string;
    categories: Category[];
    region_code: string;
    certificates: DemoCover[];
    filings: DemoCover[];
  }>(
    `SELECT p.certno, p.region_code,
            ARRAY(SELECT DISTINCT f.category FROM person_flag f WHERE f.certno = p.certno
                   ORDER BY 1) AS categories,
            ${coversOf('chronic_certificate_disease')} AS certificates,
            ${coversOf('two_diseases_filing')} AS filings
       FROM person p TABLESAMPLE BERNOULLI (${pct.toFixed(4)}) REPEATABLE (${opts.seed % 2_147_483_647})
      WHERE p.region_code LIKE $1 || '%' AND p.status = 'alive'
      ORDER BY p.certno`,
    [opts.county],
  );
  return r.rows.map((row) => ({
    certno: row.certno,
    categories: row.categories,
    regionCode: row.region_code,
    certificates: row.certificates,
    filings: row.filings,
  }));
}

export async function settleDemoYear(
  db: Db,
  opts: DemoYearOptions,
  hooks: {
    afterMonth?: (month: string) => Promise<void>;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<DemoYearCounts> {
  const bills = generateDemoBills(await demoPatients(db, opts), opts);
  const service = new SettlementService(db, await loadPackCatalog());
  const counts: DemoYearCounts = {
    bills: bills.length,
    settled: 0,
    cancelled: 0,
    refused: 0,
    refusals: {},
  };
  const byMonth = new Map<string, DemoBill[]>();
  for (const b of bills) {
    const m = b.bill.date.slice(0, 7);
    byMonth.set(m, [...(byMonth.get(m) ?? []), b]);
  }
  let done = 0;
  for (let m = 1; m <= 12; m++) {
    const month = `${opts.year}-${String(m).padStart(2, '0')}`;
    for (const b of byMonth.get(month) ?? []) {
      try {
        const s = await service.settle(DEMO_ACTOR, {
          msgid: b.msgid,
          certno: b.certno,
          fixmedinsCode: b.fixmedinsCode,
          bill: b.bill,
        });
        counts.settled++;
        if (b.cancel && s.status === 'settled') {
          await service.cancel(
            DEMO_ACTOR,
            s.settlementId,
            `${b.msgid}-c`,
            '演示：收费项目有误，冲销重结',
          );
          counts.cancelled++;
        }
      } catch (e) {
        if (!isTriguardError(e)) throw e;
        counts.refused++;
        counts.refusals[e.code] = (counts.refusals[e.code] ?? 0) + 1;
      }
      hooks.onProgress?.(++done, bills.length);
    }
    await hooks.afterMonth?.(month);
  }
  return counts;
}
