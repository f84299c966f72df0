/**
 * `bin/triguard` runs the compiled server (dist/), which must find what it reads at run time from
 * the package root as the sources do: policy packs, migrations. Builds dist/ first when it is
 * missing or older than src/ (CI has built it already).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../kernel/package-root.ts';

const data = mkdtempSync(join(tmpdir(), 'tg-bin-'));

const triguard = (args: string[], bin = 'bin/triguard') => {
  const env: NodeJS.ProcessEnv = { ...process.env, TRIGUARD_DATA: data, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: PACKAGE_ROOT,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
};

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.js', '--if-stale'], {
    cwd: PACKAGE_ROOT,
    stdio: 'inherit',
  });
}, 300_000);

afterAll(() => rmSync(data, { recursive: true, force: true }));

it('checks an ID number from the build, and from the sources with bin/triguard-dev', () => {
  for (const bin of ['bin/triguard', 'bin/triguard-dev']) {
    const r = triguard(['idcard', 'check', '11010519491231002X'], bin);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, birthDate: '1949-12-31' });
  }
});

it('finds the policy packs from dist/', () => {
  const r = triguard(['policy', 'list']);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('demo-2022');
});

it('finds the migrations from dist/', () => {
  const r = triguard(['migrate']);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout + r.stderr).toMatch(/migrations: [1-9]\d* applied/);
});
