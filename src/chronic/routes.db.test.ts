/**
 * The chronic API over HTTP (docs/chronic.md §14): bad input is a 4xx `{code, field, message}`
 * naming the field; documents are multipart uploads checked by their bytes and size; callers see
 * only their scope, with ID numbers and S004 masked as their permissions say; PDFs are served.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { pdfText } from '../../test/support/pdf-text.ts';
import { buildApp } from '../app/http.ts';
import { bearer, createRoleAccounts, PEOPLE, seedPeople } from '../auth/testing/accounts.ts';
import type { Role } from '../kernel/access/roles.ts';
import { seedRegions } from '../registry/testing/db.ts';
import {
  FILES,
  HEALTH_CENTRE,
  HEALTH_CENTRE_2,
  multipart,
  seedInstitutions,
} from './testing/fixture.ts';

const P = '/api/v1/chronic';

describeDb('chronic API', (ctx) => {
  let app: FastifyInstance;
  let ids: Record<Role, string>;
  const as = async (role: Role) => bearer(ctx.db, ids[role]);

  beforeAll(async () => {
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    await app.ready();
    ids = await createRoleAccounts(ctx.db);
    await seedRegions(ctx.db);
    await seedPeople(ctx.db);
    await seedInstitutions(ctx.db);
    return () => app.close();
  });

  const post = async (role: Role, url: string, payload: unknown) =>
    app.inject({
      method: 'POST',
      url: `${P}${url}`,
      headers: await as(role),
      payload: payload as object,
    });
  const get = async (role: Role, url: string) =>
    app.inject({ url: `${P}${url}`, headers: await as(role) });
  const upload = async (
    role: Role,
    id: number,
    fields: Record<string, string>,
    name: string,
    content: Buffer,
  ) => {
    const m = multipart(fields, { name, content });
    return app.inject({
      method: 'POST',
      url: `${P}/applications/${id}/attachments`,
      headers: { ...(await as(role)), ...m.headers },
      payload: m.payload,
    });
  };
  const error = (r: { statusCode: number; json: () => unknown }) => {
    const b = r.json() as {
      code: string;
      field: string | null;
      message: { zh: string; en: string };
    };
    expect(typeof b.message.zh).toBe('string');
    expect(typeof b.message.en).toBe('string');
    return { status: r.statusCode, code: b.code, field: b.field };
  };

  it('answers the catalogue with the checklist and the review steps', async () => {
    const r = await get('family_doctor', '/diseases?date=2022-06-01');
    expect(r.statusCode).toBe(200);
    const c = r.json();
    expect(c).toMatchObject({ pack: 'demo-2022', reviewSteps: 1 });
    expect(
      c.documents
        .filter((d: { required: boolean }) => d.required)
        .map((d: { kind: string }) => d.kind),
    ).toEqual(['medical_record', 'test_result']);
    expect(c.diseases.find((d: { code: string }) => d.code === 'M002')).toMatchObject({
      nationalCode: 'M01600',
      kind: 'chronic',
      subCap: 2000,
      diagnoses: ['E10', 'E11', 'E12', 'E13', 'E14'],
    });
    expect(c.diseases.find((d: { code: string }) => d.code === 'S004').diagnoses).toContain(
      'F70-F79',
    );
  });

  describe('an application over HTTP', () => {
    let id: number;

    it('refuses bad input with 4xx naming the field', async () => {
      const base = { certno: PEOPLE.own, acceptedOn: '2022-06-01', documentsDue: '2022-06-30' };
      expect(
        error(
          await post('township_office', '/applications', {
            ...base,
            diseases: [{ disease: 'Z123' }],
          }),
        ),
      ).toEqual({
        status: 422,
        code: 'chronic.unknown_disease',
        field: 'diseases[0].disease',
      });
      expect(
        error(
          await post('township_office', '/applications', {
            ...base,
            documentsDue: '2022-05-01',
            diseases: [{ disease: 'M001' }],
          }),
        ),
      ).toEqual({ status: 422, code: 'chronic.dates_out_of_order', field: 'documentsDue' });
      expect(
        error(
          await post('township_office', '/applications', {
            ...base,
            acceptedOn: '2022-02-30',
            diseases: [{ disease: 'M001' }],
          }),
        ),
      ).toMatchObject({ status: 400, field: 'acceptedOn' });
      expect(
        error(
          await post('township_office', '/applications', {
            ...base,
            certno: PEOPLE.plain,
            diseases: [{ disease: 'M001' }],
          }),
        ),
      ).toEqual({
        status: 404,
        code: 'person.not_found',
        field: 'certno',
      });
      expect(
        error(
          await post('township_office', '/applications', {
            ...base,
            channel: 'hospital',
            diseases: [{ disease: 'M001' }],
          }),
        ),
      ).toMatchObject({ status: 422, code: 'chronic.channel', field: 'channel' });
    });

    it('accepts an application, completes it with uploads, refuses bad files', async () => {
      const r = await post('township_office', '/applications', {
        certno: PEOPLE.own,
        diseases: [{ disease: 'M001', diagnosis: 'I11.9' }],
        acceptedOn: '2022-06-01',
        documentsDue: '2022-06-30',
      });
      expect(r.statusCode).toBe(201);
      const a = r.json();
      id = a.id;
      expect(a).toMatchObject({
        status: 'incomplete',
        channel: 'township',
        missingDocuments: ['medical_record', 'test_result'],
      });
      expect(
        error(
          await upload('township_office', id, { kind: 'medical_record' }, 'virus.pdf', FILES.exe),
        ),
      ).toEqual({
        status: 422,
        code: 'chronic.attachment_type',
        field: 'file',
      });
      const big = Buffer.concat([FILES.pdf, Buffer.alloc(10 * 1024 * 1024)]);
      expect(
        error(await upload('township_office', id, { kind: 'medical_record' }, 'big.pdf', big)),
      ).toEqual({
        status: 422,
        code: 'chronic.attachment_too_large',
        field: 'file',
      });
      expect(error(await upload('township_office', id, {}, 'a.pdf', FILES.pdf))).toMatchObject({
        status: 400,
        field: 'kind',
      });
      expect(
        error(
          await post('township_office', `/applications/${id}/attachments`, {
            kind: 'medical_record',
          }),
        ),
      ).toMatchObject({
        status: 400,
        field: 'file',
      });
      expect(
        (await upload('township_office', id, { kind: 'medical_record' }, '病历.jpg', FILES.jpeg))
          .statusCode,
      ).toBe(201);
      const done = await upload(
        'family_doctor',
        id,
        { kind: 'test_result' },
        '化验单.pdf',
        FILES.pdf,
      );
      expect(done.statusCode).toBe(201);
      expect(done.json()).toMatchObject({
        kind: 'test_result',
        mediaType: 'application/pdf',
        fileName: '化验单.pdf',
      });
      const now = await get('township_office', `/applications/${id}`);
      expect(now.json()).toMatchObject({ status: 'under_review', missingDocuments: [] });
      const file = await get('township_office', `/attachments/${now.json().documents[0].id}`);
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toBe('image/jpeg');
      expect(file.rawPayload.equals(FILES.jpeg)).toBe(true);
    });

    it('reviews: 409 for an application not under review, refusals need a reason', async () => {
      const incomplete = await post('bureau_staff', '/applications', {
        certno: PEOPLE.other,
        diseases: [{ disease: 'M005' }],
        documentsDue: '2099-01-01',
      });
      expect(
        error(
          await post('expert_reviewer', `/applications/${incomplete.json().id}/decisions`, {
            decisions: [{ disease: 'M005', decision: 'approved' }],
          }),
        ),
      ).toEqual({ status: 409, code: 'chronic.not_under_review', field: 'id' });
      expect(
        error(
          await post('expert_reviewer', `/applications/${id}/decisions`, {
            decisions: [{ disease: 'M001', decision: 'refused' }],
          }),
        ),
      ).toEqual({ status: 422, code: 'chronic.reason_required', field: 'decisions[0].reason' });
      expect(
        error(
          await post('expert_reviewer', `/applications/999999/decisions`, {
            decisions: [{ disease: 'M001', decision: 'approved' }],
          }),
        ),
      ).toMatchObject({
        status: 404,
        code: 'chronic.application_not_found',
      });
      const queue = await get('expert_reviewer', '/reviews');
      expect(queue.json().items.map((a: { id: number }) => a.id)).toContain(id);
      const refused = await post('expert_reviewer', `/applications/${id}/decisions`, {
        decisions: [
          {
            disease: 'M001',
            decision: 'refused',
            reason: 'documents_insufficient',
            note: '缺少心脏超声报告',
          },
        ],
      });
      expect(refused.statusCode).toBe(200);
      expect(refused.json()).toMatchObject({ status: 'decided', certificateNo: null });
      const notice = await get('township_office', `/applications/${id}/notice.pdf`);
      expect(notice.statusCode).toBe(200);
      expect(notice.headers['content-type']).toBe('application/pdf');
      const text = (await pdfText(notice.rawPayload)).replace(/\s/g, '');
      expect(text).toContain('申请材料不足以证明病情');
      expect(text).toContain('缺少心脏超声报告');
      expect(text).toContain('回执');
    });

    it('issues a certificate the hospital sees for its own patient only, masked', async () => {
      const r = await post('bureau_staff', '/applications', {
        certno: PEOPLE.own,
        diseases: [{ disease: 'S004', diagnosis: 'F20.0' }, { disease: 'M003' }],
        onsite: true,
      });
      const app = r.json();
      // Township offices may not see psychiatric diagnoses.
      const seen = (await get('township_office', `/applications/${app.id}`)).json();
      expect(seen.diseases.map((d: { disease: string }) => d.disease).sort()).toEqual([
        '***',
        'M003',
      ]);
      expect(seen.diseases.find((d: { disease: string }) => d.disease === '***').diagnosis).toBe(
        '***',
      );
      await post('expert_reviewer', `/applications/${app.id}/decisions`, {
        decisions: [
          { disease: 'S004', decision: 'approved' },
          { disease: 'M003', decision: 'approved' },
        ],
      });
      const hospital = await get('designated_institution', `/certificates/${PEOPLE.own}`);
      expect(hospital.statusCode).toBe(200);
      const cert = hospital.json();
      expect(cert.certno).toBe(`${PEOPLE.own.slice(0, 6)}********${PEOPLE.own.slice(-4)}`);
      expect(cert.diseases.map((d: { disease: string }) => d.disease).sort()).toEqual([
        '***',
        'M003',
      ]);
      // Another township's person is not the hospital's patient: not found, as if nobody.
      expect(error(await get('designated_institution', `/certificates/${PEOPLE.plain}`))).toEqual({
        status: 404,
        code: 'person.not_found',
        field: 'certno',
      });
      const staff = (await get('bureau_staff', `/certificates/${PEOPLE.own}`)).json();
      expect(staff.diseases.map((d: { disease: string }) => d.disease).sort()).toEqual([
        'M003',
        'S004',
      ]);
      const audited = await ctx.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE action = 'registry.sensitive.read' AND entity = 'chronic_certificate'",
      );
      expect(audited.rows[0]!.n).toBe(1);
      const pdf = await get('bureau_staff', `/certificates/${PEOPLE.own}/pdf`);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect((await pdfText(pdf.rawPayload)).replace(/\s/g, '')).toContain('门诊慢特病证');
      // The documents of a severe-mental application are not for readers without the permission.
      const list = await get('township_office', `/certificates?disease=S004`);
      expect(list.json()).toEqual({ items: [], total: 0 });
    });

    it('ends a disease and answers the person summary', async () => {
      expect(
        error(
          await post('bureau_staff', `/certificates/${PEOPLE.own}/diseases/M003/end`, {
            reason: 'expired',
            on: '2000-01-01',
          }),
        ),
      ).toEqual({ status: 422, code: 'chronic.dates_out_of_order', field: 'on' });
      const ended = await post('bureau_staff', `/certificates/${PEOPLE.own}/diseases/M003/end`, {
        reason: 'correction',
        on: '2099-12-31',
        note: '误录',
      });
      expect(ended.statusCode).toBe(200);
      expect(
        ended.json().diseases.find((d: { disease: string }) => d.disease === 'M003'),
      ).toMatchObject({
        endedReason: 'correction',
        active: false,
      });
      const p = await get('township_office', `/persons/${PEOPLE.own}/chronic`);
      expect(p.statusCode).toBe(200);
      expect(p.json().applications).toHaveLength(2);
      expect(error(await get('township_office', `/persons/${PEOPLE.plain}/chronic`))).toMatchObject(
        { status: 404 },
      );
    });
  });

  describe('filings and imports over HTTP', () => {
    it("lists the level-1 institutions a filing may name, the township's first", async () => {
      const r = await get('family_doctor', '/institutions');
      const items = r.json().items as {
        fixmedinsCode: string;
        admdvs: string;
        township: boolean;
      }[];
      expect(items[0]).toEqual({
        fixmedinsCode: HEALTH_CENTRE,
        name: '城关镇卫生院',
        admdvs: '370899001',
        township: true,
      });
      expect(items.slice(1).every((i) => !i.township && i.admdvs !== '370899001')).toBe(true);
      expect(items.map((i) => i.fixmedinsCode)).toContain(HEALTH_CENTRE_2);
    });

    it('files a two-diseases patient at the health centre and ends the filing', async () => {
      expect(
        error(
          await post('family_doctor', '/filings', {
            certno: PEOPLE.own,
            disease: 'diabetes',
            diagnosis: 'J06.9',
          }),
        ),
      ).toEqual({ status: 422, code: 'chronic.filing_diagnosis', field: 'diagnosis' });
      const f = await post('family_doctor', '/filings', {
        certno: PEOPLE.own,
        disease: 'diabetes',
        diagnosis: 'E11.9',
        validFrom: '2022-03-01',
      });
      expect(f.statusCode).toBe(201);
      expect(f.json()).toMatchObject({ institutionName: '城关镇卫生院', source: 'doctor' });
      const list = await get('township_office', '/filings?disease=diabetes');
      expect(list.json().total).toBe(1);
      const end = await post('family_doctor', `/filings/${f.json().id}/end`, {
        reason: 'cancelled',
        on: '2022-04-01',
      });
      expect(end.json()).toMatchObject({ validTo: '2022-04-01', endedReason: 'cancelled' });
    });

    it('imports certificates from an uploaded file, listing the rejected rows', async () => {
      const csv = Buffer.from(
        [
          '身份证号,病种编码,开始日期',
          `${PEOPLE.other},M006,2021-01-01`,
          `${PEOPLE.other},M404,2021-01-01`,
        ].join('\n'),
      );
      const m = multipart({}, { name: 'certs.csv', content: csv });
      const r = await app.inject({
        method: 'POST',
        url: `${P}/import/certificates`,
        headers: { ...(await as('bureau_staff')), ...m.headers },
        payload: m.payload,
      });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toMatchObject({
        rowsRead: 2,
        imported: 1,
        rejectedCount: 1,
        rejected: [{ row: 3, field: 'disease', code: 'chronic.unknown_disease' }],
      });
    });
  });
});
