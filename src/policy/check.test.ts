import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from './loader.ts';
import { staleValues } from './check.ts';
import { diffPacks } from './diff.ts';
import type { PolicyPack } from './model.ts';

let demo2022: PolicyPack;
let demo2023: PolicyPack;
let midyear: PolicyPack;
beforeAll(async () => {
  [demo2022, demo2023, midyear] = await Promise.all([
    loadPack('demo-2022'),
    loadPack('demo-2023'),
    loadPack('fixture-midyear'),
  ]);
});

describe('staleValues', () => {
  it('warns about reviewed values still in force whose review is older than the interval', () => {
    const stale = staleValues(demo2023, '2024-06-01');
    expect(stale.map((w) => `${w.file} ${w.key}`)).toEqual([
      'pack.yaml severe_mental_diagnosis',
      'critical_illness.yaml everyone.deductible',
      'pack_wide.yaml per_capita_income',
    ]);
    expect(stale[0]?.message).toBe(
      'last reviewed 2023-01-05, more than 365 days before 2024-06-01',
    );
  });

  it('stays quiet within the interval, and about packs that have ended', () => {
    expect(staleValues(demo2023, '2023-06-01')).toEqual([]);
    expect(staleValues(demo2023, '2023-06-01', 100)).toHaveLength(3);
    expect(staleValues(demo2022, '2030-01-01')).toEqual([]);
  });
});

describe('diffPacks', () => {
  it('lists exactly what changed from demo-2022 to demo-2023, old → new', () => {
    expect(diffPacks(demo2022, demo2023)).toEqual([
      { key: 'pack.yaml valid_from', old: '2022-01-01', new: '2023-01-01' },
      { key: 'pack.yaml valid_to', old: '2022-12-31', new: 'none' },
      { key: 'critical_illness.yaml everyone.deductible', old: '15000.00', new: '16000.00' },
      { key: 'assistance.yaml groups.illness_poverty.deductible', old: '8926.25', new: '9390.00' },
      { key: 'pack_wide.yaml per_capita_income', old: '35705.00', new: '37560.00' },
      { key: 'pack_wide.yaml refund_cutoff', old: '2021-12-31', new: '2022-12-31' },
      { key: 'payment.yaml outpatient_groups.diabetes.rate', old: null, new: '80.00' },
    ]);
  });

  it('shows a mid-year history with its dates, and nothing for identical packs', () => {
    expect(diffPacks(demo2022, midyear)).toEqual([
      {
        key: 'basic.yaml inpatient.ratio.level2',
        old: '80%',
        new: '80% (2022-01-01–2022-06-30); 85% (2022-07-01–)',
      },
    ]);
    expect(diffPacks(demo2022, demo2022)).toEqual([]);
  });
});
