/**
 * The persistent path pays a chronic or two-diseases bill only for what a certificate or filing
 * covers (docs/chronic.md §3, §5), with the hospital level of the registered institution the bill
 * names (docs/settlement.md §8): settle, pre-settle and the locked path refuse each code with its
 * field, and a refused bill writes nothing and moves no accumulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDb } from '../../../test/support/db.ts';
import { makeId } from '../../kernel/idcard.ts';
import { SYSTEM_ACTOR, type Actor } from '../../kernel/access/actor.ts';
import type { Queryable } from '../../db/db.ts';
import { copyPack, type PackCopy } from '../../policy/testing/copy-pack.ts';
import { townshipCentreCode } from '../../catalogue/demo-institutions.ts';
import { emptyAccumulators } from '../accumulators.ts';
import { enrolForYear } from '../testing/enrol.ts';
import { AT_LEVEL, registerInstitutions } from '../testing/institutions.ts';
import { certify, fileTwoDiseases, ITEMS, seedDrugList } from '../testing/cover.ts';
import { loadPackCatalog } from './packs.ts';
import { readSettleRequest, type SettleBody, type SettleRequest } from './request.ts';
import { SettlementService } from './service.ts';
import { openForSettlement, readAccumulators } from './repository.ts';
import type { SettlementView } from './view.ts';

const VILLAGE = '370899001001';
/** Certified for M002 (diabetes with complications) from 1 March 2022. */
const CERTIFIED = makeId('370899', '1955-01-01', 11);
/** No certificate, no filing. */
const PLAIN = makeId('370899', '1957-02-02', 21);
/** A registered severe mental disorder patient (severe_mental flag), no certificate. */
const MENTAL = makeId('370899', '1966-03-03', 31);
/** Filed for hypertension at 城关镇卫生院 from 1 January 2022. */
const FILED = makeId('370899', '1950-04-04', 41);
/** Filed for hypertension, for the refill rule. */
const REFILL = makeId('370899', '1951-05-05', 51);

interface BillOpts {
  date?: string;
  visitType?: 'chronic_outpatient' | 'two_diseases' | 'general_outpatient';
  diagnosis?: string;
  fixmedinsCode?: string | null;
  hospitalLevel?: number;
  lines?: SettleBody['bill']['lines'];
}

const request = (msgid: string, certno: string, o: BillOpts = {}): SettleRequest =>
  readSettleRequest({
    msgid,
    certno,
    fixmedinsCode: o.fixmedinsCode === undefined ? AT_LEVEL[2] : o.fixmedinsCode,
    bill: {
      date: o.date ?? '2022-05-10',
      visitType: o.visitType ?? 'chronic_outpatient',
      ...(o.hospitalLevel === undefined ? {} : { hospitalLevel: o.hospitalLevel }),
      diagnosis: o.diagnosis ?? 'E11.9',
      lines: o.lines ?? [{ amount: 800, class: 'A' }],
    },
  });

/** A two-diseases bill at a township health centre: a drug of the list, 30 days. */
const twoDiseases = (msgid: string, certno: string, o: BillOpts = {}): SettleRequest =>
  request(msgid, certno, {
    visitType: 'two_diseases',
    diagnosis: 'I10',
    fixmedinsCode: AT_LEVEL[1],
    lines: [{ amount: 60, class: 'A', itemCode: ITEMS.amlodipine, days: 30 }],
    ...o,
  });

/** The rows a settlement writes or moves, to show a refused bill changes none of them. */
async function footprint(q: Queryable) {
  const r = await q.query<{ settlements: number; ledger: number; acc: string }>(
    `SELECT (SELECT count(*)::int FROM settlement) AS settlements,
            (SELECT count(*)::int FROM settlement_ledger) AS ledger,
            (SELECT coalesce(string_agg(certno || ':' || version || ':' || state::text, '|'
                               ORDER BY certno, year), '') FROM accumulator) AS acc`,
  );
  return r.rows[0]!;
}

describeDb('settlement pays only what a certificate or filing covers', (ctx) => {
  let service: SettlementService;

  /** Settle and pre-settle both refuse with the code and field, and nothing is written. */
  async function refuses(req: SettleRequest, code: string, field: string, actor = SYSTEM_ACTOR) {
    const before = await footprint(ctx.db);
    await expect(service.presettle(actor, req)).rejects.toMatchObject({
      kind: 'unprocessable',
      code,
      field,
    });
    await expect(service.settle(actor, req)).rejects.toMatchObject({
      kind: 'unprocessable',
      code,
      field,
    });
    expect(await footprint(ctx.db)).toEqual(before);
  }

  const settles = (req: SettleRequest): Promise<SettlementView> =>
    service.settle(SYSTEM_ACTOR, req);

  beforeAll(async () => {
    await ctx.db.exec(`
      INSERT INTO region (code, name, level, parent_code) VALUES
        ('370899', '示范县', 'county', NULL), ('370899001', '城关镇', 'township', '370899'),
        ('${VILLAGE}', '城关1村', 'village', '370899001');
      INSERT INTO person (certno, name, gender, birth_date, region_code) VALUES
        ('${CERTIFIED}', '张糖', 'male', '1955-01-01', '${VILLAGE}'),
        ('${PLAIN}', '李常', 'male', '1957-02-02', '${VILLAGE}'),
        ('${MENTAL}', '王静', 'male', '1966-03-03', '${VILLAGE}'),
        ('${FILED}', '赵压', 'male', '1950-04-04', '${VILLAGE}'),
        ('${REFILL}', '钱压', 'male', '1951-05-05', '${VILLAGE}');
      INSERT INTO person_flag (certno, category, from_month, to_month, source)
        VALUES ('${MENTAL}', 'severe_mental', '2022-01', NULL, 'health');`);
    await enrolForYear(ctx.db, [CERTIFIED, PLAIN, MENTAL, FILED, REFILL]);
    await registerInstitutions(ctx.db);
    await seedDrugList(ctx.db);
    await certify(ctx.db, CERTIFIED, 'M002', '2022-03-01');
    await fileTwoDiseases(ctx.db, FILED, 'hypertension', AT_LEVEL[1], '2022-01-01');
    await fileTwoDiseases(ctx.db, REFILL, 'hypertension', AT_LEVEL[1], '2022-01-01');
    service = new SettlementService(ctx.db, await loadPackCatalog());
  });

  describe('chronic outpatient (门诊慢特病)', () => {
    it('refuses a diagnosis outside the catalogue: J06.9', async () => {
      await refuses(
        request('c-1', CERTIFIED, { diagnosis: 'J06.9' }),
        'chronic.not_in_catalogue',
        'bill.diagnosis',
      );
    });

    it('refuses an uncertified E11.9, and one dated before the certificate', async () => {
      await refuses(request('c-2', PLAIN), 'chronic.no_certificate', 'bill.diagnosis');
      await refuses(
        request('c-3', CERTIFIED, { date: '2022-02-28' }),
        'chronic.no_certificate',
        'bill.diagnosis',
      );
      // Certified for M002, not for M003 (coronary heart disease).
      await refuses(
        request('c-4', CERTIFIED, { diagnosis: 'I25.1' }),
        'chronic.no_certificate',
        'bill.diagnosis',
      );
    });

    it('pays a certified E11.9 under its own sub-cap chronic:M002', async () => {
      const s = await settles(request('c-5', CERTIFIED, { lines: [{ amount: 3000, class: 'A' }] }));
      const basic = s.explain.find((e) => e.tier === 'basic_insurance')!;
      expect(basic.caps.map((c) => c.group)).toEqual(['chronic:M002', 'chronic', 'main']);
      // 3,000 in scope, the 600 chronic deductible, 65 % at level 2: 1,560.
      expect(s.amounts).toMatchObject({ act_pay_dedc: 600, hifp_pay: 1560 });
      const acc = (await readAccumulators(ctx.db, CERTIFIED, 2022))!;
      expect(acc.basicCapPaid['chronic:M002']).toBe(156_000);
    });

    it('does not pay past the end of a certificate disease, nor a row ended as a correction', async () => {
      const ended = makeId('370899', '1958-06-06', 61);
      await ctx.db.query(
        `INSERT INTO person (certno, name, gender, birth_date, region_code)
         VALUES ($1, '孙止', 'male', '1958-06-06', $2)`,
        [ended, VILLAGE],
      );
      await enrolForYear(ctx.db, [ended]);
      await certify(ctx.db, ended, 'M002', '2022-01-01', '2022-04-30');
      await certify(ctx.db, ended, 'M003', '2022-01-01');
      await ctx.db.query(
        `UPDATE chronic_certificate_disease SET ended_reason = 'correction', ended_at = now()
          WHERE certno = $1 AND disease = 'M003'`,
        [ended],
      );
      expect((await settles(request('c-6', ended, { date: '2022-04-30' }))).status).toBe('settled');
      await refuses(
        request('c-7', ended, { date: '2022-05-01' }),
        'chronic.no_certificate',
        'bill.diagnosis',
      );
      await refuses(
        request('c-8', ended, { diagnosis: 'I25.1' }),
        'chronic.no_certificate',
        'bill.diagnosis',
      );
    });

    it('covers S004 for an active severe_mental flag, without a certificate', async () => {
      const s = await settles(request('c-9', MENTAL, { diagnosis: 'F20.0' }));
      expect(s.amounts.act_pay_dedc).toBe(0);
      await refuses(
        request('c-10', PLAIN, { diagnosis: 'F20.0' }),
        'chronic.no_certificate',
        'bill.diagnosis',
      );
    });
  });

  describe('two diseases (门诊两病)', () => {
    it('refuses a level-2 hospital', async () => {
      await refuses(
        twoDiseases('t-1', FILED, { fixmedinsCode: AT_LEVEL[2] }),
        'two_diseases.level',
        'bill.hospitalLevel',
      );
    });

    it('refuses a prescription of 61 days', async () => {
      await refuses(
        twoDiseases('t-2', FILED, {
          lines: [
            { amount: 20, class: 'A', itemCode: ITEMS.metformin, days: 30 },
            { amount: 60, class: 'A', itemCode: ITEMS.amlodipine, days: 61 },
          ],
        }),
        'two_diseases.days',
        'bill.lines[1].days',
      );
    });

    it('refuses an item off the two-diseases drug list, or a line that names no item', async () => {
      await refuses(
        twoDiseases('t-3', FILED, {
          lines: [
            { amount: 60, class: 'A', itemCode: ITEMS.amlodipine, days: 30 },
            { amount: 15, class: 'A', itemCode: ITEMS.consultation },
          ],
        }),
        'two_diseases.item',
        'bill.lines[1]',
      );
      await refuses(
        twoDiseases('t-4', FILED, { lines: [{ amount: 60, class: 'A', days: 30 }] }),
        'two_diseases.item',
        'bill.lines[0]',
      );
    });

    it('refuses an unfiled patient, after the drug checks', async () => {
      await refuses(twoDiseases('t-5', PLAIN), 'two_diseases.not_filed', 'bill.diagnosis');
      // Filed for hypertension, not for diabetes.
      await refuses(
        twoDiseases('t-6', FILED, {
          diagnosis: 'E11.9',
          lines: [{ amount: 20, class: 'A', itemCode: ITEMS.metformin, days: 30 }],
        }),
        'two_diseases.not_filed',
        'bill.diagnosis',
      );
      await refuses(
        twoDiseases('t-7', PLAIN, {
          lines: [{ amount: 15, class: 'A', itemCode: ITEMS.risperidone }],
        }),
        'two_diseases.item',
        'bill.lines[0]',
      );
    });

    it('settles a patient filed at one township health centre at another', async () => {
      const s = await settles(twoDiseases('t-8', FILED, { fixmedinsCode: townshipCentreCode(2) }));
      expect(s).toMatchObject({
        status: 'settled',
        hospitalLevel: 1,
        fixmedinsCode: townshipCentreCode(2),
      });
      expect(s.amounts.hifp_pay).toBe(30);
    });

    it('refuses the same drug again while more than 7 days of the last prescription remain', async () => {
      const first = await settles(
        twoDiseases('r-1', REFILL, {
          date: '2022-03-01',
          lines: [{ amount: 120, class: 'A', itemCode: ITEMS.amlodipine, days: 60 }],
        }),
      );
      // 60 days from 1 March run to 29 April: on 2 March 59 are left, on 22 April 8.
      await refuses(
        twoDiseases('r-2', REFILL, { date: '2022-03-02' }),
        'two_diseases.refill',
        'bill.lines[0]',
      );
      await refuses(
        twoDiseases('r-3', REFILL, {
          date: '2022-04-22',
          lines: [
            { amount: 20, class: 'A', itemCode: ITEMS.metformin, days: 30 },
            { amount: 60, class: 'A', itemCode: ITEMS.amlodipine, days: 30 },
          ],
        }),
        'two_diseases.refill',
        'bill.lines[1]',
      );
      // Another drug is no refill; seven days left is within the tolerance.
      await settles(
        twoDiseases('r-4', REFILL, {
          date: '2022-03-02',
          lines: [{ amount: 20, class: 'A', itemCode: ITEMS.metformin, days: 30 }],
        }),
      );
      const renewed = await settles(twoDiseases('r-5', REFILL, { date: '2022-04-23' }));
      expect(renewed.status).toBe('settled');
      // A cancelled prescription is no prescription: cancel the renewal and renew again.
      await service.cancel(SYSTEM_ACTOR, renewed.settlementId, 'r-5-c', '处方录入错误');
      expect((await settles(twoDiseases('r-6', REFILL, { date: '2022-04-24' }))).status).toBe(
        'settled',
      );
      expect(first.status).toBe('settled');
    });
  });

  describe('the institution the bill names', () => {
    it('takes the level of the registered institution, checks a given one, and needs one named', async () => {
      const s = await settles(
        request('i-1', PLAIN, {
          visitType: 'general_outpatient',
          diagnosis: 'J06.9',
          fixmedinsCode: AT_LEVEL[3],
        }),
      );
      expect(s.hospitalLevel).toBe(3);
      const general = { visitType: 'general_outpatient', diagnosis: 'J06.9' } as const;
      await refuses(
        request('i-2', PLAIN, { ...general, hospitalLevel: 1 }),
        'settlement.hospital_level_mismatch',
        'bill.hospitalLevel',
      );
      await refuses(
        request('i-3', PLAIN, { ...general, fixmedinsCode: 'H37089999999' }),
        'settlement.institution_unknown',
        'fixmedinsCode',
      );
      await refuses(
        request('i-4', PLAIN, { ...general, fixmedinsCode: null }),
        'settlement.institution_required',
        'fixmedinsCode',
      );
      // An institution's own account names itself.
      const centre: Actor = {
        ...SYSTEM_ACTOR,
        id: 'u:centre',
        scope: { kind: 'institution', fixmedinsCode: AT_LEVEL[1], regionCode: '370899' },
      };
      await ctx.db.query(
        'INSERT INTO institution_patient (certno, fixmedins_code) VALUES ($1, $2)',
        [FILED, AT_LEVEL[1]],
      );
      const own = await service.settle(centre, {
        ...twoDiseases('i-5', FILED, { date: '2022-07-01' }),
        fixmedinsCode: null,
      });
      expect(own).toMatchObject({ fixmedinsCode: AT_LEVEL[1], hospitalLevel: 1 });
    });
  });

  it('refuses on the locked path too, and rolls back the accumulator row it opened', async () => {
    const req = request('l-1', PLAIN);
    const opened = await openForSettlement(
      ctx.db,
      { kind: 'system' },
      PLAIN,
      req.bill.date,
      'l-1',
      emptyAccumulators(2022),
      { fixmedinsCode: AT_LEVEL[2], visitType: 'chronic_outpatient', itemCodes: [] },
    );
    expect(opened?.facts).toMatchObject({ hospitalLevel: 2, certificates: [], filings: null });
    const before = await footprint(ctx.db);
    const locked = service as unknown as {
      settleIn(tx: Queryable, a: Actor, r: SettleRequest, m: string): Promise<SettlementView>;
    };
    await expect(
      ctx.db.transaction((tx) => locked.settleIn(tx, SYSTEM_ACTOR, req, 'l-1')),
    ).rejects.toMatchObject({ code: 'chronic.no_certificate' });
    expect(await footprint(ctx.db)).toEqual(before);
  });

  describe('before the pack switches the checks on (coverage.yaml checked_from)', () => {
    let copy: PackCopy;
    let late: SettlementService;
    beforeAll(async () => {
      copy = await copyPack('demo-2022');
      await copy.edit('coverage.yaml', 'value: 2022-01-01, from', 'value: 2022-07-01, from');
      late = new SettlementService(ctx.db, await loadPackCatalog({ root: copy.root }));
    });
    afterAll(() => copy.remove());

    it('pays uncertified and unfiled patients until the date, and checks from it', async () => {
      const before = { date: '2022-06-30' };
      const chronic = await late.settle(SYSTEM_ACTOR, request('s-1', PLAIN, before));
      expect(chronic.status).toBe('settled');
      const filed = await late.settle(SYSTEM_ACTOR, twoDiseases('s-2', PLAIN, before));
      expect(filed.status).toBe('settled');
      await expect(
        late.settle(SYSTEM_ACTOR, request('s-3', PLAIN, { date: '2022-07-01' })),
      ).rejects.toMatchObject({ code: 'chronic.no_certificate' });
      await expect(
        late.settle(
          SYSTEM_ACTOR,
          twoDiseases('s-4', PLAIN, {
            date: '2022-07-01',
            diagnosis: 'E11.9',
            lines: [{ amount: 20, class: 'A', itemCode: ITEMS.metformin, days: 30 }],
          }),
        ),
      ).rejects.toMatchObject({ code: 'two_diseases.not_filed' });
    });

    it('checks the catalogue, the level, the days and the drug list all the same', async () => {
      const before = { date: '2022-06-30' };
      for (const [req, code] of [
        [request('s-5', PLAIN, { ...before, diagnosis: 'J06.9' }), 'chronic.not_in_catalogue'],
        [
          twoDiseases('s-6', PLAIN, { ...before, fixmedinsCode: AT_LEVEL[2] }),
          'two_diseases.level',
        ],
        [
          twoDiseases('s-7', PLAIN, {
            ...before,
            lines: [{ amount: 60, class: 'A', itemCode: ITEMS.amlodipine, days: 90 }],
          }),
          'two_diseases.days',
        ],
        [
          twoDiseases('s-8', PLAIN, {
            ...before,
            lines: [{ amount: 60, class: 'A', itemCode: ITEMS.risperidone }],
          }),
          'two_diseases.item',
        ],
      ] as const) {
        await expect(late.settle(SYSTEM_ACTOR, req)).rejects.toMatchObject({ code });
      }
    });
  });
});
