/**
 * The shapes of the API answers the app reads (see /docs for the full contract). Amounts are
 * yuan numbers; ID numbers come masked when the reader may not see them whole.
 */
import type { Category, Tier } from '../../../src/policy/types.ts';
import type { Message } from './client.ts';

export type Scope =
  | { kind: 'region'; regionCode: string }
  | { kind: 'institution'; fixmedinsCode: string; regionCode: string }
  | { kind: 'department'; department: string; regionCode: string };

export interface Account {
  userId: string;
  username: string;
  displayName: string;
  roles: string[];
  scope: Scope;
  mustChangePassword: boolean;
}

export interface LoginAnswer {
  account: Account;
  csrfToken: string | null;
}

export interface MeAnswer {
  account: Account;
  permissions: string[];
  csrfToken: string | null;
}

export interface Region {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  children?: Region[];
}

export interface SearchItem {
  certno: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  regionCode: string;
  householdId?: string | null;
  status: 'alive' | 'deceased' | 'missing' | string;
  categories: Category[];
}

export interface SearchPage {
  items: SearchItem[];
  total: number;
  totalCapped?: boolean;
  page: number;
  pageSize: number;
}

interface Stamp {
  version: number;
  updatedAt: string;
  updatedBy: string;
  changeReason: string | null;
}

export interface Person extends Stamp {
  certno: string;
  name: string;
  gender: 'male' | 'female';
  birthDate: string;
  householdId: string | null;
  regionCode: string;
  phone: string | null;
  status: 'alive' | 'deceased' | 'missing';
  deathDate: string | null;
  missingSince: string | null;
}

export interface Flag extends Stamp {
  flagId: number;
  category: Category;
  from: string;
  to: string | null;
  source: string | null;
  evidenceNo: string | null;
  recognisedOn: string | null;
  endReason: 'exit' | 'cancellation' | 'correction' | 'death' | string | null;
}

export interface Enrolment extends Stamp {
  enrolmentId: number;
  medicalYear: number;
  scheme: 'resident' | 'employee';
  contributionType: 'paid' | 'fee_exemption' | 'funded_enrolment';
  contribution: number | null;
  fundedAmount: number | null;
  funder: string | null;
  enrolledOn: string;
  benefitFrom: string;
  benefitTo: string | null;
  endReason: string | null;
  refund: number | null;
  refundedOn: string | null;
}

export interface PersonRecord {
  asOf: string | null;
  person: Person;
  flags: Flag[];
  enrolments: Enrolment[];
}

export interface Version {
  entity: 'person' | 'person_flag' | 'enrolment';
  entityId: string;
  version: number;
  validFrom: string;
  validTo: string | null;
  updatedBy: string;
  changeReason: string | null;
}

export interface Explain {
  tier: Tier;
  counts: boolean;
  entitled: boolean;
  base: number;
  cumulativeBefore: number | null;
  deductibleScope: 'admission' | 'annual' | 'cumulative' | 'none';
  deductible: number | null;
  deductibleLeft: number | null;
  deductibleApplied: number;
  ratios: { from: number | null; to: number | null; ratioBp: number; base: number }[];
  caps: { group: string; cap: number | null; roomBefore: number | null }[];
  amount: number;
  capped: boolean;
  programme: string | null;
  text: Message;
}

/** Amount fields of a settlement (national names), yuan. */
export type Amounts = Record<string, number>;

export interface PresettleAnswer {
  pack: string;
  categories: Category[];
  amounts: Amounts;
  explain: Explain[];
}

export interface Settlement {
  settlementId: number;
  kind: 'settle' | 'cancel';
  status: 'settled' | 'cancelled' | 'cancellation';
  msgid: string;
  certno: string;
  originalId: number | null;
  cancelledBy: number | null;
  fixmedinsCode: string | null;
  date: string;
  visitType: string;
  hospitalLevel: number;
  diagnosis: string;
  remote: string | null;
  pack: string;
  categories: string[];
  amounts: Amounts;
  backstopProgramme: string | null;
  explain: Explain[];
  reason: string | null;
  createdAt: string;
}

export interface SettlementSummary {
  settlementId: number;
  kind: 'settle' | 'cancel';
  status: 'settled' | 'cancelled' | 'cancellation';
  date: string;
  visitType: string;
  hospitalLevel: number;
  diagnosis: string;
  fixmedinsCode: string | null;
  medicalFees: number;
  fundPaid: number;
  cashPaid: number;
  createdAt: string;
}

/** Year-to-date accumulators as GET /persons/{certno}/accumulators answers them. */
export interface Accumulators {
  year: number;
  tiers: Record<Tier, { base: number; paid: number }>;
  deductibleUsed: Record<string, number>;
  oopInscope: number;
  oopTotal: number;
}

export interface Dashboard {
  month: string;
  scope: { regionCode: string | null; regionName: string | null };
  people: number;
  insured: number;
  insuredYear: number | null;
  flagged: { category: Category; people: number }[];
  settlements: {
    settled: number;
    cancelled: number;
    medicalFees: number;
    fundPaid: number;
    byTier: { tier: Tier; amount: number }[];
    daily: { day: string; settled: number; fundPaid: number }[];
  };
  warningsOpen: number | null;
}

export interface PackSummary {
  name: string;
  title: Message;
  region: string;
  scheme: string;
  validity: { from: string; to: string | null };
  fixture: boolean;
  /** A draft pack (政策草案): replayed, never chosen for settlement (docs/replay.md §1). */
  draft: boolean;
  basedOn: string | null;
}

export type TrialSettled = Record<string, number> & { id: string; explain: Explain[] };
/** A chronic or two-diseases bill the rules refuse (docs/chronic.md §3): no amounts. */
export interface TrialRefused {
  id: string;
  refused: { code: string; field: string; message: Message };
}
export interface TrialAnswer {
  results: (TrialSettled | TrialRefused)[];
}

export interface ImportAnswer {
  rowsRead: number;
  imported: number;
  rejected: number;
  rejects: {
    rowNumber: number;
    certno: string | null;
    name: string | null;
    field: string | null;
    reason: Message;
  }[];
  rejectsTruncated: boolean;
}

// ---- monitoring (防止因病返贫致贫动态监测): src/monitoring/routes.ts ----------------------------

export type WarningStatus = 'new' | 'pushed' | 'confirmed' | 'dismissed' | 'assisted' | 'withdrawn';
export type Threshold = 'inscope' | 'total';

export interface Warning {
  warningId: number;
  certno: string;
  name: string;
  regionCode: string;
  townshipCode: string;
  townshipName: string | null;
  year: number;
  threshold: Threshold;
  thresholdLabel: Message;
  month: string;
  categories: string[];
  pack: string;
  amount: number;
  line: number;
  excess: number;
  status: WarningStatus;
  statusLabel: Message;
  pushId: number | null;
  pushedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  dismissReason: string | null;
  assistance: unknown;
  assistedAt: string | null;
  withdrawnAt: string | null;
  reopened: number;
  createdAt: string;
}

export interface WarningPage {
  total: number;
  warnings: Warning[];
}

export interface WarningEvent {
  from: WarningStatus | null;
  to: WarningStatus;
  actorId: string;
  runId: number | null;
  reason: string | null;
  detail: unknown;
  at: string;
}

export interface WarningDetail extends Warning {
  events: WarningEvent[];
}

export interface MonitoringRuleView {
  county: string;
  pack: string;
  perCapitaIncome: number;
  inscopeLine: number;
  totalLine: number;
}

export interface MonitoringRun {
  runId: number;
  month: string;
  year: number;
  rules: MonitoringRuleView[];
  created: number;
  reopened: number;
  withdrawn: number;
  actorId: string;
  startedAt: string;
  finishedAt: string | null;
}

/** POST /monitoring/runs: the run's counts (`ms` how long it took). */
export interface RunAnswer {
  runId: number;
  month: string;
  created: number;
  reopened: number;
  withdrawn: number;
  ms: number;
}

export interface PushAnswer {
  pushId: number;
  month: string;
  warnings: number;
  xlsx: string;
}

/** A push as GET /monitoring/pushes lists it (the table's own column names). */
export interface PushRow {
  push_id: number;
  month: string;
  warnings: number;
  actor_id: string;
  created_at: string;
  /** Its webhook deliveries: sent, still being tried, given up. */
  delivered: number;
  pending: number;
  failed: number;
}

export interface WatchPerson {
  certno: string;
  name: string;
  regionCode: string;
  townshipName: string | null;
  threshold: Threshold;
  categories: string[];
  amount: number;
  line: number;
  sharePercent: number;
  monthlyAverage: number;
  projectedYearEnd: number;
  projectedCrossingMonth: string | null;
}

export interface WatchPage {
  month: string;
  total: number;
  people: WatchPerson[];
}

export interface WarningCounts {
  warnings: number;
  open: number;
  pushed: number;
  confirmed: number;
  dismissed: number;
  assisted: number;
  withdrawn: number;
}

export interface WarningDashboard {
  year: number;
  totals: WarningCounts;
  byMonth: (WarningCounts & { month: string })[];
  byTownship: (WarningCounts & { townshipCode: string; townshipName: string | null })[];
  byCategory: (WarningCounts & { category: string })[];
  byThreshold: (WarningCounts & { threshold: Threshold })[];
}

// ---- assistance programmes (救助项目): src/assistance/http/routes.ts --------------------------

export interface BudgetAlert {
  alertId: number;
  programmeId: number;
  /** Percent: 80 or 100. */
  threshold: number;
  budget: number;
  spent: number;
  raisedBy: string;
  raisedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

export interface Programme {
  programmeId: number;
  regionCode: string;
  code: string;
  year: number;
  title: Message;
  budget: number;
  tiers: string[];
  eligibleCategories: string[];
  cardCategory: string | null;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface ProgrammeStatus extends Programme {
  spent: number;
  remaining: number;
  usedPercent: number | null;
  overspent: boolean;
  alerts: BudgetAlert[];
  cards: Record<CardStatus, number>;
}

export type CardStatus = 'active' | 'suspended' | 'revoked';

export interface Card {
  cardId: number;
  certno: string;
  name: string;
  regionCode: string;
  villageCode: string;
  programme: string;
  cardNo: string;
  status: CardStatus;
  issuedOn: string;
  fromMonth: string;
  lastMonth: string | null;
  reason: string;
  updatedAt: string;
  updatedBy: string;
}

export interface CardEvent {
  seq: number;
  event: 'issue' | 'adopt' | 'suspend' | 'reinstate' | 'revoke';
  month: string;
  actorId: string;
  reason: string;
  at: string;
}

export interface CardPage {
  total: number;
  cards: Card[];
}

export interface AlertWithProgramme extends BudgetAlert {
  programme: Programme;
}

interface KindFigures {
  people: number;
  times: number;
  amount: number;
}

export interface YearFigures {
  year: number;
  budget: number | null;
  outpatient: KindFigures;
  inpatient: KindFigures;
  total: { people: number; amount: number };
  cards: { issued: number; heldAtYearEnd: number };
  /** A hospital-waiver programme: each rule of its agreement (stays, drugs delivered) apart. */
  waivers: (KindFigures & { code: string })[];
}

export interface YearEndReport {
  programme: { programmeId: number; code: string; year: number; title: Message };
  budget: {
    budget: number;
    spent: number;
    remaining: number;
    usedPercent: number | null;
    overspent: boolean;
    alerts: number[];
  };
  scoped: boolean;
  current: YearFigures;
  previous: YearFigures;
  change: { people: number; amount: number; outpatientPeople: number; inpatientPeople: number };
}

export interface Batch {
  batchId: number;
  fileName: string;
  actorId: string;
  rowsRead: number;
  settled: number;
  duplicates: number;
  rejected: number;
  payable: number;
  createdAt: string;
  finishedAt: string | null;
}

export interface RejectedRow {
  rowNumber: number;
  certno: string | null;
  name: string | null;
  field: string | null;
  reason: Message;
}

export interface BatchAnswer extends Batch {
  people: number;
  alerts: BudgetAlert[];
  rejects: RejectedRow[];
  rejectsTruncated: boolean;
}

export interface Payment {
  certno: string;
  name: string;
  villageCode: string;
  villageName: string;
  townshipCode: string;
  townshipName: string;
  amount: number;
  records: number;
  cardRef: string | null;
  exportedAt: string | null;
  confirmedAt: string | null;
  confirmedBy: string | null;
  signedOn: string | null;
}

// ---- reconciliation (数据比对) and the problem ledger (问题台账): src/reconcile/routes.ts -------

export type ProblemState = 'open' | 'rectified' | 'verified' | 'closed';
export type PassChange = 'new' | 'still_open' | 'accepted' | 'fixed';

export interface Campaign {
  campaignId: number;
  name: string;
  regionCode: string;
  medicalYear: number;
  dueDays: number;
  createdAt: string;
  createdBy: string;
}

export interface ListInfo {
  listId: number;
  campaignId: number;
  department: string;
  listKind: string;
  asOf: string;
  fileName: string;
  template: string | null;
  rowsRead: number;
  accepted: number;
  rejected: number;
  importedAt: string;
  importedBy: string;
}

export interface PassSummary {
  lists: { listId: number; department: string; listKind: string; asOf: string; rows: number }[];
  rows: number;
  findings: number;
  problems: Record<string, number>;
  byKind: Record<string, Record<PassChange, number>>;
  totals: Record<PassChange, number>;
}

export interface PassInfo {
  campaignId: number;
  passNo: number;
  listIds: number[];
  refMonth: string;
  refundCutoff: string;
  runAt: string;
  runBy: string;
  summary: Partial<PassSummary>;
}

export interface CampaignDetail extends Campaign {
  lists: ListInfo[];
  passes: PassInfo[];
}

export interface ListUploadAnswer {
  listId: number;
  rowsRead: number;
  accepted: number;
  rejected: number;
  rejects: RejectedRow[];
  rejectsTruncated: boolean;
}

export interface ColumnTemplate {
  department: string;
  name: string;
  listKind: string;
  mapping: Record<string, string>;
  updatedAt: string;
  updatedBy: string;
}

export interface Candidate {
  candidateId: number;
  listId: number;
  rowNumber: number;
  department: string;
  listKind: string;
  rowCertno: string;
  rowName: string;
  certno: string;
  name: string;
  regionCode: string;
  score: number;
  nameScore: number;
  idDistance: number;
  status: 'proposed' | 'confirmed' | 'rejected';
}

export type ChangeView =
  | { what: 'person'; patch: Record<string, unknown> }
  | { what: 'flag.create'; category: string; fromMonth: string; recognisedOn: string | null }
  | { what: 'flag.end'; flagId: number; category: string; toMonth: string; endReason: string }
  | {
      what: 'enrolment.create';
      year: number;
      scheme: string;
      contributionType: string;
      benefitFrom: string;
    }
  | {
      what: 'enrolment.update';
      enrolmentId: number;
      year: number | null;
      patch: Record<string, unknown>;
    };

export interface ApplyReport {
  campaignId: number;
  passNo: number;
  dryRun: boolean;
  counts: {
    people: number;
    steps: number;
    personChanges: number;
    flagsCreated: number;
    flagsEnded: number;
    enrolmentsCreated: number;
    enrolmentsUpdated: number;
    refunds: number;
    /** Fen. */
    refundTotal: number;
    skipped: number;
  };
  steps: {
    certno: string;
    name: string;
    findingKey: string;
    kind: string;
    action: string;
    changes: ChangeView[];
  }[];
  skipped: { certno: string; findingKey: string; kind: string; reason: Message }[];
}

export interface Problem {
  problemId: number;
  campaignId: number;
  findingKey: string;
  kind: string;
  category: string | null;
  certno: string | null;
  certnoRaw: string | null;
  name: string | null;
  department: string | null;
  regionCode: string;
  regionName: string | null;
  state: ProblemState;
  resolution: string | null;
  firstPass: number;
  lastSeenPass: number;
  dueOn: string;
  overdue: boolean;
  detail: Record<string, unknown>;
  updatedAt: string;
}

export interface ProblemEvent {
  eventId: number;
  at: string;
  actorId: string;
  actorName: string;
  event: string;
  fromState: string | null;
  toState: string | null;
  passNo: number | null;
  comment: string | null;
}

export interface ProblemDetail extends Problem {
  history: ProblemEvent[];
}

export interface ProblemPage {
  items: Problem[];
  total: number;
  page: number;
  pageSize: number;
}

export interface DashboardCell {
  regionCode: string;
  regionName: string | null;
  kind: string;
  open: number;
  rectified: number;
  verified: number;
  closed: number;
  overdue: number;
}

// 门诊慢特病 and 两病 (/api/v1/chronic): screening, applications, review, certificates, filings.

export type DiseaseKind = 'chronic' | 'special';

export interface CatalogueDisease {
  code: string;
  name: Message;
  nationalCode: string;
  kind: DiseaseKind;
  /** Annual sub-cap in yuan; null for special diseases. */
  subCap: number | null;
  diagnoses: string[];
}

export interface ChecklistDocument {
  kind: string;
  required: boolean;
  name: Message;
}

export interface DiseaseCatalogue {
  pack: string;
  reviewSteps: 1 | 2;
  documents: ChecklistDocument[];
  diseases: CatalogueDisease[];
}

export type ApplicationStatus = 'incomplete' | 'under_review' | 'decided' | 'withdrawn';
export type Decision = 'pending' | 'approved' | 'refused';
export type RefusalReason =
  'not_meeting_criteria' | 'documents_insufficient' | 'not_in_catalogue' | 'other';
export type ApplicationChannel = 'window' | 'township' | 'doctor' | 'hospital' | 'gateway';

export interface ApplicationDisease {
  disease: string;
  name: Message;
  diagnosis: string | null;
  decision: Decision;
  step: number;
  reason: RefusalReason | null;
  reasonNote: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface Attachment {
  id: number | string;
  kind: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  uploadedAt: string;
}

export interface ApplicationView {
  id: number | string;
  certno: string;
  name: string;
  regionCode: string;
  channel: ApplicationChannel;
  fixmedinsCode: string | null;
  status: ApplicationStatus;
  acceptedOn: string;
  documentsDue: string | null;
  onsite: boolean;
  reviewSteps: number;
  note: string | null;
  createdBy: string;
  createdAt: string;
  diseases: ApplicationDisease[];
  documents: Attachment[];
  missingDocuments: string[];
  certificateNo: string | null;
}

export interface Paged<T> {
  items: T[];
  total: number;
}

export interface CertificateDisease {
  disease: string;
  name: Message;
  kind: DiseaseKind;
  validFrom: string;
  validTo: string | null;
  applicationId: number | string | null;
  endedReason: string | null;
  endedNote: string | null;
  endedAt: string | null;
  active: boolean;
}

export interface Certificate {
  certificateNo: string;
  certno: string;
  name: string;
  regionCode: string;
  issuedOn: string;
  source: string;
  diseases: CertificateDisease[];
}

export type TwoDisease = 'hypertension' | 'diabetes';

export interface Filing {
  id: number | string;
  certno: string;
  name: string;
  disease: TwoDisease;
  diagnosis: string | null;
  fixmedinsCode: string;
  institutionName: string | null;
  regionCode: string;
  validFrom: string;
  validTo: string | null;
  source: string;
  endedReason: string | null;
  createdBy: string;
  createdAt: string;
}

export type NotApplyingReason =
  'no_chronic_disease' | 'review_not_passed' | 'not_in_catalogue' | 'no_outpatient_need';

export interface Screening {
  id: number | string;
  periodFrom: string;
  periodTo: string;
  criteria: { categories?: string[]; regionCode?: string | null } & Record<string, unknown>;
  listed: number;
  createdBy: string;
  createdAt: string;
}

export interface ScreenedPerson {
  certno: string;
  name: string;
  regionCode: string;
  regionName: string | null;
  diseases: string[];
  diagnoses: string[];
  visitedOn: string | null;
  notApplying: NotApplyingReason | null;
  note: string | null;
  applicationId: number | string | null;
  applicationStatus: ApplicationStatus | null;
  certified: boolean;
  /** Refused on review (a disease of the list). */
  refused?: boolean;
  recordedBy?: string | null;
  recordedAt?: string | null;
}

export interface Funnel {
  /** The screening counted (the latest by default); null before any. */
  screeningId?: number | null;
  screened: number;
  visited: number;
  applied: number;
  certified: number;
  refused: number;
  notApplying: Partial<Record<NotApplyingReason, number>>;
}

export interface PersonChronic {
  certificate: Certificate | null;
  filings: Filing[];
  applications: ApplicationView[];
  screening: {
    screeningId: number | string;
    notApplying: NotApplyingReason | null;
    note: string | null;
    visitedOn: string | null;
  }[];
}
