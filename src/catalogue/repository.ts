/**
 * SQL of the catalogue: items by national code and validity, institution mappings, and search.
 * Catalogue tables are reference data (small, read by every fee upload): no person key.
 */
import type { Queryable } from '../db/db.ts';
import type { Fen } from '../kernel/money.ts';
import type { CatalogueItem, CatalogueMapping, ChrgitmLv, ListType } from './model.ts';

interface ItemRow {
  med_list_codg: string;
  name: string;
  list_type: ListType;
  chrgitm_lv: ChrgitmLv;
  selfpay_prop: number;
  pric_uplmt_amt: Fen | null;
  med_chrgitm_type: string | null;
  spec: string | null;
  dosform: string | null;
  prcunt: string | null;
  begndate: string;
  enddate: string | null;
  two_diseases: boolean;
}

const ITEM_COLS = [
  'med_list_codg',
  'name',
  'list_type',
  'chrgitm_lv',
  'selfpay_prop',
  'pric_uplmt_amt',
  'med_chrgitm_type',
  'spec',
  'dosform',
  'prcunt',
  'begndate',
  'enddate',
  'two_diseases',
] as const;

export const toItem = (r: ItemRow): CatalogueItem => ({
  medListCodg: r.med_list_codg,
  name: r.name,
  listType: r.list_type,
  chrgitmLv: r.chrgitm_lv,
  selfpayProp: r.selfpay_prop,
  pricUplmtAmt: r.pric_uplmt_amt,
  medChrgitmType: r.med_chrgitm_type,
  spec: r.spec,
  dosform: r.dosform,
  prcunt: r.prcunt,
  begndate: r.begndate,
  enddate: r.enddate,
  twoDiseases: r.two_diseases,
});

const itemValues = (i: CatalogueItem): unknown[] => [
  i.medListCodg,
  i.name,
  i.listType,
  i.chrgitmLv,
  i.selfpayProp,
  i.pricUplmtAmt,
  i.medChrgitmType,
  i.spec,
  i.dosform,
  i.prcunt,
  i.begndate,
  i.enddate,
  i.twoDiseases,
];

/** Writes items; a row for an existing (code, begndate) replaces that version. */
export async function upsertItems(q: Queryable, items: readonly CatalogueItem[]): Promise<void> {
  if (items.length === 0) return;
  const params: unknown[] = [];
  const rows = items.map((i) => {
    const base = params.length;
    params.push(...itemValues(i));
    return `(${ITEM_COLS.map((_, k) => `$${base + k + 1}`).join(', ')})`;
  });
  await q.query(
    `INSERT INTO catalogue_item (${ITEM_COLS.join(', ')}) VALUES ${rows.join(', ')}
     ON CONFLICT (med_list_codg, begndate) DO UPDATE SET
       ${ITEM_COLS.filter((c) => c !== 'med_list_codg' && c !== 'begndate')
         .map((c) => `${c} = EXCLUDED.${c}`)
         .join(', ')}, imported_at = now()`,
    params,
  );
}

/** Every version of these codes (imports check overlaps; fee uploads choose by date). */
export async function versionsOf(
  q: Queryable,
  codes: readonly string[],
): Promise<Map<string, CatalogueItem[]>> {
  const out = new Map<string, CatalogueItem[]>();
  if (codes.length === 0) return out;
  const r = await q.query<ItemRow>(
    `SELECT ${ITEM_COLS.join(', ')} FROM catalogue_item WHERE med_list_codg = ANY($1::text[])
      ORDER BY med_list_codg, begndate`,
    [[...new Set(codes)]],
  );
  for (const row of r.rows) {
    const list = out.get(row.med_list_codg) ?? [];
    list.push(toItem(row));
    out.set(row.med_list_codg, list);
  }
  return out;
}

export async function searchItems(
  q: Queryable,
  f: { text?: string; code?: string; date?: string; limit: number; offset: number },
): Promise<{ total: number; items: CatalogueItem[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.code) {
    params.push(f.code);
    where.push(`med_list_codg = $${params.length}`);
  }
  if (f.text) {
    params.push(`%${f.text}%`);
    where.push(`(name ILIKE $${params.length} OR med_list_codg ILIKE $${params.length})`);
  }
  if (f.date) {
    params.push(f.date);
    where.push(
      `begndate <= $${params.length}::date AND (enddate IS NULL OR enddate >= $${params.length}::date)`,
    );
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM catalogue_item ${w}`,
    params,
  );
  const r = await q.query<ItemRow>(
    `SELECT ${ITEM_COLS.join(', ')} FROM catalogue_item ${w}
      ORDER BY list_type, med_list_codg, begndate LIMIT ${f.limit} OFFSET ${f.offset}`,
    params,
  );
  return { total: total.rows[0]?.n ?? 0, items: r.rows.map(toItem) };
}

interface MappingDbRow {
  fixmedins_code: string;
  medins_list_codg: string;
  medins_list_name: string;
  med_list_codg: string;
  list_type: ListType;
  begndate: string;
  enddate: string | null;
}

const MAPPING_COLS = [
  'fixmedins_code',
  'medins_list_codg',
  'medins_list_name',
  'med_list_codg',
  'list_type',
  'begndate',
  'enddate',
] as const;

const toMapping = (r: MappingDbRow): CatalogueMapping => ({
  fixmedinsCode: r.fixmedins_code,
  medinsListCodg: r.medins_list_codg,
  medinsListName: r.medins_list_name,
  medListCodg: r.med_list_codg,
  listType: r.list_type,
  begndate: r.begndate,
  enddate: r.enddate,
});

/** Writes mappings (3301); a row for a mapped institution code replaces its mapping. */
export async function upsertMappings(
  q: Queryable,
  mappings: readonly CatalogueMapping[],
): Promise<void> {
  if (mappings.length === 0) return;
  const params: unknown[] = [];
  const rows = mappings.map((m) => {
    const base = params.length;
    params.push(
      m.fixmedinsCode,
      m.medinsListCodg,
      m.medinsListName,
      m.medListCodg,
      m.listType,
      m.begndate,
      m.enddate,
    );
    return `(${MAPPING_COLS.map((_, k) => `$${base + k + 1}`).join(', ')})`;
  });
  await q.query(
    `INSERT INTO catalogue_mapping (${MAPPING_COLS.join(', ')}) VALUES ${rows.join(', ')}
     ON CONFLICT (fixmedins_code, medins_list_codg) DO UPDATE SET
       medins_list_name = EXCLUDED.medins_list_name, med_list_codg = EXCLUDED.med_list_codg,
       list_type = EXCLUDED.list_type, begndate = EXCLUDED.begndate, enddate = EXCLUDED.enddate,
       mapped_at = now()`,
    params,
  );
}

/** Revokes a mapping (3302); returns whether there was one. */
export async function deleteMapping(
  q: Queryable,
  fixmedinsCode: string,
  medinsListCodg: string,
  medListCodg: string,
): Promise<boolean> {
  const r = await q.query(
    `DELETE FROM catalogue_mapping
      WHERE fixmedins_code = $1 AND medins_list_codg = $2 AND med_list_codg = $3`,
    [fixmedinsCode, medinsListCodg, medListCodg],
  );
  return r.rowCount > 0;
}

/** The institution's mappings of these own codes. */
export async function mappingsOf(
  q: Queryable,
  fixmedinsCode: string,
  codes: readonly string[],
): Promise<Map<string, CatalogueMapping>> {
  const out = new Map<string, CatalogueMapping>();
  if (codes.length === 0) return out;
  const r = await q.query<MappingDbRow>(
    `SELECT ${MAPPING_COLS.join(', ')} FROM catalogue_mapping
      WHERE fixmedins_code = $1 AND medins_list_codg = ANY($2::text[])`,
    [fixmedinsCode, [...new Set(codes)]],
  );
  for (const row of r.rows) out.set(row.medins_list_codg, toMapping(row));
  return out;
}

export async function listMappings(
  q: Queryable,
  fixmedinsCode: string,
  limit: number,
  offset: number,
): Promise<{ total: number; mappings: CatalogueMapping[] }> {
  const total = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM catalogue_mapping WHERE fixmedins_code = $1',
    [fixmedinsCode],
  );
  const r = await q.query<MappingDbRow>(
    `SELECT ${MAPPING_COLS.join(', ')} FROM catalogue_mapping WHERE fixmedins_code = $1
      ORDER BY medins_list_codg LIMIT ${limit} OFFSET ${offset}`,
    [fixmedinsCode],
  );
  return { total: total.rows[0]?.n ?? 0, mappings: r.rows.map(toMapping) };
}

export interface Institution {
  fixmedinsCode: string;
  fixmedinsName: string;
  hospLv: 1 | 2 | 3;
  admdvs: string;
}

export async function upsertInstitution(q: Queryable, i: Institution): Promise<void> {
  await q.query(
    `INSERT INTO gateway_institution (fixmedins_code, fixmedins_name, hosp_lv, admdvs)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (fixmedins_code) DO UPDATE SET fixmedins_name = EXCLUDED.fixmedins_name,
       hosp_lv = EXCLUDED.hosp_lv, admdvs = EXCLUDED.admdvs`,
    [i.fixmedinsCode, i.fixmedinsName, i.hospLv, i.admdvs],
  );
}
