/**
 * Reconciliation (数据比对) as the rest of the code sees it: department lists and their kinds,
 * the kinds of finding the Wenshang bureau met (seed 004, part 一, problems 1–7) plus the two list
 * differences, the actions the seed prescribes for each, and the problem ledger's states.
 */
import type { Message } from '../kernel/errors.ts';
import type { Category } from '../policy/index.ts';

/** What a department list says about the people on it. */
export const LIST_KINDS = [
  /** 精准扶贫对象 / 返贫致贫人口 (rural revitalisation): should hold poverty_returned. */
  'poverty_targets',
  /** 低保对象 (civil affairs): should hold subsistence. */
  'subsistence',
  /** 特困人员 (civil affairs): should hold extreme_poverty. */
  'extreme_poverty',
  /** 死亡名单 (funeral homes, police, poverty office): dead on `eventDate`. */
  'deaths',
  /** 脱贫不享受待遇 / 低保特困取消 (exit or cancellation of `category` at `eventDate`). */
  'exits',
  /** 失联人员 (poverty office, police): missing since `eventDate`, family still looking. */
  'missing',
  /** 户籍变动 (police): married out, moved out, registration cancelled (`changeType`). */
  'household_changes',
  /** 县外参保 (city platform): insured in another county (`otherRegion`). */
  'insured_elsewhere',
  /** 职工医保参保 (employee insurance system): insured as an employee. */
  'employee_insured',
  /** 残疾人 (disabled persons' federation): identity checked only (no flag of its own). */
  'disabled_persons',
] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export const LIST_KIND_LABELS: Record<ListKind, Message> = {
  poverty_targets: { zh: '精准扶贫对象', en: 'poverty-alleviation targets' },
  subsistence: { zh: '低保对象', en: 'subsistence allowance' },
  extreme_poverty: { zh: '特困人员', en: 'extreme hardship' },
  deaths: { zh: '死亡人员', en: 'deaths' },
  exits: { zh: '脱贫及取消待遇人员', en: 'exits and cancellations' },
  missing: { zh: '失联人员', en: 'missing persons' },
  household_changes: { zh: '户籍变动人员', en: 'household registration changes' },
  insured_elsewhere: { zh: '县外参保人员', en: 'insured in another county' },
  employee_insured: { zh: '职工医保参保人员', en: 'insured as employees' },
  disabled_persons: { zh: '残疾人', en: 'disabled persons' },
};

/** Target lists and the flag their people should hold. */
export const TARGET_CATEGORY: Partial<Record<ListKind, Category>> = {
  poverty_targets: 'poverty_returned',
  subsistence: 'subsistence',
  extreme_poverty: 'extreme_poverty',
};

export const isTargetKind = (k: ListKind): boolean => TARGET_CATEGORY[k] !== undefined;

/** Departments (flag `source` codes where one exists). */
export const DEPARTMENTS: Record<string, Message> = {
  rural_revitalisation: { zh: '乡村振兴局（扶贫办）', en: 'rural revitalisation (poverty office)' },
  civil_affairs: { zh: '民政局', en: 'civil affairs' },
  police: { zh: '公安局', en: 'police' },
  funeral_home: { zh: '殡仪馆', en: 'funeral home' },
  disabled_federation: { zh: '残联', en: "disabled persons' federation" },
  medical_insurance: { zh: '医保（市级平台）', en: 'medical insurance (city platform)' },
  employee_insurance: { zh: '职工医保', en: 'employee insurance' },
};

/**
 * The kinds of finding. Numbered as in the seed: 1 missing, 2 ended (death, exit, cancellation),
 * 3 insured in another county, 4 insured as an employee, 5 personal contribution paid, 6 identity
 * differs, 7 neither payment nor exemption; then the two plain list differences.
 */
export const FINDING_KINDS = [
  'missing',
  'ended',
  'other_county',
  'employee',
  'contribution_paid',
  'identity_mismatch',
  'no_contribution',
  'not_flagged',
  'flagged_absent',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FINDING_LABELS: Record<FindingKind, Message> = {
  missing: { zh: '失联人员', en: 'missing person' },
  ended: { zh: '死亡、脱贫或取消待遇', en: 'deceased, exited or cancelled' },
  other_county: { zh: '县外参保', en: 'insured in another county' },
  employee: { zh: '参加职工医保', en: 'insured as an employee' },
  contribution_paid: { zh: '个人已缴费', en: 'personal contribution paid' },
  identity_mismatch: { zh: '身份信息不一致', en: 'identity information differs' },
  no_contribution: { zh: '既无缴费也无免缴费', en: 'neither payment nor exemption' },
  not_flagged: { zh: '名单内未标识', en: 'in the list but not flagged' },
  flagged_absent: { zh: '已标识但不在名单', en: 'flagged but absent from the list' },
};

/** The action the seed prescribes for each kind (shown in the ledger and the feedback). */
export const FINDING_ACTIONS: Record<FindingKind, Message> = {
  missing: {
    zh: '家属不放弃寻找的，保留医保扶贫待遇，登记为失联',
    en: 'keep benefits while the family keeps looking; mark missing',
  },
  ended: {
    zh: '标识中断于死亡（脱贫、取消）月份；死亡的同时中断参保；脱贫及取消的当年免缴费认定保留',
    en: 'end the flags at the month (death also ends the enrolment); exits keep the year’s fee exemption',
  },
  other_county: {
    zh: '与本人或家属沟通：回本县参保的协调参保地退费后做免缴费认定和标识；自愿放弃的签署承诺书',
    en: 'coordinate the transfer (refund there, exemption and flag here) or record a signed waiver',
  },
  employee: {
    zh: '纳入职工医保人员台账，定期核对；职工医保中断后及时参加居民医保',
    en: 'keep on the employee ledger; enrol in resident insurance once employee insurance stops',
  },
  contribution_paid: {
    zh: '按退费规则退还个人缴费并做免缴费认定',
    en: 'refund the contribution by the refund rule and record the fee exemption',
  },
  identity_mismatch: {
    zh: '经乡镇核实后，将医保系统内正确的身份信息反馈扶贫数据专班',
    en: 'after the township confirms, send the registry’s correct data back to the poverty data team',
  },
  no_contribution: {
    zh: '核对原因（死亡、婚出等）并登记；确属死亡、婚出的不再标识',
    en: 'find out why (died, married out…) and record the reason',
  },
  not_flagged: {
    zh: '补做身份标识和免缴费认定，未参保的走绿色通道参保',
    en: 'add the flag and the fee exemption; enrol through the green channel when not enrolled',
  },
  flagged_absent: {
    zh: '复核：确已退出的中断标识，仍符合条件的反馈部门',
    en: 'review: end the flag when the person left, else report back to the department',
  },
};

/** Kinds whose action changes the registry when applied (the rest are worked in the ledger). */
export const APPLIED_KINDS: readonly FindingKind[] = [
  'missing',
  'ended',
  'contribution_paid',
  'not_flagged',
];

export const PROBLEM_STATES = ['open', 'rectified', 'verified', 'closed'] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];

export const PROBLEM_STATE_LABELS: Record<ProblemState, Message> = {
  open: { zh: '待整改', en: 'open' },
  rectified: { zh: '已整改', en: 'rectified' },
  verified: { zh: '已核验', en: 'verified' },
  closed: { zh: '已销号', en: 'closed' },
};

/**
 * How a township rectified an item. `fixed` means the data was corrected, so the next pass must
 * no longer find it (回头看: if it does, the item reopens). The others accept a finding that stays
 * true: a signed waiver, the employee ledger, data sent back, a reason recorded, a flag kept.
 */
export const RESOLUTIONS = [
  'fixed',
  'waiver',
  'employee_ledger',
  'fed_back',
  'reason_recorded',
  'keep_flag',
  'keep_benefits',
] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const RESOLUTION_LABELS: Record<Resolution, Message> = {
  fixed: { zh: '已更正', en: 'corrected' },
  waiver: { zh: '签署自愿放弃承诺书', en: 'signed waiver' },
  employee_ledger: { zh: '纳入职工医保台账', en: 'on the employee ledger' },
  fed_back: { zh: '已反馈正确信息', en: 'correct data sent back' },
  reason_recorded: { zh: '已核明原因', en: 'reason recorded' },
  keep_flag: { zh: '核实仍符合条件，保留标识', en: 'still eligible, flag kept' },
  keep_benefits: { zh: '保留待遇', en: 'benefits kept' },
};

/** What changed for one finding key between the previous pass and this one. */
export type PassChange = 'new' | 'still_open' | 'accepted' | 'fixed';

export const PASS_CHANGE_LABELS: Record<PassChange, Message> = {
  new: { zh: '新发现', en: 'new' },
  still_open: { zh: '仍存在', en: 'still open' },
  accepted: { zh: '已认可（情况属实）', en: 'accepted' },
  fixed: { zh: '已整改', en: 'fixed' },
};
