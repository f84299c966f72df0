/**
 * The rules of a care team (docs/care-teams.md §2–§4): who must be on it, how a change of
 * members keeps history, when the next visit is due, who is told of an unstable patient and how
 * a referral moves to closure. Pure: the day is passed in.
 */
import { addDays } from '../../kernel/dates.ts';
import { invalid, unprocessable } from '../../kernel/errors.ts';
import type { IsoDate } from '../../kernel/period.ts';
import {
  MEMBER_ROLE_LABELS,
  type Member,
  type MemberInput,
  type ReportStatus,
  type VisitInput,
} from './team-model.ts';

/** A team has a lead (the village committee head), exactly one (docs/care-teams.md §2). */
export function checkMembers(members: readonly MemberInput[]): void {
  const leads = members.filter((m) => m.role === 'village_head');
  if (leads.length === 0) {
    throw unprocessable(
      'care.team_lead_required',
      'members',
      `关爱帮扶小组须有组长：${MEMBER_ROLE_LABELS.village_head.zh}`,
      `a care team needs its lead: the ${MEMBER_ROLE_LABELS.village_head.en}`,
    );
  }
  if (leads.length > 1) {
    throw unprocessable(
      'care.team_lead_twice',
      'members',
      '关爱帮扶小组只有一名组长',
      'a care team has one lead',
    );
  }
  const seen = new Set<string>();
  for (const m of members) {
    const key = `${m.role}\u0000${m.name}`;
    if (seen.has(key)) {
      throw invalid(
        'care.member_twice',
        'members',
        `成员重复：${m.name}（${MEMBER_ROLE_LABELS[m.role].zh}）`,
        `member listed twice: ${m.name} (${MEMBER_ROLE_LABELS[m.role].en})`,
      );
    }
    seen.add(key);
  }
}

const same = (a: MemberInput, b: MemberInput) =>
  a.role === b.role && a.name === b.name && a.contact === b.contact;

/**
 * A new composition against the current one: members not in it leave the day before `on`, new
 * ones join on `on`, unchanged ones stay (their history is their row).
 */
export function memberChanges(
  current: readonly Member[],
  wanted: readonly MemberInput[],
  on: IsoDate,
): { end: Member[]; add: MemberInput[]; endOn: IsoDate } {
  const end = current.filter((c) => !wanted.some((w) => same(c, w)));
  const add = wanted.filter((w) => !current.some((c) => same(c, w)));
  for (const e of end) {
    if (e.from > on) {
      throw unprocessable(
        'care.change_before_join',
        'on',
        `变更日期早于成员 ${e.name} 的加入日期 ${e.from}`,
        `the change date is before ${e.name} joined on ${e.from}`,
      );
    }
  }
  // A member who joined on `on` itself and is replaced the same day ends that day (repo: GREATEST).
  return { end, add, endOn: addDays(on, -1) };
}

/** A date may not lie after today (the bureau's day). */
export function checkNotFuture(date: IsoDate, today: IsoDate, field: string): void {
  if (date > today) {
    throw invalid(
      'care.date_in_future',
      field,
      `${field} 不能晚于今天（${today}）`,
      `${field} cannot be after today (${today})`,
    );
  }
}

/**
 * When the next visit is due (docs/care-teams.md §3): two weeks for an unstable patient or risk
 * level 3 and above, a month for risk 1–2, three months for a stable patient at risk 0 — unless
 * the visitor set a date, which must follow the visit.
 */
export function nextDue(v: VisitInput): IsoDate {
  if (v.nextDue != null) {
    if (v.nextDue <= v.visitedOn) {
      throw invalid(
        'care.next_due_before_visit',
        'nextDue',
        '下次随访日期应晚于本次随访日期',
        'the next visit is due after this one',
      );
    }
    return v.nextDue;
  }
  if (v.condition === 'unstable' || v.riskLevel >= 3) return addDays(v.visitedOn, 14);
  if (v.riskLevel >= 1) return addDays(v.visitedOn, 30);
  return addDays(v.visitedOn, 90);
}

/** Days between two dates (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** A team never visited is due two weeks after it was formed. */
export const firstVisitDue = (formedOn: IsoDate): IsoDate => addDays(formedOn, 14);

/** Who is told of an unstable patient: the township's police station, then every member. */
export function recipients(
  members: readonly Member[],
  township: string,
): {
  recipientKind: 'police_station' | 'member';
  memberId: number | null;
  recipientRole: string;
  recipientName: string;
  contact: string | null;
}[] {
  return [
    {
      recipientKind: 'police_station',
      memberId: null,
      recipientRole: 'police_station',
      recipientName: `派出所（${township}）`,
      contact: null,
    },
    ...members.map((m) => ({
      recipientKind: 'member' as const,
      memberId: m.memberId,
      recipientRole: m.role,
      recipientName: m.name,
      contact: m.contact,
    })),
  ];
}

/** referred → admitted | returned → closed; a closed report stays closed. */
const NEXT: Record<ReportStatus, readonly ReportStatus[]> = {
  referred: ['admitted', 'returned', 'closed'],
  admitted: ['returned', 'closed'],
  returned: ['closed', 'admitted'],
  closed: [],
};

export function checkTransition(from: ReportStatus, to: ReportStatus): void {
  if (!NEXT[from].includes(to)) {
    throw unprocessable(
      'care.report_status',
      'status',
      `转诊状态不能由 ${from} 变为 ${to}`,
      `a referral cannot go from ${from} to ${to}`,
    );
  }
}
