/**
 * The reconciliation API (one Fastify plugin, listed in src/http/routes.ts): campaigns, list
 * uploads and column-mapping templates, fuzzy candidates, passes with their feedback workbook,
 * applying actions (dry run first), and the problem ledger with its dashboard. Every route declares
 * its permission; ledger reads and moves are limited to the caller's data scope (a township office
 * sees its township's items only).
 */
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { int4Body, int4Param, pageParam, rowIdParam } from '../http/fields.ts';
import type { Db } from '../db/db.ts';
import { actorOf } from '../http/actor.ts';
import { acceptUploads, rejectCollector, withUpload } from '../http/upload.ts';
import { invalid } from '../kernel/errors.ts';
import { normaliseDate } from '../kernel/period.ts';
import { loadRefundCutoffs } from '../registry/index.ts';
import { applyPass } from './apply/apply.ts';
import { reconcileContext } from './context.ts';
import { exportFeedback } from './export/feedback-xlsx.ts';
import { LIST_FIELDS, parseMappingText } from './import/columns.ts';
import { importList, listRejects, type ListRejectedRow } from './import/import-list.ts';
import {
  closeVerified,
  dashboard,
  getProblem,
  listProblems,
  moveProblem,
} from './ledger/problems.ts';
import { decideCandidate, listCandidates } from './match/find-candidates.ts';
import { FINDING_KINDS, LIST_KINDS, PROBLEM_STATES, RESOLUTIONS } from './model.ts';
import { runPass } from './pass/run-pass.ts';
import {
  campaignLists,
  campaignPasses,
  createCampaign,
  getCampaign,
  getPass,
  listCampaigns,
} from './repo/campaigns.ts';
import { listTemplates, saveTemplate } from './repo/templates.ts';

const tags = ['reconcile'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const idParams = z.object({ id: rowIdParam }).strict();
const passParams = z.object({ id: rowIdParam, passNo: int4Param }).strict();
const comment = z.string().max(1000).nullish();

const attachment = (name: string) =>
  `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

const fieldOf = (fields: Record<string, unknown>, name: string): string | undefined => {
  const f = fields[name] as { value?: unknown } | undefined;
  return typeof f?.value === 'string' && f.value.trim() !== '' ? f.value.trim() : undefined;
};

export const reconcileRoutes =
  (db: Db, now: () => Date = () => new Date()): FastifyPluginAsyncZod =>
  async (app) => {
    await acceptUploads(app);
    const ctx = reconcileContext(db, now);
    const cutoffs = await loadRefundCutoffs();

    app.get(
      '/api/v1/reconcile/campaigns',
      {
        config: { permission: 'reconcile:campaign:read' },
        schema: { tags, summary: '比对批次列表 / reconciliation campaigns' },
      },
      async (request) => ({ campaigns: await listCampaigns(db, actorOf(request).scope) }),
    );

    app.post(
      '/api/v1/reconcile/campaigns',
      {
        config: { permission: 'reconcile:campaign:run' },
        schema: {
          tags,
          summary: '新建比对批次 / create a campaign',
          body: z
            .object({
              name: z.string().min(1).max(100),
              regionCode: z.string().regex(/^\d{6,9}$/),
              medicalYear: z.number().int().min(1998).max(2100),
              dueDays: z.number().int().min(1).max(365).optional(),
            })
            .strict(),
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createCampaign(db, actorOf(request), request.body)),
    );

    app.get(
      '/api/v1/reconcile/campaigns/:id',
      {
        config: { permission: 'reconcile:campaign:read' },
        schema: {
          tags,
          summary: '批次详情：名单与轮次 / a campaign with lists and passes',
          params: idParams,
        },
      },
      async (request) => {
        const c = await getCampaign(db, actorOf(request).scope, request.params.id);
        return {
          ...c,
          lists: await campaignLists(db, c.campaignId),
          passes: await campaignPasses(db, c.campaignId),
        };
      },
    );

    app.post(
      '/api/v1/reconcile/campaigns/:id/lists',
      {
        config: { permission: 'reconcile:campaign:run' },
        schema: {
          tags,
          summary:
            '上传部门名单（multipart：file、department、kind、asOf，可选 template、map、saveAs）/ upload a department list',
          consumes: ['multipart/form-data'],
          params: idParams,
        },
      },
      async (request) =>
        withUpload(request, async ({ path, fileName, format, fields }) => {
          const department = fieldOf(fields, 'department') ?? '';
          const kind = fieldOf(fields, 'kind') ?? '';
          const asOf = normaliseDate(fieldOf(fields, 'asOf') ?? '');
          if (!(LIST_KINDS as readonly string[]).includes(kind)) {
            throw invalid(
              'reconcile.list_kind',
              'kind',
              `名单类型应为 ${LIST_KINDS.join('/')}`,
              `kind must be one of ${LIST_KINDS.join(', ')}`,
            );
          }
          if (asOf === null) {
            throw invalid(
              'reconcile.as_of',
              'asOf',
              '名单截止日期应为 YYYY-MM-DD',
              'asOf must be YYYY-MM-DD',
            );
          }
          const map = fieldOf(fields, 'map');
          const rejects = rejectCollector<ListRejectedRow>();
          const r = await importList(ctx, actorOf(request), path, {
            campaignId: request.params.id,
            department,
            kind: kind as (typeof LIST_KINDS)[number],
            asOf,
            fileName,
            format,
            template: fieldOf(fields, 'template'),
            mapping: map ? parseMappingText(map) : undefined,
            saveAs: fieldOf(fields, 'saveAs'),
            onReject: rejects.add,
          });
          return {
            ...r,
            rejects: rejects.rows,
            rejectsTruncated: r.rejected > rejects.rows.length,
          };
        }),
    );

    app.get(
      '/api/v1/reconcile/lists/:id/rejects',
      {
        config: { permission: 'reconcile:campaign:read' },
        schema: { tags, summary: '名单被拒行及原因 / rejected rows of a list', params: idParams },
      },
      async (request) => ({ rejects: await listRejects(ctx, request.params.id, 10_000) }),
    );

    app.get(
      '/api/v1/reconcile/templates',
      {
        config: { permission: 'reconcile:campaign:read' },
        schema: {
          tags,
          summary: '列映射模板 / column-mapping templates',
          querystring: z.object({ department: z.string().max(60).optional() }).strict(),
        },
      },
      async (request) => ({ templates: await listTemplates(db, request.query.department) }),
    );

    app.put(
      '/api/v1/reconcile/templates',
      {
        config: { permission: 'reconcile:campaign:run' },
        schema: {
          tags,
          summary: '保存部门列映射模板 / save a department’s column mapping',
          body: z
            .object({
              department: z.string().min(1).max(60),
              name: z.string().min(1).max(60),
              listKind: z.enum(LIST_KINDS),
              mapping: z.record(z.string().min(1).max(60), z.enum(LIST_FIELDS)),
            })
            .strict(),
        },
      },
      async (request) => saveTemplate(db, actorOf(request), request.body),
    );

    app.get(
      '/api/v1/reconcile/campaigns/:id/candidates',
      {
        config: { permission: 'reconcile:campaign:read' },
        schema: {
          tags,
          summary: '疑似匹配（需人工确认）/ fuzzy candidates to confirm',
          params: idParams,
          querystring: z
            .object({ status: z.enum(['proposed', 'confirmed', 'rejected']).optional() })
            .strict(),
        },
      },
      async (request) => {
        await getCampaign(db, actorOf(request).scope, request.params.id);
        return { candidates: await listCandidates(ctx, request.params.id, request.query.status) };
      },
    );

    for (const [path, decision] of [
      ['confirm', 'confirmed'],
      ['reject', 'rejected'],
    ] as const) {
      app.post(
        `/api/v1/reconcile/candidates/:id/${path}`,
        {
          config: { permission: 'reconcile:campaign:run' },
          schema: {
            tags,
            summary: `${decision === 'confirmed' ? '确认' : '否定'}疑似匹配 / ${path} a candidate`,
            params: idParams,
          },
        },
        async (request) => ({
          status: await decideCandidate(ctx, actorOf(request), request.params.id, decision),
        }),
      );
    }

    app.post(
      '/api/v1/reconcile/campaigns/:id/passes',
      {
        config: { permission: 'reconcile:campaign:run' },
        schema: { tags, summary: '执行一轮比对 / run a pass', params: idParams },
      },
      async (request, reply) =>
        reply.code(201).send(await runPass(ctx, actorOf(request), request.params.id, { cutoffs })),
    );

    app.get(
      '/api/v1/reconcile/campaigns/:id/passes/:passNo',
      {
        config: { permission: 'reconcile:campaign:read' },
        schema: {
          tags,
          summary: '某轮比对结果（与上一轮相比）/ a pass and its diff',
          params: passParams,
        },
      },
      async (request) => {
        await getCampaign(db, actorOf(request).scope, request.params.id);
        return getPass(db, request.params.id, request.params.passNo);
      },
    );

    app.get(
      '/api/v1/reconcile/campaigns/:id/passes/:passNo/feedback.xlsx',
      {
        config: { permission: 'reconcile:campaign:read' },
        schema: {
          tags,
          summary: '导出本轮反馈表（XLSX）/ the feedback workbook of a pass',
          params: passParams,
        },
      },
      async (request, reply) => {
        const { id, passNo } = request.params;
        // Refuse an unknown campaign or pass with a 404 before the answer starts streaming.
        await getCampaign(db, actorOf(request).scope, id);
        await getPass(db, id, passNo);
        const body = new PassThrough();
        void exportFeedback(ctx, actorOf(request), id, passNo, body).catch((e: unknown) =>
          body.destroy(e as Error),
        );
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(`比对反馈_批次${id}_第${passNo}轮.xlsx`))
          .send(body);
      },
    );

    app.post(
      '/api/v1/reconcile/campaigns/:id/apply',
      {
        config: { permission: 'reconcile:action:apply' },
        schema: {
          tags,
          summary:
            '执行比对处理（dryRun 只列出变更）/ apply the actions of a pass (dry run lists them)',
          params: idParams,
          body: z
            .object({
              dryRun: z.boolean().default(true),
              passNo: int4Body.optional(),
            })
            .strict(),
        },
      },
      async (request) =>
        applyPass(ctx, actorOf(request), request.params.id, {
          dryRun: request.body.dryRun,
          passNo: request.body.passNo,
        }),
    );

    app.get(
      '/api/v1/reconcile/problems',
      {
        config: { permission: 'reconcile:problem:read' },
        schema: {
          tags,
          summary: '问题台账（按数据范围）/ the problem ledger, in your data scope',
          querystring: z
            .object({
              campaignId: rowIdParam.optional(),
              state: z.enum(PROBLEM_STATES).optional(),
              kind: z.enum(FINDING_KINDS).optional(),
              region: z
                .string()
                .regex(/^\d{6,12}$/)
                .optional(),
              overdue: z.enum(['true', 'false']).optional(),
              page: pageParam,
              pageSize: z.coerce.number().int().min(1).max(500).default(50),
            })
            .strict(),
        },
      },
      async (request) => {
        const q = request.query;
        return listProblems(ctx, actorOf(request), { ...q, overdue: q.overdue === 'true' });
      },
    );

    app.get(
      '/api/v1/reconcile/problems/:id',
      {
        config: { permission: 'reconcile:problem:read' },
        schema: {
          tags,
          summary: '问题详情及处理记录 / a problem item with its history',
          params: idParams,
        },
      },
      async (request) => getProblem(ctx, actorOf(request), request.params.id),
    );

    app.post(
      '/api/v1/reconcile/problems/:id/rectify',
      {
        config: { permission: 'reconcile:problem:update' },
        schema: {
          tags,
          summary: '乡镇整改 / the township rectifies',
          params: idParams,
          body: z.object({ resolution: z.enum(RESOLUTIONS).default('fixed'), comment }).strict(),
        },
      },
      async (request) =>
        moveProblem(ctx, actorOf(request), request.params.id, {
          action: 'rectify',
          ...request.body,
        }),
    );

    app.post(
      '/api/v1/reconcile/problems/:id/comments',
      {
        config: { permission: 'reconcile:problem:update' },
        schema: {
          tags,
          summary: '添加说明 / comment',
          params: idParams,
          body: z.object({ comment: z.string().min(1).max(1000) }).strict(),
        },
      },
      async (request) =>
        moveProblem(ctx, actorOf(request), request.params.id, {
          action: 'comment',
          ...request.body,
        }),
    );

    for (const action of ['verify', 'close', 'reopen'] as const) {
      app.post(
        `/api/v1/reconcile/problems/:id/${action}`,
        {
          config: { permission: 'reconcile:problem:verify' },
          schema: {
            tags,
            summary: { verify: '核验', close: '销号', reopen: '退回整改' }[action] + ` / ${action}`,
            params: idParams,
            body: z.object({ comment }).strict(),
          },
        },
        async (request) =>
          moveProblem(ctx, actorOf(request), request.params.id, { action, ...request.body }),
      );
    }

    app.post(
      '/api/v1/reconcile/problems/:id/assign',
      {
        config: { permission: 'reconcile:problem:verify' },
        schema: {
          tags,
          summary: '改派乡镇 / assign to a township',
          params: idParams,
          body: z.object({ regionCode: z.string().regex(/^\d{6,12}$/), comment }).strict(),
        },
      },
      async (request) =>
        moveProblem(ctx, actorOf(request), request.params.id, {
          action: 'assign',
          ...request.body,
        }),
    );

    app.post(
      '/api/v1/reconcile/campaigns/:id/close-verified',
      {
        config: { permission: 'reconcile:problem:verify' },
        schema: {
          tags,
          summary: '已核验问题批量销号 / close every verified item',
          params: idParams,
          body: z.object({ comment: z.string().min(1).max(1000) }).strict(),
        },
      },
      async (request) => {
        await getCampaign(db, actorOf(request).scope, request.params.id);
        return {
          closed: await closeVerified(
            ctx,
            actorOf(request),
            request.params.id,
            request.body.comment,
          ),
        };
      },
    );

    app.get(
      '/api/v1/reconcile/campaigns/:id/dashboard',
      {
        config: { permission: 'reconcile:problem:read' },
        schema: {
          tags,
          summary: '按乡镇和问题类型统计（含超期）/ items per township and kind',
          params: idParams,
        },
      },
      async (request) => {
        await getCampaign(db, actorOf(request).scope, request.params.id);
        return { cells: await dashboard(ctx, actorOf(request), request.params.id) };
      },
    );
  };
