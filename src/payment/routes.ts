/**
 * Provider payment's HTTP API under /api/v1/payment (docs/payment.md §7–§9): parse, call the
 * service, answer. A designated institution sees its own statements, ledger and clearing rows
 * only; another institution answers as one that does not exist.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/actor.ts';
import { rowIdParam } from '../http/fields.ts';
import type { PaymentService } from './service.ts';
import { statementXlsx } from './statement-xlsx.ts';

const tags = ['payment'];
const P = '/api/v1/payment';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) =>
  `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

const year = z.coerce.number().int().min(2000).max(2100).describe('医保年度 / year');
const month = z.coerce.number().int().min(1).max(12).describe('月份 / month');
const institution = z
  .string()
  .regex(/^[A-Za-z0-9]{1,32}$/)
  .describe('定点医药机构编号 / fixmedins_code');
const monthQuery = z.object({ year, month }).strict();
const monthBody = z.object({ year, month }).strict();

export const paymentRoutes =
  (service: PaymentService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      `${P}/statements`,
      {
        config: { permission: 'payment:statement:read' },
        schema: {
          tags,
          summary: '月度结算清单（各机构，按支付方式）/ a month’s statements',
          querystring: monthQuery,
        },
      },
      async (request) =>
        service.statements(actorOf(request), request.query.year, request.query.month),
    );

    app.get(
      `${P}/statements/:fixmedinsCode`,
      {
        config: { permission: 'payment:statement:read' },
        schema: {
          tags,
          summary: '一个机构的月度结算清单（JSON 或 XLSX）/ one institution’s statement',
          params: z.object({ fixmedinsCode: institution }).strict(),
          querystring: monthQuery
            .extend({ format: z.enum(['json', 'xlsx']).default('json') })
            .strict(),
        },
      },
      async (request, reply) => {
        const { year: y, month: m, format } = request.query;
        const code = request.params.fixmedinsCode;
        const answer = await service.institutionStatement(actorOf(request), y, m, code);
        if (format === 'json') return answer;
        return reply
          .header('content-type', XLSX)
          .header(
            'content-disposition',
            attachment(`${code}_${y}-${String(m).padStart(2, '0')}_结算清单.xlsx`),
          )
          .send(await statementXlsx(answer));
      },
    );

    app.post(
      `${P}/months/close`,
      {
        config: { permission: 'payment:statement:close' },
        schema: {
          tags,
          summary: '月度结账（按月顺序，结账后不再改变）/ close a month',
          body: monthBody,
        },
      },
      async (request) =>
        service.closeMonth(actorOf(request), request.body.year, request.body.month),
    );

    app.post(
      `${P}/advances`,
      {
        config: { permission: 'payment:statement:close' },
        schema: { tags, summary: '发放月度预付款 / issue the month’s advances', body: monthBody },
      },
      async (request) => ({
        issued: await service.issueAdvances(
          actorOf(request),
          request.body.year,
          request.body.month,
        ),
      }),
    );

    app.get(
      `${P}/ledger/:fixmedinsCode`,
      {
        config: { permission: 'payment:statement:read' },
        schema: {
          tags,
          summary: '预付台账：预付、应得、余额 / the prepayment ledger',
          params: z.object({ fixmedinsCode: institution }).strict(),
          querystring: z.object({ year }).strict(),
        },
      },
      async (request) =>
        service.ledger(actorOf(request), request.params.fixmedinsCode, request.query.year),
    );

    app.get(
      `${P}/capitation`,
      {
        config: { permission: 'payment:statement:read' },
        schema: {
          tags,
          summary: '按人头打包付费逐年结果 / the capitation packages year by year',
          querystring: z.object({ from: year, to: year }).strict(),
        },
      },
      async (request) =>
        service.capitationReport(actorOf(request), request.query.from, request.query.to),
    );

    app.get(
      `${P}/capitation/balance`,
      {
        config: { permission: 'payment:statement:read' },
        schema: {
          tags,
          summary: '按人头打包的年内余额与转诊 / a capitation package’s running balance',
          querystring: z.object({ year }).strict(),
        },
      },
      async (request) => service.capitationBalance(actorOf(request), request.query.year),
    );

    app.get(
      `${P}/clearings`,
      {
        config: { permission: 'payment:statement:read' },
        schema: {
          tags,
          summary: '年终清算列表 / year-end clearings',
          querystring: z.object({ year: year.optional() }).strict(),
        },
      },
      async (request) => ({
        clearings: await service.clearings(actorOf(request), request.query.year ?? null),
      }),
    );

    app.get(
      `${P}/clearings/:id`,
      {
        config: { permission: 'payment:statement:read' },
        schema: {
          tags,
          summary: '年终清算（每步说明）/ a clearing, every step explained',
          params: z.object({ id: rowIdParam }).strict(),
        },
      },
      async (request) => service.clearing(actorOf(request), request.params.id),
    );

    app.post(
      `${P}/clearings`,
      {
        config: { permission: 'payment:clearing:create' },
        schema: {
          tags,
          summary: '年终清算（起草）/ draft a year-end clearing',
          body: z.object({ year }).strict(),
        },
      },
      async (request, reply) =>
        reply.code(201).send(await service.clear(actorOf(request), request.body.year)),
    );

    app.post(
      `${P}/clearings/:id/approve`,
      {
        config: { permission: 'payment:clearing:approve' },
        schema: {
          tags,
          summary: '审批年终清算 / approve a clearing',
          params: z.object({ id: rowIdParam }).strict(),
        },
      },
      async (request) => service.approve(actorOf(request), request.params.id),
    );

    app.post(
      `${P}/clearings/:id/reopen`,
      {
        config: { permission: 'payment:clearing:approve' },
        schema: {
          tags,
          summary: '重新打开已清算年度（留痕更正）/ reopen a cleared year',
          params: z.object({ id: rowIdParam }).strict(),
          body: z.object({ reason: z.string().trim().min(1).max(500) }).strict(),
        },
      },
      async (request) => service.reopen(actorOf(request), request.params.id, request.body.reason),
    );
  };
