import { beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/support/db.ts';
import { buildApp } from '../app/http.ts';
import {
  bearer,
  createRoleAccounts,
  PEOPLE,
  seedPeople,
  TEST_INSTITUTION,
} from '../auth/testing/accounts.ts';
import { loadDemoCatalogue } from '../catalogue/demo.ts';
import { townshipCentreCode } from '../catalogue/demo-institutions.ts';
import { createAccount } from '../auth/users.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { AT_LEVEL } from '../settlement/testing/institutions.ts';
import { certify, fileTwoDiseases } from '../settlement/testing/cover.ts';
import { answerTrial } from '../settlement/trial.ts';
import { policyPacks } from '../settlement/trial-packs.ts';
import { his, type HisAnswer } from './testing/his.ts';

const AMOUNTS = [
  'medfee_sumamt',
  'fulamt_ownpay_amt',
  'overlmt_selfpay',
  'preselfpay_amt',
  'inscp_scp_amt',
  'act_pay_dedc',
  'hifp_pay',
  'hifmi_pay',
  'fund_pay_sumamt',
  'psn_part_amt',
  'psn_cash_pay',
] as const;

type TrialLine = {
  amount: number;
  class: 'A' | 'B' | 'C';
  overLimit?: number;
  selfPayRatio?: number;
};

/** What the trial calculator says the bill pays, in national setlinfo terms. */
async function expected(
  categories: string[],
  bill: {
    date: string;
    visitType: string;
    diagnosis: string;
    hospitalLevel?: number;
    lines: TrialLine[];
  },
) {
  const t = await answerTrial(
    {
      pack: 'demo-2022',
      person: { categories: categories.map((code) => ({ code, from: '2022-01', to: null })) },
      bills: [{ id: 'b', hospitalLevel: 2, remote: null, ...bill }],
    },
    policyPacks,
  );
  const r = t.results[0]!;
  if ('refused' in r) throw new Error(`the trial refuses the bill: ${JSON.stringify(r.refused)}`);
  const out: Record<string, number> = {};
  for (const k of AMOUNTS) out[k] = r[k];
  out.maf_pay = Math.round((r.maf_pay + r.reassist_pay) * 100) / 100;
  out.oth_pay = r.backstop_pay;
  out.hosp_part_amt = 0;
  out.acct_pay = 0;
  return out;
}

const amountsOf = (info: Record<string, unknown>) => {
  const out: Record<string, unknown> = {};
  for (const k of [...AMOUNTS, 'maf_pay', 'oth_pay', 'hosp_part_amt', 'acct_pay']) out[k] = info[k];
  return out;
};

const negated = (o: Record<string, number>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === 0 ? 0 : -v]));

const ok = (a: HisAnswer) => {
  expect(a.err_msg).toBeNull();
  expect(a.infcode).toBe(0);
  return a.output;
};

/** Codes of demo catalogue items by name (and spec), and an institution's own codes. */
async function codes(
  app: FastifyInstance,
  headers: Record<string, string>,
  institution = TEST_INSTITUTION,
) {
  const res = await app.inject({
    method: 'GET',
    url: '/api/v1/catalogue/items?limit=500&date=2022-03-15',
    headers,
  });
  const items = res.json().items as { med_list_codg: string; name: string; spec: string | null }[];
  const code = (name: string, spec?: string) =>
    items.find((i) => i.name === name && (spec === undefined || i.spec === spec))!.med_list_codg;
  const map = await app.inject({
    method: 'GET',
    url: `/api/v1/catalogue/mappings/${institution}?limit=500`,
    headers,
  });
  const mappings = map.json().mappings as { medins_list_codg: string; med_list_codg: string }[];
  const own = (national: string) =>
    mappings.find((m) => m.med_list_codg === national)!.medins_list_codg;
  return { code, own };
}

/** 城关镇卫生院, a level-1 township health centre: where two-diseases visits are settled. */
const CENTRE = AT_LEVEL[1];

describeDb('national gateway', (ctx) => {
  let app: FastifyInstance;
  let call: ReturnType<typeof his>;
  /** The township health centre's HIS. */
  let centre: ReturnType<typeof his>;
  let headers: Record<string, string>;
  let code: (name: string, spec?: string) => string;
  let centreOwn: (national: string) => string;

  beforeAll(async () => {
    const ids = await createRoleAccounts(ctx.db);
    await seedPeople(ctx.db);
    await loadDemoCatalogue(ctx.db, TEST_INSTITUTION);
    await loadDemoCatalogue(ctx.db, CENTRE);
    headers = await bearer(ctx.db, ids.designated_institution);
    const { account } = await createAccount(ctx.db, SYSTEM_ACTOR, {
      username: 't_centre',
      displayName: '城关镇卫生院',
      roles: ['designated_institution'],
      scope: { kind: 'institution', fixmedinsCode: CENTRE, regionCode: '370899' },
      password: 'Correct-Horse-9',
      mustChangePassword: false,
    });
    const centreHeaders = await bearer(ctx.db, account.userId);
    app = await buildApp({ db: ctx.db, logLevel: 'silent' });
    call = his(app, headers, TEST_INSTITUTION);
    centre = his(app, centreHeaders, CENTRE);
    ({ code } = await codes(app, headers));
    ({ own: centreOwn } = await codes(app, centreHeaders, CENTRE));
    // 李建国 is filed for hypertension at another township's health centre: any level-1
    // institution of the county settles his two-diseases visits.
    await fileTwoDiseases(
      ctx.db,
      PEOPLE.other,
      'hypertension',
      townshipCentreCode(2),
      '2022-01-01',
    );
  });

  const settlementCount = async (certno: string) =>
    (
      await ctx.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM settlement WHERE certno = $1',
        [certno],
      )
    ).rows[0]!.n;

  it('scripts a two-diseases visit at a township health centre: 9001 → 1101 → 2201 → 2203 → 2204 → 2206 → 2205 → 2207 → 5203 → 2208', async () => {
    const psn = PEOPLE.other; // 李建国, 低保 (subsistence), filed for hypertension
    const call = centre;
    const sign = ok(await call('9001', { signIn: { opter_no: '001', mac: '', ip: '' } }));
    expect(sign.signinoutb).toMatchObject({ sign_no: expect.any(String) });

    const info = ok(
      await call('1101', {
        data: {
          mdtrt_cert_type: '02',
          mdtrt_cert_no: psn,
          psn_cert_type: '01',
          certno: psn,
          psn_name: '李建国',
        },
      }),
    );
    expect(info.baseinfo).toMatchObject({ psn_no: psn, psn_name: '李建国', gend: '1' });
    expect(info.idetinfo).toEqual([
      expect.objectContaining({ psn_idet_type: '2102', memo: '低保对象', endtime: null }),
    ]);
    expect(info.insuinfo).toEqual([
      expect.objectContaining({ insutype: '390', psn_insu_stas: '1' }),
    ]);

    const reg = ok(
      await call('2201', {
        data: {
          psn_no: psn,
          insutype: '390',
          begntime: '2022-03-15 09:05:00',
          mdtrt_cert_type: '02',
          mdtrt_cert_no: psn,
          ipt_otp_no: 'MZ20220315001',
          atddr_no: 'D001',
          dr_name: '王医生',
          dept_code: 'NK',
          dept_name: '内科',
          caty: 'A03',
        },
      }),
    );
    const mdtrtId = (reg.data as { mdtrt_id: string }).mdtrt_id;
    expect(mdtrtId).toMatch(/^MD\d{12}$/);

    ok(
      await call('2203', {
        mdtrtinfo: {
          mdtrt_id: mdtrtId,
          psn_no: psn,
          med_type: '9901',
          begntime: '2022-03-15 09:05:00',
          main_cond_dscr: '头晕',
          dise_codg: 'I10',
          dise_name: '原发性高血压',
        },
        diseinfo: [
          {
            diag_type: '1',
            diag_srt_no: '1',
            diag_code: 'I10',
            diag_name: '原发性高血压',
            vali_flag: '1',
          },
        ],
      }),
    );

    const fee = (
      sn: string,
      batch: string,
      national: string | null,
      cnt: number,
      pric: string,
      sum: string,
      more: { medins?: string; prd_days?: number | string } = {},
    ) => ({
      feedetl_sn: sn,
      mdtrt_id: mdtrtId,
      psn_no: psn,
      chrg_bchno: batch,
      fee_ocur_time: '2022-03-15 09:30:00',
      med_list_codg: national,
      medins_list_codg: more.medins ?? null,
      det_item_fee_sumamt: sum,
      cnt,
      pric,
      prd_days: more.prd_days ?? '',
    });
    const metformin = code('盐酸二甲双胍片', '0.25g*48片');
    const upload = ok(
      await call('2204', {
        feedetail: [
          // The two-diseases drugs, with the days prescribed (a part day counts as a day).
          fee('1', 'B1', code('苯磺酸氨氯地平片', '5mg*28片'), 2, '15.50', '31.00', {
            prd_days: 28,
          }), // 甲
          fee('2', 'B1', code('非洛地平缓释片', '5mg*10片'), 1, '25.60', '25.60', {
            prd_days: '9.5',
          }), // 乙 10 %
          fee('3', 'B1', code('磷酸西格列汀片'), 2, '75.00', '150.00', { prd_days: 28 }), // 乙 10 %, ceiling 60.00
          fee('4', 'B1', null, 1, '8.50', '8.50', { medins: centreOwn(metformin), prd_days: 0 }), // 甲, by mapping
          // A consultation and a 丙 drug: not on the two-diseases drug list.
          fee('5', 'B2', code('普通门诊诊查费'), 1, '12.00', '12.00'), // 甲, ceiling 10.00
          fee('6', 'B2', code('维生素C泡腾片'), 1, '18.00', '18.00'), // 丙
        ],
      }),
    );
    const result = upload.result as Record<string, unknown>[];
    expect(
      result.map((r) => [
        r.chrgitm_lv,
        r.selfpay_prop,
        r.overlmt_amt,
        r.preselfpay_amt,
        r.fulamt_ownpay_amt,
        r.inscp_scp_amt,
      ]),
    ).toEqual([
      ['01', 0, 0, 0, 0, 31],
      ['02', 0.1, 0, 2.56, 0, 23.04],
      ['02', 0.1, 30, 12, 0, 108],
      ['01', 0, 0, 0, 0, 8.5],
      ['01', 0, 2, 0, 0, 10],
      ['03', 1, 0, 0, 18, 0],
    ]);
    expect(result[3]!.med_list_codg).toBe(metformin);
    const days = await ctx.db.query<{ sn: string; days: number | null; item: string }>(
      `SELECT feedetl_sn AS sn, (line->>'days')::int AS days, line->>'itemCode' AS item
         FROM gateway_fee WHERE mdtrt_id = $1 ORDER BY feedetl_sn`,
      [mdtrtId],
    );
    expect(days.rows.map((r) => r.days)).toEqual([28, 10, 28, null, null, null]);
    expect(days.rows[3]!.item).toBe(metformin);

    const settleInput = (medfee: number) => ({
      data: {
        psn_no: psn,
        mdtrt_cert_type: '02',
        mdtrt_cert_no: psn,
        med_type: '9901',
        medfee_sumamt: medfee,
        psn_setlway: '01',
        mdtrt_id: mdtrtId,
        chrg_bchno: 'B1',
        insutype: '390',
        acct_used_flag: '0',
      },
    });
    // A two-diseases visit pays only drugs of the list: the consultation is named by its line.
    const off = await call('2206', settleInput(245.1));
    expect(off).toMatchObject({ infcode: -1, output: null });
    expect(off.err_msg).toMatch(
      /^feedetail\[feedetl_sn=5\]\.med_list_codg：门诊两病只支付两病用药目录/,
    );
    // The HIS cancels the batch of the consultation and the 丙 drug (2205), and settles the rest.
    ok(await call('2205', { data: { mdtrt_id: mdtrtId, psn_no: psn, chrg_bchno: 'B2' } }));

    const want = await expected(['subsistence'], {
      date: '2022-03-15',
      visitType: 'two_diseases',
      diagnosis: 'I10',
      hospitalLevel: 1,
      lines: [
        { amount: 31, class: 'A' },
        { amount: 25.6, class: 'B', selfPayRatio: 0.1 },
        { amount: 150, class: 'B', overLimit: 30, selfPayRatio: 0.1 },
        { amount: 8.5, class: 'A' },
      ],
    });
    expect(want.medfee_sumamt).toBe(215.1);
    expect(want.maf_pay).toBeGreaterThan(0);
    const pre = ok(await call('2206', settleInput(215.1)));
    expect(amountsOf(pre.setlinfo!)).toEqual(want);
    expect(pre.setlinfo!.setl_id).toBeNull();

    const msgid = `${CENTRE}202203150940000001`;
    const settled = ok(await call('2207', settleInput(215.1), { msgid }));
    const setl = settled.setlinfo!;
    expect(amountsOf(setl)).toEqual(want);
    expect(setl).toMatchObject({
      mdtrt_id: mdtrtId,
      psn_no: psn,
      psn_name: '李建国',
      med_type: '9901',
      insutype: '390',
    });
    const detail = settled.setldetail!;
    expect(detail.map((d) => d.fund_pay_type)).toEqual(['390100', '610100']);
    expect(detail.map((d) => d.fund_payamt)).toEqual([want.hifp_pay, want.maf_pay]);
    expect(detail[0]).toMatchObject({
      fund_pay_type_name: '居民基本医保统筹',
      inscp_scp_amt: want.inscp_scp_amt,
    });

    // A repeated msgid: the first answer, and no second settlement.
    const again = ok(await call('2207', settleInput(215.1), { msgid }));
    expect(again.setlinfo).toEqual(setl);
    expect(again.setldetail).toEqual(detail);
    expect(await settlementCount(psn)).toBe(1);
    // Another msgid cannot settle the visit again.
    const twice = await call('2207', settleInput(215.1));
    expect(twice.infcode).toBe(-1);
    expect(twice.err_msg).toContain('mdtrt_id');
    expect(await settlementCount(psn)).toBe(1);

    const queried = ok(
      await call('5203', { data: { psn_no: psn, setl_id: setl.setl_id, mdtrt_id: mdtrtId } }),
    );
    expect(queried.setlinfo).toMatchObject({
      ...want,
      setl_id: setl.setl_id,
      medins_setl_id: msgid,
    });
    expect(queried.setldetail).toEqual(detail);

    const cum = ok(await call('5206', { data: { psn_no: psn, cum_ym: '202203' } }));
    const cumOf = (c: string) =>
      (cum.cuminfo as { cum_type_code: string; cum: number }[]).find((x) => x.cum_type_code === c)!
        .cum;
    expect(cumOf('C002')).toBe(want.hifp_pay);
    expect(cumOf('C006')).toBe(want.maf_pay);

    const cancelMsgid = `${CENTRE}202203151000000001`;
    const cancelInput = { data: { setl_id: setl.setl_id, mdtrt_id: mdtrtId, psn_no: psn } };
    const cancelled = ok(await call('2208', cancelInput, { msgid: cancelMsgid }));
    expect(amountsOf(cancelled.setlinfo!)).toEqual(negated(want));
    expect(cancelled.setldetail!.map((d) => d.fund_payamt)).toEqual([
      -want.hifp_pay!,
      -want.maf_pay!,
    ]);
    expect(cancelled.setlinfo!.setl_id).not.toBe(setl.setl_id);
    // A repeated cancel gets the first answer; the accumulators are back to nothing.
    expect(await call('2208', cancelInput, { msgid: cancelMsgid })).toEqual(
      expect.objectContaining({ infcode: 0, output: cancelled }),
    );
    expect(await settlementCount(psn)).toBe(2);
    const after = ok(await call('5206', { data: { psn_no: psn, cum_ym: '202203' } }));
    expect((after.cuminfo as { cum: number }[]).every((c) => c.cum === 0)).toBe(true);
  });

  it('scripts an inpatient stay: 2401 → 2301 → 2402 → 2303 → 2304 → 2305', async () => {
    const psn = PEOPLE.own; // 王秀英, 严重精神障碍 (severe_mental)
    const adm = ok(
      await call('2401', {
        mdtrtinfo: {
          psn_no: psn,
          insutype: '390',
          begntime: '2022-04-01 10:00:00',
          mdtrt_cert_type: '02',
          mdtrt_cert_no: psn,
          med_type: '21',
          ipt_no: 'ZY2022040001',
          atddr_no: 'D002',
          chfpdr_name: '李医生',
          adm_diag_dscr: '精神分裂症',
          adm_dept_codg: 'JSK',
          adm_dept_name: '精神科',
          adm_bed: '12',
          dise_codg: 'F20.0',
          dise_name: '偏执型精神分裂症',
        },
        diseinfo: [],
      }),
    );
    const mdtrtId = (adm.result as { mdtrt_id: string }).mdtrt_id;
    const fee = (
      sn: string,
      national: string,
      cnt: number,
      pric: string,
      sum: string,
      day = '05',
    ) => ({
      feedetl_sn: sn,
      mdtrt_id: mdtrtId,
      psn_no: psn,
      med_type: '21',
      fee_ocur_time: `2022-04-${day} 08:00:00`,
      med_list_codg: national,
      det_item_fee_sumamt: sum,
      cnt,
      pric,
    });
    const up = ok(
      await call('2301', {
        feedetail: [
          fee('Z1', code('棕榈酸帕利哌酮注射液', '150mg'), 1, '1600.00', '1600.00'), // 乙, ceiling 1,490
          fee('Z2', code('精神科病房床位费'), 10, '35.00', '350.00'),
          fee('Z3', code('精神病护理'), 10, '25.00', '250.00'),
          fee('Z4', code('奥氮平片', '5mg*28片'), 3, '30.00', '90.00'),
          fee('Z5', code('一次性使用约束带'), 1, '45.00', '45.00'), // 乙 20 %, ceiling 40
          fee('Z6', code('心理咨询(非治疗性)'), 1, '200.00', '200.00'), // 丙
          fee('Z7', code('长效针剂注射(深部肌肉注射)'), 1, '6.50', '6.50'), // 甲, ceiling 6.00
        ],
      }),
    );
    expect((up.result as unknown[]).length).toBe(7);
    // Fee lines can be cancelled and uploaded again before settlement.
    ok(await call('2302', { data: [{ feedetl_sn: 'Z7', mdtrt_id: mdtrtId, psn_no: psn }] }));
    ok(
      await call('2301', {
        feedetail: [fee('Z7', code('长效针剂注射(深部肌肉注射)'), 1, '6.50', '6.50')],
      }),
    );

    const notYet = await call('2304', {
      data: { psn_no: psn, mdtrt_id: mdtrtId, medfee_sumamt: 2541.5, insutype: '390' },
    });
    expect(notYet.infcode).toBe(-1);
    expect(notYet.err_msg).toContain('2402');

    ok(
      await call('2402', {
        dscginfo: {
          mdtrt_id: mdtrtId,
          psn_no: psn,
          insutype: '390',
          endtime: '2022-04-11 09:00:00',
          dise_codg: 'F20.0',
          dise_name: '偏执型精神分裂症',
          dscg_way: '1',
        },
        diseinfo: [
          { diag_type: '1', maindiag_flag: '1', diag_code: 'F20.0', diag_name: '偏执型精神分裂症' },
        ],
      }),
    );
    const want = await expected(['severe_mental'], {
      date: '2022-04-11',
      visitType: 'inpatient',
      diagnosis: 'F20.0',
      lines: [
        { amount: 1600, class: 'B', overLimit: 110, selfPayRatio: 0.1 },
        { amount: 350, class: 'A', overLimit: 0 },
        { amount: 250, class: 'A' },
        { amount: 90, class: 'B', selfPayRatio: 0.1 },
        { amount: 45, class: 'B', overLimit: 5, selfPayRatio: 0.2 },
        { amount: 200, class: 'C' },
        { amount: 6.5, class: 'A', overLimit: 0.5 },
      ],
    });
    const input = {
      data: {
        psn_no: psn,
        mdtrt_cert_type: '02',
        mdtrt_cert_no: psn,
        medfee_sumamt: want.medfee_sumamt,
        psn_setlway: '01',
        mdtrt_id: mdtrtId,
        insutype: '390',
        mid_setl_flag: '0',
        acct_used_flag: '0',
      },
    };
    const pre = ok(await call('2303', input));
    expect(amountsOf(pre.setlinfo!)).toEqual(want);
    const settled = ok(await call('2304', input));
    expect(amountsOf(settled.setlinfo!)).toEqual(want);
    expect(settled.setlinfo!.clr_type).toBe('21');
    expect(settled.setldetail!.map((d) => d.fund_pay_type)).toEqual(
      ['390100', '390200', '610100', '610102', '640100'].filter(
        (_, i) => [want.hifp_pay, want.hifmi_pay, 0, 0, want.oth_pay][i] !== 0,
      ),
    );
    // The hospital may not read psychiatric explanations: the sentences are withheld.
    expect(String(settled.setldetail![0]!.setl_proc_info)).not.toContain('F20');
    // Lines of a settled stay cannot change.
    const locked = await call('2302', {
      data: [{ feedetl_sn: '0000', mdtrt_id: mdtrtId, psn_no: psn }],
    });
    expect(locked.infcode).toBe(-1);

    const setlId = settled.setlinfo!.setl_id;
    const cancelled = ok(
      await call('2305', { data: { mdtrt_id: mdtrtId, setl_id: setlId, psn_no: psn } }),
    );
    expect(amountsOf(cancelled.setlinfo!)).toEqual(negated(want));
    // After the cancel the stay can be settled again, to the same amounts.
    const again = ok(await call('2304', input));
    expect(amountsOf(again.setlinfo!)).toEqual(want);
  });

  /** A registered outpatient visit with its diagnosis and uploaded lines; the settle input. */
  async function outpatientVisit(
    h: ReturnType<typeof his>,
    psn: string,
    medType: '14' | '9901',
    dise: string,
    begntime: string,
    lines: { national: string; sum: string; days?: number | string }[],
  ) {
    const reg = ok(await h('2201', { data: { psn_no: psn, insutype: '390', begntime } }));
    const mdtrtId = (reg.data as { mdtrt_id: string }).mdtrt_id;
    ok(
      await h('2203', {
        mdtrtinfo: { mdtrt_id: mdtrtId, psn_no: psn, med_type: medType, begntime, dise_codg: dise },
        diseinfo: [],
      }),
    );
    ok(
      await h('2204', {
        feedetail: lines.map((l, i) => ({
          feedetl_sn: `F${i + 1}`,
          mdtrt_id: mdtrtId,
          psn_no: psn,
          fee_ocur_time: begntime,
          med_list_codg: l.national,
          det_item_fee_sumamt: l.sum,
          cnt: 1,
          pric: l.sum,
          prd_days: l.days ?? '',
        })),
      }),
    );
    const total = lines.reduce((t, l) => t + Math.round(Number(l.sum) * 100), 0) / 100;
    const data = { psn_no: psn, mdtrt_id: mdtrtId, med_type: medType, medfee_sumamt: total };
    return { mdtrtId, input: { data: { ...data, insutype: '390' } } };
  }

  /** Pre-settle and settle both refuse with an err_msg that matches; nothing is settled. */
  async function refused(h: ReturnType<typeof his>, input: object, psn: string, msg: RegExp) {
    const before = await settlementCount(psn);
    for (const infno of ['2206', '2207']) {
      const a = await h(infno, input as Record<string, unknown>);
      expect(a).toMatchObject({ infcode: -1, output: null });
      expect(a.err_msg).toMatch(msg);
    }
    expect(await settlementCount(psn)).toBe(before);
  }

  describe('chronic (14) and two-diseases (9901) visits are paid only as covered', () => {
    const psn = PEOPLE.plain; // 张伟, no category
    let amlodipine: string;
    beforeAll(() => {
      amlodipine = code('苯磺酸氨氯地平片', '5mg*28片');
    });

    it('refuses a chronic visit outside the catalogue or without a certificate, and pays a certified one', async () => {
      const cold = await outpatientVisit(call, psn, '14', 'J06.9', '2022-05-10 08:00:00', [
        { national: amlodipine, sum: '280.00' },
      ]);
      await refused(call, cold.input, psn, /^input\.dise_codg：诊断 J06\.9 不属于政策包 demo-2022/);
      const sugar = await outpatientVisit(call, psn, '14', 'E11.9', '2022-05-11 08:00:00', [
        { national: amlodipine, sum: '1000.00' },
      ]);
      await refused(
        call,
        sugar.input,
        psn,
        /^input\.dise_codg：参保人在 2022-05-11 没有有效的门诊慢特病证（M002/,
      );
      // Certified: the refused messages left the visit free, so it settles now.
      await certify(ctx.db, psn, 'M002', '2022-05-01');
      const paid = ok(await call('2207', sugar.input));
      // 1,000 in scope, the 600 chronic deductible, 65 % at level 2.
      expect(paid.setlinfo).toMatchObject({ act_pay_dedc: 600, hifp_pay: 260 });
      const stored = await ctx.db.query<{ explain: string }>(
        'SELECT explain::text AS explain FROM settlement WHERE settlement_id = $1',
        [Number(paid.setlinfo!.setl_id)],
      );
      expect(stored.rows[0]!.explain).toContain('chronic:M002');
    });

    it('refuses a two-diseases visit off primary care, unfiled, over 60 days, off the list or renewed early', async () => {
      const line = { national: amlodipine, sum: '60.00', days: 30 };
      const at2 = await outpatientVisit(call, psn, '9901', 'I10', '2022-06-01 08:00:00', [line]);
      await refused(
        call,
        at2.input,
        psn,
        /^input\.fixmedins_code：门诊两病只在一级（基层）医疗机构结算/,
      );
      const unfiled = await outpatientVisit(centre, psn, '9901', 'I10', '2022-06-02 08:00:00', [
        line,
      ]);
      await refused(
        centre,
        unfiled.input,
        psn,
        /^input\.dise_codg：参保人在 2022-06-02 没有有效的门诊两病（高血压）备案/,
      );
      await fileTwoDiseases(ctx.db, psn, 'hypertension', CENTRE, '2022-06-01');
      const long = await outpatientVisit(centre, psn, '9901', 'I10', '2022-06-03 08:00:00', [
        { national: amlodipine, sum: '60.00', days: '60.5' },
      ]);
      await refused(
        centre,
        long.input,
        psn,
        /^feedetail\[feedetl_sn=F1\]\.prd_days：门诊两病处方最长 60 天/,
      );
      const consult = await outpatientVisit(centre, psn, '9901', 'I10', '2022-06-04 08:00:00', [
        line,
        { national: code('普通门诊诊查费'), sum: '10.00' },
      ]);
      await refused(
        centre,
        consult.input,
        psn,
        /^feedetail\[feedetl_sn=F2\]\.med_list_codg：门诊两病只支付两病用药目录内的药品/,
      );
      const first = await outpatientVisit(centre, psn, '9901', 'I10', '2022-06-10 08:00:00', [
        { national: amlodipine, sum: '120.00', days: 60 },
      ]);
      ok(await centre('2207', first.input));
      const soon = await outpatientVisit(centre, psn, '9901', 'I10', '2022-06-20 08:00:00', [line]);
      await refused(
        centre,
        soon.input,
        psn,
        /^feedetail\[feedetl_sn=F1\]\.med_list_codg：第 1 项 \S+ 上次两病处方（2022-06-10，60 天）到 2022-06-20 还剩 50 天/,
      );
    });
  });

  it('refuses a fixmedins_code that is not the credential’s institution', async () => {
    const a = await call(
      '9001',
      { signIn: { opter_no: '001' } },
      { fixmedinsCode: 'H37089900002' },
    );
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toContain('fixmedins_code');
    expect(a.err_msg).toContain(TEST_INSTITUTION);
    expect(a.output).toBeNull();
  });

  it('refuses an unknown infno', async () => {
    const a = await call('9999', {});
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toContain('infno');
  });

  it('refuses an unknown med_list_codg and stores none of the upload', async () => {
    const psn = PEOPLE.plain;
    const reg = ok(
      await call('2201', {
        data: { psn_no: psn, insutype: '390', begntime: '2022-03-16 08:00:00' },
      }),
    );
    const mdtrtId = (reg.data as { mdtrt_id: string }).mdtrt_id;
    const line = (sn: string, codg: string) => ({
      feedetl_sn: sn,
      mdtrt_id: mdtrtId,
      psn_no: psn,
      fee_ocur_time: '2022-03-16 08:30:00',
      med_list_codg: codg,
      det_item_fee_sumamt: '10.00',
      cnt: 1,
      pric: '10.00',
    });
    const a = await call('2204', {
      feedetail: [line('1', code('普通门诊诊查费')), line('2', 'XNOSUCHCODE0001')],
    });
    expect(a.infcode).toBe(-1);
    expect(a.err_msg).toContain('input.feedetail[1].med_list_codg');
    expect(a.err_msg).toContain('XNOSUCHCODE0001');
    const n = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM gateway_fee WHERE mdtrt_id = $1',
      [mdtrtId],
    );
    expect(n.rows[0]!.n).toBe(0);
    // An expired item (left the catalogue at the end of 2021) is refused the same way.
    const old = await call('2204', { feedetail: [line('3', 'XC01DXA001A002010100001')] });
    expect(old.err_msg).toContain('不在有效期内');
  });

  it('answers a 3201 total that does not match, and changes nothing', async () => {
    const snapshot = async () =>
      (
        await ctx.db.query<{ s: number; v: number; f: number }>(
          `SELECT (SELECT count(*)::int FROM settlement) AS s, (SELECT count(*)::int FROM gateway_visit) AS v,
                  (SELECT count(*)::int FROM gateway_fee) AS f`,
        )
      ).rows[0];
    const before = await snapshot();
    const period = {
      stmt_begndate: '2022-01-01',
      stmt_enddate: '2022-12-31',
      setl_optins: '370899',
      insutype: '390',
    };
    const right = ok(
      await call('3201', {
        data: {
          ...period,
          medfee_sumamt: 0,
          fund_pay_sumamt: 0,
          acct_pay: 0,
          fixmedins_setl_cnt: 0,
        },
      }),
    );
    const totals = right.stmtinfo as Record<string, number | string>;
    const exact = ok(
      await call('3201', {
        data: {
          ...period,
          medfee_sumamt: totals.medfee_sumamt,
          fund_pay_sumamt: totals.fund_pay_sumamt,
          acct_pay: 0,
          fixmedins_setl_cnt: totals.fixmedins_setl_cnt,
        },
      }),
    );
    expect(exact.stmtinfo).toMatchObject({ stmt_rslt: '0' });
    const wrong = ok(
      await call('3201', {
        data: {
          ...period,
          medfee_sumamt: Number(totals.medfee_sumamt) + 1,
          fund_pay_sumamt: totals.fund_pay_sumamt,
          acct_pay: 0,
          fixmedins_setl_cnt: totals.fixmedins_setl_cnt,
        },
      }),
    );
    expect(wrong.stmtinfo).toMatchObject({ stmt_rslt: '1' });
    expect(String((wrong.stmtinfo as { stmt_rslt_dscr: string }).stmt_rslt_dscr)).toContain(
      'medfee_sumamt',
    );
    expect(await snapshot()).toEqual(before);

    // 3202 lists the settlements the HIS lacks.
    const details = ok(await call('3202', { data: period, detail: [] }));
    expect((details.detail as unknown[]).length).toBe(
      Number(totals.fixmedins_setl_cnt) > 0
        ? (details.stmtinfo as { fixmedins_setl_cnt: number }).fixmedins_setl_cnt
        : 0,
    );
  });

  it('answers a repeated msgid of a registration with the first answer and one visit', async () => {
    const msgid = `${TEST_INSTITUTION}202203170800000001`;
    const input = {
      data: { psn_no: PEOPLE.plain, insutype: '390', begntime: '2022-03-17 08:00:00' },
    };
    const a = await call('2201', input, { msgid });
    const b = await call('2201', input, { msgid });
    expect(b).toEqual(a);
    const n = await ctx.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM gateway_visit WHERE begntime = '2022-03-17 08:00:00'",
    );
    expect(n.rows[0]!.n).toBe(1);
    // The same msgid for another transaction is refused, naming msgid.
    const c = await call('2202', { data: { psn_no: PEOPLE.plain, mdtrt_id: 'x' } }, { msgid });
    expect(c.infcode).toBe(-1);
    expect(c.err_msg).toContain('msgid');
  });

  describe('chronic-disease filing and mapping', () => {
    it('stores a 2503 filing, audited', async () => {
      const out = ok(
        await call('2503', {
          data: {
            psn_no: PEOPLE.plain,
            insutype: '390',
            opsp_dise_code: 'M03900',
            opsp_dise_name: '高血压',
            begndate: '2022-03-01',
          },
        }),
      );
      expect((out.result as { trt_dcla_detl_sn: string }).trt_dcla_detl_sn).toMatch(/^MB\d{12}$/);
      const audit = await ctx.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM audit_log WHERE action = 'gateway.chronic.file'",
      );
      expect(audit.rows[0]!.n).toBe(1);
      // A catalogue disease's national code (M03900, M001) makes an application for review,
      // never a certificate (docs/chronic.md §12).
      const app = await ctx.db.query<{ status: string; channel: string; disease: string }>(
        `SELECT a.status, a.channel, d.disease FROM chronic_application a
           JOIN chronic_application_disease d USING (certno, application_id)
          WHERE a.certno = $1 AND a.gateway_sn = $2`,
        [PEOPLE.plain, (out.result as { trt_dcla_detl_sn: string }).trt_dcla_detl_sn],
      );
      expect(app.rows).toEqual([{ status: 'under_review', channel: 'gateway', disease: 'M001' }]);
      // (Other tests certify this person for M002; the filed disease M001 gets no certificate.)
      const certs = await ctx.db.query(
        "SELECT 1 FROM chronic_certificate_disease WHERE certno = $1 AND disease = 'M001'",
        [PEOPLE.plain],
      );
      expect(certs.rows).toHaveLength(0);
    });

    it('refuses a 2503 national code that is neither a catalogue disease nor a two-diseases code', async () => {
      const a = await call('2503', {
        data: {
          psn_no: PEOPLE.other,
          opsp_dise_code: 'M99999',
          opsp_dise_name: '未知病种',
          begndate: '2022-03-01',
        },
      });
      expect(a.infcode).toBe(-1);
      expect(a.err_msg).toContain('input.data.opsp_dise_code');
    });

    it('files a two-diseases patient by 2503 at primary care only, and 2504 cancels filings and open applications', async () => {
      const filing = {
        psn_no: PEOPLE.other,
        // 李建国 has a hypertension filing already (beforeAll): this one is for diabetes.
        opsp_dise_code: 'M01601',
        opsp_dise_name: '糖尿病（两病）',
        begndate: '2022-03-01',
      };
      // The test institution is the level-2 county hospital: not primary care.
      const refused = await call('2503', { data: filing });
      expect(refused.infcode).toBe(-1);
      expect(refused.err_msg).toContain('fixmedins_code');
      await ctx.db.query('UPDATE gateway_institution SET hosp_lv = 1 WHERE fixmedins_code = $1', [
        TEST_INSTITUTION,
      ]);
      try {
        const sn = (ok(await call('2503', { data: filing })).result as { trt_dcla_detl_sn: string })
          .trt_dcla_detl_sn;
        const row = await ctx.db.query(
          'SELECT disease, source, valid_from::text, valid_to::text FROM two_diseases_filing WHERE gateway_sn = $1',
          [sn],
        );
        expect(row.rows).toEqual([
          { disease: 'diabetes', source: 'gateway', valid_from: '2022-03-01', valid_to: null },
        ]);
        ok(
          await call('2504', {
            data: { psn_no: PEOPLE.other, trt_dcla_detl_sn: sn, memo: '录入错误' },
          }),
        );
        const ended = await ctx.db.query<{ ended_reason: string; valid_to: string | null }>(
          'SELECT ended_reason, valid_to::text FROM two_diseases_filing WHERE gateway_sn = $1',
          [sn],
        );
        expect(ended.rows[0]).toMatchObject({ ended_reason: 'cancelled' });
        expect(ended.rows[0]!.valid_to).not.toBeNull();
        const again = await call('2504', { data: { psn_no: PEOPLE.other, trt_dcla_detl_sn: sn } });
        expect(again.infcode).toBe(-1);
        expect(again.err_msg).toContain('已撤销');
      } finally {
        await ctx.db.query('UPDATE gateway_institution SET hosp_lv = 2 WHERE fixmedins_code = $1', [
          TEST_INSTITUTION,
        ]);
      }
      // The application a 2503 made is withdrawn while it is still open.
      const sn = (
        ok(
          await call('2503', {
            data: { ...filing, opsp_dise_code: 'M05300', opsp_dise_name: '慢性阻塞性肺疾病' },
          }),
        ).result as { trt_dcla_detl_sn: string }
      ).trt_dcla_detl_sn;
      ok(await call('2504', { data: { psn_no: PEOPLE.other, trt_dcla_detl_sn: sn } }));
      const app = await ctx.db.query(
        'SELECT status FROM chronic_application WHERE gateway_sn = $1',
        [sn],
      );
      expect(app.rows).toEqual([{ status: 'withdrawn' }]);
      const unknown = await call('2504', {
        data: { psn_no: PEOPLE.other, trt_dcla_detl_sn: 'MB0' },
      });
      expect(unknown.err_msg).toContain('input.data.trt_dcla_detl_sn');
    });

    it('maps (3301) and unmaps (3302) an own item code', async () => {
      const national = code('氯氮平片');
      ok(
        await call('3301', {
          data: [
            {
              fixmedins_hilist_id: 'YPTEST01',
              fixmedins_hilist_name: '氯氮平片(自编)',
              list_type: '101',
              med_list_codg: national,
            },
          ],
        }),
      );
      const bad = await call('3301', {
        data: [
          { fixmedins_hilist_id: 'YPTEST02', fixmedins_hilist_name: 'x', med_list_codg: 'NOPE' },
        ],
      });
      expect(bad.err_msg).toContain('input.data[0].med_list_codg');
      ok(
        await call('3302', { data: { fixmedins_hilist_id: 'YPTEST01', med_list_codg: national } }),
      );
      const gone = await call('3302', {
        data: { fixmedins_hilist_id: 'YPTEST01', med_list_codg: national },
      });
      expect(gone.infcode).toBe(-1);
    });
  });
});
