/**
 * Assistance cards (救助卡): issue, suspend, reinstate, revoke — each with a reason, audited, in
 * one transaction with the identity flag the card confers. Settlement pays the backstop to holders
 * of the card's category (docs/settlement.md §5: `mental_aid_card`) in the months the flag holds, so
 * the card's flag *is* what settlement checks: issuing opens the flag from the card's first month,
 * suspending or revoking ends it at the card's last month (inclusive, as flags are), reinstating
 * opens a new one. Flags are written through the registry's own rules and versioning, so the
 * overlap, death and history rules of the registry hold for cards too.
 */
import { appendAudit } from '../audit/index.ts';
import type { Actor } from '../kernel/access/actor.ts';
import type { Queryable } from '../db/db.ts';
import { conflict, notFound, unprocessable } from '../kernel/errors.ts';
import { addMonths, isMonth, type Month } from '../kernel/period.ts';
import {
  flagHolds,
  type Flag,
  type PersonRecord,
  loadRecord,
  lockPerson,
  addFlagChanges,
  endFlag,
  moment,
  registryContext,
  type Moment,
  personNotFound,
  writeChanges,
} from '../registry/index.ts';
import type { Category } from '../policy/index.ts';
import { today, type AssistanceContext } from './context.ts';
import type { Card, CardEvent, Programme } from './model.ts';
import { toCard, type CardRow } from './rows.ts';

/** Where the registry records who recognised a card's flag. */
export const CARD_FLAG_SOURCE = 'medical_insurance';

export interface IssueCard {
  certno: string;
  /** First month the card holds (default: this month). */
  fromMonth?: Month;
  /** A card number printed elsewhere; generated when absent. */
  cardNo?: string;
  reason: string;
}

export async function issueCard(
  ctx: AssistanceContext,
  actor: Actor,
  p: Programme,
  req: IssueCard,
): Promise<Card> {
  const category = cardCategoryOf(p);
  const fromMonth = monthOr(req.fromMonth, today(ctx).month, 'fromMonth');
  const m = stampOf(ctx, actor, req.reason);
  return ctx.db.transaction(async (tx) => {
    const rec = await lockAndLoad(tx, actor, req.certno);
    if (!rec.person.regionCode.startsWith(p.regionCode)) {
      throw unprocessable(
        'assistance.card.out_of_county',
        'certno',
        `此人不属于项目所在县 ${p.regionCode}`,
        `the person does not live in the programme's county ${p.regionCode}`,
      );
    }
    checkEligible(rec, p, fromMonth);
    const live = await tx.query<CardRow>(
      `SELECT * FROM assistance_card WHERE certno = $1 AND region_code = $2 AND programme = $3
          AND status <> 'revoked'`,
      [req.certno, p.regionCode, p.code],
    );
    if (live.rows[0]) {
      throw conflict(
        'assistance.card.exists',
        'certno',
        `此人已持有该项目的救助卡 ${live.rows[0].card_no}（${live.rows[0].status}）`,
        `the person already holds card ${live.rows[0].card_no} (${live.rows[0].status})`,
      );
    }
    const cardNo = req.cardNo?.trim() || (await nextCardNo(tx, p.regionCode));
    const flagId = await openFlag(tx, actor, m, rec, category, fromMonth, cardNo, 'issue');
    const r = await tx.query<CardRow>(
      `INSERT INTO assistance_card (certno, region_code, programme, card_no, status, issued_on,
         from_month, flag_id, updated_by, reason)
       VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $9)
       ON CONFLICT (card_no) DO NOTHING RETURNING *`,
      [req.certno, p.regionCode, p.code, cardNo, m.today, fromMonth, flagId, actor.id, req.reason],
    );
    if (!r.rows[0]) {
      throw conflict(
        'assistance.card.number_taken',
        'cardNo',
        `卡号 ${cardNo} 已被使用`,
        `card number ${cardNo} is taken`,
      );
    }
    const card = toCard(r.rows[0]);
    await cardEvent(tx, actor, card, 'issue', fromMonth, req.reason, null);
    return card;
  });
}

export interface EndCard {
  /** The last month the card holds (default: this month). */
  lastMonth?: Month;
  reason: string;
}

export const suspendCard = (ctx: AssistanceContext, actor: Actor, cardId: number, req: EndCard) =>
  endCard(ctx, actor, cardId, req, 'suspend');

export const revokeCard = (ctx: AssistanceContext, actor: Actor, cardId: number, req: EndCard) =>
  endCard(ctx, actor, cardId, req, 'revoke');

async function endCard(
  ctx: AssistanceContext,
  actor: Actor,
  cardId: number,
  req: EndCard,
  event: 'suspend' | 'revoke',
): Promise<Card> {
  const lastMonth = monthOr(req.lastMonth, today(ctx).month, 'lastMonth');
  const m = stampOf(ctx, actor, req.reason);
  return ctx.db.transaction(async (tx) => {
    const { before, rec } = await lockCard(tx, actor, cardId);
    const allowed = event === 'suspend' ? ['active'] : ['active', 'suspended'];
    if (!allowed.includes(before.status)) {
      throw conflict(
        'assistance.card.status',
        'status',
        `救助卡当前状态为 ${before.status}，不能${event === 'suspend' ? '暂停' : '注销'}`,
        `the card is ${before.status}; it cannot be ${event === 'suspend' ? 'suspended' : 'revoked'}`,
      );
    }
    let last = before.lastMonth;
    if (before.status === 'active') {
      last = await closeFlag(tx, actor, m, rec, before, lastMonth, event);
    }
    const status = event === 'suspend' ? 'suspended' : 'revoked';
    const card = await updateCard(tx, actor, cardId, before.certno, {
      status,
      lastMonth: last,
      flagId: before.flagId,
      reason: req.reason,
    });
    await cardEvent(tx, actor, card, event, last ?? lastMonth, req.reason, before);
    return card;
  });
}

export interface ReinstateCard {
  /** First month the card holds again (default: this month, or the month after its last). */
  fromMonth?: Month;
  reason: string;
}

export async function reinstateCard(
  ctx: AssistanceContext,
  actor: Actor,
  p: Programme,
  cardId: number,
  req: ReinstateCard,
): Promise<Card> {
  const category = cardCategoryOf(p);
  const m = stampOf(ctx, actor, req.reason);
  return ctx.db.transaction(async (tx) => {
    const { before, rec } = await lockCard(tx, actor, cardId);
    if (before.status !== 'suspended') {
      throw conflict(
        'assistance.card.status',
        'status',
        `只有暂停的救助卡可以恢复（当前 ${before.status}）`,
        `only a suspended card can be reinstated (it is ${before.status})`,
      );
    }
    const after = before.lastMonth ? addMonths(before.lastMonth, 1) : today(ctx).month;
    const thisMonth = today(ctx).month;
    const fallback = after > thisMonth ? after : thisMonth;
    const fromMonth = monthOr(req.fromMonth, fallback, 'fromMonth');
    if (before.lastMonth && fromMonth <= before.lastMonth) {
      throw unprocessable(
        'assistance.card.reinstate_month',
        'fromMonth',
        `恢复月份须晚于暂停前的最后月份 ${before.lastMonth}`,
        `the card can hold again only after its last month ${before.lastMonth}`,
      );
    }
    checkEligible(rec, p, fromMonth);
    const flagId = await openFlag(
      tx,
      actor,
      m,
      rec,
      category,
      fromMonth,
      before.cardNo,
      'reinstate',
    );
    const card = await updateCard(tx, actor, cardId, before.certno, {
      status: 'active',
      lastMonth: null,
      flagId,
      reason: req.reason,
    });
    await cardEvent(tx, actor, card, 'reinstate', fromMonth, req.reason, before);
    return card;
  });
}

// ---- pieces --------------------------------------------------------------------------------

function cardCategoryOf(p: Programme): Category {
  if (p.cardCategory === null) {
    throw unprocessable(
      'assistance.card.no_cards',
      'programme',
      `救助项目 ${p.code} 不发放救助卡`,
      `programme ${p.code} issues no cards`,
    );
  }
  return p.cardCategory;
}

function monthOr(given: string | undefined, fallback: Month, field: string): Month {
  if (given === undefined) return fallback;
  if (!isMonth(given)) {
    throw unprocessable(
      'month.invalid',
      field,
      `${field} 应为 YYYY-MM`,
      `${field} must be YYYY-MM`,
    );
  }
  return given;
}

const stampOf = (ctx: AssistanceContext, actor: Actor, reason: string): Moment =>
  moment(registryContext(ctx.db, ctx.now), actor, reason);

async function lockAndLoad(tx: Queryable, actor: Actor, certno: string): Promise<PersonRecord> {
  await lockPerson(tx, certno);
  const rec = await loadRecord(tx, actor.scope, certno);
  if (!rec) throw personNotFound(certno);
  return rec;
}

/** A card is issued to a person holding one of the programme's categories in its first month. */
function checkEligible(rec: PersonRecord, p: Programme, month: Month): void {
  const holds = rec.flags.some(
    (f) => p.eligibleCategories.includes(f.category) && flagHolds(f, month),
  );
  if (!holds) {
    const names = p.eligibleCategories.join(', ');
    throw unprocessable(
      'assistance.card.not_eligible',
      'certno',
      `此人 ${month} 不具有可发卡的身份类别（${names}）`,
      `the person holds none of the eligible categories (${names}) in ${month}`,
    );
  }
}

async function nextCardNo(tx: Queryable, regionCode: string): Promise<string> {
  const r = await tx.query<{ n: number }>("SELECT nextval('assistance_card_no_seq') AS n");
  return `JZK${regionCode}${String(r.rows[0]!.n).padStart(6, '0')}`;
}

/** Opens the card's flag through the registry's rules; answers the new flag's id. */
async function openFlag(
  tx: Queryable,
  actor: Actor,
  m: Moment,
  rec: PersonRecord,
  category: Category,
  fromMonth: Month,
  cardNo: string,
  event: CardEvent,
): Promise<number> {
  const changes = addFlagChanges(
    rec,
    {
      category,
      fromMonth,
      toMonth: null,
      source: CARD_FLAG_SOURCE,
      evidenceNo: cardNo,
      recognisedOn: m.today,
    },
    m.today,
  );
  const known = new Set(rec.flags.map((f) => f.flagId));
  const after = await writeChanges(tx, actor, m.stamp, rec, changes, `assistance.card.${event}`);
  const flag = after.flags.find((f) => !known.has(f.flagId));
  if (!flag) throw new Error('the card flag was not written');
  return flag.flagId;
}

/**
 * Ends the card's flag at `lastMonth` (a registry `cancellation`); answers the card's last month.
 * A flag the registry already ended (a death) keeps its end; one that began after `lastMonth`
 * (a card issued for a later month) is ended as a correction: it never held.
 */
async function closeFlag(
  tx: Queryable,
  actor: Actor,
  m: Moment,
  rec: PersonRecord,
  card: Card,
  lastMonth: Month,
  event: 'suspend' | 'revoke',
): Promise<Month> {
  const flag: Flag | undefined = rec.flags.find((f) => f.flagId === card.flagId);
  // Never end a card while its flag may still pay: a card without its flag needs a look.
  if (!flag) {
    throw conflict(
      'assistance.card.flag_missing',
      'cardId',
      `救助卡 ${card.cardNo} 对应的身份标识 ${card.flagId ?? ''} 不在登记库中，请核对后处理`,
      `the flag ${card.flagId ?? ''} of card ${card.cardNo} is not on the registry; check it first`,
    );
  }
  if (flag.endReason !== null) return flag.toMonth ?? lastMonth;
  const reason = lastMonth < flag.fromMonth ? 'correction' : 'cancellation';
  const changes = endFlag(flag, lastMonth, reason);
  await writeChanges(tx, actor, m.stamp, rec, changes, `assistance.card.${event}`);
  return lastMonth;
}

async function lockCard(
  tx: Queryable,
  actor: Actor,
  cardId: number,
): Promise<{ before: Card; rec: PersonRecord }> {
  const found = await tx.query<{ certno: string }>(
    'SELECT certno FROM assistance_card WHERE card_id = $1',
    [cardId],
  );
  const certno = found.rows[0]?.certno;
  if (!certno) throw cardMissing(cardId);
  // The person first, as every registry writer does, then the card: one lock order.
  await lockPerson(tx, certno);
  const rec = await loadRecord(tx, actor.scope, certno);
  if (!rec) throw cardMissing(cardId);
  const r = await tx.query<CardRow>(
    'SELECT * FROM assistance_card WHERE certno = $1 AND card_id = $2 FOR UPDATE',
    [certno, cardId],
  );
  return { before: toCard(r.rows[0]!), rec };
}

export const cardMissing = (cardId: number) =>
  notFound(
    'assistance.card_not_found',
    'cardId',
    `没有救助卡 ${cardId}（或不在您的数据范围内）`,
    `no card ${cardId} (or outside your data scope)`,
  );

async function updateCard(
  tx: Queryable,
  actor: Actor,
  cardId: number,
  certno: string,
  next: {
    status: Card['status'];
    lastMonth: Month | null;
    flagId: number | null;
    reason: string;
  },
): Promise<Card> {
  const r = await tx.query<CardRow>(
    `UPDATE assistance_card SET status = $3, last_month = $4, flag_id = $5, reason = $6,
       updated_by = $7, updated_at = now(), version = version + 1
     WHERE certno = $1 AND card_id = $2 RETURNING *`,
    [certno, cardId, next.status, next.lastMonth, next.flagId, next.reason, actor.id],
  );
  return toCard(r.rows[0]!);
}

async function cardEvent(
  tx: Queryable,
  actor: Actor,
  card: Card,
  event: CardEvent,
  month: Month,
  reason: string,
  before: Card | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO assistance_card_event (certno, card_id, seq, event, month, actor_id, reason)
     SELECT $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6 FROM assistance_card_event
      WHERE certno = $1 AND card_id = $2`,
    [card.certno, card.cardId, event, month, actor.id, reason],
  );
  await appendAudit(tx, {
    actor,
    action: `assistance.card.${event}`,
    entity: 'assistance_card',
    entityId: String(card.cardId),
    certno: card.certno,
    before,
    after: card,
    reason,
  });
}
