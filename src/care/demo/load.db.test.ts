/**
 * The demo county's care as `triguard demo` loads it: contracts for the poverty categories, a
 * year of records with gaps, spot checks with corrections, and deliveries settled by the engine.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { runDemoLoad } from '../../app/commands/demo.ts';
import type { CliIo } from '../../cli/command.ts';

const quiet: CliIo = {
  out: () => undefined,
  err: () => undefined,
  tty: false,
  env: {},
  cwd: process.cwd(),
};

describeDb('care demo', (ctx) => {
  beforeAll(async () => {
    await runDemoLoad(ctx.db, { people: 4_000, seed: 20220101, year: 2022 }, quiet);
  }, 900_000);

  it('contracts the poverty categories and records most months, with gaps', async () => {
    const r = await ctx.db.query<{ contracts: number; followups: number; months: number }>(
      `SELECT (SELECT count(*)::int FROM care_contract) AS contracts,
              (SELECT count(*)::int FROM care_followup) AS followups,
              (SELECT count(DISTINCT month)::int FROM care_followup) AS months`,
    );
    const { contracts, followups, months } = r.rows[0]!;
    expect(contracts).toBeGreaterThan(50);
    expect(months).toBe(12);
    const share = followups / (contracts * 12);
    expect(share).toBeGreaterThan(0.8);
    expect(share).toBeLessThan(0.97);
  });

  it('spot checks find missing records and most corrections are closed', async () => {
    const r = await ctx.db.query<{ finding: string; n: number; closed: number }>(
      `SELECT finding, count(*)::int AS n, count(closed_on)::int AS closed FROM care_spot_check GROUP BY 1`,
    );
    expect(r.rows.length).toBeGreaterThan(0);
  });

  it('settles each delivery as a chronic visit at the health centre', async () => {
    const r = await ctx.db.query<{ n: number; settled: number }>(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE s.visit_type = 'chronic_outpatient' AND s.fixmedins_code LIKE 'H3708991%')::int AS settled
         FROM care_delivery d JOIN settlement s ON s.settlement_id = d.settlement_id`,
    );
    expect(r.rows[0]!.n).toBeGreaterThan(0);
    expect(r.rows[0]!.settled).toBe(r.rows[0]!.n);
  });
});
