/**
 * Persistent settlement routes: pre-settle, settle, cancel, query, accumulators, and the one bill.
 * Every route declares the permission it needs; the auth plugin enforces it.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rowIdParam } from '../../http/fields.ts';
import { actorOf } from '../../http/actor.ts';
import { normalizeId } from '../../kernel/idcard.ts';
import {
  isPsychiatricDiagnosis,
  isSensitiveCategory,
  maskCategories,
  mayReadSensitive,
} from '../../kernel/access/masking.ts';
import {
  cancelBodySchema,
  presettleBodySchema,
  readSettleRequest,
  settleBodySchema,
} from './request.ts';
import type { SettlementService } from './service.ts';
import {
  hideExplain,
  settlementViewJson,
  settlementViewSchema,
  toView,
  viewFor,
  type SettlementView,
} from './view.ts';
import { AMOUNT_FIELDS, explainJson } from '../trial-answer.ts';
import { oneBillHtml } from '../one-bill/html.ts';
import { oneBillPdf } from '../one-bill/pdf.ts';
import { fenToYuanNumber } from '../../kernel/money.ts';

const idParams = z.object({ id: rowIdParam }).strict();
const tags = ['settlement'];
/** The routes that answer with one settlement write it with settlementViewJson. */
const viewSerializer = () => (data: unknown) => settlementViewJson(data as SettlementView);

export const settlementRoutes =
  (service: SettlementService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/v1/settlements/presettle',
      {
        config: { permission: 'settlement:bill:settle' },
        schema: {
          tags,
          summary: '预结算：计算各层待遇，不写入 / pre-settle: compute every tier, write nothing',
          body: presettleBodySchema,
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const req = readSettleRequest(request.body);
        const answer = await service.presettle(actor, req);
        const amounts: Record<string, number> = {};
        for (const f of AMOUNT_FIELDS) amounts[f] = fenToYuanNumber(answer.settlement.amounts[f]);
        const sensitive =
          isPsychiatricDiagnosis(req.bill.diagnosis) || answer.categories.some(isSensitiveCategory);
        const explain = answer.settlement.explain.map(explainJson);
        return {
          pack: answer.pack,
          categories: maskCategories(actor, answer.categories),
          amounts,
          explain: sensitive && !mayReadSensitive(actor) ? explain.map(hideExplain) : explain,
        };
      },
    );

    app.post(
      '/api/v1/settlements',
      {
        config: { permission: 'settlement:bill:settle' },
        schema: {
          tags,
          summary: '结算（按报文ID幂等）/ settle (idempotent by msgid)',
          body: settleBodySchema,
          response: { 200: settlementViewSchema },
        },
        serializerCompiler: viewSerializer,
      },
      async (request) => {
        const actor = actorOf(request);
        return viewFor(actor, await service.settle(actor, readSettleRequest(request.body)));
      },
    );

    app.post(
      '/api/v1/settlements/:id/cancel',
      {
        config: { permission: 'settlement:bill:cancel' },
        schema: {
          tags,
          summary: '结算撤销（冲销），须填原因 / cancel a settlement, with a reason',
          params: idParams,
          body: cancelBodySchema,
          response: { 200: settlementViewSchema },
        },
        serializerCompiler: viewSerializer,
      },
      async (request) => {
        const actor = actorOf(request);
        return viewFor(
          actor,
          await service.cancel(actor, request.params.id, request.body.msgid, request.body.reason),
        );
      },
    );

    app.get(
      '/api/v1/settlements/:id',
      {
        config: { permission: 'settlement:bill:read' },
        schema: {
          tags,
          summary: '查询结算 / one settlement',
          params: idParams,
          response: { 200: settlementViewSchema },
        },
        serializerCompiler: viewSerializer,
      },
      async (request) => {
        const actor = actorOf(request);
        return viewFor(actor, toView(await service.row(actor, request.params.id)));
      },
    );

    app.get(
      '/api/v1/settlements/:id/bill.html',
      {
        config: { permission: 'settlement:bill:read' },
        schema: { tags, summary: '一单式结算单（HTML）/ the one bill as HTML', params: idParams },
      },
      async (request, reply) => {
        const bill = await service.oneBill(actorOf(request), request.params.id);
        return reply.type('text/html; charset=utf-8').send(oneBillHtml(bill));
      },
    );

    app.get(
      '/api/v1/settlements/:id/bill.pdf',
      {
        config: { permission: 'settlement:bill:read' },
        schema: { tags, summary: '一单式结算单（PDF）/ the one bill as PDF', params: idParams },
      },
      async (request, reply) => {
        const bill = await service.oneBill(actorOf(request), request.params.id);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${bill.reference}.pdf"`)
          .send(await oneBillPdf(bill));
      },
    );

    app.get(
      '/api/v1/persons/:certno/accumulators',
      {
        config: { permission: 'settlement:accumulator:read' },
        schema: {
          tags,
          summary: '年度累计 / year-to-date accumulators of a person',
          params: z.object({ certno: z.string() }).strict(),
          querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict(),
        },
      },
      async (request) => {
        const certno = normalizeId(request.params.certno, 'certno');
        return service.accumulators(actorOf(request), certno, request.query.year);
      },
    );
  };
