/**
 * bench/payment: the monthly statements of every institution (src/payment, what the statements
 * page and `triguard payment statement` draw up) over a month of BENCH_ROWS (default 1,000,000)
 * settlements on PostgreSQL, beside a bare `GROUP BY fixmedins_code` aggregate of the same rows
 * measured in the same run; then the year: BENCH_MONTHS (default 12) such months closed one by
 * one and the year-end clearing drafted, beside the bare aggregate of the year's rows. Aims:
 * statements ≤ 1.5 × the bare aggregate of the month; the clearing ≤ 2 × that of the year.
 *
 * Rows are generated with generate_series: 16 institutions (the psychiatric hospital, the
 * people's hospital under a global budget, two others, twelve township centres, one of them the
 * capitation centre), 30 % inpatient stays with their dates in settlement_stay, twelve diagnoses
 * (severe mental, other mental and others) drawn independently of the institution, so that the
 * psychiatric hospital has stays paid per bed-day, people of twelve townships, one row in a
 * hundred a cancellation mirror of the row before it.
 */
import type { Db } from '../src/db/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../src/kernel/access/actor.ts';
import { loadPackCatalog } from '../src/settlement/persist/packs.ts';
import { PaymentService } from '../src/payment/index.ts';
import { STATEMENT_SETTINGS } from '../src/payment/repo/statements.ts';
import { withScratchDb } from './scratch-db.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const MONTHS = Number(process.env.BENCH_MONTHS ?? 12);
const YEAR = 2022;
const MONTH = Math.min(6, MONTHS);
const STAFF: Actor = {
  ...SYSTEM_ACTOR,
  id: 'bench',
  scope: { kind: 'region', regionCode: '370899' },
};

const secs = (t0: number) => (performance.now() - t0) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [secs(t0), v];
}

async function load(db: Db): Promise<void> {
  const t0 = performance.now();
  await db.exec(`DROP INDEX IF EXISTS settlement_id_idx, settlement_institution_date_idx,
    settlement_inpatient_idx`);
  const inst = `(ARRAY['H37089900001','H37089900002','H37089900003','H37089900004',
    'H37089910001','H37089910002','H37089910003','H37089910004','H37089910005','H37089910006',
    'H37089910007','H37089910008','H37089910009','H37089910010','H37089910011',
    'H37089910012'])[1 + j % 16]`;
  const diag = `(ARRAY['F20.0','F32.1','I63.9','J06.9','I10','E11.9','K35.8','F31.2','C34.9',
    'N18.5','F41.1','M54.5'])[1 + (j / 16) % 12]`;
  for (let m = 1; m <= MONTHS; m++) {
    const start = `${YEAR}-${String(m).padStart(2, '0')}-01`;
    // j: the settled row a row is (a cancellation mirrors the row before it).
    await db.exec(`
      INSERT INTO settlement (settlement_id, certno, year, msgid, kind, original_id, fixmedins_code,
        region_code, bill_date, visit_type, hospital_level, diagnosis, remote, pack, categories,
        medfee_sumamt, fulamt_ownpay_amt, overlmt_selfpay, preselfpay_amt, inscp_scp_amt,
        act_pay_dedc, hifp_pay, hifmi_pay, maf_pay, reassist_pay, backstop_pay, fund_pay_sumamt,
        psn_part_amt, psn_cash_pay, lines, explain, delta, actor_id)
      SELECT ${m} * 10000000 + i, '370899' || lpad(((j::bigint * 7919) % 500000)::text, 11, '0') || 'X',
             ${YEAR}, 'b${m}-' || i, CASE WHEN c THEN 'cancel' ELSE 'settle' END,
             CASE WHEN c THEN ${m} * 10000000 + j END, ${inst},
             '370899' || lpad((1 + j % 12)::text, 3, '0') || '001', date '${start}' + (j % 28),
             CASE WHEN j % 10 < 3 THEN 'inpatient' ELSE 'general_outpatient' END,
             CASE WHEN j % 16 = 2 THEN 3 WHEN j % 16 < 4 THEN 2 ELSE 1 END, ${diag}, NULL,
             'demo-2022', '{}', s * (1500 + (j % 5000) * 10), 0, 0, 0, s * (1500 + (j % 5000) * 10), 0, s * (1000 + (j % 5000) * 10), 0, 0,
             0, 0, s * (1000 + (j % 5000) * 10), s * 500, s * 500, '[]', '[]', '{}', 'bench'
        FROM (SELECT i, i % 100 = 99 AS c, CASE WHEN i % 100 = 99 THEN i - 1 ELSE i END AS j,
                     CASE WHEN i % 100 = 99 THEN -1 ELSE 1 END AS s
                FROM generate_series(0, ${ROWS - 1}) AS i) g;
      INSERT INTO settlement_stay (certno, settlement_id, admission_date, discharge_date)
      SELECT certno, settlement_id, bill_date - (1 + (settlement_id % 60))::int, bill_date
        FROM settlement WHERE settlement_id >= ${m} * 10000000
         AND settlement_id < ${m + 1} * 10000000 AND kind = 'settle' AND visit_type = 'inpatient';`);
  }
  await db.exec(`
    CREATE INDEX settlement_id_idx ON settlement (settlement_id);
    CREATE INDEX settlement_institution_date_idx ON settlement (fixmedins_code, bill_date);`);
  // Settlement ids come from audit_seq: the closing mark reads how far it went.
  await db.exec(`SELECT setval('audit_seq', (SELECT max(settlement_id) FROM settlement))`);
  await db.exec('VACUUM ANALYZE settlement, settlement_stay');
  console.log(`generated ${MONTHS} × ${ROWS} settlements in ${secs(t0).toFixed(1)} s`);
}

export async function run() {
  const packs = await loadPackCatalog();
  await withScratchDb('tg_bench_payment', async (db) => {
    await load(db);
    const payment = new PaymentService(db, packs);
    // The bare aggregate runs under the statement's own settings, so only the work differs.
    const bare = (from: string, to: string) => () =>
      db.transaction(async (tx) => {
        await tx.exec(STATEMENT_SETTINGS);
        return tx.query(
          `SELECT fixmedins_code, count(*), sum(hifp_pay) FROM settlement
            WHERE bill_date >= $1::date AND bill_date < $2::date GROUP BY fixmedins_code`,
          [from, to],
        );
      });
    const monthFrom = `${YEAR}-${String(MONTH).padStart(2, '0')}-01`;
    const monthTo = `${YEAR}-${String(MONTH + 1).padStart(2, '0')}-01`;
    const bareMonth = bare(monthFrom, monthTo);
    await bareMonth();
    await payment.statements(STAFF, YEAR, MONTH); // warm both
    const bares: number[] = [];
    const draws: number[] = [];
    let institutions = 0;
    for (let i = 0; i < 3; i++) {
      bares.push((await timed(bareMonth))[0]);
      const [t, s] = await timed(() => payment.statements(STAFF, YEAR, MONTH));
      draws.push(t);
      institutions = s.statements.length;
    }
    const b = median(bares);
    const d = median(draws);
    console.log(`month ${monthFrom}: ${ROWS} settlements, ${institutions} institutions`);
    console.log(
      `bare GROUP BY (median of 3): ${b.toFixed(3)} s  [${bares.map((x) => x.toFixed(3)).join(', ')}]`,
    );
    console.log(
      `statements of every institution (median of 3): ${d.toFixed(3)} s  [${draws.map((x) => x.toFixed(3)).join(', ')}] — ratio ${(d / b).toFixed(2)}×  (aim ≤ 1.5×)`,
    );

    const bareYear = bare(`${YEAR}-01-01`, `${YEAR + 1}-01-01`);
    await bareYear();
    const [by] = await timed(bareYear);
    let closing = 0;
    for (let m = 1; m <= 12; m++) {
      await payment.issueAdvances(STAFF, YEAR, m);
      closing += (await timed(() => payment.closeMonth(STAFF, YEAR, m)))[0];
    }
    const [clear, c] = await timed(() => payment.clear(STAFF, YEAR));
    const [by2] = await timed(bareYear);
    const yb = Math.min(by, by2);
    console.log(
      `year: ${MONTHS} × ${ROWS} settlements; bare GROUP BY of the year: ${yb.toFixed(3)} s`,
    );
    console.log(
      `closing the twelve months one by one: ${closing.toFixed(3)} s — ratio ${(closing / yb).toFixed(2)}×`,
    );
    console.log(
      `year-end clearing of ${c.institutions.length} institutions: ${clear.toFixed(3)} s — ratio ${(clear / yb).toFixed(3)}×  (aim ≤ 2×); closing + clearing ${((closing + clear) / yb).toFixed(2)}×`,
    );
  });
}
