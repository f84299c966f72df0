import { describe, expect, it } from 'vitest';
import { project } from './projection.ts';
import { exceeds, ruleOf, shareOfLine } from './thresholds.ts';
import { canApply, transition, WARNING_STATUSES } from './status.ts';
import { sign, verify } from './push/sign.ts';
import { monthEnd, rulesFor } from './rules.ts';
import { loadPack, resolvePackWide } from '../policy/index.ts';

describe('thresholds', () => {
  it('takes 50 % and 100 % of 35,705 yuan from demo-2022', async () => {
    const pack = await loadPack('demo-2022');
    const rule = ruleOf(resolvePackWide(pack, '2022-06-30'));
    expect(rule).toMatchObject({
      county: '370899',
      perCapitaIncome: 3_570_500,
      inscopeLine: 1_785_250,
      totalLine: 3_570_500,
      inscopeCategories: ['low_income_marginal', 'monitored'],
    });
    expect(exceeds(1_785_250, rule.inscopeLine)).toBe(false);
    expect(exceeds(1_785_251, rule.inscopeLine)).toBe(true);
    expect(shareOfLine(2_856_400, rule.totalLine)).toBe(8_000);
  });

  it('chooses the pack of the month and refuses a month without one', async () => {
    const packs = [await loadPack('demo-2022'), await loadPack('demo-2023')];
    expect(rulesFor(packs, '2023-02', { kind: 'system' })[0]!.pack).toBe('demo-2023');
    expect(() => rulesFor(packs, '2021-06', { kind: 'system' })).toThrow(/no policy pack/);
    expect(monthEnd('2024-02')).toBe('2024-02-29');
  });
});

describe('projection', () => {
  it('projects a straight line from January', () => {
    expect(project(600_000, 1_000_000, '2022-06')).toEqual({
      monthlyAverage: 100_000,
      yearEnd: 1_200_000,
      crossingMonth: '2022-11',
    });
    // Exactly at the line after k months is not over it: one more month.
    expect(project(500_000, 1_000_000, '2022-05').crossingMonth).toBe('2022-11');
    expect(project(100_000, 1_000_000, '2022-10').crossingMonth).toBeNull();
    expect(project(1_000_001, 1_000_000, '2022-03').crossingMonth).toBe('2022-03');
    expect(project(0, 1_000_000, '2022-03')).toEqual({
      monthlyAverage: 0,
      yearEnd: 0,
      crossingMonth: null,
    });
  });
});

describe('lifecycle', () => {
  it('allows new → pushed → confirmed | dismissed → assisted, and withdrawal of open warnings', () => {
    const allowed = (a: Parameters<typeof canApply>[0]) =>
      WARNING_STATUSES.filter((s) => canApply(a, s));
    expect(allowed('push')).toEqual(['new']);
    expect(allowed('confirm')).toEqual(['pushed']);
    expect(allowed('dismiss')).toEqual(['pushed']);
    expect(allowed('assist')).toEqual(['confirmed']);
    expect(allowed('withdraw')).toEqual(['new', 'pushed', 'confirmed']);
    expect(transition('reopen')).toEqual({ from: ['withdrawn'], to: 'new' });
  });
});

describe('signature', () => {
  it('is HMAC-SHA256 of timestamp.body', () => {
    // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac key
    expect(sign('key', 1_700_000_000, '{"a":1}')).toBe(
      'sha256=a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03',
    );
    expect(verify('key', 1_700_000_000, '{"a":1}', sign('key', 1_700_000_000, '{"a":1}'))).toBe(
      true,
    );
    expect(verify('key', 1_700_000_001, '{"a":1}', sign('key', 1_700_000_000, '{"a":1}'))).toBe(
      false,
    );
  });
});
