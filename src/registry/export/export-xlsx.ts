/**
 * Export of a search result to XLSX, streamed: rows are fetched from a cursor a page at a time and
 * written by ExcelJS's streaming writer, so a whole county never sits in memory. Excel holds about
 * a million rows a sheet, so larger results continue on further sheets. ID numbers and categories
 * are written as the actor may see them (kernel/access/masking.ts).
 */
import type { Writable } from 'node:stream';
import type { Actor } from '../../kernel/access/actor.ts';
import { certnoFor, maskCategories } from '../../kernel/access/masking.ts';
import { recordAudit } from '../../audit/index.ts';
import type { Db } from '../../db/db.ts';
import type { Month } from '../../kernel/period.ts';
import { CATEGORY_LABELS, type Category } from '../../policy/index.ts';
import { criteriaSql, type SearchCriteria } from '../repo/criteria.ts';
import { withSimilarNames } from '../repo/names.ts';
import { hitColumns, type SearchHit } from '../repo/search.ts';
import { xlsxWriter, type Cell, type XlsxColumn, type XlsxSheet } from '../../tabular/write.ts';

export const ROWS_PER_SHEET = 1_000_000;
const FETCH = 2_000;
const EXPORT_SIMILAR_NAMES = 200;

const STATUS_ZH = { alive: '正常', deceased: '死亡', missing: '失联' } as const;

const COLUMNS: XlsxColumn[] = [
  { header: '身份证号', key: 'certno', width: 22 },
  { header: '姓名', key: 'name', width: 12 },
  { header: '性别', key: 'gender', width: 6 },
  { header: '出生日期', key: 'birthDate', width: 12 },
  { header: '村(居)区划代码', key: 'regionCode', width: 16 },
  { header: '家庭户编号', key: 'householdId', width: 24 },
  { header: '联系电话', key: 'phone', width: 14 },
  { header: '状态', key: 'status', width: 8 },
  { header: '身份类别', key: 'categories', width: 30 },
];

export interface ExportResult {
  rows: number;
  sheets: number;
}

export async function exportPersons(
  db: Db,
  actor: Actor,
  criteria: SearchCriteria,
  month: Month,
  out: Writable,
): Promise<ExportResult> {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new RangeError(`bad month ${month}`);
  const c = criteriaSql(actor.scope, criteria);
  const book = xlsxWriter(out);
  let sheet: XlsxSheet | null = null;
  let sheets = 0;
  let inSheet = 0;
  let rows = 0;
  const newSheet = () => {
    sheets++;
    sheet = book.sheet(sheets === 1 ? '参保人' : `参保人${sheets}`, COLUMNS);
    inSheet = 0;
    return sheet;
  };
  await db.transaction(async (tx) => {
    if (c.chineseName === null) {
      await tx.query(
        `DECLARE person_export NO SCROLL CURSOR FOR
         SELECT ${hitColumns(month)} FROM person p WHERE ${c.where} ORDER BY ${c.orderBy}`,
        c.params,
      );
    } else {
      // The exact name, then every similar one, in the order the search pages them.
      const names = await withSimilarNames(tx, c.chineseName, EXPORT_SIMILAR_NAMES);
      await tx.query(
        `DECLARE person_export NO SCROLL CURSOR FOR
         SELECT ${hitColumns(month)}
         FROM unnest($${c.params.length + 1}::text[]) WITH ORDINALITY AS n (name, rank)
         JOIN person p ON p.name = n.name
         WHERE ${c.where} ORDER BY n.rank, p.certno`,
        [...c.params, names],
      );
    }
    for (;;) {
      const page = await tx.query<SearchHit>(`FETCH ${FETCH} FROM person_export`);
      for (const hit of page.rows) {
        const target: XlsxSheet = sheet && inSheet < ROWS_PER_SHEET ? sheet : newSheet();
        target.row(rowOf(actor, hit));
        inSheet++;
        rows++;
      }
      if (page.rows.length < FETCH) break;
    }
    await tx.query('CLOSE person_export');
  });
  if (sheet === null) newSheet();
  await book.close();
  await recordAudit(db, {
    actor,
    action: 'registry.person.export',
    entity: 'person',
    entityId: 'search',
    certno: null,
    after: { criteria, rows, sheets },
  });
  return { rows, sheets };
}

function rowOf(actor: Actor, h: SearchHit): Record<string, Cell> {
  return {
    certno: certnoFor(actor, h.certno),
    name: h.name,
    gender: h.gender === 'male' ? '男' : '女',
    birthDate: h.birthDate,
    regionCode: h.regionCode,
    householdId: h.householdId ?? '',
    phone: h.phone ?? '',
    status: STATUS_ZH[h.status],
    categories: maskCategories<Category>(actor, h.categories)
      .map((k) => CATEGORY_LABELS[k].zh)
      .join('、'),
  };
}
