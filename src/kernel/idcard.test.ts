import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkDigit, checkId, makeId, maskId, normalizeId } from './idcard.ts';
import { TriguardError } from './errors.ts';

/**
 * ISO 7064 MOD 11-2 written from the standard, independent of idcard.ts: weight of position i
 * (0-based, of 18) is 2^(17 - i) mod 11, and a valid number's weighted sum is ≡ 1 (mod 11).
 */
function oracleCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const c = (12 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));

/** A real calendar date in [fromYear, toYear], as `YYYY-MM-DD`. */
const birthDate = (fromYear: number, toYear: number) =>
  fc
    .date({
      min: new Date(`${fromYear}-01-01T00:00:00Z`),
      max: new Date(`${toYear}-12-31T00:00:00Z`),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

const parts = (fromYear = 1850, toYear = 2099) =>
  fc.record({
    region: digits(6),
    birth: birthDate(fromYear, toYear),
    seq: fc.integer({ min: 0, max: 999 }),
  });

/** A valid 18-character ID assembled with the oracle check character. */
const validId = (fromYear = 1850, toYear = 2099) =>
  parts(fromYear, toYear).map(({ region, birth, seq }) => {
    const first17 = region + birth.replace(/-/g, '') + pad(seq, 3);
    return first17 + oracleCheckChar(first17);
  });

describe('checkDigit', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['11010519800101001', '6'],
    ['44030119900307235', '6'],
  ])('checkDigit(%s) is %s', (first17, c) => {
    expect(checkDigit(first17)).toBe(c);
    expect(oracleCheckChar(first17)).toBe(c);
  });

  it('agrees with ISO 7064 MOD 11-2 for any 17 digits', () => {
    fc.assert(
      fc.property(digits(17), (first17) => {
        expect(checkDigit(first17)).toBe(oracleCheckChar(first17));
      }),
    );
  });
});

describe('checkId: the documented examples', () => {
  it('11010519491231002X is valid: female, born 1949-12-31, region 110105', () => {
    expect(checkId('11010519491231002X')).toEqual({
      input: '11010519491231002X',
      valid: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'female',
      regionCode: '110105',
      error: null,
    });
  });

  it('110105491231002 is valid and upgraded to 11010519491231002X', () => {
    const r = checkId('110105491231002');
    expect(r.valid).toBe(true);
    expect(r.input).toBe('110105491231002');
    expect(r.normalized).toBe('11010519491231002X');
    expect(r.birthDate).toBe('1949-12-31');
    expect(r.gender).toBe('female');
    expect(r.regionCode).toBe('110105');
    expect(r.error).toBeNull();
  });

  it('110105194912310021 has a wrong check digit; the error names the expected X', () => {
    const r = checkId('110105194912310021');
    expect(r.valid).toBe(false);
    expect(r.normalized).toBeNull();
    expect(r.birthDate).toBeNull();
    expect(r.gender).toBeNull();
    expect(r.regionCode).toBeNull();
    expect(r.error?.zh).toContain('校验码');
    expect(r.error?.zh).toContain('X');
    expect(r.error?.en).toMatch(/expected X/);
    expect(r.error?.en).toMatch(/got 1/);
  });
});

describe('checkId: normalisation', () => {
  it('accepts a lower-case x and normalises it to X', () => {
    const r = checkId('11010519491231002x');
    expect(r.valid).toBe(true);
    expect(r.input).toBe('11010519491231002x');
    expect(r.normalized).toBe('11010519491231002X');
  });

  it('trims surrounding whitespace', () => {
    expect(checkId('  11010519491231002X\n').normalized).toBe('11010519491231002X');
    expect(checkId(' 110105491231002 ').normalized).toBe('11010519491231002X');
  });

  it('reads gender from the 17th digit (odd is male)', () => {
    const male = makeId('440301', '1990-03-07', 235);
    expect(male).toBe('440301199003072356');
    expect(checkId(male).gender).toBe('male');
    expect(checkId(makeId('440301', '1990-03-07', 234)).gender).toBe('female');
  });
});

describe('checkId: invalid input', () => {
  it.each([
    ['11010519490230002X', 'Feb 30'],
    ['11010519491331002X', 'month 13'],
    ['11010519491200002X', 'day 0'],
    ['11010518491231002X', 'before 1850'],
    ['11010520230229002X', '2023 is not a leap year'],
    ['110105490229002', '15-digit, 1949-02-29'],
    ['110105000229002', '15-digit, 1900-02-29 (not leap)'],
    ['110105491301002', '15-digit, month 13'],
  ])('rejects %s (%s) as a bad birth date', (id) => {
    const r = checkId(id);
    expect(r.valid).toBe(false);
    expect(r.error?.en).toMatch(/birth date/);
    expect(r.error?.zh).toContain('出生日期');
  });

  it('rejects a bad birth date even when the check digit is right', () => {
    const id = makeId('110105', '2023-02-29', 2);
    expect(id.slice(-1)).toBe(oracleCheckChar(id.slice(0, 17)));
    expect(checkId(id).valid).toBe(false);
    expect(checkId(id).error?.en).toMatch(/birth date/);
  });

  it.each([
    '',
    '1101051949123100',
    '11010519491231002',
    '11010519491231002XX',
    '1101051949123100211',
    '11010549123100',
    '1101054912310021',
    '11010549123100X',
    '1101051949123100X2',
    'X10105194912310021',
    '11010519491231002Y',
    '１１０１０５１９４９１２３１００２Ｘ',
    '110105-19491231-002X',
  ])('rejects %j as the wrong shape', (id) => {
    const r = checkId(id);
    expect(r.valid).toBe(false);
    expect(r.normalized).toBeNull();
    expect(r.error?.en).toMatch(/18 characters/);
    expect(r.error?.zh).toContain('18');
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 25 }), (s) => {
        const r = checkId(s);
        expect(r.valid).toBe(r.error === null);
      }),
    );
  });
});

describe('checkId: properties', () => {
  it('accepts every generated valid ID and reads its parts back', () => {
    fc.assert(
      fc.property(parts(), ({ region, birth, seq }) => {
        const first17 = region + birth.replace(/-/g, '') + pad(seq, 3);
        const id = first17 + oracleCheckChar(first17);
        const r = checkId(id);
        expect(r.valid).toBe(true);
        expect(r.normalized).toBe(id);
        expect(r.birthDate).toBe(birth);
        expect(r.regionCode).toBe(region);
        expect(r.gender).toBe(seq % 2 === 1 ? 'male' : 'female');
      }),
    );
  });

  it('rejects any single-character change of a valid 18-character ID', () => {
    const alphabet = '0123456789X';
    fc.assert(
      fc.property(
        validId(),
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 10 }),
        (id, pos, shift) => {
          const old = alphabet.indexOf(id[pos]!);
          const changed = alphabet[(old + shift) % 11]!;
          expect(changed).not.toBe(id[pos]);
          const mutated = id.slice(0, pos) + changed + id.slice(pos + 1);
          expect(checkId(mutated).valid).toBe(false);
        },
      ),
    );
  });

  it('upgrades 15 → 18: dropping "19" and the check digit, then upgrading, gives the ID back', () => {
    fc.assert(
      fc.property(
        validId(1900, 1999).filter((id) => /\d$/.test(id)),
        (id18) => {
          expect(id18.slice(6, 8)).toBe('19');
          const id15 = id18.slice(0, 6) + id18.slice(8, 17);
          expect(id15).toMatch(/^\d{15}$/);
          const r = checkId(id15);
          expect(r.valid).toBe(true);
          expect(r.normalized).toBe(id18);
          expect(r.birthDate).toBe(checkId(id18).birthDate);
          expect(r.gender).toBe(checkId(id18).gender);
        },
      ),
    );
  });
});

describe('makeId', () => {
  it('builds the documented example', () => {
    expect(makeId('110105', '1949-12-31', 2)).toBe('11010519491231002X');
  });

  it('produces valid IDs whose gender parity matches the sequence', () => {
    fc.assert(
      fc.property(parts(), ({ region, birth, seq }) => {
        const id = makeId(region, birth, seq);
        expect(id).toHaveLength(18);
        expect(id.slice(14, 17)).toBe(pad(seq, 3));
        expect(id.slice(-1)).toBe(oracleCheckChar(id.slice(0, 17)));
        const r = checkId(id);
        expect(r.valid).toBe(true);
        expect(Number(id[16]) % 2).toBe(seq % 2);
        expect(r.gender).toBe(seq % 2 === 1 ? 'male' : 'female');
      }),
    );
  });
});

describe('normalizeId', () => {
  it('returns the normalised 18-character number', () => {
    expect(normalizeId('110105491231002', 'certNo')).toBe('11010519491231002X');
    expect(normalizeId('11010519491231002x', 'certNo')).toBe('11010519491231002X');
  });

  it('throws a TriguardError naming the field, with the reason in zh and en', () => {
    let e: unknown;
    try {
      normalizeId('110105194912310021', 'persons[3].certNo');
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(TriguardError);
    const err = e as TriguardError;
    expect(err.kind).toBe('invalid');
    expect(err.code).toBe('certno.invalid');
    expect(err.field).toBe('persons[3].certNo');
    expect(err.messages.zh).toContain('persons[3].certNo');
    expect(err.messages.zh).toContain('应为 X');
    expect(err.messages.en).toContain('persons[3].certNo');
    expect(err.messages.en).toContain('expected X');
  });
});

describe('maskId', () => {
  it('shows the first 6 and the last 4 characters', () => {
    expect(maskId('11010519491231002X')).toBe('110105********002X');
    expect(maskId('110105491231002')).toBe('110105********1002');
  });

  it('hides the birth date of any valid ID', () => {
    fc.assert(
      fc.property(validId(), (id) => {
        const masked = maskId(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(0, 6)).toBe(id.slice(0, 6));
        expect(masked.slice(-4)).toBe(id.slice(-4));
        expect(masked.slice(6, 14)).toBe('********');
      }),
    );
  });
});
