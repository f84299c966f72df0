/**
 * What changed between a pass and the one before it, finding by finding: new, still open,
 * accepted (still true, but the ledger item records why that is right: a waiver, the employee
 * ledger…) or fixed (the previous pass found it, this one does not).
 */
import type { Queryable } from '../../db/db.ts';
import { FINDING_KINDS, type FindingKind, type PassChange } from '../model.ts';

/** One row per finding key of pass $2 or pass $2 − 1 of campaign $1, with its change. */
export const DIFF_SQL = `
SELECT COALESCE(c.finding_key, p.finding_key) AS finding_key,
  CASE WHEN p.finding_key IS NULL THEN 'new'
       WHEN c.finding_key IS NULL THEN 'fixed'
       WHEN pr.resolution IS NOT NULL AND pr.resolution <> 'fixed' THEN 'accepted'
       ELSE 'still_open' END AS change,
  COALESCE(c.kind, p.kind) AS kind, c.finding_key IS NOT NULL AS current,
  pr.problem_id, pr.state, pr.resolution
FROM (SELECT * FROM reconcile_finding WHERE campaign_id = $1 AND pass_no = $2) c
FULL JOIN (SELECT * FROM reconcile_finding WHERE campaign_id = $1 AND pass_no = $2 - 1) p
  ON p.finding_key = c.finding_key
LEFT JOIN reconcile_problem pr ON pr.campaign_id = $1
  AND pr.finding_key = COALESCE(c.finding_key, p.finding_key)`;

export type KindCounts = Record<PassChange, number>;

export interface PassDiff {
  byKind: Record<FindingKind, KindCounts>;
  totals: KindCounts;
}

const zero = (): KindCounts => ({ new: 0, still_open: 0, accepted: 0, fixed: 0 });

export async function passDiff(
  q: Queryable,
  campaignId: number,
  passNo: number,
): Promise<PassDiff> {
  const r = await q.query<{ kind: FindingKind; change: PassChange; n: number }>(
    `SELECT kind, change, count(*)::int AS n FROM (${DIFF_SQL}) d GROUP BY kind, change`,
    [campaignId, passNo],
  );
  const byKind = Object.fromEntries(FINDING_KINDS.map((k) => [k, zero()])) as Record<
    FindingKind,
    KindCounts
  >;
  const totals = zero();
  for (const { kind, change, n } of r.rows) {
    byKind[kind][change] += n;
    totals[change] += n;
  }
  return { byKind, totals };
}
