/**
 * Monitoring routes (防止因病返贫致贫动态监测): runs, warnings and their lifecycle, pushes with
 * the XLSX and delivery log, the near-threshold watch list and the dashboard numbers. Every route
 * declares its permission; warnings are read in the caller's scope (repo/scope.ts).
 */
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isoMonth, offsetParam, rowIdParam } from '../http/fields.ts';
import type { Db } from '../db/db.ts';
import { actorOf } from '../http/actor.ts';
import { recordAudit } from '../audit/index.ts';
import { certnoFor, maskCategories } from '../kernel/access/masking.ts';
import { normalizeId } from '../kernel/idcard.ts';
import { fenToYuanNumber, parseYuan } from '../kernel/money.ts';
import { notFound } from '../kernel/errors.ts';
import { runMonth } from './run.ts';
import type { MonitoringService } from './service.ts';
import { eventView, eventViewSchema, warningView, warningViewSchema } from './view.ts';
import { ASSISTANCE_MEASURES, WARNING_STATUSES } from './status.ts';
import { THRESHOLDS, type MonitoringRule } from './thresholds.ts';
import { listRuns, type RunRow } from './repo/run-sql.ts';
import { allWarnings } from './repo/warnings.ts';
import { deliveries, findPush, listPushes } from './repo/push.ts';
import { outboxOfPush, type OutboxView } from './repo/outbox.ts';
import { writeWarningsXlsx } from './push/xlsx.ts';

const tags = ['monitoring'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const month = isoMonth;
const idParams = z.object({ id: rowIdParam }).strict();
const page = {
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: offsetParam,
};

const attachment = (name: string) =>
  `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

const ruleView = (r: MonitoringRule) => ({
  county: r.county,
  pack: r.pack,
  perCapitaIncome: fenToYuanNumber(r.perCapitaIncome),
  inscopeShareBp: r.inscopeShare,
  totalShareBp: r.totalShare,
  inscopeLine: fenToYuanNumber(r.inscopeLine),
  totalLine: fenToYuanNumber(r.totalLine),
  inscopeCategories: r.inscopeCategories,
});

const runView = (r: RunRow) => ({
  runId: r.run_id,
  month: r.month,
  year: r.year,
  rules: r.rules.map(ruleView),
  created: r.created,
  reopened: r.reopened,
  withdrawn: r.withdrawn,
  actorId: r.actor_id,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export const monitoringRoutes =
  (db: Db, service: MonitoringService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/v1/monitoring/runs',
      {
        config: { permission: 'monitor:run:create' },
        schema: {
          tags,
          summary: '执行月度监测（重复执行不重复预警）/ run the monthly monitoring (idempotent)',
          body: z.object({ month }).strict(),
        },
      },
      async (request) => {
        const s = await runMonth(db, actorOf(request), request.body.month);
        return { ...s, rules: s.rules.map(ruleView), ms: Math.round(s.ms) };
      },
    );

    app.get(
      '/api/v1/monitoring/runs',
      {
        config: { permission: 'monitor:warning:read' },
        schema: {
          tags,
          summary: '监测执行记录 / monitoring runs',
          querystring: z.object({ month: month.optional() }).strict(),
        },
      },
      async (request) => ({ runs: (await listRuns(db, request.query.month ?? null)).map(runView) }),
    );

    app.get(
      '/api/v1/monitoring/warnings',
      {
        config: { permission: 'monitor:warning:read' },
        schema: {
          tags,
          summary: '预警列表 / warnings',
          querystring: z
            .object({
              year: z.coerce.number().int().min(2000).max(2100).optional(),
              month: month.optional(),
              status: z.enum(WARNING_STATUSES).optional(),
              threshold: z.enum(THRESHOLDS).optional(),
              region: z
                .string()
                .regex(/^\d{6,12}$/)
                .optional(),
              certno: z.string().optional(),
              ...page,
            })
            .strict(),
          response: {
            200: z.object({ total: z.number().int(), warnings: z.array(warningViewSchema) }),
          },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { limit, offset, certno, ...f } = request.query;
        const r = await service.list(
          actor,
          { ...f, certno: certno === undefined ? undefined : normalizeId(certno, 'certno') },
          { limit, offset },
        );
        return { total: r.total, warnings: r.rows.map((w) => warningView(actor, w)) };
      },
    );

    app.get(
      '/api/v1/monitoring/warnings/:id',
      {
        config: { permission: 'monitor:warning:read' },
        schema: {
          tags,
          summary: '一条预警及其处理记录 / one warning with its history',
          params: idParams,
          response: {
            200: warningViewSchema.extend({ events: z.array(eventViewSchema) }),
          },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { warning, events } = await service.get(actor, request.params.id);
        return { ...warningView(actor, warning), events: events.map(eventView) };
      },
    );

    app.post(
      '/api/v1/monitoring/warnings/:id/confirm',
      {
        config: { permission: 'monitor:warning:decide' },
        schema: {
          tags,
          summary: '认定预警（民政、乡村振兴）/ confirm a pushed warning',
          params: idParams,
          body: z.object({ note: z.string().trim().max(500).optional() }).strict(),
          response: { 200: warningViewSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const note = request.body.note?.length ? request.body.note : null;
        return warningView(actor, await service.confirm(actor, request.params.id, note));
      },
    );

    app.post(
      '/api/v1/monitoring/warnings/:id/dismiss',
      {
        config: { permission: 'monitor:warning:decide' },
        schema: {
          tags,
          summary: '排除预警，须填原因 / dismiss a pushed warning, with a reason',
          params: idParams,
          body: z.object({ reason: z.string().trim().min(1).max(500) }).strict(),
          response: { 200: warningViewSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return warningView(
          actor,
          await service.dismiss(actor, request.params.id, request.body.reason),
        );
      },
    );

    app.post(
      '/api/v1/monitoring/warnings/:id/assist',
      {
        config: { permission: 'monitor:warning:decide' },
        schema: {
          tags,
          summary: '登记已给予的帮扶救助 / record the assistance granted to a confirmed warning',
          params: idParams,
          body: z
            .object({
              measures: z.array(z.enum(ASSISTANCE_MEASURES)).min(1),
              amount: z.union([z.number(), z.string()]).optional().describe('金额（元）'),
              programme: z.string().trim().min(1).max(100).optional(),
              note: z.string().trim().max(500).optional(),
            })
            .strict(),
          response: { 200: warningViewSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const b = request.body;
        const w = await service.assist(actor, request.params.id, {
          measures: [...new Set(b.measures)],
          amount: b.amount === undefined ? null : parseYuan(b.amount, 'amount'),
          programme: b.programme ?? null,
          note: b.note?.length ? b.note : null,
        });
        return warningView(actor, w);
      },
    );

    app.post(
      '/api/v1/monitoring/pushes',
      {
        config: { permission: 'monitor:warning:push' },
        schema: {
          tags,
          summary:
            '推送一个月的新预警（XLSX、签名回调）/ push a month’s new warnings (XLSX, signed webhooks)',
          body: z
            .object({
              month,
              wait: z
                .boolean()
                .optional()
                .describe(
                  '等待回调投递完成（含重试）/ wait for webhook delivery, retries included',
                ),
            })
            .strict(),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        // The deliveries are written with the push; the server's delivery worker sends them
        // unless the caller waits for them here.
        const { push } = await service.push(actor, request.body.month);
        const outcomes = request.body.wait ? await service.deliver(push) : null;
        return {
          pushId: push.push_id,
          month: push.month,
          warnings: push.warnings,
          xlsx: `/api/v1/monitoring/pushes/${push.push_id}/warnings.xlsx`,
          deliveries: outcomes,
        };
      },
    );

    app.get(
      '/api/v1/monitoring/pushes',
      {
        config: { permission: 'monitor:warning:read' },
        schema: {
          tags,
          summary: '推送记录 / pushes',
          querystring: z.object({ month: month.optional() }).strict(),
        },
      },
      async (request) => ({ pushes: await listPushes(db, request.query.month ?? null) }),
    );

    app.get(
      '/api/v1/monitoring/pushes/:id',
      {
        config: { permission: 'monitor:warning:read' },
        schema: {
          tags,
          summary: '一次推送及投递日志 / a push and its delivery log',
          params: idParams,
        },
      },
      async (request) => {
        const push = await findPush(db, request.params.id);
        if (!push) throw pushMissing(request.params.id);
        return {
          ...push,
          deliveries: await deliveries(db, push.push_id),
          outbox: (await outboxOfPush(db, push.push_id)).map(outboxView),
        };
      },
    );

    app.get(
      '/api/v1/monitoring/pushes/:id/warnings.xlsx',
      {
        config: { permission: 'monitor:warning:read' },
        schema: {
          tags,
          summary: '推送的预警名单（XLSX）/ the warnings of a push as XLSX',
          params: idParams,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const push = await findPush(db, request.params.id);
        if (!push) throw pushMissing(request.params.id);
        const rows = await allWarnings(db, actor.scope, { pushId: push.push_id });
        await recordAudit(db, {
          actor,
          action: 'monitor.warning.export',
          entity: 'monitoring_push',
          entityId: String(push.push_id),
          after: { month: push.month, rows: rows.length },
        });
        const body = new PassThrough();
        const title = `${push.month} 因病返贫致贫预警名单（推送 ${push.push_id}）`;
        void writeWarningsXlsx(actor, title, rows, body).catch((e: unknown) =>
          body.destroy(e as Error),
        );
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(`预警名单_${push.month}_${push.push_id}.xlsx`))
          .send(body);
      },
    );

    app.get(
      '/api/v1/monitoring/watch',
      {
        config: { permission: 'monitor:warning:read' },
        schema: {
          tags,
          summary:
            '临界预警关注名单（超过预警线 80%）/ near-threshold watch list (above 80 % of a line)',
          querystring: z
            .object({
              month,
              threshold: z.enum(THRESHOLDS).optional(),
              region: z
                .string()
                .regex(/^\d{6,12}$/)
                .optional(),
              ...page,
            })
            .strict(),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const r = await service.watch(actor, request.query);
        return {
          month: request.query.month,
          total: r.total,
          people: r.rows.map((w) => ({
            certno: certnoFor(actor, w.certno),
            name: w.name,
            regionCode: w.region_code,
            townshipName: w.township_name,
            threshold: w.threshold,
            categories: maskCategories(actor, w.categories),
            amount: fenToYuanNumber(w.amount),
            line: fenToYuanNumber(w.line),
            sharePercent: w.share / 100,
            monthlyAverage: fenToYuanNumber(w.projection.monthlyAverage),
            projectedYearEnd: fenToYuanNumber(w.projection.yearEnd),
            projectedCrossingMonth: w.projection.crossingMonth,
          })),
        };
      },
    );

    app.get(
      '/api/v1/monitoring/dashboard',
      {
        config: { permission: 'report:dashboard:read' },
        schema: {
          tags,
          summary: '预警统计：按月、乡镇、类别 / warning counts per month, township, category',
          querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict(),
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const d = await service.dashboard(actor, request.query.year);
        const visible = new Set(
          maskCategories(
            actor,
            d.byCategory.map((c) => c.category),
          ),
        );
        return {
          year: request.query.year,
          totals: d.totals,
          byMonth: d.byMonth,
          byTownship: d.byTownship.map(({ township_code, township_name, ...c }) => ({
            townshipCode: township_code,
            townshipName: township_name,
            ...c,
          })),
          byCategory: d.byCategory.filter((c) => visible.has(c.category)),
          byThreshold: d.byThreshold,
        };
      },
    );
  };

/** A delivery's state, without its body or claim token. */
const outboxView = (o: OutboxView) => ({
  deliveryId: o.delivery_id,
  webhookId: o.webhook_id,
  department: o.department,
  status: o.status,
  attempts: o.attempts,
  maxAttempts: o.max_attempts,
  nextAttemptAt: o.status === 'pending' ? o.next_attempt_at : null,
  lastStatusCode: o.last_status_code,
  lastError: o.last_error,
  lastAttemptAt: o.last_attempt_at,
});

const pushMissing = (id: number) =>
  notFound('monitor.push_not_found', 'id', `没有推送 ${id}`, `no push ${id}`);
