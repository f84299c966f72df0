/**
 * The settlement benchmark's load from wrk (Debian package `wrk`), a C load generator: on a small
 * machine the load generator shares the cores with the server and PostgreSQL, and a Node
 * generator (bench/load.ts) costs several times wrk's CPU a request — pgbench, the baseline,
 * drives its server from C too. The bodies are the same as the Node generator's.
 */
import { execFile, execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult } from '../load.ts';

const SCRIPT = fileURLToPath(new URL('./wrk-settle.lua', import.meta.url));
const THREADS = 2;

export function wrkAvailable(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // wrk --version prints its usage and exits 1; only a missing binary is "not available".
    return (e as { code?: unknown }).code !== 'ENOENT';
  }
}

export async function wrkSettle(opts: {
  url: string;
  clients: number;
  seconds: number;
  headers: Record<string, string>;
  people: readonly string[];
  /** msgid prefix: runs against the same database must not repeat each other's msgids. */
  prefix: string;
}): Promise<LoadResult> {
  // Named by the msgid prefix too: bench/settlement-ab runs two loads at once.
  const file = join(tmpdir(), `tg-bench-people-${process.pid}-${opts.prefix}.txt`);
  writeFileSync(file, opts.people.join('\n') + '\n');
  const headers = { 'content-type': 'application/json', ...opts.headers };
  const args = [
    `-t${THREADS}`,
    `-c${opts.clients}`,
    `-d${opts.seconds}s`,
    '--timeout',
    '10s',
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    '-s',
    SCRIPT,
    opts.url,
    '--',
    file,
    opts.prefix,
    String(THREADS),
  ];
  const out = await new Promise<string>((resolve, reject) =>
    execFile('wrk', args, { encoding: 'utf8' }, (err, stdout, stderr) =>
      err ? reject(new Error(`wrk failed: ${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  ).finally(() => rmSync(file, { force: true }));
  const last = out.trim().split('\n').at(-1) ?? '';
  const r = JSON.parse(last) as {
    requests: number;
    seconds: number;
    p50: number;
    p99: number;
    errors: number;
  };
  return {
    requests: r.requests,
    errors: r.errors,
    seconds: r.seconds,
    perSecond: r.requests / r.seconds,
    p50: r.p50,
    p99: r.p99,
    firstError:
      r.errors > 0 ? `${r.errors} requests failed (wrk counts them, not their bodies)` : null,
  };
}
