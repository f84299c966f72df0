import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FULL, applyRatio, clampBp, formatPercent, percent, roundBpSum } from './ratio.ts';

const MAX = Number.MAX_SAFE_INTEGER;

/** R(amount × bp / 10,000) half up, computed exactly in BigInt: the oracle. */
const exactRatio = (amount: number, bp: number): number => {
  const product = BigInt(amount) * BigInt(bp);
  const q = product / 10_000n;
  const r = product % 10_000n;
  return Number(r * 2n >= 10_000n ? q + 1n : q);
};

describe('constants and conversions', () => {
  it('FULL is 100 % in basis points', () => {
    expect(FULL).toBe(10_000);
  });

  it.each([
    [0, 0],
    [1, 100],
    [62.5, 6250],
    [0.01, 1],
    [33.33, 3333],
    [57.45, 5745],
    [100, 10_000],
  ])('percent(%d) is %d bp', (p, bp) => {
    expect(percent(p)).toBe(bp);
  });

  it.each([
    [6250, '62.5%'],
    [10_000, '100%'],
    [0, '0%'],
    [3333, '33.33%'],
    [1, '0.01%'],
    [5000, '50%'],
  ])('formatPercent(%d) is %j', (bp, text) => {
    expect(formatPercent(bp)).toBe(text);
  });

  it('percent and formatPercent round-trip any two-decimal percent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (bp) => {
        expect(percent(bp / 100)).toBe(bp);
        expect(percent(parseFloat(formatPercent(bp)))).toBe(bp);
      }),
    );
  });
});

describe('applyRatio', () => {
  it.each([
    [1, 5000, 1], // 0.5 rounds up
    [3, 5000, 2], // 1.5 rounds up
    [5, 5000, 3], // 2.5 rounds up, not to even
    [1, 4999, 0], // 0.4999 rounds down
    [1, 5001, 1],
    [2, 2500, 1], // 0.5 exactly
    [7, 2143, 2], // 1.5001
    [10_000, 6250, 6250],
    [12_345, 8000, 9876],
    [0, 7000, 0],
    [123_456, 0, 0],
    [123_456, FULL, 123_456],
  ])('applyRatio(%d, %d) is %d', (amount, bp, expected) => {
    expect(applyRatio(amount, bp)).toBe(expected);
  });

  it('rounds every exact half up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), (k) => {
        // (2k + 1) × 5,000 / 10,000 = k + 0.5
        expect(applyRatio(2 * k + 1, 5000)).toBe(k + 1);
      }),
    );
  });

  it('matches exact arithmetic on the fast path', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e11 }), fc.integer({ min: 0, max: FULL }), (a, bp) => {
        expect(applyRatio(a, bp)).toBe(exactRatio(a, bp));
      }),
    );
  });

  it('matches exact arithmetic for large amounts (BigInt fallback path)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1e12, max: MAX }),
        fc.integer({ min: 1, max: FULL }),
        (a, bp) => {
          expect(applyRatio(a, bp)).toBe(exactRatio(a, bp));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('matches exact arithmetic at the boundary where the product leaves the safe range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: FULL }),
        fc.integer({ min: -20_000, max: 20_000 }),
        (bp, offset) => {
          const a = Math.max(0, Math.floor(MAX / bp) + offset);
          expect(applyRatio(a, bp)).toBe(exactRatio(a, bp));
        },
      ),
    );
  });

  it.each([
    [MAX, FULL, MAX],
    [MAX, 5000, 4_503_599_627_370_496], // MAX / 2 = …495.5, rounds up
    [MAX, 1, 900_719_925_474], // …474.0991
    [MAX - 1, 5000, 4_503_599_627_370_495],
  ])('applyRatio(%d, %d) is %d', (amount, bp, expected) => {
    expect(applyRatio(amount, bp)).toBe(expected);
    expect(exactRatio(amount, bp)).toBe(expected);
  });

  it('never exceeds the amount for bp ≤ 100 %, and is monotone in the amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX - 1 }),
        fc.integer({ min: 0, max: FULL }),
        (a, bp) => {
          expect(applyRatio(a, bp)).toBeLessThanOrEqual(a);
          expect(applyRatio(a + 1, bp)).toBeGreaterThanOrEqual(applyRatio(a, bp));
        },
      ),
    );
  });

  it('refuses negative operands', () => {
    expect(() => applyRatio(-1, 5000)).toThrow(RangeError);
    expect(() => applyRatio(100, -1)).toThrow(RangeError);
  });
});

describe('roundBpSum', () => {
  it.each([
    [0n, 0],
    [4_999n, 0],
    [5_000n, 1],
    [9_999n, 1],
    [10_000n, 1],
    [14_999n, 1],
    [15_000n, 2],
    [25_000n, 3],
  ])('roundBpSum(%s) is %d', (n, expected) => {
    expect(roundBpSum(n)).toBe(expected);
  });

  it('agrees with applyRatio on a single piece', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX }), fc.integer({ min: 0, max: FULL }), (a, bp) => {
        expect(roundBpSum(BigInt(a) * BigInt(bp))).toBe(applyRatio(a, bp));
      }),
    );
  });

  it('rounds a split base once, so it can differ from rounding each piece', () => {
    // 1 fen at 50 % plus 1 fen at 50 %: exact sum 1.0 fen; per-piece rounding would give 2.
    const pieces: [number, number][] = [
      [1, 5000],
      [1, 5000],
    ];
    const numerator = pieces.reduce((s, [a, bp]) => s + BigInt(a) * BigInt(bp), 0n);
    expect(roundBpSum(numerator)).toBe(1);
    expect(pieces.reduce((s, [a, bp]) => s + applyRatio(a, bp), 0)).toBe(2);
  });

  it('matches the half-up oracle for any numerator', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(MAX) * 10_000n }), (n) => {
        const q = n / 10_000n;
        const expected = n % 10_000n >= 5_000n ? q + 1n : q;
        expect(roundBpSum(n)).toBe(Number(expected));
      }),
    );
  });

  it('refuses a negative numerator', () => {
    expect(() => roundBpSum(-1n)).toThrow(RangeError);
  });
});

describe('clampBp', () => {
  it.each([
    [-5, 0],
    [0, 0],
    [6250, 6250],
    [10_000, 10_000],
    [12_000, 10_000],
  ])('clampBp(%d) is %d', (bp, expected) => {
    expect(clampBp(bp)).toBe(expected);
  });

  it('honours explicit bounds', () => {
    expect(clampBp(100, 500, 9000)).toBe(500);
    expect(clampBp(9500, 500, 9000)).toBe(9000);
    expect(clampBp(7000, 500, 9000)).toBe(7000);
  });
});

describe('applyRatio operand checks', () => {
  it('refuses fractional fen and fractional basis points', () => {
    expect(() => applyRatio(1.5, 10_000)).toThrow(RangeError);
    expect(() => applyRatio(100, 50.5)).toThrow(RangeError);
  });
});
