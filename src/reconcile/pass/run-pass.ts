/**
 * A pass (轮次): the registry as it stands now against the latest list of every department and
 * kind in the campaign. Rows not matched yet get their fuzzy candidates first; then, in one
 * transaction, the pass is numbered, every finding recorded (set-based SQL, classify-sql.ts), the
 * problem ledger brought up to date and the pass's summary stored: what is new, still open,
 * accepted and fixed since the pass before (三步走, each step looking back at the last).
 */
import type { Actor } from '../../kernel/access/actor.ts';
import { recordAudit } from '../../audit/index.ts';
import { unprocessable } from '../../kernel/errors.ts';
import type { IsoDate, Month } from '../../kernel/period.ts';
import { addDays } from '../../kernel/dates.ts';
import { defaultRefundCutoff, type RefundCutoffs } from '../../registry/index.ts';
import { todayOf, type ReconcileContext } from '../context.ts';
import { matchList, type MatchCounts } from '../match/find-candidates.ts';
import { getCampaign, latestLists, type ListInfo } from '../repo/campaigns.ts';
import { FINDINGS_SQL, HITS_SQL, MARKS_SQL, ROWS_SQL } from './classify-sql.ts';
import { passDiff, type PassDiff } from './diff.ts';
import { syncProblems } from './sync-problems.ts';

export interface PassSummary extends PassDiff {
  lists: { listId: number; department: string; listKind: string; asOf: string; rows: number }[];
  rows: number;
  findings: number;
  matching: Record<number, MatchCounts>;
  problems: Record<string, number>;
}

export interface PassResult {
  campaignId: number;
  passNo: number;
  refMonth: Month;
  refundCutoff: IsoDate;
  summary: PassSummary;
}

/** The month flags are checked in: the newest list's month, within the campaign's year. */
export function referenceMonth(lists: readonly ListInfo[], year: number): Month {
  const newest = lists.reduce((m, l) => (l.asOf > m ? l.asOf : m), '0000-00-00').slice(0, 7);
  if (newest < `${year}-01`) return `${year}-01`;
  if (newest > `${year}-12`) return `${year}-12`;
  return newest;
}

export interface PassOptions {
  cutoffs?: RefundCutoffs;
}

export async function runPass(
  ctx: ReconcileContext,
  actor: Actor,
  campaignId: number,
  opts: PassOptions = {},
): Promise<PassResult> {
  const { db } = ctx;
  const campaign = await getCampaign(db, actor.scope, campaignId);
  const lists = await latestLists(db, campaignId);
  if (lists.length === 0) {
    throw unprocessable(
      'reconcile.no_lists',
      'campaignId',
      '该批次还没有导入名单',
      'the campaign has no lists yet',
    );
  }
  const matching: Record<number, MatchCounts> = {};
  const unmatched = await db.query<{ id: number }>(
    `SELECT list_id::int AS id FROM reconcile_list WHERE list_id = ANY($1::bigint[]) AND NOT matched`,
    [lists.map((l) => l.listId)],
  );
  for (const { id } of unmatched.rows) {
    matching[id] = await matchList(ctx, id, campaign.regionCode);
  }
  // Candidates were just bulk-loaded: give the planner their statistics (the list rows got
  // theirs when imported).
  await db.exec('ANALYZE reconcile_list; ANALYZE reconcile_candidate');
  const year = campaign.medicalYear;
  const refMonth = referenceMonth(lists, year);
  const refundCutoff = opts.cutoffs?.(campaign.regionCode, year) ?? defaultRefundCutoff(year);
  const today = todayOf(ctx);
  const listIds = lists.map((l) => l.listId);

  const result = await db.transaction(async (tx) => {
    // One pass at a time per campaign: the number is taken under the campaign's row lock.
    await tx.query('SELECT 1 FROM reconcile_campaign WHERE campaign_id = $1 FOR UPDATE', [
      campaignId,
    ]);
    const next = await tx.query<{ n: number }>(
      'SELECT COALESCE(max(pass_no), 0)::int + 1 AS n FROM reconcile_pass WHERE campaign_id = $1',
      [campaignId],
    );
    const passNo = next.rows[0]!.n;
    await tx.query(
      `INSERT INTO reconcile_pass (campaign_id, pass_no, list_ids, ref_month, refund_cutoff, run_by)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [campaignId, passNo, listIds, refMonth, refundCutoff, actor.id],
    );
    // A few large set-based statements: compiling them (JIT) costs more than it saves, and their
    // hash joins over a million list rows want more than the default 4 MB not to spill to disk.
    await tx.exec("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'");
    await tx.query(ROWS_SQL, [listIds, campaign.regionCode, year, `${refMonth}-01`, refMonth]);
    await tx.query(MARKS_SQL);
    await tx.query('CREATE INDEX ON rc_mark (ident)');
    // Rough statistics are enough to plan the findings (a small sample: a million-row table
    // sampled at the default costs a third of a second).
    await tx.exec('SET LOCAL default_statistics_target = 10; ANALYZE rc_row; ANALYZE rc_mark');
    await tx.query(HITS_SQL);
    await tx.exec('ANALYZE rc_hit');
    await tx.query(FINDINGS_SQL, [campaignId, passNo, refMonth, refundCutoff, campaign.regionCode]);
    await syncProblems(tx, actor, campaignId, passNo, addDays(today, campaign.dueDays));
    const rows = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM rc_row');
    const findings = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM reconcile_finding WHERE campaign_id = $1 AND pass_no = $2',
      [campaignId, passNo],
    );
    const states = await tx.query<{ state: string; n: number }>(
      `SELECT state, count(*)::int AS n FROM reconcile_problem WHERE campaign_id = $1 GROUP BY state`,
      [campaignId],
    );
    const summary: PassSummary = {
      lists: lists.map((l) => ({
        listId: l.listId,
        department: l.department,
        listKind: l.listKind,
        asOf: l.asOf,
        rows: l.accepted,
      })),
      rows: rows.rows[0]!.n,
      findings: findings.rows[0]!.n,
      matching,
      problems: Object.fromEntries(states.rows.map((s) => [s.state, s.n])),
      ...(await passDiff(tx, campaignId, passNo)),
    };
    await tx.query(
      'UPDATE reconcile_pass SET summary = $3 WHERE campaign_id = $1 AND pass_no = $2',
      [campaignId, passNo, JSON.stringify(summary)],
    );
    return { campaignId, passNo, refMonth, refundCutoff, summary };
  });
  await recordAudit(db, {
    actor,
    action: 'reconcile.pass.run',
    entity: 'reconcile_pass',
    entityId: `${campaignId}/${result.passNo}`,
    after: { findings: result.summary.findings, totals: result.summary.totals },
  });
  return result;
}
