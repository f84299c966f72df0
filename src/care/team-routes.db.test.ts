/**
 * Care teams over HTTP (docs/care-teams.md): a team needs its lead, changes keep history, visits
 * in the future are refused naming the field, an unstable patient's report notifies the station
 * and every member, and each role sees exactly its view — the police its station's reports and
 * the contacts, the village head its village's visits, nobody without registry:sensitive:read a
 * diagnosis — with every read audited.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import { bearer, createRoleAccounts, PEOPLE, seedPeople } from '../auth/testing/accounts.ts';
import type { Role } from '../kernel/access/roles.ts';
import { createAccount } from '../auth/users.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { localDate } from '../kernel/clock.ts';
import { addDays } from '../kernel/dates.ts';
import { seedRegions } from '../registry/testing/db.ts';
import { fullTeam } from './testing/teams.ts';

const P = '/api/v1/care';
const today = localDate(new Date());

describeDb('care teams API', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  let otherPolice: string;
  const as = async (role: Role) => bearer(ctx.db, ids[role]);
  const send = async (role: Role, method: 'POST' | 'PUT', url: string, payload: unknown) =>
    app.inject({ method, url: `${P}${url}`, headers: await as(role), payload: payload as object });
  const get = async (role: Role, url: string) =>
    app.inject({ url: `${P}${url}`, headers: await as(role) });

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    await seedRegions(ctx.db);
    await seedPeople(ctx.db);
    const { account } = await createAccount(ctx.db, SYSTEM_ACTOR, {
      username: 't_police_2',
      displayName: '南站派出所',
      roles: ['police'],
      scope: { kind: 'region', regionCode: '370899002' },
      password: 'Correct-Horse-9',
      mustChangePassword: false,
    });
    otherPolice = account.userId;
    return () => app.close();
  });

  it('refuses a team without a lead, naming the field, and a person not registered', async () => {
    const noLead = fullTeam().filter((m) => m.role !== 'village_head');
    const r = await send('bureau_staff', 'PUT', `/teams/${PEOPLE.own}`, { members: noLead });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'care.team_lead_required', field: 'members' });
    const plain = await send('bureau_staff', 'PUT', `/teams/${PEOPLE.plain}`, {
      members: fullTeam(),
    });
    expect(plain.statusCode).toBe(422);
    expect(plain.json()).toMatchObject({ code: 'care.not_registered', field: 'certno' });
    const future = await send('bureau_staff', 'PUT', `/teams/${PEOPLE.own}`, {
      members: fullTeam(),
      on: addDays(today, 1),
    });
    expect(future.json()).toMatchObject({ code: 'care.date_in_future', field: 'on' });
  });

  it('forms a team and keeps a replaced member in its history', async () => {
    const formed = await send('bureau_staff', 'PUT', `/teams/${PEOPLE.own}`, {
      members: fullTeam(),
      on: addDays(today, -60),
    });
    expect(formed.statusCode).toBe(200);
    expect(formed.json().members).toHaveLength(7);
    const changed = fullTeam().map((m) =>
      m.role === 'guardian' ? { ...m, name: '王小二', contact: '13900000002' } : m,
    );
    const r = await send('township_office', 'PUT', `/teams/${PEOPLE.own}`, {
      members: changed,
      on: addDays(today, -30),
      reason: '监护人变更',
    });
    expect(r.statusCode).toBe(200);
    const team = r.json();
    expect(team.members.find((m: { role: string }) => m.role === 'guardian').name).toBe('王小二');
    expect(team.history).toEqual([
      expect.objectContaining({ role: 'guardian', name: '王大', to: addDays(today, -31) }),
    ]);
    // The township office has no registry:sensitive:read: the diagnosis is masked.
    expect(team.diagnosis).toBe('***');
    const staff = (await get('bureau_staff', `/teams/${PEOPLE.own}`)).json();
    expect(staff.diagnosis).toBe('严重精神障碍');
  });

  it('records visits; a future visit is refused naming the field; overdue lists', async () => {
    const future = await send('village_head', 'POST', `/teams/${PEOPLE.own}/visits`, {
      visitedOn: addDays(today, 2),
      visitor: '村主任',
      condition: 'stable',
      medicationAsPrescribed: true,
      riskLevel: 0,
    });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ code: 'care.date_in_future', field: 'visitedOn' });
    const v = await send('village_head', 'POST', `/teams/${PEOPLE.own}/visits`, {
      visitedOn: addDays(today, -40),
      visitor: '村主任',
      condition: 'stable',
      medicationAsPrescribed: true,
      riskLevel: 1,
      note: '服用利培酮',
    });
    expect(v.statusCode).toBe(201);
    expect(v.json()).toMatchObject({ nextDue: addDays(today, -10), note: '***' });
    expect(v.json().medicationAsPrescribed).toBeNull();
    const overdue = (await get('township_office', '/overdue')).json();
    expect(overdue.rows).toEqual([
      expect.objectContaining({ name: '王秀英', daysOverdue: 10, regionCode: '370899001001' }),
    ]);
    const visits = (await get('family_doctor', `/teams/${PEOPLE.own}/visits`)).json();
    expect(visits.items[0]).toMatchObject({ note: '服用利培酮', medicationAsPrescribed: true });
    const xlsx = await get('township_office', '/overdue.xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  let reportId: number;

  it('reports an unstable patient: a notification to the station and every member', async () => {
    const v = await send('family_doctor', 'POST', `/teams/${PEOPLE.own}/visits`, {
      visitedOn: addDays(today, -3),
      visitor: '李医生',
      condition: 'unstable',
      medicationAsPrescribed: false,
      riskLevel: 3,
    });
    expect(v.json().nextDue).toBe(addDays(today, 11));
    const r = await send('family_doctor', 'POST', `/teams/${PEOPLE.own}/reports`, {
      reportedOn: addDays(today, -3),
      visitId: v.json().visitId,
      treatment: '肌注氟哌啶醇',
      referredTo: '县精神康复医院',
    });
    expect(r.statusCode).toBe(201);
    const report = r.json();
    reportId = report.reportId;
    expect(report.notifications).toHaveLength(8);
    expect(report.notifications[0]).toMatchObject({
      recipientKind: 'police_station',
      acknowledgedAt: null,
    });
    expect(report.notifications.map((n: { recipientName: string }) => n.recipientName)).toContain(
      '王小二',
    );
    expect(
      report.notifications.map((n: { recipientName: string }) => n.recipientName),
    ).not.toContain('王大');
  });

  it('the police see their station’s reports and the contacts, nothing of diagnoses or money', async () => {
    const list = (await get('police', '/reports')).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ name: '王秀英', treatment: '***', riskLevel: 3 });
    expect(list.items[0].certno).not.toBe(PEOPLE.own);
    const one = (await get('police', `/reports/${reportId}`)).json();
    const station = one.notifications.find(
      (n: { recipientKind: string }) => n.recipientKind === 'police_station',
    );
    expect(station.acknowledgedAt).not.toBeNull();
    expect(station.acknowledgedBy).toBe(ids.police);
    const team = (await get('police', `/teams/${PEOPLE.own}`)).json();
    expect(team.diagnosis).toBe('***');
    expect(team.members.map((m: { contact: string }) => m.contact)).toContain('13900000002');
    expect(team.lastVisit.note).toBeNull();
    for (const url of [
      `${P}/teams/${PEOPLE.own}/visits`,
      `/api/v1/persons/${PEOPLE.own}`,
      `/api/v1/persons/${PEOPLE.own}/settlements`,
      `/api/v1/chronic/persons/${PEOPLE.own}/chronic`,
      `${P}/summary`,
    ]) {
      const r = await app.inject({ url, headers: await as('police') });
      expect(r.statusCode, url).toBe(403);
    }
    // Another township's station sees nothing of it.
    const other = await bearer(ctx.db, otherPolice);
    expect((await app.inject({ url: `${P}/reports`, headers: other })).json().items).toEqual([]);
    const hidden = await app.inject({ url: `${P}/reports/${reportId}`, headers: other });
    expect(hidden.statusCode).toBe(404);
    const none = await app.inject({ url: `${P}/reports/999999`, headers: other });
    expect(hidden.json()).toEqual(none.json());
  });

  it('the village head sees the visits of the village, masked; staff see everything', async () => {
    const head = (await get('village_head', `/teams/${PEOPLE.own}/visits`)).json();
    expect(head.items).toHaveLength(2);
    expect(
      head.items.every((v: { note: string | null }) => v.note === null || v.note === '***'),
    ).toBe(true);
    expect((await get('village_head', '/reports')).statusCode).toBe(403);
    expect((await get('village_head', `/teams/${PEOPLE.plain}`)).statusCode).toBe(404);
    const staff = (await get('bureau_staff', `/reports/${reportId}`)).json();
    expect(staff.treatment).toBe('肌注氟哌啶醇');
    expect(staff.certno).toBe(PEOPLE.own);
  });

  it('tracks the referral to closure; the leading group sees counts only', async () => {
    const ack = await send(
      'village_head',
      'POST',
      `/reports/${reportId}/notifications/2/acknowledge`,
      {},
    );
    expect(ack.statusCode).toBe(200);
    const admitted = await send('township_office', 'POST', `/reports/${reportId}/outcome`, {
      status: 'admitted',
      on: addDays(today, -2),
      outcome: '住院治疗',
    });
    expect(admitted.json()).toMatchObject({ status: 'admitted', outcome: '***' });
    const closed = await send('bureau_staff', 'POST', `/reports/${reportId}/outcome`, {
      status: 'closed',
      on: today,
      outcome: '病情稳定出院',
    });
    expect(closed.json()).toMatchObject({ status: 'closed', closedOn: today });
    const again = await send('bureau_staff', 'POST', `/reports/${reportId}/outcome`, {
      status: 'admitted',
      on: today,
    });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ code: 'care.report_status', field: 'status' });
    const summary = (await get('civil_affairs', '/summary')).json();
    expect(summary.rows).toEqual([{ township: '370899001', status: 'closed', count: 1 }]);
    expect(JSON.stringify(summary)).not.toContain('王秀英');
  });

  it('audits every read of a care record, not only the writes', async () => {
    const r = await ctx.db.query<{ action: string; actor_id: string }>(
      `SELECT action, actor_id FROM audit_log WHERE action LIKE 'care.%'`,
    );
    const seen = new Set(r.rows.map((x) => `${x.action}:${x.actor_id}`));
    for (const e of [
      `care.team.read:${ids.police}`,
      `care.report.read:${ids.police}`,
      `care.report.list:${ids.police}`,
      `care.visit.read:${ids.village_head}`,
      `care.overdue.read:${ids.township_office}`,
      `care.team.create:${ids.bureau_staff}`,
      `care.team.update:${ids.township_office}`,
      `care.report.create:${ids.family_doctor}`,
      `care.notification.acknowledge:${ids.police}`,
    ])
      expect(seen, e).toContain(e);
  });
});
