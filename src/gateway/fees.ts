/**
 * Fee details (2204 门诊 / 2301 住院) as uploaded, classed by the catalogue: each line gets its
 * class, self-pay-first ratio, over-limit and in-scope amounts (the answer's `result`), and the
 * bill line the settlement will use. Reading is pure; the catalogue look-up is passed in.
 */
import { classFee, type BillLine } from '../settlement/index.ts';
import {
  validOn,
  type CatalogueItem,
  type CatalogueMapping,
  parseQuantity,
} from '../catalogue/index.ts';
import type { Fen } from '../kernel/money.ts';
import { fenToYuanNumber as yuan } from '../kernel/money.ts';
import { fault } from './fault.ts';
import { rethrow, type Fields, type Json } from './fields.ts';

/** A fee line as read, before the catalogue is consulted. */
export interface FeeInput {
  path: string;
  feedetlSn: string;
  mdtrtId: string;
  certno: string;
  chrgBchno: string | null;
  feeOcurTime: string;
  medListCodg: string | null;
  medinsListCodg: string | null;
  amount: Fen;
  cnt: number;
  cntText: string;
  pric: string;
  /** 周期天数 prd_days: the days the prescription covers; null when not said. */
  days: number | null;
}

export function readFee(f: Fields): FeeInput {
  const cntRaw = f.o.cnt;
  const cnt = rethrow(() => parseQuantity(cntRaw, f.at('cnt')));
  const pric = f.text('pric', 30);
  if (!/^\d{1,10}(\.\d{1,6})?$/.test(pric))
    throw fault(f.at('pric'), `${f.at('pric')} 不是有效单价：${pric}`);
  const medList = f.opt('med_list_codg', 50);
  const medins = f.opt('medins_list_codg', 50);
  if (medList === null && medins === null) {
    throw fault(f.at('med_list_codg'), `${f.at('med_list_codg')} 与 medins_list_codg 不能同时为空`);
  }
  return {
    path: f.path,
    feedetlSn: f.text('feedetl_sn', 30),
    mdtrtId: f.text('mdtrt_id', 30),
    certno: f.certno('psn_no'),
    chrgBchno: f.opt('chrg_bchno', 30),
    feeOcurTime: f.time('fee_ocur_time'),
    medListCodg: medList,
    medinsListCodg: medins,
    amount: f.yuan('det_item_fee_sumamt'),
    cnt,
    cntText: String(cntRaw).trim(),
    pric,
    days: f.days('prd_days'),
  };
}

/** A classed fee line: what is stored and answered. */
export interface ClassedLine {
  fee: FeeInput;
  item: CatalogueItem;
  line: BillLine;
  fulamtOwnpay: Fen;
  overlmt: Fen;
  preselfpay: Fen;
  inscp: Fen;
}

/**
 * Classes each line: the national code is the line's own `med_list_codg`, or the institution's
 * mapping of its `medins_list_codg` (目录对照); the catalogue version valid on the fee's date
 * gives the class, ratio and ceiling. An unknown or expired code refuses the whole upload.
 */
export function classLines(
  fees: readonly FeeInput[],
  versions: ReadonlyMap<string, readonly CatalogueItem[]>,
  mappings: ReadonlyMap<string, CatalogueMapping>,
): ClassedLine[] {
  return fees.map((fee) => {
    let code = fee.medListCodg;
    if (code === null) {
      const m = mappings.get(fee.medinsListCodg!);
      if (!m) {
        throw fault(
          `${fee.path}.medins_list_codg`,
          `医药机构目录编码 ${fee.medinsListCodg} 未做目录对照（3301）`,
        );
      }
      code = m.medListCodg;
    }
    const all = versions.get(code);
    if (!all || all.length === 0) {
      throw fault(`${fee.path}.med_list_codg`, `医保目录中没有编码 ${code}`);
    }
    const date = fee.feeOcurTime.slice(0, 10);
    const item = all.find((v) => validOn(v, date));
    if (!item) {
      throw fault(`${fee.path}.med_list_codg`, `医保目录编码 ${code} 在 ${date} 不在有效期内`);
    }
    const { line, split } = classFee(item, fee.amount, fee.cnt);
    // The bill line names its item and the days prescribed: the two-diseases checks read both
    // (docs/chronic.md §3, §5).
    line.itemCode = item.medListCodg;
    if (fee.days !== null) line.days = fee.days;
    return {
      fee,
      item,
      line,
      fulamtOwnpay: split.ownPay,
      overlmt: split.overLimit,
      preselfpay: split.preSelfPay,
      inscp: split.inScope,
    };
  });
}

/** The per-line answer of 2204/2301 (`output.result[]`). */
export function feeResult(c: ClassedLine): Json {
  return {
    feedetl_sn: c.fee.feedetlSn,
    det_item_fee_sumamt: yuan(c.fee.amount),
    cnt: Number(c.fee.cntText),
    pric: Number(c.fee.pric),
    pric_uplmt_amt: c.item.pricUplmtAmt === null ? null : yuan(c.item.pricUplmtAmt),
    selfpay_prop: c.item.selfpayProp / 10_000,
    fulamt_ownpay_amt: yuan(c.fulamtOwnpay),
    overlmt_amt: yuan(c.overlmt),
    preselfpay_amt: yuan(c.preselfpay),
    inscp_scp_amt: yuan(c.inscp),
    chrgitm_lv: c.item.chrgitmLv,
    med_chrgitm_type: c.item.medChrgitmType,
    med_list_codg: c.item.medListCodg,
    bas_medn_flag: '0',
    hi_nego_drug_flag: '0',
    chld_medc_flag: '0',
    list_sp_item_flag: '0',
    lmt_used_flag: '0',
    drt_reim_flag: '0',
    memo: null,
  };
}
