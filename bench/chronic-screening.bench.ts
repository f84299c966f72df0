/**
 * bench/chronic-screening: the screening (摸底排查, src/chronic) over a registry of BENCH_PEOPLE
 * people (default 10,000,000) with a year of settlements (bench/chronic-screening/setup.ts), on
 * PostgreSQL, beside a bare anti-join of the same inpatient rows against the certificates
 * measured in the same run:
 *
 *   SELECT count(*) FROM (SELECT DISTINCT s.certno FROM settlement s
 *    WHERE <the year's inpatient stays> AND NOT EXISTS (<a certificate valid at the year's end>))
 *
 * The screening query is the run's SELECT (catalogue match per disease, certificates, applications
 * under way, the severe-mental flag, the person's scope, region, status and categories, grouped per
 * person), counted the same way. Rounds alternate the two; the ratio is the median of the rounds'.
 * Aim: ≤ 1.5. Then whole runs through the service (the SELECT written to the run's list, audited):
 * the county, the key categories only (as seed 004 screened the poor), and one township.
 */
import type { Db } from '../src/db/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../src/kernel/access/actor.ts';
import { loadPackCatalog } from '../src/settlement/persist/packs.ts';
import { ScreeningService } from '../src/chronic/screening-service.ts';
import { catalogueKeys, type ScreeningCriteria } from '../src/chronic/core/screening.ts';
import {
  SCREENING_SETTINGS,
  coveredSql,
  inpatientRowsSql,
  screeningSelect,
} from '../src/chronic/repo/screening.ts';
import { median } from './median.ts';
import { openBenchDb, prepare, type BenchParams } from './chronic-screening/setup.ts';

const params: BenchParams = {
  people: Number(process.env.BENCH_PEOPLE ?? 10_000_000),
  fresh: process.env.BENCH_FRESH === '1',
};
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const FROM = '2022-01-01';
const TO = '2022-12-31';

const secs = (ms: number) => (ms / 1000).toFixed(3);

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

/** Counts a query's rows under the settings the run's transaction uses, for both queries. */
const count = (db: Db, sql: string, params: unknown[]) =>
  db.transaction(async (tx) => {
    await tx.exec(SCREENING_SETTINGS);
    return (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) x`, params))
      .rows[0]!.n;
  });

export async function run() {
  const log = (s: string) => console.log(s);
  const { db } = await openBenchDb(params);
  try {
    await prepare(db, params, log);
    await db.exec('TRUNCATE chronic_screening_person, chronic_screening RESTART IDENTITY');
    const packs = await loadPackCatalog();
    const pack = packs.choose('370899', TO);
    const catalogue = catalogueKeys(pack, TO);
    const criteria: ScreeningCriteria = {
      periodFrom: FROM,
      periodTo: TO,
      categories: [],
      regionCode: '370899',
      county: '370899',
      pack: pack.name,
      severeMental: catalogue.severeMental,
    };
    const actor: Actor = { ...SYSTEM_ACTOR, scope: { kind: 'region', regionCode: '370899' } };
    const screening = screeningSelect(0, criteria, catalogue, actor.scope);
    const bare = `SELECT DISTINCT s.certno FROM settlement s
       WHERE ${inpatientRowsSql('$1', '$2')} AND NOT ${coveredSql('s.certno', null, '$2')}`;

    const stats = await db.query<{ stays: number }>(
      `SELECT count(*)::int AS stays FROM settlement s WHERE ${inpatientRowsSql('$1', '$2')}`,
      [FROM, TO],
    );
    console.log(
      `people ${params.people}; inpatient stays in ${FROM}..${TO}: ${stats.rows[0]!.stays}`,
    );
    // Warm both (the first read of the index and the tables pays for the disk).
    await count(db, bare, [FROM, TO]);
    await count(db, screening.sql, screening.params);

    const ratios: number[] = [];
    const bares: number[] = [];
    const queries: number[] = [];
    let bareN = 0;
    let listedN = 0;
    for (let r = 1; r <= ROUNDS; r++) {
      const [b, nb] = await timed(() => count(db, bare, [FROM, TO]));
      const [q, nq] = await timed(() => count(db, screening.sql, screening.params));
      bares.push(b);
      queries.push(q);
      ratios.push(q / b);
      bareN = nb;
      listedN = nq;
      console.log(
        `round ${r}: bare anti-join ${secs(b)} s (${nb} people), screening query ${secs(q)} s (${nq} people), ratio ${(q / b).toFixed(2)}`,
      );
    }
    console.log(
      `bare anti-join (median) ${secs(median(bares))} s, ${bareN} people without a certificate`,
    );
    console.log(`screening query (median) ${secs(median(queries))} s, ${listedN} people to visit`);
    console.log(
      `screening query / bare anti-join, median of the rounds: ${median(ratios).toFixed(2)}  (aim ≤ 1.5)`,
    );

    // Whole runs through the service: the SELECT written to the list, with its audit entry.
    const service = new ScreeningService(db, packs);
    const b = median(bares);
    for (const [label, req] of [
      ['county', { periodFrom: FROM, periodTo: TO }],
      [
        'key categories',
        {
          periodFrom: FROM,
          periodTo: TO,
          categories: ['subsistence', 'low_income_marginal', 'monitored'] as const,
        },
      ],
      ['one township', { periodFrom: FROM, periodTo: TO, regionCode: '370899001' }],
    ] as const) {
      const [t, view] = await timed(() =>
        service.run(actor, {
          ...req,
          categories: 'categories' in req ? [...req.categories] : undefined,
        }),
      );
      console.log(
        `run (${label}): ${secs(t)} s, ${view.listed} listed — ${(t / b).toFixed(2)} × the bare anti-join`,
      );
    }
  } finally {
    await db.close();
  }
}
