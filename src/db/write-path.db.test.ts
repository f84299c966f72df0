import { expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';

describeDb('migration 0010 (write path)', (ctx) => {
  it('compresses settlement explanations with lz4 where the server has it, pglz otherwise', async () => {
    const r = await ctx.db.query<{ c: string }>(
      `SELECT attcompression::text AS c FROM pg_attribute
        WHERE attrelid = 'settlement'::regclass AND attname = 'explain'`,
    );
    const lz4 = await ctx.db.query<{ ok: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression'
         AND 'lz4' = ANY(enumvals)) AS ok`,
    );
    expect(r.rows[0]!.c).toBe(lz4.rows[0]!.ok ? 'l' : '');
  });
  it('finds audit entries by time through a BRIN index', async () => {
    const r = await ctx.db.query<{ am: string }>(
      `SELECT am.amname AS am FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         JOIN pg_am am ON am.oid = c.relam
        WHERE i.indrelid = 'audit_log'::regclass AND c.relname = 'audit_log_at_brin'`,
    );
    expect(r.rows.map((x) => x.am)).toEqual(['brin']);
  });
});

describeDb('migration 0012 (json documents)', (ctx) => {
  it('keeps the settlement path documents as json, and lz4 still applies to the explanation', async () => {
    const r = await ctx.db.query<{ col: string; type: string }>(
      `SELECT attrelid::regclass::text || '.' || attname AS col, format_type(atttypid, NULL) AS type
         FROM pg_attribute
        WHERE (attrelid = 'settlement'::regclass AND attname IN ('lines', 'explain', 'delta'))
           OR (attrelid = 'accumulator'::regclass AND attname = 'state')
        ORDER BY 1`,
    );
    expect(r.rows).toEqual([
      { col: 'accumulator.state', type: 'json' },
      { col: 'settlement.delta', type: 'json' },
      { col: 'settlement.explain', type: 'json' },
      { col: 'settlement.lines', type: 'json' },
    ]);
  });
});
