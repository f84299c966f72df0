/**
 * bench/replay: a year of BENCH_BILLS (default 3,000,000) settled bills of BENCH_PEOPLE (default
 * 1,000,000) people replayed under a draft on PostgreSQL (src/replay, what `triguard replay run`
 * and the replay page run), beside the bare read of the same bills in person and settlement order
 * measured in the same run: the same columns, the same keyset batches, rows turned into objects
 * and nothing else. Aim: replay ≤ 2 × the bare read, with peak memory bounded (people are
 * streamed a batch at a time, the year never loaded).
 *
 * Rows are generated with generate_series: 30 % inpatient stays at levels 1–3, 60 % general
 * outpatient visits, 10 % chronic visits for diabetes with complications (demo-2022's M002), two
 * or three lines each (class A, B, C), one person in ten holding 低保 and one in fifty 特困, dates
 * rising with the settlement id through 2022, one settlement in two hundred cancelled.
 */
import type { Db } from '../src/db/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../src/kernel/access/actor.ts';
import { loadPackCatalog } from '../src/settlement/index.ts';
import { ReplayService } from '../src/replay/index.ts';
import { countPeople, peopleBills } from '../src/replay/repo/bills.ts';
import { withScratchDb } from './scratch-db.ts';

const BILLS = Number(process.env.BENCH_BILLS ?? 3_000_000);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? Math.max(1, Math.round(BILLS / 3)));
const YEAR = 2022;
const STAFF: Actor = {
  ...SYSTEM_ACTOR,
  id: 'bench',
  scope: { kind: 'region', regionCode: '370899' },
};

const secs = (t0: number) => (performance.now() - t0) / 1000;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function load(db: Db): Promise<void> {
  const t0 = performance.now();
  await db.exec(`DROP INDEX IF EXISTS settlement_id_idx, settlement_institution_date_idx,
    settlement_inpatient_idx`);
  const step = 500_000;
  for (let from = 0; from < BILLS; from += step) {
    const to = Math.min(BILLS, from + step) - 1;
    await db.exec(`
      INSERT INTO settlement (settlement_id, certno, year, msgid, kind, cancelled_by, fixmedins_code,
        region_code, bill_date, visit_type, hospital_level, diagnosis, remote, pack, categories,
        medfee_sumamt, fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt,
        act_pay_dedc, hifp_pay, hifmi_pay, maf_pay, reassist_pay, backstop_pay, fund_pay_sumamt,
        psn_part_amt, psn_cash_pay, lines, explain, delta, actor_id)
      SELECT i + 1, certno, ${YEAR}, 'r' || i, 'settle', CASE WHEN i % 200 = 199 THEN ${BILLS} + i END,
             'H37089900001', '370899' || lpad((1 + p % 12)::text, 3, '0') || '001',
             date '${YEAR}-01-01' + (i::bigint * 364 / ${BILLS})::int, vt, lvl,
             CASE vt WHEN 'chronic_outpatient' THEN 'E11.9' WHEN 'inpatient' THEN 'K35.8' ELSE 'J06.9' END,
             NULL, 'demo-2022',
             CASE WHEN p % 50 = 7 THEN '{extreme_poverty}'::text[]
                  WHEN p % 10 = 3 THEN '{subsistence}'::text[] ELSE '{}'::text[] END,
             a + b + c, c, 0, 0, a + b, 0, (a + b) / 2, 0, 0, 0, 0, (a + b) / 2,
             a + b + c - (a + b) / 2, a + b + c - (a + b) / 2,
             json_build_array(json_build_object('amount', a, 'class', 'A'),
                              json_build_object('amount', b, 'class', 'B', 'selfPayRatio', 1000),
                              json_build_object('amount', c, 'class', 'C')),
             '[]', '{}', 'bench'
        FROM (SELECT i, p, '370899' || lpad(p::text, 11, '0') || 'X' AS certno,
                     CASE WHEN i % 10 < 3 THEN 'inpatient' WHEN i % 10 = 9 THEN 'chronic_outpatient'
                          ELSE 'general_outpatient' END AS vt,
                     CASE WHEN i % 10 < 3 THEN 1 + i % 3 WHEN i % 10 = 9 THEN 1 + i % 2 ELSE 1 END AS lvl,
                     CASE WHEN i % 10 < 3 THEN 300000 + (i % 97) * 40000 ELSE 8000 + (i % 89) * 300 END AS a,
                     CASE WHEN i % 10 < 3 THEN 100000 + (i % 53) * 9000 ELSE 2000 + (i % 31) * 100 END AS b,
                     CASE WHEN i % 7 = 0 THEN 5000 ELSE 0 END AS c
                FROM (SELECT i, (i::bigint * 7919 % ${PEOPLE})::int AS p
                        FROM generate_series(${from}, ${to}) AS i) g) x;`);
    process.stderr.write(`\rgenerated ${to + 1}/${BILLS}`);
  }
  await db.exec(`CREATE INDEX settlement_id_idx ON settlement (settlement_id);
    SELECT setval('audit_seq', (SELECT max(settlement_id) FROM settlement));`);
  await db.exec('VACUUM ANALYZE settlement');
  console.log(`\ngenerated ${BILLS} settlements of ${PEOPLE} people in ${secs(t0).toFixed(1)} s`);
}

/** The bare read: the replay's own batches, rows made into objects, nothing computed. */
async function bareRead(db: Db, cutoff: number): Promise<{ t: number; bills: number }> {
  const t0 = performance.now();
  let bills = 0;
  for await (const people of peopleBills(db, { region: '370899', year: YEAR, cutoff })) {
    for (const p of people) bills += p.length;
  }
  return { t: secs(t0), bills };
}

export async function run() {
  const packs = await loadPackCatalog();
  await withScratchDb('tg_bench_replay', async (db) => {
    await load(db);
    const cutoff = BILLS * 2;
    const service = new ReplayService(db, packs);
    await bareRead(db, cutoff); // warm the cache for both
    const rounds: { bare: number; replay: number; rss: number }[] = [];
    for (let r = 0; r < 2; r++) {
      const bare = await bareRead(db, cutoff);
      if (global.gc) global.gc();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const t0 = performance.now();
      const run = await service.start(STAFF, { pack: 'demo-2022', year: YEAR }, { wait: true });
      const t = secs(t0);
      clearInterval(sample);
      const got = await service.get(STAFF, run.id);
      rounds.push({ bare: bare.t, replay: t, rss: peak - before });
      console.log(
        `round ${r + 1}: bare read ${bare.bills} bills ${bare.t.toFixed(2)} s; replay ${got.result?.counts.bills} bills of ${got.result?.counts.people} people ${t.toFixed(2)} s (${Math.round((got.result?.counts.bills ?? 0) / t)} bills/s) — ratio ${(t / bare.t).toFixed(2)}×; peak RSS +${mb(peak - before)} (process ${mb(peak)})`,
      );
      await service.remove(STAFF, run.id);
    }
    const [tSize] = await (async () => {
      const t0 = performance.now();
      await countPeople(db, { region: '370899', year: YEAR, cutoff });
      return [secs(t0)];
    })();
    console.log(
      `counting the people (the progress total, counted while the replay runs): ${tSize.toFixed(2)} s`,
    );
    const ratios = rounds.map((r) => r.replay / r.bare).sort((a, b) => a - b);
    console.log(
      `replay ÷ bare read: ${ratios.map((x) => x.toFixed(2)).join(', ')} (aim ≤ 2×); peak RSS growth ≤ ${mb(Math.max(...rounds.map((r) => r.rss)))}`,
    );
  });
}
