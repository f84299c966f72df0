/**
 * The demo catalogue shipped with the demo county: a few hundred items built from demo-items.ts
 * with national-style codes, two items whose terms change during 2022 (dated validity), one that
 * ended before 2022, the demo hospital (示范县人民医院, level 2) and its own item codes mapped onto
 * the catalogue (目录对照). Deterministic: the same codes every time.
 */
import type { Db } from '../db/db.ts';
import { DEMO_INSTITUTION } from '../auth/index.ts';
import { CONSUMABLES, DRUGS, SERVICES, isTwoDiseasesDrug } from './demo-items.ts';
import type { CatalogueItem, CatalogueMapping } from './model.ts';
import { upsertInstitution, upsertItems, upsertMappings } from './repository.ts';
import { DEMO_INSTITUTIONS, registerDemoInstitutions } from './demo-institutions.ts';

const FROM = '2022-01-01';
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const fen = (yuan: number | null) => (yuan === null ? null : Math.round(yuan * 100));

const DOSFORM_CODES = new Map<string, number>();
const dosformCode = (d: string) => {
  if (!DOSFORM_CODES.has(d)) DOSFORM_CODES.set(d, DOSFORM_CODES.size + 1);
  return DOSFORM_CODES.get(d)!;
};

/** Every demo catalogue version, in a stable order. */
export function demoCatalogue(): CatalogueItem[] {
  const items: CatalogueItem[] = [];
  const perAtc = new Map<string, number>();
  for (const d of DRUGS) {
    const g = (perAtc.get(d.atc) ?? 0) + 1;
    perAtc.set(d.atc, g);
    // Oral generics come from two makers (two national codes); injections here from one.
    const makers = d.dosform === '注射剂' || d.lv === '03' ? 1 : 2;
    d.specs.forEach(([spec, unit, , ceiling], s) => {
      for (let m = 1; m <= makers; m++) {
        // X + ATC (5) + A + generic (3) + A + dosage form (3) + spec (4) + maker (5): 23 characters.
        const code = `X${d.atc}A${pad(g, 3)}A${pad(dosformCode(d.dosform), 3)}${pad(s + 1, 2)}01${pad(m, 5)}`;
        items.push({
          medListCodg: code,
          name: d.name,
          listType: 'drug',
          chrgitmLv: d.lv,
          selfpayProp: d.lv === '02' ? (d.selfpay ?? 10) * 100 : d.lv === '03' ? 10_000 : 0,
          pricUplmtAmt: fen(ceiling),
          medChrgitmType: d.chrgType ?? '09',
          spec,
          dosform: d.dosform,
          prcunt: unit,
          begndate: FROM,
          enddate: null,
          twoDiseases: isTwoDiseasesDrug(d),
        });
      }
    });
  }
  for (const [code9, name, lv, selfpay, unit, ceiling] of SERVICES) {
    items.push({
      medListCodg: `00${code9}0000`,
      name,
      listType: 'service',
      chrgitmLv: lv,
      selfpayProp: lv === '02' ? selfpay * 100 : lv === '03' ? 10_000 : 0,
      pricUplmtAmt: fen(ceiling),
      medChrgitmType: code9.startsWith('2') ? '04' : code9.startsWith('11') ? '01' : '05',
      spec: null,
      dosform: null,
      prcunt: unit,
      begndate: FROM,
      enddate: null,
      twoDiseases: false,
    });
  }
  CONSUMABLES.forEach(([name, specs, lv, selfpay, unit, ceiling], i) => {
    specs.forEach((spec, s) => {
      items.push({
        medListCodg: `C${pad(14 + (i % 6), 2)}${pad(i + 1, 6)}${pad(s + 1, 4)}0000000000`,
        name,
        listType: 'consumable',
        chrgitmLv: lv,
        selfpayProp: lv === '02' ? selfpay * 100 : lv === '03' ? 10_000 : 0,
        pricUplmtAmt: fen(ceiling),
        medChrgitmType: '08',
        spec,
        dosform: null,
        prcunt: unit,
        begndate: FROM,
        enddate: null,
        twoDiseases: false,
      });
    });
  });
  return [...items, ...datedVersions(items)];
}

/**
 * Dated validity: 达格列净片 pays 20 % first until June and 10 % from July 2022 (a national price
 * negotiation), and 盐酸曲美他嗪片 left the catalogue at the end of 2021.
 */
function datedVersions(items: readonly CatalogueItem[]): CatalogueItem[] {
  const base = items.find((i) => i.name === '阿卡波糖片')!;
  const dapa = { ...base, name: '达格列净片', chrgitmLv: '02' as const, spec: '10mg*14片' };
  const code = 'XA10BKA002A002010100001';
  return [
    { ...dapa, medListCodg: code, selfpayProp: 2_000, pricUplmtAmt: 6_000, enddate: '2022-06-30' },
    { ...dapa, medListCodg: code, selfpayProp: 1_000, pricUplmtAmt: 6_000, begndate: '2022-07-01' },
    {
      ...base,
      medListCodg: 'XC01DXA001A002010100001',
      name: '盐酸曲美他嗪片',
      spec: '20mg*30片',
      twoDiseases: false,
      begndate: '2020-01-01',
      enddate: '2021-12-31',
    },
  ];
}

/** The demo hospital's own codes: YP (drugs), ZL (services), HC (consumables) + a number. */
export function demoMapping(
  items: readonly CatalogueItem[],
  fixmedinsCode: string,
): CatalogueMapping[] {
  const prefix = { drug: 'YP', service: 'ZL', consumable: 'HC' } as const;
  const seen = new Set<string>();
  const out: CatalogueMapping[] = [];
  let n = 0;
  for (const i of items) {
    n++;
    // One item in twenty is not mapped: the hospital does not stock it (or has not mapped it yet).
    if (seen.has(i.medListCodg) || i.enddate !== null || n % 20 === 0) continue;
    seen.add(i.medListCodg);
    out.push({
      fixmedinsCode,
      medinsListCodg: `${prefix[i.listType]}${pad(n, 6)}`,
      medinsListName: i.spec ? `${i.name}(${i.spec})` : i.name,
      medListCodg: i.medListCodg,
      listType: i.listType,
      begndate: i.begndate,
      enddate: null,
    });
  }
  return out;
}

export interface DemoCatalogueCounts {
  items: number;
  mappings: number;
}

/**
 * Loads the demo catalogue, the county's institutions (demo-institutions.ts) and the demo
 * hospital's mapping (idempotent).
 */
export async function loadDemoCatalogue(
  db: Db,
  fixmedinsCode = DEMO_INSTITUTION,
): Promise<DemoCatalogueCounts> {
  const items = demoCatalogue();
  const mapping = demoMapping(items, fixmedinsCode);
  await db.transaction(async (tx) => {
    for (let i = 0; i < items.length; i += 200) await upsertItems(tx, items.slice(i, i + 200));
    for (let i = 0; i < mapping.length; i += 200)
      await upsertMappings(tx, mapping.slice(i, i + 200));
    // The county's hospitals and township health centres; the mapping's institution among them.
    await registerDemoInstitutions(tx);
    if (!DEMO_INSTITUTIONS.some((i) => i.fixmedinsCode === fixmedinsCode)) {
      await upsertInstitution(tx, {
        fixmedinsCode,
        fixmedinsName: '示范县人民医院',
        hospLv: 2,
        admdvs: '370899',
      });
    }
  });
  return { items: items.length, mappings: mapping.length };
}
