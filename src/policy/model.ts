/**
 * A loaded policy pack: every rule of one region and scheme as dated parameters, in program units
 * (fen, basis points, ISO dates). The loader builds it from the YAML files of `policies/<pack>/`;
 * resolution (resolve.ts) reads it; nothing else writes it. Each dated value keeps the file, key
 * path and line it came from, because that provenance is what a settlement's `explain` shows.
 */
import type { Fen } from '../kernel/money.ts';
import type { Bp } from '../kernel/ratio.ts';
import type { IsoDate } from '../kernel/period.ts';
import type { Bracket, Category, DiseaseKind, HospitalLevel, Tier, VisitType } from './types.ts';

export type Scheme = 'resident' | 'employee';

/** An ICD-10 prefix (`F20`) or an inclusive range of prefixes of equal length (`F70-F79`). */
export interface DiagnosisPattern {
  from: string;
  to: string;
}

/** What the value of each kind of parameter is, in program units. */
export interface ParamKinds {
  money: Fen;
  money_or_null: Fen | null;
  /** A ratio or a share, 0–10,000 bp. */
  ratio: Bp;
  /** Percentage points added or cut, 0–10,000 bp. */
  points: Bp;
  date: IsoDate;
  /** A whole number of days (a tolerance, a period). */
  days: number;
  diagnoses: DiagnosisPattern[];
  categories: Category[];
  /** Brackets above a deductible; `to` of each is the `from` of the next, the last is open. */
  scale: Bracket[];
}
export type ParamKind = keyof ParamKinds;

export interface DatedValue<T> {
  value: T;
  from: IsoDate;
  /** Inclusive; null = until further notice. */
  to: IsoDate | null;
  reference: string;
  lastReviewed: IsoDate | null;
  /** 1-based line of `value` in the file. */
  line: number;
}

/** One parameter: a history of dated values, none overlapping, covering the pack's validity. */
export interface DatedParam<K extends ParamKind> {
  kind: K;
  /** File inside the pack folder, e.g. `basic.yaml`. */
  file: string;
  /** Key path inside the file, e.g. `inpatient.deductible.level2`. */
  key: string;
  /** Line of the key. */
  line: number;
  entries: DatedValue<ParamKinds[K]>[];
}
export type AnyParam = { [K in ParamKind]: DatedParam<K> }[ParamKind];

/** A parameter that may differ by hospital level; a single value is shared by all three. */
export type Levelled<K extends ParamKind> = Record<HospitalLevel, DatedParam<K>>;

/** A rule that is structure rather than a number (lists of visit types, cap-group membership). */
export interface Setting {
  file: string;
  key: string;
  line: number;
  text: string;
}

export interface Label {
  zh: string;
  en: string;
}

// ---- basic insurance ---------------------------------------------------------------------------

export interface BasicVariant {
  deductible: Levelled<'money'> | null;
  ratio: Levelled<'ratio'> | null;
  capGroups: string[] | null;
}

export interface BasicVisitRule {
  deductibleScope: 'admission' | 'annual';
  deductibleKey: string | null;
  deductible: Levelled<'money'>;
  ratio: Levelled<'ratio'>;
  capGroups: string[];
  /** What changes when the primary diagnosis is a severe mental disorder; null = nothing. */
  severeMental: BasicVariant | null;
  /** What changes for a `special` disease of the catalogue (paid like a stay); null = nothing. */
  specialDisease: BasicVariant | null;
}

/** A tilt for holders of any of `categories` (e.g. 三降低、四提高 for key assistance categories). */
export interface BasicTilt {
  name: string;
  title: Label;
  categories: Category[];
  visitTypes: VisitType[];
  deductibleFactor: DatedParam<'ratio'> | null;
  ratioAdd: DatedParam<'points'> | null;
}

export interface BasicRules {
  capGroups: Record<string, DatedParam<'money'>>;
  visitTypes: Record<VisitType, BasicVisitRule>;
  tilts: BasicTilt[];
  remote: {
    filed: DatedParam<'points'>;
    unfiled: DatedParam<'points'>;
    /** Holders of these keep local ratios when treated elsewhere. */
    exempt: DatedParam<'categories'>;
  };
}

// ---- cumulative tiers (critical illness, assistance, re-assistance) ----------------------------

export interface CumulativeSpec {
  deductible: DatedParam<'money'>;
  brackets: DatedParam<'scale'>;
  cap: DatedParam<'money_or_null'>;
}

/** How a category group changes one parameter: a value of its own, or a change to everyone's. */
export type Change<Set extends ParamKind, Rel extends ParamKind> =
  { kind: 'set'; param: DatedParam<Set> } | { kind: 'relative'; param: DatedParam<Rel> };

export interface CumulativeGroup {
  name: string;
  title: Label;
  categories: Category[];
  /** null = everyone's deductible. `relative` multiplies it by a share. */
  deductible: Change<'money', 'ratio'> | null;
  /** null = everyone's brackets. `relative` adds points to every bracket (at most 100 %). */
  brackets: Change<'scale', 'points'> | null;
  cap: DatedParam<'money_or_null'> | null;
}

export interface CumulativeRules {
  file: string;
  /** Visit types whose bills add to this tier's year-to-date base. */
  visitTypes: VisitType[];
  /** The rule for everyone; null when only a category entitles (assistance, re-assistance). */
  everyone: CumulativeSpec | null;
  groups: CumulativeGroup[];
}

// ---- backstop and pack-wide ---------------------------------------------------------------------

export interface BackstopVisitRule {
  ratio: DatedParam<'ratio'>;
  capGroup: string;
  cap: DatedParam<'money_or_null'>;
}

export interface BackstopRules {
  programme: string;
  categories: Category[];
  requiresSevereMentalDiagnosis: boolean;
  visitTypes: Partial<Record<VisitType, BackstopVisitRule>>;
}

export interface ProgrammeRule {
  code: string;
  title: Label;
  tiers: Tier[];
  budget: DatedParam<'money'>;
}

export interface PackWideRules {
  perCapitaIncome: DatedParam<'money'>;
  monitoring: {
    inscopeCategories: Category[];
    inscopeShare: DatedParam<'ratio'>;
    totalShare: DatedParam<'ratio'>;
  };
  refundCutoff: DatedParam<'date'>;
  programmes: ProgrammeRule[];
}

// ---- the disease catalogue (门诊慢特病病种目录) ------------------------------------------------

/** One disease a chronic_outpatient visit is paid for, with the diagnoses it covers. */
export interface Disease {
  /** Local code, e.g. `M002`; its sub-cap is the cap group `chronic:M002`. */
  code: string;
  name: Label;
  /** The national 门诊慢特病 code a 2503 filing sends. */
  nationalCode: string;
  kind: DiseaseKind;
  /** ICD-10 prefixes; the severe mental disorders share pack.yaml's list (this very object). */
  diagnoses: DatedParam<'diagnoses'>;
  /** True when `diagnoses` is pack.yaml's severe mental list. */
  severeMental: boolean;
  /** The annual sub-cap of a `chronic` disease; null for `special`. */
  subCap: DatedParam<'money'> | null;
}

// ---- checking certificates and filings (coverage.yaml) ---------------------------------------

/** How the persistent path checks who a chronic or two-diseases bill is paid for (docs/chronic.md §5). */
export interface CoverageRules {
  /**
   * From this date settlement checks certificates and filings; before it (a county that has not
   * imported them yet) only the catalogue, level, days and drug-list checks apply.
   */
  checkedFrom: DatedParam<'date'>;
  /** A new two-diseases prescription of a drug is refused while more days than this remain. */
  refillToleranceDays: DatedParam<'days'>;
}

// ---- provider payment (payment.yaml, docs/payment.md) -----------------------------------------

export type PaymentMethod =
  'fee_for_service' | 'per_bed_day' | 'capitation' | 'global_budget' | 'outpatient_group';

export interface PaymentRule {
  method: PaymentMethod;
  /** null = every visit type. */
  visitTypes: VisitType[] | null;
  /** null = every diagnosis. */
  diagnosisGroup: string | null;
  /** The capitation package a capitation rule draws on. */
  package: string | null;
  /** An outpatient-group rule limited to one group (null: any outpatient group). */
  outpatientGroup: string | null;
}

/**
 * An outpatient disease group (门诊病组, docs/payment.md §11): outpatient cases needing long, fixed
 * treatment, paid a rate per case or per patient and month instead of by item.
 */
export interface OutpatientGroup {
  code: string;
  name: Label;
  diagnoses: DiagnosisPattern[];
  per: 'case' | 'month';
  rate: DatedParam<'money'>;
}

export interface InstitutionClass {
  code: string;
  name: Label;
  institutions: string[];
  levels: HospitalLevel[];
  inGlobalBudget: boolean;
  rules: PaymentRule[];
}

export interface CapitationPackage {
  code: string;
  name: Label;
  area: string;
  institution: string;
  perCapita: DatedParam<'money'>;
  centreShare: DatedParam<'ratio'>;
  referralFromLevel: HospitalLevel;
  overspend: 'not_topped_up' | 'topped_up';
  surplus: 'retained' | 'returned';
}

export interface PaymentRules {
  diagnosisGroups: { code: string; name: Label; diagnoses: DiagnosisPattern[] }[];
  classes: InstitutionClass[];
  perBedDay: {
    rates: { group: string; level: HospitalLevel; rate: DatedParam<'money'> }[];
    shortStayDays: DatedParam<'days'>;
    longStayDays: DatedParam<'days'>;
    longStayRatio: DatedParam<'ratio'>;
  };
  capitation: CapitationPackage[];
  /** In pack order: a bill falls in the first group its diagnosis matches. */
  outpatientGroups: OutpatientGroup[];
  globalBudget: {
    budgets: { institution: string; budget: DatedParam<'money'> }[];
    excludedGroups: string[];
    overspendTolerance: DatedParam<'ratio'>;
    overspendFundShare: DatedParam<'ratio'>;
    underspendRetainedShare: DatedParam<'ratio'>;
  };
  prepayment: {
    institution: string;
    basis: 'budget' | 'last_year';
    lastYear: DatedParam<'money'> | null;
    monthlyShare: DatedParam<'ratio'>;
  }[];
}

// ---- applications and two-diseases filings (applications.yaml) --------------------------------

/** A document of the application checklist (申请材料). */
export type DocumentKind =
  | 'medical_record'
  | 'test_result'
  | 'prescription_history'
  | 'family_doctor_contract'
  | 'health_check';

/** 两病: the two diseases a primary-care doctor files without expert review. */
export type TwoDiseaseName = 'hypertension' | 'diabetes';

export interface ApplicationRules {
  /** Expert review steps: 1, or 2 (the second by another reviewer). */
  reviewSteps: 1 | 2;
  /** The checklist, in file order. */
  documents: { kind: DocumentKind; name: Label; required: boolean }[];
  /** The national disease codes a 2503 filing sends for each of the two diseases. */
  twoDiseases: Record<TwoDiseaseName, string[]>;
}

// ---- the pack -----------------------------------------------------------------------------------

export interface PackSummary {
  name: string;
  title: Label;
  region: string;
  scheme: Scheme;
  validity: { from: IsoDate; to: IsoDate | null };
  /** Fixture packs exist for tests; listPacks and choosePack leave them out by default. */
  fixture: boolean;
  /**
   * A draft is a proposal (docs/replay.md §1): replayed over settled bills, never chosen for
   * day-to-day settlement; publishing it is an audited act that clears the flag.
   */
  draft: boolean;
  /** The pack a draft was copied from; null for a published pack. */
  basedOn: string | null;
}

export interface PolicyPack extends PackSummary {
  /** Absolute path of the pack folder. */
  dir: string;
  categorySets: Record<string, Category[]>;
  severeMentalDiagnosis: DatedParam<'diagnoses'>;
  basic: BasicRules;
  criticalIllness: CumulativeRules;
  assistance: CumulativeRules;
  reAssistance: CumulativeRules;
  backstop: BackstopRules;
  packWide: PackWideRules;
  /** The catalogue of chronic and special outpatient diseases, in file order. */
  diseases: Disease[];
  coverage: CoverageRules;
  /** How applications are accepted and reviewed, and the two-diseases national codes. */
  applications: ApplicationRules;
  /** How the fund pays institutions (payment.yaml); null = every institution by item. */
  payment: PaymentRules | null;
  /** Every dated parameter of the pack, in file order: for check, diff and test coverage. */
  params: AnyParam[];
  settings: Setting[];
}
