/**
 * The database bench/chronic-screening reads, built once and kept: `tg_bench_chronic_screening_<n>`
 * holding BENCH_PEOPLE people (default 10,000,000) and a year of their settlements, generated with
 * generate_series as bench/monitoring does (building the demo county person by person would take
 * most of an hour at this size). BENCH_FRESH=1 rebuilds.
 *
 * The year (2022), per ten million people:
 * - 15 % of people have one to three inpatient stays (about 1.9 million stays; a county's residents
 *   are admitted about as often), a third of them with a diagnosis of the demo catalogue
 *   (stroke, coronary disease, diabetes, COPD, cancer, uraemia, …), the rest not (appendicitis,
 *   pneumonia, fractures, childbirth, …);
 * - 30 % have one to four outpatient bills (general, two-diseases and chronic visits; about 7.5
 *   million rows), so the inpatient stays are a small part of a large settlement table;
 * - a certificate for 55 % of the people admitted with a catalogue diagnosis (for that disease),
 *   and for 2 % of everyone else (a random disease), 3 % of them ended before 2022;
 * - 0.2 % of people have an application under review, 0.5 % have died, and about 6 % hold an
 *   identity category (subsistence, low-income marginal, monitored, severe mental).
 */
import type { Db, Queryable } from '../../src/db/db.ts';
import { openKeptDb, stepDone } from '../scratch-db.ts';

export interface BenchParams {
  people: number;
  fresh: boolean;
}

export const dbName = (p: BenchParams) => `tg_bench_chronic_screening_${p.people}`;

export const openBenchDb = (p: BenchParams) => openKeptDb(dbName(p), p.fresh);

const done = stepDone;

/** A certno per i, increasing with i (the checksum digit left as 'X': nothing here checks it). */
const CERTNO = (i: string) =>
  `('370899' || to_char(date '1930-01-01' + (${i} / 1000), 'YYYYMMDD') || lpad((${i} % 1000)::text, 3, '0') || 'X')`;
/** Twelve townships of 83 villages. */
const VILLAGE = (i: string) =>
  `('370899' || lpad((1 + ${i} % 12)::text, 3, '0') || lpad((1 + (${i} / 12) % 83)::text, 3, '0'))`;

/** Inpatient diagnoses with their weight in 1,000 stays: a third in the catalogue. */
const INPATIENT: [string, number][] = [
  ['I63.9', 80],
  ['I69.3', 20],
  ['I25.1', 50],
  ['I20.0', 15],
  ['E11.9', 40],
  ['J44.1', 50],
  ['C34.9', 25],
  ['C16.9', 15],
  ['C22.0', 10],
  ['N18.5', 12],
  ['I11.9', 30],
  ['M06.9', 8],
  ['F20.0', 5],
  ['Z94.0', 2],
  ['K35.8', 70],
  ['J18.9', 120],
  ['S72.0', 50],
  ['O80.0', 60],
  ['I21.9', 40],
  ['K80.2', 60],
  ['N39.0', 50],
  ['J20.9', 70],
  ['A09.0', 40],
  ['R50.9', 28],
  ['K29.7', 50],
];
/** The demo catalogue's disease of each catalogue diagnosis above. */
const DISEASE: Record<string, string> = {
  'I63.9': 'M004',
  'I69.3': 'M004',
  'I25.1': 'M003',
  'I20.0': 'M003',
  'E11.9': 'M002',
  'J44.1': 'M005',
  'C34.9': 'S001',
  'C16.9': 'S001',
  'C22.0': 'S001',
  'N18.5': 'S002',
  'I11.9': 'M001',
  'M06.9': 'M006',
  'F20.0': 'S004',
  'Z94.0': 'S003',
};
const DISEASES = ['M001', 'M002', 'M003', 'M004', 'M005', 'M006', 'S001', 'S002', 'S003'];

const weighted = (xs: [string, number][]) => xs.flatMap(([x, w]) => Array<string>(w).fill(x));
const sqlArray = (xs: readonly string[]) => `ARRAY[${xs.map((x) => `'${x}'`).join(',')}]`;

/** Indexes that back no constraint (those are kept: rows arrive in their order). */
async function secondaryIndexes(
  q: Queryable,
  tables: string[],
): Promise<{ indexname: string; indexdef: string }[]> {
  const r = await q.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename = ANY($1)
        AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
    [tables],
  );
  return r.rows;
}

/** A step done once, in one transaction (a failed build leaves nothing half done). */
async function step(
  db: Db,
  name: string,
  log: (s: string) => void,
  fn: (q: Queryable) => Promise<string>,
): Promise<void> {
  if (await done(db, name)) return;
  const t0 = performance.now();
  const detail = await db.transaction(async (tx) => {
    const d = await fn(tx);
    await tx.query('INSERT INTO bench_meta VALUES ($1, $2)', [name, d]);
    return d;
  });
  log(`${name}: ${detail} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

/** People, flags, a year of settlements, certificates and applications. Idempotent. */
export async function prepare(db: Db, p: BenchParams, log: (s: string) => void): Promise<void> {
  const n = p.people;
  await step(db, 'people', log, async (q) => {
    await q.exec(`TRUNCATE person, person_flag, region CASCADE`);
    await q.exec(`
      INSERT INTO region (code, name, level, parent_code) VALUES
        ('370000', '山东省', 'province', NULL), ('370800', '济宁市', 'city', '370000'),
        ('370899', '示范县', 'county', '370800');
      INSERT INTO region (code, name, level, parent_code)
      SELECT '370899' || lpad(t::text, 3, '0'), '乡镇' || t, 'township', '370899'
        FROM generate_series(1, 12) t;
      INSERT INTO region (code, name, level, parent_code)
      SELECT '370899' || lpad(t::text, 3, '0') || lpad(v::text, 3, '0'), '村' || t || '-' || v,
             'village', '370899' || lpad(t::text, 3, '0')
        FROM generate_series(1, 12) t, generate_series(1, 83) v;`);
    // Bulk load without the registry's secondary indexes and triggers, rebuilt after.
    const idx = await secondaryIndexes(q, ['person', 'person_flag']);
    for (const i of idx) await q.exec(`DROP INDEX ${i.indexname}`);
    await q.exec('ALTER TABLE person DISABLE TRIGGER USER');
    await q.exec(`
      INSERT INTO person (certno, name, gender, birth_date, region_code, status, death_date)
      SELECT ${CERTNO('i')}, '测试' || (i % 1000), CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END,
             date '1930-01-01' + (i / 1000), ${VILLAGE('i')},
             CASE WHEN i % 200 = 7 THEN 'deceased' ELSE 'alive' END,
             CASE WHEN i % 200 = 7 THEN date '2022-11-30' END
        FROM generate_series(0, ${n - 1}) AS i;
      INSERT INTO person_flag (certno, category, from_month, source)
      SELECT ${CERTNO('i')},
             (ARRAY['subsistence', 'subsistence', 'subsistence', 'low_income_marginal', 'monitored',
                    'severe_mental'])[1 + (i / 7) % 100],
             '2022-01', 'civil_affairs'
        FROM generate_series(0, ${n - 1}) AS i WHERE (i / 7) % 100 < 6;`);
    await q.exec('ALTER TABLE person ENABLE TRIGGER USER');
    for (const i of idx) await q.exec(i.indexdef);
    return `${n} people`;
  });

  await step(db, 'settlements', log, async (q) => {
    await q.exec(`TRUNCATE settlement`);
    // Rows go in by certno, so the keys' B-trees only append; the indexes on dates (random
    // here) go while the rows load and come back as they were.
    const idx = await secondaryIndexes(q, ['settlement']);
    for (const i of idx) await q.exec(`DROP INDEX ${i.indexname}`);
    const columns = `certno, year, msgid, kind, region_code, bill_date, visit_type, hospital_level,
      diagnosis, pack, categories, medfee_sumamt, fulamt_ownpay_amt, overlmt_selfpay,
      preselfpay_amt, inscp_scp_amt, act_pay_dedc, hifp_pay, hifmi_pay, maf_pay, reassist_pay,
      backstop_pay, fund_pay_sumamt, psn_part_amt, psn_cash_pay, lines, explain, delta, actor_id`;
    const amounts = (fee: string) =>
      `${fee}, 0, 0, 0, ${fee}, 0, (${fee}) * 6 / 10, 0, 0, 0, 0, (${fee}) * 6 / 10, ${fee} - (${fee}) * 6 / 10, ${fee} - (${fee}) * 6 / 10`;
    const dx = sqlArray(weighted(INPATIENT));
    await q.exec(`
      SELECT setseed(0.2022);
      INSERT INTO settlement (${columns})
      SELECT ${CERTNO('i')}, 2022, 'in-' || i || '-' || k, 'settle', ${VILLAGE('i')},
             date '2022-01-01' + floor(random() * 365)::int, 'inpatient',
             1 + floor(random() * 3)::int, (${dx})[1 + floor(random() * 1000)::int], 'demo-2022', '{}',
             ${amounts('fee')}, '[{"amount":100,"class":"A"}]', '{}', '{}', 'bench'
        FROM (SELECT i, k, (300000 + floor(random() * 3000000))::bigint AS fee
                FROM generate_series(0, ${n - 1}) AS i,
                     generate_series(1, CASE WHEN (i / 3) % 100 < 75 THEN 1
                                             WHEN (i / 3) % 100 < 93 THEN 2 ELSE 3 END) AS k
               WHERE (i::bigint * 7919) % 100 < 15) g;`);
    await q.exec(`
      SELECT setseed(0.2023);
      INSERT INTO settlement (${columns})
      SELECT ${CERTNO('i')}, 2022, 'out-' || i || '-' || k, 'settle', ${VILLAGE('i')},
             date '2022-01-01' + floor(random() * 365)::int,
             (ARRAY['general_outpatient', 'two_diseases', 'chronic_outpatient'])[1 + (i + k) % 3],
             1, (ARRAY['J06.9', 'I10', 'I25.1'])[1 + (i + k) % 3], 'demo-2022', '{}',
             ${amounts('fee')}, '[{"amount":100,"class":"A"}]', '{}', '{}', 'bench'
        FROM (SELECT i, k, (3000 + floor(random() * 50000))::bigint AS fee
                FROM generate_series(0, ${n - 1}) AS i, generate_series(1, 1 + i % 4) AS k
               WHERE (i::bigint * 104729) % 100 < 30) g;`);
    for (const i of idx) await q.exec(i.indexdef);
    const c = await q.query<{ inpatient: number; total: number }>(
      `SELECT count(*) FILTER (WHERE visit_type = 'inpatient')::int AS inpatient, count(*)::int AS total
         FROM settlement`,
    );
    return `${c.rows[0]!.total} settlements, ${c.rows[0]!.inpatient} inpatient`;
  });

  await step(db, 'certificates', log, async (q) => {
    await q.exec(`TRUNCATE chronic_certificate, chronic_certificate_disease,
      chronic_application, chronic_application_disease`);
    const cases = Object.entries(DISEASE)
      .map(([d, code]) => `WHEN '${d}' THEN '${code}'`)
      .join(' ');
    // Certified for the disease of a catalogue stay (55 %), or for a random disease (2 %).
    await q.exec(`
      SELECT setseed(0.2024);
      CREATE TEMP TABLE cert AS
      SELECT DISTINCT ON (certno, disease) certno, disease FROM (
        SELECT s.certno, CASE s.diagnosis ${cases} END AS disease
          FROM settlement s WHERE s.visit_type = 'inpatient'
      ) x WHERE disease IS NOT NULL AND disease <> 'S004'
        AND ('x' || substr(md5(certno || disease), 1, 7))::bit(28)::int % 100 < 55
      UNION
      SELECT ${CERTNO('i')}, (${sqlArray(DISEASES)})[1 + (i / 13) % ${DISEASES.length}]
        FROM generate_series(0, ${n - 1}) AS i WHERE (i * 31) % 100 < 2;
      INSERT INTO chronic_certificate (certno, certificate_no, region_code, issued_on, source, created_by)
      SELECT c.certno, 'MTB370899' || lpad(row_number() OVER (ORDER BY c.certno)::text, 6, '0'),
             p.region_code, date '2019-01-01' + floor(random() * 1000)::int, 'import', 'bench'
        FROM (SELECT DISTINCT certno FROM cert) c JOIN person p USING (certno);
      INSERT INTO chronic_certificate_disease (certno, disease, valid_from, valid_to, ended_reason)
      SELECT c.certno, c.disease, k.issued_on,
             CASE WHEN random() < 0.03 THEN LEAST(k.issued_on + 365, date '2021-12-31') END, NULL
        FROM cert c JOIN chronic_certificate k USING (certno);
      UPDATE chronic_certificate_disease SET ended_reason = 'expired' WHERE valid_to IS NOT NULL;
      INSERT INTO chronic_application (certno, region_code, channel, status, accepted_on, created_by)
      SELECT ${CERTNO('i')}, ${VILLAGE('i')}, 'window', 'under_review', date '2022-12-01', 'bench'
        FROM generate_series(0, ${n - 1}) AS i WHERE (i * 17) % 1000 < 2;
      INSERT INTO chronic_application_disease (certno, application_id, disease)
      SELECT certno, application_id, (${sqlArray(DISEASES)})[1 + application_id % ${DISEASES.length}]
        FROM chronic_application;`);
    const c = await q.query<{ certificates: number; diseases: number; applications: number }>(
      `SELECT (SELECT count(*)::int FROM chronic_certificate) AS certificates,
              (SELECT count(*)::int FROM chronic_certificate_disease) AS diseases,
              (SELECT count(*)::int FROM chronic_application) AS applications`,
    );
    const r = c.rows[0]!;
    return `${r.certificates} certificates (${r.diseases} diseases), ${r.applications} applications under review`;
  });

  if (!(await done(db, 'vacuum'))) {
    // The visibility map lets the screening read the stays from the index alone.
    const t0 = performance.now();
    await db.exec('VACUUM ANALYZE');
    await db.query(`INSERT INTO bench_meta VALUES ('vacuum', NULL)`);
    log(`vacuum analyze in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
}
