import { expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { listMigrations, migrate, migrationVersion } from './migrate.ts';

describeDb('db adapter', (ctx) => {
  it('applies every migration once and is idempotent', async () => {
    const latest = Math.max(...listMigrations().map((m) => m.version));
    expect(await migrationVersion(ctx.db)).toBe(latest);
    expect(await migrate(ctx.db)).toEqual([]);
    const r = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migration');
    expect(r.rows[0]!.n).toBe(listMigrations().length);
  });

  it('commits a transaction that resolves', async () => {
    await ctx.db.exec('CREATE TABLE t_commit (id int PRIMARY KEY)');
    await ctx.db.transaction(async (tx) => {
      await tx.query('INSERT INTO t_commit VALUES ($1), ($2)', [1, 2]);
    });
    const r = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM t_commit');
    expect(r.rows[0]!.n).toBe(2);
  });

  it('rolls a transaction back when it throws', async () => {
    await ctx.db.exec('CREATE TABLE t_rollback (id int PRIMARY KEY)');
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.query('INSERT INTO t_rollback VALUES (1)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // A failing statement rolls back the statements before it too.
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.query('INSERT INTO t_rollback VALUES (2)');
        await tx.query('INSERT INTO t_rollback VALUES (2)');
      }),
    ).rejects.toThrow();
    const r = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM t_rollback');
    expect(r.rows[0]!.n).toBe(0);
  });

  it('returns int8 as numbers and dates as ISO text on both adapters', async () => {
    const r = await ctx.db.query<{ big: number; d: string }>(
      "SELECT 9007199254740991::int8 AS big, DATE '2022-03-15' AS d",
    );
    expect(r.rows[0]).toEqual({ big: 9007199254740991, d: '2022-03-15' });
  });

  it('bulk-loads rows with copyRows, escaping tabs, newlines, backslashes and nulls', async () => {
    await ctx.db.exec('CREATE TABLE t_copy (a int, b text, c text)');
    const rows = [
      [1, 'tab\there', null],
      [2, 'line\nbreak', 'back\\slash'],
      [3, '中文', ''],
    ];
    expect(await ctx.db.copyRows('t_copy', ['a', 'b', 'c'], rows)).toBe(3);
    const r = await ctx.db.query('SELECT a, b, c FROM t_copy ORDER BY a');
    expect(r.rows).toEqual(rows.map(([a, b, c]) => ({ a, b, c })));
  });
});
