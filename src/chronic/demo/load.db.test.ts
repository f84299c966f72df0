import { expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { loadPacks } from '../../policy/index.ts';
import { loadDemoCounty } from '../../registry/demo/load.ts';
import { loadDemoChronic } from './load.ts';

describeDb('demo county chronic records', (ctx) => {
  it('certifies a plausible share, files at the health centres, and shows applications in every state', async () => {
    await loadDemoCounty(ctx.db, { people: 6_000, seed: 7, year: 2022 });
    // The county's township health centres, registered in their townships (level 1).
    await ctx.db.query(
      `INSERT INTO gateway_institution (fixmedins_code, fixmedins_name, hosp_lv, admdvs)
       SELECT 'HC' || code, name || '卫生院', 1, code FROM region WHERE level = 'township'`,
    );
    const packs = await loadPacks();
    const first = await loadDemoChronic(ctx.db, packs, { seed: 7, year: 2022 });
    expect(first.certificates).toBeGreaterThan(60);
    expect(first.certificates).toBeLessThan(300);
    expect(first.diseases).toBeGreaterThan(first.certificates);
    expect(first.filings).toBeGreaterThan(100);
    expect(first.applications).toBe(20);
    const states = await ctx.db.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM chronic_application GROUP BY status ORDER BY status',
    );
    expect(Object.fromEntries(states.rows.map((r) => [r.status, r.n]))).toEqual({
      decided: 10,
      incomplete: 4,
      under_review: 4,
      withdrawn: 2,
    });
    // Every severe-mental certificate is S004; every filing names a township health centre.
    const wrong = await ctx.db.query(
      `SELECT 1 FROM two_diseases_filing f JOIN gateway_institution i USING (fixmedins_code)
        WHERE i.hosp_lv <> 1 OR substr(f.region_code, 1, 9) <> i.admdvs`,
    );
    expect(wrong.rows).toHaveLength(0);
    const refused = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM chronic_application_disease WHERE decision = 'refused'`,
    );
    expect(refused.rows[0]!.n).toBe(4);
    // The same seed gives the same county again.
    const again = await loadDemoChronic(ctx.db, packs, { seed: 7, year: 2022 });
    expect(again).toEqual(first);
  }, 120_000);
});
