/**
 * Holding one more category never makes any parameter worse: that is what "each parameter takes
 * its most favourable value" (docs/settlement.md §4) means for a person, checked over random bills.
 */
import { beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadPack } from './loader.ts';
import { resolveBill } from './resolve.ts';
import type { PolicyPack } from './model.ts';
import {
  CATEGORIES,
  VISIT_TYPES,
  type BillContext,
  type Bracket,
  type CumulativeTier,
} from './types.ts';
import { FULL } from '../kernel/ratio.ts';

let pack: PolicyPack;
beforeAll(async () => {
  pack = await loadPack('demo-2022');
});

const context = fc.record({
  date: fc
    .integer({ min: 0, max: 364 })
    .map((d) => new Date(Date.UTC(2022, 0, 1 + d)).toISOString().slice(0, 10)),
  visitType: fc.constantFrom(...VISIT_TYPES),
  hospitalLevel: fc.constantFrom(1 as const, 2 as const, 3 as const),
  diagnosis: fc.constantFrom('K35.8', 'F20.0', 'F79', 'I10', 'F32'),
  remote: fc.constantFrom(null, 'filed' as const, 'unfiled' as const),
});
const categories = fc.subarray([...CATEGORIES]);

const ratioAt = (brackets: readonly Bracket[], x: number) =>
  brackets.find((b) => b.from <= x && (b.to === null || x < b.to))?.ratio ?? 0;

function noWorse(fewer: CumulativeTier, more: CumulativeTier): void {
  expect(more.counts).toBe(fewer.counts);
  if (!fewer.params) return;
  expect(more.params).not.toBeNull();
  const a = fewer.params;
  const b = more.params!;
  expect(b.deductible.value).toBeLessThanOrEqual(a.deductible.value);
  if (a.cap.value === null) expect(b.cap.value).toBeNull();
  else if (b.cap.value !== null) expect(b.cap.value).toBeGreaterThanOrEqual(a.cap.value);
  const cuts = [...a.brackets.value, ...b.brackets.value].map((x) => x.from);
  for (const x of cuts)
    expect(ratioAt(b.brackets.value, x)).toBeGreaterThanOrEqual(ratioAt(a.brackets.value, x));
}

it('never makes a parameter worse when a person holds more categories', () => {
  fc.assert(
    fc.property(context, categories, categories, (ctx, some, extra) => {
      const fewer = resolveBill(pack, { ...ctx, categories: some } satisfies BillContext);
      const more = resolveBill(pack, { ...ctx, categories: [...new Set([...some, ...extra])] });
      expect(more.basic.deductible.value).toBeLessThanOrEqual(fewer.basic.deductible.value);
      expect(more.basic.ratio.value).toBeGreaterThanOrEqual(fewer.basic.ratio.value);
      noWorse(fewer.criticalIllness, more.criticalIllness);
      noWorse(fewer.assistance, more.assistance);
      noWorse(fewer.reAssistance, more.reAssistance);
      if (fewer.backstop) expect(more.backstop).not.toBeNull();
    }),
    { numRuns: 300 },
  );
});

it('keeps every ratio between 0 and 100 %', () => {
  fc.assert(
    fc.property(context, categories, (ctx, cats) => {
      const r = resolveBill(pack, { ...ctx, categories: cats });
      const ratios = [
        r.basic.ratio.value,
        ...[r.criticalIllness, r.assistance, r.reAssistance].flatMap(
          (t) => t.params?.brackets.value.map((b) => b.ratio) ?? [],
        ),
      ];
      for (const x of ratios) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(FULL);
      }
    }),
    { numRuns: 300 },
  );
});
