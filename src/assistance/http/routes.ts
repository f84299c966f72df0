/**
 * The assistance API (/api/v1/assistance): programmes and their budgets, cards, alerts, the
 * year-end report, and batch assistance for hospitals outside one-stop settlement (upload,
 * disbursement file, township signature lists, confirmations). Every route declares its
 * permission; people-reading answers are within the caller's data scope.
 */
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../db/db.ts';
import { actorOf } from '../../http/actor.ts';
import { acceptUploads, rejectCollector, withUpload } from '../../http/upload.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import { invalid } from '../../kernel/errors.ts';
import { normalizeId } from '../../kernel/idcard.ts';
import { parseYuan } from '../../kernel/money.ts';
import { type PackCatalog, SettlementService } from '../../settlement/index.ts';
import { acknowledgeAlert, listAlerts } from '../budget.ts';
import { adoptCards } from '../card-adopt.ts';
import { getCard, listCards } from '../card-read.ts';
import { cardMissing, issueCard, reinstateCard, revokeCard, suspendCard } from '../cards.ts';
import { assistanceContext } from '../context.ts';
import { packDefaults, withDefaults } from '../pack-defaults.ts';
import { addProgramme, getProgramme, listProgrammes, updateProgramme } from '../programmes.ts';
import { yearEndReport } from '../report.ts';
import { reportXlsx } from '../report-xlsx.ts';
import { programmeStatus } from '../status.ts';
import { writeDisbursement, writeSignatureList } from '../batch/files.ts';
import {
  batchRejects,
  confirmPayment,
  getBatch,
  listBatches,
  paymentFor,
  paymentsOf,
} from '../batch/payments.ts';
import { runBatch, type BatchReject } from '../batch/run-batch.ts';
import * as rq from './requests.ts';
import { alertView, programmeView, reportView, statusView } from './views.ts';

const tags = ['assistance'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BASE = '/api/v1/assistance';

const attachment = (name: string) =>
  `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

const fenOf = (v: number | string | undefined, field: string) =>
  v === undefined ? undefined : parseYuan(v, field);

/** A bureau account's county: the first six digits of its region. */
function countyOf(actor: Actor, given: string | undefined): string {
  if (given) return given;
  if (actor.scope.kind !== 'system') return actor.scope.regionCode.slice(0, 6);
  throw invalid(
    'assistance.region_required',
    'regionCode',
    '请填写县级区划代码',
    'regionCode is required',
  );
}

export const assistanceRoutes =
  (
    db: Db,
    packs: PackCatalog,
    settlement: SettlementService,
    now: () => Date = () => new Date(),
  ): FastifyPluginAsyncZod =>
  async (app) => {
    await acceptUploads(app);
    const ctx = assistanceContext(db, now);

    // ---- programmes ------------------------------------------------------------------------

    app.get(
      `${BASE}/programmes`,
      {
        config: { permission: 'assistance:programme:read' },
        schema: {
          tags,
          summary: '救助项目及预算执行 / programmes and their budgets',
          querystring: rq.programmeQuery,
        },
      },
      async (request) => {
        const list = await listProgrammes(db, actorOf(request), request.query);
        const out = [];
        for (const p of list) out.push(statusView(await programmeStatus(db, p)));
        return out;
      },
    );

    app.post(
      `${BASE}/programmes`,
      {
        config: { permission: 'assistance:programme:update' },
        schema: {
          tags,
          summary: '新增救助项目（未填字段取政策包）/ register a programme',
          body: rq.newProgrammeBody,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const b = request.body;
        const regionCode = countyOf(actor, b.regionCode);
        const p = await addProgramme(
          db,
          actor,
          withDefaults(
            {
              regionCode,
              code: b.code,
              year: b.year,
              reason: b.reason,
              title: b.title,
              budget: fenOf(b.budget, 'budget'),
              tiers: b.tiers,
              eligibleCategories: b.eligibleCategories,
              cardCategory: b.cardCategory,
            },
            packDefaults(packs, regionCode, b.code, b.year),
          ),
        );
        return reply.code(201).send(statusView(await programmeStatus(db, p)));
      },
    );

    app.get(
      `${BASE}/programmes/:id`,
      {
        config: { permission: 'assistance:programme:read' },
        schema: { tags, summary: '救助项目 / one programme', params: rq.programmeParams },
      },
      async (request) =>
        statusView(
          await programmeStatus(db, await getProgramme(db, actorOf(request), request.params.id)),
        ),
    );

    app.patch(
      `${BASE}/programmes/:id`,
      {
        config: { permission: 'assistance:programme:update' },
        schema: {
          tags,
          summary: '调整预算或规则（须填原因）/ change budget or rules',
          params: rq.programmeParams,
          body: rq.programmePatchBody,
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { reason, budget, ...rest } = request.body;
        const p = await updateProgramme(
          db,
          actor,
          request.params.id,
          { ...rest, budget: fenOf(budget, 'budget') },
          reason,
        );
        return statusView(await programmeStatus(db, p));
      },
    );

    app.get(
      `${BASE}/programmes/:id/report`,
      {
        config: { permission: 'report:dashboard:read' },
        schema: {
          tags,
          summary: '年度报告（JSON 或 XLSX）/ year-end report',
          params: rq.programmeParams,
          querystring: rq.reportQuery,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const p = await getProgramme(db, actor, request.params.id);
        const r = await yearEndReport(db, actor, p);
        if (request.query.format === 'json') return reportView(r);
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(`${p.code}_${p.year}_年度报告.xlsx`))
          .send(await reportXlsx(r));
      },
    );

    // ---- cards -----------------------------------------------------------------------------

    app.get(
      `${BASE}/programmes/:id/cards`,
      {
        config: { permission: 'assistance:programme:read' },
        schema: {
          tags,
          summary: '救助卡 / cards',
          params: rq.programmeParams,
          querystring: rq.cardQuery,
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const p = await getProgramme(db, actor, request.params.id);
        const q = request.query;
        return listCards(db, actor, p, {
          ...q,
          certno: q.certno === undefined ? undefined : normalizeId(q.certno, 'certno'),
        });
      },
    );

    app.post(
      `${BASE}/programmes/:id/cards`,
      {
        config: { permission: 'assistance:programme:update' },
        schema: {
          tags,
          summary: '发放救助卡 / issue a card',
          params: rq.programmeParams,
          body: rq.issueCardBody,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const p = await getProgramme(db, actor, request.params.id);
        const b = request.body;
        const card = await issueCard(ctx, actor, p, {
          ...b,
          certno: normalizeId(b.certno, 'certno'),
        });
        return reply.code(201).send(card);
      },
    );

    app.post(
      `${BASE}/programmes/:id/cards/adopt`,
      {
        config: { permission: 'assistance:programme:update' },
        schema: {
          tags,
          summary: '登记已有持卡标识为救助卡 / adopt existing card flags',
          params: rq.programmeParams,
          body: rq.adoptBody,
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const p = await getProgramme(db, actor, request.params.id);
        return { adopted: await adoptCards(db, actor, p, request.body.reason) };
      },
    );

    app.get(
      `${BASE}/programmes/:id/cards/:cardId`,
      {
        config: { permission: 'assistance:programme:read' },
        schema: { tags, summary: '救助卡及其记录 / a card and its history', params: rq.cardParams },
      },
      async (request) => {
        const actor = actorOf(request);
        const p = await getProgramme(db, actor, request.params.id);
        const card = await getCard(db, actor, p, request.params.cardId);
        if (!card) throw cardMissing(request.params.cardId);
        return card;
      },
    );

    for (const action of ['suspend', 'revoke'] as const) {
      app.post(
        `${BASE}/programmes/:id/cards/:cardId/${action}`,
        {
          config: { permission: 'assistance:programme:update' },
          schema: {
            tags,
            summary:
              action === 'suspend' ? '暂停救助卡 / suspend a card' : '注销救助卡 / revoke a card',
            params: rq.cardParams,
            body: rq.endCardBody,
          },
        },
        async (request) => {
          const actor = actorOf(request);
          await getProgramme(db, actor, request.params.id);
          const end = action === 'suspend' ? suspendCard : revokeCard;
          return end(ctx, actor, request.params.cardId, request.body);
        },
      );
    }

    app.post(
      `${BASE}/programmes/:id/cards/:cardId/reinstate`,
      {
        config: { permission: 'assistance:programme:update' },
        schema: {
          tags,
          summary: '恢复救助卡 / reinstate a card',
          params: rq.cardParams,
          body: rq.reinstateCardBody,
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const p = await getProgramme(db, actor, request.params.id);
        return reinstateCard(ctx, actor, p, request.params.cardId, request.body);
      },
    );

    // ---- alerts ----------------------------------------------------------------------------

    app.get(
      `${BASE}/alerts`,
      {
        config: { permission: 'assistance:programme:read' },
        schema: { tags, summary: '预算提醒 / budget alerts', querystring: rq.alertQuery },
      },
      async (request) => {
        const actor = actorOf(request);
        // Reading alerts is a check too: programme reads raise what is due first.
        for (const p of await listProgrammes(db, actor)) await programmeStatus(db, p);
        const alerts = await listAlerts(db, actor, { open: request.query.open === 'true' });
        return alerts.map((a) => ({ ...alertView(a), programme: programmeView(a.programme) }));
      },
    );

    app.post(
      `${BASE}/alerts/:alertId/acknowledge`,
      {
        config: { permission: 'assistance:programme:update' },
        schema: {
          tags,
          summary: '确认预算提醒 / acknowledge an alert',
          params: rq.alertParams,
          body: rq.acknowledgeBody,
        },
      },
      async (request) =>
        alertView(
          await acknowledgeAlert(
            db,
            actorOf(request),
            request.params.alertId,
            request.body.note ?? null,
          ),
        ),
    );

    // ---- batch assistance ------------------------------------------------------------------

    app.post(
      `${BASE}/batches`,
      {
        config: { permission: 'assistance:batch:run' },
        schema: {
          tags,
          summary:
            '导入非一站式医院结算数据，批量计算救助（multipart 字段 file）/ batch assistance',
          consumes: ['multipart/form-data'],
        },
      },
      async (request) =>
        withUpload(request, async (upload) => {
          const rejects = rejectCollector<BatchReject>();
          const r = await runBatch(db, settlement, actorOf(request), upload.path, {
            fileName: upload.fileName,
            format: upload.format,
            onReject: rejects.add,
          });
          return {
            ...r,
            payable: r.payable / 100,
            alerts: r.alerts.map(alertView),
            rejects: rejects.rows,
            rejectsTruncated: r.rejected > rejects.rows.length,
          };
        }),
    );

    app.get(
      `${BASE}/batches`,
      {
        config: { permission: 'assistance:batch:run' },
        schema: { tags, summary: '批次 / batches' },
      },
      async (request) =>
        (await listBatches(db, actorOf(request))).map((b) => ({ ...b, payable: b.payable / 100 })),
    );

    app.get(
      `${BASE}/batches/:batchId`,
      {
        config: { permission: 'assistance:batch:run' },
        schema: {
          tags,
          summary: '批次及拒绝的行 / a batch and its rejected rows',
          params: rq.batchParams,
        },
      },
      async (request) => {
        const b = await getBatch(db, actorOf(request), request.params.batchId);
        return { ...b, payable: b.payable / 100, rejects: await batchRejects(db, b.batchId) };
      },
    );

    app.get(
      `${BASE}/batches/:batchId/payments`,
      {
        config: { permission: 'assistance:programme:read' },
        schema: {
          tags,
          summary: '发放明细及签字确认 / payments and confirmations',
          params: rq.batchParams,
          querystring: rq.paymentQuery,
        },
      },
      async (request) => {
        const actor = actorOf(request);
        await getBatch(db, actor, request.params.batchId);
        const rows = await paymentsOf(db, actor, request.params.batchId, request.query);
        return rows.map((p) => ({ ...paymentFor(actor, p), amount: p.amount / 100 }));
      },
    );

    app.get(
      `${BASE}/batches/:batchId/disbursement`,
      {
        config: { permission: 'assistance:batch:run' },
        schema: {
          tags,
          summary: '社保卡发放文件（XLSX/CSV）/ disbursement file',
          params: rq.batchParams,
          querystring: rq.disbursementQuery,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const { batchId } = request.params;
        await getBatch(db, actor, batchId);
        const { format } = request.query;
        const body = new PassThrough();
        const chunks: Buffer[] = [];
        body.on('data', (c: Buffer) => chunks.push(c));
        await writeDisbursement(db, actor, batchId, format, body);
        return reply
          .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX)
          .header('content-disposition', attachment(`救助金发放_批次${batchId}.${format}`))
          .send(Buffer.concat(chunks));
      },
    );

    app.get(
      `${BASE}/batches/:batchId/signature-list`,
      {
        config: { permission: 'assistance:programme:read' },
        schema: {
          tags,
          summary: '分乡镇签字确认表（XLSX）/ signature lists per township',
          params: rq.batchParams,
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        const { batchId } = request.params;
        await getBatch(db, actor, batchId);
        const body = new PassThrough();
        const chunks: Buffer[] = [];
        body.on('data', (c: Buffer) => chunks.push(c));
        await writeSignatureList(db, actor, batchId, body);
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(`签字确认表_批次${batchId}.xlsx`))
          .send(Buffer.concat(chunks));
      },
    );

    app.post(
      `${BASE}/batches/:batchId/payments/:certno/confirm`,
      {
        config: { permission: 'assistance:batch:run' },
        schema: {
          tags,
          summary: '登记本人签字确认 / record a signed confirmation',
          params: rq.paymentParams,
          body: rq.confirmBody,
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { batchId } = request.params;
        await getBatch(db, actor, batchId);
        const certno = normalizeId(request.params.certno, 'certno');
        const p = await confirmPayment(db, actor, batchId, certno, request.body);
        return { ...paymentFor(actor, p), amount: p.amount / 100 };
      },
    );
  };
