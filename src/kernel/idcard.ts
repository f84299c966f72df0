/**
 * Resident identity numbers (GB 11643-1999). The 18-digit number is the person key everywhere;
 * 15-digit numbers (issued before 1999) are upgraded by inserting `19` after the area code and
 * appending the check digit. A lower-case `x` check digit is accepted and normalised.
 */
import { isValidDate, type IsoDate } from './period.ts';
import { invalid, type Message } from './errors.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

export type Gender = 'male' | 'female';

export interface IdCheck {
  input: string;
  valid: boolean;
  normalized: string | null;
  birthDate: IsoDate | null;
  gender: Gender | null;
  regionCode: string | null;
  error: Message | null;
}

/** The check digit of the first 17 digits. */
export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

const fail = (input: string, zh: string, en: string): IdCheck => ({
  input,
  valid: false,
  normalized: null,
  birthDate: null,
  gender: null,
  regionCode: null,
  error: { zh, en },
});

/** Checks and normalises one ID number; never throws. */
export function checkId(input: string): IdCheck {
  const raw = input.trim().toUpperCase();
  let id: string;
  if (/^\d{15}$/.test(raw)) {
    const birth = `19${raw.slice(6, 12)}`;
    if (!validBirth(birth)) return fail(input, '出生日期无效', 'invalid birth date');
    const first17 = raw.slice(0, 6) + birth + raw.slice(12);
    id = first17 + checkDigit(first17);
  } else if (/^\d{17}[\dX]$/.test(raw)) {
    id = raw;
    if (!validBirth(id.slice(6, 14))) return fail(input, '出生日期无效', 'invalid birth date');
    const expected = checkDigit(id.slice(0, 17));
    if (id[17] !== expected) {
      return fail(
        input,
        `校验码错误：应为 ${expected}，实为 ${id[17]}`,
        `wrong check digit: expected ${expected}, got ${id[17]}`,
      );
    }
  } else {
    return fail(
      input,
      '身份证号应为18位（末位可为X）或15位数字',
      'an ID number has 18 characters (the last may be X) or 15 digits',
    );
  }
  const b = id.slice(6, 14);
  return {
    input,
    valid: true,
    normalized: id,
    birthDate: `${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6, 8)}`,
    gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    regionCode: id.slice(0, 6),
    error: null,
  };
}

function validBirth(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  return y >= 1850 && isValidDate(y, Number(yyyymmdd.slice(4, 6)), Number(yyyymmdd.slice(6, 8)));
}

/** Normalises an ID number or throws an error naming the field. */
export function normalizeId(input: string, field: string): string {
  const r = checkId(input);
  if (!r.valid || !r.normalized) {
    throw invalid(
      'certno.invalid',
      field,
      `${field} 身份证号无效：${r.error?.zh ?? ''}`,
      `${field} is not a valid ID number: ${r.error?.en ?? ''}`,
    );
  }
  return r.normalized;
}

/** Builds a valid 18-digit number from its parts (used by the demo generator and tests). */
export function makeId(region6: string, birth: IsoDate, sequence3: number): string {
  const first17 = region6 + birth.replace(/-/g, '') + String(sequence3).padStart(3, '0');
  return first17 + checkDigit(first17);
}

/** Masks an ID number for lists and exports: first 6 and last 4 shown. */
export const maskId = (id: string): string => `${id.slice(0, 6)}********${id.slice(-4)}`;
