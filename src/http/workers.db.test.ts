/**
 * `triguard serve --workers N` in its own processes: N workers answer on one port, a worker that
 * dies is replaced, SIGTERM stops them all; PGlite refuses more than one. The PostgreSQL cases
 * need DATABASE_URL (CI sets it).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropScratchDatabase } from '../../test/support/db.ts';
import { workersOf } from './workers.ts';

// The sources as they stand (tsx), not a build that may be older.
const BIN = fileURLToPath(new URL('../../bin/triguard-dev', import.meta.url));

describe('workersOf', () => {
  it('defaults to one process and takes 1..64', () => {
    expect(workersOf(undefined)).toBe(1);
    expect(workersOf('')).toBe(1);
    expect(workersOf('2')).toBe(2);
    expect(workersOf('64')).toBe(64);
  });
  it.each(['0', '65', '1.5', 'two', '-1'])('refuses %s, naming the option', (text) => {
    expect(() => workersOf(text)).toThrow(/--workers \(WORKERS\).*1 to 64/);
  });
});

describe('serve --workers on PGlite', () => {
  it('refuses more than one process: the embedded database lives in one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-workers-'));
    const env: NodeJS.ProcessEnv = { ...process.env, TRIGUARD_DATA: dir, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    const r = spawnSync(process.execPath, [BIN, 'serve', '--workers', '2', '--port', '0'], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('needs PostgreSQL');
  });
});

/**
 * The cluster's workers: the children of the primary that run `triguard serve` (a fresh checkout
 * also has tsx's esbuild service as a child while it compiles).
 */
const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('pgrep', ['-P', String(pid), '-f', 'bin/triguard(-dev)? serve'], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
};

async function until<T>(what: string, f: () => T | Promise<T>, ok: (v: T) => boolean) {
  for (let i = 0; i < 300; i++) {
    const v = await f();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!process.env.DATABASE_URL)('serve --workers 2 on PostgreSQL', () => {
  const admin = process.env.DATABASE_URL!;
  const name = `tg_test_workers_${randomBytes(4).toString('hex')}`;
  const port = 39000 + Math.floor(Math.random() * 1000);
  let server: ChildProcess;
  let stderr = '';

  beforeAll(async () => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    server = spawn(process.execPath, [BIN, 'serve', '--workers', '2', '--port', String(port)], {
      env: { ...process.env, DATABASE_URL: url.toString(), DATABASE_POOL: '2', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await until(
      'the listening line',
      () => stderr,
      (s) => s.includes('listening on'),
    );
  });

  afterAll(async () => {
    if (server.exitCode === null) {
      // The workers first: once the primary is gone they are no longer its children to find.
      for (const pid of childrenOf(server.pid!)) process.kill(pid, 'SIGKILL');
      server.kill('SIGKILL');
    }
    await dropScratchDatabase(admin, name);
  });

  const health = async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status;

  it('says how many workers serve, and answers from them', async () => {
    expect(stderr).toContain('(2 workers)');
    expect(childrenOf(server.pid!)).toHaveLength(2);
    for (let i = 0; i < 6; i++) expect(await health()).toBe(200);
  });

  it('replaces a worker that dies', async () => {
    const [victim, other] = childrenOf(server.pid!);
    process.kill(victim!, 'SIGKILL');
    const now = await until(
      'a new worker',
      () => childrenOf(server.pid!),
      (pids) => pids.length === 2 && !pids.includes(victim!),
    );
    expect(now).toContain(other);
    // The primary says so before it forks the replacement, so the line is there by now.
    expect(stderr).toContain('starting another');
    expect(await health()).toBe(200);
  });

  it('stops every worker on SIGTERM and exits 0', async () => {
    const workers = childrenOf(server.pid!);
    const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });
});
