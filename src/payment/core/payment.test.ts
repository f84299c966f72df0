/** The hand-worked examples of docs/payment.md, against the demo pack's payment rules. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack, type PolicyPack } from '../../policy/index.ts';
import { isTriguardError } from '../../kernel/errors.ts';
import { clearCapitation, monthlyShare, packageSplit } from './capitation.ts';
import { clearGlobalBudget } from './global-budget.ts';
import { perBedDayLine, stayDays } from './per-bed-day.ts';
import { ledger, monthlyAdvance } from './prepayment.ts';
import { methodFor, resolvePayment, type ResolvedPayment } from './rules.ts';
import { buildStatements, type StatementRow } from './statement.ts';
import { clearInstitution } from './clearing.ts';
import { capitationYears, packageOf } from './capitation-report.ts';
import type { Step } from './steps.ts';

let pack: PolicyPack;
let p: ResolvedPayment;
beforeAll(async () => {
  pack = await loadPack('demo-2023');
  p = resolvePayment(pack.payment!, '2023-01-01');
});

const PSY = 'H37089900004';
const PEOPLE = 'H37089900001';
const CENTRE = 'H37089910002';
const row = (r: Partial<StatementRow>): StatementRow => ({
  institution: PSY,
  level: 2,
  visitType: 'inpatient',
  diagnosis: 'F32.1',
  township: '370899001',
  days: null,
  adjustment: false,
  count: 1,
  items: 0,
  ...r,
});

describe('§2 the method of a bill', () => {
  it('pays the psychiatric hospital by item for severe disorders, per bed-day otherwise', () => {
    const bill = { institution: PSY, level: 2 as const, visitType: 'inpatient' as const };
    expect(methodFor(p, { ...bill, diagnosis: 'F20.0' }).method).toBe('fee_for_service');
    expect(methodFor(p, { ...bill, diagnosis: 'F72.1' }).method).toBe('fee_for_service');
    expect(methodFor(p, { ...bill, diagnosis: 'F32.1' })).toMatchObject({
      method: 'per_bed_day',
      group: 'other_mental',
    });
    expect(methodFor(p, { ...bill, diagnosis: 'I10' }).method).toBe('fee_for_service');
  });
  it('keeps excluded groups outside the global budget, and pays unlisted institutions by item', () => {
    const bill = { institution: PEOPLE, level: 2 as const, visitType: 'inpatient' as const };
    expect(methodFor(p, { ...bill, diagnosis: 'I10' }).method).toBe('global_budget');
    expect(methodFor(p, { ...bill, diagnosis: 'F20' }).method).toBe('fee_for_service');
    expect(methodFor(p, { ...bill, institution: 'H37089900002', diagnosis: 'I10' })).toMatchObject({
      method: 'fee_for_service',
      classCode: 'other',
    });
  });
});

describe('§3 per bed-day', () => {
  it('counts days from admission to discharge, a same-day stay as one', () => {
    expect(stayDays('2023-03-01', '2023-03-02')).toBe(1);
    expect(stayDays('2023-03-01', '2023-03-01')).toBe(1);
    expect(stayDays('2023-03-01', '2023-03-21')).toBe(20);
    expect(stayDays('2023-01-01', '2023-04-05')).toBe(94);
  });
  it('refuses a discharge before the admission, naming the field', () => {
    try {
      stayDays('2023-03-02', '2023-03-01');
      expect.unreachable();
    } catch (e) {
      expect(isTriguardError(e) && e.field).toBe('dischargeDate');
    }
  });
  it('works the example: short stay by item, normal stay, long stay at 80 % beyond 90 days', () => {
    const rules = p.bedDay;
    expect(
      perBedDayLine(18_000, rules, [
        { days: 1, count: 1, items: 123_456 },
        { days: 20, count: 1, items: 999_999 },
        { days: 94, count: 1, items: 1 },
      ]),
    ).toBe(2_161_056);
  });
  it('rounds once per line', () => {
    expect(perBedDayLine(18_333, p.bedDay, [{ days: 91, count: 2, items: 0 }])).toBe(3_329_273);
  });
  it('nets a cancelled stay out', () => {
    expect(
      perBedDayLine(18_000, p.bedDay, [
        { days: 20, count: 1, items: 5 },
        { days: 20, count: -1, items: -5 },
      ]),
    ).toBe(0);
  });
});

describe('§4 capitation', () => {
  const pkg = () => p.packages[0]!;
  it('splits the package 60/40', () => {
    expect(packageSplit(30_000, 10_000, 6_000)).toEqual({
      total: 300_000_000,
      centre: 180_000_000,
      referral: 120_000_000,
    });
  });
  it('pays monthly shares that add up to the package', () => {
    const months = Array.from({ length: 12 }, (_, i) => monthlyShare(1_000, i + 1));
    expect(months.slice(0, 4)).toEqual([83, 84, 83, 83]);
    expect(months.reduce((a, b) => a + b, 0)).toBe(1_000);
  });
  it('retains a surplus', () => {
    const c = clearCapitation(pkg(), 10_000, 150_000_000, 100_000_000);
    expect(c.balance).toBe(50_000_000);
    expect(c.owed).toBe(200_000_000);
    expect(c.steps.map((s) => s.code)).toContain('surplus_retained');
  });
  it('does not top up an overspend', () => {
    const c = clearCapitation(pkg(), 10_000, 150_000_000, 170_000_000);
    expect(c.balance).toBe(-20_000_000);
    expect(c.owed).toBe(130_000_000);
    expect(c.steps.map((s) => s.code)).toContain('overspend_borne');
  });
});

describe('§5 global budget', () => {
  it('shares an overspend within the tolerance', () => {
    const g = clearGlobalBudget(600_000_000, 690_000_000, p.sharing);
    expect(g.allowed).toBe(630_000_000);
    expect(g.steps.find((s) => s.code === 'institution_bears')?.amount).toBe(60_000_000);
  });
  it('leaves part of an underspend with the hospital', () => {
    expect(clearGlobalBudget(600_000_000, 550_000_000, p.sharing).allowed).toBe(580_000_000);
  });
});

describe('§6 prepayment', () => {
  it('advances a share of a twelfth of the basis', () => {
    const people = p.prepayment.get(PEOPLE)!;
    expect(monthlyAdvance(people.basisAmount, people.share, 1)).toBe(45_000_000);
    const psy = p.prepayment.get(PSY)!;
    expect(monthlyAdvance(psy.basisAmount, psy.share, 7)).toBe(9_000_000);
  });
  it('keeps a running balance', () => {
    const rows = ledger([
      { month: 1, advance: 45_000_000, earned: 48_000_000 },
      { month: 2, advance: 45_000_000, earned: 43_000_000 },
    ]);
    expect(rows.map((r) => r.balance)).toEqual([-3_000_000, -1_000_000]);
  });
});

describe('§7 the monthly statement', () => {
  it('works the March example with a cancelled stay and an April adjustment', () => {
    const march = buildStatements(
      p,
      3,
      [
        row({ days: 1, items: 123_456 }),
        row({ days: 20, count: 0, items: 0 }), // stay B settled and cancelled
        row({ days: 94, items: 1_500_000 }),
        row({ diagnosis: 'F20.0', days: 30, items: 800_000 }),
      ],
      new Map(),
    );
    const psy = march.find((s) => s.institution === PSY)!;
    expect(psy.lines.map((l) => [l.method, l.bills, l.owed])).toEqual([
      ['fee_for_service', 1, 800_000],
      ['per_bed_day', 2, 1_801_056],
    ]);
    const april = buildStatements(
      p,
      4,
      [row({ days: 1, count: -1, items: -123_456, adjustment: true })],
      new Map(),
    );
    expect(april.find((s) => s.institution === PSY)!.lines).toMatchObject([
      { method: 'per_bed_day', adjustment: true, bills: -1, owed: -123_456 },
    ]);
  });
  it("charges a resident's referral to the package and owes the centre the month's share", () => {
    const s = buildStatements(
      p,
      1,
      [
        row({
          institution: CENTRE,
          level: 1,
          visitType: 'general_outpatient',
          diagnosis: 'J06',
          township: '370899002',
          items: 5_000,
        }),
        row({
          institution: CENTRE,
          level: 1,
          visitType: 'general_outpatient',
          diagnosis: 'J06',
          township: '370899003',
          items: 7_000,
        }),
        row({ institution: PEOPLE, diagnosis: 'I63', township: '370899002', items: 300_000 }),
      ],
      new Map([['dongguan', 10_000]]),
    );
    const centre = s.find((x) => x.institution === CENTRE)!;
    expect(centre.lines.map((l) => [l.method, l.items, l.owed, l.note])).toEqual([
      ['fee_for_service', 7_000, 7_000, null],
      ['capitation', 5_000, 0, null],
      ['capitation', 0, 25_000_000, 'package_share'],
    ]);
    expect(centre.referrals).toEqual([
      { package: 'dongguan', institution: PEOPLE, bills: 1, items: 300_000 },
    ]);
    expect(s.find((x) => x.institution === PEOPLE)!.owed).toBe(300_000);
  });
});

describe('§8 clearing', () => {
  it("works the people's hospital example", () => {
    const lines = buildStatements(
      p,
      6,
      [
        row({ institution: PEOPLE, diagnosis: 'F20', items: 10_000_000 }),
        row({ institution: PEOPLE, diagnosis: 'I63', items: 550_000_000 }),
      ],
      new Map(),
    ).flatMap((s) => s.lines);
    const c = clearInstitution(
      p,
      {
        institution: PEOPLE,
        lines,
        referrals: [],
        advances: 540_000_000,
        prepaid: true,
        paidMonthly: 0,
      },
      new Map(),
    );
    expect(c.earned).toBe(590_000_000);
    expect(c.final).toBe(50_000_000);
    expect(c.steps.at(-1)).toMatchObject({ code: 'final', amount: 50_000_000 });
  });
});

describe('the capitation package over several years (§4)', () => {
  const steps = (pkg: number, items: number, referrals: number, outcome: string, owed: number) => [
    { code: 'package', amount: pkg, zh: '', en: '', ref: '' },
    { code: 'centre_part', amount: (pkg * 6) / 10, zh: '', en: '', ref: '' },
    { code: 'referral_reserve', amount: (pkg * 4) / 10, zh: '', en: '', ref: '' },
    { code: 'centre_items', amount: -items, zh: '', en: '', ref: '' },
    { code: 'referrals', amount: -referrals, zh: '', en: '', ref: '' },
    { code: outcome, amount: pkg - items - referrals, zh: '', en: '', ref: '' },
    { code: 'owed', amount: owed, zh: '', en: '', ref: '' },
  ];
  const clearing = (year: number, status: 'approved' | 'draft' | 'superseded', s: Step[]) => ({
    year,
    status,
    institutions: [
      { institution: 'H37089910002', steps: s },
      {
        institution: 'H37089900001',
        steps: [{ code: 'earned', amount: 5, zh: '', en: '', ref: '' }],
      },
    ],
  });

  it('reads each approved year, leaves the others uncleared, and keeps surplus and overspend apart', () => {
    const rows = capitationYears(
      [
        clearing(2021, 'approved', steps(1_000_000, 500_000, 300_000, 'surplus_retained', 700_000)),
        clearing(2022, 'superseded', steps(1_000_000, 0, 0, 'surplus_retained', 1_000_000)),
        clearing(2022, 'approved', steps(1_000_000, 600_000, 500_000, 'overspend_borne', 500_000)),
        clearing(2023, 'draft', steps(1_000_000, 0, 0, 'surplus_retained', 1_000_000)),
      ],
      2021,
      2023,
    );
    expect(rows.map((r) => [r.year, r.institution, r.cleared?.outcome ?? null])).toEqual([
      [2021, 'H37089910002', 'surplus_retained'],
      [2022, 'H37089910002', 'overspend_borne'],
      [2023, 'H37089910002', null],
    ]);
    expect(rows[0]!.cleared).toEqual({
      package: 1_000_000,
      centrePart: 600_000,
      referralReserve: 400_000,
      centreItems: 500_000,
      referrals: 300_000,
      outcome: 'surplus_retained',
      balance: 200_000,
      owed: 700_000,
    });
    expect(rows[1]!.cleared).toMatchObject({ balance: -100_000, owed: 500_000 });
  });

  it('a clearing without a package step is no package', () => {
    expect(packageOf([{ code: 'earned', amount: 1, zh: '', en: '', ref: '' }])).toBeNull();
  });
});
