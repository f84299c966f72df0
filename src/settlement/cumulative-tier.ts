/**
 * Tiers 2–4, critical illness (大病保险), assistance (医疗救助) and re-assistance (再救助), which share
 * one cumulative form (docs/settlement.md §3.2–3.4): with the year-to-date base `c` before this bill
 * and this bill's base `b`, the part of `(c, c+b]` above the annual deductible is split over the
 * brackets (measured above the deductible), each piece × its ratio is summed exactly and rounded
 * once, then limited by the annual cap left.
 *
 * How `c` advances: by the whole `b` of every bill whose visit type counts for the tier, whether
 * the tier paid all, part or nothing of it — under the deductible, with no entitling category
 * (`params` null) or with the cap used up. The base measures spending, not payment, so spending
 * earlier in the year counts toward the deductible once a category starts, and nothing is paid
 * retroactively. A bill whose visit type does not count neither advances `c` nor is paid, even if
 * a pack gave it parameters.
 */
import type { Fen } from '../kernel/money.ts';
import { roundBpSum } from '../kernel/ratio.ts';
import type { Tier, CumulativeTier } from '../policy/index.ts';
import type { TierTotals } from './accumulators.ts';
import { limitBy, roomLeft } from './caps.ts';
import { unpaid, type ExplainRatio, type TierFacts } from './explain.ts';

/** Largest numerator that can take the +5,000 of half-up rounding and stay an exact double. */
const SAFE_NUMERATOR = Number.MAX_SAFE_INTEGER - 5_000;

export function cumulativeTier(
  tier: Tier,
  t: CumulativeTier,
  base: Fen,
  ytd: TierTotals,
): TierFacts {
  const c = ytd.base;
  const p = t.counts ? t.params : null;
  if (p === null) return unpaid(tier, t.counts, base, c);

  const deductible = p.deductible.value;
  // Positions measured above the deductible: the bill covers (lo, hi] of them.
  const lo = Math.max(c, deductible) - deductible;
  const hi = Math.max(c + base, deductible) - deductible;
  const ratios: ExplainRatio[] = [];
  let numerator = 0;
  for (const br of p.brackets.value) {
    const top = br.to === null ? hi : Math.min(hi, br.to);
    const piece = Math.max(0, top - Math.max(lo, br.from));
    ratios.push({ from: br.from, to: br.to, ratio: br.ratio, base: piece });
    numerator += piece * br.ratio;
  }
  // Exactly summed in doubles while the total stays below 2^53 (every partial sum is smaller);
  // beyond that, BigInt redoes it. Real bills never get there, so the hot path stays on numbers.
  const rounded =
    numerator <= SAFE_NUMERATOR
      ? Math.floor((numerator + 5_000) / 10_000)
      : roundBpSum(ratios.reduce((s, r) => s + BigInt(r.base) * BigInt(r.ratio), 0n));

  const capValue = p.cap.value;
  const room = roomLeft(capValue, ytd.paid);
  // min(…, base) guards against a pack ratio above 100 %: a fund never pays more than its base.
  const uncapped = Math.min(rounded, base);
  const amount = limitBy(uncapped, room);
  return {
    tier,
    counts: true,
    entitled: true,
    base,
    cumulativeBefore: c,
    deductibleScope: 'cumulative',
    deductible,
    deductibleLeft: Math.max(0, deductible - c),
    deductibleApplied: base - (hi - lo),
    ratios,
    caps: [{ group: tier, cap: capValue, roomBefore: room, provenance: p.cap.provenance }],
    amount,
    capped: amount < uncapped,
    programme: null,
    provenance: {
      deductible: p.deductible.provenance,
      ratio: p.brackets.provenance,
    },
  };
}
