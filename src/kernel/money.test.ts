import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  assertFen,
  fenToYuanNumber,
  formatYuan,
  formatYuanGrouped,
  parseYuan,
  yuan,
  type ParseYuanOptions,
} from './money.ts';
import { TriguardError } from './errors.ts';

const MAX = Number.MAX_SAFE_INTEGER;
const anyFen = fc.integer({ min: -MAX, max: MAX });

/** Runs `fn`, expecting it to throw a TriguardError, and returns that error. */
function parseError(input: string | number, opts?: ParseYuanOptions): TriguardError {
  try {
    parseYuan(input, 'bills[0].total', opts);
  } catch (e) {
    if (e instanceof TriguardError) return e;
    throw e;
  }
  throw new Error(`parseYuan(${JSON.stringify(input)}) did not throw`);
}

describe('parseYuan: strings', () => {
  it.each([
    ['0', 0],
    ['1', 100],
    ['12.5', 1250],
    ['12.50', 1250],
    ['12.05', 1205],
    ['0.01', 1],
    ['0.1', 10],
    ['007.70', 770],
    ['1,234.56', 123456],
    ['12,345,678.9', 1234567890],
    ['  42.42\t', 4242],
    ['90071992547409.91', MAX],
  ])('parses %j as %d fen', (input, fen) => {
    expect(parseYuan(input, 'f')).toBe(fen);
  });

  it('parses any decimal string with up to two decimals exactly (BigInt oracle)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 90_071_992_547_408n }),
        fc.stringMatching(/^\d{0,2}$/),
        (int, dec) => {
          const text = dec === '' ? `${int}` : `${int}.${dec}`;
          const expected = int * 100n + BigInt(dec.padEnd(2, '0'));
          expect(parseYuan(text, 'f')).toBe(Number(expected));
        },
      ),
    );
  });

  it.each(['12.345', '0.001', '-1.999', '1,234.567'])(
    'refuses %j: more than two decimals',
    (input) => {
      expect(parseError(input, { allowNegative: true }).code).toBe('money.too_many_decimals');
    },
  );

  it('refuses every amount with three or more decimals', () => {
    fc.assert(
      fc.property(fc.nat(), fc.stringMatching(/^\d{3,8}$/), (int, dec) => {
        expect(parseError(`${int}.${dec}`).code).toBe('money.too_many_decimals');
      }),
    );
  });

  it.each([
    '',
    '   ',
    'abc',
    '12a',
    '1.2.3',
    '.5',
    '5.',
    '+5',
    '--5',
    '1e3',
    'NaN',
    'Infinity',
    '１２',
  ])('refuses %j as not a number', (input) => {
    expect(parseError(input, { allowNegative: true }).code).toBe('money.not_a_number');
  });

  it('refuses amounts past the safe-integer range of fen', () => {
    expect(parseError('90071992547409.92').code).toBe('money.too_large');
    expect(parseError('100000000000000000000').code).toBe('money.too_large');
    expect(parseError('9'.repeat(400)).code).toBe('money.too_large');
  });

  it('refuses negatives unless the field allows them', () => {
    expect(parseError('-0.01').code).toBe('money.negative');
    expect(parseError('-12.5', { allowNegative: false }).code).toBe('money.negative');
    expect(parseYuan('-12.5', 'f', { allowNegative: true })).toBe(-1250);
    expect(parseYuan('-1,234.56', 'f', { allowNegative: true })).toBe(-123456);
  });

  it('treats minus zero as zero, even when negatives are refused', () => {
    expect(Object.is(parseYuan('-0', 'f'), 0)).toBe(true);
    expect(Object.is(parseYuan('-0.00', 'f'), 0)).toBe(true);
  });
});

describe('parseYuan: numbers', () => {
  it.each([
    [0, 0],
    [0.1, 10],
    [0.01, 1],
    [12.5, 1250],
    [19.99, 1999],
    [1234.56, 123456],
    [-0, 0],
  ])('parses %d as %d fen', (input, fen) => {
    expect(parseYuan(input, 'f')).toBe(fen);
  });

  it('parses a negative number only when allowed', () => {
    expect(parseError(-12.5).code).toBe('money.negative');
    expect(parseYuan(-12.5, 'f', { allowNegative: true })).toBe(-1250);
  });

  it.each([
    [NaN, 'money.not_a_number'],
    [Infinity, 'money.not_a_number'],
    [-Infinity, 'money.not_a_number'],
    [1e21, 'money.not_a_number'],
    [1e20, 'money.too_large'],
    [0.001, 'money.too_many_decimals'],
    [0.1 + 0.2, 'money.too_many_decimals'],
    [1.005, 'money.too_many_decimals'],
  ])('refuses %d with %s', (input, code) => {
    expect(parseError(input, { allowNegative: true }).code).toBe(code);
  });

  it('parses fen / 100 back to fen for any amount below 10^15 fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(1e15 - 1), max: 1e15 - 1 }), (fen) => {
        expect(parseYuan(fen / 100, 'f', { allowNegative: true })).toBe(fen);
      }),
    );
  });
});

describe('parseYuan errors', () => {
  it('carry kind, code, field and a zh and en message naming the field', () => {
    const e = parseError('abc');
    expect(e).toBeInstanceOf(Error);
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('money.not_a_number');
    expect(e.field).toBe('bills[0].total');
    expect(e.messages.zh).toContain('bills[0].total');
    expect(e.messages.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(e.messages.en).toContain('bills[0].total');
    expect(e.messages.en).toMatch(/not a valid amount/);
    expect(e.messages.en).toContain('abc');
  });

  it.each([
    ['12.345', {}],
    ['-1', {}],
    ['99999999999999999', {}],
    [NaN, {}],
  ] as const)('for %j have both languages and the field', (input, opts) => {
    const e = parseError(input, opts);
    expect(e.code).toMatch(/^money\./);
    expect(e.field).toBe('bills[0].total');
    for (const msg of [e.messages.zh, e.messages.en]) {
      expect(msg).toContain('bills[0].total');
    }
    expect(e.messages.zh).not.toBe(e.messages.en);
    expect(e.toJSON()).toEqual({ code: e.code, field: 'bills[0].total', message: e.messages });
  });
});

describe('formatYuan', () => {
  it.each([
    [0, '0.00'],
    [1, '0.01'],
    [10, '0.10'],
    [99, '0.99'],
    [100, '1.00'],
    [1250, '12.50'],
    [1234550, '12345.50'],
    [-1, '-0.01'],
    [-1250, '-12.50'],
    [MAX, '90071992547409.91'],
    [-MAX, '-90071992547409.91'],
  ])('formats %d fen as %j', (fen, text) => {
    expect(formatYuan(fen)).toBe(text);
  });

  it('always writes exactly two decimals', () => {
    fc.assert(
      fc.property(anyFen, (fen) => {
        expect(formatYuan(fen)).toMatch(/^-?(0|[1-9]\d*)\.\d{2}$/);
      }),
    );
  });

  it.each([0.5, NaN, Infinity, MAX + 1])('refuses a non-integer amount %d', (fen) => {
    expect(() => formatYuan(fen)).toThrow(RangeError);
  });
});

describe('formatYuanGrouped', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [-5, '-0.05'],
    [100, '1.00'],
    [99999, '999.99'],
    [100000, '1,000.00'],
    [1234550, '12,345.50'],
    [123456789, '1,234,567.89'],
    [-123456789, '-1,234,567.89'],
    [-100000, '-1,000.00'],
  ])('formats %d fen as %j', (fen, text) => {
    expect(formatYuanGrouped(fen)).toBe(text);
  });

  it('groups the integer part in threes', () => {
    fc.assert(
      fc.property(anyFen, (fen) => {
        expect(formatYuanGrouped(fen)).toMatch(/^-?\d{1,3}(,\d{3})*\.\d{2}$/);
      }),
    );
  });
});

describe('round trips', () => {
  it('formatYuan → parseYuan gives back any safe fen integer', () => {
    fc.assert(
      fc.property(anyFen, (fen) => {
        expect(parseYuan(formatYuan(fen), 'f', { allowNegative: true })).toBe(fen);
      }),
    );
  });

  it('formatYuanGrouped → parseYuan gives back any safe fen integer', () => {
    fc.assert(
      fc.property(anyFen, (fen) => {
        expect(parseYuan(formatYuanGrouped(fen), 'f', { allowNegative: true })).toBe(fen);
      }),
    );
  });

  it('formatYuanGrouped is formatYuan with commas', () => {
    fc.assert(
      fc.property(anyFen, (fen) => {
        expect(formatYuanGrouped(fen).replace(/,/g, '')).toBe(formatYuan(fen));
      }),
    );
  });
});

describe('fenToYuanNumber', () => {
  it.each([
    [1300500, 13005],
    [1234, 12.34],
    [1, 0.01],
    [-1250, -12.5],
    [0, 0],
  ])('turns %d fen into %d yuan', (fen, y) => {
    expect(fenToYuanNumber(fen)).toBe(y);
  });

  it('is the inverse of parsing a number', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(1e15 - 1), max: 1e15 - 1 }), (fen) => {
        expect(parseYuan(fenToYuanNumber(fen), 'f', { allowNegative: true })).toBe(fen);
      }),
    );
  });
});

describe('assertFen', () => {
  it('accepts safe integers', () => {
    expect(() => assertFen(0)).not.toThrow();
    expect(() => assertFen(-MAX)).not.toThrow();
    expect(() => assertFen(MAX)).not.toThrow();
  });

  it.each([0.5, -1.25, NaN, Infinity, MAX + 1, -(MAX + 1)])('refuses %d', (n) => {
    expect(() => assertFen(n)).toThrow(RangeError);
  });
});

describe('yuan', () => {
  it.each([
    [0, 0],
    [1, 100],
    [12.34, 1234],
    [0.07, 7],
    [13005, 1300500],
    [-12.5, -1250],
  ])('turns %d yuan into %d fen', (y, fen) => {
    expect(yuan(y)).toBe(fen);
  });

  it('inverts fen / 100 for amounts up to ten billion yuan', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
        expect(yuan(fen / 100) === fen).toBe(true);
      }),
    );
  });
});
