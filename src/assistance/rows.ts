/** Database rows of the assistance tables and their mapping to the model. */
import type { Category } from '../policy/index.ts';
import type {
  AlertThreshold,
  BudgetAlert,
  Card,
  CardStatus,
  FundedTier,
  Programme,
} from './model.ts';

export interface ProgrammeRow {
  programme_id: number;
  region_code: string;
  code: string;
  year: number;
  title_zh: string;
  title_en: string;
  budget: number;
  tiers: FundedTier[];
  eligible_categories: Category[];
  card_category: Category | null;
  version: number;
  updated_at: string;
  updated_by: string;
}

export const toProgramme = (r: ProgrammeRow): Programme => ({
  programmeId: r.programme_id,
  regionCode: r.region_code,
  code: r.code,
  year: r.year,
  title: { zh: r.title_zh, en: r.title_en },
  budget: r.budget,
  tiers: r.tiers,
  eligibleCategories: r.eligible_categories,
  cardCategory: r.card_category,
  version: r.version,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

export interface AlertRow {
  alert_id: number;
  programme_id: number;
  threshold_bp: AlertThreshold;
  budget: number;
  spent: number;
  raised_by: string;
  raised_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
}

export const toAlert = (r: AlertRow): BudgetAlert => ({
  alertId: r.alert_id,
  programmeId: r.programme_id,
  thresholdBp: r.threshold_bp,
  budget: r.budget,
  spent: r.spent,
  raisedBy: r.raised_by,
  raisedAt: r.raised_at,
  acknowledgedBy: r.acknowledged_by,
  acknowledgedAt: r.acknowledged_at,
});

export interface CardRow {
  card_id: number;
  certno: string;
  region_code: string;
  programme: string;
  card_no: string;
  status: CardStatus;
  issued_on: string;
  from_month: string;
  last_month: string | null;
  flag_id: number | null;
  version: number;
  updated_at: string;
  updated_by: string;
  reason: string;
}

export const toCard = (r: CardRow): Card => ({
  cardId: r.card_id,
  certno: r.certno,
  regionCode: r.region_code,
  programme: r.programme,
  cardNo: r.card_no,
  status: r.status,
  issuedOn: r.issued_on,
  fromMonth: r.from_month,
  lastMonth: r.last_month,
  flagId: r.flag_id,
  version: r.version,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
  reason: r.reason,
});
