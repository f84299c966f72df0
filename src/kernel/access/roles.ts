/**
 * Roles and permissions: the one table that says which role may do what. Permission codes are
 * `module:entity:action`; a route declares the one it needs (`config: { permission }`) and the
 * auth plugin refuses everyone whose roles do not grant it. A module that adds routes adds its
 * codes to PERMISSIONS and grants them below; the route × role test reads this table.
 */
import type { Message } from '../errors.ts';

export const PERMISSIONS = {
  // Every signed-in account, about itself.
  'auth:session:read': { zh: '查看本人账号', en: 'read own account' },
  'auth:session:delete': { zh: '退出登录', en: 'sign out' },
  'auth:password:update': { zh: '修改本人密码', en: 'change own password' },
  // Account administration.
  'auth:user:read': { zh: '查看账号', en: 'read accounts' },
  'auth:user:create': { zh: '创建账号', en: 'create accounts' },
  'auth:user:update': { zh: '停用账号、签发令牌', en: 'disable accounts, issue tokens' },
  'auth:user:reset': { zh: '重置密码', en: 'reset passwords' },
  'audit:entry:read': { zh: '查看审计日志', en: 'read the audit log' },
  // Registry (参保人, 家庭户, 身份标识).
  'registry:person:read': { zh: '查看参保人', en: 'read people' },
  'registry:record:read': {
    zh: '查看登记变更历史及台账',
    en: 'read the registry’s change history and ledgers',
  },
  'registry:person:create': { zh: '新增参保人', en: 'register people' },
  'registry:person:update': { zh: '修改参保人', en: 'change people' },
  'registry:person:export': { zh: '导出参保人', en: 'export people' },
  'registry:person:import': { zh: '导入参保人', en: 'import people' },
  'registry:household:read': { zh: '查看家庭户', en: 'read households' },
  'registry:flag:read': { zh: '查看身份标识', en: 'read identity flags' },
  'registry:flag:create': { zh: '新增身份标识', en: 'add identity flags' },
  'registry:flag:update': { zh: '中断或更正身份标识', en: 'end or correct identity flags' },
  'registry:conflict:resolve': {
    zh: '处理跨辖区登记冲突',
    en: 'resolve registrations refused outside a scope',
  },
  'registry:certno:read': { zh: '查看完整身份证号', en: 'see whole ID numbers' },
  'registry:sensitive:read': {
    zh: '查看精神障碍诊断及标识',
    en: 'see psychiatric diagnoses and severe-mental flags',
  },
  // Policy packs.
  'policy:pack:read': { zh: '查看政策包', en: 'read policy packs' },
  'policy:trial:run': { zh: '政策试算', en: 'run policy trials' },
  // Settlement (一站式结算).
  'settlement:bill:read': { zh: '查看结算单', en: 'read bills' },
  'settlement:bill:settle': { zh: '预结算、结算', en: 'pre-settle and settle bills' },
  'settlement:accumulator:read': { zh: '查看年度累计', en: 'read year-to-date accumulators' },
  'settlement:bill:cancel': { zh: '撤销结算', en: 'cancel settlements' },
  // Catalogue (医保目录) and the national gateway.
  'catalogue:item:read': { zh: '查看医保目录及对照', en: 'read the catalogue and mappings' },
  'catalogue:item:import': { zh: '导入医保目录及对照', en: 'import the catalogue and mappings' },
  'gateway:message:call': { zh: '通过国家接口结算', en: 'call the national gateway' },
  // List reconciliation (名单比对) and the problem ledger (问题台账).
  'reconcile:campaign:read': { zh: '查看比对批次及结果', en: 'read reconciliation campaigns' },
  'reconcile:campaign:run': { zh: '导入名单、执行比对', en: 'import lists and run passes' },
  'reconcile:action:apply': { zh: '执行比对处理', en: 'apply reconciliation actions' },
  'reconcile:problem:read': { zh: '查看问题台账', en: 'read the problem ledger' },
  'reconcile:problem:update': { zh: '整改问题', en: 'rectify problems' },
  'reconcile:problem:verify': { zh: '核验销号', en: 'verify and close problems' },
  // Early warning (因病返贫致贫监测).
  'monitor:warning:read': { zh: '查看预警', en: 'read warnings' },
  'monitor:run:create': { zh: '执行月度监测', en: 'run the monthly monitoring' },
  'monitor:warning:push': { zh: '推送预警', en: 'push warnings' },
  'monitor:warning:decide': { zh: '认定或排除预警', en: 'confirm or dismiss warnings' },
  // Assistance programmes (救助项目).
  'assistance:programme:read': { zh: '查看救助项目', en: 'read assistance programmes' },
  'assistance:programme:update': { zh: '管理救助项目及救助卡', en: 'manage programmes and cards' },
  'assistance:batch:run': { zh: '批量救助', en: 'run batch assistance' },
  // Outpatient chronic and special diseases (门诊慢特病) and the two diseases (两病).
  'chronic:application:read': { zh: '查看慢特病申请', en: 'read chronic-disease applications' },
  'chronic:application:create': {
    zh: '受理慢特病申请、上传材料',
    en: 'accept chronic-disease applications and their documents',
  },
  'chronic:application:review': { zh: '慢特病专家评审', en: 'review chronic-disease applications' },
  'chronic:certificate:read': { zh: '查看慢特病证及两病备案', en: 'read certificates and filings' },
  'chronic:certificate:update': {
    zh: '慢特病证终止、撤销，导入存量证件及备案',
    en: 'end or revoke certificates, import existing certificates and filings',
  },
  'chronic:filing:create': { zh: '两病备案', en: 'file two-diseases patients' },
  'chronic:screening:read': { zh: '查看摸底排查名单', en: 'read screening lists' },
  'chronic:screening:run': { zh: '执行摸底排查', en: 'run screenings' },
  'chronic:screening:update': {
    zh: '登记走访及未申请原因',
    en: 'record visits and reasons for not applying',
  },
  // Provider payment: statements, advances, clearing (docs/payment.md §9).
  'payment:statement:read': { zh: '查看医保支付结算清单', en: 'read payment statements' },
  'payment:statement:close': {
    zh: '月度结账、发放预付款',
    en: 'close statement months and issue advances',
  },
  'payment:clearing:create': { zh: '起草年终清算', en: 'draft year-end clearings' },
  'payment:clearing:approve': {
    zh: '审批、重新打开年终清算',
    en: 'approve and reopen year-end clearings',
  },
  // Care that follows people home (家庭医生签约、动态管理、送医送药上门).
  'care:contract:read': { zh: '查看家庭医生签约', en: 'read family-doctor contracts' },
  'care:contract:update': { zh: '家庭医生签约、解约', en: 'sign and end family-doctor contracts' },
  'care:followup:read': {
    zh: '查看随访记录及月度名单',
    en: 'read follow-up records and monthly lists',
  },
  'care:followup:create': { zh: '填写动态管理记录单', en: 'record monthly follow-ups' },
  'care:spotcheck:read': { zh: '查看上门随访及整改', en: 'read spot checks and corrections' },
  'care:spotcheck:create': {
    zh: '上门随访、督促整改及销号',
    en: 'record spot checks, ask for and close corrections',
  },
  'care:assessment:read': { zh: '查看家庭医生年度考核', en: 'read the year-end assessment' },
  'care:month:open': { zh: '开启月度随访名单', en: 'open a month’s due lists' },
  'care:delivery:read': { zh: '查看送医送药上门', en: 'read home deliveries' },
  'care:delivery:create': {
    zh: '确认送药对象、登记送药上门',
    en: 'confirm delivery eligibility, record deliveries',
  },
  // Severe-mental care teams (关爱帮扶小组): every record discloses a psychiatric condition.
  'care:team:read': { zh: '查看关爱帮扶小组及成员联系方式', en: 'read care teams and contacts' },
  'care:team:update': { zh: '建立、调整关爱帮扶小组', en: 'form and change care teams' },
  'care:visit:read': { zh: '查看随访记录及逾期名单', en: 'read care visits and overdue lists' },
  'care:visit:create': { zh: '登记随访', en: 'record care visits' },
  'care:report:read': { zh: '查看病情不稳定报告', en: 'read unstable-patient reports' },
  'care:report:create': {
    zh: '报告病情不稳定患者并转诊',
    en: 'report and refer unstable patients',
  },
  'care:report:update': { zh: '登记转诊结果', en: 'record referral outcomes' },
  'care:report:acknowledge': { zh: '登记通知签收', en: 'record that a notification was received' },
  'care:summary:read': {
    zh: '查看各乡镇报告数（领导小组）',
    en: 'read report counts by township (leading group)',
  },
  // Reports and the home dashboard.
  'report:dashboard:read': { zh: '查看统计', en: 'read dashboards and reports' },
  // Policy replay (docs/replay.md §6): a draft over the county's settled bills.
  'replay:run:read': { zh: '查看政策模拟', en: 'read policy replays' },
  'replay:run:create': {
    zh: '运行、取消、删除政策模拟',
    en: 'run, cancel and delete policy replays',
  },
} as const satisfies Record<string, Message>;

export type Permission = keyof typeof PERMISSIONS;

export const ROLES = [
  'bureau_admin',
  'bureau_staff',
  'township_office',
  'designated_institution',
  'civil_affairs',
  'family_doctor',
  'expert_reviewer',
  'auditor',
  'police',
  'village_head',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, Message> = {
  bureau_admin: { zh: '医保局管理员', en: 'bureau administrator' },
  bureau_staff: { zh: '经办人员', en: 'bureau staff' },
  township_office: { zh: '乡镇医保所', en: 'township office' },
  designated_institution: { zh: '定点医疗机构', en: 'designated institution' },
  civil_affairs: { zh: '民政、乡村振兴', en: 'civil affairs / rural revitalisation' },
  family_doctor: { zh: '家庭医生', en: 'family doctor' },
  expert_reviewer: { zh: '专家', en: 'expert reviewer' },
  auditor: { zh: '审计员（只读）', en: 'auditor (read-only)' },
  police: { zh: '派出所', en: 'police station' },
  village_head: { zh: '村委会（关爱帮扶小组组长）', en: 'village committee head (care team lead)' },
};

const SELF: readonly Permission[] = [
  'auth:session:read',
  'auth:session:delete',
  'auth:password:update',
];

/**
 * Which role has which permission. Sensitive reads (whole ID numbers, psychiatric data) are
 * granted only where the work needs them: bureau staff administer the severe-mental assistance,
 * family doctors keep the monthly follow-up records, experts review certificate applications.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  bureau_admin: Object.keys(PERMISSIONS) as Permission[],
  bureau_staff: [
    ...SELF,
    'registry:person:read',
    'registry:record:read',
    'registry:person:create',
    'registry:person:update',
    'registry:person:export',
    'registry:person:import',
    'registry:household:read',
    'registry:flag:read',
    'registry:flag:create',
    'registry:flag:update',
    'registry:conflict:resolve',
    'registry:certno:read',
    'registry:sensitive:read',
    'policy:pack:read',
    'policy:trial:run',
    'settlement:bill:read',
    'settlement:bill:settle',
    'settlement:bill:cancel',
    'settlement:accumulator:read',
    'catalogue:item:read',
    'catalogue:item:import',
    'reconcile:campaign:read',
    'reconcile:campaign:run',
    'reconcile:action:apply',
    'reconcile:problem:read',
    'reconcile:problem:update',
    'reconcile:problem:verify',
    'monitor:warning:read',
    'monitor:run:create',
    'monitor:warning:push',
    'assistance:programme:read',
    'assistance:programme:update',
    'assistance:batch:run',
    'chronic:application:read',
    'chronic:application:create',
    'chronic:application:review',
    'chronic:certificate:read',
    'chronic:certificate:update',
    'chronic:filing:create',
    'chronic:screening:read',
    'chronic:screening:run',
    'chronic:screening:update',
    'payment:statement:read',
    'payment:statement:close',
    'payment:clearing:create',
    'care:contract:read',
    'care:contract:update',
    'care:followup:read',
    'care:followup:create',
    'care:spotcheck:read',
    'care:spotcheck:create',
    'care:assessment:read',
    'care:month:open',
    'care:delivery:read',
    'care:delivery:create',
    'care:team:read',
    'care:team:update',
    'care:visit:read',
    'care:visit:create',
    'care:report:read',
    'care:report:create',
    'care:report:update',
    'care:report:acknowledge',
    'care:summary:read',
    'report:dashboard:read',
    'replay:run:read',
    'replay:run:create',
  ],
  township_office: [
    ...SELF,
    'registry:person:read',
    'registry:record:read',
    'registry:person:create',
    'registry:person:update',
    'registry:person:export',
    'registry:household:read',
    'registry:flag:read',
    'registry:certno:read',
    'policy:pack:read',
    'settlement:bill:read',
    'settlement:accumulator:read',
    'reconcile:campaign:read',
    'reconcile:problem:read',
    'reconcile:problem:update',
    'monitor:warning:read',
    'assistance:programme:read',
    'chronic:application:read',
    'chronic:application:create',
    'chronic:certificate:read',
    'chronic:screening:read',
    'chronic:screening:update',
    'care:contract:read',
    'care:followup:read',
    'care:spotcheck:read',
    'care:delivery:read',
    'care:team:read',
    'care:team:update',
    'care:visit:read',
    'care:visit:create',
    'care:report:read',
    'care:report:create',
    'care:report:update',
    'care:report:acknowledge',
    'care:summary:read',
    'report:dashboard:read',
  ],
  // Hospitals key in the ID number themselves; their lists show it masked.
  designated_institution: [
    ...SELF,
    'registry:person:read',
    'registry:flag:read',
    'policy:pack:read',
    'policy:trial:run',
    'settlement:bill:read',
    'settlement:bill:settle',
    'settlement:bill:cancel',
    'settlement:accumulator:read',
    'catalogue:item:read',
    'gateway:message:call',
    // A hospital applies for its patients: it reads the catalogue and its patients' applications.
    'chronic:application:read',
    'chronic:application:create',
    'chronic:certificate:read',
    'chronic:filing:create',
    // Its own statements, ledger and clearing rows only (docs/payment.md §9).
    'payment:statement:read',
  ],
  // The civil-affairs push: the department maintains the flags it is the source of.
  civil_affairs: [
    ...SELF,
    'registry:person:read',
    'registry:record:read',
    'registry:household:read',
    'registry:flag:read',
    'registry:flag:create',
    'registry:flag:update',
    'registry:certno:read',
    'reconcile:problem:read',
    'monitor:warning:read',
    'monitor:warning:decide',
    'care:summary:read',
    'report:dashboard:read',
  ],
  family_doctor: [
    ...SELF,
    'registry:person:read',
    'registry:record:read',
    'registry:household:read',
    'registry:flag:read',
    'registry:sensitive:read',
    'chronic:application:read',
    'chronic:application:create',
    'chronic:certificate:read',
    'chronic:filing:create',
    'chronic:screening:read',
    'chronic:screening:update',
    'care:contract:read',
    'care:contract:update',
    'care:followup:read',
    'care:followup:create',
    'care:spotcheck:read',
    'care:delivery:read',
    'care:delivery:create',
    'care:team:read',
    'care:visit:read',
    'care:visit:create',
    'care:report:read',
    'care:report:create',
    'care:report:acknowledge',
  ],
  expert_reviewer: [
    ...SELF,
    'registry:person:read',
    'registry:record:read',
    'registry:flag:read',
    'registry:sensitive:read',
    'policy:pack:read',
    'chronic:application:read',
    'chronic:application:review',
    'chronic:certificate:read',
  ],
  // Read-only: every read except the sensitive ones; no exports, no writes.
  auditor: [
    ...SELF,
    'audit:entry:read',
    'auth:user:read',
    'registry:person:read',
    'registry:record:read',
    'registry:household:read',
    'registry:flag:read',
    'policy:pack:read',
    'settlement:bill:read',
    'settlement:accumulator:read',
    'catalogue:item:read',
    'reconcile:campaign:read',
    'reconcile:problem:read',
    'monitor:warning:read',
    'assistance:programme:read',
    'chronic:application:read',
    'chronic:certificate:read',
    'chronic:screening:read',
    'payment:statement:read',
    'care:contract:read',
    'care:followup:read',
    'care:spotcheck:read',
    'care:assessment:read',
    'care:delivery:read',
    'care:team:read',
    'care:visit:read',
    'care:report:read',
    'care:summary:read',
    'report:dashboard:read',
    'replay:run:read',
  ],
  // The station of a township: the unstable-patient reports of its area and the teams' contacts;
  // no registry, no diagnoses, no money (docs/care-teams.md §6).
  police: [...SELF, 'care:team:read', 'care:report:read', 'care:report:acknowledge'],
  // The village committee head leads the care teams of the village and records their visits.
  village_head: [
    ...SELF,
    // Village committees keep their villagers' papers: the ID number identifies whom they visit.
    'registry:certno:read',
    'care:team:read',
    'care:visit:read',
    'care:visit:create',
    'care:report:acknowledge',
  ],
};

export const isRole = (s: string): s is Role => (ROLES as readonly string[]).includes(s);
export const isPermission = (s: string): s is Permission => Object.hasOwn(PERMISSIONS, s);

/** The union of the roles' permissions; unknown role names grant nothing. */
export function permissionsOf(roles: readonly string[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) if (isRole(r)) for (const p of ROLE_PERMISSIONS[r]) out.add(p);
  return out;
}

/** Does the actor hold `permission`? The system actor holds `*`. */
export function can(actor: { permissions: ReadonlySet<string> }, permission: Permission): boolean {
  return actor.permissions.has(permission) || actor.permissions.has('*');
}
