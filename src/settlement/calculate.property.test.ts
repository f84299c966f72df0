/**
 * Properties of the calculator over random parameters, bills and sequences (docs/settlement.md §3):
 * the money adds up, no tier pays more than its base or its cap, cancelling restores the
 * accumulators exactly, and cumulative tiers do not care about bill order beyond rounding.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fen } from '../kernel/money.ts';
import type { ResolvedParams } from '../policy/types.ts';
import {
  applyDelta,
  emptyAccumulators,
  entry,
  subtractDelta,
  type Accumulators,
} from './accumulators.ts';
import type { Bill } from './bill.ts';
import { calculate, type Settlement } from './calculate.ts';
import { cumulativeTier } from './cumulative-tier.ts';
import { basicArb, billArb, cumulativeParamsArb, paramsArb } from './testing/arbitraries.ts';
import { counted, params } from './testing/params.ts';

const RUNS = { numRuns: 300 };

/** A sequence of bills, each settled with one of a few parameter sets (categories change). */
const sequenceArb = fc
  .tuple(
    fc.array(paramsArb, { minLength: 1, maxLength: 3 }),
    fc.array(billArb, { minLength: 1, maxLength: 12 }),
  )
  .chain(([pool, bills]) =>
    fc.tuple(
      fc.constant(bills),
      fc.array(fc.constantFrom(...pool), { minLength: bills.length, maxLength: bills.length }),
    ),
  );

function settleAll(
  bills: Bill[],
  ps: ResolvedParams[],
): { steps: Settlement[]; accs: Accumulators[] } {
  let acc = emptyAccumulators(2022);
  const accs = [acc];
  const steps = bills.map((b, i) => {
    const s = calculate(ps[i] ?? params(), b, acc);
    acc = s.next;
    accs.push(acc);
    return s;
  });
  return { steps, accs };
}

describe('calculator properties', () => {
  it('medfee = fund_pay_sumamt + psn_part_amt, and every amount is a non-negative whole fen', () => {
    fc.assert(
      fc.property(sequenceArb, ([bills, ps]) => {
        for (const { amounts: a } of settleAll(bills, ps).steps) {
          expect(a.medfee_sumamt).toBe(a.fund_pay_sumamt + a.psn_part_amt);
          expect(a.fund_pay_sumamt).toBe(
            a.hifp_pay + a.hifmi_pay + a.maf_pay + a.reassist_pay + a.backstop_pay,
          );
          expect(a.medfee_sumamt).toBe(
            a.fulamt_ownpay_amt + a.overlmt_selfpay + a.preselfpay_amt + a.inscp_scp_amt,
          );
          expect(a.psn_cash_pay).toBe(a.psn_part_amt);
          for (const v of Object.values(a)) {
            expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('no tier pays more than its base, and the fund never more than in scope', () => {
    fc.assert(
      fc.property(sequenceArb, ([bills, ps]) => {
        for (const s of settleAll(bills, ps).steps) {
          const [basic, ...rest] = s.explain;
          expect(basic!.amount).toBeLessThanOrEqual(basic!.base - basic!.deductibleApplied);
          for (const e of rest) expect(e.amount).toBeLessThanOrEqual(e.base);
          expect(s.amounts.fund_pay_sumamt).toBeLessThanOrEqual(s.amounts.inscp_scp_amt);
        }
      }),
      RUNS,
    );
  });

  it('never pays past a cap or limit: what is accumulated stays within it', () => {
    fc.assert(
      fc.property(sequenceArb, ([bills, ps]) => {
        const { steps, accs } = settleAll(bills, ps);
        steps.forEach((s, i) => {
          const p = ps[i]!;
          const next = accs[i + 1]!;
          for (const g of p.basic.capGroups) {
            if (s.amounts.hifp_pay > 0)
              expect(entry(next.basicCapPaid, g.group)).toBeLessThanOrEqual(g.cap.value);
          }
          const tiers = [
            [p.criticalIllness, s.amounts.hifmi_pay, next.tiers.critical_illness.paid],
            [p.assistance, s.amounts.maf_pay, next.tiers.assistance.paid],
            [p.reAssistance, s.amounts.reassist_pay, next.tiers.re_assistance.paid],
          ] as const;
          for (const [t, paid, total] of tiers) {
            const capValue = t.params?.cap.value ?? null;
            if (paid > 0 && capValue !== null) expect(total).toBeLessThanOrEqual(capValue);
          }
          const b = p.backstop;
          if (b && b.cap.value !== null && s.amounts.backstop_pay > 0) {
            expect(entry(next.backstopCapPaid, b.capGroup)).toBeLessThanOrEqual(b.cap.value);
          }
        });
      }),
      RUNS,
    );
  });

  it('with fixed parameters, a cap is never exceeded over a whole year', () => {
    fc.assert(
      fc.property(paramsArb, fc.array(billArb, { minLength: 1, maxLength: 15 }), (p, bills) => {
        const { accs } = settleAll(
          bills,
          bills.map(() => p),
        );
        const last = accs[accs.length - 1]!;
        for (const g of p.basic.capGroups)
          expect(entry(last.basicCapPaid, g.group)).toBeLessThanOrEqual(g.cap.value);
        const ci = p.criticalIllness.params?.cap.value;
        if (ci != null) expect(last.tiers.critical_illness.paid).toBeLessThanOrEqual(ci);
        if (p.backstop?.cap.value != null) {
          expect(entry(last.backstopCapPaid, p.backstop.capGroup)).toBeLessThanOrEqual(
            p.backstop.cap.value,
          );
        }
      }),
      RUNS,
    );
  });

  it("subtracting a bill's delta restores the accumulators before it exactly", () => {
    fc.assert(
      fc.property(sequenceArb, ([bills, ps]) => {
        const { steps, accs } = settleAll(bills, ps);
        steps.forEach((s, i) => expect(subtractDelta(s.next, s.delta)).toEqual(accs[i]));
      }),
      RUNS,
    );
  });

  it('cancelling any one settlement leaves what the others added', () => {
    fc.assert(
      fc.property(sequenceArb, fc.nat(), ([bills, ps], pick) => {
        const { steps, accs } = settleAll(bills, ps);
        const k = pick % steps.length;
        const others = steps
          .filter((_, i) => i !== k)
          .reduce((acc, s) => applyDelta(acc, s.delta), emptyAccumulators(2022));
        expect(subtractDelta(accs[accs.length - 1]!, steps[k]!.delta)).toEqual(others);
      }),
      RUNS,
    );
  });

  it('a cumulative tier pays the same yearly total in any bill order, within one fen per bill', () => {
    const basesArb = fc.array(fc.integer({ min: 0, max: 3_000_000 }), {
      minLength: 1,
      maxLength: 15,
    });
    fc.assert(
      fc.property(
        cumulativeParamsArb,
        basesArb.chain((bs) =>
          fc.tuple(
            fc.constant(bs),
            fc.shuffledSubarray(bs, { minLength: bs.length, maxLength: bs.length }),
          ),
        ),
        (p, [bases, shuffled]) => {
          const total = (order: number[]): Fen => {
            let ytd = { base: 0, paid: 0 };
            for (const b of order) {
              const f = cumulativeTier('critical_illness', counted(p), b, ytd);
              ytd = { base: ytd.base + b, paid: ytd.paid + f.amount };
            }
            return ytd.paid;
          };
          expect(Math.abs(total(bases) - total(shuffled))).toBeLessThanOrEqual(bases.length);
        },
      ),
      RUNS,
    );
  });

  it('through the whole calculator, critical illness totals do not depend on order beyond a fen per bill', () => {
    // Per-admission deductible and no basic cap, so hifp of each bill does not depend on order.
    const fixed = fc.tuple(basicArb, cumulativeParamsArb).map(([b, ci]) =>
      params({
        basic: { ...b, deductibleScope: 'admission', deductibleKey: null, capGroups: [] },
        criticalIllness: counted(ci),
      }),
    );
    fc.assert(
      fc.property(
        fixed,
        fc
          .array(billArb, { minLength: 1, maxLength: 10 })
          .chain((bs) =>
            fc.tuple(
              fc.constant(bs),
              fc.shuffledSubarray(bs, { minLength: bs.length, maxLength: bs.length }),
            ),
          ),
        (p, [bills, shuffled]) => {
          const paid = (order: Bill[]) => {
            const { accs } = settleAll(
              order,
              order.map(() => p),
            );
            return accs[accs.length - 1]!.tiers;
          };
          const a = paid(bills);
          const b = paid(shuffled);
          expect(b.critical_illness.base).toBe(a.critical_illness.base);
          expect(Math.abs(a.critical_illness.paid - b.critical_illness.paid)).toBeLessThanOrEqual(
            bills.length,
          );
        },
      ),
      RUNS,
    );
  });
});
