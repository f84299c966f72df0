/**
 * Test fixtures for the cover settlement checks: a certificate disease (门诊慢特病证) or a
 * two-diseases filing (两病备案) written straight into the tables of src/db/migrations/0018, and
 * a few catalogue items on and off the two-diseases drug list. The chronic domain's own services
 * create these in the product; settlement tests only need them to exist.
 */
import type { Queryable } from '../../db/db.ts';
import { upsertItems } from '../../catalogue/repository.ts';
import type { CatalogueItem } from '../../catalogue/model.ts';

export async function certify(
  q: Queryable,
  certno: string,
  disease: string,
  from: string,
  to: string | null = null,
): Promise<void> {
  await q.query(
    `INSERT INTO chronic_certificate (certno, certificate_no, region_code, issued_on, source, created_by)
     SELECT p.certno, 'MT' || right($1::text, 8), p.region_code, $2::date, 'import', 'test'
       FROM person p WHERE p.certno = $1::text
     ON CONFLICT (certno) DO NOTHING`,
    [certno, from],
  );
  await q.query(
    `INSERT INTO chronic_certificate_disease (certno, disease, valid_from, valid_to)
     VALUES ($1, $2, $3::date, $4::date)`,
    [certno, disease, from, to],
  );
}

export async function fileTwoDiseases(
  q: Queryable,
  certno: string,
  disease: 'hypertension' | 'diabetes',
  fixmedinsCode: string,
  from: string,
  to: string | null = null,
): Promise<void> {
  await q.query(
    `INSERT INTO two_diseases_filing (certno, disease, fixmedins_code, region_code, valid_from,
       valid_to, source, created_by)
     SELECT p.certno, $2, $3, p.region_code, $4::date, $5::date, 'doctor', 'test' FROM person p
      WHERE p.certno = $1::text`,
    [certno, disease, fixmedinsCode, from, to],
  );
}

const drug = (code: string, name: string, twoDiseases: boolean): CatalogueItem => ({
  medListCodg: code,
  name,
  listType: 'drug',
  chrgitmLv: '01',
  selfpayProp: 0,
  pricUplmtAmt: null,
  medChrgitmType: '09',
  spec: null,
  dosform: '片剂',
  prcunt: '盒',
  begndate: '2022-01-01',
  enddate: null,
  twoDiseases,
});

/** Two drugs of the two-diseases list, one drug and one service off it. */
export const ITEMS = {
  amlodipine: 'XC08CAA002A002020100001',
  metformin: 'XA10BAA001A001010100001',
  risperidone: 'XN05AXA001A001010100001',
  consultation: '001102000010000',
} as const;

export async function seedDrugList(q: Queryable): Promise<void> {
  await upsertItems(q, [
    drug(ITEMS.amlodipine, '苯磺酸氨氯地平片', true),
    drug(ITEMS.metformin, '盐酸二甲双胍片', true),
    drug(ITEMS.risperidone, '利培酮片', false),
    { ...drug(ITEMS.consultation, '普通门诊诊查费', false), listType: 'service', dosform: null },
  ]);
}
