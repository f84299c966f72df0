/**
 * What the care-team API answers (docs/care-teams.md §6): zod schemas for the OpenAPI document
 * and the mapping from the service's records, masked for the caller. Without
 * registry:sensitive:read the diagnosis, the visit's medication and notes, the symptomatic
 * treatment and the referral's outcome read `***` (or null); whole ID numbers need
 * registry:certno:read. Names, contacts, condition and risk level stay: the team acts on them.
 */
import { z } from 'zod';
import { certnoFor, MASKED, mayReadSensitive } from '../../kernel/access/masking.ts';
import type { Actor } from '../../kernel/access/actor.ts';
import {
  CONDITIONS,
  MEMBER_ROLES,
  REPORT_STATUSES,
  type Member,
  type Notification,
  type OverdueRow,
  type Report,
  type Team,
  type TeamSummaryRow,
  type Visit,
} from './team-model.ts';

type Holder = Pick<Actor, 'permissions'>;
const secret = (actor: Holder, v: string | null) =>
  v === null || mayReadSensitive(actor) ? v : MASKED;

export const memberView = z.object({
  memberId: z.number().int(),
  role: z.enum(MEMBER_ROLES),
  name: z.string(),
  contact: z.string(),
  from: z.string(),
  to: z.string().nullable(),
});

export const visitView = z.object({
  visitId: z.number().int(),
  certno: z.string(),
  visitedOn: z.string(),
  visitor: z.string(),
  condition: z.enum(CONDITIONS),
  medicationAsPrescribed: z.boolean().nullable().describe('无敏感信息权限时为 null'),
  riskLevel: z.number().int(),
  nextDue: z.string(),
  note: z.string().nullable(),
});

export const teamView = z.object({
  certno: z.string(),
  name: z.string(),
  regionCode: z.string(),
  formedOn: z.string(),
  diagnosis: z.string().nullable(),
  members: z.array(memberView),
  history: z.array(memberView),
  lastVisit: visitView.nullable(),
});

export const teamRowView = z.object({
  certno: z.string(),
  name: z.string(),
  regionCode: z.string(),
  formedOn: z.string(),
  lead: z.string().nullable(),
  lastVisitOn: z.string().nullable(),
  nextDue: z.string().nullable(),
});

export const overdueView = z.object({
  asOf: z.string(),
  rows: z.array(
    z.object({
      certno: z.string(),
      name: z.string(),
      regionCode: z.string(),
      lastVisitOn: z.string().nullable(),
      dueOn: z.string(),
      daysOverdue: z.number().int(),
    }),
  ),
});

export const notificationView = z.object({
  notificationId: z.number().int(),
  recipientKind: z.enum(['police_station', 'member']),
  memberId: z.number().int().nullable(),
  recipientRole: z.string(),
  recipientName: z.string(),
  contact: z.string().nullable(),
  sentAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
});

const reportBase = {
  reportId: z.number().int(),
  certno: z.string(),
  name: z.string(),
  regionCode: z.string(),
  visitId: z.number().int().nullable(),
  reportedOn: z.string(),
  riskLevel: z.number().int().nullable(),
  treatment: z.string(),
  referredTo: z.string(),
  status: z.enum(REPORT_STATUSES),
  outcome: z.string().nullable(),
  closedOn: z.string().nullable(),
};
export const reportRowView = z.object(reportBase);
export const reportView = z.object({
  ...reportBase,
  notifications: z.array(notificationView),
  team: z.array(memberView),
});

export const summaryView = z.object({
  year: z.number().int(),
  rows: z.array(
    z.object({ township: z.string(), status: z.enum(REPORT_STATUSES), count: z.number().int() }),
  ),
});

export const toMemberView = (m: Member): z.infer<typeof memberView> => ({ ...m });

export const toVisitView = (actor: Holder, v: Visit): z.infer<typeof visitView> => ({
  ...v,
  certno: certnoFor(actor, v.certno),
  medicationAsPrescribed: mayReadSensitive(actor) ? v.medicationAsPrescribed : null,
  note: secret(actor, v.note),
});

export const toTeamView = (actor: Holder, t: Team): z.infer<typeof teamView> => ({
  ...t,
  certno: certnoFor(actor, t.certno),
  diagnosis: secret(actor, t.diagnosis),
  members: t.members.map(toMemberView),
  history: t.history.map(toMemberView),
  lastVisit: t.lastVisit && toVisitView(actor, t.lastVisit),
});

export const toTeamRowView = (actor: Holder, t: TeamSummaryRow): z.infer<typeof teamRowView> => ({
  ...t,
  certno: certnoFor(actor, t.certno),
});

export const toOverdueRow = (actor: Holder, r: OverdueRow) => ({
  ...r,
  certno: certnoFor(actor, r.certno),
});

export const toNotificationView = (n: Notification): z.infer<typeof notificationView> => ({ ...n });

export const toReportRowView = (
  actor: Holder,
  r: Omit<Report, 'notifications'>,
): z.infer<typeof reportRowView> => ({
  ...r,
  certno: certnoFor(actor, r.certno),
  treatment: secret(actor, r.treatment) ?? MASKED,
  outcome: secret(actor, r.outcome),
});

export const toReportView = (actor: Holder, r: Report): z.infer<typeof reportView> => ({
  ...toReportRowView(actor, r),
  notifications: r.notifications.map(toNotificationView),
  team: r.team.map(toMemberView),
});
