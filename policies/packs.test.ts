/**
 * `npm test` runs every pack's own YAML cases (policies/<pack>/tests/*.yaml), one vitest test per
 * pack, so a broken number fails CI with the case, key and pack line that disagree.
 */
import { describe, expect, it } from 'vitest';
import { listPacks, loadPack } from '../src/policy/index.ts';
import { formatFailure, runPackTests } from '../src/policy/pack-tests.ts';
import { formatProblem } from '../src/policy/problems.ts';

const packs = await listPacks({ includeFixtures: true });
const reports = new Map(packs.map((p) => [p.name, loadPack(p.name).then(runPackTests)]));
const reportOf = (name: string) =>
  reports.get(name) ?? Promise.reject(new Error(`no pack ${name}`));

describe('policy pack tests', () => {
  it('finds the shipped packs', () => {
    expect(packs.map((p) => p.name).sort()).toEqual(['demo-2022', 'demo-2023', 'fixture-midyear']);
  });

  for (const summary of packs) {
    it(`${summary.name}: every case passes`, async () => {
      const report = await reportOf(summary.name);
      expect([
        ...report.problems.map((p) => formatProblem(p)),
        ...report.failures.map(formatFailure),
      ]).toEqual([]);
      expect(report.cases).toBeGreaterThan(0);
      expect(report.passed).toBe(report.cases);
    });
  }

  // A number no case reaches could be broken unnoticed; the demo packs leave none.
  for (const name of ['demo-2022', 'demo-2023']) {
    it(`${name}: every dated value is reached by some case`, async () => {
      const report = await reportOf(name);
      expect(report.uncovered).toEqual([]);
    });
  }
});
