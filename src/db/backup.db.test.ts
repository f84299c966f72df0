/**
 * A backup restored into a fresh database holds every settlement, accumulator and ledger row,
 * and its audit trail verifies with the same head: PGlite through `triguard backup`'s
 * dumpDataDir / loadDataDir, PostgreSQL through pg_dump -Fc / pg_restore (when on PATH).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { dbKinds, dropScratchDatabase, durableTestDb } from '../../test/support/db.ts';
import { settleSome } from '../../test/support/settled.ts';
import { settlementProblems } from '../../test/support/invariants.ts';
import { verifyAudit } from '../app/audit.ts';
import type { Db, DbKind } from './db.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';
import { backupPglite, restorePglite } from './pglite-backup.ts';
import { LOCK_FILE } from './data-dir-lock.ts';

const run = promisify(execFile);

const hasPgDump = async () =>
  run('pg_dump', ['--version']).then(
    () => true,
    () => false,
  );

/** What must come back unchanged. */
async function snapshot(db: Db) {
  const q = async (sql: string) => (await db.query(sql)).rows;
  return {
    settlements: await q(
      `SELECT settlement_id, certno, kind, original_id, cancelled_by, audit_hash, psn_part_amt
         FROM settlement ORDER BY settlement_id`,
    ),
    ledger: await q(
      `SELECT certno, settlement_id, tier, base, paid FROM settlement_ledger
        ORDER BY settlement_id, tier`,
    ),
    accumulators: await q(
      `SELECT certno, year, state::text AS state, oop_inscope, oop_total, settlements, audit_hash
         FROM accumulator ORDER BY certno, year`,
    ),
    audit: await q(`SELECT count(*)::int AS n, max(seq) AS head FROM audit_log`),
  };
}

describe.each(dbKinds())('backup and restore [%s]', (kind: DbKind) => {
  const work = mkdtempSync(join(tmpdir(), 'tg-backup-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('restores every settlement, accumulator and the audit trail intact', async (t) => {
    if (kind === 'postgres' && !(await hasPgDump())) t.skip();
    const store = await durableTestDb(kind);
    let restored: Db | undefined;
    let dropRestored = async () => undefined as void;
    try {
      const db = await store.open();
      const { settled, cancelled } = await settleSome(db);
      const before = await snapshot(db);
      const verified = await verifyAudit(db);
      expect(verified.ok).toBe(true);
      expect(before.settlements.length).toBe(settled.length + cancelled.length);
      await db.close();

      const file = join(work, kind === 'pglite' ? 'triguard.tar.gz' : 'triguard.dump');
      if (kind === 'pglite') {
        await backupPglite(store.dataDir!, file);
        const dir = join(work, 'restored');
        await restorePglite(file, dir);
        expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
        restored = await openPglite(dir);
      } else {
        await run('pg_dump', ['-Fc', '--file', file, store.url!]);
        const admin = new URL(process.env.DATABASE_URL!);
        const name = `${new URL(store.url!).pathname.slice(1)}_restored`;
        await run('createdb', ['--maintenance-db', admin.toString(), name]).catch(async () => {
          const pg = (await import('pg')).default;
          const c = new pg.Client({ connectionString: admin.toString() });
          await c.connect();
          await c.query(`CREATE DATABASE ${name}`);
          await c.end();
        });
        const url = new URL(admin);
        url.pathname = `/${name}`;
        await run('pg_restore', ['--no-owner', '--exit-on-error', '-d', url.toString(), file]);
        restored = await openPostgres(url.toString(), 2);
        dropRestored = () => dropScratchDatabase(admin.toString(), name);
      }
      expect(await snapshot(restored)).toEqual(before);
      expect(await settlementProblems(restored)).toEqual({});
      const again = await verifyAudit(restored);
      expect(again).toMatchObject({ ok: true, entries: verified.entries });
      expect(again.headHash).toBe(verified.headHash);
    } finally {
      await restored?.close();
      await dropRestored();
      await store.dispose();
    }
  }, 90_000);

  if (kind === 'pglite') {
    it('refuses to back up a folder another process holds, and to restore over data', async () => {
      const store = await durableTestDb('pglite');
      try {
        await (await store.open()).close();
        // Held by a running process (this one's parent stands in for a server).
        writeFileSync(join(store.dataDir!, LOCK_FILE), `${process.ppid}\n`);
        await expect(backupPglite(store.dataDir!, join(work, 'x.tar.gz'))).rejects.toMatchObject({
          code: 'db.data_dir_in_use',
        });
        rmSync(join(store.dataDir!, LOCK_FILE));
        expect(await backupPglite(store.dataDir!, join(work, 'x.tar.gz'))).toBeGreaterThan(0);
        await expect(restorePglite(join(work, 'x.tar.gz'), store.dataDir!)).rejects.toMatchObject({
          code: 'restore.data_dir_not_empty',
        });
      } finally {
        await store.dispose();
      }
    });
  }
});
