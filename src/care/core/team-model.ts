/**
 * The care team of a severe-mental patient (关爱帮扶小组, docs/care-teams.md): its members, the
 * regular visits, the unstable-patient reports with their notifications. Types only.
 */
import type { IsoDate } from '../../kernel/period.ts';

/** The roles of a care team; the village committee head leads it (docs/care-teams.md §2). */
export const MEMBER_ROLES = [
  'village_head',
  'guardian',
  'specialist',
  'medical_staff',
  'police_officer',
  'disabled_federation',
  'civil_affairs',
] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const MEMBER_ROLE_LABELS: Record<MemberRole, { zh: string; en: string }> = {
  village_head: { zh: '村委会主任（组长）', en: 'village committee head (lead)' },
  guardian: { zh: '监护人', en: 'guardian' },
  specialist: { zh: '综治专干', en: 'comprehensive-management specialist' },
  medical_staff: { zh: '医务人员', en: 'medical staff' },
  police_officer: { zh: '派出所民警', en: 'police officer of the station' },
  disabled_federation: { zh: '残联', en: "disabled persons' federation" },
  civil_affairs: { zh: '民政', en: 'civil affairs' },
};

export const CONDITIONS = ['stable', 'unstable'] as const;
export type Condition = (typeof CONDITIONS)[number];

export const REPORT_STATUSES = ['referred', 'admitted', 'returned', 'closed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export interface Member {
  memberId: number;
  role: MemberRole;
  name: string;
  contact: string;
  from: IsoDate;
  to: IsoDate | null;
}

export interface MemberInput {
  role: MemberRole;
  name: string;
  contact: string;
}

export interface Team {
  certno: string;
  name: string;
  regionCode: string;
  formedOn: IsoDate;
  /** The severe-mental diagnosis or disease the person is registered with (sensitive). */
  diagnosis: string | null;
  members: Member[];
  /** Members who left the team, latest first. */
  history: Member[];
  lastVisit: Visit | null;
}

export interface TeamSummaryRow {
  certno: string;
  name: string;
  regionCode: string;
  formedOn: IsoDate;
  lead: string | null;
  lastVisitOn: IsoDate | null;
  nextDue: IsoDate | null;
}

export interface VisitInput {
  visitedOn: IsoDate;
  visitor: string;
  condition: Condition;
  medicationAsPrescribed: boolean;
  riskLevel: number;
  nextDue?: IsoDate | null | undefined;
  note?: string | null | undefined;
}

export interface Visit {
  visitId: number;
  certno: string;
  visitedOn: IsoDate;
  visitor: string;
  condition: Condition;
  medicationAsPrescribed: boolean;
  riskLevel: number;
  nextDue: IsoDate;
  note: string | null;
}

export interface OverdueRow {
  certno: string;
  name: string;
  regionCode: string;
  lastVisitOn: IsoDate | null;
  dueOn: IsoDate;
  daysOverdue: number;
}

export interface ReportInput {
  reportedOn: IsoDate;
  visitId?: number | null | undefined;
  treatment: string;
  referredTo: string;
}

export interface Notification {
  notificationId: number;
  recipientKind: 'police_station' | 'member';
  memberId: number | null;
  recipientRole: string;
  recipientName: string;
  contact: string | null;
  sentAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export interface Report {
  reportId: number;
  certno: string;
  name: string;
  regionCode: string;
  visitId: number | null;
  reportedOn: IsoDate;
  riskLevel: number | null;
  treatment: string;
  referredTo: string;
  status: ReportStatus;
  outcome: string | null;
  closedOn: IsoDate | null;
  notifications: Notification[];
  /** The team's current members and contacts (what the station acts on). */
  team: Member[];
}

export interface SummaryRow {
  township: string;
  status: ReportStatus;
  count: number;
}
