/**
 * A server killed mid-load loses nothing it acknowledged and leaves nothing half-written
 * (PostgreSQL; skipped without DATABASE_URL). `triguard serve` runs as a child process on a
 * small demo county; concurrent clients settle and cancel through the HTTP API; the server is
 * killed with SIGKILL while they do, started again and given more load; then every settlement
 * has its ledger rows, every accumulator equals its ledger, the audit trail verifies
 * (`triguard audit verify` exits 0), every settlement answered 200 exists and every cancel
 * answered 200 took effect.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durableTestDb, type DurableTestDb } from '../support/db.ts';
import { ROOT, TRIGUARD, startServer, type ServerProcess } from '../support/server.ts';
import { runLoad, type Acknowledged } from '../support/load.ts';
import { settlementProblems } from '../support/invariants.ts';
import type { Db } from '../../src/db/db.ts';
import { bearer } from '../../src/auth/testing/accounts.ts';

const run = promisify(execFile);
const CLIENTS = 12;

describe.skipIf(!process.env.DATABASE_URL)('a server killed mid-load [postgres]', () => {
  let store: DurableTestDb;
  let db: Db;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    store = await durableTestDb('postgres');
    const env = { ...process.env, DATABASE_URL: store.url! };
    await run(process.execPath, [TRIGUARD, 'demo', '--people', '300'], { cwd: ROOT, env });
    db = await store.open();
  }, 60_000);
  afterAll(async () => {
    await server?.crash();
    await db?.close();
    await store?.dispose();
  });

  it('keeps every acknowledged settlement and cancel, and the ledger, accumulators and audit trail whole', async () => {
    const env = { DATABASE_URL: store.url! };
    const staff = (
      await db.query<{ user_id: string }>(`SELECT user_id FROM app_user WHERE username = 'staff'`)
    ).rows[0]!.user_id;
    const headers = await bearer(db, staff);
    const certnos = (
      await db.query<{ certno: string }>(
        `SELECT DISTINCT certno FROM enrolment WHERE medical_year = 2022 ORDER BY certno LIMIT 40`,
      )
    ).rows.map((r) => r.certno);
    expect(certnos.length).toBeGreaterThan(10);
    const before = Number(
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlement')).rows[0]!.n,
    );

    // Load, then kill -9 once enough is acknowledged that the kill lands mid-stream.
    server = await startServer(env);
    let killed = false;
    const first = runLoad({
      base: server.base,
      headers,
      certnos,
      clients: CLIENTS,
      cancelShare: 0.3,
      tag: 'a',
      stop: () => killed,
    });
    const started = Date.now();
    const acked = () =>
      db
        .query<{ n: number }>('SELECT count(*)::int AS n FROM settlement')
        .then((r) => Number(r.rows[0]!.n) - before);
    while ((await acked()) < 150 && Date.now() - started < 15_000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await server.crash();
    killed = true;
    const a = await first;
    expect(a.settled.length, server.output()).toBeGreaterThan(50);
    expect(a.unanswered).toBeGreaterThan(0);

    // Restarted, the server takes more of the same.
    server = await startServer(env);
    let done = false;
    const second = runLoad({
      base: server.base,
      headers,
      certnos,
      clients: CLIENTS,
      cancelShare: 0.3,
      tag: 'b',
      stop: () => done,
    });
    await new Promise((r) => setTimeout(r, 1_500));
    done = true;
    const b = await second;
    await server.stop();
    expect(b.settled.length).toBeGreaterThan(0);
    expect(b.unanswered).toBe(0);

    for (const ack of [a, b] as Acknowledged[]) {
      // Refusals are the bills' own (a 4xx); a 5xx would be a fault.
      expect(ack.refused.filter((r) => r.status >= 500)).toEqual([]);
    }
    const settled = [...a.settled, ...b.settled];
    const cancelled = [...a.cancelled, ...b.cancelled];
    const rows = (
      await db.query<{ settlement_id: number; cancelled_by: number | null }>(
        `SELECT settlement_id, cancelled_by FROM settlement
          WHERE kind = 'settle' AND settlement_id = ANY($1::bigint[])`,
        [settled],
      )
    ).rows;
    const byId = new Map(rows.map((r) => [Number(r.settlement_id), r]));
    expect(settled.filter((id) => !byId.has(id))).toEqual([]);
    expect(cancelled.filter((id) => byId.get(id)?.cancelled_by == null)).toEqual([]);

    expect(await settlementProblems(db)).toEqual({});
    const verify = await run(process.execPath, [TRIGUARD, 'audit', 'verify'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: store.url! },
    }).then(
      (r) => ({ code: 0, err: r.stderr }),
      (e: { code: number; stderr: string }) => ({ code: e.code, err: e.stderr }),
    );
    expect(verify, verify.err).toMatchObject({ code: 0 });
  }, 60_000);
});
