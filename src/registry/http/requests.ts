/**
 * What the registry API accepts. zod checks shapes and formats (a 400 naming the field); the
 * field parsers (fields.ts) and the rules check meaning (400/409/422 naming the field). Amounts
 * are yuan at this edge.
 */
import { z } from 'zod';
import { isoDate, isoMonth, pageParam, rowIdParam } from '../../http/fields.ts';
import { normalizeId } from '../../kernel/idcard.ts';
import { CATEGORIES } from '../../kernel/categories.ts';
import { CONTRIBUTION_TYPES, SCHEMES } from '../model.ts';

export { isoDate };
export const month = isoMonth;
const reason = z.string().min(1).max(500).describe('变更原因 / why (kept with the version)');
const yuan = z.union([z.number(), z.string()]).describe('元 / yuan');

export const certnoParams = z.object({ certno: z.string().max(20) }).strict();

/** The normalised ID number of a `/persons/:certno/...` route (15 digits upgraded, x folded). */
export const certnoOf = (p: { certno: string }) => normalizeId(p.certno, 'certno');
export const flagParams = z
  .object({
    certno: z.string().max(20),
    flagId: rowIdParam,
  })
  .strict();

export const searchQuery = z
  .object({
    certno: z.string().max(20).optional().describe('身份证号，18位或15位'),
    name: z.string().max(20).optional().describe('姓名（汉字，含相似姓名）或拼音首字母'),
    region: z.string().max(12).optional().describe('行政区划代码前缀'),
    page: pageParam,
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

export const exportQuery = searchQuery.omit({ page: true, pageSize: true });

export const asOfQuery = z
  .object({
    asOf: isoDate.optional().describe('登记库当日状态 / the registry as it stood that day'),
  })
  .strict();

export const createPersonBody = z
  .object({
    certno: z.string().max(20),
    name: z.string().max(40),
    regionCode: z.string().regex(/^\d{12}$/),
    householdId: z.string().max(40).nullish(),
    phone: z.string().max(20).nullish(),
    reason,
  })
  .strict();

export const patchPersonBody = z
  .object({
    name: z.string().max(40).optional(),
    regionCode: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
    householdId: z.string().max(40).optional(),
    phone: z.string().max(20).optional(),
    reason,
  })
  .strict();

export const deathBody = z.object({ deathDate: isoDate, reason }).strict();
export const missingBody = z
  .object({ since: isoDate, familyKeepsLooking: z.boolean(), reason })
  .strict();
export const reasonBody = z.object({ reason }).strict();

export const flagBody = z
  .object({
    category: z.enum(CATEGORIES),
    from: month,
    to: month.nullish(),
    source: z.string().max(40).nullish(),
    evidenceNo: z.string().max(100).nullish(),
    recognisedOn: isoDate.nullish(),
    reason,
  })
  .strict();

export const endFlagBody = z
  .object({
    month: month.describe('标识最后有效的月份 / the last month the flag holds'),
    endReason: z.enum(['exit', 'cancellation', 'correction']),
    reason,
  })
  .strict();

export const enrolBody = z
  .object({
    year: z.number().int().min(1998).max(2100),
    scheme: z.enum(SCHEMES),
    contributionType: z.enum(CONTRIBUTION_TYPES),
    contribution: yuan.default(0),
    fundedAmount: yuan.default(0),
    funder: z.string().max(60).nullish(),
    enrolledOn: isoDate,
    reason,
  })
  .strict();

export const employeeStopBody = z
  .object({
    stoppedFrom: month.describe('职工医保不再覆盖的第一个月 / first month without employee cover'),
    reason,
  })
  .strict();

export const refundBody = z.object({ year: z.number().int().min(1998).max(2100), reason }).strict();

export const ledgerQuery = z.object({ year: z.coerce.number().int().min(1998).max(2100) }).strict();
