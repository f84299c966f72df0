/**
 * bench/monitoring: the monthly warning run (src/monitoring/run.ts, the code `triguard monitor
 * run` and the schedule call) over BENCH_ROWS (default 10,000,000) person-year accumulator rows
 * on PostgreSQL, beside a bare `SELECT count(*) … WHERE` over the same table with the run's lines,
 * measured in the same run. Aim: the run within 1.5× the bare scan.
 *
 * The scratch database holds BENCH_ROWS people of the demo county (one village code per thousand)
 * with one accumulator row each for 2022, generated with generate_series: the year's burden is
 * log-normal (median 500 yuan, σ 1.6), the in-scope part 40–95 % of it, and the state column holds
 * an accumulator object of the real shape, so rows are as wide as settlement leaves them. About
 * 1.5 % of the people are low-income marginal or monitored. Some 0.4 % cross the total line and
 * about 1 % the in-scope line, so the run writes tens of thousands of warnings on its first pass;
 * a second pass of the same month writes nothing (once per person, year and threshold).
 */
import type { Db } from '../src/db/db.ts';
import { SYSTEM_ACTOR } from '../src/kernel/access/actor.ts';
import { loadPack } from '../src/policy/index.ts';
import { emptyAccumulators } from '../src/settlement/accumulators.ts';
import { runMonth } from '../src/monitoring/run.ts';
import { rulesFor } from '../src/monitoring/rules.ts';
import { withScratchDb } from './scratch-db.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const MONTH = '2022-12';

const secs = (t0: number) => (performance.now() - t0) / 1000;

export async function load(db: Db): Promise<void> {
  const t0 = performance.now();
  // Bulk load without the secondary indexes and triggers of the registry (the run reads people
  // by primary key only). Rows go in in primary-key order, so the keys' B-trees only append.
  await db.exec(`
    DROP INDEX IF EXISTS person_name_idx, person_initials_idx, person_region_idx,
      person_household_idx, person_flag_category_idx;
    ALTER TABLE person DISABLE TRIGGER USER;`);
  // A certno per row, increasing with i: the demo county's area code, a birth date and a
  // sequence (checksum digit left as 'X' — the run never checks it).
  const certno = `'370899' || to_char(date '1930-01-01' + (i / 1000), 'YYYYMMDD')
      || lpad((i % 1000)::text, 3, '0') || 'X'`;
  await db.exec(`
    INSERT INTO person (certno, name, gender, birth_date, region_code)
    SELECT ${certno}, '测试' || (i % 1000), CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END,
           date '1930-01-01' + (i / 1000),
           '370899' || lpad((1 + i % 12)::text, 3, '0') || lpad((1 + (i / 12) % 83)::text, 3, '0')
      FROM generate_series(0, ${ROWS - 1}) AS i;
    INSERT INTO person_flag (certno, category, from_month, source)
    SELECT ${certno}, CASE WHEN i % 200 < 2 THEN 'low_income_marginal' ELSE 'monitored' END,
           '2022-01', 'civil_affairs'
      FROM generate_series(0, ${ROWS - 1}) AS i WHERE i % 200 < 3;
    INSERT INTO person_flag (certno, category, from_month, source)
    SELECT ${certno}, 'subsistence', '2022-01', 'civil_affairs'
      FROM generate_series(0, ${ROWS - 1}) AS i WHERE i % 100 = 50;`);
  const state = JSON.stringify({
    ...emptyAccumulators(2022),
    deductibleUsed: { chronic_outpatient: 60000 },
    basicCapPaid: { main: 1234567, chronic: 120000 },
  });
  // setseed in the same statement batch: one connection, the same draws every time.
  await db.exec(`
    SELECT setseed(0.2022);
    INSERT INTO accumulator (certno, year, state, oop_inscope, oop_total, settlements)
    SELECT certno, 2022, '${state}'::jsonb, floor(total * (0.40 + 0.55 * random()))::bigint,
           total, 1 + (i % 7)
      FROM (SELECT i, ${certno} AS certno,
                   least(floor(50000 * exp(1.6 * sqrt(-2 * ln(1 - random()))
                                           * cos(2 * pi() * random()))), 200000000)::bigint AS total
              FROM generate_series(0, ${ROWS - 1}) AS i) g;`);
  await db.exec('ALTER TABLE person ENABLE TRIGGER USER');
  await db.exec('VACUUM ANALYZE person, person_flag, accumulator');
  console.log(`generated ${ROWS} people and accumulator rows in ${secs(t0).toFixed(1)} s`);
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [secs(t0), v];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run() {
  const packs = [await loadPack('demo-2022')];
  const [rule] = rulesFor(packs, MONTH, SYSTEM_ACTOR.scope);
  await withScratchDb('tg_bench_monitoring', async (db) => {
    await load(db);
    const bare = () =>
      db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM accumulator
          WHERE year = 2022 AND (oop_inscope > $1 OR oop_total > $2)`,
        [rule!.inscopeLine, rule!.totalLine],
      );
    await bare(); // warm the cache for both
    const bares: number[] = [];
    let over = 0;
    for (let i = 0; i < 3; i++) {
      const [t, r] = await timed(bare);
      bares.push(t);
      over = r.rows[0]!.n;
    }
    const [first, s1] = await timed(() => runMonth(db, SYSTEM_ACTOR, MONTH, packs));
    const reruns: number[] = [];
    for (let i = 0; i < 2; i++) {
      const [t, s] = await timed(() => runMonth(db, SYSTEM_ACTOR, MONTH, packs));
      if (s.created !== 0) throw new Error(`a re-run created ${s.created} warnings`);
      reruns.push(t);
    }
    const [bareAfter] = await timed(bare);
    bares.push(bareAfter);
    const b = median(bares);
    const again = median(reruns);
    console.log(`accumulator rows (2022): ${ROWS}; above the lowest line: ${over}`);
    console.log(
      `bare SELECT count(*) … WHERE (median of ${bares.length}): ${b.toFixed(3)} s  [${bares.map((x) => x.toFixed(3)).join(', ')}]`,
    );
    console.log(
      `monthly run, first pass: ${first.toFixed(3)} s, ${s1.created} warnings created — ratio ${(first / b).toFixed(2)}×`,
    );
    console.log(
      `monthly run, same month again (median of ${reruns.length}): ${again.toFixed(3)} s, 0 created — ratio ${(again / b).toFixed(2)}×  (aim ≤ 1.5×)`,
    );
  });
}
