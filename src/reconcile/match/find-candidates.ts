/**
 * The fuzzy path, set-based: rows of a list whose ID matches nobody in the registry are found in
 * one statement (an anti-join on the normalised ID); their candidates come from two blocks, each
 * an index lookup per row inside one statement — people born the same day in the row's township
 * (or the campaign's region), and people of the same name there. Only the pairs are scored in
 * code (pinyin and edit distance), the best few kept and stored for a person to confirm.
 */
import type { Actor } from '../../kernel/access/actor.ts';
import { appendAudit } from '../../audit/index.ts';
import { conflict, notFound } from '../../kernel/errors.ts';
import type { ReconcileContext } from '../context.ts';
import { MAX_CANDIDATES, MIN_SCORE, scoreCandidate } from './score.ts';

/** Rows scored per statement, so a list with many unmatched rows streams in slices. */
const SLICE = 5_000;
/** Cap per row and block: a common name in a whole county is not a candidate list. */
const PER_BLOCK = 100;

interface Pair {
  rowNumber: number;
  rowName: string;
  rowId: string;
  rowBirth: string | null;
  rowRegion: string | null;
  certno: string;
  name: string;
  birthDate: string;
  regionCode: string;
}

export interface MatchCounts {
  rows: number;
  exact: number;
  unmatched: number;
  withCandidates: number;
  candidates: number;
}

/**
 * Looks for candidates for every row of the list the exact match missed and that has none yet;
 * `regionCode` is the campaign's region, the block for rows that name no region of their own.
 */
export async function matchList(
  ctx: ReconcileContext,
  listId: number,
  regionCode: string,
): Promise<MatchCounts> {
  const { db } = ctx;
  // One probe of the registry per row: the counts and the rows still to search, together.
  const { totals, rowNumbers } = await db.transaction(async (tx) => {
    await tx.exec('SET LOCAL jit = off');
    const r = await tx.query<{ rows: number; exact: number; pending: number[] | null }>(
      `SELECT count(*)::int AS rows, count(p.certno)::int AS exact,
         array_agg(r.row_number ORDER BY r.row_number) FILTER (WHERE p.certno IS NULL
           AND NOT EXISTS (SELECT 1 FROM reconcile_candidate c
                           WHERE c.list_id = r.list_id AND c.row_number = r.row_number))
           AS pending
       FROM reconcile_list_row r LEFT JOIN person p ON p.certno = r.certno
       WHERE r.list_id = $1`,
      [listId],
    );
    const t = r.rows[0]!;
    return { totals: { rows: t.rows, exact: t.exact }, rowNumbers: t.pending ?? [] };
  });
  let withCandidates = 0;
  let candidates = 0;
  const searchSlice = async (slice: number[]) => {
    // Each block is a prefix range of one index on the region column (digits sort before ':'),
    // so a lookup reads the people of one township only, from the index alone (migration 0011).
    // A person found by both blocks comes once (UNION within the row).
    const pairs = await db.query<Pair>(
      `WITH u AS (
         SELECT r.row_number, r.name, r.certno_raw, r.birth_date, r.region_code,
                left(COALESCE(r.region_code, $3), 9) AS block
         FROM reconcile_list_row r WHERE r.list_id = $1 AND r.row_number = ANY($2::int[]))
       SELECT u.row_number AS "rowNumber", u.name AS "rowName", u.certno_raw AS "rowId",
         u.birth_date::text AS "rowBirth", u.region_code AS "rowRegion", c.certno::text AS certno,
         c.name, c.birth_date::text AS "birthDate", c.region_code AS "regionCode"
       FROM u CROSS JOIN LATERAL (
         (SELECT p.certno, p.name, p.birth_date, p.region_code FROM person p
          WHERE u.birth_date IS NOT NULL AND p.birth_date = u.birth_date
            AND p.region_code ~>=~ u.block AND p.region_code ~<~ (u.block || ':')
            AND left(p.region_code, length(u.block)) = u.block LIMIT ${PER_BLOCK})
         UNION
         (SELECT p.certno, p.name, p.birth_date, p.region_code FROM person p
          WHERE p.name = u.name
            AND p.region_code ~>=~ u.block AND p.region_code ~<~ (u.block || ':')
            AND left(p.region_code, length(u.block)) = u.block LIMIT ${PER_BLOCK})
       ) c`,
      [listId, slice, regionCode],
    );
    const byRow = new Map<
      number,
      { certno: string; score: number; nameScore: number; idDistance: number }[]
    >();
    for (const p of pairs.rows) {
      const s = scoreCandidate(
        { name: p.rowName, certnoRaw: p.rowId, birthDate: p.rowBirth, regionCode: p.rowRegion },
        p,
      );
      if (s.score < MIN_SCORE) continue;
      const list = byRow.get(p.rowNumber) ?? [];
      list.push({ certno: p.certno, ...s });
      byRow.set(p.rowNumber, list);
    }
    const out: unknown[][] = [];
    for (const [rowNumber, list] of byRow) {
      list.sort((a, b) => b.score - a.score || a.idDistance - b.idDistance);
      const best = list.slice(0, MAX_CANDIDATES);
      withCandidates++;
      candidates += best.length;
      for (const c of best)
        out.push([listId, rowNumber, c.certno, c.score, c.nameScore, c.idDistance]);
    }
    if (out.length > 0) {
      await db.copyRows(
        'reconcile_candidate',
        ['list_id', 'row_number', 'certno', 'score', 'name_score', 'id_distance'],
        out,
      );
    }
  };
  // Two slices in flight: the database searches one while the other is scored here. After a
  // failure the other stops at its slice's end (the list stays unmatched; a rerun resumes).
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < rowNumbers.length) {
      const slice = rowNumbers.slice(next, next + SLICE);
      next += SLICE;
      await searchSlice(slice).catch((e: unknown) => {
        failed = true;
        throw e;
      });
    }
  };
  await Promise.all([worker(), worker()]);
  await db.query('UPDATE reconcile_list SET matched = true WHERE list_id = $1', [listId]);
  return {
    rows: totals.rows,
    exact: totals.exact,
    unmatched: totals.rows - totals.exact,
    withCandidates,
    candidates,
  };
}

export interface CandidateView {
  candidateId: number;
  listId: number;
  rowNumber: number;
  department: string;
  listKind: string;
  rowCertno: string;
  rowName: string;
  certno: string;
  name: string;
  regionCode: string;
  score: number;
  nameScore: number;
  idDistance: number;
  status: 'proposed' | 'confirmed' | 'rejected';
}

export async function listCandidates(
  ctx: ReconcileContext,
  campaignId: number,
  status?: CandidateView['status'],
): Promise<CandidateView[]> {
  const r = await ctx.db.query<CandidateView>(
    `SELECT c.candidate_id::int AS "candidateId", c.list_id::int AS "listId",
       c.row_number AS "rowNumber", l.department, l.list_kind AS "listKind",
       r.certno_raw AS "rowCertno", r.name AS "rowName", c.certno::text AS certno, p.name,
       p.region_code AS "regionCode", c.score, c.name_score AS "nameScore",
       c.id_distance AS "idDistance", c.status
     FROM reconcile_candidate c
     JOIN reconcile_list l ON l.list_id = c.list_id
     JOIN reconcile_list_row r ON r.list_id = c.list_id AND r.row_number = c.row_number
     JOIN person p ON p.certno = c.certno
     WHERE l.campaign_id = $1 AND ($2::text IS NULL OR c.status = $2)
     ORDER BY c.list_id, c.row_number, c.score DESC, c.candidate_id`,
    [campaignId, status ?? null],
  );
  return r.rows;
}

/**
 * A person's decision on a candidate. Confirming one rejects the row's other candidates: the row
 * is that person from now on (its ID differs: an identity finding sends the right one back).
 */
export async function decideCandidate(
  ctx: ReconcileContext,
  actor: Actor,
  candidateId: number,
  decision: 'confirmed' | 'rejected',
): Promise<CandidateView['status']> {
  return ctx.db.transaction(async (tx) => {
    const r = await tx.query<{
      listId: number;
      rowNumber: number;
      status: string;
      campaignId: number;
    }>(
      `SELECT c.list_id::int AS "listId", c.row_number AS "rowNumber", c.status,
         l.campaign_id::int AS "campaignId"
       FROM reconcile_candidate c JOIN reconcile_list l ON l.list_id = c.list_id
       WHERE c.candidate_id = $1 FOR UPDATE OF c`,
      [candidateId],
    );
    const c = r.rows[0];
    if (!c) {
      throw notFound(
        'reconcile.candidate_not_found',
        'candidateId',
        `没有这个候选：${candidateId}`,
        `no such candidate: ${candidateId}`,
      );
    }
    if (c.status !== 'proposed') {
      throw conflict(
        'reconcile.candidate_decided',
        'candidateId',
        '该候选已处理',
        'the candidate was already decided',
      );
    }
    if (decision === 'confirmed') {
      await tx.query(
        `UPDATE reconcile_candidate SET status = 'rejected', decided_by = $3, decided_at = now()
         WHERE list_id = $1 AND row_number = $2 AND candidate_id <> $4 AND status = 'proposed'`,
        [c.listId, c.rowNumber, actor.id, candidateId],
      );
    }
    await tx.query(
      `UPDATE reconcile_candidate SET status = $2, decided_by = $3, decided_at = now()
       WHERE candidate_id = $1`,
      [candidateId, decision, actor.id],
    );
    await appendAudit(tx, {
      actor,
      action: `reconcile.candidate.${decision === 'confirmed' ? 'confirm' : 'reject'}`,
      entity: 'reconcile_candidate',
      entityId: String(candidateId),
      after: { ...c, decision },
    });
    return decision;
  });
}
