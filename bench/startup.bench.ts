/**
 * bench/startup: how long the compiled `bin/triguard` takes to start, beside bare Node (`node -e
 * 0`) measured in the same run, alternating run by run so both meet the same machine:
 *   - CLI cold start: `bin/triguard idcard check 11010519491231002X` until it exits
 *     (aim ≤ 0.3 s and ≤ 6 × bare Node);
 *   - server start: `bin/triguard serve` on an existing PGlite folder (migrated once beforehand)
 *     until `/healthz` answers 200.
 * dist/ is built by bench/run.ts when stale. Medians of BENCH_RUNS (default 15) runs each. For reference it also times the CLI from the
 * sources through tsx (`bin/triguard-dev`), which production does not use.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './median.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ID = '11010519491231002X';
const AIM_SECONDS = 0.3;
const AIM_RATIO = 6;

/** Seconds from spawn to exit; a failed run throws. */
function timed(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return seconds;
}

/** Seconds from spawn to the first 200 on /healthz; the server is stopped and awaited after. */
async function serverStart(env: NodeJS.ProcessEnv, port: number): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    ['bin/triguard', 'serve', '--host', '127.0.0.1', '--port', String(port)],
    { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`triguard serve exited early:\n${log}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.status === 200) return Number(process.hrtime.bigint() - started) / 1e9;
      } catch {
        // Not listening yet.
      }
      if (Number(process.hrtime.bigint() - started) > 60e9)
        throw new Error(`no 200 in 60 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    // The PGlite folder is held by one process at a time: the next run waits for this one.
    child.kill('SIGTERM');
    await exited;
  }
}

const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;

export async function run() {
  timed(['-e', '0']); // warm the page cache for both sides
  timed(['bin/triguard', 'idcard', 'check', ID]);

  const bare: number[] = [];
  const cli: number[] = [];
  const dev: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(timed(['-e', '0']));
    cli.push(timed(['bin/triguard', 'idcard', 'check', ID]));
    dev.push(timed(['bin/triguard-dev', 'idcard', 'check', ID]));
  }
  const nodeS = median(bare);
  const cliS = median(cli);
  const ratio = cliS / nodeS;
  console.log(`CLI cold start (idcard check), median of ${RUNS}:`);
  console.log(`  bin/triguard (dist/)        ${ms(cliS)}`);
  console.log(`  node -e 0                   ${ms(nodeS)}`);
  console.log(`  ratio                       ${ratio.toFixed(2)} × bare Node`);
  console.log(`  bin/triguard-dev (tsx)      ${ms(median(dev))}   (development only)`);
  console.log(
    `  aim ≤ ${AIM_SECONDS} s and ≤ ${AIM_RATIO} ×: ${cliS <= AIM_SECONDS && ratio <= AIM_RATIO ? 'met' : 'NOT met'}`,
  );

  const data = mkdtempSync(join(tmpdir(), 'tg-bench-startup-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, TRIGUARD_DATA: data, LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    timed(['bin/triguard', 'migrate'], env);
    const port = 39500 + Math.floor(Math.random() * 400);
    await serverStart(env, port); // the first start after migrating is not counted
    const serve: number[] = [];
    const bare2: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare2.push(timed(['-e', '0']));
      serve.push(await serverStart(env, port));
    }
    const serveS = median(serve);
    const node2 = median(bare2);
    console.log(`server start to 200 on /healthz (PGlite, migrated folder), median of ${RUNS}:`);
    console.log(`  bin/triguard serve          ${ms(serveS)}`);
    console.log(`  node -e 0                   ${ms(node2)}`);
    console.log(`  ratio                       ${(serveS / node2).toFixed(1)} × bare Node`);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
}
