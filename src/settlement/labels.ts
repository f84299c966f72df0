/** People-facing names (zh-CN / en) used in the explain sentences of the one bill. */
import type { HospitalLevel, Tier, VisitType } from '../policy/types.ts';

export interface Label {
  zh: string;
  en: string;
}

export const TIER_LABELS: Record<Tier, Label> = {
  basic_insurance: { zh: '基本医保', en: 'Basic insurance' },
  critical_illness: { zh: '大病保险', en: 'Critical illness insurance' },
  assistance: { zh: '医疗救助', en: 'Medical assistance' },
  re_assistance: { zh: '再救助', en: 'Re-assistance' },
  backstop: { zh: '财政兜底', en: 'Fiscal backstop' },
};

export const VISIT_TYPE_LABELS: Record<VisitType, Label> = {
  inpatient: { zh: '住院', en: 'inpatient' },
  general_outpatient: { zh: '普通门诊', en: 'general outpatient' },
  chronic_outpatient: { zh: '门诊慢特病', en: 'chronic outpatient' },
  two_diseases: { zh: '门诊两病', en: 'two-diseases outpatient' },
};

export const HOSPITAL_LEVEL_LABELS: Record<HospitalLevel, Label> = {
  1: { zh: '一级医院', en: 'level 1 hospital' },
  2: { zh: '二级医院', en: 'level 2 hospital' },
  3: { zh: '三级医院', en: 'level 3 hospital' },
};
