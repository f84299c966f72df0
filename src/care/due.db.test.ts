/**
 * The month's due rows (`care_due`, docs/care.md §3) against the join they replace: for every
 * month around a year of contracts changed, ended and signed after their records, records added
 * and removed, and a person who moves, the summary read from the due rows equals the counts of
 * the contracts in force joined to their people and the month's records, for each scope and
 * filter — for a year whose rows the triggers kept and for years written when first read. On
 * PGlite and, with DATABASE_URL, PostgreSQL.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import type { DataScope } from '../kernel/access/actor.ts';
import type { Db } from '../db/db.ts';
import { makeId } from '../kernel/idcard.ts';
import { monthBounds } from './core/overdue.ts';
import { countyDue, monthSummary, type MonthFilter } from './repo/month.ts';
import { scoped } from './repo/sql.ts';
import { seedCare } from './testing/fixture.ts';

const P = Array.from({ length: 8 }, (_, i) => makeId('370899', '1950-03-01', 200 + i));
const T1 = '370899001001';
const T2 = '370899002001';

/** The join the due rows replace, as the summary was first written. */
async function joined(db: Db, scope: DataScope, f: MonthFilter) {
  const params: unknown[] = [f.month, f.last];
  const conds = ['c.valid_from <= $2::date', '(c.valid_to IS NULL OR c.valid_to >= $2::date)'];
  conds.push(scoped(scope, params));
  const add = (sql: string, v: string | undefined) => {
    if (v === undefined) return;
    params.push(v);
    conds.push(sql.replace('?', `$${params.length}`));
  };
  add(`p.region_code LIKE ? || '%'`, f.regionCode);
  add('c.fixmedins_code = ?', f.fixmedinsCode);
  add('c.doctor = ?', f.doctor);
  add('c.team = ?', f.team);
  const r = await db.query(
    `SELECT c.township_code AS "townshipCode", c.fixmedins_code AS "fixmedinsCode", c.doctor, c.team,
            count(*)::int AS contracted, count(f.certno)::int AS recorded
       FROM care_contract c JOIN person p ON p.certno = c.certno
       LEFT JOIN (SELECT DISTINCT certno FROM care_followup WHERE month = $1) f ON f.certno = c.certno
      WHERE ${conds.join(' AND ')}
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    params,
  );
  return r.rows;
}

async function contract(
  db: Db,
  certno: string,
  team: string,
  from: string,
  to: string | null = null,
): Promise<number> {
  const r = await db.query<{ id: number }>(
    `INSERT INTO care_contract (certno, township_code, doctor, team, fixmedins_code, valid_from, valid_to, created_by)
     VALUES ($1, '370899001', $2, $3, 'H37089900101', $4, $5, 'test') RETURNING contract_id::int AS id`,
    [certno, `医生${team}`, team, from, to],
  );
  return r.rows[0]!.id;
}

async function record(db: Db, certno: string, contractId: number, day: string): Promise<void> {
  await db.query(
    `INSERT INTO care_followup (certno, contract_id, month, visited_on, visitor, health_status,
        outpatient_need, certificate_held, recorded_by)
     VALUES ($1, $2, left($3, 7), $3::date, '医生', 'stable', false, false, 'test')`,
    [certno, contractId, day],
  );
}

const MONTHS = [
  '2021-10',
  '2021-11',
  '2021-12',
  ...Array.from({ length: 12 }, (_, i) => `2022-${String(i + 1).padStart(2, '0')}`),
  '2023-01',
];

describeDb('care due rows', (ctx) => {
  beforeAll(async () => {
    const db = ctx.db;
    await seedCare(db);
    // 2022's rows are kept by the triggers as everything below is written; 2021's and 2023's are
    // written from the tables when the test first reads them.
    await db.query('SELECT care_due_open_year(2022)');
    for (const [i, c] of P.entries())
      await db.query(
        `INSERT INTO person (certno, name, gender, birth_date, region_code)
         VALUES ($1, $2, 'female', '1950-03-01', $3)`,
        [c, `测试${i}`, i % 2 === 0 ? T1 : T2],
      );
    // 0: one open contract, records in some months (two in March), one later removed.
    const a = await contract(db, P[0]!, '一队', '2022-01-01');
    for (const d of ['2022-01-05', '2022-03-02', '2022-03-20', '2022-06-11', '2022-09-30'])
      await record(db, P[0]!, a, d);
    await db.query(`DELETE FROM care_followup WHERE certno = $1 AND visited_on = '2022-09-30'`, [
      P[0],
    ]);
    // 1: a change of team in mid-March (the first ended the day before); a record under the first
    // contract in March answers the month under the second.
    const b1 = await contract(db, P[1]!, '一队', '2021-11-15');
    await record(db, P[1]!, b1, '2021-12-01');
    await record(db, P[1]!, b1, '2022-03-10');
    await db.query(`UPDATE care_contract SET valid_to = '2022-03-14' WHERE contract_id = $1`, [b1]);
    const b2 = await contract(db, P[1]!, '二队', '2022-03-15');
    await record(db, P[1]!, b2, '2022-04-20');
    // 2: records before the contract row was written (an import), and one before it started.
    await record(db, P[2]!, 0, '2022-01-09');
    await record(db, P[2]!, 0, '2022-02-09');
    await record(db, P[2]!, 0, '2022-05-01');
    await contract(db, P[2]!, '二队', '2022-02-20');
    // 3: ended mid-year: not due in the month it ended.
    const d = await contract(db, P[3]!, '一队', '2022-01-01', '2022-07-10');
    await record(db, P[3]!, d, '2022-07-01');
    // 4: moves from the second township to the first in the summer.
    const e = await contract(db, P[4]!, '二队', '2022-01-01');
    await record(db, P[4]!, e, '2022-08-08');
    await db.query('UPDATE person SET region_code = $2 WHERE certno = $1', [P[4], T2]);
    // 5, 6, 7: signed together in one statement, records in one statement.
    await db.query(
      `INSERT INTO care_contract (certno, township_code, doctor, team, fixmedins_code, valid_from, created_by)
       SELECT c, '370899001', '医生三队', '三队', 'H37089900101', '2022-05-31', 'test'
         FROM unnest($1::text[]) c`,
      [P.slice(5)],
    );
    await db.query(
      `INSERT INTO care_followup (certno, contract_id, month, visited_on, visitor, health_status,
          outpatient_need, certificate_held, recorded_by)
       SELECT c, 0, to_char(d, 'YYYY-MM'), d, '医生', 'stable', false, false, 'test'
         FROM unnest($1::text[]) c, unnest(ARRAY['2022-05-31', '2022-06-01', '2022-06-30', '2023-01-02']::date[]) d`,
      [P.slice(5, 7)],
    );
    // 7 leaves on the last day of October: still due in October, not after.
    await db.query(
      `UPDATE care_contract SET valid_to = '2022-10-31', ended_reason = 'moved' WHERE certno = $1`,
      [P[7]],
    );
  });

  const SCOPES: DataScope[] = [
    { kind: 'system' },
    { kind: 'region', regionCode: '370899' },
    { kind: 'region', regionCode: '370899001' },
    { kind: 'region', regionCode: '370899002001' },
  ];
  const FILTERS: Omit<MonthFilter, 'month' | 'last'>[] = [
    {},
    { regionCode: '370899002' },
    { team: '二队' },
    { doctor: '医生一队', fixmedinsCode: 'H37089900101' },
  ];

  it('counts every month, scope and filter as the join does', async () => {
    let compared = 0;
    for (const month of MONTHS) {
      const last = monthBounds(month).last;
      for (const scope of SCOPES)
        for (const filter of FILTERS) {
          const f = { month, last, ...filter } as MonthFilter;
          const want = await joined(ctx.db, scope, f);
          expect(await monthSummary(ctx.db, scope, f), `${month} ${JSON.stringify(scope)}`).toEqual(
            want,
          );
          compared += want.length;
        }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('reads the cases as the rules say', async () => {
    const county: DataScope = { kind: 'region', regionCode: '370899' };
    const at = (month: string) =>
      monthSummary(ctx.db, county, { month, last: monthBounds(month).last } as MonthFilter);
    // March: person 1 counted under the second team, recorded by the record of the 10th.
    expect(await at('2022-03')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ team: '二队', contracted: 3, recorded: 1 }),
      ]),
    );
    // September: the removed record no longer answers it.
    const sep = await at('2022-09');
    expect(sep.find((g) => g.team === '一队')).toMatchObject({ contracted: 1, recorded: 0 });
    expect(
      await countyDue(ctx.db, '370899', { month: '2022-07', last: '2022-07-31' } as MonthFilter),
    ).toBe(7);
  });
});
