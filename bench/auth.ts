/**
 * Headers a benchmark sends to authenticated routes: a machine account of a designated
 * institution (the hospital system that settles) with a bearer token, as a real HIS would use.
 */
import type { Db } from '../src/db/db.ts';
import { SYSTEM_ACTOR } from '../src/auth/types.ts';
import { createAccount, issueToken } from '../src/auth/users.ts';

export const BENCH_INSTITUTION = 'H37089900001';

export async function benchHeaders(db: Db): Promise<Record<string, string>> {
  const username = `bench_his_${Date.now()}`;
  await createAccount(db, SYSTEM_ACTOR, {
    username,
    displayName: 'benchmark HIS',
    roles: ['designated_institution'],
    scope: { kind: 'institution', fixmedinsCode: BENCH_INSTITUTION, regionCode: '370899' },
    machine: true,
  });
  const { token } = await issueToken(db, SYSTEM_ACTOR, username, 1, 'benchmark');
  return { authorization: `Bearer ${token}` };
}
