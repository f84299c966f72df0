/**
 * Test fixtures for auth: one account per role with a known password and a realistic scope, a
 * few people in two townships, and fresh bearer sessions minted without a password round trip.
 */
import type { Db } from '../../db/db.ts';
import { makeId } from '../../kernel/idcard.ts';
import type { AccountScope } from '../accounts.ts';
import { ROLES, type Role } from '../../kernel/access/roles.ts';
import { createSession } from '../sessions.ts';
import { SYSTEM_ACTOR } from '../../kernel/access/actor.ts';
import { createAccount } from '../users.ts';
import { enrolForYear } from '../../settlement/testing/enrol.ts';
import { registerInstitutions } from '../../settlement/testing/institutions.ts';

export const TEST_PASSWORD = 'Correct-Horse-9';
export const TEST_INSTITUTION = 'H37089900001';

/** Township 001's people are in scope for the township, family doctor and institution accounts. */
export const PEOPLE = {
  /** Township 001, treated by the test institution, holds severe_mental. */
  own: makeId('370899', '1960-03-04', 7),
  /** Township 002, flagged by civil affairs. */
  other: makeId('370899', '1971-05-06', 9),
  /** Township 002, no flags. */
  plain: makeId('370899', '1982-07-08', 11),
} as const;

export const ROLE_SCOPES: Record<Role, AccountScope> = {
  bureau_admin: { kind: 'region', regionCode: '370899' },
  bureau_staff: { kind: 'region', regionCode: '370899' },
  township_office: { kind: 'region', regionCode: '370899001' },
  designated_institution: {
    kind: 'institution',
    fixmedinsCode: TEST_INSTITUTION,
    regionCode: '370899',
  },
  civil_affairs: { kind: 'department', department: 'civil_affairs', regionCode: '370899' },
  family_doctor: { kind: 'region', regionCode: '370899001' },
  expert_reviewer: { kind: 'region', regionCode: '370899' },
  auditor: { kind: 'region', regionCode: '370899' },
  police: { kind: 'region', regionCode: '370899001' },
  village_head: { kind: 'region', regionCode: '370899001001' },
};

export const usernameOf = (role: Role) => `t_${role}`;

/** One account per role (`t_<role>`, TEST_PASSWORD, no forced change); returns the user ids. */
export async function createRoleAccounts(db: Db): Promise<Record<Role, string>> {
  const ids = {} as Record<Role, string>;
  for (const role of ROLES) {
    const { account } = await createAccount(db, SYSTEM_ACTOR, {
      username: usernameOf(role),
      displayName: role,
      roles: [role],
      scope: ROLE_SCOPES[role],
      password: TEST_PASSWORD,
      mustChangePassword: false,
    });
    ids[role] = account.userId;
  }
  return ids;
}

export async function seedPeople(db: Db): Promise<void> {
  const people: [string, string, string][] = [
    [PEOPLE.own, '王秀英', '370899001001'],
    [PEOPLE.other, '李建国', '370899002001'],
    [PEOPLE.plain, '张伟', '370899002001'],
  ];
  for (const [certno, name, region] of people) {
    await db.query(
      `INSERT INTO person (certno, name, gender, birth_date, region_code)
       VALUES ($1, $2, 'male', $3::date, $4)`,
      [
        certno,
        name,
        `${certno.slice(6, 10)}-${certno.slice(10, 12)}-${certno.slice(12, 14)}`,
        region,
      ],
    );
  }
  // Insured for 2022, so that settlement routes can settle them.
  await enrolForYear(db, [PEOPLE.own, PEOPLE.other, PEOPLE.plain]);
  await db.query(
    `INSERT INTO person_flag (certno, category, from_month, source) VALUES
       ($1, 'severe_mental', '2022-01', 'health'), ($2, 'subsistence', '2022-01', 'civil_affairs')`,
    [PEOPLE.own, PEOPLE.other],
  );
  await db.query('INSERT INTO institution_patient (certno, fixmedins_code) VALUES ($1, $2)', [
    PEOPLE.own,
    TEST_INSTITUTION,
  ]);
  // A bill takes the level of the institution it names: the county's are registered (the test
  // institution is 示范县人民医院, level 2).
  await registerInstitutions(db);
}

/** Authorization headers of a fresh bearer session for the account. */
export async function bearer(db: Db, userId: string): Promise<{ authorization: string }> {
  const s = await createSession(db, { userId, kind: 'bearer', origin: null, ttlMs: 3_600_000 });
  return { authorization: `Bearer ${s.secret}` };
}
