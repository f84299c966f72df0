/**
 * What a hospital window or integrator sends to settle, cancel or pre-settle a bill. Amounts are
 * yuan at this edge (docs/settlement.md §1). The zod schemas document the API and refuse unknown
 * fields; the bill's own rules (overLimit above amount, codes, dates) are checked by `readBill`,
 * which names the field in a 422.
 */
import { z } from 'zod';
import { normalizeId } from '../../kernel/idcard.ts';
import { unprocessable } from '../../kernel/errors.ts';
import type { Bill } from '../bill.ts';
import { readBill } from '../bill-read.ts';
import { YUAN_UNITS } from '../trial-input.ts';

const yuan = z.union([z.number(), z.string()]);

export const billLineSchema = z
  .object({
    amount: yuan.describe('金额（元）/ amount in yuan'),
    class: z.enum(['A', 'B', 'C']).describe('甲类 A / 乙类 B / 丙类 C'),
    overLimit: yuan.nullish().describe('超限价自费（元）'),
    selfPayRatio: z.number().nullish().describe('先行自付比例，0.1 = 10%'),
  })
  .strict();

export const billSchema = z
  .object({
    date: z.string().describe('结算或出院日期 YYYY-MM-DD'),
    visitType: z.enum(['inpatient', 'general_outpatient', 'chronic_outpatient', 'two_diseases']),
    hospitalLevel: z.number().int(),
    diagnosis: z.string().describe('主诊断 ICD-10'),
    remote: z.enum(['filed', 'unfiled']).nullish().describe('异地就医：null 本地'),
    lines: z.array(billLineSchema).min(1),
  })
  .strict();

const msgid = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.:-]+$/)
  .describe(
    '客户端报文ID，重复提交返回首次结果 / client message id: a repeat gets the first answer',
  );

export const settleBodySchema = z
  .object({
    msgid,
    certno: z.string().describe('身份证号 / ID number (15 or 18 digits)'),
    fixmedinsCode: z.string().max(32).nullish().describe('定点医药机构编号'),
    bill: billSchema,
  })
  .strict();

export const presettleBodySchema = settleBodySchema.extend({ msgid: msgid.optional() }).strict();

export const cancelBodySchema = z
  .object({
    msgid,
    reason: z.string().trim().min(1).max(500).describe('撤销原因（必填）/ why (required)'),
  })
  .strict();

export type SettleBody = z.infer<typeof settleBodySchema>;
export type CancelBody = z.infer<typeof cancelBodySchema>;

export interface SettleRequest {
  msgid: string | null;
  certno: string;
  fixmedinsCode: string | null;
  bill: Bill;
}

export function readSettleRequest(body: z.infer<typeof presettleBodySchema>): SettleRequest {
  return {
    msgid: body.msgid ?? null,
    certno: normalizeId(body.certno, 'certno'),
    fixmedinsCode: body.fixmedinsCode ?? null,
    bill: readBill(body.bill, 'bill', YUAN_UNITS),
  };
}

export function requireReason(reason: string | undefined): string {
  const r = reason?.trim();
  if (!r) {
    throw unprocessable(
      'settlement.reason_required',
      'reason',
      '撤销结算必须填写原因',
      'a cancellation needs a reason',
    );
  }
  return r;
}
