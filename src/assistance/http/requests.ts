/** Request schemas of the assistance API (strict: unknown fields are refused). Money is yuan. */
import { z } from 'zod';
import { isoDate, isoMonth, offsetParam, rowIdParam } from '../../http/fields.ts';
import { CATEGORIES } from '../../policy/index.ts';
import { FUNDED_TIERS } from '../model.ts';

const yuan = z.union([z.number(), z.string()]).describe('金额（元）/ yuan');
const reason = z.string().trim().min(1).max(500).describe('原因（必填）/ why (required)');
const month = isoMonth.describe('YYYY-MM');
const title = z.object({ zh: z.string().min(1).max(100), en: z.string().min(1).max(200) }).strict();

export const programmeParams = z.object({ id: rowIdParam }).strict();
export const cardParams = z.object({ id: rowIdParam, cardId: rowIdParam }).strict();
export const batchParams = z.object({ batchId: rowIdParam }).strict();
export const paymentParams = z.object({ batchId: rowIdParam, certno: z.string() }).strict();
export const alertParams = z.object({ alertId: rowIdParam }).strict();

export const programmeQuery = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    code: z.string().max(64).optional(),
  })
  .strict();

export const newProgrammeBody = z
  .object({
    regionCode: z
      .string()
      .regex(/^\d{6}$/)
      .optional()
      .describe('县级区划；默认本账号所属县'),
    code: z.string().min(2).max(64).describe('项目代码，如 mental_disorder_backstop'),
    year: z.number().int().min(2000).max(2100),
    title: title.optional(),
    budget: yuan.optional().describe('年度预算（元）；默认取政策包'),
    tiers: z.array(z.enum(FUNDED_TIERS)).min(1).optional(),
    eligibleCategories: z.array(z.enum(CATEGORIES)).optional(),
    cardCategory: z.enum(CATEGORIES).nullable().optional(),
    reason,
  })
  .strict();

export const programmePatchBody = z
  .object({
    title: title.optional(),
    budget: yuan.optional(),
    tiers: z.array(z.enum(FUNDED_TIERS)).min(1).optional(),
    eligibleCategories: z.array(z.enum(CATEGORIES)).optional(),
    cardCategory: z.enum(CATEGORIES).nullable().optional(),
    reason,
  })
  .strict();

export const cardQuery = z
  .object({
    status: z.enum(['active', 'suspended', 'revoked']).optional(),
    certno: z.string().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: offsetParam,
  })
  .strict();

export const issueCardBody = z
  .object({
    certno: z.string(),
    fromMonth: month.optional().describe('起始月，默认本月'),
    cardNo: z.string().trim().min(1).max(40).optional(),
    reason,
  })
  .strict();

export const endCardBody = z
  .object({ lastMonth: month.optional().describe('最后有效月，默认本月'), reason })
  .strict();

export const reinstateCardBody = z
  .object({ fromMonth: month.optional().describe('恢复起始月'), reason })
  .strict();

export const adoptBody = z.object({ reason }).strict();

export const alertQuery = z.object({ open: z.enum(['true', 'false']).optional() }).strict();
export const acknowledgeBody = z.object({ note: z.string().max(500).optional() }).strict();

export const reportQuery = z.object({ format: z.enum(['json', 'xlsx']).default('json') }).strict();
export const disbursementQuery = z
  .object({ format: z.enum(['xlsx', 'csv']).default('xlsx') })
  .strict();
export const paymentQuery = z
  .object({
    township: z
      .string()
      .regex(/^\d{9}$/)
      .optional(),
  })
  .strict();

export const confirmBody = z
  .object({
    signedOn: isoDate.describe('本人签字日期'),
    note: z.string().max(500).optional(),
  })
  .strict();
