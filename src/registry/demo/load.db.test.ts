import { expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { isEmpty, loadDemoCounty } from './load.ts';

describeDb('demo county load', (ctx) => {
  it('loads every generated row and reports counts that match the tables', async () => {
    expect(await isEmpty(ctx.db)).toBe(true);
    const counts = await loadDemoCounty(ctx.db, { seed: 7, people: 3_000, year: 2022 });
    expect(counts.persons).toBe(3_000);
    const n = async (t: string) =>
      (await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
    expect(await n('person')).toBe(counts.persons);
    expect(await n('household')).toBe(counts.households);
    expect(await n('person_flag')).toBe(counts.flags);
    expect(await n('region')).toBe(counts.regions);
    expect(await n('enrolment')).toBe(counts.enrolments);
    expect(counts.enrolments).toBe(3_000);
    // Every person can be found by pinyin initials.
    const blank = await ctx.db.query(
      `SELECT 1 FROM person WHERE name_pinyin_initials = '' LIMIT 1`,
    );
    expect(blank.rows).toHaveLength(0);
    expect(await isEmpty(ctx.db)).toBe(false);
  });
});
