import { describe, expect, it } from 'vitest';
import { TriguardError } from '../kernel/errors.ts';
import { FEN_UNITS, readBill, requireCost } from './bill-read.ts';
import { YUAN_UNITS } from './bill-read.ts';

const good = {
  date: '2022-03-15',
  visitType: 'inpatient',
  hospitalLevel: 2,
  diagnosis: 'K35.8',
  remote: null,
  lines: [{ amount: 120, class: 'A', overLimit: 20 }],
};

function failure(raw: unknown): { code: string; field: string | null; kind: string } {
  try {
    readBill(raw, 'bills[2]', YUAN_UNITS);
  } catch (e) {
    if (e instanceof TriguardError) return { code: e.code, field: e.field, kind: e.kind };
    throw e;
  }
  throw new Error('expected the bill to be refused');
}

const withLine = (line: Record<string, unknown>) => ({
  ...good,
  lines: [{ amount: 10, class: 'A' }, line],
});

describe('readBill', () => {
  it('refuses a line above 99,999,999.99 yuan, naming it, and accepts one at the limit', () => {
    expect(failure(withLine({ amount: 100_000_000, class: 'A' }))).toEqual({
      code: 'bill.amount_too_large',
      field: 'bills[2].lines[1].amount',
      kind: 'unprocessable',
    });
    expect(failure(withLine({ amount: '99999999999999', class: 'B' })).field).toBe(
      'bills[2].lines[1].amount',
    );
    expect(
      readBill(withLine({ amount: '99999999.99', class: 'A' }), 'b', YUAN_UNITS).lines[1],
    ).toEqual({ amount: 9_999_999_999, class: 'A' });
  });

  it('a bill of 0.00 cannot be settled', () => {
    const zero = readBill({ ...good, lines: [{ amount: 0, class: 'A' }] }, 'bill', YUAN_UNITS);
    expect(() => requireCost(zero, 'bill')).toThrow(
      expect.objectContaining({ code: 'bill.zero_total', field: 'bill.lines' }),
    );
    expect(() => requireCost(readBill(good, 'bill', YUAN_UNITS), 'bill')).not.toThrow();
  });

  it('reads yuan into fen and keeps the rest typed', () => {
    expect(readBill(good, 'bills[0]', YUAN_UNITS)).toEqual({
      ...good,
      lines: [{ amount: 12_000, class: 'A', overLimit: 2_000 }],
    });
  });

  it('reads fen with FEN_UNITS, an absent remote as local, a lower-case ICD chapter', () => {
    const rest: Record<string, unknown> = { ...good };
    delete rest.remote;
    const b = readBill(
      {
        ...rest,
        diagnosis: 'k35.800x001',
        lines: [{ amount: 12_000, class: 'B', selfPayRatio: 1_500 }],
      },
      'b',
      FEN_UNITS,
    );
    expect(b.remote).toBeNull();
    expect(b.diagnosis).toBe('K35.800x001');
    expect(b.lines[0]).toEqual({ amount: 12_000, class: 'B', selfPayRatio: 1_500 });
  });

  it.each([
    [
      'overLimit above amount',
      withLine({ amount: 10, class: 'A', overLimit: 10.01 }),
      'bill.over_limit_above_amount',
      'bills[2].lines[1].overLimit',
    ],
    [
      'a negative amount',
      withLine({ amount: -1, class: 'A' }),
      'money.negative',
      'bills[2].lines[1].amount',
    ],
    [
      'three decimals',
      withLine({ amount: 1.005, class: 'A' }),
      'money.too_many_decimals',
      'bills[2].lines[1].amount',
    ],
    [
      'an amount that is not a number',
      withLine({ amount: true, class: 'A' }),
      'money.not_a_number',
      'bills[2].lines[1].amount',
    ],
    [
      'an unknown class',
      withLine({ amount: 1, class: 'D' }),
      'bill.line_class_unknown',
      'bills[2].lines[1].class',
    ],
    [
      'selfPayRatio above 1',
      withLine({ amount: 1, class: 'B', selfPayRatio: 10 }),
      'bill.ratio_range',
      'bills[2].lines[1].selfPayRatio',
    ],
    [
      'selfPayRatio below 0',
      withLine({ amount: 1, class: 'B', selfPayRatio: -0.1 }),
      'bill.ratio_range',
      'bills[2].lines[1].selfPayRatio',
    ],
    [
      'selfPayRatio finer than 1 bp',
      withLine({ amount: 1, class: 'B', selfPayRatio: 0.00001 }),
      'bill.ratio_range',
      'bills[2].lines[1].selfPayRatio',
    ],
    [
      'a ratio on an A line',
      withLine({ amount: 1, class: 'A', selfPayRatio: 0.1 }),
      'bill.field_not_for_class',
      'bills[2].lines[1].selfPayRatio',
    ],
    [
      'over-limit on a C line',
      withLine({ amount: 1, class: 'C', overLimit: 0.5 }),
      'bill.field_not_for_class',
      'bills[2].lines[1].overLimit',
    ],
    ['a bad date', { ...good, date: '2022-02-30' }, 'date.invalid', 'bills[2].date'],
    ['a date that is not a string', { ...good, date: 20220315 }, 'date.invalid', 'bills[2].date'],
    [
      'an unknown visit type',
      { ...good, visitType: 'dental' },
      'bill.visit_type_unknown',
      'bills[2].visitType',
    ],
    [
      'hospital level 4',
      { ...good, hospitalLevel: 4 },
      'bill.hospital_level',
      'bills[2].hospitalLevel',
    ],
    [
      'hospital level as text',
      { ...good, hospitalLevel: '2' },
      'bill.hospital_level',
      'bills[2].hospitalLevel',
    ],
    ['an unknown remote status', { ...good, remote: 'abroad' }, 'bill.remote', 'bills[2].remote'],
    [
      'a bad diagnosis',
      { ...good, diagnosis: 'appendicitis' },
      'bill.diagnosis',
      'bills[2].diagnosis',
    ],
    ['no lines', { ...good, lines: [] }, 'field.not_list', 'bills[2].lines'],
    [
      'a line that is not an object',
      { ...good, lines: [3] },
      'field.not_object',
      'bills[2].lines[0]',
    ],
    ['a bill that is not an object', 'bill', 'field.not_object', 'bills[2]'],
  ])('refuses %s, naming the field', (_what, raw, code, field) => {
    expect(failure(raw)).toEqual({ code, field, kind: 'unprocessable' });
  });

  it('accepts the implied ratio on A (0) and C (1) lines, and a zero overLimit on C', () => {
    const b = readBill(
      {
        ...good,
        lines: [
          { amount: 1, class: 'A', selfPayRatio: 0 },
          { amount: 1, class: 'C', selfPayRatio: 1, overLimit: 0 },
        ],
      },
      'b',
      YUAN_UNITS,
    );
    expect(b.lines).toEqual([
      { amount: 100, class: 'A' },
      { amount: 100, class: 'C', overLimit: 0 },
    ]);
  });

  it('FEN_UNITS refuses fractions of a fen and ratios above 10,000 bp', () => {
    expect(() =>
      readBill({ ...good, lines: [{ amount: 1.5, class: 'A' }] }, 'b', FEN_UNITS),
    ).toThrow(/whole number of fen/);
    expect(() =>
      readBill(
        { ...good, lines: [{ amount: 1, class: 'B', selfPayRatio: 10_001 }] },
        'b',
        FEN_UNITS,
      ),
    ).toThrow(/ratio/);
  });
});
