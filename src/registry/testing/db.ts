/** Fixtures for registry DB tests: a small county, a controllable clock, a registered person. */
import type { Db } from '../../db/db.ts';
import { makeId } from '../../kernel/idcard.ts';
import { registryContext, type RegistryContext } from '../service/context.ts';

export const VILLAGE_1 = '370899001001';
export const VILLAGE_2 = '370899002001';

export async function seedRegions(db: Db): Promise<void> {
  await db.query(
    `INSERT INTO region (code, name, level, parent_code) VALUES
       ('370000', '山东省', 'province', NULL), ('370800', '济宁市', 'city', '370000'),
       ('370899', '示范县', 'county', '370800'),
       ('370899001', '城关镇', 'township', '370899'), ('370899002', '南站镇', 'township', '370899'),
       ($1, '城关1村', 'village', '370899001'), ($2, '南站1村', 'village', '370899002')
     ON CONFLICT (code) DO NOTHING`,
    [VILLAGE_1, VILLAGE_2],
  );
}

/** A clock the test moves: `clock.set('2022-03-01')` puts it at noon that day in Beijing. */
export interface TestClock {
  now: () => Date;
  set(date: string): void;
}

export function testClock(start: string): TestClock {
  let at = new Date(`${start}T12:00:00+08:00`);
  let tick = 0;
  return {
    // Each reading moves on a millisecond, so versions recorded the same day still order.
    now: () => new Date(at.getTime() + tick++),
    set(date: string) {
      at = new Date(`${date}T12:00:00+08:00`);
      tick = 0;
    },
  };
}

export function testContext(db: Db, clock: TestClock): RegistryContext {
  return registryContext(db, clock.now);
}

let seq = 100;
/** A fresh valid ID number each call (born 1970-01-01 in the county). */
export const nextCertno = (birth = '1970-01-01') => makeId('370899', birth, seq++);
