import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPack } from './loader.ts';
import { formatFailure, reportPassed, runPackTests } from './pack-tests.ts';
import { copyPack, type PackCopy } from './testing/copy-pack.ts';

let copy: PackCopy;
afterEach(() => copy.remove());

describe('pack tests on a broken copy of demo-2022', () => {
  beforeEach(async () => {
    copy = await copyPack('demo-2022');
  });

  it('fail with the case, the key and the pack line the wrong value came from', async () => {
    const line = await copy.edit('basic.yaml', 'value: 500,', 'value: 550,');
    const report = await runPackTests(await loadPack('demo-2022', { root: copy.root }));
    expect(reportPassed(report)).toBe(false);
    const caseLine = await copy.lineOf(
      'tests/basic.yaml',
      '{ basic.deductible: 500, basic.ratio: 80% }',
    );
    expect(report.failures.map(formatFailure)).toContain(
      `tests/basic.yaml:${caseLine} "普通住院 二级 / inpatient L2" 2022-06-01 basic.deductible: expected 500.00, got 550.00 (from basic.yaml:${line} inpatient.deductible.level2)`,
    );
    // The tilt is applied to the broken value too: the worked example catches it as well.
    expect(
      report.failures.some(
        (f) => f.key === 'basic.deductible' && f.expected === '250.00' && f.actual === '275.00',
      ),
    ).toBe(true);
  });

  it('catch a value that changes inside a period on the first day it differs', async () => {
    await copy.edit(
      'critical_illness.yaml',
      '    - { value: 400000, from: 2022-01-01, reference: settlement.md §5 }',
      '    - { value: 400000, from: 2022-01-01, to: 2022-09-30, reference: settlement.md §5 }\n    - { value: 450000, from: 2022-10-01, reference: test }',
    );
    const report = await runPackTests(await loadPack('demo-2022', { root: copy.root }));
    expect(report.failures).toEqual([
      expect.objectContaining({
        key: 'critical_illness.cap',
        date: '2022-10-01',
        expected: '400000.00',
        actual: '450000.00',
      }),
    ]);
  });

  it('report mistakes in the test files with their line', async () => {
    await writeFile(
      join(copy.dir, 'tests', 'zz_bad.yaml'),
      'cases:\n  - name: typo\n    date: 2022-06-01\n    context: { visit_type: inpatient, hospital_level: 2 }\n    expect:\n      basic.ratoi: 80%\n  - name: outside\n    date: 2023-06-01\n    expect: { pack_wide.per_capita_income: 35705 }\n',
    );
    const report = await runPackTests(await loadPack('demo-2022', { root: copy.root }));
    expect(report.problems).toEqual([
      expect.objectContaining({
        file: 'tests/zz_bad.yaml',
        line: 6,
        key: 'cases[0].expect.basic.ratoi',
        message: 'no resolved parameter is called "basic.ratoi"',
      }),
      expect.objectContaining({
        file: 'tests/zz_bad.yaml',
        line: 8,
        key: 'cases[1].date',
        message: expect.stringMatching(/not inside the pack's validity/),
      }),
    ]);
    expect(reportPassed(report)).toBe(false);
  });

  it('report dated values no case reaches', async () => {
    await mkdir(join(copy.dir, 'tests'), { recursive: true });
    await writeFile(
      join(copy.dir, 'tests', 'pack_wide.yaml'),
      'cases:\n  - { name: only income, date: 2022-06-01, expect: { pack_wide.per_capita_income: 35705 } }\n',
    );
    const report = await runPackTests(await loadPack('demo-2022', { root: copy.root }));
    expect(report.uncovered).toContainEqual({
      file: 'pack_wide.yaml',
      line: await copy.lineOf('pack_wide.yaml', 'value: 2021-12-31'),
      key: 'refund_cutoff',
    });
    expect(report.uncovered).not.toContainEqual(
      expect.objectContaining({ key: 'per_capita_income' }),
    );
  });
});

describe('the mid-year fixture', () => {
  it('fails a case that expects one ratio all year', async () => {
    copy = await copyPack('fixture-midyear');
    await writeFile(
      join(copy.dir, 'tests', 'all_year.yaml'),
      'cases:\n  - name: all year\n    period: { from: 2022-01-01, to: 2022-12-31 }\n    context: { visit_type: inpatient, hospital_level: 2 }\n    expect: { basic.ratio: 80% }\n',
    );
    const report = await runPackTests(await loadPack('fixture-midyear', { root: copy.root }));
    expect(report.failures).toEqual([
      expect.objectContaining({ caseName: 'all year', date: '2022-07-01', actual: '85%' }),
    ]);
  });
});
