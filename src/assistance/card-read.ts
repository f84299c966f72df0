/**
 * Reading a programme's cards. Holding a card of a mental-disorder programme discloses a
 * psychiatric condition, so such lists are for roles that may read sensitive data, and every such
 * read is audited like a write (auth/sensitive-read.ts); everyone sees ID numbers as masking.ts
 * allows.
 */
import type { Actor } from '../kernel/access/actor.ts';
import { certnoFor, isSensitiveCategory, mayReadSensitive } from '../kernel/access/masking.ts';
import { personScopeSql } from '../kernel/access/scope.ts';
import { auditSensitiveRead } from '../auth/index.ts';
import type { Db } from '../db/db.ts';
import { TriguardError } from '../kernel/errors.ts';
import type { Card, CardEvent, CardStatus, Programme } from './model.ts';
import { toCard, type CardRow } from './rows.ts';

export interface CardView extends Card {
  name: string;
  villageCode: string;
}

export interface CardEventView {
  seq: number;
  event: CardEvent;
  month: string;
  actorId: string;
  reason: string;
  at: string;
}

export const programmeIsSensitive = (p: Programme): boolean =>
  (p.cardCategory !== null && isSensitiveCategory(p.cardCategory)) ||
  p.eligibleCategories.some(isSensitiveCategory);

function requireSensitive(actor: Actor, p: Programme): void {
  if (programmeIsSensitive(p) && !mayReadSensitive(actor)) {
    throw new TriguardError('forbidden', 'assistance.card.sensitive', 'programme', {
      zh: '该项目的持卡人名单涉及精神障碍信息，需要敏感信息查看权限',
      en: "this programme's card holders disclose a psychiatric condition; sensitive-read permission is required",
    });
  }
}

export async function listCards(
  db: Db,
  actor: Actor,
  p: Programme,
  q: { status?: CardStatus; certno?: string; limit: number; offset: number },
): Promise<{ total: number; cards: CardView[] }> {
  requireSensitive(actor, p);
  const s = personScopeSql(actor.scope, 'p', 5);
  const where = `c.region_code = $1 AND c.programme = $2 AND ($3::text IS NULL OR c.status = $3)
     AND ($4::text IS NULL OR c.certno = $4) AND ${s.sql}`;
  const params = [p.regionCode, p.code, q.status ?? null, q.certno ?? null, ...s.params];
  const total = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM assistance_card c JOIN person p ON p.certno = c.certno
      WHERE ${where}`,
    params,
  );
  const r = await db.query<CardRow & { name: string; village: string }>(
    `SELECT c.*, p.name, p.region_code AS village FROM assistance_card c
       JOIN person p ON p.certno = c.certno
      WHERE ${where} ORDER BY c.card_no LIMIT ${q.limit} OFFSET ${q.offset}`,
    params,
  );
  const cards = r.rows.map((row) => ({
    ...toCard(row),
    certno: certnoFor(actor, row.certno),
    name: row.name,
    villageCode: row.village,
  }));
  if (cards.length > 0 && programmeIsSensitive(p)) {
    await auditSensitiveRead(db, actor, {
      entity: 'assistance_card',
      entityId: `programme:${p.regionCode}/${p.code}`,
      certno: cards.length === 1 ? r.rows[0]!.certno : null,
      fields: ['card_holders'],
    });
  }
  return { total: total.rows[0]!.n, cards };
}

/** One card with its history, in the caller's scope. */
export async function getCard(
  db: Db,
  actor: Actor,
  p: Programme,
  cardId: number,
): Promise<(CardView & { events: CardEventView[] }) | null> {
  requireSensitive(actor, p);
  const s = personScopeSql(actor.scope, 'p', 4);
  const r = await db.query<CardRow & { name: string; village: string }>(
    `SELECT c.*, p.name, p.region_code AS village FROM assistance_card c
       JOIN person p ON p.certno = c.certno
      WHERE c.card_id = $1 AND c.region_code = $2 AND c.programme = $3 AND ${s.sql}`,
    [cardId, p.regionCode, p.code, ...s.params],
  );
  const row = r.rows[0];
  if (!row) return null;
  const ev = await db.query<{
    seq: number;
    event: CardEvent;
    month: string;
    actor_id: string;
    reason: string;
    at: string;
  }>(
    `SELECT seq, event, month, actor_id, reason, at FROM assistance_card_event
      WHERE certno = $1 AND card_id = $2 ORDER BY seq`,
    [row.certno, cardId],
  );
  if (programmeIsSensitive(p)) {
    await auditSensitiveRead(db, actor, {
      entity: 'assistance_card',
      entityId: String(cardId),
      certno: row.certno,
      fields: ['card'],
    });
  }
  return {
    ...toCard(row),
    certno: certnoFor(actor, row.certno),
    name: row.name,
    villageCode: row.village,
    events: ev.rows.map((e) => ({
      seq: e.seq,
      event: e.event,
      month: e.month,
      actorId: e.actor_id,
      reason: e.reason,
      at: e.at,
    })),
  };
}
