/**
 * Importing a department list into a campaign: the file is read row by row (CSV by the fast
 * reader, XLSX by the registry's reader), each row parsed on its own and checked against the
 * earlier rows of the file (the same person twice), accepted rows bulk-loaded (COPY on
 * PostgreSQL) and rejected rows stored with their reasons. accepted + rejected = rows read, always;
 * the list only counts for a pass once it is complete.
 */
import type { Readable } from 'node:stream';
import type { Actor } from '../../kernel/access/actor.ts';
import { recordAudit } from '../../audit/index.ts';
import { invalid, type Message } from '../../kernel/errors.ts';
import { normaliseDate, type IsoDate } from '../../kernel/period.ts';
import { nulProblem, readRows, type CellProblem, type FileFormat } from '../../tabular/read.ts';
import type { ColumnSet } from '../../tabular/columns.ts';
import { todayOf, type ReconcileContext } from '../context.ts';
import { LIST_KINDS, type ListKind } from '../model.ts';
import { getCampaign } from '../repo/campaigns.ts';
import { getTemplate, saveTemplate } from '../repo/templates.ts';
import {
  checkListHeaders,
  FIELD_HEADERS,
  mapListHeaders,
  requiredFields,
  type ColumnMapping,
  type ListField,
} from './columns.ts';
import { parseListRow, type ListCells, type ListRow } from './parse-row.ts';
import { readCsvBatches } from './read-csv.ts';

export interface ListRejectedRow {
  rowNumber: number;
  certno: string | null;
  name: string | null;
  field: ListField | null;
  reason: Message;
}

export interface ListImportResult {
  listId: number;
  rowsRead: number;
  accepted: number;
  rejected: number;
}

export interface ListImportOptions {
  campaignId: number;
  department: string;
  kind: ListKind;
  asOf: IsoDate;
  fileName: string;
  format: FileFormat;
  /** A saved template of the department, by name. */
  template?: string;
  /** Mappings given with this upload (win over the template's). */
  mapping?: ColumnMapping;
  /** Save the mapping used under this name for the department's next upload. */
  saveAs?: string;
  batchSize?: number;
  onReject?: (r: ListRejectedRow) => void | Promise<void>;
  onProgress?: (r: { rowsRead: number; accepted: number; rejected: number }) => void;
}

const ROW_COLS = [
  'list_id',
  'row_number',
  'certno',
  'certno_raw',
  'name',
  'birth_date',
  'region_code',
  'category',
  'event_date',
  'other_region',
  'change_type',
  'note',
] as const;
const REJECT_COLS = [
  'list_id',
  'row_number',
  'certno_raw',
  'name',
  'field',
  'reason_zh',
  'reason_en',
] as const;

/** The list's columns as the registry's reader wants them (for XLSX). */
function listColumns(kind: ListKind, mapping: ColumnMapping): ColumnSet<ListField> {
  return {
    map: (headers) => mapListHeaders(headers, mapping),
    missing: (keys) => requiredFields(kind).filter((f) => !keys.includes(f)),
    headerOf: (key) => FIELD_HEADERS[key],
  };
}

interface CellsRow {
  rowNumber: number;
  cells: ListCells;
  problem?: CellProblem<ListField>;
}

/** The file's rows as cells, a batch at a time (see readCsvBatches for why batches). */
async function* cellsOf(
  input: string | Readable,
  format: FileFormat,
  kind: ListKind,
  mapping: ColumnMapping,
): AsyncGenerator<CellsRow[]> {
  if (format === 'xlsx') {
    let batch: CellsRow[] = [];
    for await (const row of readRows(input, 'xlsx', listColumns(kind, mapping))) {
      batch.push(row);
      if (batch.length >= 1000) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  let keys: (ListField | null)[] | null = null;
  for await (const rows of readCsvBatches(input)) {
    const batch: CellsRow[] = [];
    for (const { rowNumber, values } of rows) {
      if (keys === null) {
        keys = mapListHeaders(values, mapping);
        checkListHeaders(keys, kind);
        continue;
      }
      const cells: ListCells = {};
      let any = false;
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (!k) continue;
        const v = values[i]?.trim() ?? '';
        if (v !== '') any = true;
        cells[k] = v === '' ? null : v;
      }
      if (!any) continue;
      const problem = nulProblem(cells, (k) => FIELD_HEADERS[k]);
      batch.push(problem ? { rowNumber, cells, problem } : { rowNumber, cells });
    }
    if (batch.length > 0) yield batch;
  }
  if (keys === null) checkListHeaders([], kind);
}

const rowValues = (listId: number, rowNumber: number, r: ListRow): unknown[] => [
  listId,
  rowNumber,
  r.certno,
  r.certnoRaw,
  r.name,
  r.birthDate,
  r.regionCode,
  r.category,
  r.eventDate,
  r.otherRegion,
  r.changeType,
  r.note,
];

export async function importList(
  ctx: ReconcileContext,
  actor: Actor,
  input: string | Readable,
  opts: ListImportOptions,
): Promise<ListImportResult> {
  if (!(LIST_KINDS as readonly string[]).includes(opts.kind)) {
    throw invalid(
      'reconcile.list_kind',
      'kind',
      `未知名单类型：${opts.kind}`,
      `unknown list kind: ${opts.kind}`,
    );
  }
  const asOf = normaliseDate(opts.asOf);
  if (asOf === null) {
    throw invalid(
      'reconcile.as_of',
      'asOf',
      '名单截止日期应为 YYYY-MM-DD',
      'asOf must be YYYY-MM-DD',
    );
  }
  const department = opts.department.trim();
  if (!department) {
    throw invalid(
      'reconcile.department',
      'department',
      '请填写来源部门',
      'the source department is required',
    );
  }
  const { db } = ctx;
  await getCampaign(db, actor.scope, opts.campaignId);
  const saved = opts.template ? (await getTemplate(db, department, opts.template)).mapping : {};
  const mapping: ColumnMapping = { ...saved, ...(opts.mapping ?? {}) };
  const today = todayOf(ctx);
  const created = await db.query<{ id: number }>(
    `INSERT INTO reconcile_list (campaign_id, department, list_kind, as_of, file_name, template,
       imported_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING list_id::int AS id`,
    [opts.campaignId, department, opts.kind, asOf, opts.fileName, opts.template ?? null, actor.id],
  );
  const listId = created.rows[0]!.id;
  const counts = { rowsRead: 0, accepted: 0, rejected: 0 };
  const batchSize = opts.batchSize ?? 20_000;
  let good: unknown[][] = [];
  let bad: unknown[][] = [];
  const seen = new Map<string, number>();

  // The batch before is loading (COPY, another connection) while this one is parsed: the
  // database and the parser work side by side. At most one batch is in flight.
  let loading: Promise<unknown> = Promise.resolve();
  // Rejects are few: they are kept until there are a batch of them, or the end.
  const flush = async (last = false) => {
    const rows = good;
    const rejects = last || bad.length >= batchSize ? bad : [];
    good = [];
    if (rejects === bad) bad = [];
    await loading;
    loading = Promise.all([
      rows.length > 0 ? db.copyRows('reconcile_list_row', ROW_COLS, rows) : 0,
      rejects.length > 0 ? db.copyRows('reconcile_rejected_row', REJECT_COLS, rejects) : 0,
    ]);
    // A failed load is seen at the next flush (or the last one), never left unobserved.
    loading.catch(() => undefined);
    opts.onProgress?.(counts);
  };
  const reject = async (r: ListRejectedRow) => {
    counts.rejected++;
    bad.push([listId, r.rowNumber, r.certno, r.name, r.field, r.reason.zh, r.reason.en]);
    await opts.onReject?.(r);
  };

  try {
    for await (const batch of cellsOf(input, opts.format, opts.kind, mapping)) {
      for (const { rowNumber, cells, problem } of batch) {
        counts.rowsRead++;
        const parsed = problem
          ? { ok: false as const, problem }
          : parseListRow(cells, opts.kind, today);
        if (!parsed.ok) {
          await reject({
            rowNumber,
            certno: typeof cells.certno === 'string' ? cells.certno : null,
            name: typeof cells.name === 'string' ? cells.name : null,
            ...parsed.problem,
          });
        } else {
          const key = parsed.row.certno ?? parsed.row.certnoRaw;
          const earlier = seen.get(key);
          if (earlier !== undefined) {
            await reject({
              rowNumber,
              certno: parsed.row.certnoRaw,
              name: parsed.row.name,
              field: 'certno',
              reason: {
                zh: `与第 ${earlier} 行为同一人（身份证号重复）`,
                en: `the same person as row ${earlier} (duplicate ID number)`,
              },
            });
          } else {
            seen.set(key, rowNumber);
            counts.accepted++;
            good.push(rowValues(listId, rowNumber, parsed.row));
          }
        }
        if (good.length >= batchSize || bad.length >= batchSize) await flush();
      }
    }
    await flush(true);
    await loading;
  } catch (e) {
    await loading.catch(() => undefined);
    // A file that cannot be read at all (missing columns, not a spreadsheet) leaves no list.
    await db.query('DELETE FROM reconcile_list_row WHERE list_id = $1', [listId]);
    await db.query('DELETE FROM reconcile_rejected_row WHERE list_id = $1', [listId]);
    await db.query('DELETE FROM reconcile_list WHERE list_id = $1', [listId]);
    throw e;
  }
  if (counts.accepted + counts.rejected !== counts.rowsRead) {
    throw new Error(`list import lost rows: ${JSON.stringify(counts)}`);
  }
  await db.query(
    `UPDATE reconcile_list SET rows_read = $2, accepted = $3, rejected = $4, complete = true
     WHERE list_id = $1`,
    [listId, counts.rowsRead, counts.accepted, counts.rejected],
  );
  // Freshly bulk-loaded: the planner needs the rows' statistics for matching and the passes.
  await db.exec('ANALYZE reconcile_list; ANALYZE reconcile_list_row');
  if (opts.saveAs) {
    await saveTemplate(db, actor, { department, name: opts.saveAs, listKind: opts.kind, mapping });
  }
  await recordAudit(db, {
    actor,
    action: 'reconcile.list.import',
    entity: 'reconcile_list',
    entityId: String(listId),
    after: { campaignId: opts.campaignId, department, kind: opts.kind, asOf, ...counts },
  });
  return { listId, ...counts };
}

export interface RejectView {
  rowNumber: number;
  certno: string | null;
  name: string | null;
  field: string | null;
  reason: Message;
}

export async function listRejects(
  ctx: ReconcileContext,
  listId: number,
  limit = 1000,
): Promise<RejectView[]> {
  const r = await ctx.db.query<{
    rowNumber: number;
    certno: string | null;
    name: string | null;
    field: string | null;
    zh: string;
    en: string;
  }>(
    `SELECT row_number AS "rowNumber", certno_raw AS certno, name, field, reason_zh AS zh,
       reason_en AS en FROM reconcile_rejected_row WHERE list_id = $1 ORDER BY row_number LIMIT $2`,
    [listId, limit],
  );
  return r.rows.map(({ zh, en, ...rest }) => ({ ...rest, reason: { zh, en } }));
}
