/**
 * What a person-year's accumulators must be, from its settlements (audit verify): the sum of
 * every settlement's and cancellation's delta in the order they were written, from empty. A
 * cancellation's delta is the original's negated, so adding it is the service's subtraction.
 *
 * Pure: the verifier reads the rows, this adds them up and names what differs.
 */
import { applyDelta, emptyAccumulators, type Accumulators } from './accumulators.ts';
import { TIERS } from '../policy/index.ts';

/** The accumulators `deltas` add up to, or the quantity that would go below zero. */
export function replayAccumulators(
  year: number,
  deltas: Iterable<Accumulators>,
): { ok: true; acc: Accumulators } | { ok: false; field: string } {
  let acc = emptyAccumulators(year);
  for (const d of deltas) {
    try {
      acc = applyDelta(acc, d);
    } catch (e) {
      const field = (e as { field?: unknown }).field;
      return { ok: false, field: typeof field === 'string' ? field : 'year' };
    }
  }
  return { ok: true, acc };
}

/**
 * The quantities in which `stored` differs from `expected`, as paths (`tiers.backstop.paid`,
 * `basicCapPaid.basic_annual`, `oopTotal`), each with both values. An absent map entry is 0.
 */
export function accumulatorDifferences(
  expected: Accumulators,
  stored: unknown,
): { field: string; expected: number; stored: unknown }[] {
  const out: { field: string; expected: number; stored: unknown }[] = [];
  const s = (typeof stored === 'object' && stored !== null ? stored : {}) as Partial<
    Record<keyof Accumulators, unknown>
  >;
  const at = (v: unknown, key: string): unknown =>
    typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  const check = (field: string, want: number, got: unknown, absentIsZero: boolean) => {
    const value = got === undefined && absentIsZero ? 0 : got;
    if (value !== want) out.push({ field, expected: want, stored: got ?? null });
  };
  if (s.year !== expected.year)
    out.push({ field: 'year', expected: expected.year, stored: s.year ?? null });
  for (const t of TIERS) {
    check(`tiers.${t}.base`, expected.tiers[t].base, at(at(s.tiers, t), 'base'), false);
    check(`tiers.${t}.paid`, expected.tiers[t].paid, at(at(s.tiers, t), 'paid'), false);
  }
  for (const map of ['deductibleUsed', 'basicCapPaid', 'backstopCapPaid'] as const) {
    const got = s[map];
    const keys = new Set([
      ...Object.keys(expected[map]),
      ...(typeof got === 'object' && got !== null ? Object.keys(got) : []),
    ]);
    for (const k of [...keys].sort()) check(`${map}.${k}`, expected[map][k] ?? 0, at(got, k), true);
  }
  check('oopInscope', expected.oopInscope, s.oopInscope, false);
  check('oopTotal', expected.oopTotal, s.oopTotal, false);
  return out;
}

/** A cancellation's delta: every number of the original's negated (maps keep their keys). */
export function negatedDelta(d: Accumulators): Accumulators {
  const neg = (m: Record<string, number>) =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, -v]));
  return {
    year: d.year,
    tiers: Object.fromEntries(
      Object.entries(d.tiers).map(([t, v]) => [t, { base: -v.base, paid: -v.paid }]),
    ) as Accumulators['tiers'],
    deductibleUsed: neg(d.deductibleUsed),
    basicCapPaid: neg(d.basicCapPaid),
    backstopCapPaid: neg(d.backstopCapPaid),
    oopInscope: -d.oopInscope,
    oopTotal: -d.oopTotal,
  };
}
