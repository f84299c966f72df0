/**
 * Classing a fee line by the catalogue (pure): which class the line is, what the price ceiling
 * leaves over (超限价), what the self-pay-first ratio takes first (先行自付) and what is in scope.
 * The line's split is exactly what the settlement calculator will make of the same bill line
 * (`classifyLines`), so the per-line answer of 2204/2301 adds up to the settlement's split.
 */
import type { Fen } from '../kernel/money.ts';
import { applyRatio } from '../kernel/ratio.ts';
import { classifyLines, type BillLine, type BillSplit } from './bill.ts';
import { classOf, type CatalogueItem, type Quantity } from '../catalogue/index.ts';

export interface ClassedFee {
  line: BillLine;
  split: BillSplit;
}

/**
 * What the ceiling allows for `cnt` units: R(cnt × ceiling), half up. The quantity is scaled by
 * 10,000 like a ratio in basis points, so `applyRatio` computes it exactly.
 */
export const allowedAmount = (ceiling: Fen, cnt: Quantity): Fen => applyRatio(ceiling, cnt);

export function classFee(item: CatalogueItem, amount: Fen, cnt: Quantity): ClassedFee {
  const cls = classOf(item.chrgitmLv);
  const line: BillLine = { amount, class: cls };
  if (cls !== 'C' && item.pricUplmtAmt !== null) {
    const over = Math.max(0, amount - allowedAmount(item.pricUplmtAmt, cnt));
    if (over > 0) line.overLimit = over;
  }
  if (cls === 'B') line.selfPayRatio = item.selfpayProp;
  return { line, split: classifyLines([line]) };
}
