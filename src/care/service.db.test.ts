/**
 * Care end to end on the services (docs/care.md), on PGlite and, with DATABASE_URL, PostgreSQL:
 * contracts, follow-ups (and the application a suspected disease starts), the month's lists,
 * spot checks to closure, the assessment, and a delivery settled by the settlement engine.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeDb } from '../../test/support/db.ts';
import { makeId } from '../kernel/idcard.ts';
import { isTriguardError } from '../kernel/errors.ts';
import { testClock } from '../registry/testing/db.ts';
import { buildServices } from '../app/services.ts';
import { actorOf } from '../chronic/testing/fixture.ts';
import { CareService } from './service.ts';
import { DeliveryService } from './delivery-service.ts';
import { certify, HEALTH_CENTRE, PEOPLE, seedCare, SUPPLY_DRUG } from './testing/fixture.ts';

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
const doctor = actorOf('family_doctor');
const township = actorOf('township_office');
const NOBODY = makeId('370899', '1990-01-01', 99);

const visit = (visitedOn: string, extra: Record<string, unknown> = {}) => ({
  visitedOn,
  visitor: '刘医生',
  healthStatus: 'stable' as const,
  outpatientNeed: false,
  medication: '二甲双胍 0.5g bid',
  systolic: 138,
  diastolic: 86,
  glucose: 7.2,
  ...extra,
});

describeDb('care (service)', (ctx) => {
  const clock = testClock('2022-06-15');
  let care: CareService;
  let delivery: DeliveryService;

  beforeAll(async () => {
    await seedCare(ctx.db);
    const s = await buildServices(ctx.db, { now: clock.now });
    care = s.care;
    delivery = s.delivery;
  });

  describe('contracts and follow-ups', () => {
    it('signs a contract and lists poverty-category people without one', async () => {
      const c = await care.createContract(staff, PEOPLE.own, {
        doctor: '刘医生',
        team: '城关一队',
        fixmedinsCode: HEALTH_CENTRE,
        validFrom: '2022-01-01',
      });
      expect(c).toMatchObject({ townshipCode: '370899001', validTo: null });
      expect(
        await refusal(
          care.createContract(staff, PEOPLE.own, {
            doctor: '王医生',
            team: '城关二队',
            fixmedinsCode: 'H000',
            validFrom: '2022-03-01',
          }),
        ),
      ).toMatchObject({ code: 'care.unknown_institution', field: 'fixmedinsCode' });
      const list = await care.uncontracted(staff, {}, { page: 1, pageSize: 50 });
      const certnos = list.items.map((i) => i.certno);
      expect(certnos).toContain(PEOPLE.other);
      expect(certnos).not.toContain(PEOPLE.own);
    });

    it('refuses a visit in the future, and answers a person outside the scope as nobody', async () => {
      expect(await refusal(care.recordFollowup(doctor, PEOPLE.own, visit('2022-06-16')))).toEqual({
        kind: 'unprocessable',
        code: 'care.visit_in_future',
        field: 'visitedOn',
      });
      const outside = await refusal(care.recordFollowup(doctor, PEOPLE.plain, visit('2022-06-01')));
      const none = await refusal(care.recordFollowup(doctor, NOBODY, visit('2022-06-01')));
      expect(outside).toEqual(none);
      expect(outside.kind).toBe('not_found');
      expect(await refusal(care.personCare(township, PEOPLE.plain))).toMatchObject({
        kind: 'not_found',
      });
      expect(
        await refusal(care.recordFollowup(doctor, PEOPLE.own, visit('2021-12-20'))),
      ).toMatchObject({ code: 'care.no_contract', field: 'visitedOn' });
    });

    it('records a month and lists who is recorded, due and overdue', async () => {
      const f = await care.recordFollowup(doctor, PEOPLE.own, visit('2022-05-10'));
      expect(f).toMatchObject({
        month: '2022-05',
        glucose: 7.2,
        certificateHeld: false,
        applicationId: null,
      });
      const may = await care.month(doctor, '2022-05', {}, { page: 1, pageSize: 20 });
      expect(may.items).toMatchObject([
        { certno: PEOPLE.own, status: 'recorded', visitedOn: '2022-05-10' },
      ]);
      const april = await care.month(
        doctor,
        '2022-04',
        { status: 'missing' },
        { page: 1, pageSize: 20 },
      );
      expect(april.items).toMatchObject([{ certno: PEOPLE.own, status: 'overdue' }]);
      const june = await care.month(doctor, '2022-06', {}, { page: 1, pageSize: 20 });
      expect(june.items[0]!.status).toBe('due');
      const summary = await care.monthSummary(staff, '2022-04', {});
      expect(summary.groups).toEqual([
        expect.objectContaining({
          doctor: '刘医生',
          team: '城关一队',
          contracted: 1,
          recorded: 0,
          missing: 1,
        }),
      ]);
    });

    it('a suspected disease starts an application, and links to it the next time', async () => {
      const first = await care.recordFollowup(
        doctor,
        PEOPLE.own,
        visit('2022-06-02', {
          suspectedDisease: 'M004',
          suspectedDiagnosis: 'I63.9',
          healthStatus: 'new_symptoms',
        }),
      );
      expect(first.applicationId).toBeGreaterThan(0);
      const again = await care.recordFollowup(
        doctor,
        PEOPLE.own,
        visit('2022-06-10', { suspectedDisease: 'M004' }),
      );
      expect(again.applicationId).toBe(first.applicationId);
      expect(
        await refusal(
          care.recordFollowup(
            doctor,
            PEOPLE.own,
            visit('2022-06-10', { suspectedDisease: 'X999' }),
          ),
        ),
      ).toMatchObject({ code: 'chronic.unknown_disease', field: 'suspectedDisease' });
    });

    it('a new disease on a certified person starts an application to add it', async () => {
      await certify(ctx.db, PEOPLE.own, 'M002', '370899001001');
      const f = await care.recordFollowup(
        doctor,
        PEOPLE.own,
        visit('2022-06-12', { suspectedDisease: 'M001' }),
      );
      expect(f.certificateHeld).toBe(true);
      const app = await ctx.db.query<{ certno: string; disease: string }>(
        `SELECT a.certno, d.disease FROM chronic_application a JOIN chronic_application_disease d USING (certno, application_id)
          WHERE a.application_id = $1`,
        [f.applicationId],
      );
      expect(app.rows).toEqual([{ certno: PEOPLE.own, disease: 'M001' }]);
      expect(
        await refusal(
          care.recordFollowup(
            doctor,
            PEOPLE.own,
            visit('2022-06-12', { suspectedDisease: 'M002' }),
          ),
        ),
      ).toMatchObject({ code: 'chronic.already_certified', field: 'suspectedDisease' });
    });

    it('a spot check asks for a correction that is followed to closure', async () => {
      expect(
        await refusal(
          care.spotCheck(staff, PEOPLE.own, {
            checkedOn: '2022-05-20',
            month: '2022-04',
            finding: 'missing_record',
          }),
        ),
      ).toMatchObject({ code: 'care.correction_required', field: 'correction' });
      const check = await care.spotCheck(staff, PEOPLE.own, {
        checkedOn: '2022-05-20',
        month: '2022-04',
        finding: 'missing_record',
        correction: '补填4月记录单',
      });
      expect(check).toMatchObject({
        correctionDue: '2022-06-04',
        closedOn: null,
        team: '城关一队',
      });
      expect((await care.spotChecks(staff, { open: true }, { page: 1, pageSize: 20 })).total).toBe(
        1,
      );
      const closed = await care.closeCorrection(staff, check.checkId, '2022-06-01', '已补填');
      expect(closed.closedOn).toBe('2022-06-01');
      expect(
        await refusal(care.closeCorrection(staff, check.checkId, '2022-06-02', 'again')),
      ).toMatchObject({
        code: 'care.nothing_to_close',
      });
      expect((await care.spotChecks(staff, { open: true }, { page: 1, pageSize: 20 })).total).toBe(
        0,
      );
    });

    it('assesses the institution and its team over the months that have ended', async () => {
      const a = await care.assessment(staff, 2022);
      expect(a.throughMonth).toBe('2022-05');
      const inst = a.lines.find((l) => l.team === null)!;
      expect(inst).toMatchObject({
        fixmedinsCode: HEALTH_CENTRE,
        dueMonths: 5,
        spotChecks: 1,
        findings: 1,
        correctionsClosed: 1,
      });
      expect(a.lines.some((l) => l.team === '城关一队')).toBe(true);
      const file = await care.assessmentXlsx(staff, 2022);
      expect(file.content.subarray(0, 2).toString()).toBe('PK');
    });

    it('audits reads of care records, not only writes', async () => {
      await care.personCare(doctor, PEOPLE.own);
      const r = await ctx.db.query<{ action: string }>(
        `SELECT DISTINCT action FROM audit_log WHERE action LIKE 'care.%' ORDER BY action`,
      );
      const actions = r.rows.map((x) => x.action);
      for (const a of [
        'care.person.read',
        'care.month.read',
        'care.followup.create',
        'care.spot_check.close',
      ])
        expect(actions).toContain(a);
    });
  });

  describe('medicine delivered to the door', () => {
    const drugs = [{ itemCode: SUPPLY_DRUG, amount: 86.4, days: 30 }];
    const deliveryInput = {
      deliveredOn: '2022-06-14',
      deliveredBy: '刘医生',
      confirmedBy: 'guardian' as const,
      confirmerName: '王建军',
      lines: drugs,
    };

    it('refuses a delivery for a person not on the register, and a disease they are not certified for', async () => {
      expect(await refusal(delivery.deliver(doctor, PEOPLE.own, deliveryInput))).toMatchObject({
        kind: 'unprocessable',
        code: 'care.not_eligible',
        field: 'certno',
      });
      expect(
        await refusal(
          delivery.confirm(doctor, PEOPLE.own, {
            disability: 'semi_disabled',
            disease: 'M004',
            diagnosis: 'I63.9',
            fixmedinsCode: HEALTH_CENTRE,
            confirmedOn: '2022-06-01',
          }),
        ),
      ).toMatchObject({ code: 'care.not_eligible', field: 'disease' });
    });

    it('confirms, delivers and settles the delivery as the chronic visit at the health centre', async () => {
      const e = await delivery.confirm(doctor, PEOPLE.own, {
        disability: 'semi_disabled',
        disease: 'M002',
        diagnosis: 'E11.9',
        fixmedinsCode: HEALTH_CENTRE,
        confirmedOn: '2022-06-01',
        phone: '13800000000',
      });
      expect(e.cardNo).toMatch(/^SK370899001\d{6}$/);
      expect(e.visitType).toBe('chronic_outpatient');
      expect(
        await refusal(
          delivery.deliver(doctor, PEOPLE.own, {
            ...deliveryInput,
            lines: [{ itemCode: 'NOPE', amount: 1, days: 1 }],
          }),
        ),
      ).toMatchObject({ code: 'care.not_supply_item', field: 'lines[0].itemCode' });
      const d = await delivery.deliver(doctor, PEOPLE.own, deliveryInput);
      expect(d.settlementId).toBeGreaterThan(0);
      const s = await ctx.db.query<{ visit_type: string; fixmedins_code: string; certno: string }>(
        'SELECT visit_type, fixmedins_code, certno FROM settlement WHERE settlement_id = $1',
        [d.settlementId],
      );
      expect(s.rows[0]).toEqual({
        visit_type: 'chronic_outpatient',
        fixmedins_code: HEALTH_CENTRE,
        certno: PEOPLE.own,
      });
      expect(await refusal(delivery.deliver(doctor, PEOPLE.own, deliveryInput))).toMatchObject({
        kind: 'conflict',
        code: 'care.delivered_this_month',
      });
      const june = await delivery.month(township, '2022-06', {}, { page: 1, pageSize: 20 });
      expect(june.townships).toEqual([{ townshipCode: '370899001', eligible: 1, delivered: 1 }]);
      expect(june.items[0]).toMatchObject({ status: 'done', settlementId: d.settlementId });
      expect(june.items[0]!.certno).toBe(PEOPLE.own);
    });

    it('writes the month’s register as XLSX, and ends a place on it, audited', async () => {
      const file = await delivery.monthXlsx(township, '2022-06', {});
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(file.content as unknown as ArrayBuffer);
      const rows = wb.worksheets[0]!.getSheetValues().filter(Boolean) as unknown[][];
      expect(rows[0]!.slice(1, 4)).toEqual(['乡镇', '姓名', '身份证号']);
      expect(rows).toHaveLength(2);
      expect(rows[1]!.slice(1, 2)).toEqual(['370899001']);
      expect(rows[1]!.slice(12, 13)).toEqual(['已送']);

      const end = (endedOn: string) =>
        delivery.endEligibility(doctor, PEOPLE.own, { endedOn, reason: '康复，不再需要' });
      expect(await refusal(end('2022-06-16'))).toMatchObject({
        code: 'care.ended_in_future',
        field: 'endedOn',
      });
      expect(await refusal(end('2022-05-31'))).toMatchObject({
        code: 'care.ended_before_confirmed',
        field: 'endedOn',
      });
      expect(
        await refusal(
          delivery.endEligibility(doctor, NOBODY, { endedOn: '2022-06-15', reason: 'x' }),
        ),
      ).toMatchObject({ kind: 'not_found' });
      const ended = await end('2022-06-15');
      expect(ended).toMatchObject({ endedOn: '2022-06-15', endedReason: '康复，不再需要' });
      expect(await refusal(end('2022-06-15'))).toMatchObject({
        kind: 'conflict',
        code: 'care.not_on_register',
      });
      const audit = await ctx.db.query<{ reason: string }>(
        `SELECT reason FROM audit_log WHERE action = 'care.delivery_eligibility.end' AND certno = $1`,
        [PEOPLE.own],
      );
      expect(audit.rows).toEqual([{ reason: '康复，不再需要' }]);
      clock.set('2022-07-05');
      try {
        expect(
          await refusal(
            delivery.deliver(doctor, PEOPLE.own, { ...deliveryInput, deliveredOn: '2022-07-04' }),
          ),
        ).toMatchObject({ code: 'care.not_eligible', field: 'certno' });
      } finally {
        clock.set('2022-06-15');
      }
    });

    it('shows a psychiatric diagnosis on the register only to readers of sensitive data', async () => {
      await delivery.confirm(doctor, PEOPLE.own, {
        disability: 'disabled',
        disease: 'M002',
        diagnosis: 'F32.1',
        fixmedinsCode: HEALTH_CENTRE,
        confirmedOn: '2022-06-15',
      });
      const seen = await delivery.personDeliveries(township, PEOPLE.own);
      expect(seen.eligibility.find((e) => e.endedOn === null)).toMatchObject({
        disease: '***',
        diagnosis: '***',
      });
      const june = await delivery.month(township, '2022-06', {}, { page: 1, pageSize: 20 });
      expect(june.items.every((i) => i.diagnosis !== 'F32.1')).toBe(true);
      const byStaff = await delivery.personDeliveries(staff, PEOPLE.own);
      expect(byStaff.eligibility.find((e) => e.endedOn === null)).toMatchObject({
        disease: 'M002',
        diagnosis: 'F32.1',
      });
    });
  });
});
