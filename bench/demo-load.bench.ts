/**
 * bench/demo-load: people loaded per second into PostgreSQL by `triguard demo` for 1,000,000
 * people, beside a plain COPY of the very same rows (pre-generated, so the baseline is the
 * database's own load speed) measured in the same run. The ratio is the figure (aim ≥ 0.5).
 * BENCH_PEOPLE overrides the size.
 */
import { generateCounty, regions } from '../src/registry/demo/generate.ts';
import { loadDemoCounty } from '../src/registry/demo/load.ts';
import type { Db } from '../src/db/db.ts';
import { withScratchDb } from './scratch-db.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const OPTS = { seed: 20220101, people: PEOPLE, year: 2022 };

const P = [
  'certno',
  'name',
  'gender',
  'birth_date',
  'household_id',
  'region_code',
  'phone',
] as const;
const H = ['household_id', 'region_code', 'head_certno', 'address'] as const;
const F = ['certno', 'category', 'from_month', 'to_month', 'source', 'evidence_no'] as const;
const R = ['code', 'name', 'level', 'parent_code'] as const;

async function plainCopy(db: Db): Promise<number> {
  // Materialise every row first: only the COPY itself is timed.
  const persons: unknown[][] = [];
  const households: unknown[][] = [];
  const flags: unknown[][] = [];
  for (const b of generateCounty(OPTS)) {
    for (const p of b.persons) persons.push(P.map((c) => p[c]));
    for (const h of b.households) households.push(H.map((c) => h[c]));
    for (const f of b.flags) flags.push(F.map((c) => f[c]));
  }
  const regionRows = regions(PEOPLE).map((r) => R.map((c) => r[c]));
  const t0 = performance.now();
  await db.copyRows('region', R, regionRows);
  await db.copyRows('person', P, persons);
  await db.copyRows('household', H, households);
  await db.copyRows('person_flag', F, flags);
  return (performance.now() - t0) / 1000;
}

export async function run() {
  const copySecs = await withScratchDb('tg_bench_copy', plainCopy);
  const loadSecs = await withScratchDb('tg_bench_demo', async (db) => {
    const t0 = performance.now();
    await loadDemoCounty(db, OPTS);
    return (performance.now() - t0) / 1000;
  });
  const copyRate = PEOPLE / copySecs;
  const loadRate = PEOPLE / loadSecs;
  console.log(`people: ${PEOPLE}`);
  console.log(
    `plain COPY of the same rows: ${copySecs.toFixed(2)} s, ${Math.round(copyRate)} people/s`,
  );
  console.log(
    `triguard demo load:          ${loadSecs.toFixed(2)} s, ${Math.round(loadRate)} people/s`,
  );
  console.log(`ratio (demo / COPY): ${(loadRate / copyRate).toFixed(2)}  (aim >= 0.5)`);
}
