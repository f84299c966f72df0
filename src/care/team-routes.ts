/**
 * The care-team HTTP API under /api/v1/care (docs/care-teams.md §7): parse with zod, call the
 * service, answer the view masked for the caller.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/actor.ts';
import { isoDate, pageParam, rowIdParam } from '../http/fields.ts';
import { normalizeId } from '../kernel/idcard.ts';
import { CONDITIONS, MEMBER_ROLES, REPORT_STATUSES } from './core/team-model.ts';
import {
  overdueView,
  reportRowView,
  reportView,
  summaryView,
  teamRowView,
  teamView,
  toOverdueRow,
  toReportRowView,
  toReportView,
  toTeamRowView,
  toTeamView,
  toVisitView,
  visitView,
} from './core/team-views.ts';
import { overdueXlsx } from './team-export.ts';
import type { CareTeamService } from './team-service.ts';

const tags = ['care'];
const P = '/api/v1/care';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const certnoText = z.string().max(20);
const certnoOf = (t: string) => normalizeId(t, 'certno');
const certnoParams = z.object({ certno: certnoText }).strict();
const idParams = z.object({ id: rowIdParam }).strict();
const regionCode = z
  .string()
  .regex(/^\d{6}(\d{3}){0,2}$/)
  .describe('行政区划代码前缀（县6位、乡镇9位、村12位）');
const text = (max: number) => z.string().trim().min(1).max(max);
const pageQuery = {
  page: pageParam,
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
};
const listOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int() });

const teamBody = z
  .object({
    members: z
      .array(
        z
          .object({
            role: z.enum(MEMBER_ROLES),
            name: text(50),
            contact: text(50).describe('电话或其他联系方式'),
          })
          .strict(),
      )
      .max(30)
      .describe('小组的全部现任成员；须有组长（village_head）'),
    on: isoDate.optional().describe('变更生效日期，默认今天'),
    reason: z.string().max(500).nullish(),
  })
  .strict();

const visitBody = z
  .object({
    visitedOn: isoDate,
    visitor: text(50),
    condition: z.enum(CONDITIONS),
    medicationAsPrescribed: z.boolean(),
    riskLevel: z.number().int().min(0).max(5).describe('危险性评估 0–5 级'),
    nextDue: isoDate.nullish().describe('下次随访日期；缺省按病情和危险性计算'),
    note: z.string().max(1000).nullish(),
  })
  .strict();

const reportBody = z
  .object({
    reportedOn: isoDate,
    visitId: rowIdParam.nullish(),
    treatment: text(500).describe('对症处置'),
    referredTo: text(100).describe('转诊的上级医疗机构'),
  })
  .strict();

const outcomeBody = z
  .object({
    status: z.enum(REPORT_STATUSES),
    on: isoDate,
    outcome: z.string().max(500).nullish(),
  })
  .strict();

export const careTeamRoutes =
  (service: CareTeamService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      `${P}/teams`,
      {
        config: { permission: 'care:team:read' },
        schema: {
          tags,
          summary: '关爱帮扶小组列表 / care teams',
          querystring: z.object({ regionCode: regionCode.optional(), ...pageQuery }).strict(),
          response: { 200: listOf(teamRowView) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { page, pageSize, regionCode } = request.query;
        const r = await service.teams(actor, { regionCode }, { page, pageSize });
        return { items: r.items.map((t) => toTeamRowView(actor, t)), total: r.total };
      },
    );

    app.get(
      `${P}/teams/:certno`,
      {
        config: { permission: 'care:team:read' },
        schema: {
          tags,
          summary: '关爱帮扶小组：成员、联系方式及变更历史 / one team',
          params: certnoParams,
          response: { 200: teamView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return toTeamView(actor, await service.team(actor, certnoOf(request.params.certno)));
      },
    );

    app.put(
      `${P}/teams/:certno`,
      {
        config: { permission: 'care:team:update' },
        schema: {
          tags,
          summary: '建立或调整关爱帮扶小组（成员变更留痕）/ form or change a team',
          params: certnoParams,
          body: teamBody,
          response: { 200: teamView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const t = await service.setTeam(actor, certnoOf(request.params.certno), request.body);
        return toTeamView(actor, t);
      },
    );

    app.get(
      `${P}/teams/:certno/visits`,
      {
        config: { permission: 'care:visit:read' },
        schema: {
          tags,
          summary: '随访记录 / visits',
          params: certnoParams,
          response: { 200: z.object({ items: z.array(visitView) }) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const v = await service.visits(actor, certnoOf(request.params.certno));
        return { items: v.map((x) => toVisitView(actor, x)) };
      },
    );

    app.post(
      `${P}/teams/:certno/visits`,
      {
        config: { permission: 'care:visit:create' },
        schema: {
          tags,
          summary: '登记随访（病情、服药、危险性、下次随访）/ record a visit',
          params: certnoParams,
          body: visitBody,
          response: { 201: visitView },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const v = await service.recordVisit(actor, certnoOf(request.params.certno), request.body);
        return reply.code(201).send(toVisitView(actor, v));
      },
    );

    app.post(
      `${P}/teams/:certno/reports`,
      {
        config: { permission: 'care:report:create' },
        schema: {
          tags,
          summary: '病情不稳定报告：转诊并通知派出所及小组成员 / report an unstable patient',
          params: certnoParams,
          body: reportBody,
          response: { 201: reportView },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const r = await service.report(actor, certnoOf(request.params.certno), request.body);
        return reply.code(201).send(toReportView(actor, r));
      },
    );

    app.get(
      `${P}/reports`,
      {
        config: { permission: 'care:report:read' },
        schema: {
          tags,
          summary: '病情不稳定报告列表 / unstable-patient reports',
          querystring: z
            .object({
              status: z.enum(REPORT_STATUSES).optional(),
              regionCode: regionCode.optional(),
              ...pageQuery,
            })
            .strict(),
          response: { 200: listOf(reportRowView) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { page, pageSize, ...filter } = request.query;
        const r = await service.reports(actor, filter, { page, pageSize });
        return { items: r.items.map((x) => toReportRowView(actor, x)), total: r.total };
      },
    );

    app.get(
      `${P}/reports/:id`,
      {
        config: { permission: 'care:report:read' },
        schema: {
          tags,
          summary: '一份报告及其通知（派出所账号查看即签收）/ one report',
          params: idParams,
          response: { 200: reportView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return toReportView(actor, await service.readReport(actor, request.params.id));
      },
    );

    app.post(
      `${P}/reports/:id/notifications/:notificationId/acknowledge`,
      {
        config: { permission: 'care:report:acknowledge' },
        schema: {
          tags,
          summary: '登记通知已收到 / record that a recipient received the report',
          params: z.object({ id: rowIdParam, notificationId: rowIdParam }).strict(),
          body: z.object({}).strict().optional(),
          response: { 200: reportView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { id, notificationId } = request.params;
        return toReportView(actor, await service.acknowledge(actor, id, notificationId));
      },
    );

    app.post(
      `${P}/reports/:id/outcome`,
      {
        config: { permission: 'care:report:update' },
        schema: {
          tags,
          summary: '转诊结果（住院、返回、结案）/ the referral outcome',
          params: idParams,
          body: outcomeBody,
          response: { 200: reportView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        return toReportView(actor, await service.outcome(actor, request.params.id, request.body));
      },
    );

    app.get(
      `${P}/overdue`,
      {
        config: { permission: 'care:visit:read' },
        schema: {
          tags,
          summary: '逾期未随访名单（按乡镇、村）/ overdue visits',
          querystring: z
            .object({ asOf: isoDate.optional(), regionCode: regionCode.optional() })
            .strict(),
          response: { 200: overdueView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const r = await service.overdue(actor, request.query.asOf, request.query.regionCode);
        return { asOf: r.asOf, rows: r.rows.map((x) => toOverdueRow(actor, x)) };
      },
    );

    app.get(
      `${P}/overdue.xlsx`,
      {
        config: { permission: 'care:visit:read' },
        schema: {
          tags,
          summary: '逾期未随访名单 XLSX（每个乡镇一张表）/ overdue visits as XLSX',
          querystring: z
            .object({ asOf: isoDate.optional(), regionCode: regionCode.optional() })
            .strict(),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const r = await service.overdue(actor, request.query.asOf, request.query.regionCode);
        const file = await overdueXlsx(actor, r.asOf, r.rows);
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', `attachment; filename="care-overdue-${r.asOf}.xlsx"`)
          .send(file);
      },
    );

    app.get(
      `${P}/summary`,
      {
        config: { permission: 'care:summary:read' },
        schema: {
          tags,
          summary: '领导小组：各乡镇报告数（按状态）/ report counts by township and status',
          querystring: z
            .object({ year: z.coerce.number().int().min(2000).max(2100).optional() })
            .strict(),
          response: { 200: summaryView },
        },
      },
      async (request) => service.summary(actorOf(request), request.query.year),
    );
  };
