import { describe, expect, it } from 'vitest';
import { cumulativeTier } from './cumulative-tier.ts';
import { counted, cumulative, notCounted } from './testing/params.ts';

// Critical illness as demo-2022 writes it for everyone, in fen: deductible 15,000 yuan, brackets
// 0–100,000 at 60 %, 100,000–200,000 at 65 %, above at 70 %, cap 400,000.
const everyone = counted(
  cumulative(
    1_500_000,
    [
      [0, 10_000_000, 6_000],
      [10_000_000, 20_000_000, 6_500],
      [20_000_000, null, 7_000],
    ],
    40_000_000,
  ),
);

const run = (base: number, c: number, paid = 0) =>
  cumulativeTier('critical_illness', everyone, base, { base: c, paid });

describe('cumulative tier (docs/settlement.md §3.2–3.4)', () => {
  it('pays nothing while the year-to-date base stays under the deductible', () => {
    const f = run(1_000_000, 400_000);
    expect(f.amount).toBe(0);
    expect(f.deductibleApplied).toBe(1_000_000);
    expect(f.deductibleLeft).toBe(1_100_000);
  });

  it('pays only the part of (c, c+b] above the deductible', () => {
    // c = 14,000, b = 20,000: 1,000 under the deductible, 19,000 above at 60 %.
    const f = run(2_000_000, 1_400_000);
    expect(f.deductibleApplied).toBe(100_000);
    expect(f.amount).toBe(1_140_000);
  });

  it('splits a base across a bracket boundary', () => {
    // c = 110,000 → 95,000 above the deductible; b = 10,000 spans 95,000–105,000:
    // 5,000 × 60 % + 5,000 × 65 % = 6,250 yuan.
    const f = run(1_000_000, 11_000_000);
    expect(f.ratios.map((r) => r.base)).toEqual([500_000, 500_000, 0]);
    expect(f.amount).toBe(625_000);
  });

  it('splits across the deductible and all three brackets at once', () => {
    // c = 0, b = 300,000: 15,000 under; 100,000 × 60 % + 100,000 × 65 % + 85,000 × 70 %.
    const f = run(30_000_000, 0);
    expect(f.ratios.map((r) => r.base)).toEqual([10_000_000, 10_000_000, 8_500_000]);
    expect(f.amount).toBe(6_000_000 + 6_500_000 + 5_950_000);
  });

  it('sums the pieces exactly and rounds once', () => {
    // 1 fen at 60 % (0.6) + 1 fen at 65 % (0.65) = 1.25 → 1 fen; per-piece rounding would give 2.
    const f = run(2, 1_500_000 + 10_000_000 - 1);
    expect(f.ratios.map((r) => r.base)).toEqual([1, 1, 0]);
    expect(f.amount).toBe(1);
  });

  it('rounds half up: 1 fen × 50 % = 0.5 → 1', () => {
    const half = counted(cumulative(0, [[0, null, 5_000]], null));
    expect(cumulativeTier('assistance', half, 1, { base: 0, paid: 0 }).amount).toBe(1);
  });

  it('is limited by the cap left and says so', () => {
    const f = run(10_000_000, 1_500_000, 40_000_000 - 12_345);
    expect(f.amount).toBe(12_345);
    expect(f.capped).toBe(true);
    expect(f.caps[0]?.roomBefore).toBe(12_345);
    expect(run(10_000_000, 1_500_000, 40_000_000).amount).toBe(0);
  });

  it('pays nothing above the last closed bracket', () => {
    const closed = counted(cumulative(0, [[0, 1_000, 10_000]], null));
    expect(cumulativeTier('assistance', closed, 5_000, { base: 0, paid: 0 }).amount).toBe(1_000);
  });

  it('without entitlement reports the base (it still counts) and pays nothing', () => {
    const f = cumulativeTier('assistance', counted(null), 5_000, { base: 100, paid: 0 });
    expect(f).toMatchObject({
      counts: true,
      entitled: false,
      base: 5_000,
      cumulativeBefore: 100,
      amount: 0,
    });
  });

  it('a visit type that does not count is neither counted nor paid, even with parameters', () => {
    const f = cumulativeTier('assistance', { counts: false, params: everyone.params }, 5_000, {
      base: 0,
      paid: 0,
    });
    expect(f).toMatchObject({ counts: false, entitled: false, amount: 0 });
    expect(cumulativeTier('assistance', notCounted, 1, { base: 0, paid: 0 }).counts).toBe(false);
  });

  it('never pays more than the base, even with a ratio above 100 %', () => {
    const bad = counted(cumulative(0, [[0, null, 12_000]], null));
    expect(cumulativeTier('assistance', bad, 1_000, { base: 0, paid: 0 }).amount).toBe(1_000);
  });

  it('stays exact beyond 2^53 of numerator (BigInt fallback)', () => {
    // 10^13 fen × 10,000 bp = 10^17 > 2^53; the exact answer is 10^13 × 60 % = 6 × 10^12.
    const big = counted(cumulative(0, [[0, null, 6_000]], null));
    expect(cumulativeTier('assistance', big, 10_000_000_000_001, { base: 0, paid: 0 }).amount).toBe(
      6_000_000_000_001,
    );
  });
});
