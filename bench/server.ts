/**
 * Starts `triguard serve` in a child process against a database, for HTTP benchmarks.
 * BENCH_SERVER_NODE_ARGS passes Node options to the server alone, e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof` to profile it (Node refuses --cpu-prof in NODE_OPTIONS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/triguard', import.meta.url));

/** `bin`: the triguard script to serve with (default this checkout's; bench/settlement-ab runs another). */
export async function startServer(
  databaseUrl: string,
  port: number,
  bin: string = BIN,
): Promise<ChildProcess> {
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, bin, 'serve', '--port', String(port)], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 60 s')), 60_000);
    child.stderr?.on('data', (d: Buffer) => {
      if (d.toString().includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return child;
}
