/** Campaigns, their lists and their passes: small tables read and written by id. */
import type { Actor, DataScope } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import { invalid, notFound } from '../../kernel/errors.ts';
import type { IsoDate } from '../../kernel/period.ts';
import type { ListKind } from '../model.ts';

export interface Campaign {
  campaignId: number;
  name: string;
  regionCode: string;
  medicalYear: number;
  dueDays: number;
  createdAt: string;
  createdBy: string;
}

export interface ListInfo {
  listId: number;
  campaignId: number;
  department: string;
  listKind: ListKind;
  asOf: IsoDate;
  fileName: string;
  template: string | null;
  rowsRead: number;
  accepted: number;
  rejected: number;
  importedAt: string;
  importedBy: string;
}

export interface PassInfo {
  campaignId: number;
  passNo: number;
  listIds: number[];
  refMonth: string;
  refundCutoff: IsoDate;
  runAt: string;
  runBy: string;
  summary: Record<string, unknown>;
}

const CAMPAIGN_COLS = `campaign_id::int AS "campaignId", name, region_code AS "regionCode",
  medical_year AS "medicalYear", due_days AS "dueDays", created_at::text AS "createdAt",
  created_by AS "createdBy"`;

const LIST_COLS = `list_id::int AS "listId", campaign_id::int AS "campaignId", department,
  list_kind AS "listKind", as_of::text AS "asOf", file_name AS "fileName", template,
  rows_read AS "rowsRead", accepted, rejected, imported_at::text AS "importedAt",
  imported_by AS "importedBy"`;

const PASS_COLS = `campaign_id::int AS "campaignId", pass_no AS "passNo",
  list_ids::int[] AS "listIds", ref_month AS "refMonth", refund_cutoff::text AS "refundCutoff",
  run_at::text AS "runAt", run_by AS "runBy", summary`;

/** A region scope sees campaigns of its region, above it (the county's) or below it. */
function visible(scope: DataScope, regionCode: string): boolean {
  switch (scope.kind) {
    case 'system':
      return true;
    case 'region':
    case 'department':
    case 'institution':
      return regionCode.startsWith(scope.regionCode) || scope.regionCode.startsWith(regionCode);
    default: {
      const never: never = scope;
      throw new Error(`unknown scope ${JSON.stringify(never)}`);
    }
  }
}

export async function createCampaign(
  q: Queryable,
  actor: Actor,
  input: { name: string; regionCode: string; medicalYear: number; dueDays?: number },
): Promise<Campaign> {
  if (!/^\d{6,9}$/.test(input.regionCode)) {
    throw invalid(
      'reconcile.region',
      'regionCode',
      '区划代码应为县或乡镇代码',
      'regionCode must be a county or township code',
    );
  }
  if (actor.scope.kind !== 'system' && !visible(actor.scope, input.regionCode)) {
    throw invalid(
      'reconcile.region_scope',
      'regionCode',
      '区划不在您的数据范围内',
      'the region is outside your data scope',
    );
  }
  const r = await q.query<Campaign>(
    `INSERT INTO reconcile_campaign (name, region_code, medical_year, due_days, created_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING ${CAMPAIGN_COLS}`,
    [input.name, input.regionCode, input.medicalYear, input.dueDays ?? 15, actor.id],
  );
  return r.rows[0]!;
}

export async function listCampaigns(q: Queryable, scope: DataScope): Promise<Campaign[]> {
  const r = await q.query<Campaign>(
    `SELECT ${CAMPAIGN_COLS} FROM reconcile_campaign ORDER BY campaign_id DESC`,
  );
  return r.rows.filter((c) => visible(scope, c.regionCode));
}

export async function getCampaign(
  q: Queryable,
  scope: DataScope,
  campaignId: number,
): Promise<Campaign> {
  const r = await q.query<Campaign>(
    `SELECT ${CAMPAIGN_COLS} FROM reconcile_campaign WHERE campaign_id = $1`,
    [campaignId],
  );
  const c = r.rows[0];
  if (!c || !visible(scope, c.regionCode)) {
    throw notFound(
      'reconcile.campaign_not_found',
      'campaignId',
      `没有这个比对批次：${campaignId}`,
      `no such reconciliation campaign: ${campaignId}`,
    );
  }
  return c;
}

export async function campaignLists(q: Queryable, campaignId: number): Promise<ListInfo[]> {
  const r = await q.query<ListInfo>(
    `SELECT ${LIST_COLS} FROM reconcile_list WHERE campaign_id = $1 AND complete
     ORDER BY list_id`,
    [campaignId],
  );
  return r.rows;
}

/** The latest complete list of every department and kind: what a pass compares. */
export async function latestLists(q: Queryable, campaignId: number): Promise<ListInfo[]> {
  const r = await q.query<ListInfo>(
    `SELECT DISTINCT ON (department, list_kind) ${LIST_COLS} FROM reconcile_list
     WHERE campaign_id = $1 AND complete
     ORDER BY department, list_kind, as_of DESC, list_id DESC`,
    [campaignId],
  );
  return r.rows;
}

export async function getList(q: Queryable, listId: number): Promise<ListInfo> {
  const r = await q.query<ListInfo>(`SELECT ${LIST_COLS} FROM reconcile_list WHERE list_id = $1`, [
    listId,
  ]);
  const l = r.rows[0];
  if (!l) {
    throw notFound(
      'reconcile.list_not_found',
      'listId',
      `没有这份名单：${listId}`,
      `no such list: ${listId}`,
    );
  }
  return l;
}

export async function campaignPasses(q: Queryable, campaignId: number): Promise<PassInfo[]> {
  const r = await q.query<PassInfo>(
    `SELECT ${PASS_COLS} FROM reconcile_pass WHERE campaign_id = $1 ORDER BY pass_no`,
    [campaignId],
  );
  return r.rows;
}

export async function getPass(
  q: Queryable,
  campaignId: number,
  passNo?: number,
): Promise<PassInfo> {
  const r = await q.query<PassInfo>(
    passNo === undefined
      ? `SELECT ${PASS_COLS} FROM reconcile_pass WHERE campaign_id = $1 ORDER BY pass_no DESC LIMIT 1`
      : `SELECT ${PASS_COLS} FROM reconcile_pass WHERE campaign_id = $1 AND pass_no = $2`,
    passNo === undefined ? [campaignId] : [campaignId, passNo],
  );
  const p = r.rows[0];
  if (!p) {
    throw notFound(
      'reconcile.pass_not_found',
      'pass',
      passNo === undefined ? '该批次尚未比对' : `没有第 ${passNo} 轮比对`,
      passNo === undefined ? 'the campaign has no pass yet' : `no pass ${passNo}`,
    );
  }
  return p;
}
