/**
 * The zod schema of each file of a pack folder. Shapes and units only: rules that need more than
 * one place (date ranges, category names, cap-group use) are checked when the pack is built.
 *
 *   pack.yaml              identity, validity, category sets, severe mental diagnoses
 *   basic.yaml             基本医保: per visit type, cap groups, tilts, remote cuts
 *   critical_illness.yaml  大病保险        ┐
 *   assistance.yaml        医疗救助        ├ the cumulative form of docs/settlement.md §3
 *   re_assistance.yaml     再救助          ┘
 *   backstop.yaml          财政兜底
 *   pack_wide.yaml         per-capita income, monitoring, refund cut-off, programmes
 *   diseases.yaml          门诊慢特病 catalogue: the diseases a chronic_outpatient visit is paid for
 *   coverage.yaml          checking certificates and filings: from when, the refill tolerance
 *                          (schema-coverage.ts)
 *   applications.yaml      applications' checklist and review steps, two-diseases 2503 codes
 *                          (its schema lives in build-applications.ts)
 *   payment.yaml           optional: how the fund pays institutions (build-payment.ts)
 */
import { z } from 'zod';
import type { VisitType } from './types.ts';
import {
  bool,
  categoryNames,
  dated,
  date,
  dateOrNull,
  diagnosis,
  label,
  leaf,
  levelled,
  money,
  moneyOrNull,
  points,
  ratio,
  scale,
  text,
  tier,
  visitType,
} from './schema-common.ts';
import type { Parsed } from './units.ts';

const REGION_RE = /^\d{6}$/;
const region = leaf((raw): Parsed<string> => {
  const s = typeof raw === 'number' ? String(raw) : raw;
  return typeof s === 'string' && REGION_RE.test(s)
    ? { ok: true, value: s }
    : {
        ok: false,
        en: `${String(raw)} is not a 6-digit region code`,
        zh: `${String(raw)} 不是6位行政区划代码`,
      };
});
const scheme = leaf((raw): Parsed<'resident' | 'employee'> =>
  raw === 'resident' || raw === 'employee'
    ? { ok: true, value: raw }
    : {
        ok: false,
        en: `unknown scheme "${String(raw)}" (resident, employee)`,
        zh: `未知的险种 "${String(raw)}"（resident、employee）`,
      },
);
const deductibleScope = leaf((raw): Parsed<'admission' | 'annual'> =>
  raw === 'admission' || raw === 'annual'
    ? { ok: true, value: raw }
    : {
        ok: false,
        en: `"${String(raw)}" is neither admission nor annual`,
        zh: `"${String(raw)}" 应为 admission（按次）或 annual（按年）`,
      },
);

export const packFile = z.strictObject({
  name: text,
  title: label,
  region,
  scheme,
  valid_from: date,
  valid_to: z.optional(dateOrNull),
  fixture: z.optional(bool),
  draft: z.optional(bool),
  based_on: z.optional(text),
  description: z.optional(text),
  category_sets: z.optional(z.record(z.string(), categoryNames)),
  severe_mental_diagnosis: dated(z.array(diagnosis).min(1)),
});

const basicVariant = z.strictObject({
  deductible: z.optional(levelled(money)),
  ratio: z.optional(levelled(ratio)),
  cap_groups: z.optional(z.array(text)),
});

const basicVisit = z.strictObject({
  deductible_scope: deductibleScope,
  deductible_key: z.optional(text),
  deductible: levelled(money),
  ratio: levelled(ratio),
  cap_groups: z.array(text),
  severe_mental_diagnosis: z.optional(basicVariant),
  special_disease: z.optional(basicVariant),
});

export const basicFile = z.strictObject({
  cap_groups: z.record(z.string(), dated(money)),
  ...({
    inpatient: basicVisit,
    general_outpatient: basicVisit,
    chronic_outpatient: basicVisit,
    two_diseases: basicVisit,
  } satisfies Record<VisitType, typeof basicVisit>),
  tilts: z.optional(
    z.record(
      z.string(),
      z.strictObject({
        title: z.optional(label),
        categories: categoryNames,
        visit_types: z.array(visitType).min(1),
        deductible_factor: z.optional(dated(ratio)),
        ratio_add: z.optional(dated(points)),
      }),
    ),
  ),
  remote: z.strictObject({
    filed: dated(points),
    unfiled: dated(points),
    exempt_categories: dated(categoryNames),
  }),
});

const cumulativeGroup = z.strictObject({
  title: z.optional(label),
  categories: categoryNames,
  deductible: z.optional(dated(money)),
  deductible_factor: z.optional(dated(ratio)),
  brackets: z.optional(dated(scale)),
  ratio: z.optional(dated(ratio)),
  ratio_add: z.optional(dated(points)),
  cap: z.optional(dated(moneyOrNull)),
});

export const cumulativeFile = z.strictObject({
  title: z.optional(label),
  visit_types: z.array(visitType),
  everyone: z.optional(
    z.strictObject({
      deductible: dated(money),
      brackets: z.optional(dated(scale)),
      ratio: z.optional(dated(ratio)),
      cap: dated(moneyOrNull),
    }),
  ),
  groups: z.optional(z.record(z.string(), cumulativeGroup)),
});

export const backstopFile = z.strictObject({
  programme: text,
  categories: categoryNames,
  severe_mental_diagnosis_only: z.optional(bool),
  visit_types: z.record(
    z.string(),
    z.strictObject({ ratio: dated(ratio), cap_group: text, cap: dated(moneyOrNull) }),
  ),
});

export const packWideFile = z.strictObject({
  per_capita_income: dated(money),
  monitoring: z.strictObject({
    inscope_categories: categoryNames,
    inscope_share: dated(ratio),
    total_share: dated(ratio),
  }),
  refund_cutoff: dated(date),
  programmes: z.record(
    z.string(),
    z.strictObject({ title: label, tiers: z.array(tier).min(1), budget: dated(money) }),
  ),
});

const DISEASE_CODE_RE = /^[A-Z][A-Z0-9]{1,15}$/;
/** A disease code of the catalogue (`M002`); it names the cap group `chronic:M002`. */
export const isDiseaseCode = (s: string): boolean => DISEASE_CODE_RE.test(s);

/** The national 门诊慢特病 code a 2503 filing sends: a letter and five digits (`M03900`). */
const NATIONAL_DISEASE_RE = /^[A-Z]\d{5}$/;
const nationalDiseaseCode = leaf((raw): Parsed<string> =>
  typeof raw === 'string' && NATIONAL_DISEASE_RE.test(raw)
    ? { ok: true, value: raw }
    : {
        ok: false,
        en: `${String(raw)} is not a national disease code (a letter and five digits, e.g. M03900)`,
        zh: `${String(raw)} 不是国家病种代码（一个字母加五位数字，如 M03900）`,
      },
);
const diseaseKind = leaf((raw): Parsed<'chronic' | 'special'> =>
  raw === 'chronic' || raw === 'special'
    ? { ok: true, value: raw }
    : {
        ok: false,
        en: `"${String(raw)}" is neither chronic nor special`,
        zh: `"${String(raw)}" 应为 chronic（慢性病）或 special（特殊病）`,
      },
);

/** The severe mental disorders keep one list: the disease names pack.yaml's instead of a copy. */
export const SEVERE_MENTAL_LIST = 'severe_mental_diagnosis';
const diagnosisHistory = dated(z.array(diagnosis).min(1));
const diseaseDiagnoses = z.unknown().transform((raw, ctx) => {
  if (raw === SEVERE_MENTAL_LIST) return SEVERE_MENTAL_LIST;
  if (typeof raw !== 'string') {
    const r = diagnosisHistory.safeParse(raw, { reportInput: true });
    if (r.success) return r.data;
    for (const issue of r.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  }
  ctx.addIssue({
    code: 'custom',
    message: `"${raw}" is not a dated list of ICD-10 prefixes, nor ${SEVERE_MENTAL_LIST} (the list of pack.yaml)`,
    params: {
      zh: `"${raw}" 既不是按日期的 ICD-10 前缀列表，也不是 ${SEVERE_MENTAL_LIST}（pack.yaml 的清单）`,
    },
  });
  return z.NEVER;
});

export const diseasesFile = z.record(
  z.string(),
  z.strictObject({
    name: label,
    national_code: nationalDiseaseCode,
    kind: diseaseKind,
    diagnoses: diseaseDiagnoses,
    sub_cap: z.optional(dated(money)),
  }),
);

export type PackFile = z.output<typeof packFile>;
export type BasicFile = z.output<typeof basicFile>;
export type CumulativeFile = z.output<typeof cumulativeFile>;
export type BackstopFile = z.output<typeof backstopFile>;
export type PackWideFile = z.output<typeof packWideFile>;
export type DiseasesFile = z.output<typeof diseasesFile>;

export const PACK_FILES = {
  pack: 'pack.yaml',
  basic: 'basic.yaml',
  criticalIllness: 'critical_illness.yaml',
  assistance: 'assistance.yaml',
  reAssistance: 're_assistance.yaml',
  backstop: 'backstop.yaml',
  packWide: 'pack_wide.yaml',
  diseases: 'diseases.yaml',
  coverage: 'coverage.yaml',
  applications: 'applications.yaml',
  payment: 'payment.yaml',
} as const;
