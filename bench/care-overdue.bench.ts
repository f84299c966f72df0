/**
 * bench/care-overdue: the month's due/overdue computation (docs/care.md §3) for BENCH_PEOPLE
 * contracted people (default 1,000,000) with a year of follow-up records, on PostgreSQL, beside a
 * bare scan of the same rows measured in the same run.
 *
 * The database (kept as `tg_bench_care_<people>`, BENCH_FRESH=1 rebuilds) holds the people (twelve
 * townships of thirty villages), one contract each (two teams per township health centre, a few
 * hundred doctors), and twelve months of records with 8 % of person-months missing (12 % in the
 * first four months) — about 11 million records.
 *
 * Measured: the summary SELECT the service runs for the county (`monthSummarySql`: the month's
 * due rows — one per contract in force on the month's last day whose person is in the caller's
 * scope, kept by the database as contracts, records and people are written — with the month's
 * record bit, counted per doctor-team group, the group's names joined afterwards). Baseline: a
 * bare `count(*)` of the same rows (`dueRowsSql`: the same table, the same WHERE), no bit, no
 * grouping. For reference each round also times the first baseline, the three streams the join
 * read (contracts in force, their people, the month's records) each counted on its own. All under
 * the service's settings (MONTH_SETTINGS). Rounds alternate; the ratio is the median of the
 * rounds'. Aim: ≤ 1.5.
 */
import type { Db } from '../src/db/db.ts';
import {
  dueRowsSql,
  MONTH_SETTINGS,
  monthSummarySql,
  openDueYear,
} from '../src/care/repo/month.ts';
import { median } from './median.ts';
import { openKeptDb, stepDone } from './scratch-db.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const FRESH = process.env.BENCH_FRESH === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MONTH = '2022-07';
const LAST = '2022-07-31';

const CERTNO = (i: string) =>
  `('370899' || to_char(date '1930-01-01' + (${i} / 1000), 'YYYYMMDD') || lpad((${i} % 1000)::text, 3, '0') || 'X')`;
const VILLAGE = (i: string) =>
  `('370899' || lpad((1 + ${i} % 12)::text, 3, '0') || lpad((1 + (${i} / 12) % 30)::text, 3, '0'))`;
const HASH = (expr: string) => `(('x' || substr(md5(${expr}), 1, 7))::bit(28)::int % 1000)`;

async function build(db: Db, log: (s: string) => void): Promise<void> {
  if (await stepDone(db, 'built')) return;
  const t0 = performance.now();
  await db.exec(
    'TRUNCATE person, care_contract, care_followup, care_due, care_group, care_due_year RESTART IDENTITY',
  );
  await db.query(
    `INSERT INTO person (certno, name, gender, birth_date, region_code)
     SELECT ${CERTNO('i')}, '测试' || i, CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END,
            date '1930-01-01' + (i / 1000), ${VILLAGE('i')}
       FROM generate_series(0, $1 - 1) i`,
    [PEOPLE],
  );
  log(`people ${PEOPLE} in ${((performance.now() - t0) / 1000).toFixed(0)}s`);
  await db.query(
    `INSERT INTO care_contract (certno, township_code, doctor, team, fixmedins_code, valid_from, created_by)
     SELECT ${CERTNO('i')}, left(${VILLAGE('i')}, 9), '医生' || (i % 12) || '-' || ((i / 12) % 30),
            '团队' || (i % 12) || '-' || ((i / 12) % 2), 'H3708991' || lpad((1 + i % 12)::text, 4, '0'),
            date '2021-01-01' + (i % 500), 'bench'
       FROM generate_series(0, $1 - 1) i`,
    [PEOPLE],
  );
  log(`contracts in ${((performance.now() - t0) / 1000).toFixed(0)}s`);
  for (let m = 1; m <= 12; m++) {
    const month = `2022-${String(m).padStart(2, '0')}`;
    await db.query(
      `INSERT INTO care_followup (certno, contract_id, month, visited_on, visitor, health_status,
          outpatient_need, certificate_held, recorded_by, recorded_at)
       SELECT c.certno, c.contract_id, $1, ($1 || '-01')::date + h.k % 27, c.doctor, 'stable',
              h.k % 5 = 0, h.k % 7 = 0, 'bench', ($1 || '-01')::date + h.k % 27 + 1
         FROM care_contract c CROSS JOIN LATERAL (SELECT ${HASH('c.certno || $1')} AS k) h
        WHERE h.k >= $2`,
      [month, m <= 4 ? 120 : 80],
    );
    log(`records ${month} in ${((performance.now() - t0) / 1000).toFixed(0)}s`);
  }
  await db.exec('VACUUM ANALYZE person');
  await db.exec('VACUUM ANALYZE care_contract');
  await db.exec('VACUUM ANALYZE care_followup');
  await db.query(`INSERT INTO bench_meta (step, detail) VALUES ('built', $1)`, [String(PEOPLE)]);
  log(`built in ${((performance.now() - t0) / 1000).toFixed(0)}s`);
}

/** The year's due rows, written once from the tables as the service does on first use. */
async function openYear(db: Db, log: (s: string) => void): Promise<void> {
  if (await stepDone(db, 'due')) return;
  const t0 = performance.now();
  await db.transaction((tx) => openDueYear(tx, MONTH));
  log(
    `due rows of ${MONTH.slice(0, 4)} written in ${((performance.now() - t0) / 1000).toFixed(0)}s`,
  );
  await db.exec('VACUUM ANALYZE care_due');
  await db.exec('VACUUM ANALYZE care_group');
  await db.query(`INSERT INTO bench_meta (step, detail) VALUES ('due', '')`);
  log('due rows analysed');
}

async function timed<T>(db: Db, fn: (q: Db) => Promise<T>): Promise<[number, T]> {
  return db.transaction(async (tx) => {
    await tx.exec(MONTH_SETTINGS);
    const t0 = performance.now();
    const v = await fn(tx as unknown as Db);
    return [performance.now() - t0, v];
  });
}

export async function run() {
  const log = (s: string) => console.log(s);
  const { db } = await openKeptDb(`tg_bench_care_${PEOPLE}`, FRESH);
  try {
    await build(db, log);
    await openYear(db, log);
    const scope = { kind: 'region' as const, regionCode: '370899' };
    const { sql, params } = monthSummarySql(scope, { month: MONTH, last: LAST });
    const dueParams: unknown[] = [];
    const due = dueRowsSql(scope, { month: MONTH, last: LAST }, dueParams);
    const bare = async (q: Db) =>
      (
        await q.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${due.from} WHERE ${due.where}`,
          dueParams,
        )
      ).rows[0]!.n;
    const streams = async (q: Db) => {
      const n = async (text: string, p: unknown[]) =>
        (await q.query<{ n: number }>(text, p)).rows[0]!.n;
      const contracts = await n(
        `SELECT count(*)::int AS n FROM care_contract c
          WHERE c.valid_from <= $1::date AND (c.valid_to IS NULL OR c.valid_to >= $1::date)`,
        [LAST],
      );
      const people = await n(
        `SELECT count(*)::int AS n FROM person p WHERE p.region_code LIKE $1 || '%'`,
        ['370899'],
      );
      const records = await n(
        `SELECT count(*)::int AS n FROM (SELECT certno FROM care_followup WHERE month = $1) f`,
        [MONTH],
      );
      return { contracts, people, records };
    };
    const summary = async (q: Db) =>
      (await q.query<{ contracted: number; recorded: number }>(sql, params)).rows;
    // Warm each once (the cache holds the same pages for all afterwards).
    await timed(db, bare);
    await timed(db, summary);
    await timed(db, streams);
    const ratios: number[] = [];
    const times: [number, number, number][] = [];
    let rows = { due: 0, contracts: 0, people: 0, records: 0 };
    let counted = { groups: 0, contracted: 0, recorded: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const [tb, b] = await timed(db, bare);
      const [ts, s] = await timed(db, summary);
      const [t3, three] = await timed(db, streams);
      rows = { due: b, ...three };
      counted = {
        groups: s.length,
        contracted: s.reduce((n, g) => n + g.contracted, 0),
        recorded: s.reduce((n, g) => n + g.recorded, 0),
      };
      ratios.push(ts / tb);
      times.push([tb, ts, t3]);
      log(
        `round ${r + 1}: bare scan ${(tb / 1000).toFixed(3)} s, summary ${(ts / 1000).toFixed(3)} s, ratio ${(ts / tb).toFixed(2)}` +
          ` (three streams ${(t3 / 1000).toFixed(3)} s)`,
      );
    }
    log(
      `rows: ${rows.due} due rows; ${rows.contracts} contracts in force, ${rows.people} people, ${rows.records} records of ${MONTH}; ` +
        `summary: ${counted.groups} groups, ${counted.contracted} contracted, ${counted.recorded} recorded, ` +
        `${counted.contracted - counted.recorded} overdue`,
    );
    log(
      `care-overdue: summary ${(median(times.map((t) => t[1])) / 1000).toFixed(3)} s, bare scan ` +
        `${(median(times.map((t) => t[0])) / 1000).toFixed(3)} s, ratio ${median(ratios).toFixed(2)} (aim ≤ 1.5); ` +
        `the three streams counted bare ${(median(times.map((t) => t[2])) / 1000).toFixed(3)} s`,
    );
  } finally {
    await db.close();
  }
}
