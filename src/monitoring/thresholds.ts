/**
 * The two monitoring thresholds of a policy pack (docs/settlement.md §5, seed 003 sixth measure), as
 * lines in fen. Pure: the pack's pack-wide parameters in, the lines out.
 *
 * - `inscope`: people holding one of `monitoring.inscope_categories` (低保边缘, 监测对象) whose
 *   in-scope burden after basic and critical-illness insurance (`oop_inscope`) exceeds
 *   `inscope_share` of last year's provincial per-capita disposable income.
 * - `total`: anyone whose total burden after those two insurances (`oop_total`) exceeds
 *   `total_share` of it.
 *
 * "Exceeds" is strict: a burden exactly at the line does not warn; one fen above does.
 */
import type { Fen } from '../kernel/money.ts';
import { applyRatio, type Bp } from '../kernel/ratio.ts';
import type { Category, PackWideParams } from '../policy/index.ts';

export const THRESHOLDS = ['inscope', 'total'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

export const THRESHOLD_LABELS: Record<Threshold, { zh: string; en: string }> = {
  inscope: {
    zh: '政策范围内个人负担超线（低保边缘、监测对象）',
    en: 'in-scope burden over the line (low-income marginal, monitored)',
  },
  total: { zh: '个人负担总额超线', en: 'total burden over the line' },
};

/** One county's monitoring rule for a month, as a run applies it. */
export interface MonitoringRule {
  /** County code (6 digits) the pack belongs to; people match by the prefix of their village. */
  county: string;
  pack: string;
  perCapitaIncome: Fen;
  inscopeShare: Bp;
  totalShare: Bp;
  inscopeLine: Fen;
  totalLine: Fen;
  inscopeCategories: Category[];
}

export function ruleOf(wide: PackWideParams): MonitoringRule {
  const income = wide.perCapitaIncome.value;
  const inscopeShare = wide.monitoring.inscopeShare.value;
  const totalShare = wide.monitoring.totalShare.value;
  return {
    county: wide.region,
    pack: wide.pack,
    perCapitaIncome: income,
    inscopeShare,
    totalShare,
    inscopeLine: applyRatio(income, inscopeShare),
    totalLine: applyRatio(income, totalShare),
    inscopeCategories: [...wide.monitoring.inscopeCategories].sort(),
  };
}

/** The strict comparison every threshold uses (SQL says `>` in the same places). */
export const exceeds = (amount: Fen, line: Fen): boolean => amount > line;

/** The share of a line a burden has reached, in basis points (8,000 = 80 %). */
export const shareOfLine = (amount: Fen, line: Fen): Bp =>
  line <= 0 ? 0 : Math.floor((amount * 10_000) / line);

/** The watch list holds people above this share of a line who have not crossed it. */
export const WATCH_SHARE: Bp = 8_000;

/** The burden a threshold reads from an accumulator row. */
export const burdenOf = (threshold: Threshold, acc: { oopInscope: Fen; oopTotal: Fen }): Fen => {
  switch (threshold) {
    case 'inscope':
      return acc.oopInscope;
    case 'total':
      return acc.oopTotal;
    default: {
      const never: never = threshold;
      throw new Error(`unknown threshold ${String(never)}`);
    }
  }
};
