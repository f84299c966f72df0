/**
 * Deliveries survive a restart: pushed while the receiver is down, the app and its worker closed
 * and the database reopened by a new app, then the receiver comes up and each delivery arrives
 * once, with the delivery id it was written with.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds, durableTestDb, type DurableTestDb } from '../../../test/support/db.ts';
import { freePort } from '../../../test/support/server.ts';
import { buildApp } from '../../app/http.ts';
import { bearer, createRoleAccounts } from '../../auth/testing/accounts.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import type { Db } from '../../db/db.ts';
import { runMonth } from '../run.ts';
import {
  addPerson,
  INSCOPE_LINE,
  newCertno,
  seedRegions,
  setBurden,
  TOTAL_LINE,
} from '../testing.ts';
import { deliveries, insertWebhook } from '../repo/push.ts';
import { DELIVERY_HEADER } from './sign.ts';
import { startDeliveryWorker } from './worker.ts';

const quick = { backoffMs: 100, attempts: 50, timeoutMs: 2_000, pollMs: 20 };

async function until(what: string, test: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const outbox = (db: Db) =>
  db
    .query<{
      delivery_id: string;
      status: string;
      attempts: number;
      push_id: number;
    }>('SELECT delivery_id, status, attempts, push_id FROM webhook_outbox ORDER BY delivery_id')
    .then((r) => r.rows);

describe.each(dbKinds())('webhook deliveries across a restart [%s]', (kind) => {
  let store: DurableTestDb;
  let receiver: Server | undefined;
  const received: { delivery: string; path: string }[] = [];

  beforeAll(async () => {
    store = await durableTestDb(kind);
  });
  afterAll(async () => {
    receiver?.closeAllConnections();
    if (receiver) await new Promise((r) => receiver!.close(r));
    await store.dispose();
  });

  it('each pending delivery arrives exactly once after the restart, with its delivery id', async () => {
    const port = await freePort();
    // Before the restart: two receivers configured, both down; two months pushed.
    const db1 = await store.open();
    await seedRegions(db1);
    for (const month of ['2022-03', '2022-04']) {
      const certno = newCertno();
      await addPerson(db1, { certno, region: '370899001001', categories: [] });
      await setBurden(db1, certno, INSCOPE_LINE + 1, TOTAL_LINE + 1);
      await runMonth(db1, SYSTEM_ACTOR, month);
    }
    for (const d of ['civil_affairs', 'rural_revitalisation']) {
      await insertWebhook(db1, { department: d, url: `http://127.0.0.1:${port}/${d}`, secret: d });
    }
    const ids = await createRoleAccounts(db1);
    const staff = await bearer(db1, ids.bureau_staff);
    const app1 = await buildApp({ db: db1, logLevel: 'silent' });
    const worker1 = startDeliveryWorker(db1, quick);
    for (const month of ['2022-03', '2022-04']) {
      const r = await app1.inject({
        method: 'POST',
        url: '/api/v1/monitoring/pushes',
        headers: staff,
        payload: { month },
      });
      expect(r.statusCode).toBe(200);
    }
    await until('two failed attempts of every delivery', async () => {
      const rows = await outbox(db1);
      return rows.length === 4 && rows.every((o) => o.status === 'pending' && o.attempts >= 2);
    });
    await worker1.stop();
    await app1.close();
    const written = await outbox(db1);
    await db1.close();

    // After the restart: a new app and worker on the same database; the receiver comes up.
    const db2 = await store.open();
    const app2 = await buildApp({ db: db2, logLevel: 'silent' });
    const worker2 = startDeliveryWorker(db2, quick);
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push({ delivery: String(req.headers[DELIVERY_HEADER]), path: req.url ?? '' });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver!.listen(port, '127.0.0.1', r));
    try {
      await until('every delivery delivered', async () =>
        (await outbox(db2)).every((o) => o.status === 'delivered'),
      );
      // A few more polls: nothing is sent again.
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await worker2.stop();
    }
    expect(received.map((r) => r.delivery).sort()).toEqual(written.map((o) => o.delivery_id));
    expect(new Set(received.map((r) => r.path))).toEqual(
      new Set(['/civil_affairs', '/rural_revitalisation']),
    );
    // The log: failed attempts before the restart, then the one that arrived, under one id each.
    for (const push of new Set(written.map((o) => o.push_id))) {
      const log = await deliveries(db2, push);
      for (const o of written.filter((w) => w.push_id === push)) {
        const own = log.filter((l) => l.delivery_id === o.delivery_id);
        expect(own.filter((l) => l.ok)).toHaveLength(1);
        expect(own.at(-1)!.ok).toBe(true);
        expect(own.length).toBeGreaterThanOrEqual(3);
      }
    }
    const shown = await app2.inject({
      method: 'GET',
      url: `/api/v1/monitoring/pushes/${written[0]!.push_id}`,
      headers: await bearer(db2, ids.bureau_staff),
    });
    expect(shown.json().outbox.map((o: { status: string }) => o.status)).toEqual([
      'delivered',
      'delivered',
    ]);
    await app2.close();
    await db2.close();
  }, 90_000);
});
