/**
 * Ratios are basis points: 1 % = 100 bp, 100 % = 10,000 bp. Applying a ratio to an amount of fen
 * is where rounding happens: R(x) rounds half up to a whole fen, once per tier per bill
 * (docs/settlement.md §1). Integer arithmetic only, so there is no floating-point drift.
 */
import type { Fen } from './money.ts';

export type Bp = number;

export const FULL: Bp = 10_000;

/** Percent (may have up to two decimals) to basis points: 62.5 → 6250. */
export const percent = (p: number): Bp => Math.round(p * 100);

/** Basis points as a percent string for people: 6250 → "62.5%". */
export function formatPercent(bp: Bp): string {
  return `${Number((bp / 100).toFixed(2))}%`;
}

/**
 * R(amount × bp / 10,000), half up, for a non-negative amount. Uses BigInt only when the product
 * could pass 2^53 (amounts above ~9 billion yuan × 100 %), so the common path stays fast.
 */
export function applyRatio(amount: Fen, bp: Bp): Fen {
  if (amount < 0 || bp < 0 || !Number.isInteger(amount) || !Number.isInteger(bp)) {
    throw new RangeError('applyRatio takes non-negative integer operands');
  }
  const product = amount * bp;
  if (Number.isSafeInteger(product)) {
    return Math.floor((product + 5_000) / 10_000);
  }
  return Number((BigInt(amount) * BigInt(bp) + 5_000n) / 10_000n);
}

/**
 * Rounds a sum of exact fractional fen, given as a numerator over 10,000, half up. Cumulative
 * tiers split a base over brackets; each piece × its ratio is summed exactly and rounded once.
 */
export function roundBpSum(numerator: bigint): Fen {
  if (numerator < 0n) throw new RangeError('roundBpSum takes a non-negative numerator');
  return Number((numerator + 5_000n) / 10_000n);
}

export const clampBp = (bp: Bp, min: Bp = 0, max: Bp = FULL): Bp =>
  Math.min(max, Math.max(min, bp));
