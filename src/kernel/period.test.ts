import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addMonths,
  dateInRange,
  isDate,
  isLeapYear,
  isMonth,
  isValidDate,
  medicalYear,
  monthOf,
  parseDate,
  parseMonth,
  rangeHolds,
  rangesOverlap,
  type MonthRange,
} from './period.ts';
import { TriguardError } from './errors.ts';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const monthText = (index: number) => `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

/** A valid `YYYY-MM-DD`, built independently of the code under test via Date (UTC). */
const validDate = fc
  .date({
    min: new Date('1850-01-01T00:00:00Z'),
    max: new Date('2099-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));

/** A `YYYY-MM` month in years 1000–8999. */
const month = fc.integer({ min: 1000 * 12, max: 9000 * 12 - 1 }).map(monthText);

function thrown(fn: () => unknown): TriguardError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TriguardError) return e;
    throw e;
  }
  throw new Error('expected a TriguardError');
}

describe('isLeapYear / isValidDate', () => {
  it.each([
    [2024, true],
    [2022, false],
    [2000, true],
    [1900, false],
    [2100, false],
    [1600, true],
    [1800, false],
    [2200, false],
    [2400, true],
  ])('isLeapYear(%d) is %s', (y, leap) => {
    expect(isLeapYear(y)).toBe(leap);
  });

  it('agrees with the calendar of Date for every day of a year', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1850, max: 2400 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const js = new Date(Date.UTC(y, m - 1, d));
          const real = m >= 1 && js.getUTCMonth() === m - 1 && js.getUTCDate() === d;
          expect(isValidDate(y, m, d)).toBe(real);
        },
      ),
    );
  });

  it('isLeapYear agrees with Date on whether February has 29 days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), (y) => {
        const feb29 = new Date(Date.UTC(2000, 1, 29));
        feb29.setUTCFullYear(y);
        expect(isLeapYear(y)).toBe(feb29.getUTCMonth() === 1);
      }),
    );
  });

  it('refuses year zero and below', () => {
    expect(isValidDate(0, 1, 1)).toBe(false);
    expect(isValidDate(-1, 1, 1)).toBe(false);
    expect(isValidDate(1, 1, 1)).toBe(true);
  });
});

describe('parseDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2022-12-31', '2022-01-01', '1949-12-31', '2022-04-30'])(
    'accepts %s',
    (text) => {
      expect(parseDate(text, 'billDate')).toBe(text);
      expect(isDate(text)).toBe(true);
    },
  );

  it.each([
    '2022-02-29',
    '1900-02-29',
    '2022-13-01',
    '2022-00-10',
    '2022-04-31',
    '2022-01-00',
    '2022-01-32',
    '2022-1-1',
    '2022-01-1',
    '22-01-01',
    '2022/01/01',
    '20220101',
    ' 2022-01-01',
    '2022-01-01 ',
    '2022-01-01T00:00:00Z',
    '0000-01-01',
    '',
  ])('rejects %j', (text) => {
    expect(isDate(text)).toBe(false);
    const e = thrown(() => parseDate(text, 'billDate'));
    expect(e.code).toBe('date.invalid');
    expect(e.kind).toBe('invalid');
    expect(e.field).toBe('billDate');
    expect(e.messages.zh).toContain('billDate');
    expect(e.messages.zh).toContain('日期');
    expect(e.messages.en).toContain('billDate');
    expect(e.messages.en).toContain('YYYY-MM-DD');
  });

  it('accepts every real date', () => {
    fc.assert(
      fc.property(validDate, (d) => {
        expect(parseDate(d, 'f')).toBe(d);
      }),
    );
  });
});

describe('parseMonth', () => {
  it.each(['2024-01', '2024-12', '1999-06'])('accepts %s', (text) => {
    expect(parseMonth(text, 'from')).toBe(text);
    expect(isMonth(text)).toBe(true);
  });

  it.each([
    '2024-00',
    '2024-13',
    '0000-01',
    '2024-1',
    '24-01',
    '2024-01-01',
    '202401',
    '2024/01',
    '',
  ])('rejects %j', (text) => {
    expect(isMonth(text)).toBe(false);
    const e = thrown(() => parseMonth(text, 'flags[0].from'));
    expect(e.code).toBe('month.invalid');
    expect(e.field).toBe('flags[0].from');
    expect(e.messages.zh).toContain('月份');
    expect(e.messages.en).toContain('YYYY-MM');
  });
});

describe('medicalYear and monthOf', () => {
  it.each([
    ['2024-01-01', 2024, '2024-01'],
    ['2024-12-31', 2024, '2024-12'],
    ['1999-07-15', 1999, '1999-07'],
  ])('%s is in medical year %d and month %s', (date, year, m) => {
    expect(medicalYear(date)).toBe(year);
    expect(monthOf(date)).toBe(m);
  });

  it('medical year is the calendar year', () => {
    fc.assert(
      fc.property(validDate, (d) => {
        expect(medicalYear(d)).toBe(new Date(`${d}T00:00:00Z`).getUTCFullYear());
      }),
    );
  });
});

describe('addMonths', () => {
  it.each([
    ['2024-01', 0, '2024-01'],
    ['2024-01', 1, '2024-02'],
    ['2024-11', 1, '2024-12'],
    ['2024-12', 1, '2025-01'],
    ['2024-12', 13, '2026-01'],
    ['2024-01', -1, '2023-12'],
    ['2024-01', -12, '2023-01'],
    ['2024-01', -13, '2022-12'],
    ['2024-03', -27, '2021-12'],
    ['2024-06', 24, '2026-06'],
    ['0999-12', 1, '1000-01'],
  ])('addMonths(%s, %d) is %s', (m, n, expected) => {
    expect(addMonths(m, n)).toBe(expected);
  });

  it('matches month-index arithmetic', () => {
    fc.assert(
      fc.property(month, fc.integer({ min: -11_988, max: 11_988 }), (m, n) => {
        const out = addMonths(m, n);
        expect(isMonth(out)).toBe(true);
        expect(monthIndex(out)).toBe(monthIndex(m) + n);
      }),
    );
  });

  it('undoes itself: addMonths(addMonths(m, n), -n) is m', () => {
    fc.assert(
      fc.property(month, fc.integer({ min: -11_988, max: 11_988 }), (m, n) => {
        expect(addMonths(addMonths(m, n), -n)).toBe(m);
      }),
    );
  });
});

describe('rangeHolds', () => {
  const closed: MonthRange = { from: '2024-03', to: '2024-05' };
  const open: MonthRange = { from: '2024-03', to: null };

  it.each([
    ['2024-02-29', false],
    ['2024-03-01', true],
    ['2024-04-15', true],
    ['2024-05-31', true],
    ['2024-06-01', false],
    ['2023-04-15', false],
  ])('a closed range holds %s: %s', (date, holds) => {
    expect(rangeHolds(closed, date)).toBe(holds);
  });

  it.each([
    ['2024-02-29', false],
    ['2024-03-01', true],
    ['2031-01-01', true],
    ['9999-12-31', true],
  ])('an open range holds %s: %s', (date, holds) => {
    expect(rangeHolds(open, date)).toBe(holds);
  });

  it('holds a date exactly when its month is within the bounds', () => {
    fc.assert(
      fc.property(
        validDate,
        fc.integer({ min: 1850 * 12, max: 2100 * 12 }),
        fc.option(fc.integer({ min: 0, max: 600 })),
        (date, from, len) => {
          const range = { from: monthText(from), to: len === null ? null : monthText(from + len) };
          const i = monthIndex(date);
          const expected = i >= from && (len === null || i <= from + len);
          expect(rangeHolds(range, date)).toBe(expected);
        },
      ),
    );
  });
});

describe('rangesOverlap', () => {
  const r = (from: string, to: string | null): MonthRange => ({ from, to });

  it.each([
    [r('2024-01', '2024-03'), r('2024-03', '2024-06'), true], // share one month
    [r('2024-01', '2024-02'), r('2024-03', '2024-06'), false], // adjacent
    [r('2024-01', null), r('2030-01', '2030-02'), true],
    [r('2024-01', null), r('9999-12', '9999-12'), true], // open end reaches the far future
    [r('2024-01', null), r('2020-01', null), true],
    [r('2024-05', null), r('2024-01', '2024-04'), false],
    [r('2024-05', null), r('2024-01', '2024-05'), true],
    [r('2024-01', '2024-12'), r('2024-06', '2024-06'), true], // containment
  ])('%o and %o overlap: %s', (a, b, expected) => {
    expect(rangesOverlap(a, b)).toBe(expected);
    expect(rangesOverlap(b, a)).toBe(expected);
  });

  it('agrees with a brute-force search for a shared month', () => {
    const start = 2023 * 12;
    const span = 36;
    const range = fc
      .tuple(fc.integer({ min: 0, max: span - 1 }), fc.option(fc.integer({ min: 0, max: span })))
      .map(([from, len]) => ({ from: start + from, to: len === null ? null : start + from + len }));
    fc.assert(
      fc.property(range, range, (a, b) => {
        let shared = false;
        for (let i = start; i < start + 3 * span; i++) {
          const inA = i >= a.from && (a.to === null || i <= a.to);
          const inB = i >= b.from && (b.to === null || i <= b.to);
          if (inA && inB) shared = true;
        }
        const toRange = (x: { from: number; to: number | null }) =>
          r(monthText(x.from), x.to === null ? null : monthText(x.to));
        expect(rangesOverlap(toRange(a), toRange(b))).toBe(shared);
      }),
    );
  });
});

describe('dateInRange', () => {
  it('is inclusive at both ends and open when `to` is null or undefined', () => {
    expect(dateInRange('2024-01-01', '2024-01-01', '2024-12-31')).toBe(true);
    expect(dateInRange('2024-12-31', '2024-01-01', '2024-12-31')).toBe(true);
    expect(dateInRange('2023-12-31', '2024-01-01', '2024-12-31')).toBe(false);
    expect(dateInRange('2025-01-01', '2024-01-01', '2024-12-31')).toBe(false);
    expect(dateInRange('2099-01-01', '2024-01-01', null)).toBe(true);
    expect(dateInRange('2099-01-01', '2024-01-01', undefined)).toBe(true);
    expect(dateInRange('2023-12-31', '2024-01-01', null)).toBe(false);
  });
});
