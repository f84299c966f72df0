import { expect, it } from 'vitest';
import { describeDb } from './db.ts';
import { settleSome } from './settled.ts';
import { settlementProblems } from './invariants.ts';

describeDb('settlement invariants', (ctx) => {
  it('hold after settlements and cancels, and name what a tampered row breaks', async () => {
    const { settled, cancelled } = await settleSome(ctx.db);
    expect(await settlementProblems(ctx.db)).toEqual({});

    // A lost ledger row: the settlement and its person-year both fall out of balance.
    await ctx.db.query(
      `DELETE FROM settlement_ledger WHERE settlement_id = $1 AND tier = 'basic_insurance'`,
      [settled[0]],
    );
    expect(Object.keys(await settlementProblems(ctx.db)).sort()).toEqual([
      'accumulator equals the sum of its ledger',
      'settlement ledger rows equal its delta',
    ]);
    await ctx.db.query(
      `INSERT INTO settlement_ledger (certno, year, settlement_id, tier, base, paid)
       SELECT certno, year, settlement_id, 'basic_insurance',
              (delta->'tiers'->'basic_insurance'->>'base')::bigint,
              (delta->'tiers'->'basic_insurance'->>'paid')::bigint
         FROM settlement WHERE settlement_id = $1`,
      [settled[0]],
    );
    expect(await settlementProblems(ctx.db)).toEqual({});

    // An accumulator whose monitoring column drifted from its state.
    await ctx.db.query(`UPDATE accumulator SET oop_total = oop_total + 1 WHERE year = 2022`);
    expect(Object.keys(await settlementProblems(ctx.db))).toEqual([
      'accumulator columns equal its state and its settlements',
    ]);
    await ctx.db.query(`UPDATE accumulator SET oop_total = oop_total - 1 WHERE year = 2022`);

    // A cancel whose mirror is gone.
    await ctx.db.query(`DELETE FROM settlement WHERE original_id = $1`, [cancelled[0]]);
    expect(Object.keys(await settlementProblems(ctx.db))).toContain(
      'a cancelled settlement has one mirror',
    );
  });
});
