/**
 * The feedback for the poverty data team (反馈扶贫数据专班), one workbook per pass: every finding
 * of the pass and every one the pass no longer finds, with what changed since the pass before,
 * the registry's data beside the list's, the prescribed action and the ledger state; a summary
 * sheet by kind; and a sheet describing the pass. Chinese headers; streamed (ExcelJS writer,
 * database cursor), so a county-wide pass never sits in memory. ID numbers as the reader may see
 * them; rows in the reader's data scope.
 */
import type { Writable } from 'node:stream';
import type { Actor } from '../../kernel/access/actor.ts';
import { certnoFor } from '../../kernel/access/masking.ts';
import { recordAudit } from '../../audit/index.ts';
import { formatYuan } from '../../kernel/money.ts';
import { CATEGORY_LABELS, type Category } from '../../policy/index.ts';
import type { ReconcileContext } from '../context.ts';
import {
  DEPARTMENTS,
  FINDING_ACTIONS,
  FINDING_KINDS,
  FINDING_LABELS,
  LIST_KIND_LABELS,
  PASS_CHANGE_LABELS,
  PROBLEM_STATE_LABELS,
  RESOLUTION_LABELS,
  type FindingKind,
  type ListKind,
  type PassChange,
  type ProblemState,
  type Resolution,
} from '../model.ts';
import { getCampaign, getPass } from '../repo/campaigns.ts';
import { problemScopeSql } from '../ledger/problems.ts';
import { DIFF_SQL } from '../pass/diff.ts';
import type { PassSummary } from '../pass/run-pass.ts';
import { xlsxWriter, type Cell, type XlsxColumn } from '../../tabular/write.ts';

const FETCH = 2_000;

const COLUMNS: XlsxColumn[] = [
  { header: '序号', key: 'seq', width: 8 },
  { header: '问题类型', key: 'kind', width: 20 },
  { header: '本轮变化', key: 'change', width: 12 },
  { header: '来源部门', key: 'department', width: 18 },
  { header: '身份类别', key: 'category', width: 16 },
  { header: '名单身份证号', key: 'rowCertno', width: 22 },
  { header: '名单姓名', key: 'rowName', width: 10 },
  { header: '医保系统身份证号', key: 'certno', width: 22 },
  { header: '医保系统姓名', key: 'registryName', width: 12 },
  { header: '乡镇', key: 'region', width: 14 },
  { header: '情况说明', key: 'detail', width: 36 },
  { header: '处理措施', key: 'action', width: 48 },
  { header: '台账状态', key: 'state', width: 10 },
  { header: '整改方式', key: 'resolution', width: 18 },
];

interface Row {
  change: PassChange;
  kind: FindingKind;
  state: ProblemState | null;
  resolution: Resolution | null;
  category: Category | null;
  certno: string | null;
  certno_raw: string | null;
  name: string | null;
  department: string | null;
  region_code: string;
  region_name: string | null;
  detail: Record<string, unknown>;
}

export interface FeedbackResult {
  rows: number;
}

const label = (m: { zh: string } | undefined, fallback: string | null) => m?.zh ?? fallback ?? '';

export async function exportFeedback(
  ctx: ReconcileContext,
  actor: Actor,
  campaignId: number,
  passNo: number,
  out: Writable,
): Promise<FeedbackResult> {
  const { db } = ctx;
  const campaign = await getCampaign(db, actor.scope, campaignId);
  const pass = await getPass(db, campaignId, passNo);
  const summary = pass.summary as unknown as PassSummary;
  const book = xlsxWriter(out);
  const sheet = book.sheet('比对结果', COLUMNS);
  let rows = 0;
  const s = problemScopeSql(actor.scope, 'f', 3);
  await db.transaction(async (tx) => {
    await tx.query(
      `DECLARE feedback NO SCROLL CURSOR FOR
       SELECT d.change, d.kind, d.state, d.resolution, f.category, f.certno::text AS certno,
         f.certno_raw, f.name, f.department, f.region_code, rg.name AS region_name, f.detail
       FROM (${DIFF_SQL}) d
       JOIN reconcile_finding f ON f.campaign_id = $1 AND f.finding_key = d.finding_key
         AND f.pass_no = CASE WHEN d.current THEN $2 ELSE $2 - 1 END
       LEFT JOIN region rg ON rg.code = f.region_code
       WHERE ${s.sql}
       ORDER BY f.region_code, d.kind, d.change, f.finding_key`,
      [campaignId, passNo, ...s.params],
    );
    for (;;) {
      const page = await tx.query<Row>(`FETCH ${FETCH} FROM feedback`);
      for (const r of page.rows) {
        rows++;
        sheet.row(rowOf(actor, rows, r));
      }
      if (page.rows.length < FETCH) break;
    }
    await tx.query('CLOSE feedback');
  });

  const totals = book.sheet('汇总', [
    { header: '问题类型', key: 'kind', width: 22 },
    { header: '新发现', key: 'new', width: 10 },
    { header: '仍存在', key: 'still_open', width: 10 },
    { header: '已认可', key: 'accepted', width: 10 },
    { header: '已整改', key: 'fixed', width: 10 },
    { header: '处理措施', key: 'action', width: 60 },
  ]);
  for (const k of FINDING_KINDS) {
    const c = summary.byKind?.[k] ?? { new: 0, still_open: 0, accepted: 0, fixed: 0 };
    totals.row({ kind: FINDING_LABELS[k].zh, ...c, action: FINDING_ACTIONS[k].zh });
  }

  const about = book.sheet('说明', [
    { header: '项目', key: 'k', width: 20 },
    { header: '内容', key: 'v', width: 70 },
  ]);
  const info: [string, string][] = [
    ['比对批次', `${campaign.name}（编号 ${campaign.campaignId}）`],
    ['区划', campaign.regionCode],
    ['医保年度', String(campaign.medicalYear)],
    ['轮次', `第 ${pass.passNo} 轮（与第 ${pass.passNo - 1} 轮对比）`],
    ['比对月份', pass.refMonth],
    ['退费截止日', pass.refundCutoff],
    ['比对时间', pass.runAt],
    ['名单行数', String(summary.rows ?? '')],
    ['本轮问题数', String(summary.findings ?? '')],
  ];
  for (const l of summary.lists ?? []) {
    info.push([
      '名单',
      `${label(DEPARTMENTS[l.department], l.department)} · ${label(LIST_KIND_LABELS[l.listKind as ListKind], l.listKind)} · 截至 ${l.asOf} · ${l.rows} 行`,
    ]);
  }
  for (const [k, v] of info) about.row({ k, v });
  await book.close();
  await recordAudit(db, {
    actor,
    action: 'reconcile.feedback.export',
    entity: 'reconcile_pass',
    entityId: `${campaignId}/${passNo}`,
    after: { rows },
  });
  return { rows };
}

function describe(kind: FindingKind, d: Record<string, unknown>, actor: Actor): string {
  const s = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
  switch (kind) {
    case 'identity_mismatch': {
      const parts: string[] = [];
      if (d.viaCandidate) parts.push('身份证号已变更，经人工确认为同一人');
      if (d.nameDiffers) parts.push(`医保系统姓名为 ${s('registryName')}`);
      if (Number(d.pendingCandidates) > 0)
        parts.push(`有 ${String(d.pendingCandidates)} 个疑似匹配待确认`);
      if (typeof d.registryCertno === 'string') {
        parts.push(`正确身份证号 ${certnoFor(actor, d.registryCertno)}`);
      }
      return parts.join('；');
    }
    case 'missing':
      return `失联日期 ${s('since')}`;
    case 'ended':
      return d.reason === 'death'
        ? `死亡日期 ${s('date')}`
        : `${d.reason === 'exit' ? '脱贫' : '取消待遇'}日期 ${s('date')}`;
    case 'other_county':
      return s('otherRegion') ? `参保地 ${s('otherRegion')}` : '县外参保';
    case 'employee':
      return d.source === 'registry' ? '医保系统有职工医保参保登记' : '职工医保名单内';
    case 'contribution_paid':
      return `个人已缴 ${formatYuan(Number(d.amount ?? 0))} 元`;
    case 'no_contribution': {
      const why: Record<string, string> = {
        married_out: '婚出',
        moved_out: '迁出',
        cancelled: '户口注销',
        id_changed: '身份证号变更',
        died: '死亡',
      };
      const base = d.inRegistry ? '本年度无参保登记' : '医保系统内无此人';
      return s('suspected') ? `${base}；疑似原因：${why[s('suspected')] ?? s('suspected')}` : base;
    }
    case 'not_flagged':
      return `认定日期 ${s('recognisedOn')}`;
    case 'flagged_absent':
      return `标识起始月 ${s('fromMonth')}`;
    default: {
      const never: never = kind;
      return String(never);
    }
  }
}

function rowOf(actor: Actor, seq: number, r: Row): Record<string, Cell> {
  return {
    seq,
    kind: FINDING_LABELS[r.kind].zh,
    change: PASS_CHANGE_LABELS[r.change].zh,
    department: label(r.department ? DEPARTMENTS[r.department] : undefined, r.department),
    category: r.category ? CATEGORY_LABELS[r.category].zh : '',
    rowCertno: r.certno_raw ? certnoFor(actor, r.certno_raw) : '',
    rowName: r.name ?? '',
    certno: r.certno ? certnoFor(actor, r.certno) : '',
    registryName: typeof r.detail.registryName === 'string' ? r.detail.registryName : '',
    region: r.region_name ?? r.region_code,
    detail: describe(r.kind, r.detail, actor),
    action: FINDING_ACTIONS[r.kind].zh,
    state: r.state ? PROBLEM_STATE_LABELS[r.state].zh : '',
    resolution: r.resolution ? RESOLUTION_LABELS[r.resolution].zh : '',
  };
}
