import { expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { loadDemoCounty } from '../registry/demo/load.ts';
import { demoAssistanceStep } from './demo.ts';
import { listProgrammes } from './programmes.ts';

describeDb('demo county assistance step', (ctx) => {
  it('registers the packs’ programmes and records a card per card flag, once', async () => {
    await loadDemoCounty(ctx.db, { people: 3000, seed: 7, year: 2022 });
    const io = { err: () => undefined };
    const first = await demoAssistanceStep(ctx.db, { year: 2022 }, io);
    const flags = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM person_flag WHERE category = 'mental_aid_card'`,
    );
    expect(first).toEqual({ programmes: 2, cards: flags.rows[0]!.n });
    expect(first.cards).toBeGreaterThan(0);
    const programmes = await listProgrammes(ctx.db, SYSTEM_ACTOR);
    expect(programmes.map((p) => [p.code, p.year, p.budget])).toEqual([
      ['mental_disorder_backstop', 2022, 100_000_000],
      ['mental_disorder_backstop', 2023, 100_000_000],
    ]);
    expect(await demoAssistanceStep(ctx.db, { year: 2022 }, io)).toEqual({
      programmes: 0,
      cards: 0,
    });
  });
});
