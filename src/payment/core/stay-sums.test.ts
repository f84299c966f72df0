/**
 * Per bed-day from summed stays (docs/payment.md §3, §7): the sums the database returns pay a
 * line exactly as its stays one by one do, and the aggregate's shape names the bills a per
 * bed-day rule takes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../policy/index.ts';
import { perBedDayLine, perBedDayOwed, sumStays, type StayGroup } from './per-bed-day.ts';
import { aggregateShape, resolvePayment, type ResolvedPayment } from './rules.ts';

let p: ResolvedPayment;
beforeAll(async () => {
  p = resolvePayment((await loadPack('demo-2023')).payment!, '2023-01-01');
});

describe('§3 summed stays', () => {
  it('sums the worked example as its stays: short by item, 20 days, 94 days', () => {
    const stays: StayGroup[] = [
      { days: 1, count: 1, items: 123_456 },
      { days: 20, count: 1, items: 999_999 },
      { days: 94, count: 1, items: 1 },
    ];
    const sums = sumStays(p.bedDay, stays);
    expect(sums).toEqual({
      fullDays: 110,
      beyondDays: 4,
      shortItems: 123_456,
      undatedItems: 0,
      undatedRows: 0,
    });
    // 1,234.56 + 20 × 180 + 90 × 180 + 4 × 180 × 80 % = 21,610.56 yuan
    expect(perBedDayOwed(18_000, p.bedDay, sums)).toBe(2_161_056);
    expect(perBedDayOwed(18_000, p.bedDay, sums)).toBe(perBedDayLine(18_000, p.bedDay, stays));
  });
  it('rounds once per line, not per stay', () => {
    const sums = sumStays(p.bedDay, [{ days: 91, count: 2, items: 0 }]);
    expect(perBedDayOwed(18_333, p.bedDay, sums)).toBe(3_329_273);
  });
  it('nets a cancellation out and pays undated bills by item, counting their rows', () => {
    const sums = sumStays(p.bedDay, [
      { days: 20, count: 1, items: 5 },
      { days: 20, count: -1, items: -5 },
      { days: 0, count: 1, items: 700 },
      { days: 0, count: -1, items: -700 },
    ]);
    expect(sums).toMatchObject({ fullDays: 0, undatedItems: 0, undatedRows: 2 });
    expect(perBedDayOwed(18_000, p.bedDay, sums)).toBe(0);
    const late = sumStays(p.bedDay, [{ days: 94, count: -1, items: -1 }]);
    expect(perBedDayOwed(18_000, p.bedDay, late)).toBe(-1_677_600);
  });
});

describe('§7 the shape of the month’s aggregate', () => {
  it('reads stays only for the psychiatric hospital’s per bed-day rule, after the severe rule', () => {
    const shape = aggregateShape(p);
    // Two diagnosis groups, then the outpatient groups (hypertension, diabetes).
    expect(shape.groups).toHaveLength(4);
    expect(shape.bedDay).toHaveLength(1);
    const [psy] = shape.bedDay;
    expect(psy!.institutions).toEqual(['H37089900004']);
    expect(psy!.rules).toHaveLength(1);
    expect(psy!.rules[0]!.rule.visitTypes).toEqual(['inpatient']);
    // The severe-mental rule comes first: its bills are paid by item, never per bed-day.
    expect(psy!.rules[0]!.before.map((r) => r.patterns?.[0])).toEqual([{ from: 'F20', to: 'F20' }]);
    expect([shape.shortStayDays, shape.longStayDays]).toEqual([3, 90]);
  });
});
