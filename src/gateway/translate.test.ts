import { describe, expect, it } from 'vitest';
import { makeId } from '../kernel/idcard.ts';
import { emptyAccumulators } from '../settlement/accumulators.ts';
import type { CatalogueItem, CatalogueMapping } from '../catalogue/model.ts';
import type { Dictionary } from './dictionary.ts';
import { readEnvelope, stamp, nationalTime } from './envelope.ts';
import { GatewayFault } from './fault.ts';
import { classLines, feeResult, readFee } from './fees.ts';
import { Fields, timeOf } from './fields.ts';
import {
  cuminfo,
  idetinfo,
  invariantProblem,
  setldetail,
  setlinfo,
  type SettledView,
} from './translate.ts';

const dict: Dictionary = {
  fund: new Map([
    ['basic_insurance', { code: '390100', name: '居民基本医保统筹' }],
    ['critical_illness', { code: '390200', name: '城乡居民大病保险' }],
    ['assistance', { code: '610100', name: '医疗救助' }],
    ['re_assistance', { code: '610102', name: '再救助' }],
    ['backstop', { code: '640100', name: '政府兜底' }],
  ]),
  idet: new Map([
    ['subsistence', { code: '2102', name: '低保对象' }],
    ['severe_mental', { code: '2201', name: '严重精神障碍患者' }],
  ]),
  cum: [
    { code: 'C002', name: '基本医保统筹基金支付累计', value: 'basic_insurance.paid' },
    { code: 'C011', name: '起付线累计', value: 'deductible' },
    { code: 'C013', name: '个人负担总费用累计', value: 'oop_total' },
  ],
};

const CERTNO = makeId('370899', '1960-05-01', 11);

/** The worked example of docs/settlement.md §6 with a re-assistance and a backstop part added. */
const view = (kind: 'settle' | 'cancel'): SettledView => {
  const s = kind === 'cancel' ? -1 : 1;
  return {
    settlementId: 42,
    kind,
    amounts: {
      medfee_sumamt: s * 1_550_000,
      fulamt_ownpay_amt: s * 50_000,
      overlmt_selfpay: 0,
      preselfpay_amt: s * 30_000,
      inscp_scp_amt: s * 1_470_000,
      act_pay_dedc: s * 25_000,
      hifp_pay: s * 1_300_500,
      hifmi_pay: 0,
      maf_pay: s * 118_650,
      reassist_pay: s * 1_000,
      backstop_pay: s * 500,
      fund_pay_sumamt: s * 1_420_650,
      psn_part_amt: s * 129_350,
      psn_cash_pay: s * 129_350,
    },
    tiers: [
      { tier: 'basic_insurance', base: 1_470_000, room: 20_000_000, text: '统筹' },
      { tier: 'critical_illness', base: 169_500, room: null, text: '大病' },
      { tier: 'assistance', base: 169_500, room: 3_000_000, text: '救助' },
      { tier: 're_assistance', base: 50_850, room: null, text: '再救助' },
      { tier: 'backstop', base: 49_850, room: null, text: '兜底' },
    ],
    date: '2022-03-15',
    visitType: 'inpatient',
    createdAt: '',
  };
};
const facts = { mdtrtId: 'MD1', certno: CERTNO, psnName: '张三', msgid: 'm1', admdvs: '370899' };

describe('gateway translation', () => {
  it('names the amounts as §7 does: maf_pay = assistance + re-assistance, oth_pay = backstop', () => {
    const info = setlinfo(view('settle'), facts, '2022-03-15 10:00:00');
    expect(info).toMatchObject({
      setl_id: '42',
      psn_no: CERTNO,
      gend: '1',
      brdy: '1960-05-01',
      age: 61,
      med_type: '21',
      medfee_sumamt: 15500,
      hifp_pay: 13005,
      maf_pay: 1196.5,
      oth_pay: 5,
      fund_pay_sumamt: 14206.5,
      psn_part_amt: 1293.5,
      psn_cash_pay: 1293.5,
      hosp_part_amt: 0,
      acct_pay: 0,
      clr_type: '21',
    });
    const detail = setldetail(view('settle'), dict);
    expect(detail.map((d) => [d.fund_pay_type, d.fund_payamt, d.inscp_scp_amt])).toEqual([
      ['390100', 13005, 14700],
      ['610100', 1186.5, 1695],
      ['610102', 10, 508.5],
      ['640100', 5, 498.5],
    ]);
    expect(detail[0]).toMatchObject({
      crt_payb_lmt_amt: 200000,
      fund_pay_type_name: '居民基本医保统筹',
    });
    expect(invariantProblem(info, detail)).toBeNull();
  });

  it('answers a cancellation with the same amounts negated', () => {
    const info = setlinfo(view('cancel'), facts, '2022-03-16 10:00:00');
    const detail = setldetail(view('cancel'), dict);
    const pos = setlinfo(view('settle'), facts, '');
    for (const k of ['medfee_sumamt', 'hifp_pay', 'maf_pay', 'oth_pay', 'psn_cash_pay'] as const) {
      expect(info[k]).toBe(-(pos[k] as number));
    }
    expect(detail.map((d) => d.fund_payamt)).toEqual([-13005, -1186.5, -10, -5]);
    expect(detail[0]!.inscp_scp_amt).toBe(-14700);
    expect(invariantProblem(info, detail)).toBeNull();
  });

  it('finds a broken invariant', () => {
    const info = setlinfo(view('settle'), facts, '');
    expect(
      invariantProblem({ ...info, psn_cash_pay: 1 }, setldetail(view('settle'), dict)),
    ).toContain('psn_part_amt');
    expect(invariantProblem(info, [])).toContain('setldetail');
  });

  it('lists identity flags with the dictionary codes, and accumulators by code', () => {
    expect(
      idetinfo(
        [
          { category: 'subsistence', fromMonth: '2022-01', toMonth: '2022-02' },
          { category: 'monitored', fromMonth: '2022-01', toMonth: null },
        ],
        dict,
      ),
    ).toEqual([
      {
        psn_idet_type: '2102',
        psn_type_lv: null,
        memo: '低保对象',
        begntime: '2022-01-01 00:00:00',
        endtime: '2022-02-28 23:59:59',
      },
    ]);
    const acc = emptyAccumulators(2022);
    acc.tiers.basic_insurance.paid = 12_345;
    acc.deductibleUsed = { a: 100, b: 200 };
    acc.oopTotal = 999;
    expect(cuminfo(acc, dict).map((c) => [c.cum_type_code, c.cum])).toEqual([
      ['C002', 123.45],
      ['C011', 3],
      ['C013', 9.99],
    ]);
  });
});

describe('gateway messages', () => {
  it('reads the envelope and names a missing field', () => {
    const env = readEnvelope({
      infno: '2207',
      msgid: 'H1-1',
      fixmedins_code: 'H1',
      input: { data: {} },
    });
    expect(env).toMatchObject({ infno: '2207', fixmedinsCode: 'H1', input: { data: {} } });
    expect(() => readEnvelope({ infno: '2207', fixmedins_code: 'H1' })).toThrow(/msgid/);
    expect(() => readEnvelope({ infno: '22x7', msgid: 'a', fixmedins_code: 'H1' })).toThrow(
      /infno/,
    );
  });

  it('formats times in China Standard Time', () => {
    const d = new Date(Date.UTC(2022, 2, 15, 1, 2, 3, 45));
    expect(nationalTime(d)).toBe('2022-03-15 09:02:03');
    expect(stamp(d)).toBe('20220315090203045');
    expect(timeOf('2022-03-15', 'x')).toBe('2022-03-15 00:00:00');
    expect(() => timeOf('2022-02-30 10:00:00', 'input.data.begntime')).toThrow(
      /input\.data\.begntime/,
    );
  });

  it('classes uploaded lines by the national code or by the institution mapping', () => {
    const items: CatalogueItem[] = [
      {
        medListCodg: 'A1',
        name: '诊查费',
        listType: 'service',
        chrgitmLv: '01',
        selfpayProp: 0,
        pricUplmtAmt: 1000,
        medChrgitmType: '01',
        spec: null,
        dosform: null,
        prcunt: '次',
        begndate: '2022-01-01',
        enddate: null,
        twoDiseases: false,
      },
      {
        medListCodg: 'B1',
        name: '试纸',
        listType: 'consumable',
        chrgitmLv: '02',
        selfpayProp: 2000,
        pricUplmtAmt: 300,
        medChrgitmType: '08',
        spec: null,
        dosform: null,
        prcunt: '片',
        begndate: '2022-01-01',
        enddate: null,
        twoDiseases: false,
      },
    ];
    const versions = new Map(items.map((i) => [i.medListCodg, [i]]));
    const mappings = new Map<string, CatalogueMapping>([
      [
        'HC1',
        {
          fixmedinsCode: 'H1',
          medinsListCodg: 'HC1',
          medinsListName: '试纸',
          medListCodg: 'B1',
          listType: 'consumable',
          begndate: '2022-01-01',
          enddate: null,
        },
      ],
    ]);
    const base = { mdtrt_id: 'MD1', psn_no: CERTNO, fee_ocur_time: '2022-03-15 09:00:00' };
    const fees = [
      {
        ...base,
        feedetl_sn: '1',
        med_list_codg: 'A1',
        det_item_fee_sumamt: 12,
        cnt: 1,
        pric: '12',
      },
      {
        ...base,
        feedetl_sn: '2',
        medins_list_codg: 'HC1',
        det_item_fee_sumamt: '32.00',
        cnt: '10',
        pric: '3.2',
      },
    ].map((f, i) => readFee(new Fields(f, `input.feedetail[${i}]`)));
    const classed = classLines(fees, versions, mappings);
    // Each bill line names its national code (the two-diseases drug list is checked on it).
    expect(classed.map((c) => c.line.itemCode)).toEqual(['A1', 'B1']);
    expect(
      classed
        .map(feeResult)
        .map((r) => [r.chrgitm_lv, r.overlmt_amt, r.preselfpay_amt, r.inscp_scp_amt]),
    ).toEqual([
      ['01', 2, 0, 10],
      ['02', 2, 6, 24],
    ]);
    const unknown = readFee(
      new Fields(
        {
          ...base,
          feedetl_sn: '3',
          med_list_codg: 'Z9',
          det_item_fee_sumamt: 1,
          cnt: 1,
          pric: '1',
        },
        'input.feedetail[2]',
      ),
    );
    try {
      classLines([unknown], versions, mappings);
      expect.unreachable();
    } catch (e) {
      expect((e as GatewayFault).errMsg).toBe(
        'input.feedetail[2].med_list_codg：医保目录中没有编码 Z9',
      );
    }
  });

  it('reads prescribed days (prd_days): blank and 0 are none, a part day rounds up', () => {
    const fee = (prd_days: unknown) =>
      readFee(
        new Fields(
          {
            feedetl_sn: '1',
            mdtrt_id: 'MD1',
            psn_no: CERTNO,
            fee_ocur_time: '2022-03-15 09:00:00',
            med_list_codg: 'A1',
            det_item_fee_sumamt: 12,
            cnt: 1,
            pric: '12',
            prd_days,
          },
          'input.feedetail[0]',
        ),
      ).days;
    expect([fee(undefined), fee(null), fee(''), fee(0), fee('0'), fee('0.0')]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    expect([fee(30), fee('30'), fee(29.2), fee('0.5'), fee(' 60 ')]).toEqual([30, 30, 30, 1, 60]);
    for (const bad of [-1, 'abc', '  ', true, {}]) {
      expect(() => fee(bad)).toThrow(/input\.feedetail\[0\]\.prd_days/);
    }
  });
});
