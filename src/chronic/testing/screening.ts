/**
 * Fixtures for screening tests: people, settlements written directly (a stay is all a screening
 * reads of one), certificates and applications in the shape the chronic workflow writes.
 */
import type { Db } from '../../db/db.ts';
import { makeId } from '../../kernel/idcard.ts';

let seq = 500;
/** A fresh valid ID number each call, born in the county. */
export const newCertno = (birth = '1960-05-05') => makeId('370899', birth, seq++);

export async function addPerson(
  db: Db,
  certno: string,
  regionCode: string,
  opts: { name?: string; status?: 'alive' | 'deceased' } = {},
): Promise<string> {
  await db.query(
    `INSERT INTO person (certno, name, gender, birth_date, region_code, status, death_date)
     VALUES ($1, $2, 'male', $3::date, $4, $5, CASE WHEN $5 = 'deceased' THEN DATE '2022-11-01' END)`,
    [
      certno,
      opts.name ?? '测试',
      `${certno.slice(6, 10)}-${certno.slice(10, 12)}-${certno.slice(12, 14)}`,
      regionCode,
      opts.status ?? 'alive',
    ],
  );
  return certno;
}

export async function addFlag(
  db: Db,
  certno: string,
  category: string,
  from = '2022-01',
  to: string | null = null,
): Promise<void> {
  await db.query(
    `INSERT INTO person_flag (certno, category, from_month, to_month, source, end_reason)
     VALUES ($1, $2, $3, $4, 'civil_affairs', $5)`,
    [certno, category, from, to, to === null ? null : 'exit'],
  );
}

let msg = 0;
/** A settled bill (its amounts are not what a screening reads); returns its id. */
export async function addStay(
  db: Db,
  certno: string,
  date: string,
  diagnosis: string,
  opts: { visitType?: string; cancelled?: boolean } = {},
): Promise<number> {
  const r = await db.query<{ settlement_id: number }>(
    `INSERT INTO settlement (certno, year, msgid, kind, region_code, bill_date, visit_type,
       hospital_level, diagnosis, pack, categories, medfee_sumamt, fulamt_ownpay_amt,
       overlmt_selfpay, preselfpay_amt, inscp_scp_amt, act_pay_dedc, hifp_pay, hifmi_pay, maf_pay,
       reassist_pay, backstop_pay, fund_pay_sumamt, psn_part_amt, psn_cash_pay, lines, explain,
       delta, actor_id)
     VALUES ($1, $2, $3, 'settle', '370899', $4, $5, 2, $6, 'demo-2022', '{}', 100000, 0, 0, 0,
       100000, 0, 60000, 0, 0, 0, 0, 60000, 40000, 40000, '[]', '{}', '{}', 'test')
     RETURNING settlement_id`,
    [
      certno,
      Number(date.slice(0, 4)),
      `stay-${++msg}`,
      date,
      opts.visitType ?? 'inpatient',
      diagnosis,
    ],
  );
  const id = r.rows[0]!.settlement_id;
  if (opts.cancelled) {
    await db.query(`UPDATE settlement SET cancelled_by = $2 WHERE settlement_id = $1`, [
      id,
      id + 1_000_000,
    ]);
  }
  return id;
}

/** A certificate (created when missing) holding `disease` from `from` to `to`. */
export async function addCertificate(
  db: Db,
  certno: string,
  disease: string,
  from: string,
  to: string | null = null,
  applicationId: number | null = null,
): Promise<void> {
  await db.query(
    `INSERT INTO chronic_certificate (certno, certificate_no, region_code, issued_on, source, created_by)
     SELECT certno, 'MTB370899' || lpad((SELECT count(*) + 1 FROM chronic_certificate)::text, 6, '0'),
            region_code, $2, 'import', 'test' FROM person WHERE certno = $1
     ON CONFLICT (certno) DO NOTHING`,
    [certno, from],
  );
  await db.query(
    `INSERT INTO chronic_certificate_disease (certno, disease, valid_from, valid_to, application_id,
       ended_reason)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $4::date IS NULL THEN NULL ELSE 'expired' END)`,
    [certno, disease, from, to, applicationId],
  );
}

/** An application with its diseases' decisions; returns its id. */
export async function addApplication(
  db: Db,
  certno: string,
  diseases: { disease: string; decision?: 'pending' | 'approved' | 'refused' }[],
  opts: {
    status?: 'incomplete' | 'under_review' | 'decided' | 'withdrawn';
    createdAt?: string;
    acceptedOn?: string;
  } = {},
): Promise<number> {
  const r = await db.query<{ application_id: number }>(
    `INSERT INTO chronic_application (certno, region_code, channel, status, accepted_on, created_by,
       created_at)
     SELECT certno, region_code, 'township', $2, $3, 'test', COALESCE($4::timestamptz, now())
       FROM person WHERE certno = $1 RETURNING application_id`,
    [
      certno,
      opts.status ?? 'under_review',
      opts.acceptedOn ?? '2023-01-10',
      opts.createdAt ?? null,
    ],
  );
  const id = r.rows[0]!.application_id;
  for (const d of diseases) {
    await db.query(
      `INSERT INTO chronic_application_disease (certno, application_id, disease, decision, step)
       VALUES ($1, $2, $3, $4, $5)`,
      [
        certno,
        id,
        d.disease,
        d.decision ?? 'pending',
        d.decision && d.decision !== 'pending' ? 1 : 0,
      ],
    );
  }
  return id;
}
