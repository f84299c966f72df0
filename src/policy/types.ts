/**
 * The contract between policy packs and everything that reads them (settlement, monitoring,
 * assistance). A pack is resolved for one bill into `ResolvedParams`: plain typed numbers, each
 * with the provenance that `explain` shows (which file, key, dated value and document gave it).
 *
 * Names follow shared/GLOSSARY.md and docs/settlement.md.
 */
import type { Fen } from '../kernel/money.ts';
import type { Bp } from '../kernel/ratio.ts';
import type { IsoDate } from '../kernel/period.ts';

import type { Category } from '../kernel/categories.ts';
import type { HospitalLevel, Remote, VisitType } from '../kernel/visit.ts';

export { CATEGORIES, CATEGORY_LABELS, type Category } from '../kernel/categories.ts';
export {
  MED_TYPE,
  VISIT_TYPES,
  type HospitalLevel,
  type Remote,
  type VisitType,
} from '../kernel/visit.ts';

export const TIERS = [
  'basic_insurance',
  'critical_illness',
  'assistance',
  're_assistance',
  'backstop',
] as const;
export type Tier = (typeof TIERS)[number];

/** Where one number came from. */
export interface Provenance {
  pack: string;
  /** File inside the pack folder, e.g. `basic.yaml`. */
  file: string;
  /** 1-based line of the dated value in that file. */
  line: number;
  /** Key path inside the file, e.g. `inpatient.deductible.level2`. */
  key: string;
  /** The dated value used: its validity and the document it comes from. */
  from: IsoDate;
  to: IsoDate | null;
  reference: string;
  /** In program units (fen, basis points, ISO dates); lists and bracket scales as text. */
  value: number | string | boolean | null;
  /** How it was applied, for people: e.g. "低保减半 / halved for subsistence". */
  note?: { zh: string; en: string };
}

export interface Resolved<T> {
  value: T;
  /** Every rule that contributed (a base value, then tilts, cuts and overrides in order). */
  provenance: Provenance[];
}

/** What a bill says about itself, plus the categories its person holds on the bill date. */
export interface BillContext {
  date: IsoDate;
  visitType: VisitType;
  hospitalLevel: HospitalLevel;
  /** ICD-10 code of the primary diagnosis, e.g. `F20.0`. */
  diagnosis: string;
  remote: Remote;
  categories: readonly Category[];
}

export interface BasicParams {
  deductible: Resolved<Fen>;
  /** Inpatient deductibles are per admission; outpatient deductibles are annual. */
  deductibleScope: 'admission' | 'annual';
  /**
   * For annual deductibles: the accumulator key the deductible used so far is kept under
   * (e.g. `chronic_outpatient`), so two visit types may share or keep apart their deductible.
   */
  deductibleKey: string | null;
  ratio: Resolved<Bp>;
  /**
   * Every cap group the visit belongs to (nested caps: the smallest room left wins); a chronic
   * disease adds its own sub-cap `chronic:<code>`.
   */
  capGroups: { group: string; cap: Resolved<Fen> }[];
}

/** A bracket measured above the annual deductible: [from, to) of the base past the deductible. */
export interface Bracket {
  from: Fen;
  to: Fen | null;
  ratio: Bp;
}

/** Critical illness, assistance and re-assistance share one cumulative form (docs/settlement.md §3). */
export interface CumulativeParams {
  deductible: Resolved<Fen>;
  /** One bracket `[0, null)` for assistance and re-assistance. */
  brackets: Resolved<Bracket[]>;
  /** Annual cap or limit; null = none. */
  cap: Resolved<Fen | null>;
}

export interface CumulativeTier {
  /** Does this bill add to the tier's year-to-date base? (by visit type, for everyone) */
  counts: boolean;
  /** What the tier pays with; null when the visit type does not count or no category entitles. */
  params: CumulativeParams | null;
}

export interface BackstopParams {
  ratio: Resolved<Bp>;
  /** The accumulator key its annual cap is tracked under, e.g. `backstop_chronic`. */
  capGroup: string;
  cap: Resolved<Fen | null>;
  /** The assistance programme whose budget pays it. */
  programme: string;
}

/** 慢性病 (chronic sub-cap, chronic ratio) or 特殊病 (paid like a stay). */
export type DiseaseKind = 'chronic' | 'special';

/** The catalogue disease a chronic_outpatient bill's diagnosis matches (docs/chronic.md §1). */
export interface ResolvedDisease {
  code: string;
  name: { zh: string; en: string };
  /** The national 门诊慢特病 code (what a 2503 filing sends). */
  nationalCode: string;
  kind: DiseaseKind;
  /** Matched through the pack's severe mental diagnoses (S004 of the demo packs). */
  severeMental: boolean;
  /** The dated diagnosis list that matched. */
  provenance: Provenance[];
}

export interface ResolvedParams {
  pack: string;
  region: string;
  context: BillContext;
  /** Severe mental diagnosis (F20, F22, F25, F31, F06, F70–F79) as the pack defines it. */
  severeMentalDiagnosis: boolean;
  /**
   * For a chronic_outpatient bill, the catalogue disease its diagnosis matches; null when none
   * does (the bill is refused, `chronic.not_in_catalogue`) and for every other visit type.
   */
  disease: ResolvedDisease | null;
  basic: BasicParams;
  criticalIllness: CumulativeTier;
  assistance: CumulativeTier;
  reAssistance: CumulativeTier;
  backstop: BackstopParams | null;
}

/** Pack-wide numbers that do not depend on a bill (monitoring, registry rules, programmes). */
export interface PackWideParams {
  pack: string;
  region: string;
  /** Last year's provincial per-capita disposable income. */
  perCapitaIncome: Resolved<Fen>;
  monitoring: {
    /** Categories watched on `oop_inscope`, and the share of per-capita income that warns. */
    inscopeCategories: Category[];
    inscopeShare: Resolved<Bp>;
    /** Everyone is watched on `oop_total` against this share of per-capita income. */
    totalShare: Resolved<Bp>;
  };
  /** Refund cut-off for 低保/特困 recognition: 31 Dec of the year before, as a date. */
  refundCutoff: Resolved<IsoDate>;
  programmes: { code: string; budget: Resolved<Fen>; tiers: Tier[] }[];
}
