/**
 * Pure translations between Triguard's settlement and the national message (docs/settlement.md §7):
 * `setlinfo` carries the amounts of §3 under the national names (maf_pay = assistance +
 * re-assistance, oth_pay = backstop), `setldetail` one row per fund that paid, with the fund codes
 * of the dictionary. A cancellation's answer is the same amounts negated (its mirror's).
 */
import { checkId } from '../kernel/idcard.ts';
import { fenToYuanNumber as yuan, type Fen } from '../kernel/money.ts';
import type { Accumulators, SettlementAmounts } from '../settlement/index.ts';
import { MED_TYPE, TIERS, type Category, type Tier, type VisitType } from '../policy/index.ts';
import type { Dictionary } from './dictionary.ts';
import type { Json } from './fields.ts';

/** A settlement (or its cancellation mirror) as the gateway answers it. */
export interface SettledView {
  settlementId: number;
  kind: 'settle' | 'cancel';
  /** Fen; a mirror's are negated. */
  amounts: SettlementAmounts;
  /** Per tier: the base it applied to (fen, positive), its smallest cap room, its sentence. */
  tiers: { tier: Tier; base: Fen; room: Fen | null; text: string }[];
  date: string;
  visitType: VisitType;
  createdAt: string;
}

export interface VisitFacts {
  mdtrtId: string;
  certno: string;
  psnName: string;
  msgid: string;
  /** The insured region (clr_optins). */
  admdvs: string;
}

const TIER_AMOUNT: Record<Tier, Exclude<keyof SettlementAmounts, 'hosp_part_amt'>> = {
  basic_insurance: 'hifp_pay',
  critical_illness: 'hifmi_pay',
  assistance: 'maf_pay',
  re_assistance: 'reassist_pay',
  backstop: 'backstop_pay',
};

/** Age in whole years on `date`. */
export function ageOn(birth: string, date: string): number {
  const years = Number(date.slice(0, 4)) - Number(birth.slice(0, 4));
  return date.slice(5) < birth.slice(5) ? years - 1 : years;
}

export function setlinfo(s: SettledView, v: VisitFacts, settledAt: string): Json {
  const a = s.amounts;
  const id = checkId(v.certno);
  const brdy = id.birthDate ?? '';
  return {
    setl_id: String(s.settlementId),
    mdtrt_id: v.mdtrtId,
    psn_no: v.certno,
    psn_name: v.psnName,
    psn_cert_type: '01',
    certno: v.certno,
    gend: id.gender === 'female' ? '2' : '1',
    naty: null,
    brdy,
    age: brdy ? ageOn(brdy, s.date) : null,
    insutype: '390',
    psn_type: '1501',
    cvlserv_flag: '0',
    setl_time: settledAt,
    mdtrt_cert_type: '02',
    med_type: MED_TYPE[s.visitType],
    medfee_sumamt: yuan(a.medfee_sumamt),
    fulamt_ownpay_amt: yuan(a.fulamt_ownpay_amt),
    overlmt_selfpay: yuan(a.overlmt_selfpay),
    preselfpay_amt: yuan(a.preselfpay_amt),
    inscp_scp_amt: yuan(a.inscp_scp_amt),
    act_pay_dedc: yuan(a.act_pay_dedc),
    hifp_pay: yuan(a.hifp_pay),
    cvlserv_pay: 0,
    hifes_pay: 0,
    hifmi_pay: yuan(a.hifmi_pay),
    hifob_pay: 0,
    maf_pay: yuan(a.maf_pay + a.reassist_pay),
    oth_pay: yuan(a.backstop_pay),
    fund_pay_sumamt: yuan(a.fund_pay_sumamt),
    psn_part_amt: yuan(a.psn_part_amt),
    acct_pay: 0,
    psn_cash_pay: yuan(a.psn_cash_pay),
    // The hospital's waiver (医院减免, docs/settlement.md §9): not a fund, so not in setldetail.
    hosp_part_amt: yuan(a.hosp_part_amt ?? 0),
    balc: 0,
    acct_mulaid_pay: 0,
    medins_setl_id: v.msgid,
    clr_optins: v.admdvs,
    clr_way: '1',
    clr_type: s.visitType === 'inpatient' ? '21' : '11',
  };
}

/** One row per fund that paid; a mirror's rows carry negated amounts. */
export function setldetail(s: SettledView, dict: Dictionary): Json[] {
  const sign = s.kind === 'cancel' ? -1 : 1;
  const rows: Json[] = [];
  for (const tier of TIERS) {
    const paid = s.amounts[TIER_AMOUNT[tier]];
    if (paid === 0) continue;
    const code = dict.fund.get(tier);
    if (!code) throw new Error(`gateway_dict has no fund_pay_type for ${tier}`);
    const t = s.tiers.find((x) => x.tier === tier);
    rows.push({
      fund_pay_type: code.code,
      inscp_scp_amt: yuan(sign * (t?.base ?? 0)) || 0,
      crt_payb_lmt_amt: t?.room == null ? null : yuan(sign * t.room) || 0,
      fund_payamt: yuan(paid),
      fund_pay_type_name: code.name,
      setl_proc_info: t?.text ?? null,
    });
  }
  return rows;
}

/**
 * The §7 invariants of an answer: medfee = fund + person + hospital, person = account + cash,
 * and the detail rows add up to the fund total. A broken one is a bug, never a valid answer.
 */
export function invariantProblem(info: Json, detail: readonly Json[]): string | null {
  const f = (k: string) => Math.round(Number(info[k]) * 100);
  if (f('medfee_sumamt') !== f('fund_pay_sumamt') + f('psn_part_amt') + f('hosp_part_amt')) {
    return 'medfee_sumamt ≠ fund_pay_sumamt + psn_part_amt + hosp_part_amt';
  }
  if (f('psn_part_amt') !== f('acct_pay') + f('psn_cash_pay')) {
    return 'psn_part_amt ≠ acct_pay + psn_cash_pay';
  }
  const funds = detail.reduce((s, d) => s + Math.round(Number(d.fund_payamt) * 100), 0);
  if (funds !== f('fund_pay_sumamt')) return 'Σ setldetail.fund_payamt ≠ fund_pay_sumamt';
  return null;
}

/** 1101 idetinfo: the flags the reader may see, with the dictionary's identity codes. */
export function idetinfo(
  flags: readonly { category: Category; fromMonth: string; toMonth: string | null }[],
  dict: Dictionary,
): Json[] {
  return flags.flatMap((f) => {
    const c = dict.idet.get(f.category);
    if (!c) return [];
    return [
      {
        psn_idet_type: c.code,
        psn_type_lv: null,
        memo: c.name,
        begntime: `${f.fromMonth}-01 00:00:00`,
        endtime: f.toMonth === null ? null : `${lastDay(f.toMonth)} 23:59:59`,
      },
    ];
  });
}

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(d).padStart(2, '0')}`;
}

/** 5206 cuminfo: one row per dictionary code, reading the year's accumulators. */
export function cuminfo(acc: Accumulators, dict: Dictionary): Json[] {
  const read = (value: string): Fen => {
    if (value === 'deductible') return Object.values(acc.deductibleUsed).reduce((s, x) => s + x, 0);
    if (value === 'oop_inscope') return acc.oopInscope;
    if (value === 'oop_total') return acc.oopTotal;
    const [tier, part] = value.split('.') as [Tier, 'base' | 'paid'];
    return acc.tiers[tier]?.[part] ?? 0;
  };
  return dict.cum.map((c) => ({
    insutype: '390',
    year: String(acc.year),
    cum_type_code: c.code,
    cum_type_name: c.name,
    cum: yuan(read(c.value)),
  }));
}
