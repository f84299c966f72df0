/**
 * Test fixtures for monitoring: people with flags and accumulator rows written directly (the run
 * reads only the two monitoring columns of the accumulator), so threshold edges can be exact.
 */
import type { Queryable } from '../db/db.ts';
import { makeId } from '../kernel/idcard.ts';
import { emptyAccumulators } from '../settlement/index.ts';
import type { Category } from '../policy/index.ts';

/** demo-2022: 50 % and 100 % of 35,705 yuan, in fen. */
export const INSCOPE_LINE = 1_785_250;
export const TOTAL_LINE = 3_570_500;

export interface TestPerson {
  certno: string;
  region: string;
  categories: Category[];
  source?: string;
}

let seq = 100;
/** A fresh valid ID number in the demo county. */
export const newCertno = (): string => makeId('370899', '1970-01-01', seq++);

export async function seedRegions(q: Queryable): Promise<void> {
  await q.query(
    `INSERT INTO region (code, name, level, parent_code) VALUES
       ('370000', '山东省', 'province', NULL), ('370800', '济宁市', 'city', '370000'),
       ('370899', '示范县', 'county', '370800'),
       ('370899001', '城关镇', 'township', '370899'), ('370899002', '东山乡', 'township', '370899'),
       ('370899001001', '城关一村', 'village', '370899001'),
       ('370899002001', '东山一村', 'village', '370899002')
     ON CONFLICT (code) DO NOTHING`,
  );
}

export async function addPerson(q: Queryable, p: TestPerson): Promise<void> {
  const birth = `${p.certno.slice(6, 10)}-${p.certno.slice(10, 12)}-${p.certno.slice(12, 14)}`;
  await q.query(
    `INSERT INTO person (certno, name, gender, birth_date, region_code)
     VALUES ($1, $2, 'male', $3::date, $4)`,
    [p.certno, `测试${p.certno.slice(-4)}`, birth, p.region],
  );
  for (const c of p.categories) {
    await q.query(
      `INSERT INTO person_flag (certno, category, from_month, source) VALUES ($1, $2, '2022-01', $3)`,
      [p.certno, c, p.source ?? 'civil_affairs'],
    );
  }
}

/** Sets a person's year-to-date burdens as settlement would have left them. */
export async function setBurden(
  q: Queryable,
  certno: string,
  oopInscope: number,
  oopTotal: number,
  year = 2022,
): Promise<void> {
  const state = { ...emptyAccumulators(year), oopInscope, oopTotal };
  await q.query(
    `INSERT INTO accumulator (certno, year, state, oop_inscope, oop_total, settlements)
     VALUES ($1, $2, $3::json, $4, $5, 1)
     ON CONFLICT (certno, year) DO UPDATE SET state = EXCLUDED.state,
       oop_inscope = EXCLUDED.oop_inscope, oop_total = EXCLUDED.oop_total`,
    [certno, year, JSON.stringify(state), oopInscope, oopTotal],
  );
}
