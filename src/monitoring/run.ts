/**
 * The monthly run (月度监测): withdraw open warnings that a cancelled settlement brought back to
 * the line, then create the month's new warnings, in one transaction; concurrent runs queue on an
 * advisory lock. `triguard monitor run --month` and `POST /api/v1/monitoring/runs` call it on
 * either database; on PostgreSQL the pg-boss schedule (src/jobs/) runs the month just ended.
 *
 * Creation is set-based and audited once per run (the run's entry holds the counts; every warning
 * has its creation event with the run id). Withdrawals are few and each is audited on its own.
 */
import type { Db, Queryable } from '../db/db.ts';
import type { Actor } from '../kernel/access/actor.ts';
import { appendAudit } from '../audit/index.ts';
import { parseMonth, type Month } from '../kernel/period.ts';
import type { PolicyPack } from '../policy/index.ts';
import type { MonitoringRule } from './thresholds.ts';
import { monitoringPacks, rulesFor } from './rules.ts';
import {
  collectCandidates,
  createWarnings,
  dropCandidates,
  finishRun,
  insertRun,
  openUnderLine,
} from './repo/run-sql.ts';
import { moveWarning } from './repo/warnings.ts';

/** Serialises runs and re-checks (PostgreSQL advisory lock; harmless on PGlite). */
const RUN_LOCK = 7426009;
const ANALYZE_AFTER = 1_000;

export interface RunSummary {
  runId: number;
  month: Month;
  year: number;
  rules: MonitoringRule[];
  created: number;
  reopened: number;
  withdrawn: number;
  ms: number;
}

export async function runMonth(
  db: Db,
  actor: Actor,
  month: Month,
  packs?: readonly PolicyPack[],
): Promise<RunSummary> {
  const m = parseMonth(month, 'month');
  const rules = rulesFor(packs ?? (await monitoringPacks()), m, actor.scope);
  const year = Number(m.slice(0, 4));
  const started = performance.now();
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [RUN_LOCK]);
    const runId = await insertRun(tx, m, rules, actor.id);
    await collectCandidates(tx, year, rules);
    const withdrawn = await withdrawIn(tx, actor, year, { fromCandidates: true, runId });
    const { created, reopened } = await createWarnings(tx, {
      month: m,
      rules,
      runId,
      actorId: actor.id,
      scope: actor.scope,
    });
    await dropCandidates(tx);
    // After a large batch, fresh statistics: with the table's old ones the planner would take a
    // handful of warnings for granted and probe them row by row on the next run.
    if (created + reopened >= ANALYZE_AFTER) await tx.exec('ANALYZE monitoring_warning');
    await finishRun(tx, runId, { created, reopened, withdrawn });
    await appendAudit(tx, {
      actor,
      action: 'monitor.run.create',
      entity: 'monitoring_run',
      entityId: String(runId),
      after: { month: m, created, reopened, withdrawn, rules },
    });
    return {
      runId,
      month: m,
      year,
      rules,
      created,
      reopened,
      withdrawn,
      ms: performance.now() - started,
    };
  });
}

/**
 * Withdraws the open warnings of a year (or of one person) whose burden is now at or under their
 * line. Runs inside every monthly run, before every push, and on its own (`monitor recheck`, the
 * daily job on PostgreSQL), so a cancel shows within a day without touching the settlement
 * service.
 */
export async function recheck(
  db: Db,
  actor: Actor,
  year: number,
  certno: string | null = null,
): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [RUN_LOCK]);
    return withdrawIn(tx, actor, year, { certno });
  });
}

export async function withdrawIn(
  tx: Queryable,
  actor: Actor,
  year: number,
  opts: { certno?: string | null; runId?: number; fromCandidates?: boolean } = {},
): Promise<number> {
  const runId = opts.runId ?? null;
  const under = await openUnderLine(tx, year, opts);
  let withdrawn = 0;
  for (const w of under) {
    const reason =
      '结算撤销后个人负担回落至预警线以下 / a cancelled settlement brought the burden back to the line';
    const detail = { amountNow: w.amount_now, line: w.line };
    // Moved on since it was read (a decision in between): not withdrawn by this check.
    if (!(await moveWarning(tx, w, w.status, 'withdrawn', actor.id, { runId, reason, detail }))) {
      continue;
    }
    withdrawn++;
    await appendAudit(tx, {
      actor,
      action: 'monitor.warning.withdraw',
      entity: 'monitoring_warning',
      entityId: String(w.warning_id),
      certno: w.certno,
      before: { status: w.status },
      after: { status: 'withdrawn', ...detail },
      reason,
    });
  }
  return withdrawn;
}
