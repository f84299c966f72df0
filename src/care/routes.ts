/**
 * Family-doctor care under /api/v1/care (docs/care.md §7): contracts, follow-up records, the
 * month's lists, spot checks and the assessment. Thin: parse with zod, call the service.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../http/actor.ts';
import { isoDate, isoMonth, pageParam, rowIdParam } from '../http/fields.ts';
import { normalizeId } from '../kernel/idcard.ts';
import { HEALTH_STATUSES } from './core/followup.ts';
import type { CareService } from './service.ts';

const tags = ['care'];
export const CARE_BASE = '/api/v1/care';
const P = CARE_BASE;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const attachment = (name: string) =>
  `attachment; filename="${encodeURIComponent(name)}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const regionCode = z
  .string()
  .regex(/^\d{6}(\d{3}){0,2}$/)
  .describe('行政区划代码前缀（县6位、乡镇9位、村12位）');
export const fixmedinsCode = z
  .string()
  .regex(/^[A-Za-z0-9]{1,32}$/)
  .describe('定点医疗机构编号');
export const pageQuery = {
  page: pageParam,
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};
export const certnoParams = z.object({ certno: z.string().max(20) }).strict();
export const certnoOf = (t: string) => normalizeId(t, 'certno');
const idParams = z.object({ id: rowIdParam }).strict();
const text = (max: number) => z.string().trim().min(1).max(max);
const name = text(50);

const contractBody = z
  .object({
    doctor: name.describe('家庭医生'),
    team: name.describe('家庭医生团队'),
    fixmedinsCode,
    validFrom: isoDate,
    validTo: isoDate.nullish(),
  })
  .strict();

const followupBody = z
  .object({
    visitedOn: isoDate.describe('随访日期，不得晚于今天'),
    visitor: name.describe('随访人'),
    healthStatus: z.enum(HEALTH_STATUSES).describe('近期健康状况'),
    outpatientNeed: z.boolean().describe('是否有门诊就医需求'),
    suspectedDisease: z
      .string()
      .min(1)
      .max(16)
      .nullish()
      .describe('疑似新发慢特病病种编码：发起（或关联）申请'),
    suspectedDiagnosis: z.string().min(1).max(20).nullish().describe('疑似诊断 ICD-10'),
    medication: z.string().max(500).nullish().describe('用药情况'),
    systolic: z.number().int().min(40).max(300).nullish().describe('收缩压 mmHg'),
    diastolic: z.number().int().min(20).max(200).nullish().describe('舒张压 mmHg'),
    glucose: z.number().min(0.5).max(60).nullish().describe('血糖 mmol/L'),
    note: z.string().max(1000).nullish(),
  })
  .strict();

const spotCheckBody = z
  .object({
    checkedOn: isoDate,
    month: isoMonth.optional().describe('核查的记录月份，默认随访当月'),
    finding: z.enum(['accurate', 'missing_record', 'inaccurate_record']),
    note: z.string().max(1000).nullish(),
    correction: z.string().max(1000).nullish().describe('督促整改要求（发现问题时必填）'),
    correctionDue: isoDate.nullish(),
  })
  .strict();

export function careRoutes(service: CareService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      `${P}/persons/:certno`,
      {
        config: { permission: 'care:followup:read' },
        schema: {
          tags,
          summary: '签约、随访记录及上门随访 / a person’s care record',
          params: certnoParams,
        },
      },
      async (request) => service.personCare(actorOf(request), certnoOf(request.params.certno)),
    );

    app.post(
      `${P}/persons/:certno/contracts`,
      {
        config: { permission: 'care:contract:update' },
        schema: {
          tags,
          summary: '家庭医生签约 / sign a contract',
          params: certnoParams,
          body: contractBody,
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await service.createContract(
              actorOf(request),
              certnoOf(request.params.certno),
              request.body,
            ),
          ),
    );

    app.post(
      `${P}/contracts/:id/end`,
      {
        config: { permission: 'care:contract:update' },
        schema: {
          tags,
          summary: '解约 / end a contract',
          params: idParams,
          body: z.object({ validTo: isoDate, reason: text(200) }).strict(),
        },
      },
      async (request) =>
        service.endContract(
          actorOf(request),
          request.params.id,
          request.body.validTo,
          request.body.reason,
        ),
    );

    app.get(
      `${P}/uncontracted`,
      {
        config: { permission: 'care:contract:read' },
        schema: {
          tags,
          summary: '未签约的困难人员 / poverty-category people without a contract',
          querystring: z.object({ regionCode: regionCode.optional(), ...pageQuery }).strict(),
        },
      },
      async (request) => {
        const { page, pageSize, ...filter } = request.query;
        return service.uncontracted(actorOf(request), filter, { page, pageSize });
      },
    );

    app.post(
      `${P}/persons/:certno/followups`,
      {
        config: { permission: 'care:followup:create' },
        schema: {
          tags,
          summary: '填写慢性病动态管理记录单 / record a monthly follow-up',
          params: certnoParams,
          body: followupBody,
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await service.recordFollowup(
              actorOf(request),
              certnoOf(request.params.certno),
              request.body,
            ),
          ),
    );

    app.get(
      `${P}/months/:month`,
      {
        config: { permission: 'care:followup:read' },
        schema: {
          tags,
          summary:
            '本月应随访名单：已记录、待随访、逾期 / who is due, recorded or overdue in a month',
          params: z.object({ month: isoMonth }).strict(),
          querystring: z
            .object({
              regionCode: regionCode.optional(),
              fixmedinsCode: fixmedinsCode.optional(),
              doctor: name.optional(),
              team: name.optional(),
              status: z.enum(['recorded', 'missing']).optional(),
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
      `${P}/months/:month/summary`,
      {
        config: { permission: 'care:followup:read' },
        schema: {
          tags,
          summary: '按乡镇、机构、医生、团队统计 / counts per township, institution, doctor, team',
          params: z.object({ month: isoMonth }).strict(),
          querystring: z.object({ regionCode: regionCode.optional() }).strict(),
        },
      },
      async (request) =>
        service.monthSummary(actorOf(request), request.params.month, request.query),
    );

    app.post(
      `${P}/persons/:certno/spot-checks`,
      {
        config: { permission: 'care:spotcheck:create' },
        schema: {
          tags,
          summary: '医保局上门随访及督促整改 / a spot check and the correction asked for',
          params: certnoParams,
          body: spotCheckBody,
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await service.spotCheck(
              actorOf(request),
              certnoOf(request.params.certno),
              request.body,
            ),
          ),
    );

    app.get(
      `${P}/spot-checks`,
      {
        config: { permission: 'care:spotcheck:read' },
        schema: {
          tags,
          summary: '上门随访及整改 / spot checks and corrections',
          querystring: z
            .object({
              open: z.enum(['true', 'false']).optional().describe('true：整改未销号'),
              fixmedinsCode: fixmedinsCode.optional(),
              ...pageQuery,
            })
            .strict(),
        },
      },
      async (request) => {
        const { page, pageSize, open, fixmedinsCode: code } = request.query;
        return service.spotChecks(
          actorOf(request),
          { open: open === undefined ? undefined : open === 'true', fixmedinsCode: code },
          { page, pageSize },
        );
      },
    );

    app.post(
      `${P}/spot-checks/:id/close`,
      {
        config: { permission: 'care:spotcheck:create' },
        schema: {
          tags,
          summary: '整改销号 / close a correction',
          params: idParams,
          body: z.object({ closedOn: isoDate, note: text(500) }).strict(),
        },
      },
      async (request) =>
        service.closeCorrection(
          actorOf(request),
          request.params.id,
          request.body.closedOn,
          request.body.note,
        ),
    );

    const yearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict();
    app.get(
      `${P}/assessment`,
      {
        config: { permission: 'care:assessment:read' },
        schema: {
          tags,
          summary: '年度考核（机构、团队）/ the year-end assessment',
          querystring: yearQuery,
        },
      },
      async (request) => service.assessment(actorOf(request), request.query.year),
    );

    app.get(
      `${P}/assessment.xlsx`,
      {
        config: { permission: 'care:assessment:read' },
        schema: { tags, summary: '年度考核 XLSX / the assessment as XLSX', querystring: yearQuery },
      },
      async (request, reply) => {
        const file = await service.assessmentXlsx(actorOf(request), request.query.year);
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(file.fileName))
          .send(file.content);
      },
    );
  };
}
