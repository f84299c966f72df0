/**
 * Every row of the docs/settlement.md §5 tables, settled through the real `demo-2022` pack, the policy
 * resolver and the calculator, as trial documents (amounts in yuan). Expected numbers are worked
 * out by hand from the spec in the comments, not read back from the code.
 */
import { describe, expect, it } from 'vitest';
import type { Category, VisitType } from '../policy/types.ts';
import type { SettledResult } from './trial-answer.ts';
import { policyPacks } from './trial-packs.ts';
import { answerTrial } from './trial.ts';

type Result = SettledResult;
type Cat = Category | [Category, string, string | null];

interface Spec {
  level?: 1 | 2 | 3;
  diagnosis?: string;
  remote?: null | 'filed' | 'unfiled';
  date?: string;
}

/**
 * A bill whose lines are all class A, so `inScope` yuan is exactly the in-scope amount. Chronic
 * bills default to coronary heart disease (M003, sub-cap 2,000); two-diseases bills to primary
 * care, the only level they are paid at (docs/chronic.md §3).
 */
const bill = (visitType: VisitType, inScope: number, s: Spec = {}) => ({
  date: s.date ?? '2022-06-15',
  visitType,
  hospitalLevel: s.level ?? (visitType === 'two_diseases' ? 1 : 2),
  diagnosis:
    s.diagnosis ??
    {
      inpatient: 'K35.8',
      chronic_outpatient: 'I25.1',
      two_diseases: 'I10',
      general_outpatient: 'J06.9',
    }[visitType],
  remote: s.remote ?? null,
  lines: [{ amount: inScope, class: 'A' }],
});

async function settle(categories: Cat[], bills: ReturnType<typeof bill>[]): Promise<Result[]> {
  const person = {
    categories: categories.map((c) =>
      Array.isArray(c)
        ? { code: c[0], from: c[1], to: c[2] }
        : { code: c, from: '2022-01', to: null },
    ),
  };
  const { results } = await answerTrial({ pack: 'demo-2022', person, bills }, policyPacks);
  // These bills are all covered (the person has no certificates key: not checked).
  return results.map((r) => {
    if ('refused' in r) throw new Error(`bill ${r.id} refused: ${JSON.stringify(r.refused)}`);
    return r;
  });
}

const one = async (categories: Cat[], b: ReturnType<typeof bill>) =>
  (await settle(categories, [b]))[0]!;
const tiers = (r: Result) => [r.hifp_pay, r.hifmi_pay, r.maf_pay, r.reassist_pay, r.backstop_pay];

describe('demo-2022 basic insurance (§5)', () => {
  it('inpatient: 200 / 500 / 1000 per admission at 90 / 80 / 60 %', async () => {
    const r = await settle(
      [],
      [1, 2, 3].map((level) => bill('inpatient', 10_000, { level: level as 1 | 2 | 3 })),
    );
    expect(r.map((x) => [x.act_pay_dedc, x.hifp_pay])).toEqual([
      [200, 8_820], // (10,000 − 200) × 90 %
      [500, 7_600], // (10,000 − 500) × 80 %
      [1_000, 5_400], // (10,000 − 1,000) × 60 %
    ]);
    // Per admission: a second admission pays the deductible again.
    const again = await settle([], [bill('inpatient', 10_000), bill('inpatient', 10_000)]);
    expect(again.map((x) => x.act_pay_dedc)).toEqual([500, 500]);
  });

  it('inpatient: the main cap of 200,000 a year', async () => {
    const r = await settle(
      [],
      [bill('inpatient', 300_000, { level: 1 }), bill('inpatient', 10_000, { level: 1 })],
    );
    expect(r.map((x) => x.hifp_pay)).toEqual([200_000, 0]); // 269,820 capped, then nothing left
  });

  it('chronic outpatient: 600 a year across bills, 70 / 65 / 60 %', async () => {
    const r = await settle(
      [],
      [
        bill('chronic_outpatient', 500, { level: 1 }),
        bill('chronic_outpatient', 500, { level: 1 }),
        bill('chronic_outpatient', 1_000, { level: 2 }),
        bill('chronic_outpatient', 1_000, { level: 3 }),
      ],
    );
    expect(r.map((x) => [x.act_pay_dedc, x.hifp_pay])).toEqual([
      [500, 0],
      [100, 280], // 400 × 70 %
      [0, 650], // 1,000 × 65 %
      [0, 600], // 1,000 × 60 %
    ]);
  });

  it('chronic outpatient: each disease its sub-cap, all of them the chronic cap of 5,000, nested in the main cap', async () => {
    const chronicCap = await settle(
      [],
      [
        bill('chronic_outpatient', 10_000, { level: 1 }), // M003
        bill('chronic_outpatient', 10_000, { level: 1 }), // M003 again: its 2,000 are used up
        bill('chronic_outpatient', 10_000, { level: 1, diagnosis: 'E11.9' }), // M002
        bill('chronic_outpatient', 10_000, { level: 1, diagnosis: 'I69.3' }), // M004
      ],
    );
    expect(chronicCap.map((x) => x.hifp_pay)).toEqual([
      2_000, // (10,000 − 600) × 70 % = 6,580, capped by M003's 2,000
      0,
      2_000, // 7,000 capped by M002's 2,000
      1_000, // 7,000: M004 has 2,000 left, the chronic cap 5,000 − 4,000
    ]);
    // Main nearly used up by an admission: (222,222.22 − 200) × 90 % = 199,820.00, 180 left.
    const r = await settle(
      [],
      [
        bill('inpatient', 222_222.22, { level: 1 }),
        bill('chronic_outpatient', 2_000, { level: 1 }),
      ],
    );
    expect(r.map((x) => x.hifp_pay)).toEqual([199_820, 180]); // 980 capped by main
  });

  it('chronic outpatient with a severe mental diagnosis: no deductible, inpatient ratios, main cap only', async () => {
    const r = await settle(
      [],
      [
        bill('chronic_outpatient', 1_000, { diagnosis: 'F20.0' }),
        bill('chronic_outpatient', 10_000, { level: 1, diagnosis: 'F31.2' }),
        bill('chronic_outpatient', 1_000, { level: 1 }),
      ],
    );
    expect(r.map((x) => [x.act_pay_dedc, x.hifp_pay])).toEqual([
      [0, 800], // 80 %
      [0, 9_000], // 90 %, past the chronic 5,000: only main applies
      [600, 280], // an ordinary chronic bill: its own 600 deductible untouched, 400 × 70 %
    ]);
  });

  it('two diseases: no deductible, 50 %, 2,500 a year', async () => {
    const r = await settle([], [bill('two_diseases', 1_000), bill('two_diseases', 6_000)]);
    expect(r.map((x) => [x.act_pay_dedc, x.hifp_pay])).toEqual([
      [0, 500],
      [0, 2_000], // 3,000 capped: 2,500 − 500 left
    ]);
  });

  it('general outpatient: no deductible, 50 %, 300 a year', async () => {
    const r = await settle(
      [],
      [bill('general_outpatient', 100), bill('general_outpatient', 1_000)],
    );
    expect(r.map((x) => x.hifp_pay)).toEqual([50, 250]);
  });

  it('inpatient with a severe mental diagnosis: no deductible', async () => {
    const r = await one([], bill('inpatient', 10_000, { diagnosis: 'F70.1' }));
    expect([r.act_pay_dedc, r.hifp_pay]).toEqual([0, 8_000]);
  });

  it('key assistance categories: inpatient and chronic deductibles halved, ratios +10 points up to 100 %', async () => {
    expect(tiers(await one(['extreme_poverty'], bill('inpatient', 10_000, { level: 1 })))[0]).toBe(
      9_900,
    ); // (10,000 − 100) × 100 %
    const chronic = await one(
      ['poverty_returned'],
      bill('chronic_outpatient', 1_300, { level: 3 }),
    );
    expect([chronic.act_pay_dedc, chronic.hifp_pay]).toEqual([300, 700]); // (1,300 − 300) × 70 %
  });

  it('the tilt never applies to two diseases or general outpatient', async () => {
    expect((await one(['subsistence'], bill('two_diseases', 1_000))).hifp_pay).toBe(500);
    expect((await one(['subsistence'], bill('general_outpatient', 100))).hifp_pay).toBe(50);
  });

  it('remote treatment: filed −10 points, unfiled −20, after the tilt', async () => {
    const filed = await one([], bill('inpatient', 10_000, { remote: 'filed' }));
    const unfiled = await one([], bill('inpatient', 10_000, { remote: 'unfiled' }));
    expect([filed.hifp_pay, unfiled.hifp_pay]).toEqual([6_650, 5_700]); // 9,500 × 70 % / 60 %
    // min(100 %, 90 % + 10) − 20 = 80 %: (10,000 − 100) × 80 %.
    expect(
      (await one(['extreme_poverty'], bill('inpatient', 10_000, { level: 1, remote: 'unfiled' })))
        .hifp_pay,
    ).toBe(7_920);
  });

  it('a severe_mental person needs no filing and keeps local ratios', async () => {
    expect(
      (await one(['severe_mental'], bill('inpatient', 10_000, { remote: 'unfiled' }))).hifp_pay,
    ).toBe(7_600);
  });
});

describe('demo-2022 critical illness (§5)', () => {
  it('everyone: 15,000 a year, 60 / 65 / 70 % brackets above it, 400,000 cap', async () => {
    const r = await settle(
      [],
      [bill('inpatient', 500_000, { level: 3 }), bill('inpatient', 500_000, { level: 3 })],
    );
    // Bill 1: hifp 299,400 capped at 200,000, b = 300,000, 285,000 above the deductible:
    // 100,000 × 60 % + 100,000 × 65 % + 85,000 × 70 % = 184,500.
    expect(r[0]?.hifmi_pay).toBe(184_500);
    // Bill 2: main cap used, b = 500,000 all at 70 % = 350,000, limited to 400,000 − 184,500.
    expect(r[1]?.hifp_pay).toBe(0);
    expect(r[1]?.hifmi_pay).toBe(215_500);
  });

  it('one bill across the deductible and into the first bracket', async () => {
    // L3, in scope 100,000: hifp 59,400, b = 40,600; 25,600 above 15,000 at 60 %.
    expect((await one([], bill('inpatient', 100_000, { level: 3 }))).hifmi_pay).toBe(15_360);
  });

  it('key assistance categories: 7,500, each bracket +5 points, no cap', async () => {
    const r = await settle(
      ['subsistence'],
      [bill('inpatient', 500_000, { level: 3 }), bill('inpatient', 500_000, { level: 3 })],
    );
    // b = 300,000, 292,500 above 7,500: 100,000 × 65 % + 100,000 × 70 % + 92,500 × 75 %.
    expect(r[0]?.hifmi_pay).toBe(204_375);
    // Then 500,000 at 75 % = 375,000: past 400,000 in the year, and no cap.
    expect(r[1]?.hifmi_pay).toBe(375_000);
  });

  it('severe_mental: 15,000, 80 % in every bracket, 400,000 cap', async () => {
    // b = 300,000 as above: 285,000 × 80 %.
    expect((await one(['severe_mental'], bill('inpatient', 500_000, { level: 3 }))).hifmi_pay).toBe(
      228_000,
    );
  });

  it('several categories: each parameter at its most favourable (7,500, 80 %, no cap)', async () => {
    expect(
      (await one(['subsistence', 'severe_mental'], bill('inpatient', 500_000, { level: 3 })))
        .hifmi_pay,
    ).toBe(
      234_000, // 292,500 × 80 %
    );
  });

  it('chronic bills count toward it; general outpatient and two-diseases bills do not', async () => {
    const r = await settle(
      [],
      [
        bill('general_outpatient', 20_000),
        bill('two_diseases', 20_000),
        bill('chronic_outpatient', 20_000, { level: 1 }),
        bill('inpatient', 10_000, { level: 3 }),
      ],
    );
    expect(r[0]?.explain[1]?.counts).toBe(false);
    expect(r[1]?.explain[1]?.counts).toBe(false);
    // Chronic: hifp 2,000 (M003's sub-cap), b = 18,000: (18,000 − 15,000) × 60 %.
    expect(r[2]?.hifmi_pay).toBe(1_800);
    // Inpatient: hifp 5,400, b = 4,600, all above the deductible met by the chronic bill: × 60 %.
    expect(r[3]?.explain[1]?.cumulativeBefore).toBe(18_000);
    expect(r[3]?.hifmi_pay).toBe(2_760);
  });
});

describe('demo-2022 medical assistance (§5)', () => {
  it('key assistance categories: no deductible, 70 %, 30,000 a year (the §6 example)', async () => {
    expect(tiers(await one(['subsistence'], bill('inpatient', 14_700)))).toEqual([
      13_005, 0, 1_186.5, 0, 0,
    ]);
    const big = await one(['subsistence'], bill('inpatient', 500_000, { level: 3 }));
    // Base 300,000 − 204,375 = 95,625 × 70 % = 66,937.50, limited to 30,000.
    expect(big.maf_pay).toBe(30_000);
  });

  it('low_income_marginal and monitored: 3,000 a year, 50 %', async () => {
    for (const who of ['low_income_marginal', 'monitored'] as const) {
      const r = await settle([who], [bill('inpatient', 10_000), bill('inpatient', 10_000)]);
      // Each bill leaves 2,400 after basic (7,600); the year reaches 3,000 on the second bill.
      expect(r.map((x) => x.maf_pay)).toEqual([0, 900]); // 1,800 × 50 %
    }
  });

  it('illness_poverty: 8,926.25 a year, 60 %', async () => {
    const r = await one(['illness_poverty'], bill('inpatient', 60_000));
    // hifp 47,600, b = 12,400 (under the critical illness 15,000): (12,400 − 8,926.25) × 60 %.
    expect(tiers(r)).toEqual([47_600, 0, 2_084.25, 0, 0]);
    expect(r.psn_part_amt).toBe(10_315.75);
  });

  it('serves every visit type but general outpatient', async () => {
    const two = await one(['subsistence'], bill('two_diseases', 1_000));
    expect(two.maf_pay).toBe(350); // (1,000 − 500) × 70 %
    const general = await one(['subsistence'], bill('general_outpatient', 100));
    expect([general.maf_pay, general.explain[2]?.counts]).toEqual([0, false]);
  });

  it('spending before a category starts counts toward its deductible; nothing is paid back', async () => {
    const r = await settle(
      [['low_income_marginal', '2022-06', null]],
      [
        bill('inpatient', 10_000, { date: '2022-03-01' }),
        bill('inpatient', 10_000, { date: '2022-07-01' }),
      ],
    );
    // March: not yet entitled, 2,400 counted; July: (4,800 − 3,000) × 50 %.
    expect(r.map((x) => x.maf_pay)).toEqual([0, 900]);
  });
});

describe('demo-2022 re-assistance (§5)', () => {
  it('key categories, low_income_marginal, monitored: 5,000 a year, 70 %, 20,000 limit', async () => {
    const r = await one(['monitored'], bill('inpatient', 100_000, { level: 3 }));
    // hifp 59,400; CI 15,360; assistance (25,240 − 3,000) × 50 % = 11,120;
    // re-assistance (25,240 − 11,120 − 5,000) × 70 % = 6,384.
    expect(tiers(r)).toEqual([59_400, 15_360, 11_120, 6_384, 0]);
    expect(r.psn_part_amt).toBe(7_736);
    const capped = await one(['subsistence'], bill('inpatient', 500_000, { level: 3 }));
    // (95,625 − 30,000 − 5,000) × 70 % = 42,437.50, limited to 20,000.
    expect(capped.reassist_pay).toBe(20_000);
    expect(capped.psn_part_amt).toBe(45_625);
  });

  it('inpatient only; other categories are counted but not paid', async () => {
    const chronic = await one(['subsistence'], bill('chronic_outpatient', 100_000, { level: 1 }));
    expect([chronic.reassist_pay, chronic.explain[3]?.counts]).toEqual([0, false]);
    const poverty = await one(['illness_poverty'], bill('inpatient', 100_000, { level: 3 }));
    expect(poverty.explain[3]).toMatchObject({ counts: true, entitled: false, amount: 0 });
  });
});

describe('demo-2022 fiscal backstop (§5)', () => {
  it('mental_aid_card, inpatient with a severe mental diagnosis: 100 % of the rest, no limit', async () => {
    const r = await one(
      ['mental_aid_card', 'severe_mental'],
      bill('inpatient', 10_000, { diagnosis: 'F20.0' }),
    );
    expect(tiers(r)).toEqual([8_000, 0, 0, 0, 2_000]);
    expect(r.psn_part_amt).toBe(0);
    expect(r.explain[4]?.programme).toBe('mental_disorder_backstop');
  });

  it('chronic bills: at most 3,000 a year', async () => {
    const r = await settle(
      ['mental_aid_card'],
      [
        bill('chronic_outpatient', 10_000, { diagnosis: 'F25.0' }),
        bill('chronic_outpatient', 10_000, { diagnosis: 'F25.0' }),
        bill('chronic_outpatient', 10_000, { diagnosis: 'F25.0' }),
      ],
    );
    // Each leaves 2,000 after basic at 80 %: 2,000, then the 1,000 left, then nothing.
    expect(r.map((x) => x.backstop_pay)).toEqual([2_000, 1_000, 0]);
  });

  it('needs both the card and a severe mental diagnosis', async () => {
    expect((await one(['mental_aid_card'], bill('inpatient', 10_000))).backstop_pay).toBe(0);
    expect(
      (await one(['severe_mental'], bill('inpatient', 10_000, { diagnosis: 'F20.0' })))
        .backstop_pay,
    ).toBe(0);
  });
});

describe('demo-2022 as a named pack (§6)', () => {
  it('a named pack applies to every bill whatever its date', async () => {
    const r = await settle([], [bill('inpatient', 10_000, { date: '2025-06-15' })]);
    expect(r[0]?.hifp_pay).toBe(7_600);
  });
});
