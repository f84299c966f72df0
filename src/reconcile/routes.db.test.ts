/**
 * The reconciliation API: upload, pass, dry run and apply, feedback download, and the ledger in
 * the caller's data scope — a township office sees and rectifies its own township's items only;
 * verifying and closing are the bureau's.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { bearer, createRoleAccounts } from '../auth/testing/accounts.ts';
import type { Role } from '../kernel/access/roles.ts';
import { buildApp } from '../app/http.ts';
import { seedRegions } from '../registry/testing/db.ts';
import { addPeople, csv, newId } from './testing.ts';

const A = newId('1944-04-04');
const B = newId('1945-05-05');
const C = newId('1946-06-06');

function multipart(fileName: string, content: string, fields: Record<string, string>) {
  const boundary = '----rc' + Math.random().toString(16).slice(2);
  let body = '';
  for (const [k, v] of Object.entries(fields)) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`;
  }
  body +=
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n` +
    `Content-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  return {
    payload: Buffer.from(body, 'utf8'),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describeDb('reconciliation routes', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  const as = async (role: Role) => bearer(ctx.db, ids[role]);
  let campaignId = 0;

  beforeAll(async () => {
    await seedRegions(ctx.db);
    await addPeople(ctx.db, [
      // Township 001: paid although a poverty target (refund due).
      {
        certno: A,
        name: '刘一',
        flags: [{ category: 'poverty_returned' }],
        enrolments: [{ type: 'paid' }],
      },
      // Township 002: flagged, absent from the list.
      {
        certno: B,
        name: '刘二',
        village: '370899002001',
        flags: [{ category: 'poverty_returned' }],
        enrolments: [{}],
      },
      // Township 001: in the list with another name.
      { certno: C, name: '刘三', flags: [{ category: 'poverty_returned' }], enrolments: [{}] },
    ]);
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    return () => app.close();
  });

  it('creates a campaign, uploads a list, runs a pass', async () => {
    const staff = await as('bureau_staff');
    const c = await app.inject({
      method: 'POST',
      url: '/api/v1/reconcile/campaigns',
      headers: staff,
      payload: { name: '第一批', regionCode: '370899', medicalYear: 2022 },
    });
    expect(c.statusCode).toBe(201);
    campaignId = c.json().campaignId;
    const text = csv(
      ['证件号码', '成员姓名', '村代码'],
      [
        [A, '刘一', '370899001001'],
        [C, '刘叁', '370899001001'],
        ['123', '坏号', ''],
      ],
    );
    const up = multipart('扶贫对象.csv', text, {
      department: 'rural_revitalisation',
      kind: 'poverty_targets',
      asOf: '2022-06-30',
      map: '村代码=regionCode',
      saveAs: '扶贫办标准表',
    });
    const r = await app.inject({
      method: 'POST',
      url: `/api/v1/reconcile/campaigns/${campaignId}/lists`,
      headers: { ...staff, ...up.headers },
      payload: up.payload,
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ rowsRead: 3, accepted: 2, rejected: 1 });
    expect(r.json().rejects[0]).toMatchObject({ rowNumber: 4, field: 'certno' });
    const t = await app.inject({ url: '/api/v1/reconcile/templates', headers: staff });
    expect(t.json().templates[0]).toMatchObject({
      department: 'rural_revitalisation',
      name: '扶贫办标准表',
      mapping: { 村代码: 'regionCode' },
    });
    // A township office may not upload or run passes.
    const denied = await app.inject({
      method: 'POST',
      url: `/api/v1/reconcile/campaigns/${campaignId}/passes`,
      headers: await as('township_office'),
    });
    expect(denied.statusCode).toBe(403);
    const pass = await app.inject({
      method: 'POST',
      url: `/api/v1/reconcile/campaigns/${campaignId}/passes`,
      headers: staff,
    });
    expect(pass.statusCode).toBe(201);
    expect(pass.json().summary.totals.new).toBe(3);
  });

  it('dry run, then apply; the second apply changes nothing', async () => {
    const staff = await as('bureau_staff');
    const dry = await app.inject({
      method: 'POST',
      url: `/api/v1/reconcile/campaigns/${campaignId}/apply`,
      headers: staff,
      payload: { dryRun: true },
    });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().counts).toMatchObject({ refunds: 1, refundTotal: 35_000 });
    const done = await app.inject({
      method: 'POST',
      url: `/api/v1/reconcile/campaigns/${campaignId}/apply`,
      headers: staff,
      payload: { dryRun: false },
    });
    expect(done.json().counts.steps).toBe(1);
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/reconcile/campaigns/${campaignId}/apply`,
      headers: staff,
      payload: { dryRun: false },
    });
    expect(again.json().counts.steps).toBe(0);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: `/api/v1/reconcile/campaigns/${campaignId}/apply`,
          headers: await as('township_office'),
          payload: { dryRun: true },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('the ledger in the township’s scope: sees and rectifies only its own items', async () => {
    const town = await as('township_office');
    const mine = await app.inject({
      url: `/api/v1/reconcile/problems?campaignId=${campaignId}`,
      headers: town,
    });
    expect(mine.statusCode).toBe(200);
    const items = mine.json().items as { problemId: number; regionCode: string; kind: string }[];
    expect(items.length).toBe(2);
    expect(items.every((p) => p.regionCode === '370899001')).toBe(true);
    const all = await app.inject({
      url: `/api/v1/reconcile/problems?campaignId=${campaignId}`,
      headers: await as('bureau_staff'),
    });
    expect(all.json().total).toBe(3);
    const theirs = (all.json().items as { problemId: number; regionCode: string }[]).find(
      (p) => p.regionCode === '370899002',
    )!;
    const hidden = await app.inject({
      url: `/api/v1/reconcile/problems/${theirs.problemId}`,
      headers: town,
    });
    expect(hidden.statusCode).toBe(404);
    const hiddenMove = await app.inject({
      method: 'POST',
      url: `/api/v1/reconcile/problems/${theirs.problemId}/rectify`,
      headers: town,
      payload: { comment: 'x' },
    });
    expect(hiddenMove.statusCode).toBe(404);

    const id = items.find((p) => p.kind === 'identity_mismatch')!.problemId;
    const rect = await app.inject({
      method: 'POST',
      url: `/api/v1/reconcile/problems/${id}/rectify`,
      headers: town,
      payload: { resolution: 'fed_back', comment: '已将正确姓名反馈扶贫办' },
    });
    expect(rect.statusCode).toBe(200);
    expect(rect.json()).toMatchObject({ state: 'rectified', resolution: 'fed_back' });
    const verifyDenied = await app.inject({
      method: 'POST',
      url: `/api/v1/reconcile/problems/${id}/verify`,
      headers: town,
      payload: {},
    });
    expect(verifyDenied.statusCode).toBe(403);
    const staff = await as('bureau_staff');
    for (const action of ['verify', 'close']) {
      const r = await app.inject({
        method: 'POST',
        url: `/api/v1/reconcile/problems/${id}/${action}`,
        headers: staff,
        payload: { comment: '核验通过' },
      });
      expect(r.statusCode).toBe(200);
    }
    const closedTwice = await app.inject({
      method: 'POST',
      url: `/api/v1/reconcile/problems/${id}/close`,
      headers: staff,
      payload: {},
    });
    expect(closedTwice.statusCode).toBe(409);
    const detail = await app.inject({ url: `/api/v1/reconcile/problems/${id}`, headers: town });
    expect(detail.json().history.map((h: { event: string }) => h.event)).toEqual([
      'created',
      'rectify',
      'verify',
      'close',
    ]);

    const dash = await app.inject({
      url: `/api/v1/reconcile/campaigns/${campaignId}/dashboard`,
      headers: town,
    });
    expect(dash.statusCode).toBe(200);
    expect(
      dash.json().cells.every((c: { regionCode: string }) => c.regionCode === '370899001'),
    ).toBe(true);
    const inst = await app.inject({
      url: `/api/v1/reconcile/problems?campaignId=${campaignId}`,
      headers: await as('designated_institution'),
    });
    expect(inst.statusCode).toBe(403);
  });

  it('downloads the feedback workbook of a pass; an unknown pass is a 404', async () => {
    const staff = await as('bureau_staff');
    const r = await app.inject({
      url: `/api/v1/reconcile/campaigns/${campaignId}/passes/1/feedback.xlsx`,
      headers: staff,
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(r.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const missing = await app.inject({
      url: `/api/v1/reconcile/campaigns/${campaignId}/passes/9/feedback.xlsx`,
      headers: staff,
    });
    expect(missing.statusCode).toBe(404);
  });
});
