/**
 * Applying a pass's actions. The findings whose action changes the registry (deaths, exits and
 * cancellations, missing persons, flags to add, refunds and fee exemptions) are planned person by
 * person with the registry's own rules (plan.ts); a dry run answers the plan, flag by flag,
 * enrolment by enrolment, refund by refund. Applying writes it in batches, one transaction each:
 * every person locked and re-read inside the batch's transaction, every change a new version with
 * its audit entry (the registry's writeChanges), the reason naming the campaign and the pass.
 * Because the plan is made from the registry as it stands, applying twice changes nothing.
 */
import type { Actor } from '../../kernel/access/actor.ts';
import { certnoFor } from '../../kernel/access/masking.ts';
import type { Queryable } from '../../db/db.ts';
import type { Message } from '../../kernel/errors.ts';
import { loadRecord, lockPerson, applyChanges, writeChanges } from '../../registry/index.ts';
import { localDate } from '../../kernel/clock.ts';
import type { ReconcileContext } from '../context.ts';
import { APPLIED_KINDS, FINDING_LABELS, type FindingKind } from '../model.ts';
import { getCampaign, getPass } from '../repo/campaigns.ts';
import { describeChange, type ChangeView } from './describe.ts';
import { planPerson, type ApplicableFinding, type PlanContext } from './plan.ts';

export interface AppliedStep {
  certno: string;
  name: string;
  findingKey: string;
  kind: FindingKind;
  action: string;
  changes: ChangeView[];
}

export interface ApplySkip {
  certno: string;
  findingKey: string;
  kind: FindingKind;
  reason: Message;
}

export interface ApplyCounts {
  people: number;
  steps: number;
  personChanges: number;
  flagsCreated: number;
  flagsEnded: number;
  enrolmentsCreated: number;
  enrolmentsUpdated: number;
  refunds: number;
  /** Fen. */
  refundTotal: number;
  skipped: number;
}

export interface ApplyReport {
  campaignId: number;
  passNo: number;
  dryRun: boolean;
  counts: ApplyCounts;
  steps: AppliedStep[];
  skipped: ApplySkip[];
}

export interface ApplyOptions {
  passNo?: number;
  dryRun: boolean;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

interface FindingRow extends ApplicableFinding {
  certno: string;
}

export async function applyPass(
  ctx: ReconcileContext,
  actor: Actor,
  campaignId: number,
  opts: ApplyOptions,
): Promise<ApplyReport> {
  const { db } = ctx;
  const campaign = await getCampaign(db, actor.scope, campaignId);
  const pass = await getPass(db, campaignId, opts.passNo);
  // Findings the ledger accepts as they are (a waiver, kept benefits…) are not acted on.
  const r = await db.query<FindingRow>(
    `SELECT f.certno::text AS certno, f.finding_key AS "findingKey", f.kind, f.category, f.detail
     FROM reconcile_finding f
     LEFT JOIN reconcile_problem pr ON pr.campaign_id = f.campaign_id
       AND pr.finding_key = f.finding_key
     WHERE f.campaign_id = $1 AND f.pass_no = $2 AND f.kind = ANY($3::text[])
       AND f.certno IS NOT NULL AND COALESCE(pr.resolution, 'fixed') = 'fixed'
     ORDER BY f.certno, f.finding_key`,
    [campaignId, pass.passNo, APPLIED_KINDS],
  );
  const byPerson = new Map<string, FindingRow[]>();
  for (const f of r.rows) byPerson.set(f.certno, [...(byPerson.get(f.certno) ?? []), f]);
  const people = [...byPerson.keys()];
  const at = ctx.now();
  const plan: PlanContext = {
    year: campaign.medicalYear,
    refMonth: pass.refMonth,
    today: localDate(at),
    refundCutoff: pass.refundCutoff,
    evidenceNo: `RC${campaignId}-${pass.passNo}`,
  };
  const report: ApplyReport = {
    campaignId,
    passNo: pass.passNo,
    dryRun: opts.dryRun,
    counts: {
      people: 0,
      steps: 0,
      personChanges: 0,
      flagsCreated: 0,
      flagsEnded: 0,
      enrolmentsCreated: 0,
      enrolmentsUpdated: 0,
      refunds: 0,
      refundTotal: 0,
      skipped: 0,
    },
    steps: [],
    skipped: [],
  };
  const reasonOf = (kind: FindingKind) =>
    `数据比对「${campaign.name}」（批次 ${campaignId}）第 ${pass.passNo} 轮：${FINDING_LABELS[kind].zh} / ` +
    `reconciliation campaign ${campaignId} pass ${pass.passNo}: ${kind}`;

  const onePerson = async (q: Queryable, certno: string, write: boolean) => {
    if (write) await lockPerson(q, certno);
    const rec = await loadRecord(q, actor.scope, certno);
    if (!rec) {
      for (const f of byPerson.get(certno)!) {
        report.skipped.push({
          certno: certnoFor(actor, certno),
          findingKey: f.findingKey,
          kind: f.kind,
          reason: {
            zh: '此人不在登记库或您的数据范围内',
            en: 'not in the registry or your data scope',
          },
        });
      }
      return;
    }
    const { steps, skipped } = planPerson(rec, byPerson.get(certno)!, plan);
    let cur = rec;
    if (steps.length > 0) report.counts.people++;
    for (const s of steps) {
      const views = s.changes.map((c) => describeChange(cur, c));
      count(report.counts, views);
      report.steps.push({
        certno: certnoFor(actor, certno),
        name: rec.person.name,
        findingKey: s.findingKey,
        kind: s.kind,
        action: s.action,
        changes: views,
      });
      if (write) {
        const stamp = { at: at.toISOString(), by: actor.id, reason: reasonOf(s.kind) };
        cur = await writeChanges(q, actor, stamp, cur, s.changes, s.action);
        await q.query(
          `INSERT INTO reconcile_applied (campaign_id, pass_no, certno, action, detail, applied_by)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [campaignId, pass.passNo, certno, s.action, JSON.stringify(views), actor.id],
        );
      } else {
        cur = applyChanges(cur, s.changes, {
          version: 0,
          updatedAt: at.toISOString(),
          updatedBy: actor.id,
          changeReason: null,
        });
      }
    }
    for (const k of skipped) report.skipped.push({ certno: certnoFor(actor, certno), ...k });
  };

  const batchSize = opts.batchSize ?? 200;
  for (let i = 0; i < people.length; i += batchSize) {
    const batch = people.slice(i, i + batchSize);
    if (opts.dryRun) {
      for (const c of batch) await onePerson(db, c, false);
    } else {
      await db.transaction(async (tx) => {
        for (const c of batch) await onePerson(tx, c, true);
      });
    }
    opts.onProgress?.(Math.min(i + batchSize, people.length), people.length);
  }
  report.counts.steps = report.steps.length;
  report.counts.skipped = report.skipped.length;
  return report;
}

function count(c: ApplyCounts, views: readonly ChangeView[]): void {
  for (const v of views) {
    switch (v.what) {
      case 'person':
        c.personChanges++;
        break;
      case 'flag.create':
        c.flagsCreated++;
        break;
      case 'flag.end':
        c.flagsEnded++;
        break;
      case 'enrolment.create':
        c.enrolmentsCreated++;
        break;
      case 'enrolment.update': {
        c.enrolmentsUpdated++;
        const refund = v.patch.refund;
        if (typeof refund === 'number' && refund > 0) {
          c.refunds++;
          c.refundTotal += refund;
        }
        break;
      }
      default: {
        const never: never = v;
        throw new Error(`unknown change view ${JSON.stringify(never)}`);
      }
    }
  }
}
