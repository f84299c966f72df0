/**
 * The answer of the settlement API, built from the stored row only, so a repeated message id gets
 * exactly the first answer. Amounts are yuan at this edge (docs/settlement.md §1).
 */
import { z } from 'zod';
import {
  certnoFor,
  MASKED,
  isPsychiatricDiagnosis,
  isSensitiveCategory,
  maskCategories,
  maskDiagnosis,
  mayReadSensitive,
} from '../../kernel/access/masking.ts';
import { fenToYuanNumber } from '../../kernel/money.ts';
import { AMOUNT_FIELDS, explainJson, explainSchema } from '../trial-answer.ts';
import { explainListJson } from '../explain-json.ts';
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
  /** The post-tier steps (docs/settlement.md §9); present only when one applied. */
  postTier: z
    .array(
      z.object({
        kind: z.string(),
        code: z.string(),
        programme: z.string(),
        base: z.number(),
        ratio: z.number(),
        amount: z.number(),
        reference: z.string(),
        text: z.object({ zh: z.string(), en: z.string() }),
      }),
    )
    .optional(),
  explain: z.array(explainSchema),
  reason: z.string().nullable(),
  createdAt: z.string(),
});
export type SettlementView = z.infer<typeof settlementViewSchema>;

/** The post-tier lines in yuan. */
const postTierView = (row: SettlementRow) =>
  (row.post_tier ?? []).map((l) => ({
    ...l,
    base: fenToYuanNumber(l.base),
    amount: fenToYuanNumber(l.amount),
  }));

export function toView(row: SettlementRow): SettlementView {
  const amounts: Record<string, number> = {};
  for (const f of AMOUNT_FIELDS) amounts[f] = fenToYuanNumber(row[f]);
  const waived = row.hosp_part_amt ? { postTier: postTierView(row) } : {};
  if (row.hosp_part_amt) amounts.hosp_part_amt = fenToYuanNumber(row.hosp_part_amt);
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
    ...waived,
    explain: row.explain.map(explainJson),
    reason: row.reason,
    createdAt: row.created_at,
  };
}

/**
 * The answer as JSON, for the routes that answer with a settlement: JSON.stringify's text with the
 * explanation written by explainListJson, which keeps the text of the pack rules it repeats.
 * `explain` comes last. The view is built field by field (toView, viewFor), so checking each
 * answer against the schema (a large share of serialising an inpatient bill's explanation)
 * would only find what the types already hold; tests parse the text with it.
 */
export function settlementViewJson(v: SettlementView): string {
  const { explain, ...rest } = v;
  return `${JSON.stringify(rest).slice(0, -1)},"explain":${explainListJson(explain)}}`;
}

/** What replaces an explanation that would disclose a psychiatric condition. */
const HIDDEN = {
  zh: '说明含敏感信息，已隐藏',
  en: 'explanation hidden: it discloses sensitive data',
};

type ExplainJson = SettlementView['explain'][number];

/** An explanation without its sentences and the pack rules (whose notes name the diagnosis). */
export const hideExplain = (e: ExplainJson): ExplainJson => ({
  ...e,
  // A backstop programme tied to a psychiatric condition names it.
  programme: e.programme === null ? null : MASKED,
  caps: e.caps.map((c) => ({ ...c, provenance: [] })),
  provenance: { deductible: [], ratio: [] },
  text: HIDDEN,
});

/**
 * The answer as this reader may see it: the ID number whole only with
 * `registry:certno:read`; psychiatric diagnoses, severe-mental categories and the explanations
 * that would disclose them (and the backstop programme that pays for them) only with
 * `registry:sensitive:read`. Applied where the answer leaves
 * the system (routes), not in the service, which needs the true values.
 */
export function viewFor(
  reader: { permissions: ReadonlySet<string> },
  v: SettlementView,
): SettlementView {
  const sensitive = isPsychiatricDiagnosis(v.diagnosis) || v.categories.some(isSensitiveCategory);
  const hide = sensitive && !mayReadSensitive(reader);
  return {
    ...v,
    certno: certnoFor(reader, v.certno),
    diagnosis: maskDiagnosis(reader, v.diagnosis),
    categories: maskCategories(reader, v.categories),
    backstopProgramme: hide && v.backstopProgramme !== null ? MASKED : v.backstopProgramme,
    explain: hide ? v.explain.map(hideExplain) : v.explain,
    // A waiver under a psychiatric agreement names it: the amount stays, the rule does not.
    ...(v.postTier && hide
      ? {
          postTier: v.postTier.map((l) => ({
            ...l,
            code: MASKED,
            programme: MASKED,
            reference: MASKED,
            text: { zh: MASKED, en: MASKED },
          })),
        }
      : {}),
  };
}
