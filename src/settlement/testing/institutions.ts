/**
 * Institutions for settlement tests: a bill takes its hospital level from the registered
 * institution it names, so tests register the demo county's (demo-institutions.ts) and name one
 * of the level they mean.
 */
import type { Queryable } from '../../db/db.ts';
import { registerDemoInstitutions, townshipCentreCode } from '../../catalogue/demo-institutions.ts';
import type { HospitalLevel } from '../../policy/types.ts';

/** A registered institution of each level: 城关镇卫生院, 示范县人民医院, 济宁市第一人民医院. */
export const AT_LEVEL: Record<HospitalLevel, string> = {
  1: townshipCentreCode(1),
  2: 'H37089900001',
  3: 'H37089900003',
};

/** Registers the demo county's institutions. */
export async function registerInstitutions(q: Queryable): Promise<void> {
  await registerDemoInstitutions(q);
}
