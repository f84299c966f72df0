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
  contribution: number;
  fundedAmount: number;
  funder: string | null;
  enrolledOn: string;
  benefitFrom: string;
  benefitTo: string | null;
  endReason: string | null;
  refund: number;
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
}

export interface TrialAnswer {
  results: (Record<string, number> & { id: string; explain: Explain[] })[];
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
