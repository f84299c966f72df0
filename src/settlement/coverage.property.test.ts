/**
 * Properties of the chronic and two-diseases rules over random bills settled through the real
 * demo-2022 pack (docs/chronic.md §2–§3): a refused bill changes no accumulator, so the other bills of
 * a trial settle exactly as if it were not there; and no disease's basic insurance ever passes its
 * annual sub-cap, nor all of them the chronic cap.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack, resolveBill, type PolicyPack } from '../policy/index.ts';
import type { Category } from '../policy/types.ts';
import { emptyAccumulators, entry, type Accumulators } from './accumulators.ts';
import type { Bill, BillLine } from './bill.ts';
import { calculate } from './calculate.ts';
import { daysRemaining, settleCovered, type CoverageSpan, type Prescription } from './coverage.ts';
import { categoriesOn, runTrial } from './trial.ts';
import type { CategoryRange, TrialInput } from './trial-input.ts';

let pack: PolicyPack;
beforeAll(async () => {
  pack = await loadPack('demo-2022');
});

const RUNS = { numRuns: 200 };
const DIAGNOSES = [
  'I11.9',
  'E11.9',
  'I25.1',
  'I63.9',
  'J44.1',
  'M06.9', // chronic diseases
  'C34.9',
  'N18.5',
  'Z94.0',
  'F20.0',
  'F72.1', // special diseases
  'I10',
  'I15.1',
  'E14',
  'J06.9',
  'K35.8', // outside the catalogue
];

const dateArb = fc
  .integer({ min: 0, max: 364 })
  .map((d) => new Date(Date.UTC(2022, 0, 1 + d)).toISOString().slice(0, 10));

const lineArb: fc.Arbitrary<BillLine> = fc
  .record({
    amount: fc.integer({ min: 1, max: 1_000_000 }),
    days: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
  })
  .map(({ amount, days }) =>
    days === undefined ? { amount, class: 'A' } : { amount, class: 'A', days },
  );

const billArb: fc.Arbitrary<Bill> = fc.record({
  date: dateArb,
  visitType: fc.constantFrom(
    'chronic_outpatient' as const,
    'two_diseases' as const,
    'inpatient' as const,
  ),
  hospitalLevel: fc.constantFrom(1 as const, 2 as const, 3 as const),
  diagnosis: fc.constantFrom(...DIAGNOSES),
  remote: fc.constantFrom(null, 'filed' as const),
  lines: fc.array(lineArb, { minLength: 1, maxLength: 3 }),
});

const spanArb = (diseases: string[]): fc.Arbitrary<CoverageSpan> =>
  fc
    .tuple(fc.constantFrom(...diseases), dateArb, fc.option(dateArb, { nil: null }))
    .map(([disease, a, b]) => ({
      disease,
      from: b === null || a <= b ? a : b,
      to: b === null ? null : a <= b ? b : a,
    }));

const categoriesArb: fc.Arbitrary<CategoryRange[]> = fc.array(
  fc.record({
    code: fc.constantFrom<Category>('subsistence', 'severe_mental', 'mental_aid_card', 'monitored'),
    from: fc.constantFrom('2022-01', '2022-04', '2022-09'),
    to: fc.constantFrom(null, '2022-06', '2022-12'),
  }),
  { maxLength: 2 },
);

const trialArb: fc.Arbitrary<TrialInput> = fc.record({
  pack: fc.constant('demo-2022'),
  categories: categoriesArb,
  evidence: fc.record(
    {
      certificates: fc.array(spanArb(['M001', 'M002', 'M003', 'M004', 'S001', 'S002', 'S004'])),
      filings: fc.array(spanArb(['hypertension', 'diabetes']), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ),
  bills: fc
    .array(billArb, { minLength: 1, maxLength: 10 })
    .map((bills) => bills.map((bill, i) => ({ id: `b${i}`, bill }))),
});

describe('chronic and two-diseases rules, over random bills', () => {
  it('a refused bill changes no accumulator: the others settle as if it were not there', () => {
    fc.assert(
      fc.property(trialArb, (input) => {
        const resolve = (ctx: Parameters<typeof resolveBill>[1]) => resolveBill(pack, ctx);
        const all = runTrial(input, resolve);
        const refused = new Set(all.filter((r) => r.refused).map((r) => r.id));
        const kept = runTrial(
          { ...input, bills: input.bills.filter((b) => !refused.has(b.id)) },
          resolve,
        );
        expect(all.filter((r) => !r.refused)).toEqual(kept);

        // And on the accumulators: settling every bill with the checks leaves what settling
        // only the bills it does not refuse leaves.
        let checked: Accumulators = emptyAccumulators(2022);
        let plain: Accumulators = emptyAccumulators(2022);
        input.bills.forEach(({ bill }, i) => {
          const params = resolve({
            ...bill,
            categories: categoriesOn(input.categories, bill.date),
          });
          const out = settleCovered(params, bill, checked, input.evidence, `bills[${i}]`);
          if (out.refused) return;
          checked = out.settlement.next;
          plain = calculate(params, bill, plain).next;
        });
        expect(checked).toEqual(plain);
      }),
      RUNS,
    );
  });

  it('with the persistent path’s drug list and prescriptions, a refused bill changes no accumulator', () => {
    const CODES = ['D1', 'D2', 'D3', 'S1'];
    const drugLineArb: fc.Arbitrary<BillLine> = fc
      .record({
        amount: fc.integer({ min: 1, max: 100_000 }),
        itemCode: fc.option(fc.constantFrom(...CODES), { nil: undefined }),
        days: fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined }),
      })
      .map(({ amount, itemCode, days }) => ({
        amount,
        class: 'A' as const,
        ...(itemCode === undefined ? {} : { itemCode }),
        ...(days === undefined ? {} : { days }),
      }));
    const runArb = fc.record({
      listed: fc.subarray(CODES),
      tolerance: fc.integer({ min: 0, max: 14 }),
      filings: fc.array(spanArb(['hypertension', 'diabetes']), { maxLength: 2 }),
      bills: fc.array(
        fc.record({
          date: dateArb,
          level: fc.constantFrom(1 as const, 1 as const, 2 as const),
          diagnosis: fc.constantFrom('I10', 'I15.1', 'E11.9', 'J06.9'),
          lines: fc.array(drugLineArb, { minLength: 1, maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 12 },
      ),
    });
    fc.assert(
      fc.property(runArb, ({ listed, tolerance, filings, bills }) => {
        const sorted = [...bills].sort((a, b) => a.date.localeCompare(b.date));
        let checked: Accumulators = emptyAccumulators(2022);
        let plain: Accumulators = emptyAccumulators(2022);
        const last = new Map<string, Prescription>();
        sorted.forEach((b, i) => {
          const bill: Bill = {
            date: b.date,
            visitType: 'two_diseases',
            hospitalLevel: b.level,
            diagnosis: b.diagnosis,
            remote: null,
            lines: b.lines,
          };
          const params = resolveBill(pack, { ...bill, categories: [] });
          const drugs = { listed: new Set(listed), last, refillToleranceDays: tolerance };
          const out = settleCovered(params, bill, checked, { filings, drugs }, `bills[${i}]`);
          if (out.refused) {
            // A refill refusal names a drug with more than the tolerance of its last prescription left.
            if (out.refused.code === 'two_diseases.refill') {
              const j = Number(/lines\[(\d+)\]/.exec(out.refused.field)![1]);
              const p = last.get(bill.lines[j]!.itemCode!)!;
              expect(daysRemaining(p, bill.date)).toBeGreaterThan(tolerance);
            }
            return;
          }
          // Settled: every line is a listed item, none renewed early.
          for (const l of bill.lines) {
            expect(listed).toContain(l.itemCode);
            const p = last.get(l.itemCode!);
            if (p) expect(daysRemaining(p, bill.date)).toBeLessThanOrEqual(tolerance);
          }
          for (const l of bill.lines)
            last.set(l.itemCode!, { date: bill.date, days: l.days ?? null });
          checked = out.settlement.next;
          plain = calculate(params, bill, plain).next;
        });
        expect(checked).toEqual(plain);
      }),
      RUNS,
    );
  });

  it('never pays a disease past its annual sub-cap, nor all chronic diseases past the chronic cap', () => {
    const chronic = ['I11.9', 'I13.0', 'E11.9', 'E10', 'I25.1', 'I20.0', 'I63.9', 'J44.1', 'M06.9'];
    const seqArb = fc.record({
      tilt: fc.boolean(),
      bills: fc.array(
        fc.record({
          date: dateArb,
          level: fc.constantFrom(1 as const, 2 as const, 3 as const),
          diagnosis: fc.constantFrom(...chronic),
          remote: fc.constantFrom(null, 'filed' as const, 'unfiled' as const),
          amount: fc.integer({ min: 1, max: 500_000 }),
        }),
        { minLength: 1, maxLength: 15 },
      ),
    });
    fc.assert(
      fc.property(seqArb, ({ tilt, bills }) => {
        let acc = emptyAccumulators(2022);
        const paid = new Map<string, number>();
        for (const b of bills) {
          const bill: Bill = {
            date: b.date,
            visitType: 'chronic_outpatient',
            hospitalLevel: b.level,
            diagnosis: b.diagnosis,
            remote: b.remote,
            lines: [{ amount: b.amount, class: 'A' }],
          };
          const params = resolveBill(pack, { ...bill, categories: tilt ? ['subsistence'] : [] });
          const disease = params.disease;
          if (disease?.kind !== 'chronic') throw new Error(`${b.diagnosis} is not chronic`);
          const s = calculate(params, bill, acc);
          acc = s.next;
          paid.set(disease.code, (paid.get(disease.code) ?? 0) + s.amounts.hifp_pay);
        }
        let total = 0;
        for (const d of pack.diseases.filter((x) => x.subCap)) {
          const cap = d.subCap!.entries[0]!.value;
          expect(paid.get(d.code) ?? 0).toBeLessThanOrEqual(cap);
          expect(entry(acc.basicCapPaid, `chronic:${d.code}`)).toBe(paid.get(d.code) ?? 0);
          total += paid.get(d.code) ?? 0;
        }
        expect(total).toBeLessThanOrEqual(500_000);
        expect(entry(acc.basicCapPaid, 'chronic')).toBe(total);
      }),
      RUNS,
    );
  });
});
