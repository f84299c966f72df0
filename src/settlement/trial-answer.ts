/**
 * The trial's answer (docs/settlement.md §6) as JSON: amounts in yuan numbers, one result per bill in
 * input order, each with its explanation. The zod schema is the single description of the shape:
 * the route declares it (OpenAPI, serialisation) and the TypeScript type is inferred from it.
 */
import { z } from 'zod';
import { fenToYuanNumber as yuan, type Fen } from '../kernel/money.ts';
import { TIERS } from '../policy/index.ts';
import type { SettlementAmounts } from './calculate.ts';
import { REFUSAL_CODES } from './coverage.ts';
import type { ExplainTier } from './explain.ts';
import type { TrialResult } from './trial.ts';

const amount = z.number().describe('yuan');
const text = z.object({ zh: z.string(), en: z.string() });

const provenanceSchema = z.object({
  pack: z.string(),
  file: z.string(),
  line: z.number(),
  key: z.string(),
  from: z.string(),
  to: z.string().nullable(),
  reference: z.string(),
  value: z.union([z.number(), z.string(), z.boolean(), z.null()]),
  note: text.optional(),
});

export const explainSchema = z.object({
  tier: z.enum(TIERS),
  counts: z.boolean(),
  entitled: z.boolean(),
  base: amount,
  cumulativeBefore: amount.nullable(),
  deductibleScope: z.enum(['admission', 'annual', 'cumulative', 'none']),
  deductible: amount.nullable(),
  deductibleLeft: amount.nullable(),
  deductibleApplied: amount,
  ratios: z.array(
    z.object({
      from: amount.nullable(),
      to: amount.nullable(),
      ratioBp: z.number().int().describe('basis points: 9000 = 90 %'),
      base: amount,
    }),
  ),
  caps: z.array(
    z.object({
      group: z.string(),
      cap: amount.nullable(),
      roomBefore: amount.nullable(),
      provenance: z.array(provenanceSchema),
    }),
  ),
  amount,
  capped: z.boolean(),
  programme: z.string().nullable(),
  provenance: z.object({
    deductible: z.array(provenanceSchema),
    ratio: z.array(provenanceSchema),
  }),
  text,
});

export const AMOUNT_FIELDS = [
  'medfee_sumamt',
  'fulamt_ownpay_amt',
  'overlmt_selfpay',
  'preselfpay_amt',
  'inscp_scp_amt',
  'act_pay_dedc',
  'hifp_pay',
  'hifmi_pay',
  'maf_pay',
  'reassist_pay',
  'backstop_pay',
  'fund_pay_sumamt',
  'psn_part_amt',
  'psn_cash_pay',
] as const satisfies readonly (keyof SettlementAmounts)[];

const amountsShape = Object.fromEntries(AMOUNT_FIELDS.map((k) => [k, amount])) as Record<
  (typeof AMOUNT_FIELDS)[number],
  typeof amount
>;

/** A settled bill: its amounts in yuan and the explanation of every tier. */
export const settledResultSchema = z.object({
  id: z.string(),
  ...amountsShape,
  explain: z.array(explainSchema),
});

/** A bill the rules of docs/chronic.md §3 refuse: why, and no amounts (it settles nothing). */
export const refusedResultSchema = z.object({
  id: z.string(),
  refused: z.object({
    code: z.enum(REFUSAL_CODES),
    field: z.string().describe('the field of the trial document, e.g. bills[2].hospitalLevel'),
    message: text,
  }),
});

export const trialAnswerSchema = z.object({
  results: z.array(z.union([settledResultSchema, refusedResultSchema])),
});

export type TrialAnswer = z.infer<typeof trialAnswerSchema>;
export type SettledResult = z.infer<typeof settledResultSchema>;
export type RefusedResult = z.infer<typeof refusedResultSchema>;
type ExplainJson = z.infer<typeof explainSchema>;

const orNull = (v: Fen | null): number | null => (v === null ? null : yuan(v));

export function toTrialAnswer(results: readonly TrialResult[]): TrialAnswer {
  return {
    results: results.map((r) => {
      if (r.refused) return { id: r.id, refused: { ...r.refused } };
      const amounts = Object.fromEntries(AMOUNT_FIELDS.map((k) => [k, yuan(r.amounts[k])]));
      return {
        id: r.id,
        ...(amounts as Record<(typeof AMOUNT_FIELDS)[number], number>),
        explain: r.explain.map(explainJson),
      };
    }),
  };
}

export function explainJson(e: ExplainTier): ExplainJson {
  return {
    tier: e.tier,
    counts: e.counts,
    entitled: e.entitled,
    base: yuan(e.base),
    cumulativeBefore: orNull(e.cumulativeBefore),
    deductibleScope: e.deductibleScope,
    deductible: orNull(e.deductible),
    deductibleLeft: orNull(e.deductibleLeft),
    deductibleApplied: yuan(e.deductibleApplied),
    ratios: e.ratios.map((r) => ({
      from: orNull(r.from),
      to: orNull(r.to),
      ratioBp: r.ratio,
      base: yuan(r.base),
    })),
    caps: e.caps.map((c) => ({
      group: c.group,
      cap: orNull(c.cap),
      roomBefore: orNull(c.roomBefore),
      provenance: c.provenance,
    })),
    amount: yuan(e.amount),
    capped: e.capped,
    programme: e.programme,
    // The lists themselves, not copies: a kept (frozen) list's JSON text is kept with it
    // (explain-json.ts). The answer is only serialised, never changed.
    provenance: e.provenance as ExplainJson['provenance'],
    text: e.text,
  };
}
