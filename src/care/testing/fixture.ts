/**
 * Test fixtures for care: the test county's people, regions and institutions (chronic's fixture),
 * a certificate, a chronic-supply drug of the catalogue, and the services wired as the app wires them.
 */
import type { Db } from '../../db/db.ts';
import { PEOPLE, seedPeople } from '../../auth/testing/accounts.ts';
import { seedRegions } from '../../registry/testing/db.ts';
import { registerDemoInstitutions, townshipCentreCode } from '../../catalogue/demo-institutions.ts';

export const HEALTH_CENTRE = townshipCentreCode(1);
/** A drug of the chronic supply list (not on the two-diseases list). */
export const SUPPLY_DRUG = 'XA10BAM001T001';
/** A drug of the two-diseases list. */
export const TWO_DISEASES_DRUG = 'XC08CAA001T001';

export async function seedCare(db: Db): Promise<void> {
  await seedRegions(db);
  await seedPeople(db);
  await registerDemoInstitutions(db);
  await db.query(
    `INSERT INTO catalogue_item (med_list_codg, name, list_type, chrgitm_lv, selfpay_prop, begndate, two_diseases)
     VALUES ($1, '二甲双胍缓释片', 'drug', '01', 0, '2022-01-01', false),
            ($2, '氨氯地平片', 'drug', '01', 0, '2022-01-01', true)`,
    [SUPPLY_DRUG, TWO_DISEASES_DRUG],
  );
}

/** A certificate for `disease` from 2022-01-01 (as an import makes it). */
export async function certify(
  db: Db,
  certno: string,
  disease: string,
  regionCode: string,
): Promise<void> {
  await db.query(
    `INSERT INTO chronic_certificate (certno, certificate_no, region_code, issued_on, source, created_by)
     VALUES ($1, $2, $3, '2022-01-01', 'import', 'care-test') ON CONFLICT DO NOTHING`,
    [certno, `MT-${certno.slice(-6)}`, regionCode],
  );
  await db.query(
    `INSERT INTO chronic_certificate_disease (certno, disease, valid_from) VALUES ($1, $2, '2022-01-01')`,
    [certno, disease],
  );
}

export { PEOPLE };
