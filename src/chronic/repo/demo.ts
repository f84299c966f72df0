/**
 * The demo county's existing certificates and filings, written in bulk (a county-size demo has
 * tens of thousands). Who gets what is drawn from a hash of the seed and the ID number, so the
 * same seed gives the same county.
 */
import type { Queryable } from '../../db/db.ts';

/** Empties the chronic records of a reloaded demo county (the people they named are gone). */
export async function clearChronicDemo(q: Queryable): Promise<void> {
  await q.exec(
    `TRUNCATE chronic_review, chronic_attachment, chronic_application_disease, chronic_application,
       chronic_certificate_disease, chronic_certificate, two_diseases_filing`,
  );
}

/** 0..999 from the seed, a salt and the ID number: one independent draw per salt. */
const draw = (salt: string, seedParam: string) =>
  `(('x' || substr(md5(${seedParam} || '${salt}' || p.certno), 1, 7))::bit(28)::int % 1000)`;

const FLAGGED = `EXISTS (SELECT 1 FROM person_flag f WHERE f.certno = p.certno
  AND f.category IN ('extreme_poverty', 'subsistence', 'poverty_returned', 'low_income_marginal',
                     'monitored', 'illness_poverty'))`;
const SEVERE = `EXISTS (SELECT 1 FROM person_flag f WHERE f.certno = p.certno
  AND f.category = 'severe_mental')`;

/**
 * Certificates for a plausible share: 6 in 10 severe-mental patients hold S004; 8 % of the
 * flagged poor and 1.5 % of everyone else hold a chronic or special disease, one in twelve of them
 * a second. Each is valid from a day of the year before the demo year, so it covers the demo
 * year; the certificate is issued that day. Returns certificates and certified diseases.
 */
export async function insertDemoCertificates(
  q: Queryable,
  opts: { seed: number; year: number; county: string; by: string },
): Promise<{ certificates: number; diseases: number }> {
  const s = '$1::text';
  await q.query(
    `CREATE TEMP TABLE chronic_demo_pick ON COMMIT DROP AS
     SELECT p.certno, p.region_code,
            (make_date($2::int - 1, 1, 1) + ${draw('from', s)} % 365) AS valid_from,
            CASE
              WHEN ${SEVERE} AND ${draw('s004', s)} < 600 THEN 'S004'
              ELSE (ARRAY['M001','M001','M001','M001','M002','M002','M002','M002','M003','M003',
                          'M003','M004','M004','M004','M005','M005','M006','S001','S002','S003'])
                   [1 + ${draw('disease', s)} % 20]
            END AS disease,
            ${draw('second', s)} < 83 AS second
       FROM person p
      WHERE p.region_code LIKE $3 || '%' AND p.status <> 'deceased'
        AND ((${SEVERE} AND ${draw('s004', s)} < 600)
          OR ${draw('cert', s)} < CASE WHEN ${FLAGGED} THEN 80 ELSE 15 END)`,
    [String(opts.seed), opts.year, opts.county],
  );
  const certs = await q.query(
    `INSERT INTO chronic_certificate (certno, certificate_no, region_code, issued_on, source, created_by)
     SELECT certno, 'MT' || substr(region_code, 1, 6) || extract(year FROM valid_from)::text
              || lpad(nextval('chronic_certificate_seq')::text, 6, '0'),
            region_code, valid_from, 'import', $1
       FROM chronic_demo_pick ORDER BY certno`,
    [opts.by],
  );
  const first = await q.query(
    `INSERT INTO chronic_certificate_disease (certno, disease, valid_from)
     SELECT certno, disease, valid_from FROM chronic_demo_pick`,
  );
  // A second disease: diabetes beside heart disease and hypertension, heart disease beside diabetes.
  const second = await q.query(
    `INSERT INTO chronic_certificate_disease (certno, disease, valid_from)
     SELECT certno, CASE WHEN disease = 'M002' THEN 'M003' ELSE 'M002' END, valid_from
       FROM chronic_demo_pick WHERE second AND disease NOT IN ('S004', 'M002', 'M003')
     UNION ALL
     SELECT certno, 'M003', valid_from FROM chronic_demo_pick WHERE second AND disease = 'M002'`,
  );
  return { certificates: certs.rowCount, diseases: first.rowCount + second.rowCount };
}

/**
 * Two-diseases filings at the health centre of the person's township (the level-1 institution
 * registered in the township, or named after it): of the people 35 and older, 6 % hypertension
 * and 3 % diabetes, filed in the year before the demo year. None where the township has no
 * registered health centre.
 */
export async function insertDemoFilings(
  q: Queryable,
  opts: { seed: number; year: number; county: string; by: string },
): Promise<number> {
  const s = '$1::text';
  const r = await q.query(
    `WITH centre AS (
       SELECT r.code AS township,
              (SELECT i.fixmedins_code FROM gateway_institution i
                WHERE i.hosp_lv = 1 AND i.admdvs LIKE substr(r.code, 1, 6) || '%'
                  AND (i.admdvs LIKE r.code || '%' OR i.fixmedins_name LIKE r.name || '%')
                ORDER BY (i.admdvs LIKE r.code || '%') DESC, i.fixmedins_code LIMIT 1) AS fix
         FROM region r WHERE r.level = 'township' AND r.code LIKE $3 || '%'),
     who AS (
       SELECT p.certno, p.region_code, c.fix,
              (make_date($2::int - 1, 1, 1) + ${draw('filed', s)} % 365) AS valid_from,
              ${draw('hypertension', s)} < 60 AS hypertension,
              ${draw('diabetes', s)} < 30 AS diabetes
         FROM person p JOIN centre c ON c.township = substr(p.region_code, 1, 9)
        WHERE c.fix IS NOT NULL AND p.status <> 'deceased'
          AND p.birth_date <= make_date($2::int - 35, 1, 1))
     INSERT INTO two_diseases_filing (certno, disease, diagnosis, fixmedins_code, region_code,
       valid_from, source, created_by)
     SELECT certno, 'hypertension', 'I10', fix, region_code, valid_from, 'doctor', $4
       FROM who WHERE hypertension
     UNION ALL
     SELECT certno, 'diabetes', 'E11.9', fix, region_code, valid_from, 'doctor', $4
       FROM who WHERE diabetes`,
    [String(opts.seed), opts.year, opts.county, opts.by],
  );
  return r.rowCount;
}

/**
 * People of a township to show applications for: flagged, without a certificate or filing,
 * alive, in a stable order drawn from the seed.
 */
export async function demoApplicants(
  q: Queryable,
  opts: { seed: number; township: string; limit: number },
): Promise<string[]> {
  const r = await q.query<{ certno: string }>(
    `SELECT p.certno FROM person p
      WHERE p.region_code LIKE $2 || '%' AND p.status = 'alive' AND ${FLAGGED} AND NOT ${SEVERE}
        AND NOT EXISTS (SELECT 1 FROM chronic_certificate c WHERE c.certno = p.certno)
      ORDER BY md5($1::text || p.certno) LIMIT $3`,
    [String(opts.seed), opts.township, opts.limit],
  );
  return r.rows.map((x) => x.certno);
}
