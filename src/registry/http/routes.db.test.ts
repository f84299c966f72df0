import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { describeDb } from '../../../test/support/db.ts';
import { bearer, createRoleAccounts } from '../../auth/testing/accounts.ts';
import type { Role } from '../../kernel/access/roles.ts';
import { buildApp } from '../../app/http.ts';
import { makeId } from '../../kernel/idcard.ts';
import { IMPORT_COLUMNS } from '../import/columns.ts';
import { localDate } from '../../kernel/clock.ts';
import { seedRegions, VILLAGE_1, VILLAGE_2 } from '../testing/db.ts';

const A = makeId('370899', '1961-04-05', 61);
const B = makeId('370899', '1972-08-09', 62);

function multipart(fileName: string, content: string) {
  const boundary = '----triguard' + Date.now();
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
    `Content-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return {
    payload: Buffer.from(body, 'utf8'),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describeDb('registry routes', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  const as = async (role: Role) => bearer(ctx.db, ids[role]);

  beforeAll(async () => {
    await seedRegions(ctx.db);
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    return () => app.close();
  });

  it('registers a person, adds a flag, records a death, and answers as of a day', async () => {
    const staff = await as('bureau_staff');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/persons',
      headers: staff,
      payload: { certno: A, name: '王秀英', regionCode: VILLAGE_1, reason: '新参保' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      certno: A,
      gender: 'male',
      birthDate: '1961-04-05',
      version: 1,
    });

    const flagged = await app.inject({
      method: 'POST',
      url: `/api/v1/persons/${A}/flags`,
      headers: staff,
      payload: {
        category: 'subsistence',
        from: '2022-01',
        reason: '民政认定',
        recognisedOn: '2021-12-01',
      },
    });
    expect(flagged.statusCode).toBe(200);
    const flagId = flagged.json().flags[0].flagId;

    const enrolled = await app.inject({
      method: 'POST',
      url: `/api/v1/persons/${A}/enrolments`,
      headers: staff,
      payload: {
        year: 2022,
        scheme: 'resident',
        contributionType: 'paid',
        contribution: '350',
        enrolledOn: '2021-12-01',
        reason: '缴费',
      },
    });
    expect(enrolled.statusCode).toBe(200);
    expect(enrolled.json().enrolments[0]).toMatchObject({
      contribution: 350,
      benefitFrom: '2022-01-01',
    });

    const refund = await app.inject({
      method: 'POST',
      url: `/api/v1/persons/${A}/refund`,
      headers: staff,
      payload: { year: 2022, reason: '低保退费' },
    });
    expect(refund.statusCode).toBe(200);
    expect(refund.json().decision).toEqual({ kind: 'refund', amount: 350, basis: 'subsistence' });

    const ended = await app.inject({
      method: 'POST',
      url: `/api/v1/persons/${A}/flags/${flagId}/end`,
      headers: staff,
      payload: { month: '2022-06', endReason: 'cancellation', reason: '取消低保' },
    });
    expect(ended.json().flags[0]).toMatchObject({ to: '2022-06', endReason: 'cancellation' });

    const today = localDate(new Date());
    const now = await app.inject({
      method: 'GET',
      url: `/api/v1/persons/${A}?asOf=${today}`,
      headers: staff,
    });
    expect(now.json()).toMatchObject({ asOf: today, flags: [{ to: '2022-06', version: 2 }] });
    const before = await app.inject({
      method: 'GET',
      url: `/api/v1/persons/${A}?asOf=2020-01-01`,
      headers: staff,
    });
    expect(before.statusCode).toBe(404);

    const history = await app.inject({
      method: 'GET',
      url: `/api/v1/persons/${A}/history`,
      headers: staff,
    });
    expect(history.json().map((v: { entity: string }) => v.entity)).toEqual(
      expect.arrayContaining(['person', 'person_flag', 'enrolment']),
    );

    const dead = await app.inject({
      method: 'POST',
      url: `/api/v1/persons/${A}/death`,
      headers: staff,
      payload: { deathDate: '2022-05-10', reason: '死亡' },
    });
    expect(dead.json().person).toMatchObject({ status: 'deceased', deathDate: '2022-05-10' });
    expect(dead.json().flags[0]).toMatchObject({ to: '2022-05', endReason: 'death' });
  });

  it('imports an uploaded CSV and accounts for every row', async () => {
    const header = IMPORT_COLUMNS.map((c) => c.header).join(',');
    const csv = `${header}\n${B},李建国,${VILLAGE_2}\n${B.slice(0, 17)}0,坏号,${VILLAGE_2}\n`;
    // One body: its boundary (from the clock) must be the one the header announces.
    const upload = multipart('list.csv', csv);
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/registry/import',
      headers: { ...(await as('bureau_staff')), ...upload.headers },
      payload: upload.payload,
    });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ rowsRead: 2, imported: 1, rejected: 1, rejectsTruncated: false });
    expect(body.rejects[0]).toMatchObject({ rowNumber: 3, field: 'certno' });
  });

  it('answers 400, not 500, to an upload whose boundary the header does not announce', async () => {
    const upload = multipart('list.csv', 'x\n');
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/registry/import',
      headers: {
        ...(await as('bureau_staff')),
        'content-type': 'multipart/form-data; boundary=----not-the-one',
      },
      payload: upload.payload,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ field: 'file' });
  });

  it('searches within the caller’s scope, masking what the role may not see', async () => {
    const staff = await as('bureau_staff');
    const r = await app.inject({ method: 'GET', url: '/api/v1/persons?name=ljg', headers: staff });
    expect(r.json()).toMatchObject({ total: 1, items: [{ certno: B, name: '李建国' }] });
    // The township office of township 001 does not see a person of township 002.
    const township = await app.inject({
      method: 'GET',
      url: '/api/v1/persons?name=ljg',
      headers: await as('township_office'),
    });
    expect(township.json()).toMatchObject({ total: 0, items: [] });
    const auditor = await app.inject({
      method: 'GET',
      url: `/api/v1/persons?certno=${B}`,
      headers: await as('auditor'),
    });
    expect(auditor.json().items[0].certno).toBe(`${B.slice(0, 6)}********${B.slice(-4)}`);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/persons?name=a1', headers: staff });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'name.invalid', field: 'name' });
  });

  it('exports a search to XLSX and serves the template', async () => {
    const staff = await as('bureau_staff');
    const r = await app.inject({
      method: 'GET',
      url: '/api/v1/persons/export.xlsx?region=370899',
      headers: staff,
    });
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('身份证号');
    expect(sheet.rowCount).toBe(3);
    const t = await app.inject({
      method: 'GET',
      url: '/api/v1/registry/template.xlsx',
      headers: staff,
    });
    expect(t.statusCode).toBe(200);
    expect(t.headers['content-type']).toContain('spreadsheetml');
  });

  it('refuses a write to a role without the permission', async () => {
    const r = await app.inject({
      method: 'POST',
      url: `/api/v1/persons/${B}/death`,
      headers: await as('auditor'),
      payload: { deathDate: '2022-05-10', reason: 'x' },
    });
    expect(r.statusCode).toBe(403);
  });
});
