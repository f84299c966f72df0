/**
 * The demo county's accounts: one per role, all with the documented password below (README,
 * "Demo accounts"). They are created only when the demo county is loaded — never by
 * `triguard migrate` — and need no password change, so a demo can start at once.
 */
import type { Db } from '../db/db.ts';
import type { AccountScope } from './accounts.ts';
import type { Role } from '../kernel/access/roles.ts';
import { SYSTEM_ACTOR } from '../kernel/access/actor.ts';
import { createAccount } from './users.ts';

export const DEMO_PASSWORD = 'Triguard@2022';
/** The demo hospital: 示范县人民医院 (level 2). */
export const DEMO_INSTITUTION = 'H37089900001';
/**
 * The health centre of the first township, 城关镇卫生院 (level 1): where the demo county's
 * two-diseases visits are settled (catalogue/demo-institutions.ts registers it).
 */
export const DEMO_CLINIC = 'H37089910001';
const COUNTY = '370899';
const TOWNSHIP = '370899001';
const VILLAGE = '370899001001';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  scope: AccountScope;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    username: 'admin',
    displayName: '局管理员',
    role: 'bureau_admin',
    scope: { kind: 'region', regionCode: COUNTY },
  },
  {
    username: 'staff',
    displayName: '经办人员',
    role: 'bureau_staff',
    scope: { kind: 'region', regionCode: COUNTY },
  },
  {
    username: 'township',
    displayName: '第一乡镇医保所',
    role: 'township_office',
    scope: { kind: 'region', regionCode: TOWNSHIP },
  },
  {
    username: 'hospital',
    displayName: '示范县人民医院',
    role: 'designated_institution',
    scope: { kind: 'institution', fixmedinsCode: DEMO_INSTITUTION, regionCode: COUNTY },
  },
  {
    username: 'clinic',
    displayName: '城关镇卫生院',
    role: 'designated_institution',
    scope: { kind: 'institution', fixmedinsCode: DEMO_CLINIC, regionCode: COUNTY },
  },
  {
    username: 'civil',
    displayName: '县民政局',
    role: 'civil_affairs',
    scope: { kind: 'department', department: 'civil_affairs', regionCode: COUNTY },
  },
  {
    username: 'doctor',
    displayName: '家庭医生',
    role: 'family_doctor',
    scope: { kind: 'region', regionCode: TOWNSHIP },
  },
  {
    username: 'expert',
    displayName: '评审专家',
    role: 'expert_reviewer',
    scope: { kind: 'region', regionCode: COUNTY },
  },
  {
    username: 'police',
    displayName: '城关派出所',
    role: 'police',
    scope: { kind: 'region', regionCode: TOWNSHIP },
  },
  {
    username: 'village',
    displayName: '第一村村委会',
    role: 'village_head',
    scope: { kind: 'region', regionCode: VILLAGE },
  },
  {
    username: 'auditor',
    displayName: '审计员',
    role: 'auditor',
    scope: { kind: 'region', regionCode: COUNTY },
  },
];

/** Creates the demo accounts that do not exist yet; returns how many were created. */
export async function seedDemoAccounts(db: Db): Promise<number> {
  const actor = { ...SYSTEM_ACTOR, id: 'system:demo', name: 'demo county loader' };
  let created = 0;
  for (const a of DEMO_ACCOUNTS) {
    const seen = await db.query('SELECT 1 FROM app_user WHERE username = $1', [a.username]);
    if (seen.rows.length > 0) continue;
    await createAccount(db, actor, {
      username: a.username,
      displayName: a.displayName,
      roles: [a.role],
      scope: a.scope,
      password: DEMO_PASSWORD,
      mustChangePassword: false,
    });
    created++;
  }
  // The demo hospital has treated some people of the first township, so its account sees them.
  await db.query(
    `INSERT INTO institution_patient (certno, fixmedins_code, first_seen)
     SELECT certno, $1, DATE '2022-01-01' FROM person WHERE region_code LIKE $2 || '%'
      ORDER BY certno LIMIT 500
     ON CONFLICT DO NOTHING`,
    [DEMO_INSTITUTION, TOWNSHIP],
  );
  return created;
}

/** Lines for the console: where to sign in and, when they exist, the demo accounts. */
export async function loginHelp(db: Db, baseUrl: string): Promise<string[]> {
  const lines = [
    `网页端 / web app: ${baseUrl}/`,
    `接口登录 / API sign-in: POST ${baseUrl}/api/v1/auth/login {"username","password"}  (API docs: ${baseUrl}/docs)`,
  ];
  const r = await db.query<{ username: string }>(
    'SELECT username FROM app_user WHERE username = ANY($1::text[]) AND disabled_at IS NULL',
    [DEMO_ACCOUNTS.map((a) => a.username)],
  );
  const live = new Set(r.rows.map((x) => x.username));
  const demo = DEMO_ACCOUNTS.filter((a) => live.has(a.username));
  if (demo.length > 0) {
    lines.push(`演示账号 / demo accounts (password ${DEMO_PASSWORD}):`);
    for (const a of demo)
      lines.push(`  ${a.username.padEnd(9)} ${a.role.padEnd(23)} ${a.displayName}`);
  } else {
    const any = await db.query('SELECT 1 FROM app_user LIMIT 1');
    if (any.rows.length === 0) {
      lines.push('尚无账号，请用 `triguard user add` 创建 / no accounts yet: `triguard user add`');
    }
  }
  return lines;
}
