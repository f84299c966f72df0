/**
 * Pack tests: YAML cases beside a pack (`policies/<pack>/tests/*.yaml`), each a date or period, a
 * bill context and the resolved parameters expected, in yuan and percent:
 *
 *   cases:
 *     - name: 低保 普通住院 二级
 *       date: 2022-03-15                       # or period: { from: 2022-01-01, to: 2022-12-31 }
 *       context: { visit_type: inpatient, hospital_level: 2, categories: [subsistence] }
 *       expect: { basic.deductible: 250, basic.ratio: 90% }
 *
 * A period must hold on every day in it, so a value that changes mid-period fails the case.
 * Resolution depends on the date only through dated values, so the run evaluates the first day
 * of the period and each day some value starts or stops within it: that is every day, checked
 * once per stretch in which nothing changes. The run also records which dated values the compared facts came from: a value no case reaches is
 * reported as uncovered, because a number nobody tests can be broken without anyone noticing.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { IsoDate } from '../kernel/period.ts';
import type { BillContext, HospitalLevel, Remote } from './types.ts';
import { CATEGORIES, type Category } from './types.ts';
import type { PolicyPack } from './model.ts';
import { addDays, covers } from './dated.ts';
import { billFacts, packWideFacts, renderValue, type Fact } from './facts.ts';
import { coverageFacts } from './facts-coverage.ts';
import { resolveCoverage } from './resolve-coverage.ts';
import { expectKey } from './expect.ts';
import { issuesToProblems, problemAt, type Problem } from './problems.ts';
import { resolveBill, resolvePackWide } from './resolve.ts';
import { date, leaf, text, visitType } from './schema-common.ts';
import type { Parsed } from './units.ts';
import { readYamlSource, type YamlSource } from './yaml-source.ts';

const level = leaf((raw): Parsed<HospitalLevel> =>
  raw === 1 || raw === 2 || raw === 3
    ? { ok: true, value: raw }
    : {
        ok: false,
        en: `${String(raw)} is not a hospital level (1, 2, 3)`,
        zh: `${String(raw)} 不是医院等级（1、2、3）`,
      },
);
const remote = leaf((raw): Parsed<Remote> =>
  raw === null || raw === 'filed' || raw === 'unfiled'
    ? { ok: true, value: raw }
    : {
        ok: false,
        en: `${String(raw)} is not null, filed or unfiled`,
        zh: `${String(raw)} 应为 null、filed 或 unfiled`,
      },
);
const category = leaf((raw): Parsed<Category> =>
  (CATEGORIES as readonly unknown[]).includes(raw)
    ? { ok: true, value: raw as Category }
    : { ok: false, en: `unknown category "${String(raw)}"`, zh: `未知的身份类别 "${String(raw)}"` },
);

const testFile = z.strictObject({
  cases: z
    .array(
      z.strictObject({
        name: text,
        date: z.optional(date),
        period: z.optional(z.strictObject({ from: date, to: date })),
        context: z.optional(
          z.strictObject({
            visit_type: visitType,
            hospital_level: level,
            diagnosis: z.optional(text),
            remote: z.optional(remote),
            categories: z.optional(z.array(category)),
          }),
        ),
        expect: z.record(z.string(), z.unknown()),
      }),
    )
    .min(1),
});
type TestCase = z.output<typeof testFile>['cases'][number];

export interface Failure {
  /** e.g. `tests/basic.yaml` */
  file: string;
  line: number;
  caseName: string;
  date: IsoDate;
  key: string;
  expected: string;
  actual: string;
  /** Where the actual value came from, `basic.yaml:21 inpatient.deductible.level2`. */
  sources: string[];
}

export interface PackTestReport {
  pack: string;
  files: string[];
  cases: number;
  passed: number;
  failures: Failure[];
  /** Mistakes in the test files themselves. */
  problems: Problem[];
  /** Dated values in force during the pack's validity that no compared fact came from. */
  uncovered: { file: string; line: number; key: string }[];
}

export const reportPassed = (r: PackTestReport) =>
  r.failures.length === 0 && r.problems.length === 0;

export function formatFailure(f: Failure): string {
  const from = f.sources.length > 0 ? ` (from ${f.sources.join('; ')})` : '';
  return `${f.file}:${f.line} "${f.caseName}" ${f.date} ${f.key}: expected ${f.expected}, got ${f.actual}${from}`;
}

export async function runPackTests(pack: PolicyPack): Promise<PackTestReport> {
  const dir = join(pack.dir, 'tests');
  const names = (await readdir(dir).catch(() => [])).filter((n) => /\.ya?ml$/.test(n)).sort();
  const report: PackTestReport = {
    pack: pack.name,
    files: names.map((n) => `tests/${n}`),
    cases: 0,
    passed: 0,
    failures: [],
    problems: [],
    uncovered: [],
  };
  const covered = new Set<string>();
  for (const name of names) {
    const source = await readYamlSource(pack.dir, `tests/${name}`, report.problems);
    if (source.data === undefined) continue;
    const parsed = testFile.safeParse(source.data, { reportInput: true });
    if (!parsed.success) {
      report.problems.push(...issuesToProblems(source, parsed.error.issues, () => null));
      continue;
    }
    parsed.data.cases.forEach((c, i) => {
      report.cases += 1;
      const failures = runCase(pack, source, i, c, report.problems, covered);
      report.failures.push(...failures);
      if (failures.length === 0) report.passed += 1;
    });
  }
  report.uncovered = uncovered(pack, covered);
  return report;
}

function runCase(
  pack: PolicyPack,
  source: YamlSource,
  index: number,
  c: TestCase,
  problems: Problem[],
  covered: Set<string>,
): Failure[] {
  const at = (...path: (string | number)[]) => ['cases', index, ...path];
  const before = problems.length;
  const period = c.period ?? (c.date ? { from: c.date, to: c.date } : null);
  if (!period || (c.period && c.date)) {
    problems.push(
      problemAt(source, at(), 'give either date or period', '应给出 date 或 period 之一'),
    );
  } else if (!covers(pack.validity, period.from) || !covers(pack.validity, period.to)) {
    problems.push(
      problemAt(
        source,
        at(c.period ? 'period' : 'date'),
        `${period.from}–${period.to} is not inside the pack's validity`,
        `${period.from}–${period.to} 不在政策包有效期内`,
      ),
    );
  }
  const expected = Object.entries(c.expect).flatMap(([key, raw]) => {
    const rule = expectKey(key);
    const problem = (en: string, zh: string) => {
      problems.push(problemAt(source, at('expect', key), en, zh));
      return [];
    };
    if (!rule)
      return problem(`no resolved parameter is called "${key}"`, `没有名为 "${key}" 的参数`);
    if (rule.scope === 'bill' && !c.context) return problem('needs a context', '需要给出 context');
    const value = rule.read(raw);
    if (!value.ok) return problem(value.en, value.zh);
    return [{ key, fact: rule.fact, scope: rule.scope, expected: value.value }];
  });
  if (problems.length > before || !period) return [];

  const failures: Failure[] = [];
  const failed = new Set<string>();
  for (const day of changeDays(pack, period.from, period.to)) {
    const facts = factsOn(
      pack,
      c,
      day,
      expected.some((e) => e.scope === 'pack_wide'),
    );
    for (const e of expected) {
      if (failed.has(e.key)) continue;
      const actual = facts.get(e.fact);
      actual?.provenance.forEach((p) => covered.add(`${p.file}:${p.line}`));
      const actualText = actual ? renderValue(actual) : '(not resolved: the tier does not apply)';
      if (actualText === e.expected) continue;
      failed.add(e.key);
      failures.push({
        file: source.file,
        line: source.lineOf(at('expect', e.key)),
        caseName: c.name,
        date: day,
        key: e.key,
        expected: e.expected,
        actual: actualText,
        sources: (actual?.provenance ?? []).map((p) => `${p.file}:${p.line} ${p.key}`),
      });
    }
  }
  return failures;
}

function factsOn(pack: PolicyPack, c: TestCase, day: IsoDate, wide: boolean): Map<string, Fact> {
  const facts: Fact[] = [];
  if (c.context) {
    const ctx: BillContext = {
      date: day,
      visitType: c.context.visit_type,
      hospitalLevel: c.context.hospital_level,
      diagnosis: c.context.diagnosis ?? '',
      remote: c.context.remote ?? null,
      categories: c.context.categories ?? [],
    };
    facts.push(...billFacts(pack, resolveBill(pack, ctx)));
  }
  if (wide) {
    facts.push(...packWideFacts(resolvePackWide(pack, day)));
    facts.push(...coverageFacts(resolveCoverage(pack, day)));
  }
  return new Map(facts.map((f) => [f.key, f]));
}

/** The first day of the period and every day in it on which some dated value starts or stops. */
function changeDays(pack: PolicyPack, from: IsoDate, to: IsoDate): IsoDate[] {
  const days = new Set<IsoDate>([from]);
  for (const p of pack.params) {
    for (const e of p.entries) {
      for (const day of [e.from, e.to === null ? null : addDays(e.to, 1)]) {
        if (day !== null && day > from && day <= to) days.add(day);
      }
    }
  }
  return [...days].sort();
}

function uncovered(pack: PolicyPack, covered: Set<string>): PackTestReport['uncovered'] {
  const v = pack.validity;
  // Payment values never reach a bill; src/payment's tests hold them (docs/payment.md §8).
  return pack.params
    .filter((p) => p.file !== 'payment.yaml')
    .flatMap((p) =>
      p.entries
        .filter((e) => e.from <= (v.to ?? '9999-12-31') && (e.to === null || e.to >= v.from))
        .filter((e) => !covered.has(`${p.file}:${e.line}`))
        .map((e) => ({ file: p.file, line: e.line, key: p.key })),
    );
}
