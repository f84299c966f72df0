/** Adding an identity flag and ending one (exit, cancellation, correction), with a reason. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Actor } from '../../auth/types.ts';
import type { Db } from '../../db/db.ts';
import { actorOf } from '../../http/actor.ts';
import { normalizeId } from '../../kernel/idcard.ts';
import type { PersonRecord } from '../model.ts';
import { registryContext } from '../service/context.ts';
import { addFlag, endFlagFor } from '../service/flags.ts';
import { certnoParams, endFlagBody, flagBody, flagParams } from './requests.ts';
import { recordView, toRecordView } from './views.ts';

const tags = ['registry'];

export const flagRoutes =
  (db: Db, now: () => Date): FastifyPluginAsyncZod =>
  async (app) => {
    const ctx = registryContext(db, now);
    const view = (actor: Actor, r: { record: PersonRecord }) => toRecordView(actor, r.record, null);
    const certnoOf = (p: { certno: string }) => normalizeId(p.certno, 'certno');

    app.post(
      '/api/v1/persons/:certno/flags',
      {
        config: { permission: 'registry:flag:create' },
        schema: {
          tags,
          summary: '新增身份标识 / add an identity flag',
          params: certnoParams,
          body: flagBody,
          response: { 200: recordView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const b = request.body;
        return view(
          actor,
          await addFlag(
            ctx,
            actor,
            certnoOf(request.params),
            {
              category: b.category,
              fromMonth: b.from,
              toMonth: b.to ?? null,
              source: b.source ?? null,
              evidenceNo: b.evidenceNo ?? null,
              recognisedOn: b.recognisedOn ?? null,
            },
            b.reason,
          ),
        );
      },
    );

    app.post(
      '/api/v1/persons/:certno/flags/:flagId/end',
      {
        config: { permission: 'registry:flag:update' },
        schema: {
          tags,
          summary: '中断标识：脱贫、取消低保特困、更正（免缴费认定保留）/ end a flag',
          params: flagParams,
          body: endFlagBody,
          response: { 200: recordView },
        },
      },
      async (request) => {
        const actor = actorOf(request);
        const b = request.body;
        return view(
          actor,
          await endFlagFor(
            ctx,
            actor,
            certnoOf(request.params),
            request.params.flagId,
            b.month,
            b.endReason,
            b.reason,
          ),
        );
      },
    );
  };
