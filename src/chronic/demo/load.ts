/**
 * The demo county's chronic records (a step of `triguard demo` and of `npm start` on an empty
 * database, before the demo year of bills, which settles chronic and two-diseases visits only
 * for people covered): the certificates and filings the county already had, in bulk, and a few
 * applications in every state, made through the service as people would make them, in the first
 * township (the one the demo township office and family doctor work in).
 */
import { appendAudit } from '../../audit/log.ts';
import { permissionsOf, type Role } from '../../auth/roles.ts';
import type { Actor } from '../../auth/types.ts';
import type { CliIo } from '../../cli/command.ts';
import type { Db } from '../../db/db.ts';
import type { PolicyPack } from '../../policy/index.ts';
import { renderPdf } from '../documents/pdf.ts';
import {
  clearChronicDemo,
  demoApplicants,
  insertDemoCertificates,
  insertDemoFilings,
} from '../repo/demo.ts';
import { ChronicService } from '../service.ts';

export interface DemoChronicCounts {
  certificates: number;
  diseases: number;
  filings: number;
  applications: number;
}

const COUNTY = '370899';

const addDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const TOWNSHIP = '370899001';

const demoActor = (id: string, name: string, role: Role, regionCode: string): Actor => ({
  id,
  name,
  roles: [role],
  permissions: permissionsOf([role]),
  scope: { kind: 'region', regionCode },
  origin: null,
});

const STAFF = demoActor('system:demo-chronic', '经办人员（演示）', 'bureau_staff', COUNTY);
const TOWNSHIP_OFFICE = demoActor(
  'system:demo-township',
  '第一乡镇医保所（演示）',
  'township_office',
  TOWNSHIP,
);
const DOCTOR = demoActor('system:demo-doctor', '家庭医生（演示）', 'family_doctor', TOWNSHIP);
const EXPERT = demoActor('system:demo-expert', '评审专家（演示）', 'expert_reviewer', COUNTY);

/** A one-page scanned document stand-in, so the demo's attachments open in a browser. */
const documentPdf = (title: string) =>
  renderPdf({
    defaultStyle: { font: 'NotoSansHans', fontSize: 12 },
    content: [{ text: title, fontSize: 16, bold: true }, { text: '演示县演示材料，非真实病历。' }],
  });

export async function loadDemoChronic(
  db: Db,
  packs: readonly PolicyPack[],
  opts: { seed: number; year: number },
  now: () => Date = () => new Date(),
): Promise<DemoChronicCounts> {
  const bulk = { seed: opts.seed, year: opts.year, county: COUNTY, by: STAFF.id };
  const counts = await db.transaction(async (tx) => {
    await clearChronicDemo(tx);
    const certs = await insertDemoCertificates(tx, bulk);
    const filings = await insertDemoFilings(tx, bulk);
    await appendAudit(tx, {
      actor: STAFF,
      action: 'chronic.demo.load',
      entity: 'chronic_demo',
      entityId: COUNTY,
      after: { ...certs, filings },
    });
    return { ...certs, filings };
  });
  const applications = await demoApplications(new ChronicService(db, packs, now), db, opts);
  return { ...counts, applications };
}

/** A few applications in every state, as the workflow pages show them. */
async function demoApplications(
  service: ChronicService,
  db: Db,
  opts: { seed: number; year: number },
): Promise<number> {
  const people = await demoApplicants(db, { seed: opts.seed, township: TOWNSHIP, limit: 20 });
  if (people.length < 20) return 0;
  const today = service.today();
  const inYear = (month: number, day: number) =>
    `${opts.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const record = await documentPdf('病历资料（演示）');
  const tests = await documentPdf('检查检验报告（演示）');
  const attach = (id: number, kind: 'medical_record' | 'test_result', actor: Actor) =>
    service.addAttachment(actor, id, {
      kind,
      fileName: kind === 'medical_record' ? '病历资料.pdf' : '检查检验报告.pdf',
      content: kind === 'medical_record' ? record : tests,
      truncated: false,
    });
  let made = 0;
  const p = (i: number) => people[i]!;
  const apply = async (
    actor: Actor,
    i: number,
    diseases: string[],
    extra: { acceptedOn: string; documentsDue?: string; onsite?: boolean; note?: string },
  ) => {
    made++;
    return service.createApplication(actor, {
      certno: p(i),
      diseases: diseases.map((disease) => ({ disease })),
      ...extra,
    });
  };
  const approve = (id: number, diseases: string[]) =>
    service.decide(
      EXPERT,
      id,
      diseases.map((disease) => ({ disease, decision: 'approved', reason: null, note: null })),
    );
  const refuse = (
    id: number,
    disease: string,
    reason: 'not_meeting_criteria' | 'documents_insufficient',
    note: string,
  ) => service.decide(EXPERT, id, [{ disease, decision: 'refused', reason, note }]);

  // 容缺受理: accepted recently with documents missing, one already half supplied.
  for (const i of [0, 1, 2, 3]) {
    const a = await apply(
      i % 2 ? DOCTOR : TOWNSHIP_OFFICE,
      i,
      [['M001', 'M002', 'M005', 'M004'][i]!],
      {
        acceptedOn: addDays(today, -3 - i),
        documentsDue: addDays(today, 27 - i),
        note: '帮扶干部上门收取申请表，材料后补',
      },
    );
    if (i === 0) await attach(a.id, 'medical_record', TOWNSHIP_OFFICE);
  }
  // Under review: on-site assessments, and applications whose documents are complete.
  for (const i of [4, 5]) {
    await apply(DOCTOR, i, [i === 4 ? 'M003' : 'M002'], {
      acceptedOn: addDays(today, -10),
      onsite: true,
      note: '家庭医生现场鉴定：结合查体、服药记录',
    });
  }
  for (const i of [6, 7]) {
    const a = await apply(STAFF, i, [i === 6 ? 'M006' : 'M001'], {
      acceptedOn: addDays(today, -12),
      documentsDue: addDays(today, 18),
    });
    await attach(a.id, 'medical_record', STAFF);
    await attach(a.id, 'test_result', STAFF);
  }
  // Decided in the demo year: approved (certified from acceptance), refused (with a notice), both.
  for (const [i, disease, month] of [
    [8, 'M002', 3],
    [9, 'M001', 4],
    [10, 'M003', 5],
    [11, 'M004', 6],
    [12, 'S001', 7],
  ] as const) {
    const a = await apply(TOWNSHIP_OFFICE, i, [disease], {
      acceptedOn: inYear(month, 10),
      onsite: true,
    });
    await approve(a.id, [disease]);
  }
  for (const [i, disease, reason, note] of [
    [13, 'M005', 'not_meeting_criteria', '肺功能检查未见持续气流受限'],
    [14, 'M006', 'documents_insufficient', '缺少类风湿因子及影像学检查报告'],
    [15, 'M001', 'not_meeting_criteria', '未见靶器官损害'],
  ] as const) {
    const a = await apply(TOWNSHIP_OFFICE, i, [disease], {
      acceptedOn: inYear(8, 5),
      onsite: true,
    });
    await refuse(a.id, disease, reason, note);
  }
  {
    const a = await apply(STAFF, 16, ['M002', 'M005'], { acceptedOn: inYear(9, 1), onsite: true });
    await approve(a.id, ['M002']);
    await refuse(a.id, 'M005', 'not_meeting_criteria', '肺功能检查未达诊断标准');
  }
  // Withdrawn.
  for (const i of [17, 18]) {
    const a = await apply(TOWNSHIP_OFFICE, i, ['M004'], {
      acceptedOn: addDays(today, -30),
      documentsDue: addDays(today, -1),
    });
    await service.withdraw(
      TOWNSHIP_OFFICE,
      a.id,
      i === 17 ? '本人无门诊就医需求，放弃申请' : '已迁出本县',
    );
  }
  // A disease added to an existing certificate (seed 004: 13 people had one added).
  {
    const a = await apply(DOCTOR, 8, ['M003'], { acceptedOn: inYear(10, 12), onsite: true });
    await approve(a.id, ['M003']);
  }
  return made;
}

/** The step of `runDemoLoad`, with its line on the console. */
export async function demoChronicStep(
  db: Db,
  packs: readonly PolicyPack[],
  opts: { seed: number; year: number },
  io: Pick<CliIo, 'err'>,
): Promise<DemoChronicCounts> {
  const c = await loadDemoChronic(db, packs, opts);
  io.err(
    `demo chronic: ${c.certificates} certificates (${c.diseases} diseases), ${c.filings} two-diseases filings, ${c.applications} applications`,
  );
  return c;
}
