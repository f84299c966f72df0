/** SQL of pushes, webhooks and the delivery log. */
import type { Queryable } from '../../db/db.ts';

export interface PushRow {
  push_id: number;
  month: string;
  warnings: number;
  actor_id: string;
  created_at: string;
}

export interface WebhookRow {
  webhook_id: number;
  department: string;
  url: string;
  secret: string;
  active: boolean;
  created_at: string;
}

export interface DeliveryRow {
  push_id: number;
  webhook_id: number;
  attempt: number;
  delivery_id: string;
  ok: boolean;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  at: string;
}

export async function insertPush(
  q: Queryable,
  month: string,
  warnings: number,
  actorId: string,
): Promise<PushRow> {
  const r = await q.query<PushRow>(
    `INSERT INTO monitoring_push (month, warnings, actor_id) VALUES ($1, $2, $3) RETURNING *`,
    [month, warnings, actorId],
  );
  return r.rows[0]!;
}

export async function findPush(q: Queryable, pushId: number): Promise<PushRow | null> {
  const r = await q.query<PushRow>('SELECT * FROM monitoring_push WHERE push_id = $1', [pushId]);
  return r.rows[0] ?? null;
}

/** A push in the list, with how many of its webhook deliveries stand where. */
export interface PushListRow extends PushRow {
  delivered: number;
  pending: number;
  failed: number;
}

export async function listPushes(q: Queryable, month: string | null): Promise<PushListRow[]> {
  const r = await q.query<PushListRow>(
    `SELECT p.*,
            count(*) FILTER (WHERE o.status = 'delivered')::int AS delivered,
            count(*) FILTER (WHERE o.status = 'pending')::int AS pending,
            count(*) FILTER (WHERE o.status = 'failed')::int AS failed
       FROM monitoring_push p LEFT JOIN webhook_outbox o USING (push_id)
      WHERE $1::text IS NULL OR p.month = $1
      GROUP BY p.push_id
      ORDER BY p.push_id`,
    [month],
  );
  return r.rows;
}

export async function activeWebhooks(q: Queryable): Promise<WebhookRow[]> {
  const r = await q.query<WebhookRow>(
    'SELECT * FROM monitoring_webhook WHERE active ORDER BY webhook_id',
  );
  return r.rows;
}

export async function listWebhooks(q: Queryable): Promise<WebhookRow[]> {
  const r = await q.query<WebhookRow>('SELECT * FROM monitoring_webhook ORDER BY webhook_id');
  return r.rows;
}

export async function insertWebhook(
  q: Queryable,
  w: { department: string; url: string; secret: string },
): Promise<WebhookRow> {
  const r = await q.query<WebhookRow>(
    `INSERT INTO monitoring_webhook (department, url, secret) VALUES ($1, $2, $3) RETURNING *`,
    [w.department, w.url, w.secret],
  );
  return r.rows[0]!;
}

export async function setWebhookActive(
  q: Queryable,
  webhookId: number,
  active: boolean,
): Promise<boolean> {
  const r = await q.query('UPDATE monitoring_webhook SET active = $2 WHERE webhook_id = $1', [
    webhookId,
    active,
  ]);
  return r.rowCount === 1;
}

export async function logDelivery(q: Queryable, d: Omit<DeliveryRow, 'at'>): Promise<void> {
  await q.query(
    `INSERT INTO monitoring_delivery (push_id, webhook_id, attempt, delivery_id, ok, status_code,
       error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      d.push_id,
      d.webhook_id,
      d.attempt,
      d.delivery_id,
      d.ok,
      d.status_code,
      d.error,
      d.duration_ms,
    ],
  );
}

export async function deliveries(q: Queryable, pushId: number): Promise<DeliveryRow[]> {
  const r = await q.query<DeliveryRow>(
    'SELECT * FROM monitoring_delivery WHERE push_id = $1 ORDER BY webhook_id, attempt',
    [pushId],
  );
  return r.rows;
}
