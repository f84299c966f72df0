/**
 * Screening on the database: who a run lists (and who it must not), the categories, township and
 * scope filters, what readers see, the funnel, visits through the API with bad input named, and
 * the XLSX per township.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import { buildServices } from '../app/services.ts';
import type { Actor, DataScope } from '../kernel/access/actor.ts';
import { bearer, createRoleAccounts } from '../auth/testing/accounts.ts';
import type { Role } from '../kernel/access/roles.ts';
import { seedRegions, testClock, VILLAGE_1, VILLAGE_2 } from '../registry/testing/db.ts';
import { loadPackCatalog } from '../settlement/persist/packs.ts';
import { ScreeningService } from './screening-service.ts';
import {
  addApplication,
  addCertificate,
  addFlag,
  addPerson,
  addStay,
  newCertno,
} from './testing/screening.ts';

const SENSITIVE = 'registry:sensitive:read';
const CERTNO = 'registry:certno:read';
const actor = (scope: DataScope, ...permissions: string[]): Actor => ({
  id: `test:${scope.kind === 'system' ? 'system' : scope.regionCode}`,
  name: 'test',
  roles: [],
  permissions: new Set([CERTNO, ...permissions]),
  scope,
  origin: null,
});
const COUNTY = actor({ kind: 'region', regionCode: '370899' }, SENSITIVE);
const COUNTY_PLAIN = actor({ kind: 'region', regionCode: '370899' });
const TOWNSHIP = actor({ kind: 'region', regionCode: '370899001' });
const YEAR = { periodFrom: '2022-01-01', periodTo: '2022-12-31' };

describeDb('screening', (ctx) => {
  const clock = testClock('2023-01-05');
  let service: ScreeningService;
  /** The people, by the case they stand for. */
  const p: Record<string, string> = {};

  beforeAll(async () => {
    const db = ctx.db;
    service = new ScreeningService(db, await loadPackCatalog(), clock.now);
    await seedRegions(db);
    await db.query(
      `INSERT INTO region (code, name, level, parent_code) VALUES ('370898', '邻县', 'county', '370800')`,
    );
    const person = async (key: string, village: string, status?: 'deceased') =>
      (p[key] = await addPerson(db, newCertno(), village, { status, name: `人${key}` }));
    // Listed: a stroke admission without a certificate.
    await addStay(db, await person('a', VILLAGE_1), '2022-03-01', 'I63.9');
    // Certified for that disease: not listed; certified for another one: listed.
    await addStay(db, await person('b', VILLAGE_1), '2022-03-01', 'I63.9');
    await addCertificate(db, p.b!, 'M004', '2021-01-01');
    await addStay(db, await person('c', VILLAGE_2), '2022-04-01', 'I63.9');
    await addCertificate(db, p.c!, 'M003', '2021-01-01');
    // Not in the catalogue, outside the period, outpatient, cancelled, deceased: not listed.
    await addStay(db, await person('d', VILLAGE_2), '2022-05-01', 'J18.9');
    await addStay(db, await person('e', VILLAGE_1), '2021-12-31', 'I63.9');
    await addStay(db, await person('f', VILLAGE_1), '2022-05-01', 'I25.1', {
      visitType: 'chronic_outpatient',
    });
    await addStay(db, await person('g', VILLAGE_2), '2022-05-01', 'C34.9', { cancelled: true });
    await addStay(db, await person('h', VILLAGE_1, 'deceased'), '2022-05-01', 'I63.9');
    // A certificate that ended before the period's end: listed.
    await addStay(db, await person('i', VILLAGE_2), '2022-07-01', 'I63.9');
    await addCertificate(db, p.i!, 'M004', '2020-01-01', '2022-06-30');
    // An application under way for it: not listed; a refused one: listed.
    await addStay(db, await person('j', VILLAGE_1), '2022-07-01', 'I63.9');
    await addApplication(db, p.j!, [{ disease: 'M004' }], {
      createdAt: '2022-08-01T10:00:00+08:00',
    });
    await addStay(db, await person('j2', VILLAGE_1), '2022-07-01', 'I63.9');
    await addApplication(db, p.j2!, [{ disease: 'M004', decision: 'refused' }], {
      status: 'decided',
      createdAt: '2022-08-01T10:00:00+08:00',
    });
    // Severe mental: a flag covers it (not listed); without one, listed for S004.
    await addStay(db, await person('k', VILLAGE_1), '2022-02-01', 'F20.0');
    await addFlag(db, p.k!, 'severe_mental');
    await addStay(db, await person('l', VILLAGE_2), '2022-02-01', 'F20.0');
    // …and a covered patient listed for another disease is listed for that one alone.
    await addStay(db, await person('k2', VILLAGE_2), '2022-02-01', 'F20.0');
    await addStay(db, p.k2!, '2022-03-01', 'I63.9');
    await addFlag(db, p.k2!, 'severe_mental');
    // Two diseases over two stays.
    await addStay(db, await person('m', VILLAGE_1), '2022-02-01', 'I63.9');
    await addStay(db, p.m!, '2022-09-01', 'C34.9');
    // Categories: held in the period, and ended before it.
    await addStay(db, await person('n', VILLAGE_2), '2022-10-01', 'I25.1');
    await addFlag(db, p.n!, 'subsistence');
    await addStay(db, await person('o', VILLAGE_2), '2022-10-01', 'I25.1');
    await addFlag(db, p.o!, 'subsistence', '2021-01', '2021-12');
    // Certified since the period's end: not listed.
    await addStay(db, await person('q', VILLAGE_1), '2022-11-01', 'I63.9');
    await addCertificate(db, p.q!, 'M004', '2023-01-02');
  });

  const listedOf = async (a: Actor, id: number, filter = {}) =>
    (await service.people(a, id, filter, { page: 1, pageSize: 100 })).items;
  const keysOf = (rows: { certno: string }[]) =>
    rows.map((r) => Object.entries(p).find(([, c]) => c === r.certno)?.[0] ?? r.certno).sort();

  it('lists exactly the people with a catalogue stay and no certificate for it', async () => {
    const run = await service.run(COUNTY, YEAR);
    expect(run.listed).toBe(9);
    expect(run.criteria).toMatchObject({
      regionCode: '370899',
      county: '370899',
      pack: 'demo-2022',
      severeMental: 'S004',
      categories: [],
    });
    const rows = await listedOf(COUNTY, run.id);
    expect(keysOf(rows)).toEqual(['a', 'c', 'i', 'j2', 'k2', 'l', 'm', 'n', 'o']);
    expect(rows.find((r) => r.certno === p.k2)).toMatchObject({
      diseases: ['M004'],
      diagnoses: ['I63.9'],
    });
    const m = rows.find((r) => r.certno === p.m)!;
    expect(m).toMatchObject({
      diseases: ['M004', 'S001'],
      diagnoses: ['C34.9', 'I63.9'],
      regionCode: VILLAGE_1,
      regionName: '城关1村',
      townshipCode: '370899001',
      townshipName: '城关镇',
      visitedOn: null,
      applicationId: null,
      certified: false,
    });
    expect(rows.find((r) => r.certno === p.l)).toMatchObject({ diseases: ['S004'] });
  });

  it('keeps only people holding a category in the period', async () => {
    const run = await service.run(COUNTY, { ...YEAR, categories: ['subsistence'] });
    expect(keysOf(await listedOf(COUNTY, run.id))).toEqual(['n']);
  });

  it('keeps one township, by request or by the caller’s scope', async () => {
    const asked = await service.run(COUNTY, { ...YEAR, regionCode: '370899001' });
    expect(keysOf(await listedOf(COUNTY, asked.id))).toEqual(['a', 'j2', 'm']);
    const township = await service.run(TOWNSHIP, YEAR);
    expect(township.criteria.regionCode).toBe('370899001');
    expect(keysOf(await listedOf(TOWNSHIP, township.id))).toEqual(['a', 'j2', 'm']);
    // The county's run, read by the township: its own people only.
    const county = await service.run(COUNTY, YEAR);
    expect(keysOf(await listedOf(TOWNSHIP, county.id))).toEqual(['a', 'j2', 'm']);
    // …and the township's run is not the other township's business.
    const other = actor({ kind: 'region', regionCode: '370899002' });
    await expect(service.get(other, township.id)).rejects.toMatchObject({
      code: 'chronic.screening_not_found',
    });
    await expect(service.run(TOWNSHIP, { ...YEAR, regionCode: '370899002' })).rejects.toMatchObject(
      { kind: 'forbidden', code: 'region.out_of_scope', field: 'regionCode' },
    );
  });

  it('shows the severe mental disease only to readers who may see it', async () => {
    const run = await service.run(COUNTY, YEAR);
    expect(keysOf(await listedOf(COUNTY_PLAIN, run.id))).not.toContain('l');
    expect(keysOf(await listedOf(COUNTY, run.id))).toContain('l');
    const f = await service.funnel(COUNTY_PLAIN, { screeningId: run.id });
    expect(f.screened).toBe(8);
    await expect(
      service.run(COUNTY_PLAIN, { ...YEAR, categories: ['severe_mental'] }),
    ).rejects.toMatchObject({ kind: 'forbidden', field: 'categories' });
    const sensitiveRun = await service.run(COUNTY, { ...YEAR, categories: ['severe_mental'] });
    await expect(service.get(COUNTY_PLAIN, sensitiveRun.id)).rejects.toMatchObject({
      code: 'chronic.screening_not_found',
    });
  });

  it('counts the funnel: visited, applied since the run, certified, refused, reasons', async () => {
    clock.set('2023-01-05');
    const run = await service.run(COUNTY, YEAR);
    clock.set('2023-02-01');
    await service.visit(COUNTY, run.id, p.a!, { visitedOn: '2023-01-10' });
    await service.visit(COUNTY, run.id, p.c!, {
      visitedOn: '2023-01-11',
      notApplying: 'no_outpatient_need',
    });
    await service.visit(COUNTY, run.id, p.i!, {
      visitedOn: '2023-01-12',
      notApplying: 'not_in_catalogue',
      note: '已确诊为其他疾病',
    });
    const after = '2023-01-20T10:00:00+08:00';
    const a = await addApplication(db(), p.a!, [{ disease: 'M004', decision: 'approved' }], {
      status: 'decided',
      createdAt: after,
    });
    await addCertificate(db(), p.a!, 'M004', '2023-01-20', null, a);
    await addApplication(db(), p.m!, [{ disease: 'M004', decision: 'refused' }], {
      status: 'decided',
      createdAt: after,
    });
    await addApplication(db(), p.n!, [{ disease: 'M003' }], { createdAt: after });
    await addApplication(db(), p.o!, [{ disease: 'M003' }], {
      status: 'withdrawn',
      createdAt: '2022-12-20T10:00:00+08:00',
    });
    expect(await service.funnel(COUNTY, { screeningId: run.id })).toEqual({
      screeningId: run.id,
      screened: 9,
      visited: 3,
      applied: 3,
      certified: 1,
      refused: 1,
      notApplying: {
        no_chronic_disease: 0,
        review_not_passed: 0,
        not_in_catalogue: 1,
        no_outpatient_need: 1,
      },
    });
    expect(
      await service.funnel(COUNTY, { screeningId: run.id, regionCode: '370899001' }),
    ).toMatchObject({ screened: 3, visited: 1, applied: 2, certified: 1, refused: 1 });
    // The latest run by default; the township's share of it for the township.
    expect((await service.funnel(TOWNSHIP, {})).screened).toBe(3);
    const by = async (status: string) =>
      keysOf(await listedOf(COUNTY, run.id, { status: status as never }));
    expect(await by('unvisited')).toEqual(['j2', 'k2', 'l', 'o']);
    expect(await by('visited')).toEqual(['a', 'c', 'i']);
    expect(await by('not_applying')).toEqual(['c', 'i']);
    expect(await by('applied')).toEqual(['a', 'm', 'n']);
    expect(await by('certified')).toEqual(['a']);
    expect(await by('refused')).toEqual(['m']);
    const rowA = (await listedOf(COUNTY, run.id, { status: 'certified' }))[0]!;
    expect(rowA).toMatchObject({ applicationId: a, applicationStatus: 'decided', certified: true });
  });

  const db = () => ctx.db;

  it('audits a run and each visit with the visit before and after', async () => {
    clock.set('2023-01-05');
    const run = await service.run(COUNTY, YEAR);
    await service.visit(COUNTY, run.id, p.c!, { visitedOn: '2023-01-05' });
    await service.visit(COUNTY, run.id, p.c!, {
      visitedOn: '2023-01-05',
      notApplying: 'no_chronic_disease',
    });
    const log = await ctx.db.query<{ action: string; before_json: string; after_json: string }>(
      `SELECT action, before_json, after_json FROM audit_log
        WHERE entity IN ('chronic_screening', 'chronic_screening_person')
          AND (entity_id = $1 OR entity_id = $1 || '/' || $2) ORDER BY seq`,
      [String(run.id), p.c],
    );
    expect(log.rows.map((r) => r.action)).toEqual([
      'chronic.screening.run',
      'chronic.screening.visit',
      'chronic.screening.visit',
    ]);
    expect(JSON.parse(log.rows[2]!.before_json)).toEqual({
      visitedOn: '2023-01-05',
      notApplying: null,
      note: null,
    });
    expect(JSON.parse(log.rows[2]!.after_json)).toMatchObject({
      notApplying: 'no_chronic_disease',
    });
  });

  describe('over HTTP', () => {
    let app: FastifyInstance;
    let ids: Record<Role, string>;
    let runId: number;
    const as = async (role: Role) => bearer(ctx.db, ids[role]);

    beforeAll(async () => {
      clock.set('2023-01-05');
      app = await buildApp({
        db: ctx.db,
        logLevel: 'silent',
        services: await buildServices(ctx.db, { now: clock.now }),
      });
      await app.ready();
      ids = await createRoleAccounts(ctx.db);
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/chronic/screenings',
        headers: await as('bureau_staff'),
        payload: { periodFrom: '2022-1-1', periodTo: '20221231' },
      });
      expect(r.statusCode).toBe(201);
      runId = r.json().id;
      return () => app.close();
    });

    const visit = async (role: Role, certno: string, payload: unknown, id = runId) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/chronic/screenings/${id}/people/${certno}/visit`,
        headers: await as(role),
        payload: payload as Record<string, unknown>,
      });

    // Since the tests above, a holds a certificate and n has applied: the run lists c, i, j2, k2,
    // l, m and o, of whom j2 and m live in the township.
    it('records a visit in the township and names the field of bad input', async () => {
      const ok = await visit('township_office', p.m!, {
        visitedOn: '2023-1-5',
        notApplying: 'no_outpatient_need',
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({
        visitedOn: '2023-01-05',
        notApplying: 'no_outpatient_need',
        recordedBy: ids.township_office,
      });
      const cases: [unknown, number, string][] = [
        [{ visitedOn: '2023-01-06' }, 422, 'visitedOn'],
        [{ visitedOn: '2022-12-31' }, 422, 'visitedOn'],
        [{ visitedOn: '2023-13-01' }, 400, 'visitedOn'],
        [{}, 400, 'visitedOn'],
        [{ visitedOn: '2023-01-05', notApplying: 'bored' }, 400, 'notApplying'],
        [{ visitedOn: '2023-01-05', note: 'x'.repeat(501) }, 400, 'note'],
        [{ visitedOn: '2023-01-05', extra: 1 }, 400, 'body'],
      ];
      for (const [payload, status, field] of cases) {
        const r = await visit('township_office', p.m!, payload);
        expect([r.statusCode, r.json().field], JSON.stringify(payload)).toEqual([status, field]);
        expect(r.json().message).toEqual({ zh: expect.any(String), en: expect.any(String) });
      }
    });

    it('answers a person outside the scope as one not on the list', async () => {
      const outside = await visit('township_office', p.c!, { visitedOn: '2023-01-05' });
      const absent = await visit('township_office', p.b!, { visitedOn: '2023-01-05' });
      expect(outside.statusCode).toBe(404);
      const shape = (r: typeof outside) => [r.statusCode, r.json().code, r.json().field];
      expect(shape(outside)).toEqual(shape(absent));
      expect(outside.json()).toMatchObject({
        code: 'chronic.screening_person_not_found',
        field: 'certno',
      });
      const badId = await visit('township_office', 'not-an-id', { visitedOn: '2023-01-05' });
      expect([badId.statusCode, badId.json().field]).toEqual([400, 'certno']);
      const noRun = await visit('township_office', p.m!, { visitedOn: '2023-01-05' }, 99_999);
      expect([noRun.statusCode, noRun.json().code, noRun.json().field]).toEqual([
        404,
        'chronic.screening_not_found',
        'id',
      ]);
      // The expert reviewer may read but not record visits.
      const expert = await visit('expert_reviewer', p.m!, { visitedOn: '2023-01-05' });
      expect(expert.statusCode).toBe(403);
    });

    it('refuses a reversed period, a region beside the scope, an unknown region', async () => {
      const post = async (role: Role, payload: unknown) => {
        const r = await app.inject({
          method: 'POST',
          url: '/api/v1/chronic/screenings',
          headers: await as(role),
          payload: payload as Record<string, unknown>,
        });
        return [r.statusCode, r.json().code, r.json().field];
      };
      expect(
        await post('bureau_staff', { periodFrom: '2022-12-31', periodTo: '2022-01-01' }),
      ).toEqual([422, 'chronic.period_reversed', 'periodTo']);
      expect(await post('bureau_staff', { ...YEAR, regionCode: '370898' })).toEqual([
        403,
        'region.out_of_scope',
        'regionCode',
      ]);
      expect(await post('bureau_staff', { ...YEAR, regionCode: '370899077' })).toEqual([
        422,
        'region.unknown',
        'regionCode',
      ]);
      expect(
        await post('bureau_staff', { periodFrom: '2015-01-01', periodTo: '2015-12-31' }),
      ).toEqual([422, 'chronic.no_pack', 'periodTo']);
      expect(await post('bureau_staff', { ...YEAR, categories: ['rich'] })).toEqual([
        400,
        expect.any(String),
        'categories[0]',
      ]);
    });

    it('lists per township with paging and answers the funnel', async () => {
      const get = async (role: Role, url: string) =>
        (await app.inject({ url, headers: await as(role) })).json();
      const page1 = await get(
        'bureau_staff',
        `/api/v1/chronic/screenings/${runId}/people?pageSize=4`,
      );
      expect(page1.total).toBe(7);
      expect(page1.items).toHaveLength(4);
      const page2 = await get(
        'bureau_staff',
        `/api/v1/chronic/screenings/${runId}/people?pageSize=4&page=2`,
      );
      expect(page2.items).toHaveLength(3);
      const t2 = await get(
        'bureau_staff',
        `/api/v1/chronic/screenings/${runId}/people?regionCode=370899002`,
      );
      expect(t2.items.map((x: { townshipName: string }) => x.townshipName)).toEqual(
        Array(t2.total).fill('南站镇'),
      );
      // The township office sees masked ID numbers only where its role says so.
      const mine = await get('township_office', `/api/v1/chronic/screenings/${runId}/people`);
      expect(mine.total).toBe(2);
      const funnel = await get('township_office', `/api/v1/chronic/funnel?screeningId=${runId}`);
      expect(funnel).toMatchObject({ screeningId: runId, screened: 2, visited: 1, refused: 1 });
      const runs = await get('family_doctor', '/api/v1/chronic/screenings');
      expect(runs.items.map((r: { id: number }) => r.id)).toContain(runId);
      const dash = await get('bureau_staff', '/api/v1/reports/dashboard');
      expect(dash.chronicFunnel).toMatchObject({ screened: expect.any(Number) });
    });

    it('exports the list as XLSX, one sheet per township', async () => {
      const load = async (role: Role, query = '') => {
        const r = await app.inject({
          url: `/api/v1/chronic/screenings/${runId}/export.xlsx${query}`,
          headers: await as(role),
        });
        expect(r.statusCode).toBe(200);
        expect(r.headers['content-type']).toContain('spreadsheetml');
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
        return book;
      };
      const all = await load('bureau_staff');
      expect(all.worksheets.map((w) => w.name)).toEqual(['城关镇', '南站镇']);
      const first = all.worksheets[0]!;
      expect(first.getRow(1).getCell(4).value).toBe('身份证号');
      const body = first.getSheetValues().slice(2) as unknown[][];
      expect(body.map((r) => r[4])).toEqual([p.j2, p.m].sort());
      const rowM = body.find((r) => r[4] === p.m)!;
      expect(rowM[6]).toBe('M004 脑血管病及后遗症；S001 恶性肿瘤门诊治疗');
      expect(rowM[7]).toBe('C34.9；I63.9');
      expect(rowM[9]).toBe('无门诊就医需求');
      expect(rowM[12]).toBe('未通过');
      const one = await load('bureau_staff', '?regionCode=370899002');
      expect(one.worksheets.map((w) => w.name)).toEqual(['南站镇']);
      const township = await load('township_office');
      expect(township.worksheets.map((w) => w.name)).toEqual(['城关镇']);
      const audit = await ctx.db.query(
        `SELECT 1 FROM audit_log WHERE action = 'chronic.screening.export' AND entity_id = $1`,
        [String(runId)],
      );
      expect(audit.rows.length).toBe(3);
    });
  });
});
