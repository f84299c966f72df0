/**
 * Enrolment (green channel mid-year), the employee-to-resident switch and refunds, with a reason.
 * The refund cut-off is the pack's (refund-cutoff.ts), by the person's county and the year.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../db/db.ts';
import { actorOf } from '../../http/actor.ts';
import { registryContext } from '../service/context.ts';
import { z } from 'zod';
import { fenToYuanNumber, parseYuan } from '../../kernel/money.ts';
import { enrol, refundContribution, stopEmployeeInsurance } from '../service/enrolments.ts';
import type { RefundCutoffs } from '../service/refund-cutoff.ts';
import { certnoOf, certnoParams, employeeStopBody, enrolBody, refundBody } from './requests.ts';
import { recordView, writtenView } from './views.ts';

const tags = ['registry'];

export const enrolmentRoutes =
  (db: Db, now: () => Date, cutoffs: RefundCutoffs): FastifyPluginAsyncZod =>
  async (app) => {
    const ctx = registryContext(db, now);

    app.post(
      '/api/v1/persons/:certno/enrolments',
      {
        config: { permission: 'registry:person:update' },
        schema: {
          tags,
          summary: '参保登记（新认定人员年中参保走绿色通道）/ enrol (green channel mid-year)',
          params: certnoParams,
          body: enrolBody,
          response: { 200: recordView.extend({ greenChannel: z.boolean() }) },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const b = request.body;
        const r = await enrol(
          ctx,
          actor,
          certnoOf(request.params),
          {
            year: b.year,
            scheme: b.scheme,
            contributionType: b.contributionType,
            contribution: parseYuan(b.contribution, 'contribution'),
            fundedAmount: parseYuan(b.fundedAmount, 'fundedAmount'),
            funder: b.funder ?? null,
            enrolledOn: b.enrolledOn,
          },
          b.reason,
        );
        return { ...writtenView(actor, r), greenChannel: r.result.greenChannel };
      },
    );

    app.post(
      '/api/v1/persons/:certno/enrolments/employee-stop',
      {
        config: { permission: 'registry:person:update' },
        schema: {
          tags,
          summary: '职工医保中断：困难人员转居民医保免缴费 / employee insurance stopped',
          params: certnoParams,
          body: employeeStopBody,
          response: { 200: recordView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const { stoppedFrom, reason } = request.body;
        return writtenView(
          actor,
          await stopEmployeeInsurance(ctx, actor, certnoOf(request.params), stoppedFrom, reason),
        );
      },
    );

    app.post(
      '/api/v1/persons/:certno/refund',
      {
        config: { permission: 'registry:person:update' },
        schema: {
          tags,
          summary: '个人缴费退费或免缴费认定 / refund the contribution, or enrol fee-exempt',
          params: certnoParams,
          body: refundBody,
          response: {
            200: recordView.extend({
              decision: z.object({
                kind: z.enum(['refund', 'enrol_fee_exempt', 'no_refund']),
                amount: z.number().optional().describe('yuan'),
                basis: z.string().optional(),
                reason: z.string().optional(),
              }),
            }),
          },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const certno = certnoOf(request.params);
        const { year, reason } = request.body;
        const r = await refundContribution(ctx, actor, certno, year, reason, cutoffs);
        const d = r.result;
        const decision =
          d.kind === 'refund'
            ? { kind: d.kind, amount: fenToYuanNumber(d.amount), basis: d.basis }
            : d.kind === 'enrol_fee_exempt'
              ? { kind: d.kind, basis: d.basis }
              : { kind: d.kind, reason: d.reason };
        return { ...writtenView(actor, r), decision };
      },
    );
  };
