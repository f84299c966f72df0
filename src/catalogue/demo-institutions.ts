/**
 * The demo county's designated institutions (定点医药机构) as registered with their hospital level:
 * two county hospitals (level 2), the prefecture's central hospital (level 3), and one township
 * health centre (卫生院, level 1) in each township — where the county settles its general and
 * two-diseases (两病) outpatient visits. A settlement takes its hospital level from this register.
 */
import type { Queryable } from '../db/db.ts';
import { DEMO_INSTITUTION } from '../auth/index.ts';
import { TOWNSHIPS } from '../registry/index.ts';
import { upsertInstitution, type Institution } from './repository.ts';

const COUNTY = '370899';

/** The township health centre of township `n` (1-based, as region codes number them). */
export const townshipCentreCode = (n: number): string => `H${COUNTY}1${String(n).padStart(4, '0')}`;

export const DEMO_INSTITUTIONS: readonly Institution[] = [
  { fixmedinsCode: DEMO_INSTITUTION, fixmedinsName: '示范县人民医院', hospLv: 2, admdvs: COUNTY },
  { fixmedinsCode: 'H37089900002', fixmedinsName: '示范县中医医院', hospLv: 2, admdvs: COUNTY },
  { fixmedinsCode: 'H37089900003', fixmedinsName: '济宁市第一人民医院', hospLv: 3, admdvs: COUNTY },
  ...TOWNSHIPS.map((t, i): Institution => ({
    fixmedinsCode: townshipCentreCode(i + 1),
    fixmedinsName: `${t}卫生院`,
    hospLv: 1,
    // A health centre belongs to its township: a family doctor there files at it.
    admdvs: `${COUNTY}${String(i + 1).padStart(3, '0')}`,
  })),
];

/**
 * The county's psychiatric hospital (示范县康复医院): the free inpatient agreement for poor mental
 * patients is with it, and it is paid outside the global budget. Registered by the demos that use it
 * (care teams, provider payment), not among the institutions the demo's general bills go to.
 */
export const DEMO_PSYCHIATRIC_HOSPITAL: Institution = {
  fixmedinsCode: 'H37089900004',
  fixmedinsName: '示范县康复医院',
  hospLv: 2,
  admdvs: COUNTY,
};

/** The registered institutions of a level. */
export const demoInstitutionsAt = (level: 1 | 2 | 3): string[] =>
  DEMO_INSTITUTIONS.filter((i) => i.hospLv === level).map((i) => i.fixmedinsCode);

/** The health centre of the township a region code (village or township) lies in. */
export const townshipCentreOf = (regionCode: string): string =>
  townshipCentreCode(Number(regionCode.slice(6, 9)) || 1);

/** Registers the demo county's institutions (idempotent). */
export async function registerDemoInstitutions(q: Queryable): Promise<number> {
  for (const i of DEMO_INSTITUTIONS) await upsertInstitution(q, i);
  return DEMO_INSTITUTIONS.length;
}
