import { describe, expect, it } from 'vitest';
import { poolSizeOf } from './open.ts';

describe('DATABASE_POOL', () => {
  it('is the default when unset or empty', () => {
    expect(poolSizeOf(undefined)).toBeUndefined();
    expect(poolSizeOf('')).toBeUndefined();
  });
  it('takes a whole number from 1 to 1000', () => {
    expect(poolSizeOf('1')).toBe(1);
    expect(poolSizeOf('20')).toBe(20);
    expect(poolSizeOf('1000')).toBe(1000);
  });
  it('refuses anything else, naming the variable', () => {
    for (const bad of ['0', '-3', '2.5', 'ten', '1001', ' ']) {
      expect(() => poolSizeOf(bad)).toThrow(/DATABASE_POOL/);
    }
  });
});
