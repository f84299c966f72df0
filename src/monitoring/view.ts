/**
 * What the API answers for a warning: amounts in yuan, the ID number and categories as the reader
 * may see them (kernel/access/masking.ts), labels in both languages.
 */
import { z } from 'zod';
import type { Actor } from '../kernel/access/actor.ts';
import { certnoFor, maskCategories } from '../kernel/access/masking.ts';
import { fenToYuanNumber } from '../kernel/money.ts';
import type { WarningEvent, WarningRow } from './repo/warnings.ts';
import { STATUS_LABELS, WARNING_STATUSES } from './status.ts';
import { THRESHOLDS, THRESHOLD_LABELS } from './thresholds.ts';

const label = z.object({ zh: z.string(), en: z.string() });

export const warningViewSchema = z.object({
  warningId: z.number().int(),
  certno: z.string(),
  name: z.string(),
  regionCode: z.string(),
  townshipCode: z.string(),
  townshipName: z.string().nullable(),
  year: z.number().int(),
  threshold: z.enum(THRESHOLDS),
  thresholdLabel: label,
  month: z.string(),
  categories: z.array(z.string()),
  pack: z.string(),
  amount: z.number(),
  line: z.number(),
  excess: z.number(),
  status: z.enum(WARNING_STATUSES),
  statusLabel: label,
  pushId: z.number().int().nullable(),
  pushedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  dismissReason: z.string().nullable(),
  assistance: z.unknown().nullable(),
  assistedAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  reopened: z.number().int(),
  createdAt: z.string(),
});
export type WarningView = z.infer<typeof warningViewSchema>;

export const eventViewSchema = z.object({
  from: z.enum(WARNING_STATUSES).nullable(),
  to: z.enum(WARNING_STATUSES),
  actorId: z.string(),
  runId: z.number().int().nullable(),
  reason: z.string().nullable(),
  detail: z.unknown().nullable(),
  at: z.string(),
});

export function warningView(actor: Actor, w: WarningRow): WarningView {
  return {
    warningId: w.warning_id,
    certno: certnoFor(actor, w.certno),
    name: w.name,
    regionCode: w.region_code,
    townshipCode: w.township_code,
    townshipName: w.township_name,
    year: w.year,
    threshold: w.threshold,
    thresholdLabel: THRESHOLD_LABELS[w.threshold],
    month: w.month,
    categories: maskCategories(actor, w.categories),
    pack: w.pack,
    amount: fenToYuanNumber(w.amount),
    line: fenToYuanNumber(w.line),
    excess: fenToYuanNumber(w.amount - w.line),
    status: w.status,
    statusLabel: STATUS_LABELS[w.status],
    pushId: w.push_id,
    pushedAt: w.pushed_at,
    decidedBy: w.decided_by,
    decidedAt: w.decided_at,
    dismissReason: w.dismiss_reason,
    assistance: w.assistance ?? null,
    assistedAt: w.assisted_at,
    withdrawnAt: w.withdrawn_at,
    reopened: w.reopened,
    createdAt: w.created_at,
  };
}

export const eventView = (e: WarningEvent) => ({
  from: e.from_status,
  to: e.to_status,
  actorId: e.actor_id,
  runId: e.run_id,
  reason: e.reason,
  detail: e.detail ?? null,
  at: e.at,
});
