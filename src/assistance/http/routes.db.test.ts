import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../../test/support/db.ts';
import { bearer, createRoleAccounts } from '../../auth/testing/accounts.ts';
import type { Role } from '../../kernel/access/roles.ts';
import { buildApp } from '../../app/http.ts';
import { P, seedCounty } from '../testing/fixture.ts';

const HEADER =
  '医院编码,结算单号,身份证号,姓名,结算日期,就诊类型,医院等级,主诊断,医疗费用总额(元),全自费(元),超限价自费(元),先行自付(元)';

function multipart(fileName: string, content: string) {
  const boundary = '----assist' + Math.random().toString(16).slice(2);
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
    `Content-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return {
    payload: Buffer.from(body, 'utf8'),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describeDb('assistance routes', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  const as = async (role: Role) => bearer(ctx.db, ids[role]);
  let programmeId = 0;
  let batchId = 0;
  const url = (path: string) => `/api/v1/assistance${path}`;

  beforeAll(async () => {
    await seedCounty(ctx.db);
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    return () => app.close();
  });

  it('registers a programme with the pack budget; only managers may', async () => {
    const body = { code: 'mental_disorder_backstop', year: 2022, reason: '县财政年度预算' };
    const denied = await app.inject({
      method: 'POST',
      url: url('/programmes'),
      headers: await as('township_office'),
      payload: body,
    });
    expect(denied.statusCode).toBe(403);
    const res = await app.inject({
      method: 'POST',
      url: url('/programmes'),
      headers: await as('bureau_staff'),
      payload: body,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      regionCode: '370899',
      budget: 1_000_000,
      spent: 0,
      tiers: ['backstop'],
      eligibleCategories: ['severe_mental'],
      cardCategory: 'mental_aid_card',
      overspent: false,
    });
    programmeId = res.json<{ programmeId: number }>().programmeId;
    const hospital = await app.inject({
      method: 'GET',
      url: url('/programmes'),
      headers: await as('designated_institution'),
    });
    expect(hospital.statusCode).toBe(403);
    const township = await app.inject({
      method: 'GET',
      url: url('/programmes'),
      headers: await as('township_office'),
    });
    expect(township.json()).toHaveLength(1);
  });

  it('issues cards; card holder lists need the sensitive-read permission', async () => {
    const issued = await app.inject({
      method: 'POST',
      url: url(`/programmes/${programmeId}/cards`),
      headers: await as('bureau_staff'),
      payload: { certno: P.mental, fromMonth: '2022-01', reason: '申请' },
    });
    expect(issued.statusCode).toBe(201);
    expect(issued.json()).toMatchObject({ status: 'active', fromMonth: '2022-01' });
    for (const role of ['township_office', 'auditor'] as const) {
      const r = await app.inject({
        method: 'GET',
        url: url(`/programmes/${programmeId}/cards`),
        headers: await as(role),
      });
      expect(r.statusCode).toBe(403);
    }
    const list = await app.inject({
      method: 'GET',
      url: url(`/programmes/${programmeId}/cards`),
      headers: await as('bureau_staff'),
    });
    expect(list.json()).toMatchObject({ total: 1, cards: [{ certno: P.mental, name: '赵一' }] });
  });

  it('runs a batch, scopes its payments, exports and confirms', async () => {
    const csv = [
      HEADER,
      `H3708990099,R-1,${P.mental},赵一,2022-04-02,住院,2,F20.0,10000,0,0,0`,
      `H3708990099,R-2,${P.poor2},李四,2022-03-15,住院,2,K35.8,15500,500,0,300`,
    ].join('\n');
    const denied = await app.inject({
      method: 'POST',
      url: url('/batches'),
      ...multipart('b.csv', csv),
      headers: { ...(await as('township_office')), ...multipart('b.csv', csv).headers },
    });
    expect(denied.statusCode).toBe(403);
    const upload = multipart('b.csv', csv);
    const res = await app.inject({
      method: 'POST',
      url: url('/batches'),
      payload: upload.payload,
      headers: { ...(await as('bureau_staff')), ...upload.headers },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      rowsRead: 2,
      settled: 2,
      rejected: 0,
      people: 2,
      payable: 2000 + 1186.5,
    });
    batchId = res.json<{ batchId: number }>().batchId;

    const town = await app.inject({
      method: 'GET',
      url: url(`/batches/${batchId}/payments`),
      headers: await as('township_office'),
    });
    expect(town.json()).toEqual([expect.objectContaining({ certno: P.mental, amount: 2000 })]);
    const auditor = await app.inject({
      method: 'GET',
      url: url(`/batches/${batchId}/payments`),
      headers: await as('auditor'),
    });
    expect(auditor.json<{ certno: string }[]>().map((p) => p.certno)).toEqual([
      `${P.mental.slice(0, 6)}********${P.mental.slice(-4)}`,
      `${P.poor2.slice(0, 6)}********${P.poor2.slice(-4)}`,
    ]);

    const file = await app.inject({
      method: 'GET',
      url: url(`/batches/${batchId}/disbursement?format=csv`),
      headers: await as('bureau_staff'),
    });
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain('1186.50');
    const sheet = await app.inject({
      method: 'GET',
      url: url(`/batches/${batchId}/signature-list`),
      headers: await as('township_office'),
    });
    expect(sheet.statusCode).toBe(200);

    const confirmBy = async (role: Role) =>
      app.inject({
        method: 'POST',
        url: url(`/batches/${batchId}/payments/${P.poor2}/confirm`),
        headers: await as(role),
        payload: { signedOn: '2022-05-01' },
      });
    expect((await confirmBy('township_office')).statusCode).toBe(403);
    expect((await confirmBy('bureau_staff')).json()).toMatchObject({ signedOn: '2022-05-01' });
    expect((await confirmBy('bureau_staff')).statusCode).toBe(409);
  });

  it('flags overspending and raises alerts on read; reports by scope', async () => {
    const patched = await app.inject({
      method: 'PATCH',
      url: url(`/programmes/${programmeId}`),
      headers: await as('bureau_staff'),
      payload: { budget: 2000, reason: '测试预算' },
    });
    expect(patched.json()).toMatchObject({
      spent: 2000,
      remaining: 0,
      usedPercent: 100,
      overspent: false,
    });
    expect(
      patched.json<{ alerts: { threshold: number }[] }>().alerts.map((a) => a.threshold),
    ).toEqual([80, 100]);
    const over = await app.inject({
      method: 'PATCH',
      url: url(`/programmes/${programmeId}`),
      headers: await as('bureau_staff'),
      payload: { budget: '1999.99', reason: '测试预算' },
    });
    expect(over.json()).toMatchObject({ remaining: -0.01, overspent: true });
    const alerts = await app.inject({
      method: 'GET',
      url: url('/alerts?open=true'),
      headers: await as('township_office'),
    });
    expect(alerts.json()).toHaveLength(2);

    const report = async (role: Role, format = 'json') =>
      app.inject({
        method: 'GET',
        url: url(`/programmes/${programmeId}/report?format=${format}`),
        headers: await as(role),
      });
    expect((await report('designated_institution')).statusCode).toBe(403);
    expect((await report('bureau_staff')).json()).toMatchObject({
      current: {
        inpatient: { people: 1, times: 1, amount: 2000 },
        total: { people: 1, amount: 2000 },
      },
      budget: { budget: 1999.99, spent: 2000, overspent: true, alerts: [80, 100] },
    });
    // Township 002 holds nobody the programme paid for; civil affairs sees only its flagged people.
    expect((await report('civil_affairs')).json()).toMatchObject({
      scoped: true,
      current: { total: { people: 0, amount: 0 } },
    });
    const xlsx = await report('bureau_staff', 'xlsx');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });
});
