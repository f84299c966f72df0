/**
 * The national gateway's one route: `POST /fsi/api/rsfComIfsService/callService`, the address
 * hospital systems (HIS) already call on the national platform. Authenticated per designated
 * institution (bearer token of its account); the envelope's fixmedins_code must be the account's.
 * Business refusals are HTTP 200 with `infcode -1`, as on the platform.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/actor.ts';
import { GATEWAY_RATE_LIMIT } from '../http/hardening.ts';
import { answer } from './envelope.ts';
import { SUPPORTED_INFNOS, type GatewayService } from './service.ts';

/**
 * Calls a minute per client: the hardening default, or TRIGUARD_GATEWAY_RATE_MAX (a load test, a
 * county whose hospitals batch more).
 */
export function gatewayRateLimit(env: NodeJS.ProcessEnv = process.env) {
  const max = Number(env.TRIGUARD_GATEWAY_RATE_MAX);
  return Number.isInteger(max) && max > 0 ? { ...GATEWAY_RATE_LIMIT, max } : GATEWAY_RATE_LIMIT;
}

const envelopeSchema = z
  .object({
    infno: z.string().describe(`交易编号：${SUPPORTED_INFNOS.join(', ')}`),
    msgid: z.string().describe('报文ID，重复提交返回首次应答'),
    mdtrtarea_admvs: z.string().optional(),
    insuplc_admdvs: z.string().optional(),
    recer_sys_code: z.string().optional(),
    infver: z.string().optional(),
    opter_type: z.string().optional(),
    opter: z.string().optional(),
    opter_name: z.string().optional(),
    inf_time: z.string().optional(),
    fixmedins_code: z.string().describe('定点医药机构编号，须与登录凭证一致'),
    fixmedins_name: z.string().optional(),
    sign_no: z.string().optional(),
    input: z.record(z.string(), z.unknown()),
  })
  .passthrough()
  .describe('国家医保信息平台报文 / national platform envelope (docs/settlement.md §7)');

export const gatewayRoutes =
  (service: GatewayService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/fsi/api/rsfComIfsService/callService',
      {
        config: {
          permission: 'gateway:message:call',
          rateLimit: gatewayRateLimit(),
          // Every refusal, even before the handler runs, in the national envelope a HIS parses.
          errorAnswer: (e) =>
            answer(
              new Date(),
              null,
              e.field && !e.message.zh.startsWith(e.field)
                ? `${e.field}：${e.message.zh}`
                : e.message.zh,
            ),
        },
        schema: {
          tags: ['gateway'],
          summary: '国家医保接口 / national gateway: one message, one answer (infcode 0 / -1)',
          // Validated by the gateway itself, so a malformed message is answered infcode -1.
          body: z.unknown().describe(envelopeSchema.description ?? ''),
        },
      },
      async (request) => {
        try {
          return await service.call(actorOf(request), request.body);
        } catch (e) {
          request.log.error({ err: e }, 'gateway: unexpected error');
          return answer(new Date(), null, '系统内部错误，请联系医保经办机构');
        }
      },
    );
  };
