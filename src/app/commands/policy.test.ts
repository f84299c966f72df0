import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/command.ts';
import { policyCommand } from './policy.ts';
import { copyPack, type PackCopy } from '../../policy/testing/copy-pack.ts';

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    tty: false,
    env: {},
    cwd: process.cwd(),
  };
  return { io, out, err, text: () => out.join('\n') };
}

async function run(...argv: string[]) {
  const f = fakeIo();
  const code = await policyCommand.run(argv, f.io);
  return { code, ...f };
}

/** The row of `policy show` whose English label is `label`, split into its columns. */
const row = (text: string, label: string) =>
  text
    .split('\n')
    .find((l) => l.includes(` ${label} `) || l.includes(` ${label}  `))
    ?.split(/\s{2,}/);

let copy: PackCopy | null = null;
afterEach(async () => {
  await copy?.remove();
  copy = null;
});

describe('policy show', () => {
  it('prints the halved deductibles and raised ratios of §5 for subsistence', async () => {
    const r = await run('show', 'demo-2022', '--date', '2022-06-01', '--category', 'subsistence');
    expect(r.code).toBe(0);
    expect(r.text()).toContain('日期 Date 2022-06-01 · 身份 Categories 低保对象 subsistence');
    expect(row(r.text(), 'Inpatient: deductible per admission (L1/L2/L3)')?.[2]).toBe(
      '100.00 / 250.00 / 500.00',
    );
    expect(row(r.text(), 'Inpatient: ratio (L1/L2/L3)')?.[2]).toBe('100% / 90% / 70%');
    expect(row(r.text(), 'Chronic outpatient: deductible per year')?.[2]).toBe('300.00');
    expect(row(r.text(), 'Chronic outpatient: ratio (L1/L2/L3)')?.[2]).toBe('80% / 75% / 70%');
    expect(row(r.text(), 'Two-diseases outpatient: ratio')?.[2]).toBe('50%');
    expect(r.text()).toMatch(
      /basic\.yaml:\d+(,\d+)*（低保对象起付线减半 \/ deductible halved for subsistence）/,
    );
  });

  it('prints the plain numbers without categories, and JSON on request', async () => {
    const r = await run('show', 'demo-2022', '--date', '2022-06-01');
    expect(row(r.text(), 'Inpatient: deductible per admission (L1/L2/L3)')?.[2]).toBe(
      '200.00 / 500.00 / 1,000.00',
    );
    expect(row(r.text(), 'Diabetes with complications')?.[2]).toBe(
      '慢性病 chronic · M01600 · E10, E11, E12, E13, E14 · 2,000.00',
    );
    expect(row(r.text(), 'Six severe mental disorders')?.[3]).toMatch(/^pack\.yaml:\d+$/);
    const json = await run(
      'show',
      'demo-2022',
      '--date',
      '2022-06-01',
      '--json',
      '--diagnosis',
      'K35.8',
    );
    const grid = JSON.parse(json.text()) as { bills: unknown[]; effectiveDate: string };
    expect(grid.bills).toHaveLength(12);
    expect(grid.effectiveDate).toBe('2022-06-01');
  });

  it('refuses an unknown category, naming the option', async () => {
    const r = await run('show', 'demo-2022', '--date', '2022-06-01', '--category', 'poor');
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain('--category: unknown category: poor');
  });
});

describe('policy check', () => {
  it('passes the shipped pack and warns about stale reviews', async () => {
    const r = await run('check', 'demo-2023', '--today', '2024-06-01');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^✓ demo-2023: 格式正确 schema OK/);
    expect(r.text()).toContain('! 3 条提示 warnings');
    expect(r.text()).toMatch(/pack_wide\.yaml:\d+ per_capita_income: last reviewed 2023-01-05/);
  });

  it('fails a copy with a broken number, naming the file, line and key', async () => {
    copy = await copyPack('demo-2022');
    const line = await copy.edit('basic.yaml', 'value: 80%', 'value: 800%');
    const r = await run('check', `${copy.dir}/`);
    expect(r.code).toBe(1);
    expect(r.text()).toContain(
      `basic.yaml:${line} inpatient.ratio.level2: 800% is above 100 % / 800% 超过 100 %`,
    );
  });

  it('fails every shipped pack that serves chronic_outpatient without a disease catalogue', async () => {
    for (const name of ['demo-2022', 'demo-2023', 'fixture-midyear']) {
      copy = await copyPack(name);
      await rm(join(copy.dir, 'diseases.yaml'));
      const r = await run('check', copy.dir);
      expect(r.code).toBe(1);
      expect(r.text()).toContain('diseases.yaml');
      expect(r.text()).toContain('serves chronic_outpatient but has no disease catalogue');
      await copy.remove();
    }
  });

  it('fails a copy without coverage.yaml, and one whose refill tolerance is not whole days', async () => {
    copy = await copyPack('demo-2022');
    const line = await copy.edit('coverage.yaml', 'value: 7,', 'value: 7.5,');
    const bad = await run('check', copy.dir);
    expect(bad.code).toBe(1);
    expect(bad.text()).toContain(
      `coverage.yaml:${line} two_diseases.refill_tolerance_days: 7.5 is not a whole number of days`,
    );
    await rm(join(copy.dir, 'coverage.yaml'));
    const missing = await run('check', copy.dir);
    expect(missing.code).toBe(1);
    expect(missing.text()).toContain('coverage.yaml');
  });

  it('fails a copy with a wrong but valid number through the pack tests', async () => {
    copy = await copyPack('demo-2022');
    const line = await copy.edit('re_assistance.yaml', 'value: 20000', 'value: 2000');
    const r = await run('check', copy.dir);
    expect(r.code).toBe(1);
    expect(r.text()).toContain(
      `re_assistance.cap: expected 20000.00, got 2000.00 (from re_assistance.yaml:${line} groups.eligible.cap)`,
    );
  });
});

describe('policy test, list, diff', () => {
  it('runs every pack test and exits 0 when all pass', async () => {
    const r = await run('test');
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      expect.stringMatching(/^✓ demo-2022: \d+ 个用例通过/),
      expect.stringMatching(/^✓ fixture-midyear: \d+ 个用例通过/),
      expect.stringMatching(/^✓ demo-2023: \d+ 个用例通过/),
    ]);
  });

  it('exits non-zero with the failing case and key', async () => {
    copy = await copyPack('demo-2022');
    await copy.edit('pack_wide.yaml', 'value: 35705', 'value: 35706');
    const r = await run('test', copy.dir);
    expect(r.code).toBe(1);
    expect(r.text()).toMatch(
      /tests\/pack_wide\.yaml:\d+ "全年 \/ the whole year" 2022-01-01 pack_wide\.per_capita_income: expected 35705\.00, got 35706\.00/,
    );
  });

  it('lists packs and diffs two of them', async () => {
    const list = await run('list');
    expect(list.out.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['demo-2022', 'demo-2023']);
    const diff = await run('diff', 'demo-2022', 'demo-2023');
    expect(diff.out[0]).toBe('demo-2022 → demo-2023: 7 处不同 differences');
    expect(diff.out).toContain('  critical_illness.yaml everyone.deductible: 15000.00 → 16000.00');
  });

  it('prints help and refuses an unknown subcommand', async () => {
    expect((await run('--help')).code).toBe(0);
    const r = await run('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err[0]).toMatch(/unknown subcommand: frobnicate/);
  });
});

describe('policy draft and publish', () => {
  it('copies a pack to a draft with an edit, lists it as a draft, and refuses to publish it untested', async () => {
    copy = await copyPack('demo-2023');
    const made = await run(
      'draft',
      'demo-2023',
      'more',
      '--root',
      copy.root,
      '--set',
      'basic.yaml:inpatient.ratio.level2=85%',
    );
    expect(made.code).toBe(0);
    expect(made.out[0]).toContain('draft more ← demo-2023');
    const list = await run('list', '--root', copy.root);
    expect(list.text()).toMatch(/more .*draft of demo-2023/);
    const show = await run('show', 'more', '--root', copy.root, '--date', '2023-06-01');
    expect(show.text()).toContain('85%');
    const bad = await run(
      'draft',
      'demo-2023',
      'x',
      '--root',
      copy.root,
      '--set',
      'basic.yaml:no.such=1',
    );
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toContain('--set');
    // Publishing needs the draft's own pack tests, and a reason.
    const noReason = await run('publish', 'more', '--root', copy.root, '--from', '2024-01-01');
    expect(noReason.code).toBe(2);
    const untested = await run(
      'publish',
      'more',
      '--root',
      copy.root,
      '--from',
      '2024-01-01',
      '--reason',
      '试行',
    );
    expect(untested.code).toBe(1);
    expect(untested.err.join('\n')).toContain('needs passing pack tests');
  });
});
