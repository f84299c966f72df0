/** pgbench on the same server, as the baseline database benchmarks compare against. */
import { execFileSync } from 'node:child_process';
import { cpuSample, cpuUse, type CpuUse } from './cpu.ts';

export interface PgbenchResult {
  tps: number;
  transactions: number;
  cpu: CpuUse | null;
}

export function pgbenchTps(url: string, clients: number, seconds: number): PgbenchResult {
  execFileSync('pgbench', ['-i', '-q', '-s', '10', url], { stdio: 'ignore' });
  // Start from a checkpoint: the run should not pay for writing out what loading dirtied (the
  // benchmarks beside it do the same before their runs).
  execFileSync('psql', [url, '-q', '-c', 'CHECKPOINT'], { stdio: 'ignore' });
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
  execFileSync(
    'psql',
    [
      url,
      '-q',
      '-c',
      'DROP TABLE pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers',
    ],
    {
      stdio: 'ignore',
    },
  );
  const transactions = Number(n[1]);
  return { tps: Number(m[1]), transactions, cpu: cpuUse(before, after, transactions) };
}
