import { describe, expect, it } from 'vitest';
import { resolveBill } from '../../policy/index.ts';
import type { BillContext } from '../../policy/types.ts';
import { loadPackCatalog } from './packs.ts';
import { ResolvedCache } from './resolved-cache.ts';

const base: BillContext = {
  date: '2022-06-15',
  visitType: 'inpatient',
  hospitalLevel: 2,
  diagnosis: 'K35.8',
  remote: null,
  categories: ['subsistence'],
};

describe('ResolvedCache', () => {
  it('answers what resolveBill answers, for every field of the context', async () => {
    const pack = (await loadPackCatalog()).choose('370899001', base.date);
    const cache = new ResolvedCache();
    const variants: BillContext[] = [
      base,
      { ...base, date: '2022-11-30' },
      { ...base, visitType: 'general_outpatient' },
      { ...base, hospitalLevel: 3 },
      { ...base, diagnosis: 'F20.0' },
      { ...base, remote: 'unfiled' },
      { ...base, categories: [] },
      { ...base, categories: ['extreme_poverty', 'subsistence'] },
    ];
    for (const ctx of variants) {
      expect(cache.resolve(pack, ctx)).toEqual(resolveBill(pack, ctx));
    }
    // Asked again, each is the kept answer, and still the right one.
    for (const ctx of variants) {
      const again = cache.resolve(pack, { ...ctx, categories: [...ctx.categories] });
      expect(again).toBe(cache.resolve(pack, ctx));
      expect(again).toEqual(resolveBill(pack, ctx));
    }
  });
  it('keeps answers frozen, so no bill can change them for the next', async () => {
    const pack = (await loadPackCatalog()).choose('370899001', base.date);
    const p = new ResolvedCache().resolve(pack, base);
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.basic)).toBe(true);
    expect(() => {
      (p.basic as { deductible: unknown }).deductible = null;
    }).toThrow(TypeError);
  });
});
