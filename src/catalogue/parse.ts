/**
 * Field parsers of the catalogue (import rows and gateway messages): class labels, list types,
 * ratios, quantities and national dates. Each throws an error naming the field.
 */
import { invalid } from '../kernel/errors.ts';
import { parseYuan, type Fen } from '../kernel/money.ts';
import type { Bp } from '../kernel/ratio.ts';
import { QUANTITY_SCALE, type Quantity } from './model.ts';
import type { ChrgitmLv, ListType } from './model.ts';

const LV_WORDS: Record<string, ChrgitmLv> = {
  '01': '01',
  '1': '01',
  甲: '01',
  甲类: '01',
  a: '01',
  '02': '02',
  '2': '02',
  乙: '02',
  乙类: '02',
  b: '02',
  '03': '03',
  '3': '03',
  丙: '03',
  丙类: '03',
  c: '03',
};

export function parseChrgitmLv(text: string, field: string): ChrgitmLv {
  const lv = LV_WORDS[text.trim().toLowerCase()];
  if (lv) return lv;
  throw invalid(
    'catalogue.chrgitm_lv',
    field,
    `${field} 应为 甲类/乙类/丙类（01/02/03）：${text}`,
    `${field} must be 甲类/乙类/丙类 (01/02/03): ${text}`,
  );
}

const LIST_TYPE_WORDS: Record<string, ListType> = {
  drug: 'drug',
  药品: 'drug',
  西药: 'drug',
  中成药: 'drug',
  西药中成药: 'drug',
  '101': 'drug',
  '102': 'drug',
  service: 'service',
  医疗服务: 'service',
  医疗服务项目: 'service',
  诊疗项目: 'service',
  '201': 'service',
  consumable: 'consumable',
  耗材: 'consumable',
  医用耗材: 'consumable',
  '301': 'consumable',
};

export function parseListType(text: string, field: string): ListType {
  const t = LIST_TYPE_WORDS[text.trim().toLowerCase()];
  if (t) return t;
  throw invalid(
    'catalogue.list_type',
    field,
    `${field} 应为 药品/医疗服务项目/医用耗材：${text}`,
    `${field} must be drug, service or consumable: ${text}`,
  );
}

/** A ratio as a fraction (0.1) or a percentage (10%), to basis points in [0, 10,000]. */
export function parseRatio(text: string, field: string): Bp {
  const t = text.trim();
  const pct = /^(\d{1,3}(?:\.\d{1,2})?)\s*[%％]$/.exec(t);
  const frac = /^(0(?:\.\d{1,4})?|1(?:\.0{1,4})?|\.\d{1,4})$/.exec(t);
  const bp = pct ? Math.round(Number(pct[1]) * 100) : frac ? Math.round(Number(t) * 10_000) : NaN;
  if (Number.isInteger(bp) && bp >= 0 && bp <= 10_000) return bp;
  throw invalid(
    'catalogue.ratio',
    field,
    `${field} 应为 0 到 1 之间的小数或百分比（如 0.1 或 10%）：${text}`,
    `${field} must be a fraction between 0 and 1 or a percentage (0.1 or 10%): ${text}`,
  );
}

/** A positive quantity with at most four decimals, scaled by 10,000. */
export function parseQuantity(v: unknown, field: string): Quantity {
  const t = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  const m = /^(\d{1,9})(?:\.(\d{1,4}))?$/.exec(t);
  const q = m ? Number(m[1]) * QUANTITY_SCALE + Number((m[2] ?? '').padEnd(4, '0')) : 0;
  if (q > 0) return q;
  throw invalid(
    'catalogue.quantity',
    field,
    `${field} 应为正数（最多四位小数）：${String(v)}`,
    `${field} must be a positive number with at most four decimals: ${String(v)}`,
  );
}

/** A price ceiling in yuan (two decimals), or null when the cell is empty. */
export function parseCeiling(text: string | null, field: string): Fen | null {
  if (text === null || text.trim() === '') return null;
  return parseYuan(text, field);
}
