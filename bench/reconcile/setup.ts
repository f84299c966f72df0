/**
 * The registry and the list file the reconcile benchmark reads, built once and kept: a database
 * `tg_bench_reconcile_<people>` holding the demo county (BENCH_PEOPLE people) and a marker of what
 * was prepared in it, and a CSV list of BENCH_ROWS people of the county in /tmp. Building ten
 * million people took 18 minutes here, flagging the list's people 3 more; later runs reuse both
 * (BENCH_FRESH=1 rebuilds).
 *
 * The list is a 低保 list (civil affairs): the people on it are flagged and fee-exempt in the
 * registry, as a list that mostly agrees with the registry is; BENCH_BAD of its rows carry a
 * changed ID (a valid new number) or a mistyped one (a digit wrong), half each, whose true person
 * is kept in `bench_truth` so the run can tell how many the fuzzy path found.
 */
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { once } from 'node:events';
import type { Db } from '../../src/db/db.ts';
import { makeId } from '../../src/kernel/idcard.ts';
import { loadDemoCounty } from '../../src/registry/demo/load.ts';
import { Random } from '../../src/registry/demo/random.ts';
import { openKeptDb, stepDone } from '../scratch-db.ts';

export interface BenchParams {
  people: number;
  rows: number;
  bad: number;
  fresh: boolean;
}

export const dbName = (p: BenchParams) => `tg_bench_reconcile_${p.people}`;
export const listFile = (p: BenchParams) =>
  `/tmp/tg_bench_reconcile_${p.people}_${p.rows}_${p.bad}.csv`;

export const openBenchDb = (p: BenchParams) => openKeptDb(dbName(p), p.fresh);

const done = stepDone;

/** The county, the list's people flagged and fee-exempt, statistics fresh. Idempotent. */
export async function prepareRegistry(db: Db, p: BenchParams, log: (s: string) => void) {
  if (!(await done(db, 'county'))) {
    const t0 = performance.now();
    await db.exec(
      'TRUNCATE registry_history, enrolment, person_flag, person_name, person, household, region CASCADE',
    );
    let last = 0;
    const c = await loadDemoCounty(db, { seed: 20220101, people: p.people, year: 2022 }, (n) => {
      if (n - last >= 1_000_000) {
        last = n;
        log(`  loaded ${n} people`);
      }
    });
    await db.query(`INSERT INTO bench_meta VALUES ('county', $1)`, [JSON.stringify(c)]);
    log(`county: ${c.persons} people in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const step = `list_people_${p.rows}`;
  if (!(await done(db, step))) {
    const t0 = performance.now();
    const pct = Math.min(100, (100 * p.rows * 1.05) / p.people);
    await db.exec(`DROP TABLE IF EXISTS bench_list_people`);
    await db.exec(
      `CREATE TABLE bench_list_people AS SELECT certno FROM person
       TABLESAMPLE BERNOULLI (${pct}) REPEATABLE (42) LIMIT ${p.rows}`,
    );
    await db.exec(
      `INSERT INTO person_flag (certno, category, from_month, source, recognised_on)
       SELECT b.certno, 'subsistence', '2022-01', 'civil_affairs', '2021-11-20'
       FROM bench_list_people b WHERE NOT EXISTS (SELECT 1 FROM person_flag f
         WHERE f.certno = b.certno AND f.category = 'subsistence');
       UPDATE enrolment e SET contribution_type = 'fee_exemption', contribution = 0
       FROM bench_list_people b WHERE e.certno = b.certno AND e.contribution_type = 'paid'`,
    );
    await db.exec('VACUUM ANALYZE');
    await db.query(`INSERT INTO bench_meta VALUES ($1, NULL)`, [step]);
    log(
      `list people: ${p.rows} flagged and fee-exempt in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
  }
}

/** One digit of the sequence or check part changed. */
function typo(id: string, rnd: Random): string {
  const at = 14 + rnd.int(4);
  const ch = id[at] === 'X' ? '0' : String((Number(id[at]) + 1 + rnd.int(8)) % 10);
  return id.slice(0, at) + ch + id.slice(at + 1);
}

/** Writes the list CSV (once) and the true person of every bad row (`bench_truth`). */
export async function prepareList(
  db: Db,
  p: BenchParams,
  log: (s: string) => void,
): Promise<string> {
  const file = listFile(p);
  const step = `truth_${p.rows}_${p.bad}`;
  if (existsSync(file) && statSync(file).size > 0 && (await done(db, step))) return file;
  const t0 = performance.now();
  const rnd = new Random(7);
  const out = createWriteStream(file, { encoding: 'utf8' });
  out.write('身份证号,姓名,村(居)区划代码,认定日期\n');
  const truth: [number, string][] = [];
  let rowNumber = 1;
  await db.transaction(async (tx) => {
    await tx.query(
      `DECLARE l NO SCROLL CURSOR FOR SELECT p.certno::text AS certno, p.name, p.region_code
       FROM bench_list_people b JOIN person p USING (certno) ORDER BY p.region_code, p.certno`,
    );
    for (;;) {
      const page = await tx.query<{ certno: string; name: string; region_code: string }>(
        'FETCH 20000 FROM l',
      );
      let buf = '';
      for (const r of page.rows) {
        rowNumber++;
        let id = r.certno;
        const x = rnd.next();
        if (x < p.bad / 2) {
          id = typo(id, rnd);
          truth.push([rowNumber, r.certno]);
        } else if (x < p.bad) {
          id = makeId(
            id.slice(0, 6),
            `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
            980 + rnd.int(19),
          );
          truth.push([rowNumber, r.certno]);
        }
        buf += `${id},${r.name},${r.region_code},2021-11-20\n`;
      }
      if (!out.write(buf)) await once(out, 'drain');
      if (page.rows.length < 20000) break;
    }
  });
  out.end();
  await once(out, 'finish');
  await db.exec(
    'DROP TABLE IF EXISTS bench_truth; CREATE TABLE bench_truth (row_number int PRIMARY KEY, certno char(18))',
  );
  await db.copyRows('bench_truth', ['row_number', 'certno'], truth);
  await db.query('INSERT INTO bench_meta VALUES ($1, NULL) ON CONFLICT DO NOTHING', [step]);
  log(
    `list file: ${rowNumber - 1} rows (${truth.length} with a changed or mistyped ID) in ${((performance.now() - t0) / 1000).toFixed(0)} s → ${file}`,
  );
  return file;
}
