/**
 * Medicine delivered to the door under /api/v1/care (docs/care.md §8): the register, the monthly
 * delivery settled through the settlement engine, and the month's lists per township.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/actor.ts';
import { isoDate, isoMonth } from '../http/fields.ts';
import { DISABILITIES } from './core/delivery.ts';
import type { DeliveryService } from './delivery-service.ts';
import {
  attachment,
  CARE_BASE as P,
  certnoOf,
  certnoParams,
  fixmedinsCode,
  pageQuery,
  regionCode,
} from './routes.ts';

const tags = ['care'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const name = z.string().trim().min(1).max(50);

const eligibilityBody = z
  .object({
    disability: z.enum(DISABILITIES).describe('失能 disabled / 半失能 semi_disabled'),
    disease: z.string().min(1).max(16).describe('慢特病证病种编码，或两病 hypertension / diabetes'),
    diagnosis: z.string().min(1).max(20).describe('结算用诊断 ICD-10'),
    fixmedinsCode: fixmedinsCode.describe('送药的定点医疗机构（家庭医生所在卫生院）'),
    confirmedOn: isoDate.describe('家庭医生核实日期'),
    phone: z.string().max(20).nullish().describe('上门服务联系电话'),
  })
  .strict();

const deliveryBody = z
  .object({
    deliveredOn: isoDate,
    deliveredBy: name.describe('送药人'),
    confirmedBy: z.enum(['patient', 'guardian']).describe('签收：本人或监护人'),
    confirmerName: name,
    lines: z
      .array(
        z
          .object({
            itemCode: z.string().min(1).max(50).describe('医保目录编码（慢性病供药目录）'),
            amount: z.number().positive().max(100_000).describe('金额（元）'),
            days: z.number().int().min(1).max(90).describe('处方天数'),
            quantity: z.number().int().positive().max(10_000).nullish(),
          })
          .strict(),
      )
      .min(1)
      .max(20),
  })
  .strict();

const endBody = z
  .object({
    endedOn: isoDate.describe('最后一天'),
    reason: z.string().trim().min(1).max(200).describe('原因（康复、迁出、入院、本人不再需要…）'),
  })
  .strict();

const monthQuery = z
  .object({ regionCode: regionCode.optional(), status: z.enum(['due', 'done']).optional() })
  .strict();

export function deliveryRoutes(service: DeliveryService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      `${P}/persons/:certno/delivery-eligibility`,
      {
        config: { permission: 'care:delivery:create' },
        schema: {
          tags,
          summary: '家庭医生确认送医送药对象、发放联系卡 / confirm a person for delivery',
          params: certnoParams,
          body: eligibilityBody,
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await service.confirm(actorOf(request), certnoOf(request.params.certno), request.body),
          ),
    );

    app.post(
      `${P}/persons/:certno/delivery-eligibility/end`,
      {
        config: { permission: 'care:delivery:create' },
        schema: {
          tags,
          summary: '送医送药对象退出台帐 / end a person’s place on the delivery register',
          params: certnoParams,
          body: endBody,
        },
      },
      async (request) =>
        service.endEligibility(actorOf(request), certnoOf(request.params.certno), request.body),
    );

    app.get(
      `${P}/persons/:certno/deliveries`,
      {
        config: { permission: 'care:delivery:read' },
        schema: {
          tags,
          summary: '送药台帐及送药记录 / a person’s register entry and deliveries',
          params: certnoParams,
        },
      },
      async (request) =>
        service.personDeliveries(actorOf(request), certnoOf(request.params.certno)),
    );

    app.post(
      `${P}/persons/:certno/deliveries`,
      {
        config: { permission: 'care:delivery:create' },
        schema: {
          tags,
          summary: '登记本月送药上门并结算 / record and settle a month’s delivery',
          params: certnoParams,
          body: deliveryBody,
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await service.deliver(actorOf(request), certnoOf(request.params.certno), request.body),
          ),
    );

    app.get(
      `${P}/delivery-months/:month`,
      {
        config: { permission: 'care:delivery:read' },
        schema: {
          tags,
          summary: '本月应送、已送名单（按乡镇）/ deliveries due and done in a month',
          params: z.object({ month: isoMonth }).strict(),
          querystring: z
            .object({
              regionCode: regionCode.optional(),
              status: z.enum(['due', 'done']).optional(),
              ...pageQuery,
            })
            .strict(),
        },
      },
      async (request) => {
        const { page, pageSize, ...filter } = request.query;
        return service.month(actorOf(request), request.params.month, filter, { page, pageSize });
      },
    );

    app.get(
      `${P}/delivery-months/:month/register.xlsx`,
      {
        config: { permission: 'care:delivery:read' },
        schema: {
          tags,
          summary: '本月送医送药上门台帐 XLSX / the month’s delivery register as XLSX',
          params: z.object({ month: isoMonth }).strict(),
          querystring: monthQuery,
        },
      },
      async (request, reply) => {
        const file = await service.monthXlsx(actorOf(request), request.params.month, request.query);
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(file.fileName))
          .send(file.content);
      },
    );
  };
}
