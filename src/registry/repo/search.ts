/**
 * Paged person search. Totals are counted up to a cap (a county has tens of thousands of 张s and
 * nobody pages through them; they refine the search), by index-only scans where they can be.
 */
import type { DataScope } from '../../kernel/access/actor.ts';
import type { Db, Queryable } from '../../db/db.ts';
import type { Month } from '../../kernel/period.ts';
import type { Category } from '../../policy/index.ts';
import type { PersonStatus } from '../model.ts';
import { criteriaSql, type CriteriaSql, type SearchCriteria } from './criteria.ts';
import { withSimilarNames } from './names.ts';

export const TOTAL_CAP = 1_000;

export interface SearchHit {
  certno: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  regionCode: string;
  householdId: string | null;
  phone: string | null;
  status: PersonStatus;
  /** Categories held in `month`. */
  categories: Category[];
}

export interface SearchPage {
  items: SearchHit[];
  /** Exact up to TOTAL_CAP; `totalCapped` says there are more. */
  total: number;
  totalCapped: boolean;
  page: number;
  pageSize: number;
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

export const hitColumns = (month: string) =>
  `p.certno::text AS certno, p.name, p.gender, p.birth_date::text AS "birthDate",
   p.region_code AS "regionCode", p.household_id AS "householdId", p.phone, p.status,
   ARRAY(SELECT DISTINCT f.category FROM person_flag f WHERE f.certno = p.certno
     AND f.from_month <= '${month}' AND (f.to_month IS NULL OR f.to_month >= '${month}')
     ORDER BY f.category) AS categories`;

const checkMonth = (month: string) => {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new RangeError(`bad month ${month}`);
};

export async function searchPersons(
  db: Db,
  scope: DataScope,
  criteria: SearchCriteria,
  page: PageRequest,
  month: Month,
): Promise<SearchPage> {
  checkMonth(month);
  const c = criteriaSql(scope, criteria);
  const name = c.chineseName;
  // The similarity threshold is set for a transaction; other searches need none.
  return name === null
    ? plainSearch(db, c, page, month)
    : db.transaction((tx) => nameSearch(tx, c, name, page, month));
}

/** Counts the matches up to `upTo` (by default one past the cap, to tell "more than"). */
async function cappedCount(
  q: Queryable,
  where: string,
  params: unknown[],
  upTo = TOTAL_CAP + 1,
): Promise<number> {
  const r = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM person p WHERE ${where}
     LIMIT $${params.length + 1}) t`,
    [...params, upTo],
  );
  return r.rows[0]?.n ?? 0;
}

const pageOf = (items: SearchHit[], counted: number, page: PageRequest): SearchPage => ({
  items,
  total: Math.min(counted, TOTAL_CAP),
  totalCapped: counted > TOTAL_CAP,
  ...page,
});

async function plainSearch(
  q: Queryable,
  c: CriteriaSql,
  page: PageRequest,
  month: string,
): Promise<SearchPage> {
  const n = c.params.length;
  const offset = (page.page - 1) * page.pageSize;
  const items = await q.query<SearchHit>(
    `SELECT ${hitColumns(month)} FROM person p WHERE ${c.where}
     ORDER BY ${c.orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...c.params, page.pageSize, offset],
  );
  if (items.rows.length > 0 && items.rows.length < page.pageSize) {
    // The last page: the total is known without counting.
    return pageOf(items.rows, offset + items.rows.length, page);
  }
  return pageOf(items.rows, await cappedCount(q, c.where, c.params), page);
}

/**
 * People with the exact name first (in ID order), then those of each similar name, most similar
 * first. Pages are filled name by name, so a common name's first page reads twenty people, not
 * every 张伟 in the county.
 */
async function nameSearch(
  q: Queryable,
  c: CriteriaSql,
  name: string,
  page: PageRequest,
  month: string,
): Promise<SearchPage> {
  const names = await withSimilarNames(q, name);
  const n = c.params.length;
  const counted = await cappedCount(q, `p.name = ANY($${n + 1}::text[]) AND ${c.where}`, [
    ...c.params,
    names,
  ]);
  const items: SearchHit[] = [];
  let skip = (page.page - 1) * page.pageSize;
  for (const one of names) {
    const need = page.pageSize - items.length;
    if (need === 0) break;
    const where = `p.name = $${n + 1} AND ${c.where}`;
    const rows = await q.query<SearchHit>(
      `SELECT ${hitColumns(month)} FROM person p WHERE ${where}
       ORDER BY p.certno LIMIT $${n + 2} OFFSET $${n + 3}`,
      [...c.params, one, need, skip],
    );
    if (rows.rows.length > 0) {
      items.push(...rows.rows);
      skip = 0;
    } else if (skip > 0) {
      // This name's people all fall on earlier pages: skip past them.
      skip -= await cappedCount(q, where, [...c.params, one], skip);
    }
  }
  return pageOf(items, counted, page);
}
