/**
 * The one bill (一单式结算单) as data: what the HTML and the PDF both print. Pure: built from the
 * stored settlement, the person's name and the reader's permissions. The ID number is masked
 * except the last four digits; psychiatric diagnoses, sensitive categories and the tier sentences
 * that would disclose them are hidden from readers without `registry:sensitive:read`.
 */
import { formatYuanGrouped } from '../../kernel/money.ts';
import {
  isPsychiatricDiagnosis,
  isSensitiveCategory,
  mayReadSensitive,
  MASKED,
} from '../../kernel/access/masking.ts';
import { CATEGORY_LABELS, type Category } from '../../policy/index.ts';
import { HOSPITAL_LEVEL_LABELS, TIER_LABELS, VISIT_TYPE_LABELS } from '../labels.ts';
import type { SettlementRow } from '../persist/repository.ts';

export interface OneBillRow {
  label: string;
  amount: string;
  note: string;
}

export interface OneBill {
  title: string;
  reference: string;
  kindNote: string | null;
  header: [string, string][];
  fees: OneBillRow[];
  tiers: OneBillRow[];
  totals: OneBillRow[];
  footer: string;
}

/** The disease a chronic visit was certified for, or a two-diseases visit filed for. */
export interface OneBillDisease {
  /** The catalogue code (`M002`); empty for the two diseases, which have none. */
  code: string;
  name: string;
  /** S004: hidden, as the diagnosis is, from readers without `registry:sensitive:read`. */
  severeMental: boolean;
}

export interface OneBillReader {
  permissions: ReadonlySet<string>;
}

/** Only the last four digits of the ID number stay visible on a printed bill. */
export const lastFour = (certno: string) => `${'*'.repeat(14)}${certno.slice(-4)}`;

/** A stable reference printed on the bill: settlement id and a check from the msgid. */
export function referenceOf(row: Pick<SettlementRow, 'settlement_id' | 'year' | 'msgid'>): string {
  let h = 0;
  for (const ch of row.msgid) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `TG${row.year}-${String(row.settlement_id).padStart(8, '0')}-${(h % 10_000).toString().padStart(4, '0')}`;
}

const y = (fen: number) => `${formatYuanGrouped(fen)} 元`;

export function buildOneBill(
  row: SettlementRow,
  personName: string,
  reader: OneBillReader,
  disease: OneBillDisease | null = null,
): OneBill {
  const sensitiveOk = mayReadSensitive(reader);
  const sensitive =
    isPsychiatricDiagnosis(row.diagnosis) || row.categories.some((c) => isSensitiveCategory(c));
  const hide = sensitive && !sensitiveOk;
  const categories = row.categories
    .filter((c) => sensitiveOk || !isSensitiveCategory(c))
    .map((c) => CATEGORY_LABELS[c as Category]?.zh ?? c);

  const tiers: OneBillRow[] = row.explain.map((t) => ({
    label: TIER_LABELS[t.tier].zh,
    amount: y(t.amount),
    note: hide ? '说明含敏感信息，已隐藏' : t.text.zh,
  }));

  return {
    title: '医疗保障一单式结算单',
    reference: referenceOf(row),
    kindNote:
      row.kind === 'cancel'
        ? `本单为结算撤销（冲销），原结算号 ${row.original_id}；原因：${row.reason ?? ''}`
        : row.cancelled_by
          ? `本结算已撤销（撤销单号 ${row.cancelled_by}）`
          : null,
    header: [
      ['定点医药机构', row.fixmedins_code ?? '—'],
      ['参保人', personName],
      ['身份证号', lastFour(row.certno)],
      ['人员类别', categories.length ? categories.join('、') : '普通参保人员'],
      [
        '就诊类型',
        `${VISIT_TYPE_LABELS[row.visit_type].zh}（${HOSPITAL_LEVEL_LABELS[row.hospital_level].zh}）`,
      ],
      ['结算日期', row.bill_date],
      ['主诊断', hide && isPsychiatricDiagnosis(row.diagnosis) ? MASKED : row.diagnosis],
      ...(disease === null
        ? []
        : [
            [
              row.visit_type === 'two_diseases' ? '两病病种' : '慢特病病种（持证）',
              disease.severeMental && !sensitiveOk
                ? MASKED
                : [disease.code, disease.name].filter((x) => x !== '').join(' '),
            ] as [string, string],
          ]),
      ['异地就医', row.remote === null ? '本地' : row.remote === 'filed' ? '已备案' : '未备案'],
      ['政策包', row.pack],
    ],
    fees: [
      { label: '医疗费用总额', amount: y(row.medfee_sumamt), note: '本次就诊全部医疗费用' },
      { label: '全自费', amount: y(row.fulamt_ownpay_amt), note: '丙类（目录外）费用' },
      { label: '超限价自费', amount: y(row.overlmt_selfpay), note: '超过限价部分' },
      { label: '先行自付', amount: y(row.preselfpay_amt), note: '乙类先行自付部分' },
      { label: '政策范围内费用', amount: y(row.inscp_scp_amt), note: '各项基金只在此范围内支付' },
    ],
    tiers,
    totals: [
      {
        label: '基金支付合计',
        amount: y(row.fund_pay_sumamt),
        note: '基本医保＋大病保险＋医疗救助＋再救助＋财政兜底',
      },
      // The hospital's waiver under an agreement (docs/settlement.md §9), when one applied.
      ...(row.hosp_part_amt
        ? [
            {
              label: '医院减免',
              amount: y(row.hosp_part_amt),
              note: hide
                ? '按协议由医疗机构减免'
                : (row.post_tier ?? [])
                    .filter((l) => l.kind === 'hospital_waiver')
                    .map((l) => l.text.zh)
                    .join('；'),
            },
          ]
        : []),
      {
        label: '个人负担',
        amount: y(row.psn_part_amt),
        note: '其中现金支付 ' + y(row.psn_cash_pay),
      },
    ],
    footer: '一窗受理、一站服务、一单结算 · Triguard 三重保障平台',
  };
}
