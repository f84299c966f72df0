import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { deliveries, insertPush, insertWebhook, setWebhookActive } from '../repo/push.ts';
import { deliverPush } from './webhook.ts';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from './sign.ts';

describeDb('webhook delivery', (ctx) => {
  let server: Server;
  let base = '';
  /** Status codes the receiver answers, in order; 200 once they run out. */
  let script: number[] = [];
  const seen: { signature: string; timestamp: number; delivery: string; body: string }[] = [];
  const fast = { backoffMs: 5, timeoutMs: 2_000 };

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

  it('retries 5xx with backoff until it succeeds, signs every attempt, and logs each', async () => {
    const hook = await insertWebhook(ctx.db, {
      department: 'civil_affairs',
      url: `${base}/a`,
      secret: 's1',
    });
    const push = await insertPush(ctx.db, '2022-03', 1, 'test');
    script = [500, 503];
    const sleeps: number[] = [];
    const out = await deliverPush(
      ctx.db,
      push.push_id,
      { hello: '世界' },
      {
        ...fast,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
    );
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
    expect(sleeps).toEqual([5, 10]);
    expect(seen).toHaveLength(3);
    for (const s of seen) {
      expect(s.body).toBe('{"hello":"世界"}');
      expect(verify('s1', s.timestamp, s.body, s.signature)).toBe(true);
      expect(verify('wrong', s.timestamp, s.body, s.signature)).toBe(false);
    }
    expect(new Set(seen.map((s) => s.delivery)).size).toBe(1);
    const log = await deliveries(ctx.db, push.push_id);
    expect(log.map((d) => [d.attempt, d.ok, d.status_code, d.error])).toEqual([
      [1, false, 500, 'HTTP 500'],
      [2, false, 503, 'HTTP 503'],
      [3, true, 200, null],
    ]);
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
    const push = await insertPush(ctx.db, '2022-04', 1, 'test');
    script = [401];
    const out = await deliverPush(ctx.db, push.push_id, { n: 1 }, { ...fast, attempts: 3 });
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
  });
});
