/**
 * Webhook deliveries survive a killed server (PostgreSQL; skipped without DATABASE_URL): `triguard
 * serve` runs as a child process, pushes are made through its API while the receiver is down,
 * the server is killed with SIGKILL and started again with two worker processes, then the
 * receiver comes up — and each delivery arrives exactly once, with the id it was written with.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durableTestDb, type DurableTestDb } from '../support/db.ts';
import { freePort, startServer, type ServerProcess } from '../support/server.ts';
import type { Db } from '../../src/db/db.ts';
import { bearer, createRoleAccounts } from '../../src/auth/testing/accounts.ts';
import { SYSTEM_ACTOR } from '../../src/kernel/access/actor.ts';
import { runMonth } from '../../src/monitoring/run.ts';
import { insertWebhook } from '../../src/monitoring/repo/push.ts';
import {
  addPerson,
  INSCOPE_LINE,
  newCertno,
  seedRegions,
  setBurden,
  TOTAL_LINE,
} from '../../src/monitoring/testing.ts';
import { DELIVERY_HEADER } from '../../src/monitoring/push/sign.ts';

const MONTHS = ['2022-03', '2022-04', '2022-05'];

describe.skipIf(!process.env.DATABASE_URL)('webhook deliveries across kill -9 [postgres]', () => {
  let store: DurableTestDb;
  let db: Db;
  let server: ServerProcess | undefined;
  let receiver: Server | undefined;

  beforeAll(async () => {
    store = await durableTestDb('postgres');
    db = await store.open();
  });
  afterAll(async () => {
    await server?.crash();
    receiver?.closeAllConnections();
    if (receiver) await new Promise((r) => receiver!.close(r));
    await db?.close();
    await store?.dispose();
  });

  it('each delivery arrives once after the restart', async () => {
    const port = await freePort();
    await seedRegions(db);
    for (const month of MONTHS) {
      const certno = newCertno();
      await addPerson(db, { certno, region: '370899001001', categories: [] });
      await setBurden(db, certno, INSCOPE_LINE + 1, TOTAL_LINE + 1);
      await runMonth(db, SYSTEM_ACTOR, month);
    }
    for (const d of ['civil_affairs', 'rural_revitalisation']) {
      await insertWebhook(db, { department: d, url: `http://127.0.0.1:${port}/${d}`, secret: d });
    }
    const staff = await bearer(db, (await createRoleAccounts(db)).bureau_staff);
    // Short backoff, many attempts: the receiver stays down for some seconds across the restart.
    const env = {
      DATABASE_URL: store.url!,
      TRIGUARD_WEBHOOK_BACKOFF_MS: '200',
      TRIGUARD_WEBHOOK_ATTEMPTS: '30',
      TRIGUARD_WEBHOOK_POLL_MS: '50',
      // A short lease, should the kill land mid-attempt.
      TRIGUARD_WEBHOOK_TIMEOUT_MS: '1000',
    };
    server = await startServer(env);
    for (const month of MONTHS) {
      const r = await fetch(`${server.base}/api/v1/monitoring/pushes`, {
        method: 'POST',
        headers: { ...staff, 'content-type': 'application/json' },
        body: JSON.stringify({ month }),
      });
      expect(r.status, await r.text()).toBe(200);
    }
    const outbox = async () =>
      (
        await db.query<{ delivery_id: string; status: string; attempts: number }>(
          'SELECT delivery_id, status, attempts FROM webhook_outbox ORDER BY delivery_id',
        )
      ).rows;
    const until = async (what: string, test: () => Promise<boolean>) => {
      const end = Date.now() + 45_000;
      while (!(await test())) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${server?.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await until('a failed attempt of every delivery', async () => {
      const rows = await outbox();
      return rows.length === 6 && rows.every((o) => o.status === 'pending' && o.attempts >= 1);
    });
    await server.crash();
    const written = await outbox();
    expect(written.every((o) => o.status === 'pending')).toBe(true);

    // Two serving processes now, each with its delivery worker: still each delivery once.
    server = await startServer(env, { args: ['--workers', '2'] });
    const received: string[] = [];
    receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(String(req.headers[DELIVERY_HEADER]));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver!.listen(port, '127.0.0.1', r));
    await until('every delivery delivered', async () =>
      (await outbox()).every((o) => o.status === 'delivered'),
    );
    // Some more polls: nothing goes out twice.
    await new Promise((r) => setTimeout(r, 500));
    expect(received.sort()).toEqual(written.map((o) => o.delivery_id));
    await server.stop();
  }, 90_000);
});
