/**
 * Tier 1, basic medical insurance (基本医保统筹, `hifp_pay`), docs/settlement.md §3.1:
 * `ded = min(deductible_left, inscope)`, `hifp = min(R((inscope − ded) × ratio), cap_left)`,
 * where cap_left is the smallest room left over every cap group the visit belongs to.
 */
import type { Fen } from '../kernel/money.ts';
import { applyRatio } from '../kernel/ratio.ts';
import type { BasicParams } from '../policy/index.ts';
import { entry, type Accumulators } from './accumulators.ts';
import { limitBy, roomLeft } from './caps.ts';
import type { ExplainCap, TierFacts } from './explain.ts';

export interface BasicOutcome {
  facts: TierFacts;
  /** The annual-deductible key charged with `facts.deductibleApplied`; null per admission. */
  deductibleKey: string | null;
}

export function basicTier(
  p: BasicParams,
  inScope: Fen,
  acc: Accumulators,
  fallbackKey: string,
): BasicOutcome {
  const deductible = p.deductible.value;
  // Per admission the whole deductible applies again; an annual one is what is still unmet.
  // An annual deductible without a key is kept under the visit type, so it is never lost.
  const deductibleKey = p.deductibleScope === 'annual' ? (p.deductibleKey ?? fallbackKey) : null;
  const deductibleLeft =
    deductibleKey === null
      ? deductible
      : Math.max(0, deductible - entry(acc.deductibleUsed, deductibleKey));
  const applied = Math.min(deductibleLeft, inScope);
  const rest = inScope - applied;

  const caps: ExplainCap[] = [];
  let room: Fen | null = null;
  for (const g of p.capGroups) {
    const r = roomLeft(g.cap.value, entry(acc.basicCapPaid, g.group));
    caps.push({ group: g.group, cap: g.cap.value, roomBefore: r, provenance: g.cap.provenance });
    if (r !== null && (room === null || r < room)) room = r;
  }
  // min(…, rest) guards against a pack ratio above 100 %: a fund never pays more than its base.
  const uncapped = Math.min(applyRatio(rest, p.ratio.value), rest);
  const amount = limitBy(uncapped, room);

  return {
    deductibleKey,
    facts: {
      tier: 'basic_insurance',
      counts: true,
      entitled: true,
      base: inScope,
      cumulativeBefore: null,
      deductibleScope: p.deductibleScope,
      deductible,
      deductibleLeft,
      deductibleApplied: applied,
      ratios: [{ from: null, to: null, ratio: p.ratio.value, base: rest }],
      caps,
      amount,
      capped: amount < uncapped,
      programme: null,
      provenance: { deductible: p.deductible.provenance, ratio: p.ratio.provenance },
    },
  };
}
