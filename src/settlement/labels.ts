/** People-facing names (zh-CN / en) used in the explain sentences of the one bill. */
import type { Label, HospitalLevel, VisitType } from '../policy/index.ts';

// One name per concept: the tier names and the Label shape are the policy module's.
export { TIER_LABELS } from '../policy/index.ts';
export type { Label } from '../policy/index.ts';

/** Visit types as they read inside a sentence (住院起付线…), shorter than the table labels. */
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
