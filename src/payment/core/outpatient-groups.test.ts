/** docs/payment.md §11: the outpatient disease groups' worked example, on the demo 2023 pack. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../policy/index.ts';
import { clearInstitution } from './clearing.ts';
import { methodFor, resolvePayment, type ResolvedPayment } from './rules.ts';
import { buildStatements, type StatementRow } from './statement.ts';

let p: ResolvedPayment;
beforeAll(async () => {
  p = resolvePayment((await loadPack('demo-2023')).payment!, '2023-03-01');
});

const CENTRE = 'H37089910001'; // a township health centre, class `other` by its level
const row = (r: Partial<StatementRow>): StatementRow => ({
  institution: CENTRE,
  level: 1,
  visitType: 'general_outpatient',
  diagnosis: 'I10',
  township: '',
  days: null,
  adjustment: false,
  count: 1,
  items: 10_000,
  ...r,
});

describe('§11 outpatient disease groups', () => {
  it('takes outpatient visits of a group, leaves stays and other diagnoses by item', () => {
    const bill = { institution: CENTRE, level: 1 as const, visitType: 'two_diseases' as const };
    expect(methodFor(p, { ...bill, diagnosis: 'I15.0' })).toMatchObject({
      method: 'outpatient_group',
      group: 'hypertension',
    });
    expect(methodFor(p, { ...bill, diagnosis: 'E11.9' }).group).toBe('diabetes');
    expect(methodFor(p, { ...bill, diagnosis: 'I20' }).method).toBe('fee_for_service');
    expect(methodFor(p, { ...bill, visitType: 'inpatient', diagnosis: 'E11.9' }).method).toBe(
      'fee_for_service',
    );
    // The people's hospital is under its global budget: its rule comes first.
    expect(
      methodFor(p, { ...bill, institution: 'H37089900001', level: 2, diagnosis: 'I10' }).method,
    ).toBe('global_budget');
  });

  it('works the March example: 2 cases of hypertension, 2 patients of diabetes', () => {
    const [s] = buildStatements(
      p,
      3,
      [
        // A's two hypertension visits; B's visit settled and cancelled.
        row({ count: 2, items: 31_000 }),
        row({ count: 0, items: 0, township: '370899002' }),
        // Diabetes: A twice (one patient), B once, C settled and cancelled (no patient).
        row({ diagnosis: 'E11.9', count: 2, items: 52_000, patients: 1 }),
        row({ diagnosis: 'E11.2', count: 1, items: 18_000, patients: 1 }),
        row({ diagnosis: 'E14.9', count: 0, items: 0, patients: 0 }),
        row({ diagnosis: 'J06.9', items: 4_500 }),
        row({ diagnosis: 'E11.9', visitType: 'inpatient', items: 250_000 }),
      ],
      new Map(),
    );
    expect(s!.lines.map((l) => [l.method, l.group, l.bills, l.owed, l.note])).toEqual([
      ['fee_for_service', null, 2, 254_500, null],
      ['outpatient_group', 'diabetes', 3, 16_000, 'per_patient_month'],
      ['outpatient_group', 'hypertension', 2, 9_000, null],
    ]);
    expect(s!.owed - 254_500).toBe(25_000); // 250.00 yuan for the groups' five bills
  });

  it('carries a late cancellation into the next month as −1 patient', () => {
    const [s] = buildStatements(
      p,
      4,
      [row({ diagnosis: 'E14.9', count: -1, items: -9_000, patients: -1, adjustment: true })],
      new Map(),
    );
    expect(s!.lines).toMatchObject([
      { method: 'outpatient_group', group: 'diabetes', adjustment: true, bills: -1, owed: -8_000 },
    ]);
  });

  it('adds the year’s group lines as one clearing step', () => {
    const line = {
      institution: CENTRE,
      method: 'outpatient_group' as const,
      level: 1 as const,
      package: null,
      adjustment: false,
      note: null,
    };
    const c = clearInstitution(
      p,
      {
        institution: CENTRE,
        lines: [
          { ...line, group: 'hypertension', bills: 2, items: 31_000, owed: 9_000 },
          { ...line, group: 'diabetes', bills: 3, items: 70_000, owed: 16_000 },
        ],
        referrals: [],
        advances: 0,
        prepaid: false,
        paidMonthly: 25_000,
      },
      new Map(),
    );
    expect(c.steps.find((x) => x.code === 'outpatient_group')!.amount).toBe(25_000);
    expect(c.final).toBe(0);
  });
});
