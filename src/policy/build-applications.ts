/**
 * applications.yaml → how a county accepts 门诊慢特病 applications and two-diseases filings
 * (docs/chronic.md §10–§16): the documents of the checklist and which of them are required, how
 * many expert review steps an application takes, and which national disease codes a national 2503
 * filing sends for a two-diseases (两病) filing rather than for a catalogue disease. Every pack
 * serves chronic_outpatient, so every pack needs this file too.
 */
import { z } from 'zod';
import type { ApplicationRules, Disease, DocumentKind, TwoDiseaseName } from './model.ts';
import { bool, label, leaf } from './schema-common.ts';
import type { Parsed } from './units.ts';
import type { YamlSource } from './yaml-source.ts';
import { at, child, report, setting, type BuildContext } from './build-common.ts';

/** The documents of the checklist (申请材料); an attachment may also be `other`. */
export const DOCUMENT_KINDS = [
  'medical_record',
  'test_result',
  'prescription_history',
  'family_doctor_contract',
  'health_check',
] as const satisfies readonly DocumentKind[];

/** 两病: hypertension and diabetes. */
export const TWO_DISEASE_NAMES = [
  'hypertension',
  'diabetes',
] as const satisfies readonly TwoDiseaseName[];

const reviewSteps = leaf((raw): Parsed<1 | 2> =>
  raw === 1 || raw === 2
    ? { ok: true, value: raw }
    : {
        ok: false,
        en: `review_steps is 1 or 2, not ${JSON.stringify(raw)}`,
        zh: `review_steps 应为 1 或 2，而非 ${JSON.stringify(raw)}`,
      },
);

/** The national 门诊慢特病 code format a 2503 filing sends: a letter and five digits. */
const NATIONAL_RE = /^[A-Z]\d{5}$/;
const nationalCode = leaf((raw): Parsed<string> =>
  typeof raw === 'string' && NATIONAL_RE.test(raw)
    ? { ok: true, value: raw }
    : {
        ok: false,
        en: `${String(raw)} is not a national disease code (a letter and five digits, e.g. M03900)`,
        zh: `${String(raw)} 不是国家病种代码（一个字母加五位数字，如 M03900）`,
      },
);

export const applicationsFile = z.strictObject({
  review_steps: reviewSteps,
  documents: z.record(z.string(), z.strictObject({ name: label, required: bool })),
  two_diseases: z.strictObject({
    hypertension: z.strictObject({ national_codes: z.array(nationalCode).min(1) }),
    diabetes: z.strictObject({ national_codes: z.array(nationalCode).min(1) }),
  }),
});
export type ApplicationsFile = z.output<typeof applicationsFile>;

const isDocumentKind = (s: string): s is DocumentKind =>
  (DOCUMENT_KINDS as readonly string[]).includes(s);

export function buildApplications(
  ctx: BuildContext,
  source: YamlSource,
  raw: ApplicationsFile,
  diseases: readonly Disease[],
): ApplicationRules {
  setting(ctx, at(source, 'review_steps'), String(raw.review_steps));
  const documents: ApplicationRules['documents'] = [];
  for (const [kind, d] of Object.entries(raw.documents)) {
    const a = at(source, 'documents', kind);
    if (!isDocumentKind(kind)) {
      report(
        ctx,
        a,
        `unknown document "${kind}" (documents: ${DOCUMENT_KINDS.join(', ')})`,
        `未知的申请材料 "${kind}"（可用：${DOCUMENT_KINDS.join('、')}）`,
      );
      continue;
    }
    setting(ctx, child(a, 'required'), String(d.required));
    documents.push({ kind, name: d.name, required: d.required });
  }
  if (documents.length === 0) {
    report(ctx, at(source, 'documents'), 'the checklist lists no document', '申请材料清单为空');
  }
  // A 2503 code names one thing: a catalogue disease or one of the two diseases, never both.
  const owner = new Map<string, string>(diseases.map((d) => [d.nationalCode, d.code]));
  const twoDiseases = { hypertension: [] as string[], diabetes: [] as string[] };
  for (const disease of TWO_DISEASE_NAMES) {
    raw.two_diseases[disease].national_codes.forEach((code, i) => {
      const a = at(source, 'two_diseases', disease, 'national_codes', i);
      const taken = owner.get(code);
      if (taken !== undefined) {
        report(
          ctx,
          a,
          `national code ${code} is already ${taken}'s (diseases.yaml or two_diseases)`,
          `国家病种代码 ${code} 已用于 ${taken}（diseases.yaml 或 two_diseases）`,
        );
        return;
      }
      owner.set(code, disease);
      twoDiseases[disease].push(code);
    });
    setting(
      ctx,
      at(source, 'two_diseases', disease, 'national_codes'),
      twoDiseases[disease].join(', '),
    );
  }
  return { reviewSteps: raw.review_steps, documents, twoDiseases };
}
