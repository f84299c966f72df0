/**
 * The demo county's chronic-disease data, in two steps around the demo year of bills:
 *
 * - `loadChronicDemo`, before the bills are settled (they read certificates and filings): the
 *   township health centres registered as level-1 institutions; certificates (门诊慢特病证) for a
 *   plausible share of the flagged people and some elderly ones, most imported from before the
 *   system, some from reviews early in the year; two-diseases filings (两病备案) at the health
 *   centres.
 * - `screenChronicDemo`, after them: the screening (摸底排查) of the year's inpatient stays, dated
 *   the January after, with its visits, reasons for not applying and applications in every state
 *   (incomplete with a deadline, under review, approved onto a certificate, refused), and a few
 *   walk-in applications in the review queue, so the funnel and the queues are alive.
 *
 * Rows are written in bulk with this module's own SQL, shaped as the chronic workflow writes them.
 * Deterministic for a seed: people are drawn by a hash of their ID number.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../db/db.ts';
import { appendAudit, recordAudit } from '../../audit/index.ts';
import { SYSTEM_ACTOR, type Actor } from '../../kernel/access/actor.ts';
import type { IsoDate } from '../../kernel/period.ts';
import { DEMO_COUNTY, Random } from '../../registry/index.ts';
import {
  DEMO_INSTITUTIONS,
  registerDemoInstitutions,
  townshipCentreOf,
} from '../../catalogue/index.ts';
import {
  catalogueKeys,
  diseaseOf,
  type NotApplyingReason,
  type ScreeningCriteria,
} from '../core/screening.ts';
import { insertRun, screenInto } from '../repo/screening.ts';
import type { PackChooser } from '../screening-service.ts';

export const DEMO_CHRONIC_ACTOR: Actor = {
  ...SYSTEM_ACTOR,
  id: 'system:demo-chronic',
  name: 'demo chronic data',
};

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** The demo county's health centres (卫生院, level 1): one per township, as the catalogue registers them. */
export const DEMO_HEALTH_CENTRES = DEMO_INSTITUTIONS.filter((i) => i.hospLv === 1).map((i) => ({
  fixmedinsCode: i.fixmedinsCode,
  name: i.fixmedinsName,
  townshipCode: i.admdvs,
}));

/** The health centre of the township a village code lies in. */
export const healthCentreOf = townshipCentreOf;

/** Diagnoses that go with each disease of the demo catalogue (for bills and applications). */
export const DEMO_DIAGNOSES: Readonly<Record<string, readonly string[]>> = {
  M001: ['I11.9', 'I12.9', 'I13.0'],
  M002: ['E11.2', 'E11.4', 'E11.5', 'E14.7'],
  M003: ['I25.1', 'I20.8', 'I25.2'],
  M004: ['I63.9', 'I69.3', 'I69.4'],
  M005: ['J44.1', 'J44.9'],
  M006: ['M06.9', 'M05.9'],
  S001: ['C34.9', 'C16.9', 'C50.9', 'C22.0'],
  S002: ['N18.5'],
  S003: ['Z94.0', 'Z94.1'],
  S004: ['F20.0', 'F31.9'],
};

/** The patient of the national gateway's walk-through (docs/national-gateway.md). */
const WALK_THROUGH_PATIENT = '370830196801260009';

/** The diagnosis a two-diseases filing names. */
export const DEMO_TWO_DISEASES_DIAGNOSES = { hypertension: 'I10', diabetes: 'E11.9' } as const;

/** Diseases of certificate holders: those impoverished by illness carry the heavy ones. */
const WEIGHTS_ILL: [string, number][] = [
  ['S001', 30],
  ['S002', 15],
  ['M004', 15],
  ['M003', 10],
  ['M002', 10],
  ['M001', 10],
  ['M005', 5],
  ['S003', 3],
  ['M006', 2],
];
const WEIGHTS: [string, number][] = [
  ['M001', 24],
  ['M002', 22],
  ['M003', 16],
  ['M004', 15],
  ['M005', 12],
  ['M006', 4],
  ['S001', 4],
  ['S002', 2],
  ['S003', 1],
];

function weighted(rnd: Random, ws: readonly [string, number][]): string {
  let x = rnd.next() * ws.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of ws) {
    x -= w;
    if (x < 0) return v;
  }
  return ws[ws.length - 1]![0];
}

/** FNV-1a of the ID number: each person's own draws, whatever order they come in. */
function personSeed(certno: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < certno.length; i++) h = Math.imul(h ^ certno.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const addDays = (date: IsoDate, n: number): IsoDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const at = (date: IsoDate, hour: number) => `${date}T${pad(hour, 2)}:00:00+08:00`;
const minDate = (a: IsoDate, b: IsoDate) => (a < b ? a : b);

/** A one-page PDF (the scanned document of an application's checklist, in the demo). */
export function demoPdf(text: string): Buffer {
  const safe = text.replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, '');
  const stream = `BT /F1 14 Tf 72 760 Td (${safe}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${pad(o, 10)} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

export interface ChronicDemoOptions {
  seed: number;
  year: number;
  county?: string;
}

export interface ChronicDemoCounts {
  healthCentres: number;
  certificates: number;
  certificateDiseases: number;
  applications: number;
  filings: number;
}

/** Accounts the demo's rows name as their authors, when the demo accounts exist. */
interface Authors {
  expert: { id: string; name: string };
  /** Who records visits and files patients in the first township (the demo doctor's). */
  doctor: string;
  township: string;
  staff: string;
}

async function authors(q: Queryable): Promise<Authors> {
  const r = await q.query<{ username: string; user_id: string; display_name: string }>(
    `SELECT username, user_id, display_name FROM app_user
      WHERE username IN ('expert', 'doctor', 'township', 'staff')`,
  );
  const by = new Map(r.rows.map((x) => [x.username, x]));
  const id = (u: string) => by.get(u)?.user_id ?? DEMO_CHRONIC_ACTOR.id;
  return {
    expert: {
      id: id('expert'),
      name: by.get('expert')?.display_name ?? DEMO_CHRONIC_ACTOR.name,
    },
    doctor: id('doctor'),
    township: id('township'),
    staff: id('staff'),
  };
}

/** The rows of one application and what it led to, ready for COPY. */
class Rows {
  applications: unknown[][] = [];
  diseases: unknown[][] = [];
  reviews: unknown[][] = [];
  attachments: unknown[][] = [];
  certificates: unknown[][] = [];
  certificateDiseases: unknown[][] = [];
  filings: unknown[][] = [];

  async write(q: Db): Promise<void> {
    await q.copyRows('chronic_application', COLUMNS.application, this.applications);
    await q.copyRows('chronic_application_disease', COLUMNS.disease, this.diseases);
    await q.copyRows('chronic_review', COLUMNS.review, this.reviews);
    await insertAttachments(q, this.attachments);
    await q.copyRows('chronic_certificate', COLUMNS.certificate, this.certificates);
    await q.copyRows(
      'chronic_certificate_disease',
      COLUMNS.certificateDisease,
      this.certificateDiseases,
    );
    await q.copyRows('two_diseases_filing', COLUMNS.filing, this.filings);
  }
}

/** The columns each table's rows above hold, in order. */
const COLUMNS = {
  application: cols(`application_id certno region_code channel fixmedins_code status accepted_on
    documents_due onsite review_steps note created_by created_at updated_at`),
  disease: cols(`certno application_id disease diagnosis decision step reason reason_note
    decided_by decided_at`),
  review: cols(`certno application_id disease step decision reason note reviewer_id
    reviewer_name reviewed_at`),
  attachment: cols(`certno application_id kind file_name media_type size_bytes sha256 content
    uploaded_by uploaded_at`),
  certificate: cols('certno certificate_no region_code issued_on source created_by created_at'),
  certificateDisease: cols(`certno disease valid_from valid_to application_id ended_reason
    ended_note ended_by ended_at`),
  filing: cols(`certno disease diagnosis fixmedins_code region_code valid_from valid_to source
    created_by created_at`),
};

function cols(names: string): string[] {
  return names.split(/\s+/).filter(Boolean);
}

const DOCUMENT_NAMES: Record<string, string> = {
  medical_record: 'medical-record',
  test_result: 'test-results',
  prescription_history: 'prescriptions',
};

interface NewApplication {
  certno: string;
  regionCode: string;
  channel: 'window' | 'township' | 'doctor' | 'hospital';
  fixmedinsCode: string | null;
  acceptedOn: IsoDate;
  createdBy: string;
  diseases: { disease: string; diagnosis: string }[];
  outcome: 'approved' | 'refused' | 'under_review' | 'incomplete';
  /** The decision's day (approved, refused). */
  decidedOn?: IsoDate;
  note?: string | null;
}

/** The documents in multi-row INSERTs, their content given as hex (either database's driver). */
async function insertAttachments(q: Queryable, rows: readonly unknown[][]): Promise<void> {
  const per = 500;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const n = COLUMNS.attachment.length;
    const values = chunk.map(
      (_, r) =>
        `(${COLUMNS.attachment
          .map((c, j) =>
            c === 'content' ? `decode($${r * n + j + 1}, 'hex')` : `$${r * n + j + 1}`,
          )
          .join(', ')})`,
    );
    await q.query(
      `INSERT INTO chronic_attachment (${COLUMNS.attachment.join(', ')}) VALUES ${values.join(', ')}`,
      chunk.flat(),
    );
  }
}

/** Consecutive certificate numbers of a county: MTB + county code + six digits. */
class CertificateNumbers {
  constructor(
    private readonly county: string,
    private next: number,
  ) {}
  take(): string {
    return `MTB${this.county}${pad(this.next++, 6)}`;
  }
}

/** Application ids drawn from the table's own sequence, so the rows can name them before COPY. */
async function applicationIds(db: Db, n: number): Promise<number[]> {
  if (n === 0) return [];
  const r = await db.query<{ id: number }>(
    `SELECT nextval(pg_get_serial_sequence('chronic_application', 'application_id')) AS id
       FROM generate_series(1, $1)`,
    [n],
  );
  return r.rows.map((x) => Number(x.id));
}

/**
 * Writes an application with its diseases, documents and, once decided, the expert's decisions
 * and the certificate it adds diseases to (valid from the acceptance day: 即时享受).
 */
function addApplication(
  rows: Rows,
  id: number,
  a: NewApplication,
  who: Authors,
  certificate: { has: (certno: string) => boolean; issue: (certno: string) => string },
): void {
  const decided = a.outcome === 'approved' || a.outcome === 'refused';
  const status = decided ? 'decided' : a.outcome;
  const due = a.outcome === 'incomplete' ? addDays(a.acceptedOn, 30) : null;
  const updated = decided ? at(a.decidedOn!, 16) : at(a.acceptedOn, 10);
  rows.applications.push([
    id,
    a.certno,
    a.regionCode,
    a.channel,
    a.fixmedinsCode,
    status,
    a.acceptedOn,
    due,
    false,
    1,
    a.note ?? null,
    a.createdBy,
    at(a.acceptedOn, 10),
    updated,
  ]);
  for (const d of a.diseases) {
    const decision =
      a.outcome === 'approved' ? 'approved' : a.outcome === 'refused' ? 'refused' : 'pending';
    const reason = a.outcome === 'refused' ? 'not_meeting_criteria' : null;
    const reasonNote = a.outcome === 'refused' ? '病历及检查结果未达到该病种认定标准' : null;
    rows.diseases.push([
      a.certno,
      id,
      d.disease,
      d.diagnosis,
      decision,
      decided ? 1 : 0,
      reason,
      reasonNote,
      decided ? who.expert.id : null,
      decided ? at(a.decidedOn!, 15) : null,
    ]);
    if (decided) {
      rows.reviews.push([
        a.certno,
        id,
        d.disease,
        1,
        decision,
        reason,
        reasonNote,
        who.expert.id,
        who.expert.name,
        at(a.decidedOn!, 15),
      ]);
    }
    if (a.outcome === 'approved') {
      rows.certificateDiseases.push([
        a.certno,
        d.disease,
        a.acceptedOn,
        null,
        id,
        null,
        null,
        null,
        null,
      ]);
    }
  }
  if (a.outcome === 'approved' && !certificate.has(a.certno)) {
    rows.certificates.push([
      a.certno,
      certificate.issue(a.certno),
      a.regionCode,
      a.decidedOn,
      'review',
      who.expert.id,
      at(a.decidedOn!, 16),
    ]);
  }
  // The checklist's documents: all three once complete, the medical record alone while 容缺.
  const kinds =
    a.outcome === 'incomplete'
      ? ['medical_record']
      : ['medical_record', 'test_result', 'prescription_history'];
  for (const kind of kinds) {
    const pdf = demoPdf(`Triguard demo ${DOCUMENT_NAMES[kind]} application ${id}`);
    rows.attachments.push([
      a.certno,
      id,
      kind,
      `${DOCUMENT_NAMES[kind]}-${id}.pdf`,
      'application/pdf',
      pdf.length,
      createHash('sha256').update(pdf).digest('hex'),
      pdf.toString('hex'),
      a.createdBy,
      at(a.acceptedOn, 11),
    ]);
  }
}

const hashSql = (column: string, salt: string) =>
  `(('x' || substr(md5(${column} || ${salt}), 1, 7))::bit(28)::int % 1000)`;

/** Step one, before the year's bills: health centres, certificates, filings. */
export async function loadChronicDemo(
  db: Db,
  opts: ChronicDemoOptions,
): Promise<ChronicDemoCounts> {
  const county = opts.county ?? DEMO_COUNTY;
  const y = opts.year;
  // The demo owns these tables: a reloaded county (demo --replace) starts them afresh.
  await db.exec(`TRUNCATE chronic_screening_person, chronic_screening, chronic_review,
    chronic_attachment, chronic_application_disease, chronic_application,
    chronic_certificate_disease, chronic_certificate, two_diseases_filing RESTART IDENTITY`);
  // The health centres the filings name (registered with the catalogue; again for a load alone).
  await registerDemoInstitutions(db);
  const centres = DEMO_HEALTH_CENTRES.filter((h) => h.townshipCode.startsWith(county));
  const who = await authors(db);

  // Certificate holders: 15 % of the flagged (but for the severe mental patients, whom their
  // flag covers) and 2.5 % of people over fifty.
  const holders = await db.query<{ certno: string; region_code: string; ill: boolean }>(
    `SELECT p.certno::text AS certno, p.region_code,
            EXISTS (SELECT 1 FROM person_flag f WHERE f.certno = p.certno
                     AND f.category = 'illness_poverty') AS ill
       FROM person p
      WHERE p.region_code LIKE $1 || '%' AND p.status = 'alive'
        AND ${hashSql('p.certno', '$2')} < CASE
              WHEN EXISTS (SELECT 1 FROM person_flag f WHERE f.certno = p.certno
                            AND f.category NOT IN ('severe_mental', 'mental_aid_card')) THEN 150
              WHEN p.birth_date <= $3 THEN 25 ELSE 0 END
      ORDER BY p.certno`,
    [county, `certificate-${opts.seed}`, `${y - 50}-12-31`],
  );
  const rows = new Rows();
  const numbers = new CertificateNumbers(county, 1);
  const certified = new Set<string>();
  const diseasesOf = new Map<string, Set<string>>();
  const reviewed = holders.rows.filter(
    (h) => new Random(personSeed(h.certno, opts.seed)).next() < 0.15,
  );
  const ids = await applicationIds(db, reviewed.length);
  let nextId = 0;
  for (const h of holders.rows) {
    const rnd = new Random(personSeed(h.certno, opts.seed));
    const review = rnd.next() < 0.15;
    const ws = h.ill ? WEIGHTS_ILL : WEIGHTS;
    const diseases = new Set([weighted(rnd, ws)]);
    if (rnd.next() < 0.2) diseases.add(weighted(rnd, ws));
    diseasesOf.set(h.certno, diseases);
    if (review) {
      // Accepted in the first quarter, decided two or three weeks later.
      const acceptedOn = addDays(`${y}-01-05`, rnd.int(85));
      addApplication(
        rows,
        ids[nextId++]!,
        {
          certno: h.certno,
          regionCode: h.region_code,
          channel: rnd.next() < 0.5 ? 'window' : 'township',
          fixmedinsCode: null,
          acceptedOn,
          createdBy: who.staff,
          diseases: [...diseases].map((d) => ({
            disease: d,
            diagnosis: rnd.pick(DEMO_DIAGNOSES[d]!),
          })),
          outcome: 'approved',
          decidedOn: addDays(acceptedOn, 7 + rnd.int(14)),
        },
        who,
        { has: (c) => certified.has(c), issue: () => numbers.take() },
      );
      certified.add(h.certno);
      continue;
    }
    // Imported: certified in the three years before, a few diseases expired since.
    const issuedOn = addDays(`${y - 3}-01-01`, rnd.int(3 * 365 - 30));
    rows.certificates.push([
      h.certno,
      numbers.take(),
      h.region_code,
      issuedOn,
      'import',
      DEMO_CHRONIC_ACTOR.id,
      at(`${y - 1}-12-20`, 9),
    ]);
    certified.add(h.certno);
    for (const d of diseases) {
      const expired = rnd.next() < 0.03;
      const validTo = expired ? minDate(addDays(issuedOn, 365), `${y - 1}-12-31`) : null;
      rows.certificateDiseases.push([
        h.certno,
        d,
        issuedOn,
        validTo,
        null,
        expired ? 'expired' : null,
        expired ? '复审未提交材料，到期终止' : null,
        expired ? DEMO_CHRONIC_ACTOR.id : null,
        expired ? at(validTo!, 17) : null,
      ]);
    }
  }

  // Two-diseases filings: 11 % of people from 45, at their township's health centre; those
  // certified for hypertension or diabetes with complications are treated under the certificate.
  const filed = await db.query<{ certno: string; region_code: string }>(
    `SELECT p.certno::text AS certno, p.region_code FROM person p
      WHERE p.region_code LIKE $1 || '%' AND p.status = 'alive' AND p.birth_date <= $3
        AND ${hashSql('p.certno', '$2')} < 110
      ORDER BY p.certno`,
    [county, `filing-${opts.seed}`, `${y - 45}-12-31`],
  );
  for (const f of filed.rows) {
    const held = diseasesOf.get(f.certno);
    if (held && (held.has('M001') || held.has('M002'))) continue;
    const rnd = new Random(personSeed(f.certno, opts.seed ^ 0x2d15));
    const r = rnd.next();
    const diseases: ('hypertension' | 'diabetes')[] =
      r < 0.65 ? ['hypertension'] : r < 0.9 ? ['diabetes'] : ['hypertension', 'diabetes'];
    const validFrom =
      rnd.next() < 0.6
        ? addDays(`${y - 2}-01-01`, rnd.int(2 * 365))
        : addDays(`${y}-01-01`, rnd.int(180));
    const firstTownship = f.region_code.startsWith(DEMO_HEALTH_CENTRES[0]!.townshipCode);
    for (const d of diseases) {
      rows.filings.push([
        f.certno,
        d,
        DEMO_TWO_DISEASES_DIAGNOSES[d],
        healthCentreOf(f.region_code),
        f.region_code,
        validFrom,
        null,
        'doctor',
        firstTownship ? who.doctor : DEMO_CHRONIC_ACTOR.id,
        at(validFrom, 10),
      ]);
    }
  }
  // The national gateway's walk-through (docs/national-gateway.md) settles 罗国's two-diseases
  // visit at 城关镇卫生院: he is filed for hypertension there whatever the draw.
  const walker = await db.query<{ region_code: string }>(
    `SELECT region_code FROM person WHERE certno = $1 AND region_code LIKE $2 || '%'`,
    [WALK_THROUGH_PATIENT, county],
  );
  const walkerFiled = rows.filings.some(
    (f) => f[0] === WALK_THROUGH_PATIENT && f[1] === 'hypertension',
  );
  if (walker.rows[0] && !walkerFiled) {
    const region = walker.rows[0].region_code;
    rows.filings.push([
      WALK_THROUGH_PATIENT,
      'hypertension',
      DEMO_TWO_DISEASES_DIAGNOSES.hypertension,
      healthCentreOf(region),
      region,
      `${y - 1}-06-01`,
      null,
      'doctor',
      DEMO_CHRONIC_ACTOR.id,
      at(`${y - 1}-06-01`, 10),
    ]);
  }
  await rows.write(db);
  const counts: ChronicDemoCounts = {
    healthCentres: centres.length,
    certificates: rows.certificates.length,
    certificateDiseases: rows.certificateDiseases.length,
    applications: rows.applications.length,
    filings: rows.filings.length,
  };
  await recordAudit(db, {
    actor: DEMO_CHRONIC_ACTOR,
    action: 'chronic.demo.load',
    entity: 'chronic_demo',
    entityId: county,
    certno: null,
    after: counts,
  });
  await db.exec(
    'ANALYZE chronic_certificate, chronic_certificate_disease, chronic_application, two_diseases_filing',
  );
  return counts;
}

export interface ScreeningDemoCounts {
  screeningId: number;
  listed: number;
  visited: number;
  applied: number;
  approved: number;
  refused: number;
  notApplying: number;
  walkIns: number;
}

/**
 * Outcomes and reasons are dealt in turn from these patterns (in the proportions they hold), so
 * that even a small county shows every state of an application and every reason.
 */
const OUTCOMES = [
  'approved',
  'refused',
  'under_review',
  'approved',
  'incomplete',
  'approved',
  'under_review',
  'approved',
  'refused',
  'approved',
] as const;
const REASONS: readonly NotApplyingReason[] = [
  'no_outpatient_need',
  'no_chronic_disease',
  'not_in_catalogue',
  'no_outpatient_need',
  'no_chronic_disease',
];
const REASON_NOTES: Record<NotApplyingReason, string> = {
  no_outpatient_need: '病情稳定，暂无门诊用药需求',
  no_chronic_disease: '住院为急性发作，经家庭医生评估未患慢性病',
  not_in_catalogue: '所患疾病不在门诊慢特病病种目录内',
  review_not_passed: '鉴定未通过，已送达告知书',
};

/**
 * Step two, after the year's bills: the screening of the year (run on 5 January of the next year
 * by the bureau), visits over the following weeks, applications and their reviews, and walk-in
 * applications awaiting review. Null when no pack holds the year's end (no catalogue).
 */
export async function screenChronicDemo(
  db: Db,
  opts: ChronicDemoOptions,
  packs: PackChooser,
): Promise<ScreeningDemoCounts | null> {
  const county = opts.county ?? DEMO_COUNTY;
  const y = opts.year;
  const periodTo = `${y}-12-31`;
  let pack;
  try {
    pack = packs.choose(county, periodTo);
  } catch {
    return null;
  }
  const catalogue = catalogueKeys(pack, periodTo);
  const criteria: ScreeningCriteria = {
    periodFrom: `${y}-01-01`,
    periodTo,
    categories: [],
    regionCode: county,
    county,
    pack: pack.name,
    severeMental: catalogue.severeMental,
  };
  const who = await authors(db);
  const runDate = `${y + 1}-01-05`;
  const actor: Actor = { ...DEMO_CHRONIC_ACTOR, id: who.staff };
  const run = await db.transaction(async (tx) => {
    const r = await insertRun(tx, criteria, who.staff, at(runDate, 9));
    r.listed = await screenInto(tx, r.screening_id, criteria, catalogue, SYSTEM_ACTOR.scope);
    await appendAudit(tx, {
      actor,
      action: 'chronic.screening.run',
      entity: 'chronic_screening',
      entityId: String(r.screening_id),
      certno: null,
      after: { criteria, listed: r.listed },
    });
    return r;
  });
  const listed = await db.query<{
    certno: string;
    region_code: string;
    diseases: string[];
    diagnoses: string[];
  }>(
    `SELECT certno::text AS certno, region_code, diseases, diagnoses
       FROM chronic_screening_person WHERE screening_id = $1 ORDER BY certno`,
    [run.screening_id],
  );
  const held = await db.query<{ certno: string }>(
    `SELECT certno::text AS certno FROM chronic_certificate WHERE region_code LIKE $1 || '%'`,
    [county],
  );
  const certified = new Set(held.rows.map((r) => r.certno));
  const last = await db.query<{ n: number | null }>(
    `SELECT max(substr(certificate_no, $2)::int) AS n FROM chronic_certificate
      WHERE certificate_no LIKE 'MTB' || $1 || '%'`,
    [county, 4 + county.length],
  );
  const numbers = new CertificateNumbers(county, (last.rows[0]?.n ?? 0) + 1);
  const issue = { has: (c: string) => certified.has(c), issue: () => numbers.take() };

  const counts: ScreeningDemoCounts = {
    screeningId: run.screening_id,
    listed: listed.rows.length,
    visited: 0,
    applied: 0,
    approved: 0,
    refused: 0,
    notApplying: 0,
    walkIns: 0,
  };
  const rows = new Rows();
  const visits: [
    string,
    IsoDate,
    NotApplyingReason | null,
    string | null,
    string,
    string,
    number | null,
  ][] = [];
  type Plan = { l: (typeof listed.rows)[number]; rnd: Random; visitedOn: IsoDate; r: number };
  const plans: Plan[] = [];
  for (const l of listed.rows) {
    const rnd = new Random(personSeed(l.certno, opts.seed ^ 0x5c4ee7));
    if (rnd.next() >= 0.78) continue;
    plans.push({ l, rnd, visitedOn: addDays(runDate, 2 + rnd.int(40)), r: rnd.next() });
  }
  const ids = await applicationIds(db, plans.filter((p) => p.r < 0.45).length);
  let nextId = 0;
  let reasons = 0;
  for (const { l, rnd, visitedOn, r } of plans) {
    counts.visited++;
    const firstTownship = l.region_code.startsWith(DEMO_HEALTH_CENTRES[0]!.townshipCode);
    const visitor = firstTownship ? (rnd.next() < 0.5 ? who.doctor : who.township) : who.staff;
    if (r < 0.45) {
      const id = ids[nextId++]!;
      const outcome = OUTCOMES[counts.applied % OUTCOMES.length]!;
      const acceptedOn = addDays(visitedOn, rnd.int(4));
      const decidedOn = addDays(acceptedOn, 10 + rnd.int(20));
      addApplication(
        rows,
        id,
        {
          certno: l.certno,
          regionCode: l.region_code,
          channel: visitor === who.doctor ? 'doctor' : 'township',
          fixmedinsCode: visitor === who.doctor ? healthCentreOf(l.region_code) : null,
          acceptedOn,
          createdBy: visitor,
          diseases: l.diseases.map((d) => ({
            disease: d,
            diagnosis:
              l.diagnoses.find((x) => diseaseOf(catalogue, x) === d) ?? DEMO_DIAGNOSES[d]![0]!,
          })),
          outcome,
          decidedOn,
          note: '摸底排查走访后申请',
        },
        who,
        issue,
      );
      if (outcome === 'approved') certified.add(l.certno);
      counts.applied++;
      if (outcome === 'approved') counts.approved++;
      if (outcome === 'refused') {
        // The household's book then records why nobody holds a certificate (seed 004).
        counts.refused++;
        counts.notApplying++;
        visits.push([
          l.certno,
          visitedOn,
          'review_not_passed',
          REASON_NOTES.review_not_passed,
          visitor,
          at(decidedOn, 17),
          id,
        ]);
      } else {
        visits.push([
          l.certno,
          visitedOn,
          null,
          '已协助提交慢性病鉴定申请',
          visitor,
          at(visitedOn, 17),
          id,
        ]);
      }
    } else if (r < 0.85) {
      const reason = REASONS[reasons++ % REASONS.length]!;
      counts.notApplying++;
      visits.push([
        l.certno,
        visitedOn,
        reason,
        REASON_NOTES[reason],
        visitor,
        at(visitedOn, 17),
        null,
      ]);
    } else {
      visits.push([
        l.certno,
        visitedOn,
        null,
        '考虑中，下次走访再确认',
        visitor,
        at(visitedOn, 17),
        null,
      ]);
    }
  }

  // Walk-ins: people not on the list, applying at the window or through the county hospital.
  const walkIns = await db.query<{ certno: string; region_code: string }>(
    `SELECT p.certno::text AS certno, p.region_code FROM person p
      WHERE p.region_code LIKE $1 || '%' AND p.status = 'alive'
        AND NOT EXISTS (SELECT 1 FROM chronic_certificate c WHERE c.certno = p.certno)
        AND NOT EXISTS (SELECT 1 FROM chronic_screening_person s WHERE s.certno = p.certno)
        AND EXISTS (SELECT 1 FROM person_flag f WHERE f.certno = p.certno
                     AND f.category NOT IN ('severe_mental', 'mental_aid_card'))
      ORDER BY md5(p.certno || $2) LIMIT $3`,
    [county, `walk-in-${opts.seed}`, Math.max(4, Math.round(listed.rows.length / 6))],
  );
  const walkInIds = await applicationIds(db, walkIns.rows.length);
  walkIns.rows.forEach((w, i) => {
    const rnd = new Random(personSeed(w.certno, opts.seed ^ 0x3a1c));
    const disease = weighted(rnd, WEIGHTS);
    const hospital = rnd.next() < 0.5;
    addApplication(
      rows,
      walkInIds[i]!,
      {
        certno: w.certno,
        regionCode: w.region_code,
        channel: hospital ? 'hospital' : 'window',
        fixmedinsCode: hospital ? 'H37089900001' : null,
        acceptedOn: addDays(runDate, 10 + rnd.int(30)),
        createdBy: who.staff,
        diseases: [{ disease, diagnosis: rnd.pick(DEMO_DIAGNOSES[disease]!) }],
        outcome: i % 5 < 3 ? 'under_review' : 'incomplete',
      },
      who,
      issue,
    );
  });
  counts.walkIns = walkIns.rows.length;

  await db.transaction(async (tx) => {
    for (const [certno, visitedOn, reason, note, by, recordedAt, applicationId] of visits) {
      await tx.query(
        `UPDATE chronic_screening_person
            SET visited_on = $3, not_applying = $4, note = $5, recorded_by = $6, recorded_at = $7,
                application_id = $8
          WHERE certno = $1 AND screening_id = $2`,
        [certno, run.screening_id, visitedOn, reason, note, by, recordedAt, applicationId],
      );
    }
  });
  await rows.write(db);
  await recordAudit(db, {
    actor: DEMO_CHRONIC_ACTOR,
    action: 'chronic.demo.screening',
    entity: 'chronic_screening',
    entityId: String(run.screening_id),
    certno: null,
    after: counts,
  });
  await db.exec(
    'ANALYZE chronic_screening_person, chronic_application, chronic_application_disease, chronic_certificate_disease',
  );
  return counts;
}
