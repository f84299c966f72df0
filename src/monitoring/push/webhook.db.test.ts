import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { deliveries, insertPush, insertWebhook, setWebhookActive } from '../repo/push.ts';
import { claimDue, outboxOfPush, recordAttempt } from '../repo/outbox.ts';
import { attemptDue, backoffAfter, deliverPush, enqueueDeliveries } from './webhook.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from './sign.ts';
import type { Db } from '../../db/db.ts';

describeDb('webhook delivery', (ctx) => {
  let server: Server;
  let base = '';
  /** Status codes the receiver answers, in order; 200 once they run out. */
  let script: number[] = [];
  const seen: { signature: string; timestamp: number; delivery: string; body: string }[] = [];
  const fast = { backoffMs: 5, timeoutMs: 2_000, pollMs: 5 };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({
          signature: String(req.headers[SIGNATURE_HEADER]),
          timestamp: Number(req.headers[TIMESTAMP_HEADER]),
          delivery: String(req.headers[DELIVERY_HEADER]),
          body,
        });
        res.writeHead(script.shift() ?? 200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  /** A push with its deliveries, written in one transaction as the service does. */
  const pushWith = (db: Db, month: string, payload: unknown, attempts = 5) =>
    db.transaction(async (tx) => {
      const push = await insertPush(tx, month, 1, 'test');
      const rows = await enqueueDeliveries(tx, push.push_id, payload, { attempts });
      return { push, rows };
    });

  it('backs off 1, 2, 4 … times the base after each failure', () => {
    expect([1, 2, 3, 4].map((a) => backoffAfter(a, 2_000))).toEqual([2_000, 4_000, 8_000, 16_000]);
  });

  it('retries 5xx with backoff until it succeeds, signs every attempt, and logs each', async () => {
    const hook = await insertWebhook(ctx.db, {
      department: 'civil_affairs',
      url: `${base}/a`,
      secret: 's1',
    });
    seen.length = 0;
    const { push, rows } = await pushWith(ctx.db, '2022-03', { hello: '世界' });
    expect(rows).toHaveLength(1);
    script = [500, 503];
    const out = await deliverPush(ctx.db, push.push_id, fast);
    expect(out).toEqual([
      {
        webhookId: hook.webhook_id,
        department: 'civil_affairs',
        ok: true,
        attempts: 3,
        statusCode: 200,
        error: null,
      },
    ]);
    expect(seen).toHaveLength(3);
    for (const s of seen) {
      expect(s.body).toBe('{"hello":"世界"}');
      expect(verify('s1', s.timestamp, s.body, s.signature)).toBe(true);
      expect(verify('wrong', s.timestamp, s.body, s.signature)).toBe(false);
    }
    expect(new Set(seen.map((s) => s.delivery))).toEqual(new Set([rows[0]!.delivery_id]));
    const log = await deliveries(ctx.db, push.push_id);
    expect(log.map((d) => [d.attempt, d.ok, d.status_code, d.error, d.delivery_id])).toEqual([
      [1, false, 500, 'HTTP 500', rows[0]!.delivery_id],
      [2, false, 503, 'HTTP 503', rows[0]!.delivery_id],
      [3, true, 200, null, rows[0]!.delivery_id],
    ]);
    await setWebhookActive(ctx.db, hook.webhook_id, false);
  });

  it('keeps a failed attempt in the table until its backoff has passed', async () => {
    const hook = await insertWebhook(ctx.db, {
      department: 'civil_affairs',
      url: `${base}/wait`,
      secret: 's4',
    });
    seen.length = 0;
    const { push, rows } = await pushWith(ctx.db, '2022-05', { n: 5 });
    script = [429];
    const slow = { ...fast, backoffMs: 60_000 };
    expect(await attemptDue(ctx.db, slow, { pushId: push.push_id })).toBe(1);
    const gap = await ctx.db.query<{ ms: number; status: string; attempts: number }>(
      `SELECT extract(epoch FROM next_attempt_at - last_attempt_at) * 1000 AS ms, status, attempts
         FROM webhook_outbox WHERE delivery_id = $1`,
      [rows[0]!.delivery_id],
    );
    expect(gap.rows[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect(Number(gap.rows[0]!.ms)).toBe(60_000);
    // Not due yet: nothing is attempted.
    expect(await attemptDue(ctx.db, slow, { pushId: push.push_id })).toBe(0);
    expect(seen).toHaveLength(1);
    await ctx.db.query(`UPDATE webhook_outbox SET next_attempt_at = now() WHERE push_id = $1`, [
      push.push_id,
    ]);
    expect(await attemptDue(ctx.db, slow, { pushId: push.push_id })).toBe(1);
    expect(seen.map((s) => s.delivery)).toEqual([rows[0]!.delivery_id, rows[0]!.delivery_id]);
    expect((await outboxOfPush(ctx.db, push.push_id))[0]).toMatchObject({
      status: 'delivered',
      attempts: 2,
      last_status_code: 200,
    });
    await setWebhookActive(ctx.db, hook.webhook_id, false);
  });

  it('gives up after the last attempt on a dead receiver, and does not retry a 4xx refusal', async () => {
    seen.length = 0;
    const dead = await insertWebhook(ctx.db, {
      department: 'rural_revitalisation',
      url: 'http://127.0.0.1:1/x',
      secret: 's2',
    });
    const refusing = await insertWebhook(ctx.db, {
      department: 'civil_affairs',
      url: `${base}/b`,
      secret: 's3',
    });
    const { push } = await pushWith(ctx.db, '2022-04', { n: 1 }, 3);
    script = [401];
    const out = await deliverPush(ctx.db, push.push_id, fast);
    const byId = new Map(out.map((o) => [o.webhookId, o]));
    expect(byId.get(dead.webhook_id)).toMatchObject({ ok: false, attempts: 3, statusCode: null });
    expect(byId.get(dead.webhook_id)!.error).toMatch(/fetch failed|ECONNREFUSED|TypeError/);
    expect(byId.get(refusing.webhook_id)).toMatchObject({
      ok: false,
      attempts: 1,
      statusCode: 401,
    });
    const log = await deliveries(ctx.db, push.push_id);
    expect(log.filter((d) => d.webhook_id === dead.webhook_id)).toHaveLength(3);
    expect(log.filter((d) => d.webhook_id === refusing.webhook_id)).toHaveLength(1);
    const states = await outboxOfPush(ctx.db, push.push_id);
    expect(states.map((s) => s.status)).toEqual(['failed', 'failed']);
    // Given up means given up: no poller attempts them again.
    await ctx.db.query(`UPDATE webhook_outbox SET next_attempt_at = now() WHERE push_id = $1`, [
      push.push_id,
    ]);
    expect(await attemptDue(ctx.db, fast, { pushId: push.push_id })).toBe(0);
    await setWebhookActive(ctx.db, dead.webhook_id, false);
    await setWebhookActive(ctx.db, refusing.webhook_id, false);
  });

  it('lets only the claim holder record an attempt; a lapsed claim is taken over', async () => {
    const hook = await insertWebhook(ctx.db, {
      department: 'civil_affairs',
      url: `${base}/lease`,
      secret: 's5',
    });
    const { push, rows } = await pushWith(ctx.db, '2022-06', { n: 6 });
    const first = await claimDue(ctx.db, {
      claim: 'a',
      leaseMs: 60_000,
      limit: 10,
      pushId: push.push_id,
    });
    expect(first.map((r) => r.delivery_id)).toEqual([rows[0]!.delivery_id]);
    expect(first[0]!.secret).toBe('s5');
    // Claimed: another poller finds nothing due.
    expect(
      await claimDue(ctx.db, { claim: 'b', leaseMs: 60_000, limit: 10, pushId: push.push_id }),
    ).toEqual([]);
    // The holder died; its lease runs out and another process claims the delivery.
    await ctx.db.query(`UPDATE webhook_outbox SET next_attempt_at = now() WHERE push_id = $1`, [
      push.push_id,
    ]);
    const second = await claimDue(ctx.db, {
      claim: 'c',
      leaseMs: 60_000,
      limit: 10,
      pushId: push.push_id,
    });
    expect(second.map((r) => [r.delivery_id, r.attempts])).toEqual([[rows[0]!.delivery_id, 0]]);
    const record = {
      deliveryId: rows[0]!.delivery_id,
      status: 'delivered' as const,
      statusCode: 200,
      error: null,
      retryInMs: 0,
    };
    expect(await recordAttempt(ctx.db, { ...record, claim: 'a' })).toBeNull();
    expect(await recordAttempt(ctx.db, { ...record, claim: 'c' })).toMatchObject({
      status: 'delivered',
      attempts: 1,
    });
    await setWebhookActive(ctx.db, hook.webhook_id, false);
  });

  it('several pollers at once attempt each delivery exactly once', async () => {
    const hooks = [];
    for (let i = 0; i < 4; i++) {
      hooks.push(
        await insertWebhook(ctx.db, {
          department: 'civil_affairs',
          url: `${base}/many/${i}`,
          secret: `m${i}`,
        }),
      );
    }
    const pushes = [];
    for (let i = 0; i < 5; i++) pushes.push((await pushWith(ctx.db, '2022-07', { i })).push);
    seen.length = 0;
    script = [];
    // Eight pollers, two deliveries a claim each, until nothing is left.
    const poller = async () => {
      while ((await attemptDue(ctx.db, fast, { limit: 2 })) > 0);
    };
    await Promise.all(Array.from({ length: 8 }, poller));
    const ids = seen.map((s) => s.delivery);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    for (const p of pushes) {
      expect((await outboxOfPush(ctx.db, p.push_id)).every((o) => o.status === 'delivered')).toBe(
        true,
      );
      expect(await deliveries(ctx.db, p.push_id)).toHaveLength(4);
    }
    for (const h of hooks) await setWebhookActive(ctx.db, h.webhook_id, false);
  });
});
