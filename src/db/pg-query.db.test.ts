/**
 * The adapter's queries (pg-query.ts on PostgreSQL): prepared statements answer the same rows at
 * every execution with the adapter's type parsers, a failure rejects and gives its connection
 * back, and transactions run their statements on their own connection. Run on PGlite too, so both
 * adapters are held to the same answers.
 */
import { expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';

const SELECT = `SELECT $1::int8 AS n, $2::date AS d, $3::json AS j, $4::bool AS b,
                       $5::text AS t, now() > $6::timestamptz AS later`;

describeDb('adapter queries', (ctx) => {
  it('a prepared statement answers each execution with its own values, parsed alike', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await ctx.db.query<Record<string, unknown>>(
        SELECT,
        [
          1_000_000_000_000 + i,
          `2022-0${i + 1}-15`,
          JSON.stringify({ i }),
          i % 2 === 0,
          null,
          '2000-01-01T00:00:00Z',
        ],
        { prepare: true },
      );
      expect(r.rows).toEqual([
        {
          n: 1_000_000_000_000 + i,
          d: `2022-0${i + 1}-15`,
          j: { i },
          b: i % 2 === 0,
          t: null,
          later: true,
        },
      ]);
      expect(Object.getPrototypeOf(r.rows[0])).toBe(Object.prototype);
    }
  });

  it('a prepared statement of several rows keeps each row apart', async () => {
    const run = (n: number) =>
      ctx.db.query<{ i: number; sq: number }>(
        'SELECT i::int AS i, (i * i)::int8 AS sq FROM generate_series(1, $1::int) AS i',
        [n],
        { prepare: true },
      );
    expect((await run(3)).rows).toEqual([
      { i: 1, sq: 1 },
      { i: 2, sq: 4 },
      { i: 3, sq: 9 },
    ]);
    const again = await run(2);
    expect(again.rows).toEqual([
      { i: 1, sq: 1 },
      { i: 2, sq: 4 },
    ]);
    expect(again.rows[0]).not.toBe(again.rows[1]);
  });

  it('a failing statement rejects with the database error and gives its connection back', async () => {
    // More failures than the pool has connections: a connection kept by a failure would hang.
    for (let i = 0; i < 25; i++) {
      await expect(ctx.db.query('SELECT 1 / $1::int AS x', [0], { prepare: true })).rejects.toThrow(
        /division by zero/,
      );
    }
    const ok = await ctx.db.query<{ x: number }>('SELECT 1 / $1::int AS x', [1], { prepare: true });
    expect(ok.rows).toEqual([{ x: 1 }]);
  });

  it('a transaction runs its prepared statements on its connection, and rolls back on error', async () => {
    await ctx.db.exec('CREATE TABLE adapter_t (k int PRIMARY KEY, v text)');
    await ctx.db.transaction(async (tx) => {
      await tx.query('INSERT INTO adapter_t VALUES ($1, $2)', [1, 'a'], { prepare: true });
      const seen = await tx.query<{ v: string }>('SELECT v FROM adapter_t WHERE k = $1', [1], {
        prepare: true,
      });
      expect(seen.rows).toEqual([{ v: 'a' }]);
    });
    await expect(
      ctx.db.transaction(async (tx) => {
        await tx.query('INSERT INTO adapter_t VALUES ($1, $2)', [2, 'b'], { prepare: true });
        await tx.query('INSERT INTO adapter_t VALUES ($1, $2)', [1, 'again'], { prepare: true });
      }),
    ).rejects.toThrow(/duplicate key/);
    const all = await ctx.db.query<{ k: number; v: string }>(
      'SELECT k, v FROM adapter_t ORDER BY k',
    );
    expect(all.rows).toEqual([{ k: 1, v: 'a' }]);
    expect(all.rowCount).toBe(1);
  });
});
