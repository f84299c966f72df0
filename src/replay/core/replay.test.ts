import { beforeAll, expect, it } from 'vitest';
import { loadPack, resolveBill, type PolicyPack } from '../../policy/index.ts';
import { calculate, emptyAccumulators, type Bill } from '../../settlement/index.ts';
import { distribution, ReplayAggregate, type WarningLine } from './aggregate.ts';
import { replayPerson, sameAmounts, type DraftRules, type StoredBill } from './person.ts';

let pack: PolicyPack;
let rules: DraftRules;
beforeAll(async () => {
  pack = await loadPack('demo-2022');
  rules = {
    resolve: (ctx) => resolveBill(pack, { ...ctx, categories: [...ctx.categories] }),
    postTier: { hospitalWaiver: [] },
    certificateOf: () => 'M002',
  };
});

const CERTNO = '370899196005010011';

/** Bills settled one after another with the pack, stored as the settle path stores them. */
function settled(bills: Bill[], cancelled: number[] = []): StoredBill[] {
  let acc = emptyAccumulators(2022);
  return bills.map((bill, i) => {
    const params = rules.resolve({ ...bill, categories: ['subsistence'] });
    const s = calculate(params, bill, acc);
    acc = s.next;
    const a = s.amounts;
    return {
      settlementId: 100 + i,
      certno: CERTNO,
      year: 2022,
      regionCode: '370899001001',
      fixmedinsCode: 'H37089900001',
      bill,
      pack: 'demo-2022',
      categories: ['subsistence'],
      actual: {
        hifp_pay: a.hifp_pay,
        hifmi_pay: a.hifmi_pay,
        maf_pay: a.maf_pay,
        reassist_pay: a.reassist_pay,
        backstop_pay: a.backstop_pay,
        fund_pay_sumamt: a.fund_pay_sumamt,
        psn_part_amt: a.psn_part_amt,
        hosp_part_amt: 0,
      },
      medfee: a.medfee_sumamt,
      inscope: a.inscp_scp_amt,
      backstopProgramme: s.backstopProgramme,
      cancelled: cancelled.includes(i),
      channel: null,
    };
  });
}

const stay = (date: string, yuan: number): Bill => ({
  date,
  visitType: 'inpatient',
  hospitalLevel: 2,
  diagnosis: 'K35.8',
  remote: null,
  lines: [{ amount: yuan * 100, class: 'A' }],
});

it('settles a person-year again to the fen under the pack it was settled with', () => {
  const bills = settled([
    stay('2022-02-01', 30_000),
    stay('2022-05-01', 40_000),
    stay('2022-09-01', 8_000),
  ]);
  const out = replayPerson(bills, rules);
  expect(out.hadCancellation).toBe(false);
  expect(out.bills).toHaveLength(3);
  for (const b of out.bills) expect(sameAmounts(b.stored.actual, b.draft)).toBe(true);
  expect(out.draftBurden).toEqual(out.actualBurden);
});

it('leaves a cancelled bill out, and the later bills then pay differently', () => {
  const bills = settled([stay('2022-02-01', 60_000), stay('2022-05-01', 60_000)], [0]);
  const out = replayPerson(bills, rules);
  expect(out.hadCancellation).toBe(true);
  expect(out.bills.map((b) => b.stored.settlementId)).toEqual([101]);
  // The second stay was settled with the first counted toward critical illness insurance.
  expect(out.bills[0]!.draft.hifmi_pay).toBeLessThan(out.bills[0]!.stored.actual.hifmi_pay);
});

it('refuses a chronic bill the draft does not cover: the person pays it all', () => {
  const chronic: Bill = {
    date: '2022-03-01',
    visitType: 'chronic_outpatient',
    hospitalLevel: 1,
    diagnosis: 'E11.9',
    remote: null,
    lines: [{ amount: 50_000, class: 'A' }],
  };
  const [stored] = settled([chronic]);
  const out = replayPerson([stored!], { ...rules, certificateOf: () => null });
  const b = out.bills[0]!;
  expect(b.refused?.code).toBe('chronic.no_certificate');
  expect(b.draft.fund_pay_sumamt).toBe(0);
  expect(b.draft.psn_part_amt).toBe(50_000);
  expect(out.draftBurden.oopTotal).toBe(50_000);
});

it('counts who crosses a line and who no longer does, strictly above it', () => {
  const bills = settled([stay('2022-02-01', 30_000)]);
  const out = replayPerson(bills, rules);
  const burden = out.actualBurden.oopTotal;
  const line = (total: number): WarningLine => ({
    pack: 'p',
    inscopeLine: 10 ** 12,
    totalLine: total,
    inscopeCategories: [],
  });
  const at = (actual: number, draft: number) => {
    const agg = new ReplayAggregate();
    agg.add(out, { actual: line(actual), draft: line(draft) });
    return agg.result().crossingsTotal;
  };
  expect(at(burden, burden - 1)).toEqual({ crosses: 1, no_longer: 0 });
  expect(at(burden - 1, burden)).toEqual({ crosses: 0, no_longer: 1 });
  expect(at(burden, burden)).toEqual({ crosses: 0, no_longer: 0 });
});

it('reports only the bills a filter chooses, though every bill was replayed', () => {
  const out = replayPerson(settled([stay('2022-02-01', 30_000), stay('2022-05-01', 1_000)]), rules);
  const agg = new ReplayAggregate();
  const lines = { pack: 'p', inscopeLine: 0, totalLine: 10 ** 12, inscopeCategories: [] };
  agg.add(out, { actual: lines, draft: lines }, (b) => b.bill.date >= '2022-04-01');
  const r = agg.result();
  expect(r.counts.bills).toBe(1);
  expect(Object.keys(r.byMonth)).toEqual(['2022-05']);
  expect(r.largestIncrease).toEqual([]);
});

it('gives deciles by nearest rank, for everyone and for those whose part changes', () => {
  const d = distribution(Float64Array.from([200, 0, -300, 0, 100]));
  expect(d).toMatchObject({
    people: 5,
    pays_more: 2,
    pays_less: 1,
    unchanged: 2,
    min: -300,
    max: 200,
    mean: 0,
  });
  expect(d.deciles).toEqual([-300, -300, 0, 0, 0, 0, 100, 100, 200]);
  expect(d.changedDeciles).toEqual([-300, -300, -300, 100, 100, 100, 200, 200, 200]);
  expect(distribution(new Float64Array(0)).deciles).toEqual([]);
});
