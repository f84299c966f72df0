/**
 * The demo county's assistance (a step of `runDemoLoad`): the programmes its policy packs name for
 * the demo year and the next (the mental-disorder backstop, 1,000,000 a year, that settlement
 * charges), and a card for every card holder the demo registry already flags (Lai'an had 622).
 * Idempotent: an existing programme is kept, adopted cards are not adopted twice.
 */
import { SYSTEM_ACTOR, type Actor } from '../kernel/access/actor.ts';
import type { CliIo } from '../cli/command.ts';
import type { Db } from '../db/db.ts';
import { loadPackCatalog } from '../settlement/index.ts';
import { adoptCards } from './card-adopt.ts';
import { packDefaults, packProgrammeCodes, withDefaults } from './pack-defaults.ts';
import { addProgramme, programmesWhere } from './programmes.ts';

const DEMO_ACTOR: Actor = { ...SYSTEM_ACTOR, id: 'system:demo', name: 'demo load' };

export async function demoAssistanceStep(
  db: Db,
  opts: { year: number },
  io: Pick<CliIo, 'err'>,
): Promise<{ programmes: number; cards: number }> {
  const counties = await db.query<{ code: string }>(
    `SELECT code FROM region WHERE level = 'county'`,
  );
  const packs = await loadPackCatalog();
  // A reloaded demo county (`demo --replace`) leaves the cards of the people it cleared: drop
  // those whose flag is gone, so the new county's card flags are adopted afresh. Demo only.
  await db.query(
    `WITH gone AS (
       DELETE FROM assistance_card c WHERE c.flag_id IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM person_flag f WHERE f.certno = c.certno AND f.flag_id = c.flag_id)
       RETURNING c.certno, c.card_id)
     DELETE FROM assistance_card_event e USING gone
      WHERE e.certno = gone.certno AND e.card_id = gone.card_id`,
  );
  let programmes = 0;
  let cards = 0;
  for (const { code: county } of counties.rows) {
    for (const year of [opts.year, opts.year + 1]) {
      for (const code of packProgrammeCodes(packs, county, year)) {
        const d = packDefaults(packs, county, code, year);
        if (d.budget === undefined) continue;
        let [p] = await programmesWhere(db, { regionCode: county, code, year });
        if (!p) {
          p = await addProgramme(
            db,
            DEMO_ACTOR,
            withDefaults({ regionCode: county, code, year, reason: '演示县年度预算' }, d),
          );
          programmes++;
        }
        if (p.cardCategory !== null)
          cards += await adoptCards(db, DEMO_ACTOR, p, '演示县已发救助卡');
      }
    }
  }
  io.err(`assistance: ${programmes} programmes registered, ${cards} cards recorded`);
  return { programmes, cards };
}
