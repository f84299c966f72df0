/**
 * The bill (结算单据) as the settlement engine sees it, and the split of its lines into own pay,
 * over limit, pre self pay and in scope (docs/settlement.md §2). Amounts are integer fen; the edges
 * (trial JSON, national messages) convert yuan before building a `Bill`.
 */
import type { Fen } from '../kernel/money.ts';
import type { IsoDate } from '../kernel/period.ts';
import { applyRatio, type Bp } from '../kernel/ratio.ts';
import type { HospitalLevel, Remote, VisitType } from '../policy/index.ts';
import { assertNever } from './never.ts';
import { DEFAULT_SELF_PAY_RATIO, LINE_CLASSES, type LineClass } from '../kernel/line-class.ts';

export { LINE_CLASSES, DEFAULT_SELF_PAY_RATIO, type LineClass };

export interface BillLine {
  amount: Fen;
  class: LineClass;
  /** The part above the price limit (超限价), paid by the person. */
  overLimit?: Fen;
  /** Class B only: the pre-self-pay share (先行自付比例) of what is left after `overLimit`. */
  selfPayRatio?: Bp;
  /** Days the prescription covers; a two-diseases line covers at most 60 (docs/chronic.md §3). */
  days?: number;
  /**
   * The national catalogue code (med_list_codg) of the item, where the caller knows it (the
   * persistent path, the gateway): a two-diseases bill pays only items of the two-diseases drug list.
   */
  itemCode?: string;
}

export interface Bill {
  /** Discharge or settlement date: it decides the medical year and which flags apply. */
  date: IsoDate;
  visitType: VisitType;
  hospitalLevel: HospitalLevel;
  /** ICD-10 code of the primary diagnosis. */
  diagnosis: string;
  remote: Remote;
  lines: BillLine[];
}

/** The four parts of a bill (national field names in the comments). */
export interface BillSplit {
  /** medfee_sumamt */
  medfee: Fen;
  /** fulamt_ownpay_amt 全自费 */
  ownPay: Fen;
  /** overlmt_selfpay 超限价自费 */
  overLimit: Fen;
  /** preselfpay_amt 先行自付 */
  preSelfPay: Fen;
  /** inscp_scp_amt 政策范围内 */
  inScope: Fen;
}

/**
 * Splits the lines. Pre self pay is rounded per line, as §2 writes it
 * (`pre = R((amount - overLimit) * selfPayRatio)` for each class B line), not once per bill.
 */
export function classifyLines(lines: readonly BillLine[]): BillSplit {
  let ownPay = 0;
  let overLimit = 0;
  let preSelfPay = 0;
  let inScope = 0;
  for (const line of lines) {
    switch (line.class) {
      case 'C':
        ownPay += line.amount;
        break;
      case 'A': {
        const over = line.overLimit ?? 0;
        overLimit += over;
        inScope += line.amount - over;
        break;
      }
      case 'B': {
        const over = line.overLimit ?? 0;
        const rest = line.amount - over;
        const pre = applyRatio(rest, line.selfPayRatio ?? DEFAULT_SELF_PAY_RATIO);
        overLimit += over;
        preSelfPay += pre;
        inScope += rest - pre;
        break;
      }
      default:
        assertNever(line.class, 'line class');
    }
  }
  return {
    medfee: ownPay + overLimit + preSelfPay + inScope,
    ownPay,
    overLimit,
    preSelfPay,
    inScope,
  };
}
