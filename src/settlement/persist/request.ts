/**
 * What a hospital window or integrator sends to settle, cancel or pre-settle a bill. Amounts are
 * yuan at this edge (docs/settlement.md §1). The zod schemas document the API and refuse unknown
 * fields; the bill's own rules (overLimit above amount, codes, dates) are checked by `readBill`,
 * which names the field in a 422.
 */
import { z } from 'zod';
import { normalizeId } from '../../kernel/idcard.ts';
import { unprocessable } from '../../kernel/errors.ts';
import { int4Body } from '../../http/fields.ts';
import { readRequestBill, type RequestBill } from '../bill-read.ts';
import { YUAN_UNITS } from '../bill-read.ts';
import { readStay, type Stay } from './stay.ts';
import type { BillChannel } from '../post-tier-rules.ts';

const yuan = z.union([z.number(), z.string()]);

export const billLineSchema = z
  .object({
    amount: yuan.describe('金额（元）/ amount in yuan'),
    class: z.enum(['A', 'B', 'C']).describe('甲类 A / 乙类 B / 丙类 C'),
    overLimit: yuan.nullish().describe('超限价自费（元）'),
    selfPayRatio: z.number().nullish().describe('先行自付比例，0.1 = 10%'),
    itemCode: z
      .string()
      .max(50)
      .nullish()
      .describe('医保目录编码 med_list_codg（门诊两病须为两病用药目录内药品）'),
    days: int4Body
      .nullish()
      .describe('处方天数（门诊两病最长 60 天）/ days the prescription covers'),
  })
  .strict();

export const billSchema = z
  .object({
    date: z.string().describe('结算或出院日期 YYYY-MM-DD'),
    visitType: z.enum(['inpatient', 'general_outpatient', 'chronic_outpatient', 'two_diseases']),
    hospitalLevel: z
      .number()
      .int()
      .nullish()
      .describe(
        '医院等级：取登记的定点医药机构等级；填写时须与之一致 / optional: the registered level',
      ),
    diagnosis: z.string().describe('主诊断 ICD-10'),
    remote: z.enum(['filed', 'unfiled']).nullish().describe('异地就医：null 本地'),
    lines: z.array(billLineSchema).min(1),
    admissionDate: z
      .string()
      .nullish()
      .describe('住院：入院日期 YYYY-MM-DD（按床日付费用）/ inpatient: admission date'),
    dischargeDate: z
      .string()
      .nullish()
      .describe('住院：出院日期，即结算日期 / inpatient: discharge date, the bill date'),
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
    fixmedinsCode: z
      .string()
      .max(32)
      .nullish()
      .describe(
        '定点医药机构编号（须已登记；医院账号可省略，即本机构）/ the registered institution (an institution account: its own)',
      ),
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
  /** The institution the bill is settled for; its registered level is the bill's. */
  fixmedinsCode: string | null;
  bill: RequestBill;
  /** An inpatient stay's dates (docs/payment.md §3); null when the request gives none. */
  stay?: Stay | null;
  /**
   * Where the bill comes from when another domain settles it (not part of the API body): a care
   * delivery's drugs (docs/care.md §8), which a post-tier rule may name.
   */
  channel?: BillChannel | null;
}

export function readSettleRequest(body: z.infer<typeof presettleBodySchema>): SettleRequest {
  const { admissionDate, dischargeDate, ...rest } = body.bill;
  const bill = readRequestBill(rest, 'bill', YUAN_UNITS);
  return {
    msgid: body.msgid ?? null,
    certno: normalizeId(body.certno, 'certno'),
    fixmedinsCode: body.fixmedinsCode ?? null,
    bill,
    stay: readStay({ admissionDate, dischargeDate }, bill, 'bill'),
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
