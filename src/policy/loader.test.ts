/**
 * Loader errors: one test per kind of mistake, each on an edited copy of demo-2022, asserting the
 * file, line and key path the staffer is sent to.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TriguardError } from '../kernel/errors.ts';
import { listPacks, loadPack } from './loader.ts';
import { PackError, type Problem } from './problems.ts';
import { copyPack, type PackCopy } from './testing/copy-pack.ts';

let copy: PackCopy;
beforeEach(async () => {
  copy = await copyPack('demo-2022');
});
afterEach(() => copy.remove());

async function refusal(name = 'demo-2022'): Promise<PackError> {
  try {
    await loadPack(name, { root: copy.root });
  } catch (e) {
    if (e instanceof PackError) return e;
    throw e;
  }
  throw new Error('the pack was accepted');
}

async function problems(): Promise<Problem[]> {
  return (await refusal()).problems;
}

const problem = (file: string, line: number, key: string, message: RegExp | string) =>
  expect.objectContaining({
    file,
    line,
    key,
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });

describe('the shipped pack', () => {
  it('loads', async () => {
    const pack = await loadPack('demo-2022', { root: copy.root });
    expect(pack.name).toBe('demo-2022');
    expect(pack.validity).toEqual({ from: '2022-01-01', to: '2022-12-31' });
  });
});

describe('values', () => {
  it('refuses a ratio above 100 %, in the file:line key: message form', async () => {
    const line = await copy.edit('basic.yaml', 'value: 80%', 'value: 180%');
    const e = await refusal();
    expect(e.problems).toEqual([
      problem('basic.yaml', line, 'inpatient.ratio.level2', '180% is above 100 %'),
    ]);
    expect(e.message).toContain(`basic.yaml:${line} inpatient.ratio.level2: 180% is above 100 %`);
    expect(e.messages.zh).toContain(`basic.yaml:${line} inpatient.ratio.level2: 180% 超过 100 %`);
  });

  it('refuses a bare ratio that looks like a fraction', async () => {
    const line = await copy.edit('basic.yaml', 'value: 80%', 'value: 0.8');
    expect(await problems()).toEqual([
      problem('basic.yaml', line, 'inpatient.ratio.level2', /looks like a fraction/),
    ]);
  });

  it('refuses an amount with more than two decimals', async () => {
    const line = await copy.edit('critical_illness.yaml', 'value: 15000,', 'value: 15000.125,');
    expect(await problems()).toEqual([
      problem(
        'critical_illness.yaml',
        line,
        'everyone.deductible',
        '15000.125 has more than two decimals',
      ),
    ]);
  });

  it('refuses a negative amount', async () => {
    const line = await copy.edit('assistance.yaml', 'value: 3000,', 'value: -3000,');
    expect(await problems()).toEqual([
      problem(
        'assistance.yaml',
        line,
        'groups.low_income.deductible',
        '-3000 must not be negative',
      ),
    ]);
  });

  it('refuses text where an amount belongs', async () => {
    const line = await copy.edit('re_assistance.yaml', 'value: 20000', 'value: twenty');
    expect(await problems()).toEqual([
      problem('re_assistance.yaml', line, 'groups.eligible.cap', 'twenty is not an amount in yuan'),
    ]);
  });

  it('refuses a malformed date', async () => {
    const line = await copy.edit('re_assistance.yaml', 'from: 2022-01-01', 'from: 2022-13-01');
    expect(await problems()).toContainEqual(
      problem(
        're_assistance.yaml',
        line,
        'groups.eligible.deductible[0].from',
        /2022-13-01 is not a date/,
      ),
    );
  });

  it('refuses brackets that do not rise', async () => {
    const line = await copy.edit('critical_illness.yaml', 'above: 200000', 'above: 50000');
    expect(await problems()).toEqual([
      problem(
        'critical_illness.yaml',
        line,
        'everyone.brackets[0].value[2].above',
        'brackets must rise',
      ),
    ]);
  });
});

describe('shape', () => {
  it('refuses an unknown key at its own line', async () => {
    const line = await copy.edit(
      'basic.yaml',
      '  deductible_key: chronic_outpatient',
      '  deductible_kee: chronic_outpatient',
    );
    expect(await problems()).toEqual([
      problem(
        'basic.yaml',
        line,
        'chronic_outpatient.deductible_kee',
        'unknown key "deductible_kee"',
      ),
    ]);
  });

  it('refuses a missing key at the line of the mapping that lacks it', async () => {
    await copy.edit('backstop.yaml', '    cap_group: backstop_chronic\n', '');
    const line = await copy.lineOf('backstop.yaml', '  chronic_outpatient:');
    expect(await problems()).toEqual([
      problem('backstop.yaml', line, 'visit_types.chronic_outpatient.cap_group', 'is required'),
    ]);
  });

  it('refuses a dated value without a reference', async () => {
    const line = await copy.edit(
      'basic.yaml',
      '{ value: 50%, from: 2022-01-01, reference: seeds/002_a659a296fb6e97ea.txt }',
      '{ value: 50%, from: 2022-01-01 }',
    );
    expect(await problems()).toEqual([
      problem('basic.yaml', line, 'two_diseases.ratio[0].reference', 'is required'),
    ]);
  });

  it('reports a YAML syntax error with its line', async () => {
    const line = await copy.edit('basic.yaml', 'cap_groups: [main]', 'cap_groups: [main');
    const ps = await problems();
    expect(ps[0]).toMatchObject({
      file: 'basic.yaml',
      key: '',
      message: expect.stringMatching(/^YAML syntax error/),
    });
    expect(ps[0]?.line).toBeGreaterThanOrEqual(line);
  });

  it('reports a missing file', async () => {
    await rm(join(copy.dir, 'backstop.yaml'));
    expect(await problems()).toEqual([problem('backstop.yaml', 0, '', 'file is missing')]);
  });

  it('refuses a pack whose name is not its folder name', async () => {
    const other = await copyPack('demo-2022', 'demo-copy');
    try {
      const e = await loadPack('demo-copy', { root: other.root }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PackError);
      expect((e as PackError).problems).toEqual([
        problem(
          'pack.yaml',
          await other.lineOf('pack.yaml', 'name: demo-2022'),
          'name',
          /folder is "demo-copy"/,
        ),
      ]);
    } finally {
      await other.remove();
    }
  });
});

describe('visit types, categories and cap groups', () => {
  it('refuses an unknown visit type among the keys of basic.yaml', async () => {
    const line = await copy.edit('basic.yaml', 'general_outpatient: #', 'general_outpatent: #');
    const ps = await problems();
    expect(ps).toContainEqual(
      problem(
        'basic.yaml',
        line,
        'general_outpatent',
        /^unknown visit type or key "general_outpatent"/,
      ),
    );
    expect(ps).toContainEqual(problem('basic.yaml', 1, 'general_outpatient', 'is required'));
  });

  it('refuses an unknown visit type in a list', async () => {
    const line = await copy.edit(
      'critical_illness.yaml',
      '[inpatient, chronic_outpatient]',
      '[inpatient, chronic]',
    );
    expect(await problems()).toEqual([
      problem('critical_illness.yaml', line, 'visit_types[1]', /^unknown visit type "chronic"/),
    ]);
  });

  it('refuses an unknown visit type as a key of backstop.yaml', async () => {
    const line = await copy.edit('backstop.yaml', '  chronic_outpatient:', '  chronic:');
    expect(await problems()).toEqual([
      problem('backstop.yaml', line, 'visit_types.chronic', /^unknown visit type "chronic"/),
    ]);
  });

  it('refuses an unknown category in a rule', async () => {
    const line = await copy.edit(
      'basic.yaml',
      'categories: [key_assistance]',
      'categories: [key_assistance, subsistance]',
    );
    expect(await problems()).toEqual([
      problem(
        'basic.yaml',
        line,
        'tilts.key_assistance.categories[1]',
        /^unknown category "subsistance"/,
      ),
    ]);
  });

  it('refuses an unknown category in a category set', async () => {
    const line = await copy.edit(
      'pack.yaml',
      '[extreme_poverty, subsistence,',
      '[extreme_poverty, subsistance,',
    );
    expect(await problems()).toEqual([
      problem(
        'pack.yaml',
        line,
        'category_sets.key_assistance[1]',
        /^unknown category "subsistance"/,
      ),
    ]);
  });

  it('refuses a cap group nobody uses', async () => {
    const line = await copy.edit(
      'basic.yaml',
      '  general: # 普通门诊年度限额',
      '  dental:\n    - { value: 100, from: 2022-01-01, reference: test }\n  general: # 普通门诊年度限额',
    );
    expect(await problems()).toEqual([
      problem(
        'basic.yaml',
        line,
        'cap_groups.dental',
        'cap group "dental" is not used by any visit type',
      ),
    ]);
  });

  it('refuses a visit type naming an undefined cap group', async () => {
    const line = await copy.edit(
      'basic.yaml',
      'cap_groups: [general]',
      'cap_groups: [general, dental]',
    );
    expect(await problems()).toEqual([
      problem(
        'basic.yaml',
        line,
        'general_outpatient.cap_groups[1]',
        /^unknown cap group "dental"/,
      ),
    ]);
  });

  it('refuses a backstop paid by an unknown programme', async () => {
    const line = await copy.edit(
      'backstop.yaml',
      'programme: mental_disorder_backstop',
      'programme: other',
    );
    expect(await problems()).toEqual([
      problem('backstop.yaml', line, 'programme', /^unknown programme "other"/),
    ]);
  });
});

describe('dated histories', () => {
  it('refuses overlapping date ranges', async () => {
    const first = await copy.edit(
      'basic.yaml',
      '    - { value: 200000, from: 2022-01-01, reference: settlement.md §5 }',
      '    - { value: 200000, from: 2022-01-01, reference: settlement.md §5 }\n    - { value: 250000, from: 2022-07-01, reference: test }',
    );
    expect(await problems()).toEqual([
      problem(
        'basic.yaml',
        first + 1,
        'cap_groups.main',
        /^the value from 2022-07-01 overlaps the value from 2022-01-01 \(line \d+\)/,
      ),
    ]);
  });

  it('refuses a history that leaves part of the validity without a value', async () => {
    await copy.edit(
      'critical_illness.yaml',
      'value: 400000, from: 2022-01-01',
      'value: 400000, from: 2022-03-01',
    );
    const line = await copy.lineOf('critical_illness.yaml', '  cap: #');
    expect(await problems()).toEqual([
      problem(
        'critical_illness.yaml',
        line,
        'everyone.cap',
        /^no value from 2022-01-01 to 2022-02-28/,
      ),
    ]);
  });

  it('refuses a value that ends before it starts', async () => {
    const line = await copy.edit(
      'pack_wide.yaml',
      'from: 2022-01-01, reference: seeds/003',
      'from: 2022-01-01, to: 2021-12-31, reference: seeds/003',
    );
    expect(await problems()).toEqual([
      problem('pack_wide.yaml', line, 'per_capita_income', /ends \(2021-12-31\) before it starts/),
    ]);
  });
});

describe('cumulative groups', () => {
  it('refuses a group without an everyone rule that leaves a parameter unset', async () => {
    // The first such cap in assistance.yaml is the low_income group's.
    await copy.edit(
      'assistance.yaml',
      '    cap:\n      - { value: 30000, from: 2022-01-01, reference: settlement.md §5 }\n',
      '',
    );
    const line = await copy.lineOf('assistance.yaml', '  low_income:');
    expect(await problems()).toEqual([
      problem('assistance.yaml', line, 'groups.low_income', /^needs cap/),
    ]);
  });

  it('refuses two ways of setting one parameter', async () => {
    const line = await copy.edit(
      'critical_illness.yaml',
      '    deductible_factor: # 起付线降低 50%',
      '    deductible:\n      - { value: 7500, from: 2022-01-01, reference: test }\n    deductible_factor: # 起付线降低 50%',
    );
    expect(await problems()).toEqual([
      problem(
        'critical_illness.yaml',
        line + 2,
        'groups.key_assistance.deductible_factor',
        'deductible and deductible_factor exclude each other',
      ),
    ]);
  });
});

describe('every problem at once', () => {
  it('lists mistakes of several files in one refusal, in file order', async () => {
    const a = await copy.edit('pack_wide.yaml', 'value: 35705', 'value: -1');
    const b = await copy.edit('basic.yaml', 'value: 80%', 'value: 180%');
    const e = await refusal();
    expect(e).toBeInstanceOf(TriguardError);
    expect(e.kind).toBe('unprocessable');
    expect(e.problems).toEqual([
      problem('basic.yaml', b, 'inpatient.ratio.level2', '180% is above 100 %'),
      problem('pack_wide.yaml', a, 'per_capita_income', '-1 must not be negative'),
    ]);
    expect(e.message.split('\n')).toEqual([
      'policy pack demo-2022 has 2 problems:',
      `basic.yaml:${b} inpatient.ratio.level2: 180% is above 100 %`,
      `pack_wide.yaml:${a} per_capita_income: -1 must not be negative`,
    ]);
  });
});

describe('names', () => {
  it('refuses a pack name that is a path', async () => {
    await expect(loadPack('../etc', { root: copy.root })).rejects.toMatchObject({
      kind: 'invalid',
      code: 'policy.bad_pack_name',
    });
  });

  it('says when there is no such pack', async () => {
    await expect(loadPack('nope', { root: copy.root })).rejects.toMatchObject({
      kind: 'not_found',
      code: 'policy.pack_not_found',
    });
  });
});

describe('listPacks', () => {
  it('lists the shipped packs without fixtures, with fixtures when asked', async () => {
    const names = (await listPacks()).map((p) => p.name);
    expect(names).toEqual(['demo-2022', 'demo-2023']);
    const all = await listPacks({ includeFixtures: true });
    expect(all.map((p) => p.name)).toContain('fixture-midyear');
    expect(all.find((p) => p.name === 'demo-2023')).toEqual({
      name: 'demo-2023',
      title: {
        zh: '演示县 2023 年居民医保三重保障政策',
        en: 'Demo county 2023 resident safety net',
      },
      region: '370899',
      scheme: 'resident',
      validity: { from: '2023-01-01', to: null },
      fixture: false,
      draft: false,
      basedOn: null,
    });
  });
});
