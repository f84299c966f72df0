/**
 * Headers a benchmark sends to authenticated routes: a machine account of a designated
 * institution (the hospital system that settles) with a bearer token, as a real HIS would use.
 */
import type { Db } from '../src/db/db.ts';
import { SYSTEM_ACTOR } from '../src/kernel/access/actor.ts';
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

/**
 * Every person of the loaded county as a patient of the benchmark's hospital: a hospital settles
 * only people whose visit it registered at its window (the gateway's 2201/2401), and a benchmark
 * of settlement measures settling, not registration.
 */
/**
 * Every person certified for M002 (diabetes with complications) from the start of 2022, so the
 * benchmarks' chronic bills are paid, as a county's day-to-day chronic visits are: the settlement
 * reads the certificate (docs/chronic.md §3) and pays.
 */
export const CERTIFY_PATIENTS_SQL = `INSERT INTO chronic_certificate_disease (certno, disease, valid_from)
  SELECT certno, 'M002', DATE '2022-01-01' FROM person
  ON CONFLICT (certno, disease, valid_from) DO NOTHING`;

export const REGISTER_PATIENTS_SQL = `INSERT INTO institution_patient (certno, fixmedins_code, first_seen)
  SELECT certno, '${BENCH_INSTITUTION}', DATE '2022-01-01' FROM person
  ON CONFLICT (certno, fixmedins_code) DO NOTHING`;
