/**
 * Assistance programmes (救助项目): a county programme per year with a budget in fen, the tiers
 * whose payments are charged to it, who may hold its card, and the card's identity category
 * (the flag settlement reads). Names follow shared/GLOSSARY.md.
 */
import type { Fen } from '../kernel/money.ts';
import type { Month } from '../kernel/period.ts';
import type { Category, Tier } from '../policy/index.ts';

/** Tiers a programme may fund: insurance funds (basic, critical illness) are not programmes. */
export const FUNDED_TIERS = ['assistance', 're_assistance', 'backstop', 'hospital_waiver'] as const;
/**
 * `hospital_waiver` is not a fund's tier but the step after the tiers (docs/settlement.md §9): a
 * programme that accounts a hospital's waiver under an agreement (free inpatient treatment).
 */
export type FundedTier = (typeof FUNDED_TIERS)[number] & (Tier | 'hospital_waiver');

/** Budget alert thresholds in basis points: 80 % and 100 %. */
export const ALERT_THRESHOLDS = [8_000, 10_000] as const;
export type AlertThreshold = (typeof ALERT_THRESHOLDS)[number];

export interface Programme {
  programmeId: number;
  /** The county (6 digits) the programme belongs to. */
  regionCode: string;
  code: string;
  year: number;
  title: { zh: string; en: string };
  budget: Fen;
  tiers: FundedTier[];
  eligibleCategories: Category[];
  cardCategory: Category | null;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface BudgetAlert {
  alertId: number;
  programmeId: number;
  thresholdBp: AlertThreshold;
  budget: Fen;
  spent: Fen;
  raisedBy: string;
  raisedAt: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

export const CARD_STATUSES = ['active', 'suspended', 'revoked'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

export const CARD_EVENTS = ['issue', 'adopt', 'suspend', 'reinstate', 'revoke'] as const;
export type CardEvent = (typeof CARD_EVENTS)[number];

export interface Card {
  cardId: number;
  certno: string;
  regionCode: string;
  programme: string;
  cardNo: string;
  status: CardStatus;
  issuedOn: string;
  fromMonth: Month;
  /** The last month the card holds (suspended or revoked), or null while active. */
  lastMonth: Month | null;
  flagId: number | null;
  version: number;
  updatedAt: string;
  updatedBy: string;
  reason: string;
}
