/**
 * Adopting cards already on the registry: a county that issued cards before Triguard (Lai'an had
 * 622) holds them as open `card_category` flags. Adoption records a card for every open flag of
 * the programme's category in its county that no live card covers, linked to that flag, in one
 * statement; the flags themselves are unchanged (they were recorded and audited when loaded), so
 * one audit entry records the adoption and its count. Idempotent: a second run adopts nothing.
 */
import { appendAudit } from '../audit/index.ts';
import type { Actor } from '../kernel/access/actor.ts';
import type { Db } from '../db/db.ts';
import { unprocessable } from '../kernel/errors.ts';
import type { Programme } from './model.ts';

export async function adoptCards(
  db: Db,
  actor: Actor,
  p: Programme,
  reason: string,
): Promise<number> {
  if (p.cardCategory === null) {
    throw unprocessable(
      'assistance.card.no_cards',
      'programme',
      `救助项目 ${p.code} 不发放救助卡`,
      `programme ${p.code} issues no cards`,
    );
  }
  return db.transaction(async (tx) => {
    const r = await tx.query<{ n: number }>(
      `WITH open_flags AS (
         SELECT f.certno, f.flag_id, f.from_month, f.recognised_on
           FROM person_flag f JOIN person p ON p.certno = f.certno
          WHERE f.category = $1 AND f.end_reason IS NULL AND f.to_month IS NULL
            AND p.region_code LIKE $2 || '%'
            AND NOT EXISTS (SELECT 1 FROM assistance_card c WHERE c.certno = f.certno
                              AND c.region_code = $2 AND c.programme = $3 AND c.status <> 'revoked')),
       cards AS (
         INSERT INTO assistance_card (certno, region_code, programme, card_no, status, issued_on,
           from_month, flag_id, updated_by, reason)
         SELECT certno, $2, $3, 'JZK' || $2 || lpad(nextval('assistance_card_no_seq')::text, 6, '0'),
                'active', coalesce(recognised_on, (from_month || '-01')::date), from_month, flag_id,
                $4, $5
           FROM open_flags ORDER BY certno
         RETURNING certno, card_id, from_month),
       events AS (
         INSERT INTO assistance_card_event (certno, card_id, seq, event, month, actor_id, reason)
         SELECT certno, card_id, 1, 'adopt', from_month, $4, $5 FROM cards)
       SELECT count(*)::int AS n FROM cards`,
      [p.cardCategory, p.regionCode, p.code, actor.id, reason],
    );
    const n = r.rows[0]!.n;
    if (n > 0) {
      await appendAudit(tx, {
        actor,
        action: 'assistance.card.adopt',
        entity: 'assistance_programme',
        entityId: String(p.programmeId),
        after: { programme: p.code, regionCode: p.regionCode, cards: n },
        reason,
      });
    }
    return n;
  });
}
