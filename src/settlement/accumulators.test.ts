import { describe, expect, it } from 'vitest';
import { applyDelta, emptyAccumulators, subtractDelta, type Accumulators } from './accumulators.ts';

function delta(): Accumulators {
  const d = emptyAccumulators(2022);
  d.tiers.basic_insurance = { base: 1_000, paid: 800 };
  d.tiers.assistance = { base: 200, paid: 140 };
  d.deductibleUsed = { chronic_outpatient: 300 };
  d.basicCapPaid = { chronic: 800, main: 800 };
  d.backstopCapPaid = { backstop_chronic: 60 };
  d.oopInscope = 200;
  d.oopTotal = 260;
  return d;
}

describe('accumulators', () => {
  it('start empty for a year', () => {
    const a = emptyAccumulators(2023);
    expect(a.year).toBe(2023);
    expect(a.tiers.critical_illness).toEqual({ base: 0, paid: 0 });
    expect(a.deductibleUsed).toEqual({});
  });

  it('apply adds every field and leaves the input untouched', () => {
    const before = emptyAccumulators(2022);
    const after = applyDelta(applyDelta(before, delta()), delta());
    expect(before).toEqual(emptyAccumulators(2022));
    expect(after.tiers.basic_insurance).toEqual({ base: 2_000, paid: 1_600 });
    expect(after.basicCapPaid).toEqual({ chronic: 1_600, main: 1_600 });
    expect(after.oopTotal).toBe(520);
  });

  it('subtract restores exactly, dropping keys that return to zero', () => {
    const start = applyDelta(emptyAccumulators(2022), {
      ...emptyAccumulators(2022),
      basicCapPaid: { main: 5 },
    });
    const back = subtractDelta(applyDelta(start, delta()), delta());
    expect(back).toEqual(start);
    expect(Object.keys(back.basicCapPaid)).toEqual(['main']);
  });

  it('never keeps zero entries from a delta', () => {
    const d = { ...emptyAccumulators(2022), deductibleUsed: { chronic_outpatient: 0 } };
    expect(applyDelta(emptyAccumulators(2022), d).deductibleUsed).toEqual({});
  });

  it('refuses to cancel what was never applied', () => {
    expect(() => subtractDelta(emptyAccumulators(2022), delta())).toThrow(/negative/);
  });

  it('refuses a delta of another year', () => {
    expect(() => applyDelta(emptyAccumulators(2023), delta())).toThrow(/year/);
  });

  it('is plain JSON', () => {
    const a = applyDelta(emptyAccumulators(2022), delta());
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });
});
