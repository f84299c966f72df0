/**
 * Care teams of severe-mental patients (docs/care-teams.md): teams and their dated member
 * changes, visits, unstable-patient reports with their notifications and referral outcome.
 * Each change is one transaction that locks the person, reads them in the caller's scope (404
 * outside it), lets core/ decide, writes and appends an audit entry. Every read of a care record
 * is audited too (§6): what it reveals is a psychiatric condition, whoever reads it.
 */
import { appendAudit, recordAudit } from '../audit/index.ts';
import type { Actor, DataScope } from '../kernel/access/actor.ts';
import type { Db, Queryable } from '../db/db.ts';
import { localDate } from '../kernel/clock.ts';
import { notFound, unprocessable } from '../kernel/errors.ts';
import { medicalYear, type IsoDate } from '../kernel/period.ts';
import { personNotFound } from '../registry/index.ts';
import type { Page } from '../chronic/index.ts';
import type {
  Member,
  MemberInput,
  OverdueRow,
  Report,
  ReportInput,
  ReportStatus,
  SummaryRow,
  Team,
  TeamSummaryRow,
  Visit,
  VisitInput,
} from './core/team-model.ts';
import {
  checkMembers,
  checkNotFuture,
  checkTransition,
  memberChanges,
  nextDue,
  recipients,
} from './core/team-rules.ts';
import {
  acknowledge,
  endMembers,
  findPatient,
  findReport,
  findVisit,
  insertMembers,
  insertNotifications,
  insertReport,
  insertTeam,
  insertVisit,
  listReports,
  listTeams,
  membersOf,
  notificationsOf,
  overdue,
  setReportStatus,
  summary,
  teamRow,
  visitsOf,
  type PatientRow,
  type ReportFilter,
  type TeamFilter,
} from './repo/teams.ts';

export interface TeamChange {
  members: MemberInput[];
  /** The day the composition takes effect; defaults to today. */
  on?: IsoDate | undefined;
  reason?: string | null | undefined;
}

export interface OutcomeInput {
  status: ReportStatus;
  on: IsoDate;
  outcome?: string | null | undefined;
}

const teamNotFound = (certno: string) =>
  notFound(
    'care.team_not_found',
    'certno',
    `未找到 ${certno.slice(0, 6)}… 的关爱帮扶小组`,
    'no care team for this person',
  );

const reportNotFound = () =>
  notFound('care.report_not_found', 'id', '未找到该报告', 'no such report');

const current = (members: readonly Member[], on: IsoDate) =>
  members.filter((m) => m.from <= on && (m.to === null || m.to >= on));

/** The region a scope's summary counts cover (counts name nobody). */
const regionOf = (scope: DataScope): string => (scope.kind === 'system' ? '' : scope.regionCode);

/** Police accounts read reports for their station: their read is the station's acknowledgement. */
const isPolice = (actor: Actor) => actor.roles.includes('police');

export class CareTeamService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  today(): IsoDate {
    return localDate(this.now());
  }

  private async patient(q: Queryable, actor: Actor, certno: string, lock = false) {
    const p = await findPatient(q, actor.scope, certno, this.today(), lock);
    if (!p) throw personNotFound(certno);
    return p;
  }

  private async teamOf(q: Queryable, p: PatientRow): Promise<Team> {
    const t = await teamRow(q, p.certno);
    if (!t) throw teamNotFound(p.certno);
    const all = await membersOf(q, p.certno);
    const visits = await visitsOf(q, p.certno, 1);
    return {
      certno: p.certno,
      name: p.name,
      regionCode: t.regionCode,
      formedOn: t.formedOn,
      diagnosis: p.certified ? 'S004 严重精神障碍' : p.registered ? '严重精神障碍' : null,
      members: all.filter((m) => m.to === null),
      history: all.filter((m) => m.to !== null),
      lastVisit: visits[0] ?? null,
    };
  }

  private readAudit(actor: Actor, action: string, entity: string, id: string, after: unknown) {
    return recordAudit(this.db, {
      actor,
      action,
      entity,
      entityId: id,
      certno: entity === 'care_team' || entity === 'care_visit' ? id : null,
      after,
    });
  }

  /** One team with its current members and history (an audited read). */
  async team(actor: Actor, certno: string): Promise<Team> {
    const t = await this.teamOf(this.db, await this.patient(this.db, actor, certno));
    await this.readAudit(actor, 'care.team.read', 'care_team', certno, {
      members: t.members.length,
    });
    return t;
  }

  /**
   * Forms the team or changes its composition: members left out end the day before `on`, new
   * ones join on `on`. Only a registered severe-mental patient has a team.
   */
  async setTeam(actor: Actor, certno: string, change: TeamChange): Promise<Team> {
    const today = this.today();
    const on = change.on ?? today;
    checkNotFuture(on, today, 'on');
    checkMembers(change.members);
    return this.db.transaction(async (tx) => {
      const p = await this.patient(tx, actor, certno, true);
      if (!p.registered && !p.certified) {
        throw unprocessable(
          'care.not_registered',
          'certno',
          '此人未登记为严重精神障碍患者，不建立关爱帮扶小组',
          'this person is not a registered severe-mental patient',
        );
      }
      const existing = await teamRow(tx, certno);
      const before = existing ? await this.teamOf(tx, p) : null;
      if (!existing)
        await insertTeam(tx, { certno, regionCode: p.regionCode, formedOn: on, by: actor.id });
      const { end, add, endOn } = memberChanges(before?.members ?? [], change.members, on);
      await endMembers(
        tx,
        certno,
        end.map((m) => m.memberId),
        endOn,
        actor.id,
      );
      await insertMembers(tx, certno, add, on, actor.id);
      const after = await this.teamOf(tx, p);
      await appendAudit(tx, {
        actor,
        action: existing ? 'care.team.update' : 'care.team.create',
        entity: 'care_team',
        entityId: certno,
        certno,
        before: before?.members ?? null,
        after: after.members,
        reason: change.reason ?? null,
      });
      return after;
    });
  }

  async teams(
    actor: Actor,
    filter: TeamFilter,
    page: Page,
  ): Promise<{ items: TeamSummaryRow[]; total: number }> {
    const r = await listTeams(this.db, actor.scope, filter, page);
    await this.readAudit(actor, 'care.team.list', 'care_team_list', filter.regionCode ?? '*', {
      certnos: r.items.map((t) => t.certno),
    });
    return r;
  }

  async visits(actor: Actor, certno: string): Promise<Visit[]> {
    const p = await this.patient(this.db, actor, certno);
    if (!(await teamRow(this.db, p.certno))) throw teamNotFound(certno);
    const v = await visitsOf(this.db, certno);
    await this.readAudit(actor, 'care.visit.read', 'care_visit', certno, { visits: v.length });
    return v;
  }

  async recordVisit(actor: Actor, certno: string, input: VisitInput): Promise<Visit> {
    checkNotFuture(input.visitedOn, this.today(), 'visitedOn');
    const due = nextDue(input);
    return this.db.transaction(async (tx) => {
      const p = await this.patient(tx, actor, certno, true);
      const t = await teamRow(tx, certno);
      if (!t) throw teamNotFound(certno);
      const v = await insertVisit(tx, {
        ...input,
        certno,
        regionCode: p.regionCode,
        nextDue: due,
        by: actor.id,
      });
      await appendAudit(tx, {
        actor,
        action: 'care.visit.create',
        entity: 'care_visit',
        entityId: String(v.visitId),
        certno,
        after: v,
      });
      return v;
    });
  }

  async overdue(
    actor: Actor,
    asOf: IsoDate | undefined,
    regionCode: string | undefined,
    limit = 10_000,
  ): Promise<{ asOf: IsoDate; rows: OverdueRow[] }> {
    const day = asOf ?? this.today();
    const rows = await overdue(this.db, actor.scope, day, regionCode, limit);
    await this.readAudit(actor, 'care.overdue.read', 'care_overdue', regionCode ?? '*', {
      asOf: day,
      certnos: rows.map((r) => r.certno),
    });
    return { asOf: day, rows };
  }

  /**
   * An unstable patient's report: the referral after symptomatic treatment, and one notification
   * to the township's police station and to every member of the team on the day.
   */
  async report(actor: Actor, certno: string, input: ReportInput): Promise<Report> {
    checkNotFuture(input.reportedOn, this.today(), 'reportedOn');
    const id = await this.db.transaction(async (tx) => {
      const p = await this.patient(tx, actor, certno, true);
      const t = await teamRow(tx, certno);
      if (!t) throw teamNotFound(certno);
      if (input.visitId != null && !(await findVisit(tx, certno, input.visitId))) {
        throw notFound('care.visit_not_found', 'visitId', '未找到该随访记录', 'no such visit');
      }
      const reportId = await insertReport(tx, {
        certno,
        regionCode: p.regionCode,
        visitId: input.visitId ?? null,
        reportedOn: input.reportedOn,
        treatment: input.treatment,
        referredTo: input.referredTo,
        by: actor.id,
      });
      const members = current(await membersOf(tx, certno), input.reportedOn);
      const to = recipients(members, p.regionCode.slice(0, 9));
      await insertNotifications(tx, certno, reportId, to);
      await appendAudit(tx, {
        actor,
        action: 'care.report.create',
        entity: 'care_report',
        entityId: String(reportId),
        certno,
        after: { ...input, notified: to.map((n) => n.recipientName) },
      });
      return reportId;
    });
    return this.loadReport(this.db, actor, id);
  }

  private async loadReport(q: Queryable, actor: Actor, id: number): Promise<Report> {
    const r = await findReport(q, actor.scope, id);
    if (!r) throw reportNotFound();
    const members = await membersOf(q, r.certno);
    return {
      ...r,
      notifications: await notificationsOf(q, r.certno, id),
      team: members.filter((m) => m.to === null),
    };
  }

  /** One report; a police account's read acknowledges the station's notification. */
  async readReport(actor: Actor, id: number): Promise<Report> {
    const r = await this.loadReport(this.db, actor, id);
    if (isPolice(actor)) {
      await this.db.transaction(async (tx) => {
        const n = await acknowledge(
          tx,
          r.certno,
          id,
          { recipientKind: 'police_station' },
          actor.id,
        );
        if (n > 0) {
          await appendAudit(tx, {
            actor,
            action: 'care.notification.acknowledge',
            entity: 'care_report',
            entityId: String(id),
            certno: r.certno,
            after: { recipientKind: 'police_station' },
          });
        }
      });
    }
    await recordAudit(this.db, {
      actor,
      action: 'care.report.read',
      entity: 'care_report',
      entityId: String(id),
      certno: r.certno,
    });
    return isPolice(actor) ? this.loadReport(this.db, actor, id) : r;
  }

  async reports(
    actor: Actor,
    filter: ReportFilter,
    page: Page,
  ): Promise<{ items: Omit<Report, 'notifications'>[]; total: number }> {
    const r = await listReports(this.db, actor.scope, filter, page);
    await this.readAudit(actor, 'care.report.list', 'care_report_list', filter.regionCode ?? '*', {
      reports: r.items.map((x) => x.reportId),
    });
    return r;
  }

  /** A recipient confirms they received the report (recorded by whoever took the confirmation). */
  async acknowledge(actor: Actor, id: number, notificationId: number): Promise<Report> {
    await this.db.transaction(async (tx) => {
      const r = await findReport(tx, actor.scope, id, true);
      if (!r) throw reportNotFound();
      const n = await acknowledge(tx, r.certno, id, { notificationId }, actor.id);
      if (n === 0) {
        const known = (await notificationsOf(tx, r.certno, id)).some(
          (x) => x.notificationId === notificationId,
        );
        if (!known)
          throw notFound(
            'care.notification_not_found',
            'notificationId',
            '未找到该通知',
            'no such notification',
          );
        return;
      }
      await appendAudit(tx, {
        actor,
        action: 'care.notification.acknowledge',
        entity: 'care_report',
        entityId: String(id),
        certno: r.certno,
        after: { notificationId },
      });
    });
    return this.loadReport(this.db, actor, id);
  }

  /** The referral's outcome: admitted, returned home, closed (with the day it closed). */
  async outcome(actor: Actor, id: number, input: OutcomeInput): Promise<Report> {
    checkNotFuture(input.on, this.today(), 'on');
    await this.db.transaction(async (tx) => {
      const r = await findReport(tx, actor.scope, id, true);
      if (!r) throw reportNotFound();
      checkTransition(r.status, input.status);
      if (input.on < r.reportedOn) {
        throw unprocessable(
          'care.outcome_before_report',
          'on',
          `日期早于报告日期 ${r.reportedOn}`,
          `the date is before the report of ${r.reportedOn}`,
        );
      }
      await setReportStatus(tx, r.certno, id, {
        status: input.status,
        outcome: input.outcome ?? null,
        closedOn: input.status === 'closed' ? input.on : null,
        by: actor.id,
      });
      await appendAudit(tx, {
        actor,
        action: 'care.report.outcome',
        entity: 'care_report',
        entityId: String(id),
        certno: r.certno,
        before: { status: r.status, outcome: r.outcome },
        after: input,
      });
    });
    return this.loadReport(this.db, actor, id);
  }

  /** Reports by township and status for the caller's region: counts only. */
  async summary(
    actor: Actor,
    year: number | undefined,
  ): Promise<{ year: number; rows: SummaryRow[] }> {
    const y = year ?? medicalYear(this.today());
    return { year: y, rows: await summary(this.db, regionOf(actor.scope), y) };
  }
}
