/**
 * Replay runs (docs/replay.md §5): one row per replay with its progress and, when done, its
 * results. Every read takes the caller's region: a replay of another county does not exist for it.
 */
import type { Queryable } from '../../db/db.ts';
import { conflict } from '../../kernel/errors.ts';
import type { ReplayResult } from '../core/aggregate.ts';

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface ReplayFilters {
  region?: string | undefined;
  category?: string | undefined;
  visitType?: string | undefined;
}

export interface RunSummary {
  id: number;
  region: string;
  year: number;
  pack: string;
  packHash: string;
  filters: ReplayFilters;
  cutoff: number;
  status: RunStatus;
  cancelAsked: boolean;
  progress: { done: number; total: number };
  actualPacks: string[];
  error: { code: string; message: { zh: string; en: string } } | null;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface Run extends RunSummary {
  result: ReplayResult | null;
}

interface Row {
  replay_id: number;
  region_code: string;
  year: number;
  pack: string;
  pack_hash: string;
  filters: ReplayFilters;
  cutoff: number;
  status: RunStatus;
  cancel_asked: boolean;
  done_people: number;
  total_people: number;
  actual_packs: string[] | null;
  error: RunSummary['error'];
  created_by: string;
  created_at: string;
  finished_at: string | null;
  result?: ReplayResult | null;
}

const SUMMARY = `replay_id, region_code, year, pack, pack_hash, filters, cutoff, status, cancel_asked,
  done_people, total_people, actual_packs, error, created_by, created_at, finished_at`;

const summary = (r: Row): RunSummary => ({
  id: r.replay_id,
  region: r.region_code,
  year: r.year,
  pack: r.pack,
  packHash: r.pack_hash,
  filters: r.filters,
  cutoff: r.cutoff,
  status: r.status,
  cancelAsked: r.cancel_asked,
  progress: { done: r.done_people, total: r.total_people },
  actualPacks: r.actual_packs ?? [],
  error: r.error,
  createdBy: r.created_by,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/** `within`: the caller's region prefix; '' for the whole system. */
const inRegion = (param: number) => `region_code LIKE $${param} || '%'`;

export interface NewRun {
  region: string;
  year: number;
  pack: string;
  packHash: string;
  filters: ReplayFilters;
  cutoff: number;
  totalPeople: number;
  actualPacks: string[];
  createdBy: string;
}

export async function insertRun(q: Queryable, run: NewRun): Promise<number> {
  try {
    const r = await q.query<{ replay_id: number }>(
      `INSERT INTO replay_run (region_code, year, pack, pack_hash, filters, cutoff, status,
         total_people, actual_packs, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, 'running', $7, $8, $9) RETURNING replay_id`,
      [
        run.region,
        run.year,
        run.pack,
        run.packHash,
        JSON.stringify(run.filters),
        run.cutoff,
        run.totalPeople,
        JSON.stringify(run.actualPacks),
        run.createdBy,
      ],
    );
    return r.rows[0]!.replay_id;
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      throw conflict(
        'replay.already_running',
        'pack',
        `行政区划 ${run.region} 已有一个政策模拟在运行，请等它结束或取消后再试`,
        `a replay is already running for ${run.region}: wait for it or cancel it`,
      );
    }
    throw e;
  }
}

/** Records progress; answers whether someone asked to cancel. */
export async function recordProgress(q: Queryable, id: number, done: number): Promise<boolean> {
  const r = await q.query<{ cancel_asked: boolean }>(
    `UPDATE replay_run SET done_people = $2, heartbeat = now() WHERE replay_id = $1
      RETURNING cancel_asked`,
    [id, done],
  );
  return r.rows[0]?.cancel_asked ?? true;
}

export async function recordTotal(q: Queryable, id: number, total: number): Promise<void> {
  await q.query(`UPDATE replay_run SET total_people = $2 WHERE replay_id = $1`, [id, total]);
}

export async function finishRun(
  q: Queryable,
  id: number,
  end:
    | { status: 'done'; result: ReplayResult; done: number; packs: string[] }
    | { status: 'cancelled'; done: number; packs: string[] }
    | { status: 'failed'; error: NonNullable<RunSummary['error']> },
): Promise<void> {
  await q.query(
    `UPDATE replay_run SET status = $2, result = $3, error = $4, finished_at = now(),
        done_people = COALESCE($5, done_people), actual_packs = COALESCE($6, actual_packs)
      WHERE replay_id = $1`,
    [
      id,
      end.status,
      end.status === 'done' ? JSON.stringify(end.result) : null,
      end.status === 'failed' ? JSON.stringify(end.error) : null,
      end.status === 'failed' ? null : end.done,
      end.status === 'failed' ? null : JSON.stringify(end.packs),
    ],
  );
}

export async function listRuns(q: Queryable, within: string): Promise<RunSummary[]> {
  const r = await q.query<Row>(
    `SELECT ${SUMMARY} FROM replay_run WHERE ${inRegion(1)} ORDER BY replay_id DESC LIMIT 200`,
    [within],
  );
  return r.rows.map(summary);
}

export async function findRun(q: Queryable, id: number, within: string): Promise<Run | null> {
  const r = await q.query<Row>(
    `SELECT ${SUMMARY}, result FROM replay_run WHERE replay_id = $1 AND ${inRegion(2)}`,
    [id, within],
  );
  const row = r.rows[0];
  return row ? { ...summary(row), result: row.result ?? null } : null;
}

export async function askCancel(q: Queryable, id: number): Promise<void> {
  await q.query(`UPDATE replay_run SET cancel_asked = true WHERE replay_id = $1`, [id]);
}

export async function deleteRun(q: Queryable, id: number): Promise<void> {
  await q.query(`DELETE FROM replay_run WHERE replay_id = $1`, [id]);
}

/**
 * A replay whose process stopped (a restart, a crash) never finishes: one that has not beaten for
 * STALE_MINUTES is marked failed, so the county can start another.
 */
export const STALE_MINUTES = 5;

export async function failStale(q: Queryable, region: string): Promise<void> {
  await q.query(
    `UPDATE replay_run SET status = 'failed', finished_at = now(),
        error = '{"code":"replay.interrupted","message":{"zh":"模拟进程已停止，未完成","en":"the process running the replay stopped before it finished"}}'
      WHERE region_code = $1 AND status = 'running'
        AND heartbeat < now() - make_interval(mins => ${STALE_MINUTES})`,
    [region],
  );
}
