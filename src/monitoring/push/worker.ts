/**
 * The delivery worker every server process runs: it polls the webhook outbox and attempts what
 * is due. Several processes (`serve --workers N`, or several servers on one PostgreSQL) share the
 * table; a claim (FOR UPDATE SKIP LOCKED, then a lease) keeps two of them from attempting one
 * delivery. The same code runs on PGlite and PostgreSQL.
 */
import type { Db } from '../../db/db.ts';
import { attemptDue, DEFAULT_DELIVERY, type DeliveryOptions } from './webhook.ts';

export interface DeliveryWorker {
  /** Looks for due deliveries now instead of at the next poll (after a push, say). */
  kick(): void;
  /** Stops polling and waits for the attempts in flight to be recorded. */
  stop(): Promise<void>;
}

const running = new Set<DeliveryWorker>();

/** Wakes this process's workers: a push made here is attempted at once. */
export function kickDeliveryWorkers(): void {
  for (const w of running) w.kick();
}

export function startDeliveryWorker(
  db: Db,
  opts: DeliveryOptions = {},
  log: (line: string) => void = () => undefined,
): DeliveryWorker {
  const poll = opts.pollMs ?? DEFAULT_DELIVERY.pollMs;
  let stopped = false;
  let wake: (() => void) | null = null;
  let kicked = false;
  const nap = () =>
    new Promise<void>((resolve) => {
      if (kicked || stopped) {
        kicked = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, poll);
      function done() {
        clearTimeout(timer);
        wake = null;
        kicked = false;
        resolve();
      }
      wake = done;
    });
  const loop = (async () => {
    while (!stopped) {
      let attempted = 0;
      try {
        attempted = await attemptDue(db, opts);
      } catch (e) {
        log(`webhook delivery: ${e instanceof Error ? e.message : String(e)}`);
      }
      // A full batch may have more behind it: look again at once.
      if (attempted === 0 && !stopped) await nap();
    }
  })();
  const worker: DeliveryWorker = {
    kick() {
      kicked = true;
      wake?.();
    },
    async stop() {
      stopped = true;
      running.delete(worker);
      wake?.();
      await loop;
    },
  };
  running.add(worker);
  return worker;
}
