/** Fixtures for assistance tests: the demo county's two townships, people, the backstop programme. */
import type { Db } from '../../db/db.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { makeId } from '../../kernel/idcard.ts';
import { seedRegions, VILLAGE_1, VILLAGE_2 } from '../../registry/testing/db.ts';
import { enrolForYear } from '../../settlement/testing/enrol.ts';
import { AT_LEVEL, registerInstitutions } from '../../settlement/testing/institutions.ts';
import { upsertInstitution } from '../../catalogue/repository.ts';

/** Hospitals whose records come in batches (outside one-stop settlement), as registered. */
export const BATCH_HOSPITALS = { county: 'H3708990099', city: 'H3708990098' } as const;
import { readSettleRequest } from '../../settlement/persist/request.ts';
import type { SettleRequest } from '../../settlement/persist/request.ts';
import { addProgramme } from '../programmes.ts';
import type { Programme } from '../model.ts';

export { VILLAGE_1, VILLAGE_2 };

export const P = {
  /** Township 001, severe mental disorder, will hold a card. */
  mental: makeId('370899', '1970-02-03', 11),
  /** Township 002, severe mental disorder. */
  mental2: makeId('370899', '1975-06-07', 13),
  /** Township 001, subsistence (key assistance category). */
  poor: makeId('370899', '1960-05-01', 15),
  /** Township 002, subsistence. */
  poor2: makeId('370899', '1962-08-09', 17),
  /** Township 001, no category. */
  plain: makeId('370899', '1980-01-01', 19),
} as const;

export async function seedCounty(db: Db, years: readonly number[] = [2022]): Promise<void> {
  await seedRegions(db);
  const people: [string, string, string][] = [
    [P.mental, '赵一', VILLAGE_1],
    [P.mental2, '钱二', VILLAGE_2],
    [P.poor, '孙三', VILLAGE_1],
    [P.poor2, '李四', VILLAGE_2],
    [P.plain, '周五', VILLAGE_1],
  ];
  for (const [certno, name, village] of people) {
    await db.query(
      `INSERT INTO person (certno, name, gender, birth_date, region_code)
       VALUES ($1, $2, 'male', $3::date, $4)`,
      [
        certno,
        name,
        `${certno.slice(6, 10)}-${certno.slice(10, 12)}-${certno.slice(12, 14)}`,
        village,
      ],
    );
  }
  for (const y of years) await enrolForYear(db, Object.values(P), y);
  await registerInstitutions(db);
  await upsertInstitution(db, {
    fixmedinsCode: BATCH_HOSPITALS.county,
    fixmedinsName: '县中医院',
    hospLv: 2,
    admdvs: '370899',
  });
  await upsertInstitution(db, {
    fixmedinsCode: BATCH_HOSPITALS.city,
    fixmedinsName: '市中心医院',
    hospLv: 3,
    admdvs: '370899',
  });
  await db.query(
    `INSERT INTO person_flag (certno, category, from_month, source) VALUES
       ($1, 'severe_mental', '2021-01', 'health'), ($2, 'severe_mental', '2021-01', 'health'),
       ($3, 'subsistence', '2021-01', 'civil_affairs'), ($4, 'subsistence', '2021-01', 'civil_affairs')`,
    [P.mental, P.mental2, P.poor, P.poor2],
  );
}

export const backstopProgramme = (
  db: Db,
  year = 2022,
  budgetFen = 100_000_000,
): Promise<Programme> =>
  addProgramme(db, SYSTEM_ACTOR, {
    regionCode: '370899',
    code: 'mental_disorder_backstop',
    year,
    title: { zh: '严重精神障碍患者医疗救助兜底', en: 'Severe mental disorder backstop' },
    budget: budgetFen,
    tiers: ['backstop'],
    eligibleCategories: ['severe_mental'],
    cardCategory: 'mental_aid_card',
    reason: '县财政年度预算',
  });

/** An inpatient bill (yuan at this edge), settled through the persistent service. */
export const inpatient = (
  msgid: string,
  certno: string,
  date: string,
  opts: {
    diagnosis?: string;
    a?: number;
    b?: number;
    c?: number;
    level?: 1 | 2 | 3;
    visitType?: 'inpatient' | 'chronic_outpatient';
  } = {},
): SettleRequest =>
  readSettleRequest({
    msgid,
    certno,
    fixmedinsCode: AT_LEVEL[opts.level ?? 2],
    bill: {
      date,
      visitType: opts.visitType ?? 'inpatient',
      diagnosis: opts.diagnosis ?? 'F20.0',
      remote: null,
      lines: [
        { amount: opts.a ?? 20000, class: 'A' },
        { amount: opts.b ?? 5000, class: 'B' },
        { amount: opts.c ?? 800, class: 'C' },
      ],
    },
  });
