/**
 * DB tests run on PGlite always and, when DATABASE_URL is set, on PostgreSQL too. Each suite gets
 * its own fresh database (a new in-memory PGlite, or a scratch PostgreSQL database created for the
 * suite and dropped after it), migrated to the latest version, so test files never share state.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db, DbKind } from '../../src/db/db.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { migrate } from '../../src/db/migrate.ts';

export const dbKinds = (): DbKind[] =>
  process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb {
  db: Db;
  /** Drops the scratch database (PostgreSQL) or closes PGlite. */
  dispose(): Promise<void>;
}

export async function openTestDb(kind: DbKind, opts: { migrate?: boolean } = {}): Promise<TestDb> {
  let db: Db;
  let dispose: () => Promise<void>;
  if (kind === 'pglite') {
    db = await openPglite();
    dispose = () => db.close();
  } else {
    const url = new URL(process.env.DATABASE_URL!);
    const name = `tg_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url.toString() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const scratch = new URL(url);
    scratch.pathname = `/${name}`;
    db = await openPostgres(scratch.toString(), 20);
    dispose = async () => {
      await db.close();
      await dropScratchDatabase(url.toString(), name);
    };
  }
  if (opts.migrate !== false) await migrate(db);
  return { db, dispose };
}

/**
 * A database that outlives the handles opened on it, to test what survives a restart: a PGlite
 * folder in a temporary directory, or a scratch PostgreSQL database. `open()` gives a new handle
 * (the first one migrates); `url` is the scratch database's (PostgreSQL) and `dataDir` the
 * folder (PGlite), for child processes.
 */
export interface DurableTestDb {
  kind: DbKind;
  url: string | null;
  dataDir: string | null;
  open(): Promise<Db>;
  /** Drops the database or removes the folder; close every handle first. */
  dispose(): Promise<void>;
}

export async function durableTestDb(kind: DbKind): Promise<DurableTestDb> {
  let migrated = false;
  const first = async (db: Db) => {
    if (!migrated) await migrate(db);
    migrated = true;
    return db;
  };
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'tg-pglite-'));
    return {
      kind,
      url: null,
      dataDir,
      open: async () => first(await openPglite(dataDir)),
      dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const admin = new URL(process.env.DATABASE_URL!);
  const name = await createScratchDatabase(admin.toString());
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    dataDir: null,
    open: async () => first(await openPostgres(url.toString(), 10)),
    dispose: () => dropScratchDatabase(admin.toString(), name),
  };
}

/** Creates an empty scratch database beside DATABASE_URL's; returns its name. */
export async function createScratchDatabase(adminUrl: string): Promise<string> {
  const name = `tg_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return name;
}

/**
 * `describeDb('settlement', (ctx) => { it(..., async () => ctx.db.query(...)) })` runs the body
 * once per database kind, each with a fresh migrated database.
 */
export function describeDb(
  title: string,
  body: (ctx: { readonly db: Db; readonly kind: DbKind }) => void,
  opts: { migrate?: boolean } = {},
) {
  describe.each(dbKinds())(`${title} [%s]`, (kind) => {
    let handle: TestDb | undefined;
    beforeAll(async () => {
      handle = await openTestDb(kind, opts);
    });
    afterAll(async () => {
      await handle?.dispose();
    });
    body({
      get db() {
        if (!handle) throw new Error('test database not open yet');
        return handle.db;
      },
      kind,
    });
  });
}

/**
 * Drops a scratch database once its connections have gone. A closed pool's connections may take a
 * moment to leave the server. Dropping with FORCE while they linger makes the server terminate
 * them, and a client that is already ending reports that as an uncaught error; so wait for them to
 * go, and force only as a last resort.
 */
export async function dropScratchDatabase(adminUrl: string, name: string): Promise<void> {
  const a = new pg.Client({ connectionString: adminUrl });
  await a.connect();
  for (let i = 0; i < 100; i++) {
    const r = await a.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    if (r.rows[0]!.n === 0) break;
    await new Promise((done) => setTimeout(done, 20));
  }
  await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await a.end();
}
