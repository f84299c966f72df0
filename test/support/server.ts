/**
 * `triguard serve` as a child process, for tests of what survives a crash: started on a free
 * loopback port with the given environment, ready once /healthz answers, stopped with SIGKILL
 * (a crash) or SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI from the sources as they stand (tsx), not from a build that may be older. */
export const TRIGUARD = fileURLToPath(new URL('../../bin/triguard-dev', import.meta.url));

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface ServerProcess {
  base: string;
  port: number;
  child: ChildProcess;
  /** What the process wrote to stderr (its log), for a failing test's message. */
  output(): string;
  /** kill -9: no shutdown of any kind. Resolves when the process has gone. */
  crash(): Promise<void>;
  /** SIGTERM, the orderly stop. */
  stop(): Promise<void>;
}

export async function startServer(
  env: NodeJS.ProcessEnv,
  opts: { port?: number; args?: string[]; readyMs?: number } = {},
): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [TRIGUARD, 'serve', '--host', '127.0.0.1', '--port', String(port), ...(opts.args ?? [])],
    {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log += c.toString('utf8')));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const base = `http://127.0.0.1:${port}`;
  const end = Date.now() + (opts.readyMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`triguard serve exited early:\n${log}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`triguard serve did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const gone = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    base,
    port,
    child,
    output: () => log,
    crash: () => gone('SIGKILL'),
    stop: () => gone('SIGTERM'),
  };
}
