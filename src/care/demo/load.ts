/**
 * The demo county's care (docs/care.md §9): every poverty-category person contracted with a team
 * of their township's health centre, a year of monthly follow-ups with realistic gaps, the
 * bureau's spot checks with corrections (most closed), and a delivery register of certified
 * patients whose monthly deliveries settle through the settlement engine. Deterministic for a seed:
 * the rows are chosen by hashing the ID number with the seed.
 */
import { SYSTEM_ACTOR, type Actor } from '../../kernel/access/actor.ts';
import { ChronicService, DEMO_DIAGNOSES } from '../../chronic/index.ts';
import type { Db } from '../../db/db.ts';
import { isTriguardError } from '../../kernel/errors.ts';
import { loadPackCatalog, SettlementService } from '../../settlement/index.ts';
import { POVERTY_CATEGORIES } from '../core/contract.ts';
import { DeliveryService } from '../delivery-service.ts';

export interface CareDemoOptions {
  seed: number;
  year: number;
  county?: string;
}

export interface CareDemoCounts {
  contracts: number;
  followups: number;
  spotChecks: number;
  register: number;
  deliveries: number;
  refused: number;
}

/** A number 0…999 from a text column and a salt, stable across databases. */
const hash = (expr: string, salt: string) =>
  `(('x' || substr(md5(${expr} || ${salt}), 1, 7))::bit(28)::int % 1000)`;

const DOCTORS = ['刘建华', '孙丽', '王海燕', '赵志强', '陈静', '李国栋', '周敏', '吴磊'];
const MEDICATION = [
  '二甲双胍 0.5g 每日两次',
  '氨氯地平 5mg 每日一次',
  '阿司匹林 100mg 每日一次',
  '无',
];

const DEMO_ACTOR: Actor = { ...SYSTEM_ACTOR, id: 'system:demo:care', name: '演示家庭医生' };

export async function loadCareDemo(
  db: Db,
  opts: CareDemoOptions,
  onProgress: (step: string) => void = () => undefined,
): Promise<CareDemoCounts> {
  const county = opts.county ?? '370899';
  const y = opts.year;
  const seed = `'${String(opts.seed)}'`;
  await db.exec(`TRUNCATE care_delivery, care_delivery_eligibility, care_spot_check, care_followup,
    care_contract, care_due, care_group, care_due_year, care_month RESTART IDENTITY`);

  // Contracts: from 1 January (or the flag's first month), two teams per health centre, the team
  // by village; a few people change team on 1 July.
  const doctors = `(ARRAY[${DOCTORS.map((d) => `'${d}'`).join(',')}])`;
  const contracts = await db.query(
    `INSERT INTO care_contract (certno, township_code, doctor, team, fixmedins_code, valid_from, created_by, created_at)
     SELECT p.certno, left(p.region_code, 9),
            ${doctors}[1 + ((substr(p.region_code, 7, 3)::int * 2 + t.team) % ${DOCTORS.length})],
            r.name || '家庭医生' || CASE t.team WHEN 0 THEN '一' ELSE '二' END || '队',
            'H' || $1 || '1' || lpad(substr(p.region_code, 7, 3), 4, '0'),
            greatest(make_date($2, 1, 1), to_date(f.from_month || '-01', 'YYYY-MM-DD')),
            'demo', make_timestamptz($2, 1, 1, 9, 0, 0, 'Asia/Shanghai')
       FROM person p
       JOIN (SELECT certno, min(from_month) AS from_month FROM person_flag
              WHERE category = ANY($3::text[]) AND from_month <= $4 AND (to_month IS NULL OR to_month >= $5)
              GROUP BY certno) f ON f.certno = p.certno
       JOIN region r ON r.code = left(p.region_code, 9)
       CROSS JOIN LATERAL (SELECT ${hash('substr(p.region_code, 10, 3)', seed)} % 2 AS team) t
      WHERE p.region_code LIKE $1 || '%' AND p.status = 'alive'
     RETURNING certno`,
    [county, y, [...POVERTY_CATEGORIES], `${y}-12`, `${y}-01`],
  );
  onProgress(`contracts ${contracts.rows.length}`);

  // A year of records: more gaps in the first months (the scheme started in May in seed 004),
  // one team in three missing more, a few records entered late.
  const followups = await db.query(
    `INSERT INTO care_followup (certno, contract_id, month, visited_on, visitor, health_status,
        outpatient_need, certificate_held, medication, systolic, diastolic, glucose_tenths, note,
        recorded_by, recorded_at)
     SELECT c.certno, c.contract_id, to_char(v.day, 'YYYY-MM'), v.day, c.doctor,
            (ARRAY['stable','stable','stable','improved','worse','new_symptoms'])[1 + h.k % 6],
            h.k % 5 = 0,
            EXISTS (SELECT 1 FROM chronic_certificate_disease d WHERE d.certno = c.certno
                     AND d.ended_reason IS NULL AND d.valid_from <= v.day AND (d.valid_to IS NULL OR d.valid_to >= v.day)),
            (ARRAY[${MEDICATION.map((m) => `'${m}'`).join(',')}])[1 + h.k % ${MEDICATION.length}],
            CASE WHEN h.k % 3 = 0 THEN NULL ELSE 118 + h.k % 45 END,
            CASE WHEN h.k % 3 = 0 THEN NULL ELSE 70 + h.k % 25 END,
            CASE WHEN h.k % 4 = 0 THEN 48 + h.k % 60 ELSE NULL END,
            NULL, 'demo',
            (v.day + CASE WHEN h.k % 50 = 0 THEN 12 ELSE h.k % 3 END) + time '10:00' AT TIME ZONE 'Asia/Shanghai'
       FROM care_contract c
       CROSS JOIN generate_series(1, 12) m
       CROSS JOIN LATERAL (SELECT ${hash('c.certno || m::text', seed)} AS k) h
       CROSS JOIN LATERAL (SELECT make_date($1, m, 1 + h.k % 27) AS day) v
      WHERE v.day >= c.valid_from
        AND h.k >= CASE WHEN m <= 4 THEN 120 ELSE 30 END
                 + CASE WHEN c.team LIKE '%二队' AND substr(c.township_code, 7, 3)::int % 3 = 0 THEN 90 ELSE 0 END
     RETURNING certno`,
    [y],
  );
  onProgress(`follow-ups ${followups.rows.length}`);

  // Spot checks: about one contract in sixty, once, in March to November.
  const checks = await db.query(
    `INSERT INTO care_spot_check (certno, township_code, contract_id, fixmedins_code, team, checked_on,
        month, finding, note, correction, correction_due, closed_on, closed_note, checked_by)
     SELECT s.certno, s.township_code, s.contract_id, s.fixmedins_code, s.team, s.checked_on, s.month,
            s.finding,
            CASE s.finding WHEN 'missing_record' THEN '当月未填写动态管理记录单'
                           WHEN 'inaccurate_record' THEN '记录血压与入户测量不符' ELSE NULL END,
            CASE WHEN s.finding = 'accurate' THEN NULL ELSE '限期补填、更正记录单' END,
            CASE WHEN s.finding = 'accurate' THEN NULL ELSE s.checked_on + 15 END,
            CASE WHEN s.finding <> 'accurate' AND s.k % 5 <> 0 THEN s.checked_on + 10 + s.k % 5 END,
            CASE WHEN s.finding <> 'accurate' AND s.k % 5 <> 0 THEN '已整改' END,
            'demo'
       FROM (SELECT c.*, h.k, make_date($1, 3 + h.k % 9, 20) AS checked_on,
                    to_char(make_date($1, 3 + h.k % 9, 1), 'YYYY-MM') AS month,
                    CASE WHEN NOT EXISTS (SELECT 1 FROM care_followup f WHERE f.certno = c.certno
                                           AND f.month = to_char(make_date($1, 3 + h.k % 9, 1), 'YYYY-MM'))
                         THEN 'missing_record'
                         WHEN h.k % 10 = 0 THEN 'inaccurate_record' ELSE 'accurate' END AS finding
               FROM care_contract c CROSS JOIN LATERAL (SELECT ${hash("c.certno || 'check'", seed)} AS k) h
              WHERE h.k < 17 AND c.valid_from <= make_date($1, 3 + h.k % 9, 1)) s
     RETURNING certno`,
    [y],
  );
  onProgress(`spot checks ${checks.rows.length}`);

  // The delivery register: contracted certificate holders of a chronic disease, one in six,
  // confirmed on 1 March or when the certificate began; at most 40 in the county.
  const diseaseDiagnosis = Object.entries(DEMO_DIAGNOSES)
    .filter(([d]) => d.startsWith('M'))
    .map(([d, dx]) => `('${d}', '${dx[0]}')`)
    .join(', ');
  const register = await db.query(
    `INSERT INTO care_delivery_eligibility (certno, township_code, disability, visit_type, disease,
        diagnosis, fixmedins_code, card_no, phone, confirmed_by, confirmed_on, created_by)
     SELECT e.certno, e.township_code, CASE WHEN e.k % 3 = 0 THEN 'disabled' ELSE 'semi_disabled' END,
            'chronic_outpatient', e.disease, e.diagnosis, e.fixmedins_code,
            'SK' || e.township_code || lpad(nextval('care_service_card_seq')::text, 6, '0'),
            NULL, e.doctor, e.confirmed_on, 'demo'
       FROM (SELECT DISTINCT ON (c.certno) c.certno, c.township_code, c.fixmedins_code, c.doctor,
                    d.disease, dx.diagnosis, h.k, greatest(make_date($1, 3, 1), d.valid_from) AS confirmed_on
               FROM care_contract c
               JOIN chronic_certificate_disease d ON d.certno = c.certno AND d.ended_reason IS NULL
               JOIN (VALUES ${diseaseDiagnosis}) dx (disease, diagnosis) ON dx.disease = d.disease
               CROSS JOIN LATERAL (SELECT ${hash("c.certno || 'delivery'", seed)} AS k) h
              WHERE h.k < 170 AND d.valid_from <= make_date($1, 10, 1)
                AND (d.valid_to IS NULL OR d.valid_to >= make_date($1, 12, 31))
              ORDER BY c.certno, d.disease) e
      ORDER BY e.k, e.certno LIMIT 40
     RETURNING certno, confirmed_on::text AS "confirmedOn"`,
    [y],
  );
  onProgress(`delivery register ${register.rows.length}`);

  // Each month from the confirmation to December, through the service: settled by the engine.
  const packs = await loadPackCatalog();
  const service = new DeliveryService(
    db,
    new SettlementService(db, packs),
    new ChronicService(db, packs.all),
  );
  const drug = await db.query<{ code: string }>(
    `SELECT med_list_codg AS code FROM catalogue_item WHERE list_type = 'drug' AND chrgitm_lv = '01'
        AND NOT two_diseases AND begndate <= make_date($1, 1, 1) ORDER BY med_list_codg LIMIT 1`,
    [y],
  );
  let deliveries = 0;
  let refused = 0;
  if (drug.rows[0]) {
    for (const [i, r] of (register.rows as { certno: string; confirmedOn: string }[]).entries()) {
      const first = Number(r.confirmedOn.slice(5, 7));
      for (let m = first; m <= 12; m++) {
        try {
          await service.deliver(DEMO_ACTOR, r.certno, {
            deliveredOn: `${y}-${String(m).padStart(2, '0')}-${String(5 + (i % 20)).padStart(2, '0')}`,
            deliveredBy: '卫生院送药小组',
            confirmedBy: i % 4 === 0 ? 'guardian' : 'patient',
            confirmerName: i % 4 === 0 ? '家属' : '本人',
            lines: [{ itemCode: drug.rows[0].code, amount: 60 + (i % 7) * 12.5, days: 30 }],
          });
          deliveries++;
        } catch (e) {
          // A month the engine refuses (no enrolment, a certificate ended) is left due.
          if (!isTriguardError(e)) throw e;
          refused++;
        }
      }
    }
  }
  onProgress(`deliveries ${deliveries}`);
  return {
    contracts: contracts.rows.length,
    followups: followups.rows.length,
    spotChecks: checks.rows.length,
    register: register.rows.length,
    deliveries,
    refused,
  };
}
