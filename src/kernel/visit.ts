/**
 * What kind of visit a bill is, at which hospital level, and whether it was treated away from home:
 * the vocabulary of a bill that the policy packs, the settlement and the web app share.
 */
export const VISIT_TYPES = [
  'inpatient',
  'general_outpatient',
  'chronic_outpatient',
  'two_diseases',
] as const;
export type VisitType = (typeof VISIT_TYPES)[number];

/** National med_type codes where they exist (two_diseases has a local code). */
export const MED_TYPE: Record<VisitType, string> = {
  inpatient: '21',
  general_outpatient: '11',
  chronic_outpatient: '14',
  two_diseases: '9901',
};

export type HospitalLevel = 1 | 2 | 3;
/** null = local; `filed` 已备案 / `unfiled` 未备案 remote treatment. */
export type Remote = null | 'filed' | 'unfiled';
