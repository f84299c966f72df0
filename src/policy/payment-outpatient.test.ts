/**
 * payment.yaml's outpatient disease groups (docs/payment.md §11): loaded in pack order with their
 * dated rates, and what `policy check` refuses, each on an edited copy of demo-2023 naming the key.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPack } from './loader.ts';
import { PackError, type Problem } from './problems.ts';
import { copyPack, type PackCopy } from './testing/copy-pack.ts';

let copy: PackCopy;
beforeEach(async () => {
  copy = await copyPack('demo-2023');
});
afterEach(() => copy.remove());

async function problems(): Promise<Problem[]> {
  try {
    await loadPack('demo-2023', { root: copy.root });
  } catch (e) {
    if (e instanceof PackError) return e.problems;
    throw e;
  }
  throw new Error('the pack was accepted');
}

const F = 'payment.yaml';
const RULE =
  '      - method: outpatient_group\n        visit_types: [general_outpatient, chronic_outpatient, two_diseases]';

describe('payment.yaml outpatient groups', () => {
  it('loads the demo groups with their basis and dated rate', async () => {
    const pack = await loadPack('demo-2023');
    const groups = pack.payment!.outpatientGroups;
    expect(groups.map((g) => [g.code, g.per, g.rate.entries[0]!.value])).toEqual([
      ['hypertension', 'case', 4_500],
      ['diabetes', 'month', 8_000],
    ]);
    expect(pack.payment!.classes.find((c) => c.code === 'other')!.rules[0]).toMatchObject({
      method: 'outpatient_group',
      outpatientGroup: null,
    });
  });

  it('refuses a group whose diagnoses overlap another group', async () => {
    await copy.edit(F, 'diagnoses: [E10-E14]', 'diagnoses: [E10-E14, I12]');
    expect(await problems()).toContainEqual(
      expect.objectContaining({
        file: F,
        key: 'outpatient_groups.diabetes.diagnoses[1]',
        message: expect.stringMatching(/overlaps outpatient group hypertension/),
      }),
    );
  });

  it('refuses an outpatient-group rule for stays, or naming an unknown group', async () => {
    await copy.edit(
      F,
      RULE,
      '      - method: outpatient_group\n        visit_types: [inpatient]\n        outpatient_group: asthma',
    );
    const found = await problems();
    expect(found).toContainEqual(
      expect.objectContaining({ key: 'classes.other.rules[0].visit_types' }),
    );
    expect(found).toContainEqual(
      expect.objectContaining({
        key: 'classes.other.rules[0].outpatient_group',
        message: expect.stringMatching(/unknown outpatient group "asthma"/),
      }),
    );
  });

  it('refuses a group on a rule of another method', async () => {
    await copy.edit(
      F,
      '{ method: global_budget }',
      '{ method: global_budget, outpatient_group: diabetes }',
    );
    expect(await problems()).toContainEqual(
      expect.objectContaining({ key: 'classes.county_budget.rules[0].outpatient_group' }),
    );
  });

  it('refuses an unknown basis', async () => {
    await copy.edit(F, '    per: month\n', '    per: week\n');
    expect(await problems()).toContainEqual(
      expect.objectContaining({
        key: 'outpatient_groups.diabetes.per',
        message: expect.stringMatching(/unknown outpatient group basis "week"/),
      }),
    );
  });

  it('refuses overlapping dates of a rate', async () => {
    await copy.edit(
      F,
      '- { value: 80, from: 2023-01-01, reference: docs/payment.md §11 }',
      '- { value: 80, from: 2023-01-01, reference: docs/payment.md §11 }\n      - { value: 90, from: 2023-07-01, reference: docs/payment.md §11 }',
    );
    expect(await problems()).toContainEqual(
      expect.objectContaining({
        key: 'outpatient_groups.diabetes.rate',
        message: expect.stringMatching(/overlap/),
      }),
    );
  });
});
