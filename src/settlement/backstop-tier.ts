/**
 * Tier 5, the fiscal backstop (财政兜底, docs/settlement.md §3.5): the rest of the in-scope amount ×
 * its ratio, limited by the room left in its cap group, paid from a programme's budget. The
 * programme is named in the facts so the settle service can charge that budget (spending past
 * the budget is allowed and flagged there, not here).
 */
import type { Fen } from '../kernel/money.ts';
import { applyRatio } from '../kernel/ratio.ts';
import type { BackstopParams } from '../policy/index.ts';
import { entry, type Accumulators } from './accumulators.ts';
import { limitBy, roomLeft } from './caps.ts';
import { unpaid, type TierFacts } from './explain.ts';

export function backstopTier(p: BackstopParams | null, rest: Fen, acc: Accumulators): TierFacts {
  if (p === null) return unpaid('backstop', false, rest, null);
  const room = roomLeft(p.cap.value, entry(acc.backstopCapPaid, p.capGroup));
  const uncapped = Math.min(applyRatio(rest, p.ratio.value), rest);
  const amount = limitBy(uncapped, room);
  return {
    tier: 'backstop',
    // The backstop has no deductible, so its base only records what it was asked to cover.
    counts: true,
    entitled: true,
    base: rest,
    cumulativeBefore: null,
    deductibleScope: 'none',
    deductible: null,
    deductibleLeft: null,
    deductibleApplied: 0,
    ratios: [{ from: null, to: null, ratio: p.ratio.value, base: rest }],
    caps: [{ group: p.capGroup, cap: p.cap.value, roomBefore: room, provenance: p.cap.provenance }],
    amount,
    capped: amount < uncapped,
    programme: p.programme,
    provenance: { deductible: [], ratio: p.ratio.provenance },
  };
}
