/**
 * Year-to-date accumulators (年度累计) of one person for one medical year (docs/settlement.md §3).
 * A plain, JSON-serialisable object so the settle service can store it as JSONB or columns.
 *
 * A settlement's `delta` has the same shape and holds what that settlement added. Cancelling a
 * settlement (冲销) subtracts its delta exactly; later settlements are not re-computed.
 *
 * Canonical form: the maps never hold a zero entry (absent means 0). `applyDelta` skips zeros and
 * `subtractDelta` removes keys that fall back to 0, so apply-then-subtract gives back an object
 * that is deeply equal to the one before, which is what stored state is compared with.
 *
 * Accumulators are values: never mutate one. `applyDelta` and `subtractDelta` return a new object
 * that shares the parts the delta leaves unchanged with the old one (a bill touches few of them,
 * and copying the rest would cost more than the calculation).
 */
import { conflict } from '../kernel/errors.ts';
import type { Fen } from '../kernel/money.ts';
import type { Tier } from '../policy/index.ts';

export interface TierTotals {
  /** The tier's cumulative base: what bills counted toward it (its deductible is measured here). */
  base: Fen;
  /** What the tier paid. */
  paid: Fen;
}

export interface Accumulators {
  /** The medical year: calendar year of the bill dates. */
  year: number;
  tiers: Record<Tier, TierTotals>;
  /** Annual deductible used so far, per `BasicParams.deductibleKey`. */
  deductibleUsed: Record<string, Fen>;
  /** Paid so far per basic insurance cap group (nested caps). */
  basicCapPaid: Record<string, Fen>;
  /** Paid so far per backstop cap group (e.g. `backstop_chronic`). */
  backstopCapPaid: Record<string, Fen>;
  /** `oop_inscope` = Σ(inscope − hifp − hifmi), read by monitoring. */
  oopInscope: Fen;
  /** `oop_total` = Σ(medfee − hifp − hifmi), read by monitoring. */
  oopTotal: Fen;
}

/** What one settlement added to every accumulator. */
export type AccumulatorDelta = Accumulators;

const emptyTiers = (): Record<Tier, TierTotals> => ({
  basic_insurance: { base: 0, paid: 0 },
  critical_illness: { base: 0, paid: 0 },
  assistance: { base: 0, paid: 0 },
  re_assistance: { base: 0, paid: 0 },
  backstop: { base: 0, paid: 0 },
});

export function emptyAccumulators(year: number): Accumulators {
  return {
    year,
    tiers: emptyTiers(),
    deductibleUsed: {},
    basicCapPaid: {},
    backstopCapPaid: {},
    oopInscope: 0,
    oopTotal: 0,
  };
}

/** Reads a map entry; absent keys are 0. */
export const entry = (map: Readonly<Record<string, Fen>>, key: string): Fen => map[key] ?? 0;

export function applyDelta(acc: Accumulators, delta: AccumulatorDelta): Accumulators {
  return combine(acc, delta, 1);
}

export function subtractDelta(acc: Accumulators, delta: AccumulatorDelta): Accumulators {
  return combine(acc, delta, -1);
}

function combine(acc: Accumulators, delta: AccumulatorDelta, sign: 1 | -1): Accumulators {
  if (acc.year !== delta.year) {
    throw conflict(
      'settlement.accumulator_year',
      'year',
      `累计年度不符：${acc.year} 与 ${delta.year}`,
      `accumulator year ${acc.year} does not match the settlement's year ${delta.year}`,
    );
  }
  const t = acc.tiers;
  const d = delta.tiers;
  return {
    year: acc.year,
    tiers: {
      basic_insurance: combineTier(t.basic_insurance, d.basic_insurance, sign, 'basic_insurance'),
      critical_illness: combineTier(
        t.critical_illness,
        d.critical_illness,
        sign,
        'critical_illness',
      ),
      assistance: combineTier(t.assistance, d.assistance, sign, 'assistance'),
      re_assistance: combineTier(t.re_assistance, d.re_assistance, sign, 're_assistance'),
      backstop: combineTier(t.backstop, d.backstop, sign, 'backstop'),
    },
    deductibleUsed: combineMap(acc.deductibleUsed, delta.deductibleUsed, sign, 'deductibleUsed'),
    basicCapPaid: combineMap(acc.basicCapPaid, delta.basicCapPaid, sign, 'basicCapPaid'),
    backstopCapPaid: combineMap(
      acc.backstopCapPaid,
      delta.backstopCapPaid,
      sign,
      'backstopCapPaid',
    ),
    oopInscope: sum(acc.oopInscope, delta.oopInscope, sign, 'oopInscope'),
    oopTotal: sum(acc.oopTotal, delta.oopTotal, sign, 'oopTotal'),
  };
}

/** An unchanged part is shared, not copied (accumulators are values; see the file comment). */
function combineTier(a: TierTotals, d: TierTotals, sign: 1 | -1, tier: Tier): TierTotals {
  if (d.base === 0 && d.paid === 0) return a;
  return {
    base: sum(a.base, d.base, sign, `tiers.${tier}.base`),
    paid: sum(a.paid, d.paid, sign, `tiers.${tier}.paid`),
  };
}

function combineMap(
  acc: Readonly<Record<string, Fen>>,
  delta: Readonly<Record<string, Fen>>,
  sign: 1 | -1,
  field: string,
): Record<string, Fen> {
  let out: Record<string, Fen> | null = null;
  for (const key in delta) {
    const d = delta[key] ?? 0;
    if (d === 0) continue;
    out ??= { ...acc };
    const v = sum(out[key] ?? 0, d, sign, `${field}.${key}`);
    if (v === 0) delete out[key];
    else out[key] = v;
  }
  return out ?? acc;
}

/**
 * An accumulator never goes below zero: subtracting more than is there means the delta was never
 * applied to this state (a cancellation against the wrong person or year), which must not pass.
 */
function sum(a: Fen, d: Fen, sign: 1 | -1, field: string): Fen {
  const v = a + sign * d;
  if (v < 0) {
    throw conflict(
      'settlement.accumulator_negative',
      field,
      `冲销后累计值为负（${field}）：该结算未计入此累计`,
      `cancelling would make ${field} negative: the settlement was not applied to these accumulators`,
    );
  }
  return v;
}
