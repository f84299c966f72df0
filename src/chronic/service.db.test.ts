/**
 * The chronic workflow end to end on the service (docs/chronic.md §6–§13), on PGlite and, with
 * DATABASE_URL, PostgreSQL: application → 容缺 (incomplete) → documents complete it → review →
 * certificate from the acceptance date → a disease added → a disease ended; two-step review;
 * two-diseases filings; the refusals of bad input, each naming its field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { pdfText } from '../../test/support/pdf-text.ts';
import { PEOPLE, seedPeople } from '../auth/testing/accounts.ts';
import { isTriguardError } from '../kernel/errors.ts';
import { loadPack, loadPacks } from '../policy/index.ts';
import { copyPack } from '../policy/testing/copy-pack.ts';
import { seedRegions, testClock } from '../registry/testing/db.ts';
import { certificateDefinition, noticeDefinition, renderPdf } from './documents/pdf.ts';
import { certificatePrint, noticePrint } from './documents/print.ts';
import { ChronicService } from './service.ts';
import {
  actorOf,
  FILES,
  HEALTH_CENTRE,
  HEALTH_CENTRE_2,
  seedInstitutions,
} from './testing/fixture.ts';
import { toApplicationView, toCertificateView } from './views.ts';

/** The error a promise rejects with, as `{kind, code, field}`. */
async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isTriguardError(e)) return { kind: e.kind, code: e.code, field: e.field };
    throw e;
  }
  throw new Error('expected a refusal');
}

const staff = actorOf('bureau_staff');
const expert = actorOf('expert_reviewer', 'expert-1');
const expert2 = actorOf('expert_reviewer', 'expert-2');
const township = actorOf('township_office');
const doctor = actorOf('family_doctor');
const hospital = actorOf('designated_institution');

describeDb('chronic workflow (service)', (ctx) => {
  const clock = testClock('2022-06-15');
  let service: ChronicService;

  beforeAll(async () => {
    await seedRegions(ctx.db);
    await seedPeople(ctx.db);
    await seedInstitutions(ctx.db);
    service = new ChronicService(ctx.db, await loadPacks(), clock.now);
  });

  describe('an application from acceptance to certificate', () => {
    let appId: number;

    it('refuses bad input, naming the field', async () => {
      const base = { certno: PEOPLE.plain, acceptedOn: '2022-06-01', documentsDue: '2022-06-30' };
      expect(
        await refusal(
          service.createApplication(staff, { ...base, diseases: [{ disease: 'X999' }] }),
        ),
      ).toEqual({
        kind: 'unprocessable',
        code: 'chronic.unknown_disease',
        field: 'diseases[0].disease',
      });
      expect(
        await refusal(
          service.createApplication(staff, {
            ...base,
            diseases: [{ disease: 'M002' }, { disease: 'M002' }],
          }),
        ),
      ).toMatchObject({ code: 'chronic.duplicate_disease', field: 'diseases[1].disease' });
      expect(
        await refusal(
          service.createApplication(staff, {
            ...base,
            diseases: [{ disease: 'M002', diagnosis: 'I10' }],
          }),
        ),
      ).toMatchObject({ code: 'chronic.diagnosis_mismatch', field: 'diseases[0].diagnosis' });
      expect(
        await refusal(
          service.createApplication(staff, {
            ...base,
            documentsDue: '2022-05-01',
            diseases: [{ disease: 'M002' }],
          }),
        ),
      ).toEqual({
        kind: 'unprocessable',
        code: 'chronic.dates_out_of_order',
        field: 'documentsDue',
      });
      expect(
        await refusal(
          service.createApplication(staff, {
            ...base,
            acceptedOn: '2022-07-01',
            diseases: [{ disease: 'M002' }],
          }),
        ),
      ).toMatchObject({ code: 'chronic.accepted_in_future', field: 'acceptedOn' });
      expect(
        await refusal(
          service.createApplication(staff, {
            ...base,
            documentsDue: undefined,
            diseases: [{ disease: 'M002' }],
          }),
        ),
      ).toMatchObject({ code: 'chronic.documents_due_required', field: 'documentsDue' });
      // A township office applies only for its own people: another township's is not found.
      expect(
        await refusal(
          service.createApplication(township, { ...base, diseases: [{ disease: 'M002' }] }),
        ),
      ).toEqual({ kind: 'not_found', code: 'person.not_found', field: 'certno' });
    });

    it('accepts with documents missing (容缺): incomplete, with the deadline', async () => {
      const app = await service.createApplication(staff, {
        certno: PEOPLE.plain,
        diseases: [{ disease: 'M002', diagnosis: 'E11.9' }],
        acceptedOn: '2022-06-01',
        documentsDue: '2022-06-30',
        note: '帮扶干部上门收取申请表',
      });
      appId = app.id;
      expect(app).toMatchObject({
        status: 'incomplete',
        channel: 'window',
        acceptedOn: '2022-06-01',
        documentsDue: '2022-06-30',
        reviewSteps: 1,
        missingDocuments: ['medical_record', 'test_result'],
        certificateNo: null,
      });
      expect(app.diseases[0]).toMatchObject({
        disease: 'M002',
        name: { zh: '糖尿病（合并并发症）' },
        decision: 'pending',
        step: 0,
      });
      // The same disease cannot be asked for twice while the first is open.
      expect(
        await refusal(
          service.createApplication(staff, {
            certno: PEOPLE.plain,
            diseases: [{ disease: 'M002' }],
            onsite: true,
          }),
        ),
      ).toMatchObject({ kind: 'conflict', code: 'chronic.already_applied' });
    });

    it('refuses a review while documents are missing', async () => {
      expect(
        await refusal(
          service.decide(expert, appId, [
            { disease: 'M002', decision: 'approved', reason: null, note: null },
          ]),
        ),
      ).toEqual({ kind: 'conflict', code: 'chronic.not_under_review', field: 'id' });
    });

    it('refuses documents that are not PDF, JPEG or PNG, or over 10 MB', async () => {
      const upload = (content: Buffer, truncated = false) =>
        service.addAttachment(staff, appId, {
          kind: 'medical_record',
          fileName: 'x.pdf',
          content,
          truncated,
        });
      expect(await refusal(upload(FILES.exe))).toEqual({
        kind: 'unprocessable',
        code: 'chronic.attachment_type',
        field: 'file',
      });
      expect(await refusal(upload(FILES.pdf, true))).toMatchObject({
        code: 'chronic.attachment_too_large',
        field: 'file',
      });
      expect(await refusal(upload(Buffer.alloc(0)))).toMatchObject({ field: 'file' });
    });

    it('moves to review when the last required document arrives', async () => {
      const first = await service.addAttachment(staff, appId, {
        kind: 'medical_record',
        fileName: '病历.pdf',
        content: FILES.pdf,
        truncated: false,
      });
      expect(first).toMatchObject({ kind: 'medical_record', mediaType: 'application/pdf' });
      expect((await service.application(staff, appId)).status).toBe('incomplete');
      // The family doctor of township 001 does not see a township-002 person: not found.
      const png = {
        kind: 'test_result' as const,
        fileName: '化验单.png',
        content: FILES.png,
        truncated: false,
      };
      expect(await refusal(service.addAttachment(doctor, appId, png))).toMatchObject({
        kind: 'not_found',
        code: 'chronic.application_not_found',
      });
      const second = await service.addAttachment(staff, appId, png);
      expect(second.mediaType).toBe('image/png');
      const app = await service.application(staff, appId);
      expect(app).toMatchObject({ status: 'under_review', missingDocuments: [] });
      expect(app.documents.map((d) => d.kind)).toEqual(['medical_record', 'test_result']);
    });

    it('refuses an approval without the reviewer, and a refusal without a reason', async () => {
      expect(
        await refusal(
          service.decide(expert, appId, [
            { disease: 'M002', decision: 'refused', reason: null, note: null },
          ]),
        ),
      ).toEqual({
        kind: 'unprocessable',
        code: 'chronic.reason_required',
        field: 'decisions[0].reason',
      });
      expect(
        await refusal(
          service.decide(expert, appId, [
            { disease: 'M003', decision: 'approved', reason: null, note: null },
          ]),
        ),
      ).toMatchObject({ code: 'chronic.disease_not_applied', field: 'decisions[0].disease' });
    });

    it('an approval issues the certificate, covering from the acceptance date (即时享受)', async () => {
      const decided = await service.decide(expert, appId, [
        {
          disease: 'M002',
          decision: 'approved',
          reason: null,
          note: '空腹血糖、糖化血红蛋白达标准',
        },
      ]);
      expect(decided.status).toBe('decided');
      expect(decided.diseases[0]).toMatchObject({
        decision: 'approved',
        step: 1,
        decidedBy: 'expert-1',
      });
      expect(decided.certificateNo).toMatch(/^MT3708992022\d{6}$/);
      const cert = await service.certificate(staff, PEOPLE.plain);
      expect(cert).toMatchObject({
        certificateNo: decided.certificateNo,
        issuedOn: '2022-06-15',
        source: 'review',
      });
      expect(cert.diseases).toEqual([
        expect.objectContaining({
          disease: 'M002',
          validFrom: '2022-06-01',
          validTo: null,
          applicationId: appId,
          kind: 'chronic',
        }),
      ]);
      const reviews = await ctx.db.query(
        'SELECT disease, step, decision, reviewer_id FROM chronic_review WHERE application_id = $1',
        [appId],
      );
      expect(reviews.rows).toEqual([
        { disease: 'M002', step: 1, decision: 'approved', reviewer_id: 'expert-1' },
      ]);
      // Reviewing a decided application is a conflict.
      expect(
        await refusal(
          service.decide(expert, appId, [
            { disease: 'M002', decision: 'approved', reason: null, note: null },
          ]),
        ),
      ).toMatchObject({ kind: 'conflict', code: 'chronic.not_under_review' });
      // A disease on the certificate is not applied for again.
      expect(
        await refusal(
          service.createApplication(staff, {
            certno: PEOPLE.plain,
            diseases: [{ disease: 'M002' }],
            onsite: true,
          }),
        ),
      ).toMatchObject({ code: 'chronic.already_certified', field: 'diseases[0].disease' });
    });

    it('adds a disease to the certificate; a refused one gets a notice', async () => {
      clock.set('2022-07-20');
      const app = await service.createApplication(staff, {
        certno: PEOPLE.plain,
        diseases: [{ disease: 'M003', diagnosis: 'I25.1' }, { disease: 'M005' }],
        acceptedOn: '2022-07-18',
        onsite: true,
      });
      expect(app).toMatchObject({ status: 'under_review', onsite: true, documentsDue: null });
      // Decided one disease at a time: the application stays under review until both are.
      const half = await service.decide(expert, app.id, [
        { disease: 'M003', decision: 'approved', reason: null, note: null },
      ]);
      expect(half.status).toBe('under_review');
      expect((await service.certificate(staff, PEOPLE.plain)).diseases).toHaveLength(1);
      const done = await service.decide(expert, app.id, [
        {
          disease: 'M005',
          decision: 'refused',
          reason: 'not_meeting_criteria',
          note: '肺功能检查未见阻塞',
        },
      ]);
      expect(done.status).toBe('decided');
      const cert = await service.certificate(staff, PEOPLE.plain);
      expect(cert.diseases.map((d) => [d.disease, d.validFrom])).toEqual([
        ['M002', '2022-06-01'],
        ['M003', '2022-07-18'],
      ]);
      const notice = await service.notice(staff, app.id);
      expect(notice.decidedOn).toBe('2022-07-20');
      const text = await pdfText(
        await renderPdf(
          noticeDefinition(noticePrint(staff, notice.application, notice.bureau, '2022-07-20')),
        ),
      );
      for (const words of [
        '鉴定情况告知书',
        '回执',
        'M005',
        '慢性阻塞性肺疾病',
        '未达到该病种鉴定标准',
        '肺功能检查未见阻塞',
        '再次申请',
        'M003',
        '示范县医疗保障局',
      ]) {
        expect(text.replace(/\s/g, '')).toContain(words);
      }
      // An application with nothing refused has no notice.
      expect(await refusal(service.notice(staff, appId))).toMatchObject({
        kind: 'not_found',
        code: 'chronic.no_refusal',
      });
    });

    it('prints the certificate in Chinese', async () => {
      const f = await service.certificateFacts(staff, PEOPLE.plain);
      const text = (
        await pdfText(
          await renderPdf(
            certificateDefinition(certificatePrint(staff, f.certificate, f.bureau, f.today)),
          ),
        )
      ).replace(/\s/g, '');
      for (const words of [
        '门诊慢特病证',
        f.certificate.certificateNo,
        '张伟',
        PEOPLE.plain,
        'M002糖尿病',
        '2022-06-01',
        '长期',
        '有效',
      ]) {
        expect(text).toContain(words);
      }
    });

    it('ends a disease with a date and reason; not twice, not before it starts', async () => {
      expect(
        await refusal(
          service.endDisease(staff, PEOPLE.plain, 'M003', { reason: 'revoked', on: '2022-07-01' }),
        ),
      ).toEqual({ kind: 'unprocessable', code: 'chronic.dates_out_of_order', field: 'on' });
      const after = await service.endDisease(staff, PEOPLE.plain, 'M003', {
        reason: 'revoked',
        on: '2022-08-31',
        note: '复查不符合标准',
      });
      expect(after.diseases.find((d) => d.disease === 'M003')).toMatchObject({
        validTo: '2022-08-31',
        endedReason: 'revoked',
        endedNote: '复查不符合标准',
      });
      expect(
        await refusal(
          service.endDisease(staff, PEOPLE.plain, 'M003', { reason: 'revoked', on: '2022-09-01' }),
        ),
      ).toMatchObject({ kind: 'conflict', code: 'chronic.already_ended' });
      expect(
        await refusal(
          service.endDisease(staff, PEOPLE.plain, 'M006', { reason: 'revoked', on: '2022-09-01' }),
        ),
      ).toMatchObject({ kind: 'not_found', code: 'chronic.disease_not_certified' });
      // Out of scope reads as not found, like a person who does not exist.
      expect(await refusal(service.certificate(township, PEOPLE.plain))).toEqual({
        kind: 'not_found',
        code: 'person.not_found',
        field: 'certno',
      });
      expect(await refusal(service.certificate(staff, PEOPLE.other))).toMatchObject({
        code: 'chronic.no_certificate',
      });
    });

    it('audits every change', async () => {
      const r = await ctx.db.query<{ action: string; n: number }>(
        `SELECT action, count(*)::int AS n FROM audit_log WHERE certno = $1 AND action LIKE 'chronic.%'
          GROUP BY action ORDER BY action`,
        [PEOPLE.plain],
      );
      expect(Object.fromEntries(r.rows.map((x) => [x.action, x.n]))).toEqual({
        'chronic.application.complete': 1,
        'chronic.application.create': 2,
        'chronic.application.review': 3,
        'chronic.attachment.create': 2,
        'chronic.certificate.add_disease': 1,
        'chronic.certificate.create': 1,
        'chronic.certificate.end': 1,
      });
    });

    it('withdraws an open application, and only an open one', async () => {
      const app = await service.createApplication(staff, {
        certno: PEOPLE.plain,
        diseases: [{ disease: 'M006' }],
        onsite: true,
      });
      const w = await service.withdraw(staff, app.id, '本人放弃申请');
      expect(w).toMatchObject({ status: 'withdrawn', withdrawnReason: '本人放弃申请' });
      expect(await refusal(service.withdraw(staff, app.id, '再撤'))).toMatchObject({
        kind: 'conflict',
        code: 'chronic.application_closed',
      });
      expect(await refusal(service.withdraw(staff, appId, '已办结'))).toMatchObject({
        code: 'chronic.application_closed',
      });
    });
  });

  describe('S004 and psychiatric diagnoses', () => {
    it('are masked for callers without registry:sensitive:read', async () => {
      clock.set('2022-06-15');
      const app = await service.createApplication(staff, {
        certno: PEOPLE.own,
        diseases: [{ disease: 'S004', diagnosis: 'F20.0' }],
        onsite: true,
      });
      const forTownship = toApplicationView(township, await service.application(township, app.id));
      expect(forTownship.diseases[0]).toMatchObject({
        disease: '***',
        name: { zh: '***' },
        diagnosis: '***',
      });
      const forStaff = toApplicationView(staff, await service.application(staff, app.id));
      expect(forStaff.diseases[0]).toMatchObject({ disease: 'S004', diagnosis: 'F20.0' });
      await service.decide(expert, app.id, [
        { disease: 'S004', decision: 'approved', reason: null, note: null },
      ]);
      const cert = await service.certificate(township, PEOPLE.own);
      expect(toCertificateView(township, cert, '2022-06-15').diseases[0]).toMatchObject({
        disease: '***',
      });
      // The hospital that treated the person sees the certificate, masked too.
      expect(
        toCertificateView(hospital, await service.certificate(hospital, PEOPLE.own), '2022-06-15')
          .diseases[0]!.disease,
      ).toBe('***');
      const text = (
        await pdfText(
          await renderPdf(
            certificateDefinition(
              certificatePrint(township, cert, '示范县医疗保障局', '2022-06-15'),
            ),
          ),
        )
      ).replace(/\s/g, '');
      expect(text).not.toContain('精神');
      expect(text).toContain('***');
    });
  });

  describe('two-step review', () => {
    it('needs a second reviewer where the pack says so', async () => {
      const copy = await copyPack('demo-2022');
      try {
        await copy.edit('applications.yaml', 'review_steps: 1', 'review_steps: 2');
        const two = new ChronicService(
          ctx.db,
          [await loadPack('demo-2022', { root: copy.root })],
          clock.now,
        );
        const app = await two.createApplication(staff, {
          certno: PEOPLE.other,
          diseases: [{ disease: 'M004' }, { disease: 'M006' }],
          onsite: true,
        });
        expect(app.reviewSteps).toBe(2);
        const first = await two.decide(expert, app.id, [
          { disease: 'M004', decision: 'approved', reason: null, note: null },
          { disease: 'M006', decision: 'refused', reason: 'documents_insufficient', note: null },
        ]);
        expect(first.status).toBe('under_review');
        expect(first.diseases.map((d) => [d.disease, d.decision, d.step])).toEqual([
          ['M004', 'pending', 1],
          ['M006', 'refused', 1],
        ]);
        // The first reviewer's queue no longer holds it; another's does.
        expect(
          (await two.reviewQueue(expert, undefined, { page: 1, pageSize: 20 })).items.map(
            (a) => a.id,
          ),
        ).not.toContain(app.id);
        expect(
          (await two.reviewQueue(expert2, undefined, { page: 1, pageSize: 20 })).items.map(
            (a) => a.id,
          ),
        ).toContain(app.id);
        expect(
          await refusal(
            two.decide(expert, app.id, [
              { disease: 'M004', decision: 'approved', reason: null, note: null },
            ]),
          ),
        ).toEqual({
          kind: 'conflict',
          code: 'chronic.same_reviewer',
          field: 'decisions[0].disease',
        });
        const second = await two.decide(expert2, app.id, [
          { disease: 'M004', decision: 'approved', reason: null, note: null },
        ]);
        expect(second.status).toBe('decided');
        expect(second.diseases[0]).toMatchObject({
          decision: 'approved',
          step: 2,
          decidedBy: 'expert-2',
        });
        const steps = await ctx.db.query(
          'SELECT step, reviewer_id FROM chronic_review WHERE application_id = $1 AND disease = $2 ORDER BY step',
          [app.id, 'M004'],
        );
        expect(steps.rows).toEqual([
          { step: 1, reviewer_id: 'expert-1' },
          { step: 2, reviewer_id: 'expert-2' },
        ]);
      } finally {
        await copy.remove();
      }
    });
  });

  describe('two-diseases filings', () => {
    it('a family doctor files at the health centre of the township, without review', async () => {
      clock.set('2022-06-15');
      const f = await service.createFiling(doctor, {
        certno: PEOPLE.own,
        disease: 'hypertension',
        diagnosis: 'I10',
        validFrom: '2022-06-01',
      });
      expect(f).toMatchObject({
        disease: 'hypertension',
        fixmedinsCode: HEALTH_CENTRE,
        institutionName: '城关镇卫生院',
        source: 'doctor',
        validFrom: '2022-06-01',
        validTo: null,
      });
      expect(
        await refusal(
          service.createFiling(doctor, {
            certno: PEOPLE.own,
            disease: 'hypertension',
            diagnosis: 'I11.9',
          }),
        ),
      ).toMatchObject({ kind: 'conflict', code: 'chronic.already_filed' });
      expect(
        await refusal(
          service.createFiling(doctor, {
            certno: PEOPLE.own,
            disease: 'diabetes',
            diagnosis: 'J06.9',
          }),
        ),
      ).toEqual({ kind: 'unprocessable', code: 'chronic.filing_diagnosis', field: 'diagnosis' });
      expect(
        await refusal(
          service.createFiling(doctor, {
            certno: PEOPLE.own,
            disease: 'diabetes',
            diagnosis: 'I10',
          }),
        ),
      ).toMatchObject({ code: 'chronic.filing_diagnosis', field: 'diagnosis' });
      // Another township's health centre is not the doctor's.
      expect(
        await refusal(
          service.createFiling(doctor, {
            certno: PEOPLE.own,
            disease: 'diabetes',
            diagnosis: 'E11.9',
            fixmedinsCode: HEALTH_CENTRE_2,
          }),
        ),
      ).toMatchObject({ code: 'chronic.institution_elsewhere', field: 'fixmedinsCode' });
      // A county that registers its institutions county-wide: the doctor names the centre.
      await ctx.db.query(
        `INSERT INTO gateway_institution (fixmedins_code, fixmedins_name, hosp_lv, admdvs)
         VALUES ('H37089919009', '九乡卫生院', 1, '370899')`,
      );
      const named = await service.createFiling(doctor, {
        certno: PEOPLE.own,
        disease: 'diabetes',
        diagnosis: 'E11.9',
        fixmedinsCode: 'H37089919009',
      });
      expect(named).toMatchObject({ fixmedinsCode: 'H37089919009', institutionName: '九乡卫生院' });
      await ctx.db.query('DELETE FROM two_diseases_filing WHERE filing_id = $1', [named.id]);
      // One registered county-wide under the township's name is the township's too: now there
      // are two, and the doctor must name one.
      await ctx.db.query(
        `INSERT INTO gateway_institution (fixmedins_code, fixmedins_name, hosp_lv, admdvs)
         VALUES ('H37089919001', '城关镇中心卫生院', 1, '370899')`,
      );
      expect(
        await refusal(
          service.createFiling(doctor, {
            certno: PEOPLE.own,
            disease: 'diabetes',
            diagnosis: 'E11.9',
          }),
        ),
      ).toMatchObject({ code: 'chronic.institution_required', field: 'fixmedinsCode' });
      expect(
        (await service.primaryCare(doctor)).filter((i) => i.township).map((i) => i.code),
      ).toEqual([HEALTH_CENTRE, 'H37089919001']);
      await ctx.db.query(`DELETE FROM gateway_institution WHERE fixmedins_code = 'H37089919001'`);
      // The county hospital (level 2) is not primary care.
      expect(
        await refusal(
          service.createFiling(hospital, {
            certno: PEOPLE.own,
            disease: 'diabetes',
            diagnosis: 'E11.9',
          }),
        ),
      ).toMatchObject({ code: 'chronic.institution_not_primary', field: 'fixmedinsCode' });
      // Bureau staff name the institution; an unregistered one is refused.
      expect(
        await refusal(
          service.createFiling(staff, {
            certno: PEOPLE.own,
            disease: 'diabetes',
            diagnosis: 'E11.9',
            fixmedinsCode: 'NOPE1',
          }),
        ),
      ).toMatchObject({ code: 'chronic.institution_unknown', field: 'fixmedinsCode' });
      expect(
        await refusal(
          service.createFiling(doctor, {
            certno: PEOPLE.plain,
            disease: 'diabetes',
            diagnosis: 'E11.9',
          }),
        ),
      ).toMatchObject({ kind: 'not_found', code: 'person.not_found' });
    });

    it('ends a filing', async () => {
      const [f] = (
        await service.listFilings(doctor, { certno: PEOPLE.own }, { page: 1, pageSize: 20 })
      ).items;
      expect(
        await refusal(service.endFiling(doctor, f!.id, { reason: 'cancelled', on: '2022-05-01' })),
      ).toMatchObject({ code: 'chronic.dates_out_of_order', field: 'on' });
      const ended = await service.endFiling(doctor, f!.id, { reason: 'death', on: '2022-06-10' });
      expect(ended).toMatchObject({ validTo: '2022-06-10', endedReason: 'death' });
      expect(
        await refusal(service.endFiling(doctor, f!.id, { reason: 'death', on: '2022-06-10' })),
      ).toMatchObject({ kind: 'conflict', code: 'chronic.already_ended' });
      expect(
        await refusal(service.endFiling(township, 999_999, { reason: 'death', on: '2022-06-10' })),
      ).toMatchObject({
        kind: 'not_found',
        code: 'chronic.filing_not_found',
      });
    });
  });

  describe("the person's chronic record", () => {
    it('holds the certificate, filings, applications and screening notes', async () => {
      await ctx.db.query(
        `INSERT INTO chronic_screening (period_from, period_to, criteria, created_by)
         VALUES ('2021-01-01', '2021-12-31', '{}', 'test')`,
      );
      await ctx.db.query(
        `INSERT INTO chronic_screening_person (certno, screening_id, region_code, diseases, diagnoses,
           visited_on, not_applying, note)
         SELECT $1, screening_id, '370899001001', ARRAY['M001'], ARRAY['I11.9'], '2022-01-10',
                'no_outpatient_need', '已走访' FROM chronic_screening`,
        [PEOPLE.own],
      );
      const p = await service.person(doctor, PEOPLE.own);
      expect(p.certificate?.diseases.map((d) => d.disease)).toEqual(['S004']);
      expect(p.filings).toHaveLength(1);
      expect(p.applications).toHaveLength(1);
      expect(p.screening).toEqual([
        {
          screeningId: expect.any(Number),
          notApplying: 'no_outpatient_need',
          note: '已走访',
          visitedOn: '2022-01-10',
        },
      ]);
      expect(await refusal(service.person(doctor, PEOPLE.plain))).toMatchObject({
        code: 'person.not_found',
      });
    });
  });
});
