import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../policy/index.ts';
import type { Category, VisitType } from '../policy/types.ts';
import { emptyAccumulators } from './accumulators.ts';
import { calculate, type Settlement } from './calculate.ts';
import { explainListJson, storedExplainJson } from './explain-json.ts';
import { TierExplanation, type TierFacts } from './explain.ts';
import { ResolvedCache } from './persist/resolved-cache.ts';
import {
  settlementViewJson,
  settlementViewSchema,
  toView,
  type SettlementView,
} from './persist/view.ts';
import type { SettlementRow } from './persist/repository.ts';
import { billArb, paramsArb } from './testing/arbitraries.ts';
import { explainJson } from './trial-answer.ts';

const VISITS: VisitType[] = [
  'inpatient',
  'general_outpatient',
  'chronic_outpatient',
  'two_diseases',
];
const CATEGORIES: Category[][] = [
  [],
  ['subsistence'],
  ['extreme_poverty'],
  ['low_income_marginal'],
];

/** Settlements of the demo pack, through the settle service's frozen parameter cache. */
async function demoSettlements() {
  const pack = await loadPack('demo-2022');
  const cache = new ResolvedCache();
  const out = [];
  let acc = emptyAccumulators(2022);
  for (const visitType of VISITS) {
    for (const categories of CATEGORIES) {
      for (const hospitalLevel of [1, 2, 3] as const) {
        const bill = {
          date: '2022-06-15',
          visitType,
          hospitalLevel,
          diagnosis: visitType === 'inpatient' ? 'K35.8' : 'J06.9',
          remote: null,
          lines: [
            { amount: 800_000, class: 'A' as const, overLimit: 0, selfPayRatio: 0 },
            { amount: 30_000, class: 'B' as const, overLimit: 1_000, selfPayRatio: 1_000 },
            { amount: 5_000, class: 'C' as const, overLimit: 0, selfPayRatio: 0 },
          ],
        };
        const params = cache.resolve(pack, { ...bill, categories });
        const s = calculate(params, bill, acc);
        acc = s.next;
        out.push({ ...s, visit: { visitType, hospitalLevel } });
      }
    }
  }
  return out;
}

describe('explainListJson', () => {
  it('writes exactly what JSON.stringify writes, stored form and answer form, twice over', async () => {
    const settlements = await demoSettlements();
    expect(settlements.some((s) => s.explain.some((e) => e.provenance.ratio.length > 0))).toBe(
      true,
    );
    for (let pass = 0; pass < 2; pass++) {
      for (const s of settlements) {
        expect(explainListJson(s.explain)).toBe(JSON.stringify(s.explain));
        const answer = s.explain.map(explainJson);
        expect(explainListJson(answer)).toBe(JSON.stringify(answer));
      }
    }
  });

  it('writes exactly what JSON.stringify writes for any parameters and bill', () => {
    fc.assert(
      fc.property(paramsArb, billArb, (params, bill) => {
        const s = calculate(params, bill, emptyAccumulators(2022));
        expect(explainListJson(s.explain)).toBe(JSON.stringify(s.explain));
        const stored = JSON.parse(JSON.stringify(s.explain)) as typeof s.explain;
        expect(explainListJson(stored)).toBe(JSON.stringify(stored));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the text of frozen rule lists only: a list that can change is written afresh', async () => {
    const [first] = await demoSettlements();
    const stored = JSON.parse(JSON.stringify(first!.explain)) as Settlement['explain'];
    const tier = stored.find((e) => e.provenance.ratio.length > 0)!;
    const before = explainListJson(stored);
    (tier.provenance.ratio as unknown as { key: string }[])[0]!.key = 'changed.key';
    const after = explainListJson(stored);
    expect(after).not.toBe(before);
    expect(after).toContain('"changed.key"');
    expect(after).toBe(JSON.stringify(stored));
  });
});

describe('settlementViewJson', () => {
  it('parses to the view itself, which the schema accepts unchanged', async () => {
    const [s] = await demoSettlements();
    const row = {
      settlement_id: 7,
      certno: '370899199001011234',
      year: 2022,
      msgid: 'm-1',
      kind: 'settle',
      original_id: null,
      cancelled_by: null,
      fixmedins_code: 'H37089900001',
      region_code: '370899000000',
      bill_date: '2022-06-15',
      visit_type: 'inpatient',
      hospital_level: 2,
      diagnosis: 'K35.8',
      remote: null,
      pack: 'demo-2022',
      categories: ['subsistence'],
      backstop_programme: null,
      lines: [],
      explain: s!.explain,
      delta: s!.delta,
      actor_id: 'u1',
      reason: 'a "quoted" reason\nwith 中文',
      created_at: '2022-06-15T10:00:00.000Z',
      ...s!.amounts,
    } as SettlementRow;
    const view = toView(row);
    const parsed = JSON.parse(settlementViewJson(view)) as SettlementView;
    expect(parsed).toEqual(JSON.parse(JSON.stringify(view)));
    expect(settlementViewSchema.parse(parsed)).toEqual(parsed);
  });
});

describe('storedExplainJson', () => {
  it('writes JSON.stringify of the facts without the sentences, for the demo pack and any bill', async () => {
    const withoutText = (list: Settlement['explain']) =>
      JSON.stringify(
        list.map((e) => {
          const facts = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
          delete facts.text;
          return facts;
        }),
      );
    for (const s of await demoSettlements()) {
      expect(storedExplainJson(s.explain)).toBe(withoutText(s.explain));
      expect(storedExplainJson(s.explain)).not.toContain('"text"');
    }
    fc.assert(
      fc.property(paramsArb, billArb, (params, bill) => {
        const s = calculate(params, bill, emptyAccumulators(2022));
        expect(storedExplainJson(s.explain)).toBe(withoutText(s.explain));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps enough to write the sentences again: read back, each tier says the same', async () => {
    for (const s of await demoSettlements()) {
      const facts = JSON.parse(storedExplainJson(s.explain)) as TierFacts[];
      const again = facts.map((f) => new TierExplanation(f, s.visit));
      expect(again.map((e) => e.text)).toEqual(s.explain.map((e) => e.text));
      expect(explainListJson(again)).toBe(explainListJson(s.explain));
    }
  });
});
