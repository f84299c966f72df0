/**
 * Password hashing with scrypt (node:crypto; no native build): a random salt per password, the
 * parameters stored with the hash so they can be raised later without invalidating old hashes,
 * and a constant-time comparison. Never reversible.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { unprocessable } from '../kernel/errors.ts';

/** N = 2^15, r = 8: about 32 MiB and tens of milliseconds a hash (OWASP's scrypt minimum). */
const PARAMS = { N: 32768, r: 8, p: 1 } as const;
const KEY_LEN = 32;
const SALT_LEN = 16;

function derive(password: string, salt: Buffer, o: { N: number; r: number; p: number }) {
  const options: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r + 1024 * 1024 };
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LEN, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash` (salt and hash in base64). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LEN);
  const key = await derive(password, salt, PARAMS);
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

/** True when `password` matches `stored`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Refuse absurd parameters from a tampered row instead of burning the CPU on them.
  if (![N, r, p].every(Number.isInteger) || N < 2 || N > 2 ** 20 || r < 1 || r > 32 || p !== 1) {
    return false;
  }
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length !== KEY_LEN) return false;
  const key = await derive(password, Buffer.from(parts[4]!, 'base64'), { N, r, p });
  return timingSafeEqual(key, expected);
}

let dummy: Promise<string> | undefined;
/**
 * Spends the time a real check takes, for unknown or disabled accounts, so response time does not
 * tell an attacker which usernames exist.
 */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummy ??= hashPassword('triguard-dummy-password');
  await verifyPassword(password, await dummy);
  return false;
}

/** A hash no password matches: machine accounts sign in with bearer tokens only. */
export const UNUSABLE_PASSWORD = 'disabled$no-password';

export const PASSWORD_RULE = {
  zh: '密码至少 10 位，含大写字母、小写字母、数字、符号中的至少三类，且不得包含用户名',
  en: 'a password needs at least 10 characters from at least three of: upper case, lower case, digits, symbols, and must not contain the username',
};

/** Throws `auth.password_weak` (field `newPassword`) for a password that breaks the rule. */
export function checkPasswordStrength(password: string, username: string, field = 'newPassword') {
  const classes = [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const containsName =
    username.length >= 3 && password.toLowerCase().includes(username.toLowerCase());
  if (password.length < 10 || password.length > 128 || classes < 3 || containsName) {
    throw unprocessable('auth.password_weak', field, PASSWORD_RULE.zh, PASSWORD_RULE.en);
  }
}

/** A random temporary password that satisfies the rule (for `triguard user add|reset`). */
export function temporaryPassword(): string {
  // Base64url of 12 random bytes, plus one character of each class so the rule always holds.
  return `${randomBytes(12).toString('base64url')}Aa1!`;
}
