import { describe, expect, it } from 'vitest';
import {
  checkPasswordStrength,
  hashPassword,
  temporaryPassword,
  UNUSABLE_PASSWORD,
  verifyPassword,
} from './password.ts';

describe('passwords', () => {
  it('hashes with scrypt and a random salt, and verifies', async () => {
    const a = await hashPassword('Triguard@2022');
    const b = await hashPassword('Triguard@2022');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w+/=]+\$[\w+/=]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('Triguard');
    expect(await verifyPassword('Triguard@2022', a)).toBe(true);
    expect(await verifyPassword('Triguard@2023', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('never matches a malformed, tampered or unusable hash', async () => {
    const good = await hashPassword('Triguard@2022');
    const parts = good.split('$');
    for (const bad of [
      UNUSABLE_PASSWORD,
      '',
      'plain',
      good.replace('scrypt', 'md5'),
      [...parts.slice(0, 1), '4294967296', ...parts.slice(2)].join('$'),
      [...parts.slice(0, 5), 'AAAA'].join('$'),
    ]) {
      expect(await verifyPassword('Triguard@2022', bad)).toBe(false);
    }
  });

  it('asks for 10+ characters of three classes, without the username', () => {
    expect(() => checkPasswordStrength('Triguard@2022', 'staff')).not.toThrow();
    for (const weak of ['short1!A', 'alllowercaseletters', 'ALLUPPER123456', 'Staff@20222']) {
      expect(() => checkPasswordStrength(weak, 'staff')).toThrow(
        expect.objectContaining({ code: 'auth.password_weak', field: 'newPassword' }),
      );
    }
  });

  it('makes temporary passwords that keep the rule', () => {
    for (let i = 0; i < 20; i++)
      expect(() => checkPasswordStrength(temporaryPassword(), 'user')).not.toThrow();
  });
});
