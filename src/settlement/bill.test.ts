import { describe, expect, it } from 'vitest';
import { classifyLines } from './bill.ts';

describe('classifyLines (docs/settlement.md §2)', () => {
  it('splits the §6 example: A in scope, B 10 % pre self pay, C own pay', () => {
    expect(
      classifyLines([
        { amount: 1_200_000, class: 'A' },
        { amount: 300_000, class: 'B' },
        { amount: 50_000, class: 'C' },
      ]),
    ).toEqual({
      medfee: 1_550_000,
      ownPay: 50_000,
      overLimit: 0,
      preSelfPay: 30_000,
      inScope: 1_470_000,
    });
  });

  it('takes over-limit off A and B before anything else', () => {
    const s = classifyLines([
      { amount: 10_000, class: 'A', overLimit: 2_000 },
      { amount: 10_000, class: 'B', overLimit: 4_000, selfPayRatio: 2_000 },
    ]);
    // B: (10,000 − 4,000) × 20 % = 1,200 pre self pay, 4,800 in scope.
    expect(s).toEqual({
      medfee: 20_000,
      ownPay: 0,
      overLimit: 6_000,
      preSelfPay: 1_200,
      inScope: 12_800,
    });
  });

  it('a C line is own pay whole, whatever it carries', () => {
    expect(classifyLines([{ amount: 777, class: 'C' }]).ownPay).toBe(777);
  });

  it('rounds pre self pay per line, half up', () => {
    // 5 fen × 10 % = 0.5 fen → 1 fen on each line; rounding once per bill would give 1, not 2.
    const s = classifyLines([
      { amount: 5, class: 'B' },
      { amount: 5, class: 'B' },
    ]);
    expect(s.preSelfPay).toBe(2);
    expect(s.inScope).toBe(8);
    // 4 fen × 10 % = 0.4 → 0.
    expect(classifyLines([{ amount: 4, class: 'B' }]).preSelfPay).toBe(0);
  });

  it('a selfPayRatio of 0 on a B line means no pre self pay (not the default)', () => {
    expect(classifyLines([{ amount: 1_000, class: 'B', selfPayRatio: 0 }]).inScope).toBe(1_000);
  });

  it('keeps medfee equal to the sum of its parts for an empty bill', () => {
    expect(classifyLines([])).toEqual({
      medfee: 0,
      ownPay: 0,
      overLimit: 0,
      preSelfPay: 0,
      inScope: 0,
    });
  });
});
