/**
 * Delivers a push to every active webhook (civil affairs, rural revitalisation): a signed JSON
 * POST, retried with exponential backoff on network errors, timeouts, 408, 429 and 5xx (other
 * 4xx answers are final: the receiver refused the message), every attempt written to the
 * delivery log. The same delivery id travels with every retry, so a receiver can drop repeats.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/db.ts';
import { activeWebhooks, logDelivery, type WebhookRow } from '../repo/push.ts';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign } from './sign.ts';

export interface DeliveryOptions {
  /** Attempts per webhook, the first included (default 5). */
  attempts?: number;
  /** Delay before the second attempt; doubles after each (default 2,000 ms). */
  backoffMs?: number;
  /** Per-attempt timeout (default 10,000 ms). */
  timeoutMs?: number;
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

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** Sends `payload` (the push's JSON) to every active webhook; resolves when all are done. */
export async function deliverPush(
  db: Db,
  pushId: number,
  payload: unknown,
  opts: DeliveryOptions = {},
): Promise<DeliveryOutcome[]> {
  const hooks = await activeWebhooks(db);
  const body = JSON.stringify(payload);
  return Promise.all(hooks.map((h) => deliverOne(db, pushId, h, body, opts)));
}

async function deliverOne(
  db: Db,
  pushId: number,
  hook: WebhookRow,
  body: string,
  opts: DeliveryOptions,
): Promise<DeliveryOutcome> {
  const attempts = opts.attempts ?? 5;
  const backoff = opts.backoffMs ?? 2_000;
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deliveryId = randomUUID();
  let last: DeliveryOutcome = {
    webhookId: hook.webhook_id,
    department: hook.department,
    ok: false,
    attempts: 0,
    statusCode: null,
    error: null,
  };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(backoff * 2 ** (attempt - 2));
    const timestamp = Math.floor(Date.now() / 1000);
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const res = await doFetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          [SIGNATURE_HEADER]: sign(hook.secret, timestamp, body),
          [TIMESTAMP_HEADER]: String(timestamp),
          [DELIVERY_HEADER]: deliveryId,
          [EVENT_HEADER]: EVENT,
        },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
      statusCode = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    const ok = error === null;
    await logDelivery(db, {
      push_id: pushId,
      webhook_id: hook.webhook_id,
      attempt,
      delivery_id: deliveryId,
      ok,
      status_code: statusCode,
      error,
      duration_ms: Math.round(performance.now() - started),
    });
    last = { ...last, ok, attempts: attempt, statusCode, error };
    if (ok || (statusCode !== null && !retryable(statusCode))) break;
  }
  return last;
}
