import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../../test/support/db.ts';
import { buildApp } from '../../app/http.ts';
import { settlementViewSchema } from './view.ts';
import { recordInstitutionPatient } from '../../auth/institution.ts';
import {
  bearer,
  createRoleAccounts,
  PEOPLE,
  seedPeople,
  TEST_INSTITUTION,
} from '../../auth/testing/accounts.ts';

const body = (msgid: string, overrides: Record<string, unknown> = {}) => ({
  msgid,
  certno: PEOPLE.other,
  bill: {
    date: '2022-03-15',
    visitType: 'inpatient',
    hospitalLevel: 2,
    diagnosis: 'K35.8',
    lines: [
      { amount: 12000, class: 'A' },
      { amount: 3000, class: 'B' },
      { amount: 500, class: 'C' },
    ],
    ...overrides,
  },
});

describeDb('settlement routes', (ctx) => {
  let app: FastifyInstance;
  let hospital: Record<string, string>;
  beforeAll(async () => {
    const ids = await createRoleAccounts(ctx.db);
    await seedPeople(ctx.db);
    hospital = await bearer(ctx.db, ids.designated_institution);
    // The patient's visit was registered at the hospital's window (the gateway's 2201).
    await recordInstitutionPatient(ctx.db, TEST_INSTITUTION, PEOPLE.other, '2022-03-15');
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
  });

  it('pre-settles, settles, reads, prints and cancels a bill at a hospital window', async () => {
    const pre = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements/presettle',
      headers: hospital,
      payload: body('w-1'),
    });
    expect(pre.statusCode).toBe(200);
    expect(pre.json().amounts).toMatchObject({
      hifp_pay: 13005,
      maf_pay: 1186.5,
      psn_part_amt: 1308.5,
    });
    expect(pre.json().explain[0].text.zh).toContain('起付线');

    const settled = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements',
      headers: hospital,
      payload: body('w-1'),
    });
    expect(settled.statusCode).toBe(200);
    const s = settled.json();
    expect(s).toMatchObject({
      status: 'settled',
      fixmedinsCode: TEST_INSTITUTION,
      amounts: pre.json().amounts,
    });

    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements',
      headers: hospital,
      payload: body('w-1'),
    });
    expect(again.json()).toEqual(s);

    const read = await app.inject({
      method: 'GET',
      url: `/api/v1/settlements/${s.settlementId}`,
      headers: hospital,
    });
    expect(read.json().settlementId).toBe(s.settlementId);
    // The three answers are written by settlementViewJson: each is what the schema declares.
    for (const answer of [s, read.json()]) {
      expect(answer.explain.length).toBeGreaterThan(0);
      expect(settlementViewSchema.strict().parse(answer)).toEqual(answer);
    }
    const html = await app.inject({
      method: 'GET',
      url: `/api/v1/settlements/${s.settlementId}/bill.html`,
      headers: hospital,
    });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('一单式结算单');
    const pdf = await app.inject({
      method: 'GET',
      url: `/api/v1/settlements/${s.settlementId}/bill.pdf`,
      headers: hospital,
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const acc = await app.inject({
      method: 'GET',
      url: `/api/v1/persons/${PEOPLE.other}/accumulators?year=2022`,
      headers: hospital,
    });
    expect(acc.json().tiers.basic_insurance.paid).toBe(1_300_500);

    const cancel = { msgid: 'w-1-c', reason: '患者要求重新结算' };
    const c = await app.inject({
      method: 'POST',
      url: `/api/v1/settlements/${s.settlementId}/cancel`,
      headers: hospital,
      payload: cancel,
    });
    expect(c.statusCode).toBe(200);
    expect(c.json().amounts.hifp_pay).toBe(-13005);
    expect(settlementViewSchema.strict().parse(c.json())).toEqual(c.json());
    const twice = await app.inject({
      method: 'POST',
      url: `/api/v1/settlements/${s.settlementId}/cancel`,
      headers: hospital,
      payload: { ...cancel, msgid: 'w-1-c2' },
    });
    expect(twice.statusCode).toBe(409);
  });

  it('masks the ID number, psychiatric diagnosis, sensitive categories and revealing explanations for a hospital', async () => {
    const payload = { ...body('w-3'), certno: PEOPLE.own };
    payload.bill = { ...payload.bill, diagnosis: 'F20.0' };
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements',
      headers: hospital,
      payload,
    });
    expect(r.statusCode).toBe(200);
    const v = r.json();
    expect(v.certno).toBe(`${PEOPLE.own.slice(0, 6)}********${PEOPLE.own.slice(-4)}`);
    expect(v.diagnosis).toBe('***');
    expect(v.categories).not.toContain('severe_mental');
    expect(r.body).not.toContain('F20');
    expect(r.body).not.toContain('精神');
    expect(v.explain[0].text.zh).toContain('已隐藏');
    // The amounts are the hospital's to collect: they stay.
    expect(v.amounts.medfee_sumamt).toBe(15500);
    const pre = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements/presettle',
      headers: hospital,
      payload: { ...payload, msgid: 'w-3p' },
    });
    expect(pre.body).not.toContain('精神');
    expect(pre.json().categories).not.toContain('severe_mental');
  });

  it('names the broken field of a bill (422) and refuses a cancel without a reason (400)', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements',
      headers: hospital,
      payload: body('w-2', { lines: [{ amount: 100, class: 'A', overLimit: 200 }] }),
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ field: 'bill.lines[0].overLimit' });
    const noReason = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements/1/cancel',
      headers: hospital,
      payload: { msgid: 'x' },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().field).toBe('reason');
  });

  it('answers a bill its cover does not pay with 422, the spec’s code and field, and writes nothing', async () => {
    const count = async () =>
      (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlement')).rows[0]!.n;
    const before = await count();
    for (const url of ['/api/v1/settlements/presettle', '/api/v1/settlements']) {
      const r = await app.inject({
        method: 'POST',
        url,
        headers: hospital,
        payload: body('w-4', {
          visitType: 'chronic_outpatient',
          diagnosis: 'E11.9',
          lines: [{ amount: 800, class: 'A', itemCode: 'XA10BAA001A001010100001', days: 30 }],
        }),
      });
      expect(r.statusCode).toBe(422);
      expect(r.json()).toMatchObject({
        code: 'chronic.no_certificate',
        field: 'bill.diagnosis',
        message: { zh: expect.stringContaining('门诊慢特病证'), en: expect.any(String) },
      });
    }
    const level = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements',
      headers: hospital,
      payload: body('w-5', { hospitalLevel: 3 }),
    });
    expect(level.statusCode).toBe(422);
    expect(level.json()).toMatchObject({
      code: 'settlement.hospital_level_mismatch',
      field: 'bill.hospitalLevel',
    });
    const days = await app.inject({
      method: 'POST',
      url: '/api/v1/settlements',
      headers: hospital,
      payload: body('w-6', { lines: [{ amount: 10, class: 'A', days: 0 }] }),
    });
    expect(days.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });
});
