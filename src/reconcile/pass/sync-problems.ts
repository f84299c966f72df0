/**
 * After a pass has recorded its findings, the problem ledger follows them (回头看):
 *  - a finding seen again keeps its item; an item rectified as `fixed` (or verified, or closed
 *    that way) whose finding is back is reopened — the rectification did not hold;
 *  - a new finding opens an item, due `due_days` after the pass, in the person's township;
 *  - an item whose finding is gone moves on: open → rectified (the data was corrected), and
 *    rectified → verified (a second pass confirms it). Closing (销号) is left to the bureau.
 * Every move is written to the item's history with the pass that made it.
 */
import type { Actor } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import type { IsoDate } from '../../kernel/period.ts';

export async function syncProblems(
  tx: Queryable,
  actor: Actor,
  campaignId: number,
  passNo: number,
  dueOn: IsoDate,
): Promise<void> {
  const who = [actor.id, actor.name];
  // Seen again: refresh; reopen what was rectified as fixed.
  await tx.query(
    `WITH seen AS (
       SELECT pr.problem_id, pr.state AS from_state,
         CASE WHEN pr.state <> 'open' AND COALESCE(pr.resolution, 'fixed') = 'fixed'
           THEN 'open' ELSE pr.state END AS to_state,
         f.detail, f.region_code
       FROM reconcile_problem pr
       JOIN reconcile_finding f ON f.campaign_id = pr.campaign_id AND f.pass_no = $2
         AND f.finding_key = pr.finding_key
       WHERE pr.campaign_id = $1
       FOR UPDATE OF pr),
     moved AS (
       UPDATE reconcile_problem pr SET last_seen_pass = $2, detail = seen.detail,
         state = seen.to_state,
         resolution = CASE WHEN seen.to_state = 'open' AND seen.from_state <> 'open'
           THEN NULL ELSE pr.resolution END,
         due_on = CASE WHEN seen.to_state = 'open' AND seen.from_state <> 'open'
           THEN $5::date ELSE pr.due_on END,
         updated_at = now()
       FROM seen WHERE pr.problem_id = seen.problem_id
       RETURNING pr.problem_id, seen.from_state, seen.to_state)
     INSERT INTO reconcile_problem_event (problem_id, actor_id, actor_name, event, from_state,
       to_state, pass_no, comment)
     SELECT problem_id, $3, $4, 'reopened', from_state, to_state, $2,
       '第' || $2 || '轮比对仍发现该问题，整改未到位 / pass ' || $2 || ' still finds it'
     FROM moved WHERE from_state <> to_state`,
    [campaignId, passNo, ...who, dueOn],
  );
  // New findings open items.
  await tx.query(
    `WITH created AS (
       INSERT INTO reconcile_problem (campaign_id, finding_key, kind, category, certno, certno_raw,
         name, department, region_code, first_pass, last_seen_pass, due_on, detail)
       SELECT f.campaign_id, f.finding_key, f.kind, f.category, f.certno, f.certno_raw, f.name,
         f.department, f.region_code, $2, $2, $5::date, f.detail
       FROM reconcile_finding f
       WHERE f.campaign_id = $1 AND f.pass_no = $2
       -- Items already there were refreshed above. (Not an anti-join on the table being filled:
       -- planned as a scan of a just-emptied table, that is quadratic.)
       ON CONFLICT (campaign_id, finding_key) DO NOTHING
       RETURNING problem_id)
     INSERT INTO reconcile_problem_event (problem_id, actor_id, actor_name, event, to_state,
       pass_no, comment)
     SELECT problem_id, $3, $4, 'created', 'open', $2, '第' || $2 || '轮比对发现 / found by pass ' || $2
     FROM created`,
    [campaignId, passNo, ...who, dueOn],
  );
  // Gone: open → rectified, rectified → verified.
  await tx.query(
    `WITH gone AS (
       SELECT problem_id, state AS from_state,
         CASE state WHEN 'open' THEN 'rectified' ELSE 'verified' END AS to_state
       FROM reconcile_problem
       WHERE campaign_id = $1 AND last_seen_pass < $2 AND state IN ('open', 'rectified')
       FOR UPDATE),
     moved AS (
       UPDATE reconcile_problem pr SET state = gone.to_state,
         resolution = COALESCE(pr.resolution, 'fixed'), updated_at = now()
       FROM gone WHERE pr.problem_id = gone.problem_id
       RETURNING pr.problem_id, gone.from_state, gone.to_state)
     INSERT INTO reconcile_problem_event (problem_id, actor_id, actor_name, event, from_state,
       to_state, pass_no, comment)
     SELECT problem_id, $3, $4, CASE to_state WHEN 'verified' THEN 'verified' ELSE 'fixed' END,
       from_state, to_state, $2,
       CASE to_state WHEN 'verified'
         THEN '第' || $2 || '轮回头看确认已整改 / pass ' || $2 || ' confirms the fix'
         ELSE '第' || $2 || '轮比对未再发现 / pass ' || $2 || ' no longer finds it' END
     FROM moved`,
    [campaignId, passNo, ...who],
  );
}
