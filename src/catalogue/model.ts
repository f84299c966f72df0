/**
 * The insurance catalogue (医保目录): drugs, medical services and consumables keyed by the national
 * code (`med_list_codg`), with their class, self-pay-first ratio, price ceiling and validity, and
 * each institution's own item codes mapped onto them (目录对照). Money fen, ratios basis points.
 */
import type { Fen } from '../kernel/money.ts';
import type { Bp } from '../kernel/ratio.ts';
import type { IsoDate } from '../kernel/period.ts';
import type { LineClass } from '../kernel/line-class.ts';

export const LIST_TYPES = ['drug', 'service', 'consumable'] as const;
export type ListType = (typeof LIST_TYPES)[number];

export const LIST_TYPE_LABELS: Record<ListType, string> = {
  drug: '药品',
  service: '医疗服务项目',
  consumable: '医用耗材',
};

/** 收费项目等级 chrgitm_lv: 01 甲类, 02 乙类, 03 丙类. */
export const CHRGITM_LVS = ['01', '02', '03'] as const;
export type ChrgitmLv = (typeof CHRGITM_LVS)[number];

export const CHRGITM_LV_LABELS: Record<ChrgitmLv, string> = {
  '01': '甲类',
  '02': '乙类',
  '03': '丙类',
};

const CLASS_OF: Record<ChrgitmLv, LineClass> = { '01': 'A', '02': 'B', '03': 'C' };

/** The bill-line class (docs/settlement.md §2) of a catalogue level. */
export const classOf = (lv: ChrgitmLv): LineClass => CLASS_OF[lv];

export interface CatalogueItem {
  medListCodg: string;
  name: string;
  listType: ListType;
  chrgitmLv: ChrgitmLv;
  /** 先行自付比例: class B only; 0 for A, ignored for C (all of it is own pay). */
  selfpayProp: Bp;
  /** 最高限价 per unit, fen; null: no ceiling. */
  pricUplmtAmt: Fen | null;
  /** 医疗收费项目类别, e.g. 09 西药费 (kept as given). */
  medChrgitmType: string | null;
  spec: string | null;
  dosform: string | null;
  prcunt: string | null;
  begndate: IsoDate;
  enddate: IsoDate | null;
  /**
   * 两病用药: on the two-diseases drug list (antihypertensive and hypoglycaemic drugs); a
   * two-diseases bill pays only these (docs/chronic.md §3).
   */
  twoDiseases: boolean;
}

export interface CatalogueMapping {
  fixmedinsCode: string;
  medinsListCodg: string;
  medinsListName: string;
  medListCodg: string;
  listType: ListType;
  begndate: IsoDate;
  enddate: IsoDate | null;
}

/** Does the item's validity hold on `date` (both ends inclusive)? */
export const validOn = (v: { begndate: IsoDate; enddate: IsoDate | null }, date: IsoDate) =>
  v.begndate <= date && (v.enddate === null || date <= v.enddate);

/** A quantity with at most four decimals, as an integer count of 1/10,000 units. */
export type Quantity = number;
export const QUANTITY_SCALE = 10_000;
