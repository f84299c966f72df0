/**
 * The verifier's replay (accumulator-replay.ts): any sequence of settlements and cancellations,
 * computed as the settlement service computes them, adds up to the accumulators the service kept;
 * and a changed quantity is named.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyAccumulators, subtractDelta, type Accumulators } from './accumulators.ts';
import { calculate } from './calculate.ts';
import { accumulatorDifferences, negatedDelta, replayAccumulators } from './accumulator-replay.ts';
import { billArb, paramsArb } from './testing/arbitraries.ts';

/** Each step settles a bill, or cancels the n-th settlement not yet cancelled (if any). */
const stepsArb = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ settle: billArb, params: paramsArb }) },
    { weight: 1, arbitrary: fc.record({ cancel: fc.nat() }) },
  ),
  { minLength: 1, maxLength: 15 },
);

describe('accumulator replay', () => {
  it('adds any sequence of settlements and cancels up to what the service kept', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        let acc = emptyAccumulators(2022);
        const written: Accumulators[] = [];
        const open: Accumulators[] = [];
        for (const step of steps) {
          if ('settle' in step) {
            const s = calculate(step.params, step.settle, acc);
            acc = s.next;
            written.push(s.delta);
            open.push(s.delta);
          } else if (open.length > 0) {
            const [original] = open.splice(step.cancel % open.length, 1);
            acc = subtractDelta(acc, original!);
            written.push(negatedDelta(original!));
          }
        }
        const replayed = replayAccumulators(2022, written);
        expect(replayed).toEqual({ ok: true, acc });
        // As stored: JSON, whatever the key order.
        expect(accumulatorDifferences(acc, JSON.parse(JSON.stringify(acc)))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('names each quantity that differs, an absent cap entry counting as zero', () => {
    const d = emptyAccumulators(2022);
    d.tiers.basic_insurance = { base: 40_000, paid: 30_000 };
    d.basicCapPaid = { outpatient_chronic: 30_000 };
    d.oopTotal = 10_000;
    const r = replayAccumulators(2022, [d]);
    if (!r.ok) throw new Error('replay failed');
    const zeroed = { ...r.acc, basicCapPaid: {} };
    expect(accumulatorDifferences(r.acc, zeroed)).toEqual([
      { field: 'basicCapPaid.outpatient_chronic', expected: 30_000, stored: null },
    ]);
    const paid = structuredClone(r.acc);
    paid.tiers.basic_insurance.paid += 500;
    expect(accumulatorDifferences(r.acc, paid).map((x) => x.field)).toEqual([
      'tiers.basic_insurance.paid',
    ]);
    expect(accumulatorDifferences(r.acc, null).length).toBeGreaterThan(5);
  });

  it('reports a cancellation that subtracts more than was added', () => {
    const d = emptyAccumulators(2022);
    d.oopTotal = 100;
    expect(replayAccumulators(2022, [negatedDelta(d)])).toEqual({ ok: false, field: 'oopTotal' });
  });
});
