/**
 * payment.yaml (docs/payment.md §1): what `policy check` refuses, each on an edited copy of
 * demo-2022 with the file, line and key the staffer is sent to; a pack without the file pays by
 * item.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPack } from './loader.ts';
import { PackError, type Problem } from './problems.ts';
import { copyPack, type PackCopy } from './testing/copy-pack.ts';

let copy: PackCopy;
beforeEach(async () => {
  copy = await copyPack('demo-2022');
});
afterEach(() => copy.remove());

async function problems(): Promise<Problem[]> {
  try {
    await loadPack('demo-2022', { root: copy.root });
  } catch (e) {
    if (e instanceof PackError) return e.problems;
    throw e;
  }
  throw new Error('the pack was accepted');
}

const F = 'payment.yaml';

describe('payment.yaml', () => {
  it('loads the demo rules', async () => {
    const pack = await loadPack('demo-2022');
    expect(pack.payment?.classes.map((c) => c.code)).toEqual([
      'psychiatric',
      'county_budget',
      'capitation_centre',
      'other',
    ]);
  });

  it('is optional: a pack without it has no payment rules', async () => {
    await rm(join(copy.dir, F));
    expect((await loadPack('demo-2022', { root: copy.root })).payment).toBeNull();
  });

  it('refuses overlapping dates', async () => {
    const line = await copy.lineOf(F, '- { value: 180,');
    await copy.edit(
      F,
      '- { value: 180, from: 2022-01-01, reference: docs/payment.md §3 }',
      '- { value: 180, from: 2022-01-01, reference: docs/payment.md §3 }\n        - { value: 190, from: 2022-06-01, reference: docs/payment.md §3 }',
    );
    expect(await problems()).toContainEqual(
      expect.objectContaining({
        file: F,
        key: 'per_bed_day.rates.other_mental.level2',
        message: expect.stringMatching(/overlap/),
      }),
    );
    expect(line).toBeGreaterThan(0);
  });

  it('refuses a budget for an institution in no class', async () => {
    const line = await copy.edit(
      F,
      '    H37089900001:\n      - { value: 6000000',
      '    H37089900099:\n      - { value: 6000000',
    );
    expect(await problems()).toContainEqual(
      expect.objectContaining({
        file: F,
        line,
        key: 'global_budget.budgets.H37089900099',
        message: expect.stringMatching(/no institution class/),
      }),
    );
  });

  it('refuses an unknown diagnosis group and a capitation rule without a package', async () => {
    await copy.edit(F, 'diagnosis_group: severe_mental }', 'diagnosis_group: severe }');
    await copy.edit(F, '{ method: capitation, package: dongguan }', '{ method: capitation }');
    const found = await problems();
    expect(found).toContainEqual(
      expect.objectContaining({ key: 'classes.psychiatric.rules[0].diagnosis_group' }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({ key: 'classes.capitation_centre.rules[0].package' }),
    );
  });
});
