/**
 * Budget alerts (预算提醒): at 80 % and 100 % of a programme-year's budget, one alert record per
 * threshold, raised the first time a check sees spending at or above it. Spending past the budget
 * is allowed (Lai'an: 不足部分按当年实际救助支出保障) and flagged in every programme view.
 *
 * Checks run after each batch import, on every programme read, and whenever the lead's code calls
 * `checkBudgetsAfterSettle` (e.g. after a settlement that paid a backstop). Concurrent checks
 * cannot raise an alert twice: the (programme, threshold) key decides, and only the inserter
 * audits it.
 */
import { appendAudit } from '../audit/index.ts';
import type { Actor } from '../kernel/access/actor.ts';
import type { Db } from '../db/db.ts';
import type { Fen } from '../kernel/money.ts';
import {
  ALERT_THRESHOLDS,
  type AlertThreshold,
  type BudgetAlert,
  type Programme,
} from './model.ts';
import { listProgrammes, programmesWhere } from './programmes.ts';
import { conflict, notFound } from '../kernel/errors.ts';
import { toAlert, type AlertRow } from './rows.ts';
import { programmeSpent } from './spend.ts';

/** The thresholds that spending `spent` has reached (at or above). Nothing spent, nothing due. */
export function reachedThresholds(budget: Fen, spent: Fen): AlertThreshold[] {
  if (spent <= 0) return [];
  return ALERT_THRESHOLDS.filter((bp) => spent * 10_000 >= budget * bp);
}

/** The actor checks run as when nobody in particular asked (reads, after settlement). */
export const BUDGET_CHECKER: Actor = {
  id: 'system:assistance-budget',
  name: 'budget check',
  roles: ['system'],
  permissions: new Set(['*']),
  scope: { kind: 'system' },
  origin: null,
};

export interface BudgetCheck {
  programme: Programme;
  spent: Fen;
  /** Alerts this check raised (already-raised ones are not repeated). */
  raised: BudgetAlert[];
}

/** Checks one programme-year: computes its spending and raises the alerts it has reached. */
export async function checkBudget(db: Db, p: Programme, by: Actor): Promise<BudgetCheck> {
  const spent = await programmeSpent(db, p);
  const due = reachedThresholds(p.budget, spent);
  if (due.length === 0) return { programme: p, spent, raised: [] };
  const raised = await db.transaction(async (tx) => {
    const r = await tx.query<AlertRow>(
      `INSERT INTO assistance_budget_alert (programme_id, threshold_bp, budget, spent, raised_by)
       SELECT $1, t, $3, $4, $5 FROM unnest($2::int[]) AS t
       ON CONFLICT (programme_id, threshold_bp) DO NOTHING
       RETURNING *`,
      [p.programmeId, due, p.budget, spent, by.id],
    );
    for (const a of r.rows) {
      await appendAudit(tx, {
        actor: by,
        action: 'assistance.budget.alert',
        entity: 'assistance_programme',
        entityId: String(p.programmeId),
        after: {
          code: p.code,
          year: p.year,
          regionCode: p.regionCode,
          thresholdBp: a.threshold_bp,
          budget: a.budget,
          spent: a.spent,
        },
      });
    }
    return r.rows.map(toAlert);
  });
  return { programme: p, spent, raised };
}

/** Checks every programme matching the filter (all when empty). */
export async function checkBudgets(
  db: Db,
  filter: { programmeId?: number; code?: string; year?: number },
  by: Actor = BUDGET_CHECKER,
): Promise<BudgetCheck[]> {
  const out: BudgetCheck[] = [];
  for (const p of await programmesWhere(db, filter)) out.push(await checkBudget(db, p, by));
  return out;
}

/**
 * For the settlement path: after a settlement charged `programme` (its `backstopProgramme`) for
 * the medical `year` of a person living in `regionCode`, check the programme-years that cover it.
 * Cheap (one sum over that programme-year's spending); returns the alerts raised, if any.
 */
export async function checkBudgetsAfterSettle(
  db: Db,
  charged: { programme: string; year: number; regionCode: string },
): Promise<BudgetAlert[]> {
  const raised: BudgetAlert[] = [];
  for (const p of await programmesWhere(db, { code: charged.programme, year: charged.year })) {
    if (!charged.regionCode.startsWith(p.regionCode)) continue;
    raised.push(...(await checkBudget(db, p, BUDGET_CHECKER)).raised);
  }
  return raised;
}

/** The alerts of the programmes the actor may see, newest first; `open`: not yet acknowledged. */
export async function listAlerts(
  db: Db,
  actor: Actor,
  f: { open?: boolean } = {},
): Promise<(BudgetAlert & { programme: Programme })[]> {
  const programmes = new Map((await listProgrammes(db, actor)).map((p) => [p.programmeId, p]));
  const r = await db.query<AlertRow>(
    `SELECT * FROM assistance_budget_alert WHERE ($1::boolean IS NOT TRUE OR acknowledged_at IS NULL)
      ORDER BY raised_at DESC, alert_id DESC`,
    [f.open ?? null],
  );
  return r.rows
    .filter((a) => programmes.has(a.programme_id))
    .map((a) => ({ ...toAlert(a), programme: programmes.get(a.programme_id)! }));
}

/** Staff acknowledge an alert (it stays on record); audited. */
export async function acknowledgeAlert(
  db: Db,
  actor: Actor,
  alertId: number,
  note: string | null,
): Promise<BudgetAlert> {
  const visible = await listAlerts(db, actor);
  if (!visible.some((a) => a.alertId === alertId)) {
    throw notFound(
      'assistance.alert_not_found',
      'alertId',
      `没有提醒 ${alertId}`,
      `no alert ${alertId}`,
    );
  }
  return db.transaction(async (tx) => {
    const r = await tx.query<AlertRow>(
      `UPDATE assistance_budget_alert SET acknowledged_by = $2, acknowledged_at = now()
        WHERE alert_id = $1 AND acknowledged_at IS NULL RETURNING *`,
      [alertId, actor.id],
    );
    const row = r.rows[0];
    if (!row) {
      throw conflict(
        'assistance.alert_acknowledged',
        'alertId',
        '该提醒已确认',
        'the alert was already acknowledged',
      );
    }
    await appendAudit(tx, {
      actor,
      action: 'assistance.budget.acknowledge',
      entity: 'assistance_budget_alert',
      entityId: String(alertId),
      after: { acknowledged: true },
      reason: note,
    });
    return toAlert(row);
  });
}
