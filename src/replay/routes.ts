/**
 * Policy replay's HTTP API under /api/v1/replays (docs/replay.md §6): parse, call the service,
 * answer. A replay of another county answers as one that does not exist.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/actor.ts';
import { rowIdParam } from '../http/fields.ts';
import { invalid } from '../kernel/errors.ts';
import { CATEGORIES, VISIT_TYPES } from '../policy/index.ts';
import type { ReplayService } from './service.ts';
import { replayXlsx } from './result-xlsx.ts';

const tags = ['replay'];
const P = '/api/v1/replays';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (name: string) =>
  `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

const idParams = z.object({ id: rowIdParam }).strict();

const startBody = z
  .object({
    pack: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
      .describe('草案或政策包名 / the draft (or pack) to replay'),
    year: z.number().int().min(2000).max(2100).describe('医保年度 / the medical year'),
    region: z
      .string()
      .regex(/^\d{6}(\d{3}(\d{3})?)?$/)
      .optional()
      .describe('乡镇或村（县内）/ a township or village of the county'),
    category: z.enum(CATEGORIES).optional().describe('只统计此身份类别的单据 / only bills of'),
    visitType: z.enum(VISIT_TYPES).optional().describe('只统计此就诊类型 / only visits of'),
  })
  .strict();

export const replayRoutes =
  (service: ReplayService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      P,
      {
        config: { permission: 'replay:run:read' },
        schema: { tags, summary: '政策模拟列表 / the replays' },
      },
      async (request) => ({ replays: await service.list(actorOf(request)) }),
    );

    app.post(
      P,
      {
        config: { permission: 'replay:run:create' },
        schema: {
          tags,
          summary: '开始政策模拟（后台运行）/ start a replay (runs in the background)',
          body: startBody,
        },
      },
      async (request, reply) => {
        const run = await service.start(actorOf(request), request.body);
        return reply.code(202).send(run);
      },
    );

    app.get(
      `${P}/:id`,
      {
        config: { permission: 'replay:run:read' },
        schema: {
          tags,
          summary: '模拟进度与结果 / a replay’s progress and results',
          params: idParams,
        },
      },
      async (request) => service.get(actorOf(request), request.params.id),
    );

    app.get(
      `${P}/:id/result.xlsx`,
      {
        config: { permission: 'replay:run:read' },
        schema: { tags, summary: '模拟结果（XLSX）/ the results as XLSX', params: idParams },
      },
      async (request, reply) => {
        const run = await service.get(actorOf(request), request.params.id);
        return reply
          .header('content-type', XLSX)
          .header(
            'content-disposition',
            attachment(`政策模拟_${run.id}_${run.pack}_${run.year}.xlsx`),
          )
          .send(await replayXlsx(run));
      },
    );

    app.get(
      `${P}/:id/explain`,
      {
        config: { permission: 'replay:run:read' },
        schema: {
          tags,
          summary: '一人各单据的两种结算说明 / a person’s bills explained under both packs',
          params: idParams,
          querystring: z
            .object({
              certno: z
                .string()
                .regex(/^\d{17}[\dX]$/)
                .optional(),
              ref: rowIdParam.optional().describe('结果中的 ref（结算ID）/ a result’s ref'),
            })
            .strict(),
        },
      },
      async (request) => {
        const { certno, ref } = request.query;
        if ((certno === undefined) === (ref === undefined)) {
          throw invalid(
            'replay.explain_who',
            'certno',
            '请给出 certno 或 ref 之一',
            'give one of certno or ref',
          );
        }
        const who = certno !== undefined ? { certno } : { settlementId: ref! };
        return service.explain(actorOf(request), request.params.id, who);
      },
    );

    app.post(
      `${P}/:id/cancel`,
      {
        config: { permission: 'replay:run:create' },
        schema: { tags, summary: '取消运行中的模拟 / cancel a running replay', params: idParams },
      },
      async (request) => service.cancel(actorOf(request), request.params.id),
    );

    app.delete(
      `${P}/:id`,
      {
        config: { permission: 'replay:run:create' },
        schema: { tags, summary: '删除模拟结果 / delete a replay', params: idParams },
      },
      async (request, reply) => {
        await service.remove(actorOf(request), request.params.id);
        return reply.code(204).send();
      },
    );
  };
