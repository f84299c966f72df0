/** pgbench on the same server, as the baseline database benchmarks compare against. */
import { execFileSync } from 'node:child_process';

export function pgbenchTps(url: string, clients: number, seconds: number): number {
  execFileSync('pgbench', ['-i', '-q', '-s', '10', url], { stdio: 'ignore' });
  // Start from a checkpoint: the run should not pay for writing out what loading dirtied (the
  // benchmarks beside it do the same before their runs).
  execFileSync('psql', [url, '-q', '-c', 'CHECKPOINT'], { stdio: 'ignore' });
  const out = execFileSync(
    'pgbench',
    ['-b', 'tpcb-like', '-c', String(clients), '-j', '2', '-T', String(seconds), '-n', url],
    { encoding: 'utf8' },
  );
  const m = /tps = ([\d.]+)/.exec(out);
  if (!m) throw new Error(`could not read pgbench output:\n${out}`);
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
  return Number(m[1]);
}
