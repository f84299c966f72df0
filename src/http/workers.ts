/**
 * Serving from several processes: `triguard serve --workers N` (or WORKERS=N). One Node process
 * runs JavaScript on one core; on the settlement path it parses, checks, computes and answers
 * every request while PostgreSQL's backends run beside it, so one process is the queue every
 * request waits in, and on a server with more cores it caps what the server does. (On the 2-core
 * development machine two workers filled the idle time one left, but spent more CPU on each
 * settlement: README, Performance.) N workers share the port (node:cluster);
 * the primary migrates, loads the demo county if asked, runs the scheduled jobs, and starts a
 * worker again if one dies. Workers hold no state another needs: caches are short-lived and
 * per-process (sessions: session-cache.ts), jobs are pg-boss's.
 *
 * Several processes need a database server: PGlite is embedded in one process, so N > 1 needs
 * DATABASE_URL. Each worker keeps its own DATABASE_POOL connections.
 */
import cluster, { type Worker } from 'node:cluster';

export const MAX_WORKERS = 64;
const RESTART_DELAY_MS = 1_000;

/** WORKERS / --workers, checked: a whole number from 1 to MAX_WORKERS; unset: 1. */
export function workersOf(text: string | undefined): number {
  if (text === undefined || text === '') return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) {
    throw new Error(
      `--workers (WORKERS) must be a whole number from 1 to ${MAX_WORKERS}, not "${text}"`,
    );
  }
  return n;
}

export const isWorker = (): boolean => cluster.isWorker;

export interface WorkerPool {
  /** Stops every worker (each closes its server and database) and waits for them to exit. */
  stop(): Promise<void>;
}

/**
 * Forks `n` workers (the same command line: they see `cluster.isWorker` and only serve) and
 * resolves once all listen. A worker that exits while the pool runs is logged and replaced.
 */
export async function startWorkers(n: number, log: (line: string) => void): Promise<WorkerPool> {
  let stopping = false;
  /** All first workers listen: from then on a worker that exits is replaced. */
  let started = false;
  const live = new Set<Worker>();
  const fork = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const w = cluster.fork();
      live.add(w);
      const onEarlyExit = (code: number | null) =>
        reject(new Error(`worker ${w.process.pid} exited with ${code} before it listened`));
      w.once('listening', () => {
        w.off('exit', onEarlyExit);
        resolve();
      });
      w.once('exit', onEarlyExit);
      w.on('exit', (code, signal) => {
        live.delete(w);
        if (stopping || !started) return;
        log(`worker ${w.process.pid} exited (${signal ?? code}); starting another`);
        // A pause, so that a worker that cannot start (the database is down) is not re-forked
        // in a tight loop.
        setTimeout(() => {
          if (!stopping)
            fork().catch((e: unknown) => log(`worker restart failed: ${(e as Error).message}`));
        }, RESTART_DELAY_MS).unref();
      });
    });
  const stop = async () => {
    stopping = true;
    await Promise.all(
      [...live].map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            w.once('exit', () => resolve());
            w.process.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    await Promise.all(Array.from({ length: n }, fork));
  } catch (e) {
    // One could not start: stop the others rather than serve with fewer than asked.
    await stop();
    throw e;
  }
  started = true;
  return { stop };
}
