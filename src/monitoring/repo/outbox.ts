/**
 * SQL of the webhook outbox (migration 0016): deliveries written with their push, claimed by
 * pollers with FOR UPDATE SKIP LOCKED under a lease, and their outcomes recorded by the claim's
 * holder alone.
 */
import type { Queryable } from '../../db/db.ts';

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

export interface OutboxRow {
  delivery_id: string;
  push_id: number;
  webhook_id: number;
  url: string;
  event: string;
  body: string;
  attempts: number;
  max_attempts: number;
  next_attempt_at: string;
  status: OutboxStatus;
  claim: string | null;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: string | null;
  created_at: string;
}

/** A claimed row with the receiver's secret, read when the attempt is made. */
export interface ClaimedRow extends OutboxRow {
  secret: string | null;
}

/** One delivery per active webhook of the push; in the caller's transaction. */
export async function enqueuePush(
  q: Queryable,
  d: { pushId: number; event: string; body: string; maxAttempts: number },
): Promise<OutboxRow[]> {
  const r = await q.query<OutboxRow>(
    `INSERT INTO webhook_outbox (delivery_id, push_id, webhook_id, url, event, body, max_attempts)
     SELECT gen_random_uuid()::text, $1::bigint, w.webhook_id, w.url, $2::text, $3::text, $4::int
       FROM monitoring_webhook w WHERE w.active ORDER BY w.webhook_id
     RETURNING *`,
    [d.pushId, d.event, d.body, d.maxAttempts],
  );
  return r.rows;
}

/**
 * Claims up to `limit` due deliveries (of one push, or any): the row lock lasts this statement,
 * the lease (next_attempt_at moved `leaseMs` ahead, a new claim token) until the outcome is
 * recorded or the lease runs out.
 */
export async function claimDue(
  q: Queryable,
  c: { claim: string; leaseMs: number; limit: number; pushId?: number | undefined },
): Promise<ClaimedRow[]> {
  const r = await q.query<ClaimedRow>(
    `UPDATE webhook_outbox o
        SET next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
            claim = $1::text
       FROM (SELECT delivery_id FROM webhook_outbox
              WHERE status = 'pending' AND next_attempt_at <= now()
                AND ($4::bigint IS NULL OR push_id = $4::bigint)
              ORDER BY next_attempt_at
              LIMIT $3::int
              FOR UPDATE SKIP LOCKED) due
      WHERE o.delivery_id = due.delivery_id
     RETURNING o.*,
               (SELECT w.secret FROM monitoring_webhook w WHERE w.webhook_id = o.webhook_id) AS secret`,
    [c.claim, c.leaseMs, c.limit, c.pushId ?? null],
  );
  return r.rows;
}

export interface AttemptRecord {
  deliveryId: string;
  claim: string;
  /** The attempt's outcome: delivered, pending (retry after `retryInMs`) or failed (final). */
  status: OutboxStatus;
  statusCode: number | null;
  error: string | null;
  retryInMs: number;
}

/**
 * Records an attempt if the caller still holds the claim; returns the row as it now stands, or
 * null when the lease was lost (another process has claimed the delivery since).
 */
export async function recordAttempt(q: Queryable, a: AttemptRecord): Promise<OutboxRow | null> {
  const r = await q.query<OutboxRow>(
    `UPDATE webhook_outbox
        SET attempts = attempts + 1, status = $3::text, last_status_code = $4::int,
            last_error = $5::text, last_attempt_at = now(), claim = NULL,
            next_attempt_at = CASE WHEN $3::text = 'pending'
                                   THEN now() + make_interval(secs => $6::double precision / 1000)
                                   ELSE next_attempt_at END
      WHERE delivery_id = $1::text AND claim = $2::text AND status = 'pending'
     RETURNING *`,
    [a.deliveryId, a.claim, a.status, a.statusCode, a.error, a.retryInMs],
  );
  return r.rows[0] ?? null;
}

export interface OutboxView extends OutboxRow {
  department: string | null;
  /** Milliseconds until a pending delivery is due (0 when due now). */
  due_in_ms: number;
}

/** The deliveries of a push, with the receiving department. */
export async function outboxOfPush(q: Queryable, pushId: number): Promise<OutboxView[]> {
  const r = await q.query<OutboxView>(
    `SELECT o.*, w.department,
            greatest(0, ceil(extract(epoch FROM o.next_attempt_at - now()) * 1000))::int AS due_in_ms
       FROM webhook_outbox o LEFT JOIN monitoring_webhook w USING (webhook_id)
      WHERE o.push_id = $1::bigint
      ORDER BY o.webhook_id`,
    [pushId],
  );
  return r.rows;
}
