/** People-facing names (zh-CN / en) of what `policy show` and the pack tests print. */
import type { HospitalLevel, Tier, VisitType } from './types.ts';
import type { Label } from './model.ts';

export const VISIT_TYPE_LABELS: Record<VisitType, Label> = {
  inpatient: { zh: '普通住院', en: 'Inpatient' },
  general_outpatient: { zh: '普通门诊', en: 'General outpatient' },
  chronic_outpatient: { zh: '门诊慢特病', en: 'Chronic outpatient' },
  two_diseases: { zh: '门诊两病', en: 'Two-diseases outpatient' },
};

export const TIER_LABELS: Record<Tier, Label> = {
  basic_insurance: { zh: '基本医保', en: 'Basic insurance' },
  critical_illness: { zh: '大病保险', en: 'Critical illness insurance' },
  assistance: { zh: '医疗救助', en: 'Medical assistance' },
  re_assistance: { zh: '再救助', en: 'Re-assistance' },
  backstop: { zh: '财政兜底', en: 'Fiscal backstop' },
};

export const LEVEL_LABELS: Record<HospitalLevel, Label> = {
  1: { zh: '一级', en: 'L1' },
  2: { zh: '二级', en: 'L2' },
  3: { zh: '三级', en: 'L3' },
};

/** The last part of a fact key (`basic.deductible` → `deductible`). */
export const FACT_LABELS: Record<string, Label> = {
  severe_mental_diagnosis: { zh: '严重精神障碍诊断', en: 'Severe mental diagnosis' },
  deductible: { zh: '起付线', en: 'Deductible' },
  deductible_scope: { zh: '起付线计算方式', en: 'Deductible scope' },
  deductible_key: { zh: '起付线累计键', en: 'Deductible accumulator' },
  ratio: { zh: '支付比例', en: 'Ratio' },
  caps: { zh: '封顶组', en: 'Cap groups' },
  disease: { zh: '慢特病病种', en: 'Chronic or special disease' },
  counts: { zh: '计入累计', en: 'Counts toward the tier' },
  entitled: { zh: '有资格', en: 'Entitled' },
  brackets: { zh: '分段比例', en: 'Brackets' },
  cap: { zh: '年度限额', en: 'Annual cap' },
  cap_group: { zh: '限额累计键', en: 'Cap accumulator' },
  programme: { zh: '救助项目', en: 'Programme' },
  per_capita_income: { zh: '上年人均可支配收入', en: 'Per-capita disposable income' },
  inscope_categories: { zh: '按政策范围内负担监测的类别', en: 'Watched on in-scope burden' },
  inscope_share: { zh: '政策范围内负担预警比例', en: 'In-scope burden warning share' },
  total_share: { zh: '个人负担总额预警比例', en: 'Total burden warning share' },
  refund_cutoff: { zh: '退费认定截止日', en: 'Refund cut-off' },
  checked_from: { zh: '自此日起核验持证、备案', en: 'Certificates and filings checked from' },
  refill_tolerance_days: {
    zh: '两病处方余量容差（天）',
    en: 'Two-diseases refill tolerance (days)',
  },
  budget: { zh: '年度预算', en: 'Annual budget' },
};
