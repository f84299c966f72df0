import { describe, expect, it } from 'vitest';
import { emptyAccumulators, subtractDelta, type Accumulators } from './accumulators.ts';
import type { Bill } from './bill.ts';
import { calculate } from './calculate.ts';
import {
  backstop,
  basic,
  cap,
  context,
  counted,
  cumulative,
  params,
  resolved,
  subsistenceInpatientL2,
} from './testing/params.ts';

const example: Bill = {
  date: '2022-03-15',
  visitType: 'inpatient',
  hospitalLevel: 2,
  diagnosis: 'K35.8',
  remote: null,
  lines: [
    { amount: 1_200_000, class: 'A' },
    { amount: 300_000, class: 'B' },
    { amount: 50_000, class: 'C' },
  ],
};

const inScopeBill = (fen: number, over: Partial<Bill> = {}): Bill => ({
  ...example,
  lines: [{ amount: fen, class: 'A' }],
  ...over,
});

/** Settles bills in order under fixed parameters, returning every settlement. */
function settleAll(p: ReturnType<typeof params>, bills: Bill[], acc = emptyAccumulators(2022)) {
  return bills.map((b) => {
    const s = calculate(p, b, acc);
    acc = s.next;
    return s;
  });
}

describe('calculate: the §6 worked example', () => {
  const s = calculate(subsistenceInpatientL2(), example, emptyAccumulators(2022));

  it('gives the amounts of the spec', () => {
    expect(s.amounts).toEqual({
      medfee_sumamt: 1_550_000,
      fulamt_ownpay_amt: 50_000,
      overlmt_selfpay: 0,
      preselfpay_amt: 30_000,
      inscp_scp_amt: 1_470_000,
      act_pay_dedc: 25_000,
      hifp_pay: 1_300_500,
      hifmi_pay: 0,
      maf_pay: 118_650,
      reassist_pay: 0,
      backstop_pay: 0,
      fund_pay_sumamt: 1_419_150,
      psn_part_amt: 130_850,
      psn_cash_pay: 130_850,
    });
  });

  it('explains every tier in §3 order with its base', () => {
    expect(s.explain.map((e) => [e.tier, e.base, e.amount])).toEqual([
      ['basic_insurance', 1_470_000, 1_300_500],
      ['critical_illness', 169_500, 0],
      ['assistance', 169_500, 118_650],
      ['re_assistance', 50_850, 0],
      ['backstop', 50_850, 0],
    ]);
  });

  it('writes plain sentences with the notes of the rules', () => {
    const [b, ci, maf] = s.explain;
    expect(b?.text.zh).toContain('住院起付线 250.00 元（低保减半）');
    expect(b?.text.zh).toContain('报销比例 90%（低保提高10个百分点）');
    expect(b?.text.zh).toContain('统筹基金支付 13,005.00 元');
    expect(b?.text.en).toContain('deductible 250.00 per admission');
    expect(ci?.text.zh).toContain('累计未超过起付线，不予支付');
    expect(maf?.text.zh).toContain('1,695.00 元 × 70%');
    expect(maf?.text.en).toContain('pays 1,186.50 yuan');
  });

  it('writes the sentences on first read, and into JSON', () => {
    const json = JSON.parse(JSON.stringify(s.explain)) as { base: number; text: { zh: string } }[];
    expect(json[0]?.base).toBe(1_470_000);
    expect(json[0]?.text.zh).toBe(s.explain[0]?.text.zh);
    expect(json.every((e) => e.text.zh.length > 0)).toBe(true);
  });

  it('carries the provenance of each number', () => {
    expect(s.explain[0]?.provenance.deductible[0]?.key).toBe('inpatient.deductible.level2');
    expect(s.explain[0]?.caps[0]).toMatchObject({
      group: 'main',
      cap: 20_000_000,
      roomBefore: 20_000_000,
    });
  });

  it('adds to the accumulators what it paid and counted', () => {
    expect(s.next.tiers).toEqual({
      basic_insurance: { base: 1_470_000, paid: 1_300_500 },
      critical_illness: { base: 169_500, paid: 0 },
      assistance: { base: 169_500, paid: 118_650 },
      re_assistance: { base: 50_850, paid: 0 },
      backstop: { base: 0, paid: 0 },
    });
    expect(s.next.basicCapPaid).toEqual({ main: 1_300_500 });
    expect(s.next.deductibleUsed).toEqual({});
    expect(s.next.oopInscope).toBe(169_500);
    expect(s.next.oopTotal).toBe(249_500);
    expect(subtractDelta(s.next, s.delta)).toEqual(emptyAccumulators(2022));
  });
});

describe('basic insurance (§3.1)', () => {
  it('applies a per-admission deductible again on every admission', () => {
    const p = params({
      basic: basic({ deductible: resolved('d', 50_000), ratio: resolved('r', 8_000) }),
    });
    const [a, b] = settleAll(p, [inScopeBill(100_000), inScopeBill(30_000)]);
    expect(a?.amounts.act_pay_dedc).toBe(50_000);
    expect(a?.amounts.hifp_pay).toBe(40_000);
    expect(b?.amounts.act_pay_dedc).toBe(30_000);
    expect(b?.amounts.hifp_pay).toBe(0);
  });

  it('consumes an annual deductible across bills under its key', () => {
    const p = params({
      context: context({ visitType: 'chronic_outpatient' }),
      basic: basic({
        deductible: resolved('d', 60_000),
        deductibleScope: 'annual',
        deductibleKey: 'chronic_outpatient',
        ratio: resolved('r', 7_000),
      }),
    });
    const chronic = (fen: number) => inScopeBill(fen, { visitType: 'chronic_outpatient' });
    const [a, b, c] = settleAll(p, [chronic(40_000), chronic(40_000), chronic(40_000)]);
    expect(a?.amounts.act_pay_dedc).toBe(40_000);
    expect(a?.amounts.hifp_pay).toBe(0);
    expect(b?.amounts.act_pay_dedc).toBe(20_000);
    expect(b?.amounts.hifp_pay).toBe(14_000);
    expect(c?.amounts.act_pay_dedc).toBe(0);
    expect(c?.amounts.hifp_pay).toBe(28_000);
    expect(c?.next.deductibleUsed).toEqual({ chronic_outpatient: 60_000 });
    expect(b?.explain[0]?.text.zh).toContain(
      '年度起付线 600.00 元，本年尚余 200.00 元，本次计入 200.00 元',
    );
  });

  it('keeps an annual deductible without a key under the visit type', () => {
    const p = params({
      context: context({ visitType: 'two_diseases' }),
      basic: basic({ deductible: resolved('d', 1_000), deductibleScope: 'annual' }),
    });
    const s = calculate(
      p,
      inScopeBill(500, { visitType: 'two_diseases' }),
      emptyAccumulators(2022),
    );
    expect(s.next.deductibleUsed).toEqual({ two_diseases: 500 });
  });

  it('checks nested caps: the smallest room left wins, and both groups are charged', () => {
    const p = params({
      context: context({ visitType: 'chronic_outpatient' }),
      basic: basic({ capGroups: [cap('chronic', 500_000), cap('main', 20_000_000)] }),
    });
    const chronic = (fen: number) => inScopeBill(fen, { visitType: 'chronic_outpatient' });
    const [a, b] = settleAll(p, [chronic(300_000), chronic(300_000)]);
    expect(a?.amounts.hifp_pay).toBe(300_000);
    expect(b?.amounts.hifp_pay).toBe(200_000);
    expect(b?.explain[0]?.capped).toBe(true);
    expect(b?.next.basicCapPaid).toEqual({ chronic: 500_000, main: 500_000 });

    // The outer cap binds when the main room is the smaller one.
    const nearlyFull: Accumulators = {
      ...emptyAccumulators(2022),
      basicCapPaid: { main: 19_990_000 },
    };
    expect(calculate(p, chronic(300_000), nearlyFull).amounts.hifp_pay).toBe(10_000);
  });

  it('rounds R((inscope − ded) × ratio) half up once', () => {
    const p = params({ basic: basic({ ratio: resolved('r', 5_000) }) });
    expect(calculate(p, inScopeBill(3), emptyAccumulators(2022)).amounts.hifp_pay).toBe(2);
  });
});

describe('cumulative tiers in the chain (§3.2–3.4)', () => {
  it('counts the base of earlier bills toward the deductible, and pays nothing retroactively', () => {
    // Assistance 3,000 deductible at 50 %; the first bill is settled without entitlement.
    const entitled = counted(cumulative(300_000, [[0, null, 5_000]], 3_000_000));
    const basicNone = basic({ ratio: resolved('r', 0) });
    const before = params({ basic: basicNone, assistance: counted(null) });
    const after = params({ basic: basicNone, assistance: entitled });
    const first = calculate(before, inScopeBill(400_000), emptyAccumulators(2022));
    expect(first.amounts.maf_pay).toBe(0);
    expect(first.next.tiers.assistance.base).toBe(400_000);
    const second = calculate(after, inScopeBill(100_000), first.next);
    expect(second.amounts.maf_pay).toBe(50_000);
  });

  it('does not advance the base of a tier the visit type does not count for', () => {
    const s = calculate(params(), inScopeBill(100_000), emptyAccumulators(2022));
    expect(s.next.tiers.critical_illness.base).toBe(0);
  });

  it('feeds each tier what the earlier ones left', () => {
    const all = counted(cumulative(0, [[0, null, 5_000]], null));
    const p = params({
      basic: basic({ ratio: resolved('r', 5_000) }),
      criticalIllness: all,
      assistance: all,
      reAssistance: all,
    });
    const s = calculate(p, inScopeBill(160_000), emptyAccumulators(2022));
    expect([
      s.amounts.hifp_pay,
      s.amounts.hifmi_pay,
      s.amounts.maf_pay,
      s.amounts.reassist_pay,
    ]).toEqual([80_000, 40_000, 20_000, 10_000]);
    expect(s.amounts.psn_part_amt).toBe(10_000);
  });
});

describe('fiscal backstop (§3.5)', () => {
  const p = params({
    context: context({ visitType: 'chronic_outpatient', diagnosis: 'F20.0' }),
    basic: basic({ ratio: resolved('r', 5_000) }),
    backstop: backstop(10_000, 'backstop_chronic', 300_000),
  });
  const bill = (fen: number) =>
    inScopeBill(fen, { visitType: 'chronic_outpatient', diagnosis: 'F20.0' });

  it('pays the rest in scope within its annual cap, and names the programme', () => {
    const [a, b, c] = settleAll(p, [bill(400_000), bill(400_000), bill(400_000)]);
    expect(a?.amounts.backstop_pay).toBe(200_000);
    expect(a?.backstopProgramme).toBe('mental_aid');
    expect(b?.amounts.backstop_pay).toBe(100_000);
    expect(b?.explain[4]?.capped).toBe(true);
    expect(c?.amounts.backstop_pay).toBe(0);
    expect(c?.backstopProgramme).toBeNull();
    expect(c?.next.backstopCapPaid).toEqual({ backstop_chronic: 300_000 });
    expect(a?.amounts.psn_part_amt).toBe(0);
  });

  it('without a cap pays everything left', () => {
    const open = params({
      basic: basic({ ratio: resolved('r', 0) }),
      backstop: backstop(10_000, 'x', null),
    });
    expect(
      calculate(open, inScopeBill(1_234_567), emptyAccumulators(2022)).amounts.backstop_pay,
    ).toBe(1_234_567);
  });
});

describe('calculate guards', () => {
  it('refuses accumulators of another medical year', () => {
    expect(() => calculate(params(), inScopeBill(1), emptyAccumulators(2021))).toThrow(
      /medical year/,
    );
  });

  it('refuses parameters resolved for another visit type', () => {
    expect(() =>
      calculate(params(), inScopeBill(1, { visitType: 'two_diseases' }), emptyAccumulators(2022)),
    ).toThrow(/visit type/);
  });
});
