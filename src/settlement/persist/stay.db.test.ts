/** An inpatient settlement carries its stay's dates (docs/payment.md §3). */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../../test/support/db.ts';
import { buildApp } from '../../app/http.ts';
import { recordInstitutionPatient } from '../../auth/institution.ts';
import {
  bearer,
  createRoleAccounts,
  PEOPLE,
  seedPeople,
  TEST_INSTITUTION,
} from '../../auth/testing/accounts.ts';

const body = (msgid: string, bill: Record<string, unknown> = {}) => ({
  msgid,
  certno: PEOPLE.other,
  bill: {
    date: '2022-03-15',
    visitType: 'inpatient',
    diagnosis: 'K35.8',
    lines: [{ amount: 3000, class: 'A' }],
    ...bill,
  },
});

describeDb('settlement stays', (ctx) => {
  let app: FastifyInstance;
  let hospital: Record<string, string>;
  beforeAll(async () => {
    const ids = await createRoleAccounts(ctx.db);
    await seedPeople(ctx.db);
    hospital = await bearer(ctx.db, ids.designated_institution);
    await recordInstitutionPatient(ctx.db, TEST_INSTITUTION, PEOPLE.other, '2022-03-01');
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
  });
  const post = (payload: ReturnType<typeof body>) =>
    app.inject({ method: 'POST', url: '/api/v1/settlements', headers: hospital, payload });

  it('keeps the admission and discharge of a settled stay, once for a repeat', async () => {
    const payload = body('stay-1', { admissionDate: '2022-03-01', dischargeDate: '2022-03-15' });
    const r = await post(payload);
    expect(r.statusCode).toBe(200);
    expect((await post(payload)).statusCode).toBe(200);
    const rows = await ctx.db.query<{ a: string; d: string }>(
      `SELECT to_char(admission_date, 'YYYY-MM-DD') AS a, to_char(discharge_date, 'YYYY-MM-DD') AS d
         FROM settlement_stay WHERE settlement_id = $1`,
      [r.json().settlementId],
    );
    expect(rows.rows).toEqual([{ a: '2022-03-01', d: '2022-03-15' }]);
  });

  it('refuses a discharge before the admission, naming the field', async () => {
    const r = await post(
      body('stay-2', {
        date: '2022-03-01',
        admissionDate: '2022-03-10',
        dischargeDate: '2022-03-01',
      }),
    );
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      code: 'settlement.discharge_before_admission',
      field: 'bill.dischargeDate',
    });
  });

  it('refuses dates on an outpatient bill and a discharge that is not the bill date', async () => {
    const out = await post(
      body('stay-3', { visitType: 'general_outpatient', admissionDate: '2022-03-10' }),
    );
    expect(out.statusCode).toBe(422);
    expect(out.json().field).toBe('bill.admissionDate');
    const other = await post(
      body('stay-4', { admissionDate: '2022-03-01', dischargeDate: '2022-03-14' }),
    );
    expect(other.statusCode).toBe(422);
    expect(other.json().field).toBe('bill.dischargeDate');
  });
});
