/**
 * bench/settlement-ab: this checkout's server beside an earlier commit's, both loaded at the same
 * time, each charged for its own CPU: its server process and its own PostgreSQL backends (told
 * apart by application_name). It answers "does this change make a settlement cheaper?".
 *
 * Why side by side: on a shared machine the same code's rate can move by tens of percent between
 * two runs a minute apart (the machine's speed, not the code), so two versions run one after the
 * other cannot show a 5 % change. Two versions running at once see the same machine; with the
 * same commit on both sides the ratio stays within about 2 % of 1, so one run resolves about
 * ±3 % (bench/README.md).
 *
 * BENCH_AB_BASE: the commit to compare against (default HEAD, i.e. the uncommitted change). It is
 * checked out into a temporary git worktree that borrows this checkout's node_modules. Each side
 * gets its own database, migrated and loaded by its own CLI (`triguard demo --seed 1`), so a
 * change of schema is compared too, and its own machine account (`user add` / `user token`).
 * BENCH_PEOPLE (default 100,000), BENCH_CLIENTS per side (default 16), BENCH_SECONDS (default
 * 10), BENCH_ROUNDS (default 5). Load from wrk (required here).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchUrl, queryOnce } from './scratch-db.ts';
import { median } from './median.ts';
import { startCpuSplit, withApplicationName } from './server-cpu.ts';
import { startServer } from './server.ts';
import { wrkAvailable, wrkSettle } from './settlement/wrk.ts';
import { BENCH_INSTITUTION, CERTIFY_PATIENTS_SQL, REGISTER_PATIENTS_SQL } from './auth.ts';
import type { LoadResult } from './load.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BASE = process.env.BENCH_AB_BASE ?? 'HEAD';
const HERE = fileURLToPath(new URL('..', import.meta.url));

interface Side {
  name: 'A' | 'B';
  /** What it runs: the base commit or this checkout. */
  label: string;
  dir: string;
  db: string;
  url: string;
  port: number;
  people: string[];
  token: string;
}

interface Use {
  load: LoadResult;
  serverMs: number;
  postgresMs: number;
}

function dbUrl(name: string): string {
  const u = new URL(benchUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs a side's own CLI against its database; returns stdout. */
function triguard(side: Side, args: string[]): string {
  return execFileSync(process.execPath, [join(side.dir, 'bin/triguard'), ...args], {
    env: { ...process.env, DATABASE_URL: side.url, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** A fresh database loaded by the side's own code, and a machine account of the hospital. */
async function prepare(side: Side): Promise<void> {
  await queryOnce(benchUrl(), `DROP DATABASE IF EXISTS ${side.db} WITH (FORCE)`);
  await queryOnce(benchUrl(), `CREATE DATABASE ${side.db}`);
  triguard(side, ['migrate']);
  triguard(side, ['demo', '--people', String(PEOPLE), '--seed', '1', '--year', '2022']);
  const user = `bench_ab_${side.name.toLowerCase()}`;
  triguard(side, [
    'user',
    'add',
    user,
    '--role',
    'designated_institution',
    '--region',
    '370899',
    '--institution',
    BENCH_INSTITUTION,
    '--machine',
  ]);
  const issued = JSON.parse(triguard(side, ['user', 'token', user, '--label', 'bench-ab'])) as {
    token: string;
  };
  side.token = issued.token;
  await queryOnce(side.url, REGISTER_PATIENTS_SQL);
  await queryOnce(side.url, CERTIFY_PATIENTS_SQL);
  side.people = (await queryOnce<{ certno: string }>(side.url, 'SELECT certno FROM person')).map(
    (r) => r.certno,
  );
}

const appName = (side: Side) => `tg_ab_${side.name}`;

/** Both sides loaded at once for `seconds`; each side's CPU per settlement. */
async function round(
  sides: readonly Side[],
  seconds: number,
  prefix: string,
  servers: readonly number[],
): Promise<Use[]> {
  for (const s of sides) await queryOnce(s.url, 'CHECKPOINT');
  const meters = await Promise.all(
    sides.map((s, i) => startCpuSplit(s.url, appName(s), servers[i]!)),
  );
  const loads = await Promise.all(
    sides.map((s) =>
      wrkSettle({
        url: `http://127.0.0.1:${s.port}/api/v1/settlements`,
        clients: CLIENTS,
        seconds,
        headers: { authorization: `Bearer ${s.token}` },
        people: s.people,
        prefix: `${prefix}${s.name}`,
      }),
    ),
  );
  const spent = await Promise.all(meters.map((stop) => stop()));
  return sides.map((_, i) => {
    const n = Math.max(1, loads[i]!.requests);
    return {
      load: loads[i]!,
      serverMs: spent[i]!.serverMs / n,
      postgresMs: spent[i]!.postgresMs / n,
    };
  });
}

const fmt = (u: Use) =>
  `${u.load.perSecond.toFixed(0)}/s, server ${u.serverMs.toFixed(3)} + PostgreSQL ${u.postgresMs.toFixed(3)} = ${(u.serverMs + u.postgresMs).toFixed(3)} ms CPU each${u.load.errors ? `, ${u.load.errors} errors` : ''}`;

export async function run() {
  if (!wrkAvailable()) throw new Error('bench/settlement-ab needs wrk: apt-get install -y wrk');
  const commit = execFileSync('git', ['rev-parse', '--short', BASE], {
    cwd: HERE,
    encoding: 'utf8',
  }).trim();
  const tmp = mkdtempSync(join(tmpdir(), 'tg-ab-'));
  const baseDir = join(tmp, 'base');
  execFileSync('git', ['worktree', 'add', '--detach', baseDir, commit], {
    cwd: HERE,
    stdio: 'ignore',
  });
  symlinkSync(join(HERE, 'node_modules'), join(baseDir, 'node_modules'));
  // A commit whose bin/triguard runs dist/ is built first (older ones run their sources).
  if (existsSync(join(baseDir, 'scripts', 'build.js'))) {
    execFileSync(process.execPath, ['scripts/build.js'], { cwd: baseDir, stdio: 'inherit' });
  }
  const side = (name: 'A' | 'B', label: string, dir: string, port: number): Side => {
    const db = `tg_bench_ab_${name.toLowerCase()}`;
    return { name, label, dir, db, url: dbUrl(db), port, people: [], token: '' };
  };
  const sides = [side('A', commit, baseDir, 3921), side('B', 'this checkout', HERE, 3922)];
  const servers: { kill: (s: NodeJS.Signals) => void; pid?: number }[] = [];
  try {
    for (const s of sides) await prepare(s);
    for (const s of sides) {
      const url = withApplicationName(s.url, appName(s));
      servers.push(await startServer(url, s.port, join(s.dir, 'bin/triguard')));
    }
    const pids = servers.map((s) => s.pid!);
    await round(sides, 10, 'abwarm', pids);
    const rounds: Use[][] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const [a, b] = await round(sides, SECONDS, `ab${r}`, pids);
      rounds.push([a!, b!]);
      const ratio = (b!.serverMs + b!.postgresMs) / (a!.serverMs + a!.postgresMs);
      console.log(
        `round ${r}: A ${fmt(a!)}\n         B ${fmt(b!)}\n         B/A CPU per settlement ${ratio.toFixed(3)}`,
      );
    }
    const ratios = (pick: (u: Use) => number) =>
      median(rounds.map(([a, b]) => pick(b!) / pick(a!)));
    console.log(
      `A = ${commit}, B = ${sides[1]!.label}; ${PEOPLE} people each, ${CLIENTS} clients a side, ${ROUNDS} rounds of ${SECONDS} s, load from wrk`,
    );
    console.log(
      `B/A, median of the rounds: CPU per settlement ${ratios((u) => u.serverMs + u.postgresMs).toFixed(3)} (server ${ratios((u) => u.serverMs).toFixed(3)}, PostgreSQL ${ratios((u) => u.postgresMs).toFixed(3)}); settlements/s ${ratios((u) => u.load.perSecond).toFixed(3)}`,
    );
  } finally {
    for (const s of servers) s.kill('SIGTERM');
    execFileSync('git', ['worktree', 'remove', '--force', baseDir], { cwd: HERE, stdio: 'ignore' });
    rmSync(tmp, { recursive: true, force: true });
    for (const s of sides)
      await queryOnce(benchUrl(), `DROP DATABASE IF EXISTS ${s.db} WITH (FORCE)`);
  }
}
