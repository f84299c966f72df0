import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import { bearer, createRoleAccounts } from '../auth/testing/accounts.ts';
import type { Role } from '../kernel/access/roles.ts';
import { enrolForYear } from '../settlement/testing/enrol.ts';
import { AT_LEVEL, registerInstitutions } from '../settlement/testing/institutions.ts';
import { insertWebhook } from './repo/push.ts';
import { verify } from './push/sign.ts';
import {
  addPerson,
  INSCOPE_LINE,
  newCertno,
  seedRegions,
  setBurden,
  TOTAL_LINE,
} from './testing.ts';

const T1 = '370899001001';
const T2 = '370899002001';
const SECRET = 'shared-secret-for-tests';

describeDb('monitoring routes', (ctx) => {
  let app: FastifyInstance;
  let h: Record<Role, Record<string, string>>;
  let receiver: Server;
  const received: { body: string; headers: Record<string, string | string[] | undefined> }[] = [];
  const p = {
    /** 低保边缘, flagged by civil affairs, township 001: in-scope warning. */
    marginal: newCertno(),
    /** No flags, township 002: total warning (civil affairs sees it only once pushed). */
    anyone: newCertno(),
    /** 监测对象 at 85 % of the in-scope line: watch list. */
    near: newCertno(),
    /** No flags at 90 % of the total line: watch list. */
    nearTotal: newCertno(),
    /** Settled and cancelled through the settlement API. */
    settled: newCertno(),
  };

  beforeAll(async () => {
    const ids = await createRoleAccounts(ctx.db);
    h = {} as Record<Role, Record<string, string>>;
    for (const [role, id] of Object.entries(ids)) h[role as Role] = await bearer(ctx.db, id);
    await seedRegions(ctx.db);
    await addPerson(ctx.db, {
      certno: p.marginal,
      region: T1,
      categories: ['low_income_marginal'],
    });
    await addPerson(ctx.db, { certno: p.anyone, region: T2, categories: [] });
    await addPerson(ctx.db, {
      certno: p.near,
      region: T1,
      categories: ['monitored'],
      source: 'rural_revitalisation',
    });
    await addPerson(ctx.db, { certno: p.nearTotal, region: T2, categories: [] });
    await addPerson(ctx.db, { certno: p.settled, region: T2, categories: [] });
    await enrolForYear(ctx.db, [p.settled]);
    await registerInstitutions(ctx.db);
    await setBurden(ctx.db, p.marginal, INSCOPE_LINE + 100_000, TOTAL_LINE + 10);
    await setBurden(ctx.db, p.anyone, 2_000_000, TOTAL_LINE + 50_000);
    await setBurden(ctx.db, p.near, Math.round(INSCOPE_LINE * 0.85), 1_600_000);
    await setBurden(ctx.db, p.nearTotal, 1_000_000, Math.round(TOTAL_LINE * 0.9));

    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ body, headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    await insertWebhook(ctx.db, {
      department: 'civil_affairs',
      url: `http://127.0.0.1:${port}/warnings`,
      secret: SECRET,
    });
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
  });
  afterAll(async () => {
    await app?.close();
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
  });

  const call = (role: Role, method: 'GET' | 'POST', url: string, payload?: object) =>
    payload === undefined
      ? app.inject({ method, url, headers: h[role] })
      : app.inject({ method, url, headers: h[role], payload });

  const warningOf = async (certno: string) => {
    const r = await call('bureau_admin', 'GET', `/api/v1/monitoring/warnings?certno=${certno}`);
    return r.json().warnings[0] as { warningId: number; status: string };
  };

  describe('run and permissions', () => {
    it('bureau staff run a month; civil affairs and hospitals may not', async () => {
      expect(
        (await call('civil_affairs', 'POST', '/api/v1/monitoring/runs', { month: '2022-03' }))
          .statusCode,
      ).toBe(403);
      const run = await call('bureau_staff', 'POST', '/api/v1/monitoring/runs', {
        month: '2022-03',
      });
      expect(run.statusCode).toBe(200);
      expect(run.json()).toMatchObject({
        created: 3,
        rules: [{ pack: 'demo-2022', inscopeLine: 17852.5, totalLine: 35705 }],
      });
      const again = await call('bureau_staff', 'POST', '/api/v1/monitoring/runs', {
        month: '2022-03',
      });
      expect(again.json().created).toBe(0);
      expect(
        (await call('designated_institution', 'GET', '/api/v1/monitoring/warnings')).statusCode,
      ).toBe(403);
      expect(
        (await call('bureau_staff', 'POST', '/api/v1/monitoring/runs', { month: '2022-13' }))
          .statusCode,
      ).toBe(400);
    });

    it('reads in scope: a township sees its own; civil affairs the people it flagged until a push', async () => {
      const town = await call('township_office', 'GET', '/api/v1/monitoring/warnings?year=2022');
      expect(town.json().warnings.map((w: { certno: string }) => w.certno)).toEqual([
        p.marginal,
        p.marginal,
      ]);
      const civil = await call('civil_affairs', 'GET', '/api/v1/monitoring/warnings');
      expect(civil.json().total).toBe(2);
      expect(civil.json().warnings[0]).toMatchObject({
        certno: p.marginal,
        categories: ['low_income_marginal'],
        status: 'new',
      });
      const auditor = await call('auditor', 'GET', '/api/v1/monitoring/warnings');
      expect(auditor.json().warnings[0].certno).toMatch(/^370899\*{8}\d{3}[\dX]$/);
    });
  });

  describe('lifecycle', () => {
    it('refuses a decision before the push', async () => {
      const w = await warningOf(p.marginal);
      const r = await call(
        'civil_affairs',
        'POST',
        `/api/v1/monitoring/warnings/${w.warningId}/confirm`,
        {},
      );
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('monitor.warning_status');
    });

    it('pushes the month: XLSX, a signed webhook, and civil affairs then sees every pushed warning', async () => {
      expect(
        (await call('civil_affairs', 'POST', '/api/v1/monitoring/pushes', { month: '2022-03' }))
          .statusCode,
      ).toBe(403);
      const r = await call('bureau_staff', 'POST', '/api/v1/monitoring/pushes', {
        month: '2022-03',
        wait: true,
      });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({
        warnings: 3,
        deliveries: [{ ok: true, attempts: 1, statusCode: 204 }],
      });
      expect(received).toHaveLength(1);
      const got = received[0]!;
      const ts = Number(got.headers['x-triguard-timestamp']);
      expect(verify(SECRET, ts, got.body, String(got.headers['x-triguard-signature']))).toBe(true);
      expect(JSON.parse(got.body)).toMatchObject({ month: '2022-03', count: 3 });

      const again = await call('bureau_staff', 'POST', '/api/v1/monitoring/pushes', {
        month: '2022-03',
      });
      expect(again.statusCode).toBe(409);

      const pushId = r.json().pushId as number;
      const log = await call('bureau_staff', 'GET', `/api/v1/monitoring/pushes/${pushId}`);
      expect(log.json().deliveries).toHaveLength(1);
      const list = await call('bureau_staff', 'GET', '/api/v1/monitoring/pushes?month=2022-03');
      expect(list.json().pushes).toMatchObject([
        { push_id: pushId, warnings: 3, delivered: 1, pending: 0, failed: 0 },
      ]);
      expect(log.json().outbox).toMatchObject([
        {
          deliveryId: got.headers['x-triguard-delivery'],
          department: 'civil_affairs',
          status: 'delivered',
          attempts: 1,
          nextAttemptAt: null,
          lastStatusCode: 204,
        },
      ]);

      const x = await call(
        'civil_affairs',
        'GET',
        `/api/v1/monitoring/pushes/${pushId}/warnings.xlsx`,
      );
      expect(x.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('预警名单')!;
      expect(sheet.rowCount).toBe(4);
      expect(sheet.getRow(1).getCell(2).value).toBe('身份证号');

      const civil = await call('civil_affairs', 'GET', '/api/v1/monitoring/warnings?status=pushed');
      expect(civil.json().total).toBe(3);
    });

    it('civil affairs confirm, dismiss with a reason, and record the assistance granted', async () => {
      const w = await warningOf(p.marginal);
      const a = await warningOf(p.anyone);
      expect(
        (
          await call(
            'bureau_staff',
            'POST',
            `/api/v1/monitoring/warnings/${w.warningId}/confirm`,
            {},
          )
        ).statusCode,
      ).toBe(403);
      const c = await call(
        'civil_affairs',
        'POST',
        `/api/v1/monitoring/warnings/${w.warningId}/confirm`,
        { note: '入户核实' },
      );
      expect(c.json()).toMatchObject({ status: 'confirmed', statusLabel: { zh: '已认定' } });
      expect(
        (
          await call(
            'civil_affairs',
            'POST',
            `/api/v1/monitoring/warnings/${a.warningId}/dismiss`,
            {},
          )
        ).statusCode,
      ).toBe(400);
      const d = await call(
        'civil_affairs',
        'POST',
        `/api/v1/monitoring/warnings/${a.warningId}/dismiss`,
        {
          reason: '家庭收入超过低保边缘标准',
        },
      );
      expect(d.json()).toMatchObject({
        status: 'dismissed',
        dismissReason: '家庭收入超过低保边缘标准',
      });
      expect(
        (
          await call('civil_affairs', 'POST', `/api/v1/monitoring/warnings/${a.warningId}/assist`, {
            measures: ['other'],
          })
        ).statusCode,
      ).toBe(409);
      const s = await call(
        'civil_affairs',
        'POST',
        `/api/v1/monitoring/warnings/${w.warningId}/assist`,
        {
          measures: ['temporary_assistance', 'low_income_marginal'],
          amount: '2000.50',
          note: '临时救助 2000.50 元',
        },
      );
      expect(s.json()).toMatchObject({
        status: 'assisted',
        assistance: { measures: ['temporary_assistance', 'low_income_marginal'], amount: 200050 },
      });
      const one = await call('civil_affairs', 'GET', `/api/v1/monitoring/warnings/${w.warningId}`);
      expect(one.json().events.map((e: { to: string }) => e.to)).toEqual([
        'new',
        'pushed',
        'confirmed',
        'assisted',
      ]);
      const audit = await ctx.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE entity = 'monitoring_warning' AND entity_id = $1 ORDER BY seq`,
        [String(w.warningId)],
      );
      expect(audit.rows.map((r) => r.action)).toEqual([
        'monitor.warning.push',
        'monitor.warning.confirm',
        'monitor.warning.assist',
      ]);
    });
  });

  describe('watch list', () => {
    it('lists people above 80 % of a line with a projection', async () => {
      const r = await call('bureau_staff', 'GET', '/api/v1/monitoring/watch?month=2022-06');
      expect(r.statusCode).toBe(200);
      const people = r.json().people as {
        certno: string;
        threshold: string;
        sharePercent: number;
        projectedCrossingMonth: string | null;
        monthlyAverage: number;
      }[];
      expect(people.map((x) => [x.certno, x.threshold])).toEqual([
        [p.nearTotal, 'total'],
        [p.near, 'inscope'],
      ]);
      expect(people[0]).toMatchObject({
        sharePercent: 90,
        monthlyAverage: 5355.75,
        projectedCrossingMonth: '2022-07',
      });
      const only = await call(
        'bureau_staff',
        'GET',
        '/api/v1/monitoring/watch?month=2022-06&threshold=inscope',
      );
      expect(only.json().total).toBe(1);
    });
  });

  describe('withdrawal after a cancelled settlement', () => {
    it('a cancel that brings the burden back under the line withdraws the open warning on the next run', async () => {
      const bill = (msgid: string, b: Record<string, unknown>, level: 1 | 3 = 3) => ({
        msgid,
        certno: p.settled,
        fixmedinsCode: AT_LEVEL[level],
        bill: { date: '2022-04-10', diagnosis: 'K35.8', ...b },
      });
      const first = await call(
        'bureau_staff',
        'POST',
        '/api/v1/settlements',
        bill('m-1', {
          visitType: 'inpatient',
          lines: [
            { amount: 10000, class: 'A' },
            { amount: 30000, class: 'C' },
          ],
        }),
      );
      expect(first.statusCode).toBe(200);
      const second = await call(
        'bureau_staff',
        'POST',
        '/api/v1/settlements',
        bill('m-2', { visitType: 'general_outpatient', lines: [{ amount: 2000, class: 'C' }] }, 1),
      );
      expect(second.statusCode).toBe(200);
      const acc = await ctx.db.query<{ oop_total: number }>(
        'SELECT oop_total FROM accumulator WHERE certno = $1',
        [p.settled],
      );
      expect(acc.rows[0]!.oop_total).toBe(3_660_000);
      const run = await call('bureau_staff', 'POST', '/api/v1/monitoring/runs', {
        month: '2022-04',
      });
      expect(run.json().created).toBe(1);
      expect((await warningOf(p.settled)).status).toBe('new');

      const cancel = await call(
        'bureau_staff',
        'POST',
        `/api/v1/settlements/${second.json().settlementId}/cancel`,
        {
          msgid: 'm-2-c',
          reason: '重复收费',
        },
      );
      expect(cancel.statusCode).toBe(200);
      const next = await call('bureau_staff', 'POST', '/api/v1/monitoring/runs', {
        month: '2022-05',
      });
      expect(next.json()).toMatchObject({ created: 0, withdrawn: 1 });
      const w = await warningOf(p.settled);
      expect(w.status).toBe('withdrawn');
      const one = await call('bureau_staff', 'GET', `/api/v1/monitoring/warnings/${w.warningId}`);
      expect(one.json().events.at(-1)).toMatchObject({
        from: 'new',
        to: 'withdrawn',
        detail: { amountNow: 3_460_000, line: TOTAL_LINE },
      });
    });
  });

  describe('dashboard', () => {
    it('counts warnings per month, township, category and threshold, with confirmed and assisted', async () => {
      const r = await call('auditor', 'GET', '/api/v1/monitoring/dashboard?year=2022');
      expect(r.statusCode).toBe(200);
      const d = r.json();
      expect(d.totals).toEqual({
        warnings: 4,
        open: 1,
        pushed: 3,
        confirmed: 1,
        dismissed: 1,
        assisted: 1,
        withdrawn: 1,
      });
      expect(
        d.byMonth.map((m: { month: string; warnings: number }) => [m.month, m.warnings]),
      ).toEqual([
        ['2022-03', 3],
        ['2022-04', 1],
      ]);
      expect(d.byTownship).toEqual([
        expect.objectContaining({
          townshipCode: '370899001',
          townshipName: '城关镇',
          warnings: 2,
          confirmed: 1,
          assisted: 1,
        }),
        expect.objectContaining({
          townshipCode: '370899002',
          townshipName: '东山乡',
          warnings: 2,
          dismissed: 1,
          withdrawn: 1,
        }),
      ]);
      expect(
        d.byCategory.map((c: { category: string; warnings: number }) => [c.category, c.warnings]),
      ).toEqual([
        ['low_income_marginal', 2],
        ['none', 2],
      ]);
      expect(
        d.byThreshold.map((c: { threshold: string; warnings: number }) => [
          c.threshold,
          c.warnings,
        ]),
      ).toEqual([
        ['inscope', 1],
        ['total', 3],
      ]);
      expect(
        (await call('designated_institution', 'GET', '/api/v1/monitoring/dashboard?year=2022'))
          .statusCode,
      ).toBe(403);
    });
  });
});
