/**
 * Delivers pushes to the webhooks of civil affairs and rural revitalisation: a signed JSON POST,
 * retried with exponential backoff on network errors, timeouts, 408, 429 and 5xx (other 4xx
 * answers are final: the receiver refused the message), every attempt written to the delivery
 * log. The same delivery id travels with every retry, so a receiver can drop repeats.
 *
 * Deliveries are durable jobs (repo/outbox.ts): a push writes them in its own transaction, and
 * each attempt is claimed from the table and its outcome recorded there, so a restart loses no
 * pending delivery or retry — the next process to poll picks them up when they fall due.
 */
import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../db/db.ts';
import { logDelivery } from '../repo/push.ts';
import {
  claimDue,
  enqueuePush,
  outboxOfPush,
  recordAttempt,
  type ClaimedRow,
  type OutboxRow,
} from '../repo/outbox.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign } from './sign.ts';

export interface DeliveryOptions {
  /** Attempts per webhook, the first included (default 5). */
  attempts?: number;
  /** Delay before the second attempt; doubles after each (default 2,000 ms). */
  backoffMs?: number;
  /** Per-attempt timeout (default 10,000 ms). */
  timeoutMs?: number;
  /** How often a waiting caller or the worker looks for due deliveries (default 1,000 ms). */
  pollMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryOutcome {
  webhookId: number;
  department: string;
  ok: boolean;
  attempts: number;
  statusCode: number | null;
  error: string | null;
}

export const EVENT = 'monitoring.warnings.pushed';

export const DEFAULT_DELIVERY = {
  attempts: 5,
  backoffMs: 2_000,
  timeoutMs: 10_000,
  pollMs: 1_000,
} as const;

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** The wait after failed attempt `attempt` (1-based): base, 2 × base, 4 × base… Pure. */
export const backoffAfter = (attempt: number, baseMs: number): number =>
  baseMs * 2 ** (attempt - 1);

/**
 * A claim lasts the attempt's timeout and a margin for recording it; a process that dies
 * mid-attempt leaves the delivery to be claimed again when it runs out.
 */
export const leaseMs = (timeoutMs: number): number => timeoutMs + 10_000;

/** The delivery settings from the environment (TRIGUARD_WEBHOOK_*), checked. */
export function deliveryOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DeliveryOptions {
  const read = (name: string, fallback: number, min: number, max: number) => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
    }
    return n;
  };
  return {
    attempts: read('TRIGUARD_WEBHOOK_ATTEMPTS', DEFAULT_DELIVERY.attempts, 1, 100),
    backoffMs: read('TRIGUARD_WEBHOOK_BACKOFF_MS', DEFAULT_DELIVERY.backoffMs, 1, 86_400_000),
    timeoutMs: read('TRIGUARD_WEBHOOK_TIMEOUT_MS', DEFAULT_DELIVERY.timeoutMs, 1, 600_000),
    pollMs: read('TRIGUARD_WEBHOOK_POLL_MS', DEFAULT_DELIVERY.pollMs, 10, 600_000),
  };
}

/**
 * Writes one delivery per active webhook for a push, in the caller's transaction (the one that
 * records the push), so the deliveries exist exactly when the push does.
 */
export function enqueueDeliveries(
  tx: Queryable,
  pushId: number,
  payload: unknown,
  opts: DeliveryOptions = {},
): Promise<OutboxRow[]> {
  return enqueuePush(tx, {
    pushId,
    event: EVENT,
    body: JSON.stringify(payload),
    maxAttempts: opts.attempts ?? DEFAULT_DELIVERY.attempts,
  });
}

/**
 * Claims the due deliveries (of one push, or all) and makes one attempt at each; returns how
 * many it attempted. Safe to run from several processes at once.
 */
export async function attemptDue(
  db: Db,
  opts: DeliveryOptions = {},
  filter: { pushId?: number; limit?: number } = {},
): Promise<number> {
  const claim = randomUUID();
  const rows = await claimDue(db, {
    claim,
    leaseMs: leaseMs(opts.timeoutMs ?? DEFAULT_DELIVERY.timeoutMs),
    limit: filter.limit ?? 20,
    pushId: filter.pushId,
  });
  await Promise.all(rows.map((row) => attemptOne(db, row, claim, opts)));
  return rows.length;
}

async function attemptOne(
  db: Db,
  row: ClaimedRow,
  claim: string,
  opts: DeliveryOptions,
): Promise<void> {
  const doFetch = opts.fetch ?? fetch;
  const attempt = row.attempts + 1;
  const timestamp = Math.floor(Date.now() / 1000);
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  if (row.secret === null) {
    error = `webhook ${row.webhook_id} no longer exists`;
  } else {
    try {
      const res = await doFetch(row.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          [SIGNATURE_HEADER]: sign(row.secret, timestamp, row.body),
          [TIMESTAMP_HEADER]: String(timestamp),
          [DELIVERY_HEADER]: row.delivery_id,
          [EVENT_HEADER]: row.event,
        },
        body: row.body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_DELIVERY.timeoutMs),
      });
      statusCode = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
  }
  const ok = error === null;
  const again =
    !ok &&
    row.secret !== null &&
    (statusCode === null || retryable(statusCode)) &&
    attempt < row.max_attempts;
  await db.transaction(async (tx) => {
    const recorded = await recordAttempt(tx, {
      deliveryId: row.delivery_id,
      claim,
      status: ok ? 'delivered' : again ? 'pending' : 'failed',
      statusCode,
      error,
      retryInMs: backoffAfter(attempt, opts.backoffMs ?? DEFAULT_DELIVERY.backoffMs),
    });
    // A lost lease: the process now holding the delivery logs its own attempt.
    if (!recorded) return;
    await logDelivery(tx, {
      push_id: row.push_id,
      webhook_id: row.webhook_id,
      attempt,
      delivery_id: row.delivery_id,
      ok,
      status_code: statusCode,
      error,
      duration_ms: Math.round(performance.now() - started),
    });
  });
}

/** What a push's deliveries have come to so far. */
export async function pushOutcomes(db: Db, pushId: number): Promise<DeliveryOutcome[]> {
  return (await outboxOfPush(db, pushId)).map((o) => ({
    webhookId: o.webhook_id,
    department: o.department ?? '',
    ok: o.status === 'delivered',
    attempts: o.attempts,
    statusCode: o.last_status_code,
    error: o.last_error,
  }));
}

/**
 * Delivers a push's pending deliveries now, in this process, and resolves when every one is
 * delivered or given up (a caller that asked to wait). The state stays in the outbox all along:
 * if this process stops, a server's worker carries on where it left off. A delivery another
 * process holds is waited for, not attempted twice.
 */
export async function deliverPush(
  db: Db,
  pushId: number,
  opts: DeliveryOptions = {},
): Promise<DeliveryOutcome[]> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const poll = opts.pollMs ?? DEFAULT_DELIVERY.pollMs;
  for (;;) {
    await attemptDue(db, opts, { pushId, limit: 100 });
    const rows = await outboxOfPush(db, pushId);
    const pending = rows.filter((r) => r.status === 'pending');
    if (pending.length === 0) return pushOutcomes(db, pushId);
    // Not below 1 ms: a delivery due now but locked by another process's claim is a moment away.
    const next = Math.min(...pending.map((r) => r.due_in_ms));
    await sleep(Math.max(1, Math.min(next, poll)));
  }
}
