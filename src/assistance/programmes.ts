/**
 * Programmes: register one for a county and year, change its budget or rules (with a reason,
 * audited), and read them within the caller's region. A programme is county-wide, so a township
 * reads its county's programmes (the people behind the figures are scoped elsewhere).
 */
import { appendAudit } from '../audit/index.ts';
import type { Actor, DataScope } from '../kernel/access/actor.ts';
import type { Db, Queryable } from '../db/db.ts';
import { conflict, notFound, TriguardError, unprocessable } from '../kernel/errors.ts';
import type { Fen } from '../kernel/money.ts';
import { CATEGORIES, type Category } from '../policy/index.ts';
import { FUNDED_TIERS, type FundedTier, type Programme } from './model.ts';
import { toProgramme, type ProgrammeRow } from './rows.ts';

export interface NewProgramme {
  regionCode: string;
  code: string;
  year: number;
  title: { zh: string; en: string };
  budget: Fen;
  tiers: FundedTier[];
  eligibleCategories: Category[];
  cardCategory: Category | null;
  reason: string;
}

export interface ProgrammePatch {
  title?: { zh: string; en: string };
  budget?: Fen;
  tiers?: FundedTier[];
  eligibleCategories?: Category[];
  cardCategory?: Category | null;
}

/** Is the programme of county `regionCode` within the scope's region (either way round)? */
export function programmeVisible(scope: DataScope, regionCode: string): boolean {
  if (scope.kind === 'system') return true;
  const own = scope.regionCode;
  return own.startsWith(regionCode) || regionCode.startsWith(own);
}

export async function programmesWhere(
  q: Queryable,
  f: { programmeId?: number; code?: string; year?: number; regionCode?: string },
): Promise<Programme[]> {
  const r = await q.query<ProgrammeRow>(
    `SELECT * FROM assistance_programme
      WHERE ($1::bigint IS NULL OR programme_id = $1) AND ($2::text IS NULL OR code = $2)
        AND ($3::int IS NULL OR year = $3) AND ($4::text IS NULL OR region_code = $4)
      ORDER BY region_code, code, year`,
    [f.programmeId ?? null, f.code ?? null, f.year ?? null, f.regionCode ?? null],
  );
  return r.rows.map(toProgramme);
}

/** The programmes the actor may see, optionally of one year or code. */
export async function listProgrammes(
  q: Queryable,
  actor: Actor,
  f: { code?: string; year?: number } = {},
): Promise<Programme[]> {
  return (await programmesWhere(q, f)).filter((p) => programmeVisible(actor.scope, p.regionCode));
}

export async function getProgramme(q: Queryable, actor: Actor, id: number): Promise<Programme> {
  const [p] = await programmesWhere(q, { programmeId: id });
  if (!p || !programmeVisible(actor.scope, p.regionCode)) throw programmeMissing(String(id));
  return p;
}

/** One programme by county, code and year (CLI and demo). */
export async function findProgramme(
  q: Queryable,
  regionCode: string,
  code: string,
  year: number,
): Promise<Programme> {
  const [p] = await programmesWhere(q, { regionCode, code, year });
  if (!p) throw programmeMissing(`${regionCode}/${code}/${year}`);
  return p;
}

export const programmeMissing = (what: string) =>
  notFound(
    'assistance.programme_not_found',
    'programme',
    `没有该救助项目：${what}`,
    `no such programme: ${what}`,
  );

function checkRules(p: {
  code: string;
  regionCode: string;
  year: number;
  budget: Fen;
  tiers: readonly string[];
  eligibleCategories: readonly string[];
  cardCategory: string | null;
}): void {
  if (!/^[a-z][a-z0-9_]{1,63}$/.test(p.code)) {
    throw unprocessable(
      'assistance.code',
      'code',
      '项目代码只能包含小写字母、数字和下划线，以字母开头',
      'the code must be lower-case letters, digits and underscores, starting with a letter',
    );
  }
  if (!/^\d{6}$/.test(p.regionCode)) {
    throw unprocessable(
      'assistance.region',
      'regionCode',
      `项目所属县级区划代码应为 6 位：${p.regionCode}`,
      `a programme belongs to a county (6-digit code): ${p.regionCode}`,
    );
  }
  if (!Number.isInteger(p.year) || p.year < 2000 || p.year > 2100) {
    throw unprocessable('assistance.year', 'year', `年度无效：${p.year}`, `bad year: ${p.year}`);
  }
  if (!Number.isSafeInteger(p.budget) || p.budget < 0) {
    throw unprocessable(
      'assistance.budget',
      'budget',
      '请填写年度预算（不能为负数）',
      'a yearly budget (≥ 0) is required',
    );
  }
  if (
    p.tiers.length === 0 ||
    p.tiers.some((t) => !(FUNDED_TIERS as readonly string[]).includes(t))
  ) {
    throw unprocessable(
      'assistance.tiers',
      'tiers',
      `救助项目只能支付医疗救助、再救助、财政兜底或计入医院减免（${FUNDED_TIERS.join(', ')}）`,
      `a programme funds one or more of ${FUNDED_TIERS.join(', ')}`,
    );
  }
  const known = (c: string) => (CATEGORIES as readonly string[]).includes(c);
  const bad = p.eligibleCategories.find((c) => !known(c));
  if (bad !== undefined || (p.cardCategory !== null && !known(p.cardCategory))) {
    throw unprocessable(
      'assistance.category',
      bad !== undefined ? 'eligibleCategories' : 'cardCategory',
      `未知的身份类别：${bad ?? p.cardCategory ?? ''}`,
      `unknown category: ${bad ?? p.cardCategory ?? ''}`,
    );
  }
  if (p.cardCategory !== null && p.eligibleCategories.length === 0) {
    throw unprocessable(
      'assistance.eligible_required',
      'eligibleCategories',
      '发卡项目须指定可发卡的身份类别',
      'a programme with cards needs the categories eligible for a card',
    );
  }
}

function checkRegion(actor: Actor, regionCode: string): void {
  const s = actor.scope;
  if (s.kind === 'system') return;
  if (s.kind !== 'region' || !regionCode.startsWith(s.regionCode)) {
    throw new TriguardError('forbidden', 'region.out_of_scope', 'regionCode', {
      zh: `行政区划 ${regionCode} 不在您的数据范围内`,
      en: `region ${regionCode} is outside your data scope`,
    });
  }
}

export async function addProgramme(db: Db, actor: Actor, p: NewProgramme): Promise<Programme> {
  checkRules(p);
  checkRegion(actor, p.regionCode);
  return db.transaction(async (tx) => {
    const r = await tx.query<ProgrammeRow>(
      `INSERT INTO assistance_programme (region_code, code, year, title_zh, title_en, budget, tiers,
         eligible_categories, card_category, updated_by, change_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (region_code, code, year) DO NOTHING RETURNING *`,
      [
        p.regionCode,
        p.code,
        p.year,
        p.title.zh,
        p.title.en,
        p.budget,
        p.tiers,
        p.eligibleCategories,
        p.cardCategory,
        actor.id,
        p.reason,
      ],
    );
    const row = r.rows[0];
    if (!row) {
      throw conflict(
        'assistance.programme_exists',
        'code',
        `${p.regionCode} 已有 ${p.year} 年度的救助项目 ${p.code}`,
        `${p.regionCode} already has programme ${p.code} for ${p.year}`,
      );
    }
    const created = toProgramme(row);
    await appendAudit(tx, {
      actor,
      action: 'assistance.programme.create',
      entity: 'assistance_programme',
      entityId: String(created.programmeId),
      after: created,
      reason: p.reason,
    });
    return created;
  });
}

export async function updateProgramme(
  db: Db,
  actor: Actor,
  id: number,
  patch: ProgrammePatch,
  reason: string,
): Promise<Programme> {
  return db.transaction(async (tx) => {
    const r = await tx.query<ProgrammeRow>(
      'SELECT * FROM assistance_programme WHERE programme_id = $1 FOR UPDATE',
      [id],
    );
    const row = r.rows[0];
    if (!row || !programmeVisible(actor.scope, row.region_code)) {
      throw programmeMissing(String(id));
    }
    const before = toProgramme(row);
    checkRegion(actor, before.regionCode);
    const next = {
      ...before,
      title: patch.title ?? before.title,
      budget: patch.budget ?? before.budget,
      tiers: patch.tiers ?? before.tiers,
      eligibleCategories: patch.eligibleCategories ?? before.eligibleCategories,
      cardCategory: patch.cardCategory === undefined ? before.cardCategory : patch.cardCategory,
    };
    checkRules(next);
    const w = await tx.query<ProgrammeRow>(
      `UPDATE assistance_programme SET title_zh = $2, title_en = $3, budget = $4, tiers = $5,
         eligible_categories = $6, card_category = $7, version = version + 1, updated_at = now(),
         updated_by = $8, change_reason = $9
       WHERE programme_id = $1 RETURNING *`,
      [
        id,
        next.title.zh,
        next.title.en,
        next.budget,
        next.tiers,
        next.eligibleCategories,
        next.cardCategory,
        actor.id,
        reason,
      ],
    );
    const after = toProgramme(w.rows[0]!);
    await appendAudit(tx, {
      actor,
      action: 'assistance.programme.update',
      entity: 'assistance_programme',
      entityId: String(id),
      before,
      after,
      reason,
    });
    return after;
  });
}
