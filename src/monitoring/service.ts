/**
 * The warning service: read warnings in the caller's scope, push a month's new warnings (XLSX and
 * signed webhooks), and the decisions civil affairs record (confirm, dismiss with a reason,
 * assisted with the assistance granted). Every status change is audited in its transaction.
 *
 * Before a push or a decision the person's open warnings are re-checked against the live
 * accumulators, so a warning that a cancelled settlement has since brought back to the line is
 * withdrawn instead of being sent or confirmed.
 */
import type { Db } from '../db/db.ts';
import type { Actor } from '../kernel/access/actor.ts';
import { appendAudit } from '../audit/index.ts';
import { isSensitiveCategory } from '../kernel/access/masking.ts';
import { conflict, notFound } from '../kernel/errors.ts';
import { fenToYuanNumber, type Fen } from '../kernel/money.ts';
import { parseMonth, type Month } from '../kernel/period.ts';
import type { PolicyPack } from '../policy/index.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { withdrawIn } from './run.ts';
import { monitoringPacks, rulesFor } from './rules.ts';
import { project, type Projection } from './projection.ts';
import { shareOfLine, type Threshold } from './thresholds.ts';
import {
  STATUS_LABELS,
  canApply,
  transition,
  type AssistanceMeasure,
  type WarningAction,
} from './status.ts';
import {
  allWarnings,
  findWarning,
  listWarnings,
  moveWarning,
  warningEvents,
  type TransitionFields,
  type WarningFilter,
  type WarningRow,
} from './repo/warnings.ts';
import { insertPush, type PushRow } from './repo/push.ts';
import { watchList, type WatchRow } from './repo/watch.ts';
import { dashboard, type DashboardRows } from './repo/dashboard.ts';
import {
  deliverPush,
  deliveryOptionsFromEnv,
  enqueueDeliveries,
  type DeliveryOptions,
  type DeliveryOutcome,
} from './push/webhook.ts';
import { kickDeliveryWorkers } from './push/worker.ts';

/** Withdrawals noticed while re-checking before a push or decision are the system's doing. */
export const MONITOR_ACTOR: Actor = { ...SYSTEM_ACTOR, id: 'system:monitor', name: 'monitoring' };

export interface Assistance {
  measures: AssistanceMeasure[];
  /** Amount granted, fen, when there is one. */
  amount: Fen | null;
  programme: string | null;
  note: string | null;
}

export interface WatchEntry extends WatchRow {
  share: number;
  projection: Projection;
}

export class MonitoringService {
  constructor(
    private readonly db: Db,
    private readonly packs?: readonly PolicyPack[],
    /** Webhook delivery settings (default: TRIGUARD_WEBHOOK_* from the environment). */
    private readonly delivery: DeliveryOptions = deliveryOptionsFromEnv(),
  ) {}

  async list(actor: Actor, f: WarningFilter, page: { limit: number; offset: number }) {
    return listWarnings(this.db, actor.scope, f, page);
  }

  async get(actor: Actor, id: number) {
    const w = await findWarning(this.db, actor.scope, id);
    if (!w) throw missing(id);
    return { warning: w, events: await warningEvents(this.db, w) };
  }

  /**
   * Pushes the month's new warnings: re-checks the year, marks them `pushed` (one push record),
   * audits each, and writes one webhook delivery per active receiver in the same transaction
   * (`webhooks: false` writes none). The server's delivery worker sends them; `deliver` sends
   * them now for a caller that waits.
   */
  async push(
    actor: Actor,
    month: Month,
    opts: { webhooks?: boolean } = {},
  ): Promise<{ push: PushRow; warnings: WarningRow[] }> {
    const m = parseMonth(month, 'month');
    const pushed = await this.db.transaction(async (tx) => {
      await withdrawIn(tx, MONITOR_ACTOR, Number(m.slice(0, 4)));
      const rows = await allWarnings(tx, actor.scope, { month: m, status: 'new' }, true);
      if (rows.length === 0) {
        throw conflict(
          'monitor.nothing_to_push',
          'month',
          `${m} 没有待推送的新预警`,
          `no new warnings of ${m} to push`,
        );
      }
      const push = await insertPush(tx, m, rows.length, actor.id);
      for (const w of rows) {
        await moveWarning(tx, w, 'new', 'pushed', actor.id, { pushId: push.push_id });
        await appendAudit(tx, {
          actor,
          action: 'monitor.warning.push',
          entity: 'monitoring_warning',
          entityId: String(w.warning_id),
          certno: w.certno,
          before: { status: 'new' },
          after: { status: 'pushed', pushId: push.push_id },
        });
      }
      const pushed = rows.map((w) => ({ ...w, status: 'pushed' as const, push_id: push.push_id }));
      if (opts.webhooks !== false) {
        await enqueueDeliveries(tx, push.push_id, webhookPayload(push, pushed), this.delivery);
      }
      return { push, warnings: pushed };
    });
    kickDeliveryWorkers();
    return pushed;
  }

  /**
   * Sends a push's pending webhook deliveries now and resolves when each is delivered or given
   * up, retries included; every attempt is logged.
   */
  deliver(push: PushRow, opts?: DeliveryOptions): Promise<DeliveryOutcome[]> {
    return deliverPush(this.db, push.push_id, { ...this.delivery, ...opts });
  }

  confirm(actor: Actor, id: number, note: string | null) {
    return this.decide(actor, id, 'confirm', { decidedBy: actor.id, reason: note });
  }

  dismiss(actor: Actor, id: number, reason: string) {
    return this.decide(actor, id, 'dismiss', {
      decidedBy: actor.id,
      dismissReason: reason,
      reason,
    });
  }

  assist(actor: Actor, id: number, assistance: Assistance) {
    return this.decide(actor, id, 'assist', {
      assistance: { ...assistance, grantedBy: actor.id },
      reason: assistance.note,
    });
  }

  private async decide(
    actor: Actor,
    id: number,
    action: WarningAction,
    fields: TransitionFields & { reason?: string | null },
  ): Promise<WarningRow> {
    return this.db.transaction(async (tx) => {
      const seen = await findWarning(tx, actor.scope, id);
      if (!seen) throw missing(id);
      await withdrawIn(tx, MONITOR_ACTOR, seen.year, { certno: seen.certno });
      const w = (await findWarning(tx, actor.scope, id, true))!;
      if (!canApply(action, w.status)) {
        const allowed = transition(action).from.map((s) => STATUS_LABELS[s]);
        throw conflict(
          'monitor.warning_status',
          'status',
          `预警 ${id} 当前为「${STATUS_LABELS[w.status].zh}」，只有「${allowed.map((l) => l.zh).join('、')}」的预警可以这样处理`,
          `warning ${id} is ${w.status}; only ${allowed.map((l) => l.en).join(', ')} warnings can be ${action === 'assist' ? 'assisted' : `${action}ed`}`,
        );
      }
      const to = transition(action).to;
      await moveWarning(tx, w, w.status, to, actor.id, fields);
      await appendAudit(tx, {
        actor,
        action: `monitor.warning.${action}`,
        entity: 'monitoring_warning',
        entityId: String(id),
        certno: w.certno,
        before: { status: w.status },
        after: {
          status: to,
          ...(fields.assistance === undefined ? {} : { assistance: fields.assistance }),
        },
        reason: fields.reason ?? null,
      });
      return (await findWarning(tx, actor.scope, id))!;
    });
  }

  /** People above 80 % of a line, not over it, with a straight-line projection. */
  async watch(
    actor: Actor,
    q: {
      month: Month;
      threshold?: Threshold | undefined;
      region?: string | undefined;
      limit: number;
      offset: number;
    },
  ): Promise<{ total: number; rows: WatchEntry[] }> {
    const month = parseMonth(q.month, 'month');
    const rules = rulesFor(this.packs ?? (await monitoringPacks()), month, actor.scope);
    const r = await watchList(this.db, { ...q, month, rules, scope: actor.scope });
    return {
      total: r.total,
      rows: r.rows.map((w) => ({
        ...w,
        share: shareOfLine(w.amount, w.line),
        projection: project(w.amount, w.line, month),
      })),
    };
  }

  dashboard(actor: Actor, year: number): Promise<DashboardRows> {
    return dashboard(this.db, actor.scope, year);
  }
}

const missing = (id: number) =>
  notFound('monitor.warning_not_found', 'id', `没有预警 ${id}`, `no warning ${id}`);

/**
 * The JSON a receiving department gets: whole ID numbers (the department identifies the person),
 * amounts in yuan; psychiatric categories are left out, as for any reader without
 * `registry:sensitive:read`.
 */
export function webhookPayload(push: PushRow, warnings: readonly WarningRow[]) {
  return {
    event: 'monitoring.warnings.pushed',
    pushId: push.push_id,
    month: push.month,
    count: warnings.length,
    warnings: warnings.map((w) => ({
      warningId: w.warning_id,
      certno: w.certno,
      name: w.name,
      regionCode: w.region_code,
      township: w.township_name,
      year: w.year,
      month: w.month,
      threshold: w.threshold,
      categories: w.categories.filter((c) => !isSensitiveCategory(c)),
      amount: fenToYuanNumber(w.amount),
      line: fenToYuanNumber(w.line),
    })),
  };
}
