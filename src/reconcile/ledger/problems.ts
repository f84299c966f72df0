/**
 * The problem ledger (问题台账) as stored: items in the reader's data scope (a township office sees
 * its township's items, a department those from its lists), their history, and the moves people
 * make. Every move is one transaction: the item locked, the state machine asked, the item and its
 * history written together.
 */
import type { Actor, DataScope } from '../../kernel/access/actor.ts';
import { certnoFor } from '../../kernel/access/masking.ts';
import type { Queryable } from '../../db/db.ts';
import { can } from '../../kernel/access/roles.ts';
import { invalid, notFound, TriguardError } from '../../kernel/errors.ts';
import { todayOf, type ReconcileContext } from '../context.ts';
import type { FindingKind, ProblemState, Resolution } from '../model.ts';
import { nextState, TOWNSHIP_ACTIONS, type ProblemAction } from './transitions.ts';

/** A boolean SQL expression restricting problem rows `alias` to the scope. */
export function problemScopeSql(
  scope: DataScope,
  alias: string,
  firstParam: number,
): { sql: string; params: unknown[] } {
  switch (scope.kind) {
    case 'system':
      return { sql: 'TRUE', params: [] };
    case 'region':
      return { sql: `${alias}.region_code LIKE $${firstParam} || '%'`, params: [scope.regionCode] };
    // A department's own problems, within its region (as its people: kernel/access/scope.ts).
    case 'department':
      return {
        sql: `(${alias}.department = $${firstParam} AND ${alias}.region_code LIKE $${firstParam + 1} || '%')`,
        params: [scope.department, scope.regionCode],
      };
    case 'institution':
      return { sql: 'FALSE', params: [] };
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}

export interface Problem {
  problemId: number;
  campaignId: number;
  findingKey: string;
  kind: FindingKind;
  category: string | null;
  certno: string | null;
  certnoRaw: string | null;
  name: string | null;
  department: string | null;
  regionCode: string;
  regionName: string | null;
  state: ProblemState;
  resolution: Resolution | null;
  firstPass: number;
  lastSeenPass: number;
  dueOn: string;
  overdue: boolean;
  detail: Record<string, unknown>;
  updatedAt: string;
}

export interface ProblemEvent {
  eventId: number;
  at: string;
  actorId: string;
  actorName: string;
  event: string;
  fromState: string | null;
  toState: string | null;
  passNo: number | null;
  comment: string | null;
}

const COLS = `pr.problem_id::int AS "problemId", pr.campaign_id::int AS "campaignId",
  pr.finding_key AS "findingKey", pr.kind, pr.category, pr.certno::text AS certno,
  pr.certno_raw AS "certnoRaw", pr.name, pr.department, pr.region_code AS "regionCode",
  rg.name AS "regionName", pr.state, pr.resolution, pr.first_pass AS "firstPass",
  pr.last_seen_pass AS "lastSeenPass", pr.due_on::text AS "dueOn", pr.detail,
  pr.updated_at::text AS "updatedAt"`;

export interface ProblemFilter {
  campaignId?: number;
  state?: ProblemState;
  kind?: FindingKind;
  region?: string;
  overdue?: boolean;
  page?: number;
  pageSize?: number;
}

/** ID numbers in answers as the reader may see them. */
const masked = (actor: Actor, p: Problem): Problem => ({
  ...p,
  certno: p.certno === null ? null : certnoFor(actor, p.certno),
  certnoRaw: p.certnoRaw === null ? null : certnoFor(actor, p.certnoRaw),
  detail:
    typeof p.detail.registryCertno === 'string'
      ? { ...p.detail, registryCertno: certnoFor(actor, p.detail.registryCertno) }
      : p.detail,
});

export async function listProblems(
  ctx: ReconcileContext,
  actor: Actor,
  f: ProblemFilter,
): Promise<{ items: Problem[]; total: number; page: number; pageSize: number }> {
  const today = todayOf(ctx);
  const params: unknown[] = [today];
  const where: string[] = [];
  const s = problemScopeSql(actor.scope, 'pr', 2);
  where.push(s.sql);
  params.push(...s.params);
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    where.push(sql(params.length));
  };
  if (f.campaignId !== undefined) add((n) => `pr.campaign_id = $${n}`, f.campaignId);
  if (f.state) add((n) => `pr.state = $${n}`, f.state);
  if (f.kind) add((n) => `pr.kind = $${n}`, f.kind);
  if (f.region) add((n) => `pr.region_code LIKE $${n} || '%'`, f.region);
  if (f.overdue) where.push(`pr.state = 'open' AND pr.due_on < $1::date`);
  const page = f.page ?? 1;
  const pageSize = f.pageSize ?? 50;
  const w = where.join(' AND ');
  const total = await ctx.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reconcile_problem pr WHERE ${w} AND $1::date IS NOT NULL`,
    params,
  );
  const rows = await ctx.db.query<Problem>(
    `SELECT ${COLS}, (pr.state = 'open' AND pr.due_on < $1::date) AS overdue
     FROM reconcile_problem pr LEFT JOIN region rg ON rg.code = pr.region_code
     WHERE ${w}
     ORDER BY pr.region_code, pr.kind, pr.problem_id
     LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    params,
  );
  return { items: rows.rows.map((p) => masked(actor, p)), total: total.rows[0]!.n, page, pageSize };
}

async function findProblem(
  q: Queryable,
  scope: DataScope,
  problemId: number,
  today: string,
  lock: boolean,
): Promise<Problem> {
  const s = problemScopeSql(scope, 'pr', 3);
  const r = await q.query<Problem>(
    `SELECT ${COLS}, (pr.state = 'open' AND pr.due_on < $2::date) AS overdue
     FROM reconcile_problem pr LEFT JOIN region rg ON rg.code = pr.region_code
     WHERE pr.problem_id = $1 AND ${s.sql} ${lock ? 'FOR UPDATE OF pr' : ''}`,
    [problemId, today, ...s.params],
  );
  const p = r.rows[0];
  if (!p) {
    throw notFound(
      'reconcile.problem_not_found',
      'problemId',
      `没有这个问题（或不在您的数据范围内）：${problemId}`,
      `no such problem item (or outside your data scope): ${problemId}`,
    );
  }
  return p;
}

export async function getProblem(
  ctx: ReconcileContext,
  actor: Actor,
  problemId: number,
): Promise<Problem & { history: ProblemEvent[] }> {
  const p = await findProblem(ctx.db, actor.scope, problemId, todayOf(ctx), false);
  const h = await ctx.db.query<ProblemEvent>(
    `SELECT event_id::int AS "eventId", at::text AS at, actor_id AS "actorId",
       actor_name AS "actorName", event, from_state AS "fromState", to_state AS "toState",
       pass_no AS "passNo", comment
     FROM reconcile_problem_event WHERE problem_id = $1 ORDER BY event_id`,
    [problemId],
  );
  return { ...masked(actor, p), history: h.rows };
}

export interface ProblemMove {
  action: ProblemAction;
  comment?: string | null;
  resolution?: Resolution;
  /** For `assign`: the township (or county) code the item goes to. */
  regionCode?: string;
}

export async function moveProblem(
  ctx: ReconcileContext,
  actor: Actor,
  problemId: number,
  move: ProblemMove,
): Promise<Problem & { history: ProblemEvent[] }> {
  const comment = move.comment?.trim() || null;
  const needed = TOWNSHIP_ACTIONS.includes(move.action)
    ? 'reconcile:problem:update'
    : 'reconcile:problem:verify';
  if (!can(actor, needed)) {
    throw new TriguardError('forbidden', 'auth.forbidden', 'action', {
      zh: '核验、销号、退回和改派由医保局办理',
      en: 'verifying, closing, reopening and reassigning are for the bureau',
    });
  }
  if ((move.action === 'comment' || move.action === 'reopen') && !comment) {
    throw invalid('reconcile.comment_required', 'comment', '请填写说明', 'a comment is required');
  }
  if (move.action === 'assign' && !/^\d{6,12}$/.test(move.regionCode ?? '')) {
    throw invalid('reconcile.region', 'regionCode', '请填写乡镇区划代码', 'regionCode is required');
  }
  await ctx.db.transaction(async (tx) => {
    const p = await findProblem(tx, actor.scope, problemId, todayOf(ctx), true);
    const to = nextState(p.state, move.action);
    const resolution =
      move.action === 'rectify'
        ? (move.resolution ?? 'fixed')
        : move.action === 'reopen'
          ? null
          : p.resolution;
    await tx.query(
      `UPDATE reconcile_problem SET state = $2, resolution = $3, region_code = $4,
         updated_at = now() WHERE problem_id = $1`,
      [problemId, to, resolution, move.action === 'assign' ? move.regionCode : p.regionCode],
    );
    const note =
      move.action === 'assign'
        ? `${p.regionCode} → ${move.regionCode}${comment ? `：${comment}` : ''}`
        : move.action === 'rectify'
          ? `[${resolution}] ${comment ?? ''}`.trim()
          : comment;
    await tx.query(
      `INSERT INTO reconcile_problem_event (problem_id, actor_id, actor_name, event, from_state,
         to_state, comment) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [problemId, actor.id, actor.name, move.action, p.state, to, note],
    );
  });
  return getProblem(ctx, actor, problemId);
}

/** 销号 in bulk: closes every verified item of the campaign in the actor's scope. */
export async function closeVerified(
  ctx: ReconcileContext,
  actor: Actor,
  campaignId: number,
  comment: string,
): Promise<number> {
  const s = problemScopeSql(actor.scope, 'pr', 5);
  const r = await ctx.db.query<{ n: number }>(
    `WITH moved AS (
       UPDATE reconcile_problem pr SET state = 'closed', updated_at = now()
       WHERE pr.campaign_id = $1 AND pr.state = 'verified' AND ${s.sql}
       RETURNING pr.problem_id),
     logged AS (
       INSERT INTO reconcile_problem_event (problem_id, actor_id, actor_name, event, from_state,
         to_state, comment)
       SELECT problem_id, $2, $3, 'close', 'verified', 'closed', $4 FROM moved RETURNING 1)
     SELECT count(*)::int AS n FROM logged`,
    [campaignId, actor.id, actor.name, comment, ...s.params],
  );
  return r.rows[0]!.n;
}

export interface DashboardCell {
  regionCode: string;
  regionName: string | null;
  kind: FindingKind;
  open: number;
  rectified: number;
  verified: number;
  closed: number;
  overdue: number;
}

/** Items per township and kind, by state, with the overdue ones counted apart. */
export async function dashboard(
  ctx: ReconcileContext,
  actor: Actor,
  campaignId: number,
): Promise<DashboardCell[]> {
  const s = problemScopeSql(actor.scope, 'pr', 3);
  const r = await ctx.db.query<DashboardCell>(
    `SELECT pr.region_code AS "regionCode", rg.name AS "regionName", pr.kind,
       count(*) FILTER (WHERE pr.state = 'open')::int AS open,
       count(*) FILTER (WHERE pr.state = 'rectified')::int AS rectified,
       count(*) FILTER (WHERE pr.state = 'verified')::int AS verified,
       count(*) FILTER (WHERE pr.state = 'closed')::int AS closed,
       count(*) FILTER (WHERE pr.state = 'open' AND pr.due_on < $2::date)::int AS overdue
     FROM reconcile_problem pr LEFT JOIN region rg ON rg.code = pr.region_code
     WHERE pr.campaign_id = $1 AND ${s.sql}
     GROUP BY pr.region_code, rg.name, pr.kind ORDER BY pr.region_code, pr.kind`,
    [campaignId, todayOf(ctx), ...s.params],
  );
  return r.rows;
}
