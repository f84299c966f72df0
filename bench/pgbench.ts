/**
 * pgbench on the same server, as the baseline database benchmarks compare against: its tables
 * built once (scale 10), then as many runs as the benchmark interleaves with its own.
 */
import { execFileSync } from 'node:child_process';
import { cpuSample, cpuUse, type CpuUse } from './cpu.ts';

export interface PgbenchResult {
  tps: number;
  transactions: number;
  cpu: CpuUse | null;
}

export interface Pgbench {
  /** One `pgbench -b tpcb-like` run, from a checkpoint. */
  run(clients: number, seconds: number): PgbenchResult;
  /** Drops pgbench's tables. */
  drop(): void;
}

const psql = (url: string, sql: string) =>
  execFileSync('psql', [url, '-q', '-c', sql], { stdio: 'ignore' });

export function preparePgbench(url: string): Pgbench {
  execFileSync('pgbench', ['-i', '-q', '-s', '10', url], { stdio: 'ignore' });
  return {
    run(clients, seconds) {
      // Start from a checkpoint: the run should not pay for writing out what loading (or the
      // run before it) dirtied. The benchmarks beside it do the same before their runs.
      psql(url, 'CHECKPOINT');
      const before = cpuSample();
      const out = execFileSync(
        'pgbench',
        ['-b', 'tpcb-like', '-c', String(clients), '-j', '2', '-T', String(seconds), '-n', url],
        { encoding: 'utf8' },
      );
      const after = cpuSample();
      const m = /tps = ([\d.]+)/.exec(out);
      const n = /number of transactions actually processed: (\d+)/.exec(out);
      if (!m || !n) throw new Error(`could not read pgbench output:\n${out}`);
      const transactions = Number(n[1]);
      return { tps: Number(m[1]), transactions, cpu: cpuUse(before, after, transactions) };
    },
    drop() {
      psql(url, 'DROP TABLE pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers');
    },
  };
}
