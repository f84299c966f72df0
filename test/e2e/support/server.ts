/**
 * One Triguard server for the e2e suite, started the way `npm start` starts it: the compiled server
 * and the built web app (each rebuilt when stale), `bin/triguard serve --demo-if-empty` on PGlite in a fresh temporary data folder (never the
 * developer's ./data, never DATABASE_URL), on a free port. E2E_BASE_URL=http://… uses a server
 * already running instead (its web/dist as built).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface E2eServer {
  baseUrl: string;
  /** What the server printed (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startServer(timeoutMs = 240_000): Promise<E2eServer> {
  execFileSync(process.execPath, ['scripts/build.js', '--if-stale', '--web'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  // A developer iterating on the tests may point them at a running `npm start` (demo county).
  const given = process.env.E2E_BASE_URL;
  if (given) return { baseUrl: given.replace(/\/$/, ''), output: () => '', stop: async () => {} };
  const data = await mkdtemp(join(tmpdir(), 'triguard-e2e-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, TRIGUARD_DATA: data, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.PORT;
  const child: ChildProcess = spawn(
    process.execPath,
    ['bin/triguard', 'serve', '--demo-if-empty', '--port', String(port), '--host', '127.0.0.1'],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const collect = (b: Buffer) => (out += b.toString('utf8'));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const tick = setInterval(() => {
      if (/listening on http/.test(out)) {
        clearInterval(tick);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(tick);
        reject(new Error(`server did not start in ${timeoutMs / 1000}s:\n${out}`));
      }
    }, 200);
    void exited.then((code) => {
      clearInterval(tick);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killed);
    }
    await rm(data, { recursive: true, force: true });
  };

  try {
    await ready;
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl: `http://127.0.0.1:${port}`, output: () => out, stop };
}
