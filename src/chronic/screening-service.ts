/**
 * Screening (摸底排查) and its funnel: runs, lists per township, the XLSX for the visitors, visits
 * with a reason for not applying, and what became of the people listed (docs/chronic.md §15, §16).
 * Every change is audited in the same transaction; every read takes the caller's scope.
 */
import type { Writable } from 'node:stream';
import { appendAudit, recordAudit } from '../audit/index.ts';
import {
  certnoFor,
  isPsychiatricDiagnosis,
  isSensitiveCategory,
  mayReadSensitive,
} from '../kernel/access/masking.ts';
import { auditSensitiveRead } from '../auth/index.ts';
import type { Actor } from '../kernel/access/actor.ts';
import type { Db } from '../db/db.ts';
import { TriguardError, isTriguardError, notFound, unprocessable } from '../kernel/errors.ts';
import type { IsoDate } from '../kernel/period.ts';
import type { PolicyPack } from '../policy/index.ts';
import { localDate } from '../kernel/clock.ts';
import { xlsxWriter, type XlsxColumn } from '../tabular/write.ts';
import {
  NOT_APPLYING_LABELS,
  catalogueKeys,
  checkPeriod,
  checkVisit,
  emptyFunnel,
  runRegion,
  type Funnel,
  type PersonStatus,
  type ScreeningCriteria,
  type ScreeningRequest,
  type VisitRequest,
} from './core/screening.ts';
import {
  allPeople,
  counties,
  findRun,
  funnelOf,
  insertRun,
  listPeople,
  listRuns,
  lockListed,
  regionExists,
  screenInto,
  writeVisit,
  type ListedRow,
  type RunRow,
} from './repo/screening.ts';

/** The packs by county and date (the settlement's pack catalogue has this shape). */
export interface PackChooser {
  choose(regionCode: string, date: IsoDate): PolicyPack;
}

export interface Page {
  page: number;
  pageSize: number;
}

export interface ScreeningView {
  id: number;
  periodFrom: string;
  periodTo: string;
  criteria: ScreeningCriteria;
  listed: number;
  createdBy: string;
  createdAt: string;
}

export interface ListedView {
  certno: string;
  name: string;
  regionCode: string;
  regionName: string | null;
  townshipCode: string;
  townshipName: string | null;
  diseases: string[];
  diagnoses: string[];
  visitedOn: string | null;
  notApplying: ListedRow['not_applying'];
  note: string | null;
  recordedBy: string | null;
  recordedAt: string | null;
  applicationId: number | null;
  applicationStatus: string | null;
  certified: boolean;
  refused: boolean;
}

export const screeningNotFound = (id: number) =>
  notFound(
    'chronic.screening_not_found',
    'id',
    `没有这次摸底排查：${id}`,
    `no such screening: ${id}`,
  );

const listedNotFound = (certno: string) =>
  notFound(
    'chronic.screening_person_not_found',
    'certno',
    `该排查名单中没有此人：${certno}`,
    `this person is not on the screening list: ${certno}`,
  );

export const runView = (r: RunRow): ScreeningView => ({
  id: r.screening_id,
  periodFrom: r.period_from,
  periodTo: r.period_to,
  criteria: r.criteria,
  listed: r.listed,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** A listed person as this reader may see them: the severe mental disease and F-codes go. */
function listedView(actor: Actor, run: RunRow, r: ListedRow): ListedView {
  const sensitive = mayReadSensitive(actor);
  return {
    certno: certnoFor(actor, r.certno),
    name: r.name,
    regionCode: r.region_code,
    regionName: r.region_name,
    townshipCode: r.township_code,
    townshipName: r.township_name,
    diseases: sensitive ? r.diseases : r.diseases.filter((d) => d !== run.criteria.severeMental),
    diagnoses: sensitive ? r.diagnoses : r.diagnoses.filter((d) => !isPsychiatricDiagnosis(d)),
    visitedOn: r.visited_on,
    notApplying: r.not_applying,
    note: r.note,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
    applicationId: r.application_id,
    applicationStatus: r.application_status,
    certified: r.certified,
    refused: r.refused,
  };
}

const revealsMental = (actor: Actor, run: RunRow, rows: readonly ListedRow[]) =>
  mayReadSensitive(actor) &&
  rows.some(
    (r) =>
      r.diagnoses.some(isPsychiatricDiagnosis) ||
      (run.criteria.severeMental !== null && r.diseases.includes(run.criteria.severeMental)),
  );

const APPLICATION_STATUS_ZH: Record<string, string> = {
  incomplete: '容缺待补',
  under_review: '待评审',
  decided: '已评审',
  withdrawn: '已撤回',
};

const COLUMNS: XlsxColumn[] = [
  { header: '序号', key: 'n', width: 6 },
  { header: '乡镇(街道)', key: 'township', width: 12 },
  { header: '村(居)', key: 'village', width: 12 },
  { header: '身份证号', key: 'certno', width: 22 },
  { header: '姓名', key: 'name', width: 10 },
  { header: '疑似病种', key: 'diseases', width: 36 },
  { header: '住院诊断', key: 'diagnoses', width: 18 },
  { header: '走访日期', key: 'visitedOn', width: 12 },
  { header: '未申请原因', key: 'notApplying', width: 16 },
  { header: '备注', key: 'note', width: 24 },
  { header: '申请状态', key: 'application', width: 10 },
  { header: '已办证', key: 'certified', width: 8 },
];

/** Excel refuses sheet names over 31 characters or with []:*?/\ in them. */
const sheetName = (name: string | null, code: string) =>
  (name ?? code).replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || code;

export class ScreeningService {
  constructor(
    private readonly db: Db,
    private readonly packs: PackChooser,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private today(): IsoDate {
    return localDate(this.now());
  }

  /** Lists the people to visit (docs/chronic.md §15) and records the run. */
  async run(actor: Actor, req: ScreeningRequest): Promise<ScreeningView> {
    const { categories } = checkPeriod(req);
    if (!mayReadSensitive(actor)) {
      const i = categories.findIndex(isSensitiveCategory);
      if (i >= 0) {
        throw new TriguardError('forbidden', 'chronic.category_sensitive', 'categories', {
          zh: `无权按身份类别 ${categories[i]} 排查`,
          en: `you may not screen by the category ${categories[i]}`,
        });
      }
    }
    if (req.regionCode !== undefined && !(await regionExists(this.db, req.regionCode))) {
      throw unprocessable(
        'region.unknown',
        'regionCode',
        `未知的行政区划：${req.regionCode}`,
        `unknown region: ${req.regionCode}`,
      );
    }
    const regionCode = runRegion(actor.scope, req.regionCode);
    const county = regionCode ? regionCode.slice(0, 6) : await this.onlyCounty();
    const pack = this.pack(county, req.periodTo);
    const catalogue = catalogueKeys(pack, req.periodTo);
    const criteria: ScreeningCriteria = {
      periodFrom: req.periodFrom,
      periodTo: req.periodTo,
      categories,
      regionCode,
      county,
      pack: pack.name,
      severeMental: catalogue.severeMental,
    };
    const run = await this.db.transaction(async (tx) => {
      const row = await insertRun(tx, criteria, actor.id, this.now().toISOString());
      row.listed = await screenInto(tx, row.screening_id, criteria, catalogue, actor.scope);
      await appendAudit(tx, {
        actor,
        action: 'chronic.screening.run',
        entity: 'chronic_screening',
        entityId: String(row.screening_id),
        certno: null,
        after: { criteria, listed: row.listed },
      });
      return row;
    });
    return runView(run);
  }

  private async onlyCounty(): Promise<string> {
    const all = await counties(this.db);
    if (all.length !== 1) {
      throw unprocessable(
        'chronic.region_required',
        'regionCode',
        '请指定排查的县（区）或乡镇',
        'name the county or township to screen',
      );
    }
    return all[0]!;
  }

  private pack(county: string, date: IsoDate): PolicyPack {
    try {
      return this.packs.choose(county, date);
    } catch (e) {
      if (isTriguardError(e) && e.code.startsWith('policy.')) {
        throw unprocessable('chronic.no_pack', 'periodTo', e.messages.zh, e.messages.en);
      }
      throw e;
    }
  }

  async list(actor: Actor, page: Page): Promise<{ items: ScreeningView[]; total: number }> {
    const r = await listRuns(this.db, actor.scope, mayReadSensitive(actor), page);
    return { items: r.items.map(runView), total: r.total };
  }

  private async visibleRun(actor: Actor, id: number): Promise<RunRow> {
    const run = await findRun(this.db, actor.scope, mayReadSensitive(actor), id);
    if (!run) throw screeningNotFound(id);
    return run;
  }

  async get(actor: Actor, id: number): Promise<ScreeningView> {
    return runView(await this.visibleRun(actor, id));
  }

  async people(
    actor: Actor,
    id: number,
    filter: { regionCode?: string | undefined; status?: PersonStatus | undefined },
    page: Page,
  ): Promise<{ items: ListedView[]; total: number }> {
    const run = await this.visibleRun(actor, id);
    const r = await listPeople(
      this.db,
      run,
      actor.scope,
      mayReadSensitive(actor),
      this.today(),
      filter,
      page,
    );
    if (revealsMental(actor, run, r.items)) {
      await auditSensitiveRead(this.db, actor, {
        entity: 'chronic_screening',
        entityId: String(id),
        certno: r.items.length === 1 ? r.items[0]!.certno : null,
        fields: ['diseases', 'diagnoses'],
      });
    }
    return { items: r.items.map((x) => listedView(actor, run, x)), total: r.total };
  }

  /**
   * The list as XLSX for the townships' staff and family doctors: one sheet per township, rows by
   * village and ID number (docs/chronic.md §15). The run is checked, and the export audited,
   * before anything is written.
   */
  async exportXlsx(
    actor: Actor,
    id: number,
    regionCode: string | undefined,
  ): Promise<{ fileName: string; write: (out: Writable) => Promise<number> }> {
    const run = await this.visibleRun(actor, id);
    const names = this.diseaseNames(run);
    const today = this.today();
    const fileName = `摸底排查名单_${run.period_from}_${run.period_to}_${id}${regionCode ? `_${regionCode}` : ''}.xlsx`;
    // Audited before a row is written: a download broken off has still been asked for.
    const { total } = await listPeople(
      this.db,
      run,
      actor.scope,
      mayReadSensitive(actor),
      today,
      { regionCode },
      { page: 1, pageSize: 1 },
    );
    await recordAudit(this.db, {
      actor,
      action: 'chronic.screening.export',
      entity: 'chronic_screening',
      entityId: String(id),
      certno: null,
      after: { regionCode: regionCode ?? null, rows: total },
    });
    const write = async (out: Writable): Promise<number> => {
      const book = xlsxWriter(out);
      let sheet: ReturnType<typeof book.sheet> | null = null;
      let township: string | null = null;
      let n = 0;
      let inSheet = 0;
      let mental = false;
      for await (const rows of allPeople(
        this.db,
        run,
        actor.scope,
        mayReadSensitive(actor),
        today,
        { regionCode },
      )) {
        mental ||= revealsMental(actor, run, rows);
        for (const row of rows) {
          if (row.township_code !== township) {
            township = row.township_code;
            sheet = book.sheet(sheetName(row.township_name, row.township_code), COLUMNS);
            inSheet = 0;
          }
          const v = listedView(actor, run, row);
          n++;
          sheet!.row({
            n: ++inSheet,
            township: row.township_name ?? row.township_code,
            village: row.region_name ?? row.region_code,
            certno: v.certno,
            name: v.name,
            diseases: v.diseases.map((d) => `${d} ${names.get(d) ?? ''}`.trim()).join('；'),
            diagnoses: v.diagnoses.join('；'),
            visitedOn: v.visitedOn,
            notApplying: v.notApplying ? NOT_APPLYING_LABELS[v.notApplying].zh : null,
            note: v.note,
            application: v.applicationStatus
              ? (APPLICATION_STATUS_ZH[v.applicationStatus] ?? v.applicationStatus)
              : null,
            certified: v.certified ? '是' : v.refused ? '未通过' : null,
          });
        }
      }
      if (sheet === null) book.sheet('名单', COLUMNS);
      await book.close();
      if (mental) {
        await auditSensitiveRead(this.db, actor, {
          entity: 'chronic_screening',
          entityId: String(id),
          certno: null,
          fields: ['diseases', 'diagnoses'],
        });
      }
      return n;
    };
    return { fileName, write };
  }

  /** The catalogue names of the run's pack (codes alone when the pack is no longer loaded). */
  private diseaseNames(run: RunRow): Map<string, string> {
    try {
      const pack = this.packs.choose(run.criteria.county, run.period_to);
      return new Map(pack.diseases.map((d) => [d.code, d.name.zh]));
    } catch {
      return new Map();
    }
  }

  /** Records a visit and, when nobody will apply, why (seed 004's four reasons). */
  async visit(actor: Actor, id: number, certno: string, req: VisitRequest): Promise<ListedView> {
    const run = await this.visibleRun(actor, id);
    const visit = checkVisit(req, run.run_date, this.today());
    const sensitive = mayReadSensitive(actor);
    await this.db.transaction(async (tx) => {
      const before = await lockListed(tx, actor.scope, sensitive, run, certno);
      if (!before) throw listedNotFound(certno);
      await writeVisit(tx, id, certno, visit, actor.id);
      await appendAudit(tx, {
        actor,
        action: 'chronic.screening.visit',
        entity: 'chronic_screening_person',
        entityId: `${id}/${certno}`,
        certno,
        before: {
          visitedOn: before.visited_on,
          notApplying: before.not_applying,
          note: before.note,
        },
        after: visit,
      });
    });
    const r = await listPeople(
      this.db,
      run,
      actor.scope,
      sensitive,
      this.today(),
      { certno },
      { page: 1, pageSize: 1 },
    );
    return listedView(actor, run, r.items[0]!);
  }

  /**
   * The funnel of one run (the caller's latest when none is named), in the caller's scope and
   * optionally one region (docs/chronic.md §16).
   */
  async funnel(
    actor: Actor,
    q: { screeningId?: number | undefined; regionCode?: string | undefined },
  ): Promise<Funnel> {
    const f = await screeningFunnel(this.db, actor, this.today(), q);
    if (f === null && q.screeningId !== undefined) throw screeningNotFound(q.screeningId);
    return f ?? emptyFunnel(null);
  }
}

/**
 * The funnel of the run named, or of the caller's latest; null when the caller sees no such run
 * (the dashboard shows nothing then). `today` is the day certificates are valid on.
 */
export async function screeningFunnel(
  db: Db,
  actor: Actor,
  today: IsoDate,
  q: { screeningId?: number | undefined; regionCode?: string | undefined } = {},
): Promise<Funnel | null> {
  const sensitive = mayReadSensitive(actor);
  const run = await findRun(db, actor.scope, sensitive, q.screeningId ?? null);
  return run ? funnelOf(db, run, actor.scope, sensitive, today, q.regionCode) : null;
}
