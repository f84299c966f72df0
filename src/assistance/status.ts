/**
 * A programme as staff read it: budget, net spending, what is left, the share used, the overspend
 * flag, its alerts and its cards by status. Reading checks the budget first: an alert is raised
 * when a check sees spending cross a threshold, and reads are one of the checks.
 */
import type { Db } from '../db/db.ts';
import type { Fen } from '../kernel/money.ts';
import { BUDGET_CHECKER, checkBudget } from './budget.ts';
import type { BudgetAlert, CardStatus, Programme } from './model.ts';
import { toAlert, type AlertRow } from './rows.ts';

export interface ProgrammeStatus {
  programme: Programme;
  spent: Fen;
  /** Budget − spent; negative once overspent. */
  remaining: Fen;
  /** Spent as basis points of the budget (null for a zero budget). */
  usedBp: number | null;
  /** Spending past the budget is allowed, and flagged here. */
  overspent: boolean;
  alerts: BudgetAlert[];
  cards: Record<CardStatus, number>;
}

export async function programmeStatus(db: Db, p: Programme): Promise<ProgrammeStatus> {
  const { spent } = await checkBudget(db, p, BUDGET_CHECKER);
  const alerts = await db.query<AlertRow>(
    'SELECT * FROM assistance_budget_alert WHERE programme_id = $1 ORDER BY threshold_bp',
    [p.programmeId],
  );
  const cards = await db.query<{ status: CardStatus; n: number }>(
    `SELECT c.status, count(*)::int AS n FROM assistance_card c
       JOIN person p ON p.certno = c.certno
      WHERE c.region_code = $1 AND c.programme = $2 GROUP BY c.status`,
    [p.regionCode, p.code],
  );
  const byStatus: Record<CardStatus, number> = { active: 0, suspended: 0, revoked: 0 };
  for (const c of cards.rows) byStatus[c.status] = c.n;
  return {
    programme: p,
    spent,
    remaining: p.budget - spent,
    usedBp: p.budget > 0 ? Math.floor((spent * 10_000) / p.budget) : null,
    overspent: spent > p.budget,
    alerts: alerts.rows.map(toAlert),
    cards: byStatus,
  };
}
