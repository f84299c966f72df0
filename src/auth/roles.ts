/**
 * Roles and permissions: the one table that says which role may do what. Permission codes are
 * `module:entity:action`; a route declares the one it needs (`config: { permission }`) and the
 * auth plugin refuses everyone whose roles do not grant it. A module that adds routes adds its
 * codes to PERMISSIONS and grants them below; the route × role test reads this table.
 */
import type { Message } from '../kernel/errors.ts';

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
  'registry:person:create': { zh: '新增参保人', en: 'register people' },
  'registry:person:update': { zh: '修改参保人', en: 'change people' },
  'registry:person:export': { zh: '导出参保人', en: 'export people' },
  'registry:person:import': { zh: '导入参保人', en: 'import people' },
  'registry:household:read': { zh: '查看家庭户', en: 'read households' },
  'registry:flag:read': { zh: '查看身份标识', en: 'read identity flags' },
  'registry:flag:create': { zh: '新增身份标识', en: 'add identity flags' },
  'registry:flag:update': { zh: '中断或更正身份标识', en: 'end or correct identity flags' },
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
    'registry:person:create',
    'registry:person:update',
    'registry:person:export',
    'registry:person:import',
    'registry:household:read',
    'registry:flag:read',
    'registry:flag:create',
    'registry:flag:update',
    'registry:certno:read',
    'registry:sensitive:read',
    'policy:pack:read',
    'policy:trial:run',
    'settlement:bill:read',
    'settlement:bill:settle',
    'settlement:bill:cancel',
    'settlement:accumulator:read',
  ],
  township_office: [
    ...SELF,
    'registry:person:read',
    'registry:person:create',
    'registry:person:update',
    'registry:person:export',
    'registry:household:read',
    'registry:flag:read',
    'registry:certno:read',
    'policy:pack:read',
    'settlement:bill:read',
    'settlement:accumulator:read',
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
  ],
  // The civil-affairs push: the department maintains the flags it is the source of.
  civil_affairs: [
    ...SELF,
    'registry:person:read',
    'registry:household:read',
    'registry:flag:read',
    'registry:flag:create',
    'registry:flag:update',
    'registry:certno:read',
  ],
  family_doctor: [
    ...SELF,
    'registry:person:read',
    'registry:household:read',
    'registry:flag:read',
    'registry:sensitive:read',
  ],
  expert_reviewer: [
    ...SELF,
    'registry:person:read',
    'registry:flag:read',
    'registry:sensitive:read',
    'policy:pack:read',
  ],
  // Read-only: every read except the sensitive ones; no exports, no writes.
  auditor: [
    ...SELF,
    'audit:entry:read',
    'auth:user:read',
    'registry:person:read',
    'registry:household:read',
    'registry:flag:read',
    'policy:pack:read',
    'settlement:bill:read',
    'settlement:accumulator:read',
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
