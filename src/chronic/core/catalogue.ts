/**
 * The catalogue as the workflow reads it (docs/chronic.md §10): which pack holds a county's
 * catalogue on a date, the diseases with their diagnoses and sub-caps, the document checklist,
 * the review steps, and what a national disease code of a 2503 filing means. Pure.
 */
import { notFound } from '../../kernel/errors.ts';
import type { Fen } from '../../kernel/money.ts';
import type { IsoDate } from '../../kernel/period.ts';
import {
  covers,
  formatDiagnosisPattern,
  matchesDiagnosis,
  valueAt,
  type ApplicationRules,
  type Disease,
  type DocumentKind,
  type Label,
  type PolicyPack,
  type TwoDiseaseName,
} from '../../policy/index.ts';

export interface CatalogueDisease {
  code: string;
  name: Label;
  nationalCode: string;
  kind: 'chronic' | 'special';
  /** The annual sub-cap in fen; null for a special disease. */
  subCap: Fen | null;
  /** ICD-10 prefixes as people write them (`I11`, `F70-F79`). */
  diagnoses: string[];
  /** S004: shown only to holders of registry:sensitive:read. */
  severeMental: boolean;
}

export interface Catalogue {
  pack: string;
  /** The date the catalogue was read for (inside the pack's validity). */
  date: IsoDate;
  reviewSteps: 1 | 2;
  documents: { kind: DocumentKind; required: boolean; name: Label }[];
  diseases: CatalogueDisease[];
  twoDiseases: ApplicationRules['twoDiseases'];
}

/**
 * The county's pack on `date`: the one whose validity holds it, else the latest that started
 * before it (a catalogue stays in force until a new pack is published), else — for a day before
 * the county's first pack, such as an imported certificate's start — the first. Fixtures are
 * left out.
 */
export function cataloguePack(
  packs: readonly PolicyPack[],
  county: string,
  date: IsoDate,
): PolicyPack {
  const own = packs.filter((p) => !p.fixture && p.region === county);
  const byStart = [...own].sort((a, b) => a.validity.from.localeCompare(b.validity.from));
  const found =
    own.find((p) => covers(p.validity, date)) ??
    byStart.filter((p) => p.validity.from <= date).at(-1) ??
    byStart[0];
  if (!found) {
    throw notFound(
      'chronic.no_catalogue',
      'date',
      `行政区划 ${county} 在 ${date} 没有门诊慢特病病种目录（政策包）`,
      `no chronic-disease catalogue (policy pack) for region ${county} on ${date}`,
    );
  }
  return found;
}

/** The date inside the pack's validity that stands for `date`. */
export const dateIn = (pack: PolicyPack, date: IsoDate): IsoDate =>
  date < pack.validity.from
    ? pack.validity.from
    : pack.validity.to !== null && date > pack.validity.to
      ? pack.validity.to
      : date;

export function catalogueOf(pack: PolicyPack, date: IsoDate): Catalogue {
  const on = dateIn(pack, date);
  return {
    pack: pack.name,
    date: on,
    reviewSteps: pack.applications.reviewSteps,
    documents: pack.applications.documents.map((d) => ({ ...d })),
    diseases: pack.diseases.map((d) => ({
      code: d.code,
      name: d.name,
      nationalCode: d.nationalCode,
      kind: d.kind,
      subCap: d.subCap ? valueAt(d.subCap, on).value : null,
      diagnoses: valueAt(d.diagnoses, on).value.map(formatDiagnosisPattern),
      severeMental: d.severeMental,
    })),
    twoDiseases: pack.applications.twoDiseases,
  };
}

export const diseaseOf = (cat: Catalogue, code: string): CatalogueDisease | undefined =>
  cat.diseases.find((d) => d.code === code);

/** Does the diagnosis belong to the disease on the catalogue's date? */
export function diagnosisFits(pack: PolicyPack, disease: string, diagnosis: string, date: IsoDate) {
  const d: Disease | undefined = pack.diseases.find((x) => x.code === disease);
  return (
    d !== undefined && matchesDiagnosis(valueAt(d.diagnoses, dateIn(pack, date)).value, diagnosis)
  );
}

/** What a national disease code of a 2503 filing means in this catalogue (docs/chronic.md §16). */
export type NationalMeaning =
  | { kind: 'disease'; disease: CatalogueDisease }
  | { kind: 'two_diseases'; disease: TwoDiseaseName };

export function meaningOf(cat: Catalogue, nationalCode: string): NationalMeaning | null {
  const disease = cat.diseases.find((d) => d.nationalCode === nationalCode);
  if (disease) return { kind: 'disease', disease };
  for (const name of ['hypertension', 'diabetes'] as const) {
    if (cat.twoDiseases[name].includes(nationalCode))
      return { kind: 'two_diseases', disease: name };
  }
  return null;
}

/** The checklist's required documents not among those uploaded. */
export function missingDocuments(cat: Catalogue, uploaded: readonly string[]): DocumentKind[] {
  const have = new Set(uploaded);
  return cat.documents.filter((d) => d.required && !have.has(d.kind)).map((d) => d.kind);
}
