/**
 * bench/registry: on PostgreSQL with the demo county (BENCH_PEOPLE, default 10,000,000), the p99
 * of the registry's ID lookup (person + flags + enrolments, in the caller's region scope) and of
 * name search (Chinese names with similar names, and pinyin initials; first page of 20), each at
 * BENCH_CLIENTS (default 8) concurrent clients, beside a bare primary-key SELECT of the person
 * measured the same way in the same run. Aims: lookup p99 ≤ 2 × bare p99; name search p99 < 100 ms.
 * BENCH_SECONDS (default 10) is the measuring time per workload, after a warm-up of a third of it.
 */
import type { Db } from '../src/db/db.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { loadDemoCounty } from '../src/registry/demo/load.ts';
import { loadRecord } from '../src/registry/repo/read.ts';
import { searchPersons } from '../src/registry/repo/search.ts';
import type { DataScope } from '../src/kernel/access/actor.ts';
import { withScratchDb } from './scratch-db.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const SCOPE: DataScope = { kind: 'region', regionCode: '370899' };
const MONTH = '2022-06';

interface Figures {
  ops: number;
  p50: number;
  p99: number;
  perSecond: number;
}

/** Runs `op` from CLIENTS concurrent clients for `seconds`; latencies in milliseconds. */
async function measure(seconds: number, op: (i: number) => Promise<unknown>): Promise<Figures> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return {
    ops: latencies.length,
    p50: at(0.5),
    p99: at(0.99),
    perSecond: latencies.length / elapsed,
  };
}

async function workload(name: string, op: (i: number) => Promise<unknown>): Promise<Figures> {
  await measure(SECONDS / 3, op);
  const f = await measure(SECONDS, op);
  console.log(
    `${name.padEnd(34)} p50 ${f.p50.toFixed(2).padStart(7)} ms   p99 ${f.p99.toFixed(2).padStart(7)} ms   ${Math.round(f.perSecond)} ops/s (${f.ops} ops)`,
  );
  return f;
}

async function sample(db: Db): Promise<{ certnos: string[]; names: string[]; initials: string[] }> {
  // A spread of real people: every n-th by primary key, without scanning the table in random order.
  const pct = Math.min(100, Math.max(1, (100 * 20_000) / PEOPLE));
  const r = await db.query<{ certno: string; name: string; name_pinyin_initials: string }>(
    `SELECT certno::text AS certno, name, name_pinyin_initials FROM person
     TABLESAMPLE SYSTEM (${pct}) LIMIT 20000`,
  );
  const rows = r.rows.filter((_, i) => i % 4 === 0);
  return {
    certnos: rows.map((x) => x.certno),
    names: rows.map((x) => x.name),
    // Staff type the initials of the whole name, or of the surname and first given character.
    initials: rows.map((x, i) =>
      i % 2 ? x.name_pinyin_initials : x.name_pinyin_initials.slice(0, 2),
    ),
  };
}

export async function run() {
  await withScratchDb('tg_bench_registry', async (loader, url) => {
    const t0 = performance.now();
    const counts = await loadDemoCounty(loader, { seed: 20220101, people: PEOPLE, year: 2022 });
    await loader.exec('VACUUM ANALYZE');
    console.log(
      `loaded ${counts.persons} people, ${counts.flags} flags, ${counts.enrolments} enrolments in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${CLIENTS} clients, ${SECONDS} s per workload`,
    );
    const db = await openPostgres(url, CLIENTS);
    try {
      const s = await sample(db);
      const pick = <T>(xs: T[], i: number) => xs[(i * 7919) % xs.length]!;

      const bare = await workload('bare SELECT by primary key', (i) =>
        db.query('SELECT * FROM person WHERE certno = $1', [pick(s.certnos, i)]),
      );
      const lookup = await workload('ID lookup (person+flags+enrolments)', (i) =>
        loadRecord(db, SCOPE, pick(s.certnos, i)),
      );
      const page = { page: 1, pageSize: 20 };
      const chinese = await workload('name search: Chinese + similar', (i) =>
        searchPersons(db, SCOPE, { name: pick(s.names, i) }, page, MONTH),
      );
      const initials = await workload('name search: pinyin initials', (i) =>
        searchPersons(db, SCOPE, { name: pick(s.initials, i) }, page, MONTH),
      );
      const mixed = await workload('name search: mixed', (i) =>
        searchPersons(
          db,
          SCOPE,
          { name: i % 2 ? pick(s.names, i) : pick(s.initials, i) },
          page,
          MONTH,
        ),
      );
      console.log(`people: ${PEOPLE}`);
      console.log(
        `ID lookup p99 / bare SELECT p99: ${(lookup.p99 / bare.p99).toFixed(2)}  (aim <= 2)`,
      );
      console.log(
        `name search p99: ${mixed.p99.toFixed(1)} ms (Chinese ${chinese.p99.toFixed(1)}, initials ${initials.p99.toFixed(1)})  (aim < 100 ms)`,
      );
    } finally {
      await db.close();
    }
  });
}
