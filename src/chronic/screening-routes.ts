/**
 * Screening routes (摸底排查, /api/v1/chronic): run a screening, read runs and their people per
 * township, export the list as XLSX, record visits and reasons for not applying, and the funnel
 * (docs/chronic.md §5, §6). Thin: zod parses, the service decides, views mask per reader.
 */
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isoDate, pageParam, rowIdParam } from '../http/fields.ts';
import { actorOf } from '../http/actor.ts';
import { normalizeId } from '../kernel/idcard.ts';
import { CATEGORIES } from '../policy/index.ts';
import { NOT_APPLYING_REASONS, PERSON_STATUSES } from './core/screening.ts';
import type { ScreeningService } from './screening-service.ts';

const tags = ['chronic'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BASE = '/api/v1/chronic';

const regionCode = z
  .string()
  .regex(/^\d{6}(\d{3}){0,2}$/)
  .describe('行政区划代码（县 6 位、乡镇 9 位、村 12 位）/ region code');
const pageSize = z.coerce.number().int().min(1).max(100).default(20);
const idParams = z.object({ id: rowIdParam }).strict();
const reason = z.enum(NOT_APPLYING_REASONS);

const criteriaView = z.object({
  periodFrom: z.string(),
  periodTo: z.string(),
  categories: z.array(z.string()),
  regionCode: z.string().nullable(),
  county: z.string(),
  pack: z.string(),
  severeMental: z.string().nullable(),
});

const screeningView = z.object({
  id: z.number().int(),
  periodFrom: z.string(),
  periodTo: z.string(),
  criteria: criteriaView,
  listed: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
});

const listedView = z.object({
  certno: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  townshipCode: z.string(),
  townshipName: z.string().nullable(),
  diseases: z.array(z.string()),
  diagnoses: z.array(z.string()),
  visitedOn: z.string().nullable(),
  notApplying: reason.nullable(),
  note: z.string().nullable(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string().nullable(),
  applicationId: z.number().int().nullable(),
  applicationStatus: z.string().nullable(),
  certified: z.boolean(),
  refused: z.boolean(),
});

export const funnelView = z.object({
  screeningId: z.number().int().nullable(),
  screened: z.number().int(),
  visited: z.number().int(),
  applied: z.number().int(),
  certified: z.number().int(),
  refused: z.number().int(),
  notApplying: z.object(
    Object.fromEntries(NOT_APPLYING_REASONS.map((r) => [r, z.number().int()])) as Record<
      (typeof NOT_APPLYING_REASONS)[number],
      z.ZodNumber
    >,
  ),
});

const attachment = (name: string) =>
  `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const screeningRoutes =
  (service: ScreeningService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      `${BASE}/screenings`,
      {
        config: { permission: 'chronic:screening:run' },
        schema: {
          tags,
          summary:
            '摸底排查：期间内有住院结算、诊断属目录病种而未持证的人员 / run a screening for people to visit',
          body: z
            .object({
              periodFrom: isoDate,
              periodTo: isoDate,
              categories: z
                .array(z.enum(CATEGORIES))
                .max(CATEGORIES.length)
                .optional()
                .describe('只排查期间内持有这些身份类别之一的人员'),
              regionCode: regionCode.optional(),
            })
            .strict(),
          response: { 201: screeningView },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await service.run(actorOf(request), request.body)),
    );

    app.get(
      `${BASE}/screenings`,
      {
        config: { permission: 'chronic:screening:read' },
        schema: {
          tags,
          summary: '摸底排查记录 / screening runs, newest first',
          querystring: z.object({ page: pageParam, pageSize }).strict(),
          response: { 200: z.object({ items: z.array(screeningView), total: z.number().int() }) },
        },
      },
      async (request) => service.list(actorOf(request), request.query),
    );

    app.get(
      `${BASE}/screenings/:id`,
      {
        config: { permission: 'chronic:screening:read' },
        schema: {
          tags,
          summary: '一次摸底排查 / one screening run',
          params: idParams,
          response: { 200: screeningView },
        },
      },
      async (request) => service.get(actorOf(request), request.params.id),
    );

    app.get(
      `${BASE}/screenings/:id/people`,
      {
        config: { permission: 'chronic:screening:read' },
        schema: {
          tags,
          summary: '排查名单（按乡镇、状态筛选）/ the people listed, by township and status',
          params: idParams,
          querystring: z
            .object({
              regionCode: regionCode.optional(),
              status: z.enum(PERSON_STATUSES).optional(),
              page: pageParam,
              pageSize,
            })
            .strict(),
          response: { 200: z.object({ items: z.array(listedView), total: z.number().int() }) },
        },
      },
      async (request) => {
        const { page, pageSize: size, ...filter } = request.query;
        return service.people(actorOf(request), request.params.id, filter, {
          page,
          pageSize: size,
        });
      },
    );

    app.get(
      `${BASE}/screenings/:id/export.xlsx`,
      {
        config: { permission: 'chronic:screening:read' },
        schema: {
          tags,
          summary: '排查名单 XLSX（每个乡镇一张表）/ the list as XLSX, one sheet per township',
          params: idParams,
          querystring: z.object({ regionCode: regionCode.optional() }).strict(),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const file = await service.exportXlsx(actor, request.params.id, request.query.regionCode);
        const body = new PassThrough();
        void file.write(body).catch((e: unknown) => body.destroy(e as Error));
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(file.fileName))
          .send(body);
      },
    );

    app.post(
      `${BASE}/screenings/:id/people/:certno/visit`,
      {
        config: { permission: 'chronic:screening:update' },
        schema: {
          tags,
          summary: '记录走访及未申请原因 / record a visit and why nobody applies',
          params: z.object({ id: rowIdParam, certno: z.string().max(20) }).strict(),
          body: z
            .object({
              visitedOn: isoDate,
              notApplying: reason.nullish().describe('未办理慢性病原因（种子 004 的四种）'),
              note: z.string().max(500).nullish(),
            })
            .strict(),
          response: { 200: listedView },
        },
      },
      async (request) =>
        service.visit(
          actorOf(request),
          request.params.id,
          normalizeId(request.params.certno, 'certno'),
          request.body,
        ),
    );

    app.get(
      `${BASE}/funnel`,
      {
        config: { permission: 'chronic:screening:read' },
        schema: {
          tags,
          summary:
            '排查漏斗：排查→走访→申请→办证→未通过，及未申请原因 / the screening funnel (latest run by default)',
          querystring: z
            .object({ screeningId: rowIdParam.optional(), regionCode: regionCode.optional() })
            .strict(),
          response: { 200: funnelView },
        },
      },
      async (request) => service.funnel(actorOf(request), request.query),
    );
  };
