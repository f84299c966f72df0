/**
 * The answer of the settlement API, built from the stored row only, so a repeated message id gets
 * exactly the first answer. Amounts are yuan at this edge (settlement.md §1).
 */
import { z } from 'zod';
import { fenToYuanNumber } from '../../kernel/money.ts';
import { AMOUNT_FIELDS, explainJson, explainSchema } from '../trial-answer.ts';
import type { SettlementRow } from './repository.ts';

export const settlementViewSchema = z.object({
  settlementId: z.number().int(),
  kind: z.enum(['settle', 'cancel']),
  status: z.enum(['settled', 'cancelled', 'cancellation']),
  msgid: z.string(),
  certno: z.string(),
  originalId: z.number().int().nullable(),
  cancelledBy: z.number().int().nullable(),
  fixmedinsCode: z.string().nullable(),
  date: z.string(),
  visitType: z.string(),
  hospitalLevel: z.number().int(),
  diagnosis: z.string(),
  remote: z.string().nullable(),
  pack: z.string(),
  categories: z.array(z.string()),
  amounts: z.record(z.string(), z.number()),
  backstopProgramme: z.string().nullable(),
  explain: z.array(explainSchema),
  reason: z.string().nullable(),
  createdAt: z.string(),
});
export type SettlementView = z.infer<typeof settlementViewSchema>;

export function toView(row: SettlementRow): SettlementView {
  const amounts: Record<string, number> = {};
  for (const f of AMOUNT_FIELDS) amounts[f] = fenToYuanNumber(row[f]);
  return {
    settlementId: row.settlement_id,
    kind: row.kind,
    status: row.kind === 'cancel' ? 'cancellation' : row.cancelled_by ? 'cancelled' : 'settled',
    msgid: row.msgid,
    certno: row.certno,
    originalId: row.original_id,
    cancelledBy: row.cancelled_by,
    fixmedinsCode: row.fixmedins_code,
    date: row.bill_date,
    visitType: row.visit_type,
    hospitalLevel: row.hospital_level,
    diagnosis: row.diagnosis,
    remote: row.remote,
    pack: row.pack,
    categories: row.categories,
    amounts,
    backstopProgramme: row.backstop_programme,
    explain: row.explain.map(explainJson),
    reason: row.reason,
    createdAt: row.created_at,
  };
}
