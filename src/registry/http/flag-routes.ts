/** Adding an identity flag and ending one (exit, cancellation, correction), with a reason. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../../db/db.ts';
import { actorOf } from '../../http/actor.ts';
import { registryContext } from '../service/context.ts';
import { addFlag, endFlagFor } from '../service/flags.ts';
import { certnoOf, certnoParams, endFlagBody, flagBody, flagParams } from './requests.ts';
import { recordView, writtenView } from './views.ts';

const tags = ['registry'];

export const flagRoutes =
  (db: Db, now: () => Date): FastifyPluginAsyncZod =>
  async (app) => {
    const ctx = registryContext(db, now);

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
        return writtenView(
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
        return writtenView(
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
