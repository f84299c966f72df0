/**
 * Region data scope: every account sees only its people, and a person outside the scope answers
 * 404 exactly like a person who does not exist — in the SQL predicate, in every person-addressed
 * route any module registers, in settlement and its one bill, and in the audit log.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import ExcelJS from 'exceljs';
import { describeDb } from '../../test/support/db.ts';
import { pdfText } from '../../test/support/pdf-text.ts';
import { buildApp } from '../app/http.ts';
import { recordAudit } from '../audit/log.ts';
import { registeredRoutes } from './plugin.ts';
import { ROLE_PERMISSIONS, type Role } from '../kernel/access/roles.ts';
import { personScopeSql } from '../kernel/access/scope.ts';
import { bearer, createRoleAccounts, PEOPLE, ROLE_SCOPES, seedPeople } from './testing/accounts.ts';
import { certify } from '../settlement/testing/cover.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { createAccount } from './users.ts';
import type { DataScope } from '../kernel/access/actor.ts';

/** Sample query values for person routes that need one (e.g. accumulators ?year=). */
const SAMPLE_QUERY: Record<string, string> = { year: '2022' };

function queryFor(schema: unknown): Record<string, string> {
  if (!(schema instanceof z.ZodObject)) return {};
  return Object.fromEntries(
    Object.keys(schema.shape)
      .filter((k) => k in SAMPLE_QUERY)
      .map((k) => [k, SAMPLE_QUERY[k]!]),
  );
}

const bill = (msgid: string, certno: string, diagnosis: string) => ({
  msgid,
  certno,
  fixmedinsCode: 'H37089900001',
  bill: {
    date: '2022-03-15',
    visitType: 'inpatient',
    hospitalLevel: 2,
    diagnosis,
    remote: null,
    lines: [{ amount: 12000, class: 'A' }],
  },
});

describeDb('region data scope', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  const as = async (role: Role) => bearer(ctx.db, ids[role]);

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    await seedPeople(ctx.db);
    // The person inside holds a certificate, so its routes have something to answer.
    await certify(ctx.db, PEOPLE.own, 'M002', '2022-01-01');
    // ... and has a care team, so the team routes find one inside the scope.
    await ctx.db.query(
      `INSERT INTO care_team (certno, region_code, formed_on, created_by)
       SELECT certno, region_code, '2022-01-01', 'scope-test' FROM person WHERE certno = $1`,
      [PEOPLE.own],
    );
    return () => app.close();
  });

  async function visible(scope: DataScope): Promise<string[]> {
    const s = personScopeSql(scope, 'p', 1);
    const r = await ctx.db.query<{ certno: string }>(
      `SELECT p.certno FROM person p WHERE ${s.sql} ORDER BY p.certno`,
      s.params,
    );
    return r.rows.map((x) => x.certno);
  }

  it('the SQL predicate keeps each account to its region, institution or department', async () => {
    const all = [PEOPLE.own, PEOPLE.other, PEOPLE.plain].sort();
    expect(await visible(ROLE_SCOPES.bureau_staff)).toEqual(all);
    expect(await visible({ kind: 'system' })).toEqual(all);
    expect(await visible(ROLE_SCOPES.township_office)).toEqual([PEOPLE.own]);
    expect(await visible({ kind: 'region', regionCode: '370899002' })).toEqual(
      [PEOPLE.other, PEOPLE.plain].sort(),
    );
    expect(await visible({ kind: 'region', regionCode: '370899002001' })).toEqual(
      [PEOPLE.other, PEOPLE.plain].sort(),
    );
    expect(await visible(ROLE_SCOPES.designated_institution)).toEqual([PEOPLE.own]);
    expect(await visible(ROLE_SCOPES.civil_affairs)).toEqual([PEOPLE.other]);
    // A department sees the people it flagged within its own region only.
    const civil = (regionCode: string): DataScope => ({
      kind: 'department',
      department: 'civil_affairs',
      regionCode,
    });
    expect(await visible(civil('370899002'))).toEqual([PEOPLE.other]);
    expect(await visible(civil('370899001'))).toEqual([]);
    expect(await visible(civil('370898'))).toEqual([]);
    // A prefix is a prefix: township 37089900 is not township 370899001's parent.
    expect(await visible({ kind: 'region', regionCode: '370899003' })).toEqual([]);
  });

  it('every person-addressed GET route answers 404 for a person of another township', async () => {
    const routes = registeredRoutes(app).filter(
      (r) => r.method === 'GET' && r.url.includes(':certno'),
    );
    expect(routes.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const r of routes) {
      const a = r.access();
      if (a.kind !== 'permission' || !ROLE_PERMISSIONS.township_office.includes(a.permission))
        continue;
      const query = queryFor(r.options.schema?.querystring);
      const ask = async (certno: string) =>
        app.inject({
          url: r.url.replace(':certno', certno),
          query,
          headers: await as('township_office'),
        });
      const outside = await ask(PEOPLE.other);
      const inside = await ask(PEOPLE.own);
      if (outside.statusCode !== 404) wrong.push(`${r.url} outside → ${outside.statusCode}`);
      if (inside.statusCode >= 400)
        wrong.push(`${r.url} inside → ${inside.statusCode} ${inside.body}`);
    }
    expect(wrong).toEqual([]);
  });

  it('search and export show a township nobody from another township', async () => {
    const search = async (certno: string) =>
      app.inject({
        url: '/api/v1/persons',
        query: { certno },
        headers: await as('township_office'),
      });
    const outside = await search(PEOPLE.other);
    expect(outside.statusCode).toBe(200);
    expect(outside.json().items).toEqual([]);
    expect((await search(PEOPLE.own)).json().items).toHaveLength(1);

    const rows = async (role: Role, query: Record<string, string>) => {
      const r = await app.inject({
        url: '/api/v1/persons/export.xlsx',
        query,
        headers: await as(role),
      });
      expect(r.statusCode).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const out: string[] = [];
      book.eachSheet((sheet) =>
        sheet.eachRow((row, n) => {
          if (n > 1) out.push(JSON.stringify(row.values));
        }),
      );
      return out;
    };
    expect(await rows('township_office', { certno: PEOPLE.other })).toEqual([]);
    expect((await rows('bureau_staff', { certno: PEOPLE.other })).length).toBe(1);
  });

  it('the XLSX export masks severe-mental flags for roles without registry:sensitive:read', async () => {
    const text = async (role: Role) => {
      const r = await app.inject({
        url: '/api/v1/persons/export.xlsx',
        query: { certno: PEOPLE.own },
        headers: await as(role),
      });
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const cells: string[] = [];
      book.eachSheet((sheet) => sheet.eachRow((row) => cells.push(JSON.stringify(row.values))));
      return cells.join('\n');
    };
    const township = await text('township_office');
    expect(township).toContain('王秀英');
    expect(township).not.toMatch(/严重精神|severe_mental/);
    expect(await text('bureau_staff')).toMatch(/严重精神|severe_mental/);
  });

  it('settlement: 404 for another township’s person when reading and printing', async () => {
    const settle = async (role: Role, body: object) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/settlements',
        headers: await as(role),
        payload: body,
      });
    const far = await settle('bureau_staff', bill('s-other', PEOPLE.other, 'K35.8'));
    const near = await settle('bureau_staff', bill('s-own', PEOPLE.own, 'K35.8'));
    expect([far.statusCode, near.statusCode]).toEqual([200, 200]);
    const farId = far.json().settlementId as number;
    const nearId = near.json().settlementId as number;
    for (const suffix of ['', '/bill.pdf', '/bill.html']) {
      const get = async (id: number) =>
        app.inject({
          url: `/api/v1/settlements/${id}${suffix}`,
          headers: await as('township_office'),
        });
      expect((await get(farId)).statusCode).toBe(404);
      expect((await get(nearId)).statusCode).toBe(200);
    }
  });

  it('the one bill masks psychiatric diagnoses and the ID number for roles without the permission', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements',
      headers: await as('bureau_staff'),
      payload: bill('s-mental', PEOPLE.own, 'F20.0'),
    });
    expect(r.statusCode).toBe(200);
    const id = r.json().settlementId as number;
    const pdf = async (role: Role) => {
      const res = await app.inject({
        url: `/api/v1/settlements/${id}/bill.pdf`,
        headers: await as(role),
      });
      expect(res.statusCode).toBe(200);
      return pdfText(res.rawPayload);
    };
    const township = await pdf('township_office');
    expect(township).not.toContain('F20');
    expect(township).not.toContain(PEOPLE.own);
    expect(await pdf('bureau_staff')).toContain('F20');
  });

  it('the audit log shows a reader only the entries about people in its scope', async () => {
    for (const certno of [PEOPLE.own, PEOPLE.other]) {
      await recordAudit(ctx.db, {
        actor: SYSTEM_ACTOR,
        action: 'registry.person.update',
        entity: 'person',
        entityId: certno,
        certno,
        after: { phone: '13900000000' },
      });
    }
    const { account } = await createAccount(ctx.db, SYSTEM_ACTOR, {
      username: 'town_auditor',
      displayName: '乡镇审计',
      roles: ['auditor'],
      scope: { kind: 'region', regionCode: '370899001' },
      password: 'Correct-Horse-9',
      mustChangePassword: false,
    });
    const read = async (userId: string, person: string) =>
      (
        await app.inject({
          url: '/api/v1/audit',
          query: { person, entity: 'person' },
          headers: await bearer(ctx.db, userId),
        })
      ).json().entries as unknown[];
    expect(await read(account.userId, PEOPLE.other)).toEqual([]);
    expect(await read(account.userId, PEOPLE.own)).toHaveLength(1);
    expect(await read(ids.auditor, PEOPLE.other)).toHaveLength(1);
  });
});
