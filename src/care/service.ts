/**
 * Family-doctor contracts, the monthly follow-up record, the month's lists, the bureau's spot
 * checks and the year-end assessment (docs/care.md §1–§5). Every change is audited in its
 * transaction; every read of a care record is audited too (§6), and every read takes the caller's
 * scope, so a person outside it answers as one that does not exist.
 */
import { appendAudit, recordAudit } from '../audit/index.ts';
import { mayReadSensitive } from '../kernel/access/masking.ts';
import { shownCertno } from './core/view.ts';
import type { Actor } from '../kernel/access/actor.ts';
import type { ChronicService } from '../chronic/index.ts';
import type { Db, Queryable } from '../db/db.ts';
import { localDate } from '../kernel/clock.ts';
import { addDays } from '../kernel/dates.ts';
import { isTriguardError, notFound, TriguardError, unprocessable } from '../kernel/errors.ts';
import { addMonths, monthOf, type IsoDate, type Month } from '../kernel/period.ts';
import { xlsxBuffer } from '../tabular/write.ts';
import { assess, type Assessment } from './core/assessment.ts';
import { checkContract, type ContractInput, type ContractRow } from './core/contract.ts';
import { checkFollowup, contractOn, glucoseTenths, type FollowupInput } from './core/followup.ts';
import { monthBounds, monthStatus, recordedBp, type MonthStatus } from './core/overdue.ts';
import {
  contractsOf,
  endContract,
  findContract,
  findPerson,
  insertContract,
  institutionExists,
  uncontracted,
  type PersonRow,
  type UncontractedRow,
} from './repo/contracts.ts';
import {
  closeSpotCheck,
  findFollowup,
  findSpotCheck,
  followupsOf,
  insertFollowup,
  insertSpotCheck,
  listSpotChecks,
  spotChecksOf,
  type Finding,
  type FollowupRow,
  type SpotCheckRow,
} from './repo/followups.ts';
import {
  assessmentCounts,
  contractCounties,
  countyDue,
  monthPeople,
  monthSummary,
  openMonth,
  type MonthGroupRow,
} from './repo/month.ts';
import type { Page } from './repo/sql.ts';

export const personNotFound = (certno: string) =>
  notFound(
    'person.not_found',
    'certno',
    `未找到参保人（或不在您的数据范围内）：${certno.slice(0, 6)}…`,
    `no such person (or outside your data scope): ${certno.slice(0, 6)}…`,
  );

const contractNotFound = (id: number) =>
  notFound('care.contract_not_found', 'id', `没有这份签约：${id}`, `no such contract: ${id}`);

const checkNotFound = (id: number) =>
  notFound(
    'care.spot_check_not_found',
    'id',
    `没有这次上门随访：${id}`,
    `no such spot check: ${id}`,
  );

export interface FollowupView extends Omit<FollowupRow, 'glucoseTenths'> {
  glucose: number | null;
}

export interface PersonCare {
  certno: string;
  name: string;
  regionCode: string;
  contracts: ContractRow[];
  followups: FollowupView[];
  spotChecks: SpotCheckRow[];
}

export interface MonthPerson {
  certno: string;
  name: string;
  regionCode: string;
  contractId: number;
  doctor: string;
  team: string;
  fixmedinsCode: string;
  visitedOn: IsoDate | null;
  status: MonthStatus;
}

export interface MonthGroup extends MonthGroupRow {
  missing: number;
  recordedBp: number;
}

export interface SpotCheckInput {
  checkedOn: IsoDate;
  /** The month whose record was checked (default: the month of the check). */
  month?: Month | undefined;
  finding: Finding;
  note?: string | null | undefined;
  correction?: string | null | undefined;
  correctionDue?: IsoDate | null | undefined;
}

export interface AssessmentLine extends Assessment {
  fixmedinsCode: string;
  fixmedinsName: string | null;
  /** null: the institution's total over its teams. */
  team: string | null;
}

/**
 * Opens a county's month (the monthly job, `triguard care open-month`): counts who is due and
 * records it once, audited; opening it again changes nothing.
 */
export async function openCountyMonth(
  db: Db,
  actor: Actor,
  county: string,
  month: Month,
): Promise<{ opened: boolean; due: number }> {
  return db.transaction(async (tx) => {
    const due = await countyDue(tx, county, { month, last: monthBounds(month).last });
    const opened = await openMonth(tx, county, month, due, actor.id);
    if (opened) {
      await appendAudit(tx, {
        actor,
        action: 'care.month.open',
        entity: 'care_month',
        entityId: `${county}:${month}`,
        certno: null,
        after: { county, month, due },
      });
    }
    return { opened, due };
  });
}

/** Opens the month in every county that has contracts. */
export async function openMonths(
  db: Db,
  actor: Actor,
  month: Month,
): Promise<{ county: string; opened: boolean; due: number }[]> {
  const out = [];
  for (const county of await contractCounties(db)) {
    out.push({ county, ...(await openCountyMonth(db, actor, county, month)) });
  }
  return out;
}

export class CareService {
  constructor(
    private readonly db: Db,
    private readonly chronic: ChronicService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  today(): IsoDate {
    return localDate(this.now());
  }

  private async person(
    q: Queryable,
    actor: Actor,
    certno: string,
    lock = false,
  ): Promise<PersonRow> {
    const p = await findPerson(q, actor.scope, certno, lock);
    if (!p) throw personNotFound(certno);
    return p;
  }

  /** Audits a read of care records (docs/care.md §6). */
  private read(
    actor: Actor,
    action: string,
    entityId: string,
    certno: string | null,
    after: unknown,
  ) {
    return recordAudit(this.db, {
      actor,
      action: `care.${action}.read`,
      entity: 'care',
      entityId,
      certno,
      after,
    });
  }

  // ---- contracts (§1) -----------------------------------------------------------------------

  async createContract(actor: Actor, certno: string, input: ContractInput): Promise<ContractRow> {
    return this.db.transaction(async (tx) => {
      const person = await this.person(tx, actor, certno, true);
      if (!(await institutionExists(tx, input.fixmedinsCode))) {
        throw unprocessable(
          'care.unknown_institution',
          'fixmedinsCode',
          `未登记的定点医疗机构：${input.fixmedinsCode}`,
          `not a registered institution: ${input.fixmedinsCode}`,
        );
      }
      const contracts = await contractsOf(tx, certno);
      const running =
        contracts.find((c) => c.validTo === null || c.validTo >= input.validFrom) ?? null;
      checkContract(input, running);
      if (running) {
        await endContract(tx, certno, running.contractId, addDays(input.validFrom, -1), 'replaced');
      }
      const id = await insertContract(tx, {
        ...input,
        certno,
        townshipCode: person.regionCode.slice(0, 9),
        createdBy: actor.id,
      });
      const created = (await contractsOf(tx, certno)).find((c) => c.contractId === id)!;
      await appendAudit(tx, {
        actor,
        action: 'care.contract.create',
        entity: 'care_contract',
        entityId: String(id),
        certno,
        before: running,
        after: created,
      });
      return created;
    });
  }

  async endContract(
    actor: Actor,
    id: number,
    validTo: IsoDate,
    reason: string,
  ): Promise<ContractRow> {
    return this.db.transaction(async (tx) => {
      const c = await findContract(tx, actor.scope, id);
      if (!c) throw contractNotFound(id);
      if (validTo < c.validFrom || (c.validTo !== null && validTo > c.validTo)) {
        throw unprocessable(
          'care.contract_dates',
          'validTo',
          `终止日期 ${validTo} 须在签约期内（${c.validFrom} 起）`,
          `the end ${validTo} must fall within the contract (from ${c.validFrom})`,
        );
      }
      await endContract(tx, c.certno, id, validTo, reason);
      const after = (await findContract(tx, { kind: 'system' }, id))!;
      await appendAudit(tx, {
        actor,
        action: 'care.contract.end',
        entity: 'care_contract',
        entityId: String(id),
        certno: c.certno,
        before: c,
        after,
        reason,
      });
      return after;
    });
  }

  async uncontracted(
    actor: Actor,
    filter: { regionCode?: string | undefined },
    page: Page,
  ): Promise<{ items: UncontractedRow[]; total: number }> {
    const day = this.today();
    const r = await uncontracted(
      this.db,
      actor.scope,
      { ...filter, month: monthOf(day), day },
      page,
    );
    await this.read(actor, 'uncontracted', day, null, { filter, page, total: r.total });
    return {
      total: r.total,
      items: r.items.map((i) => ({ ...i, certno: shownCertno(actor, i.certno) })),
    };
  }

  // ---- the person's care record --------------------------------------------------------------

  async personCare(actor: Actor, certno: string): Promise<PersonCare> {
    const p = await this.person(this.db, actor, certno);
    const [contracts, followups, spotChecks] = await Promise.all([
      contractsOf(this.db, certno),
      followupsOf(this.db, certno),
      spotChecksOf(this.db, certno),
    ]);
    await this.read(actor, 'person', certno, certno, {
      contracts: contracts.length,
      followups: followups.length,
    });
    return {
      certno: shownCertno(actor, certno),
      name: p.name,
      regionCode: p.regionCode,
      contracts: contracts.map((c) => ({ ...c, certno: shownCertno(actor, c.certno) })),
      followups: followups.map((f) => this.followupView(actor, f)),
      spotChecks: spotChecks.map((s) => ({ ...s, certno: shownCertno(actor, s.certno) })),
    };
  }

  private followupView(actor: Actor, f: FollowupRow): FollowupView {
    const { glucoseTenths: g, ...rest } = f;
    const hide =
      f.suspectedDisease !== null &&
      !mayReadSensitive(actor) &&
      this.chronic.isSevereMental(actor, f.suspectedDisease);
    return {
      ...rest,
      certno: shownCertno(actor, f.certno),
      suspectedDisease: hide ? null : f.suspectedDisease,
      glucose: g === null ? null : g / 10,
    };
  }

  // ---- follow-up records (§2) -----------------------------------------------------------------

  async recordFollowup(actor: Actor, certno: string, input: FollowupInput): Promise<FollowupView> {
    const today = this.today();
    await this.person(this.db, actor, certno);
    checkFollowup(input, today);
    const contract = contractOn(await contractsOf(this.db, certno), input.visitedOn);
    if (!contract) {
      throw unprocessable(
        'care.no_contract',
        'visitedOn',
        `参保人在 ${input.visitedOn} 没有家庭医生签约`,
        `the person had no family-doctor contract on ${input.visitedOn}`,
      );
    }
    const chronic = await this.chronic.person(actor, certno);
    const certificateHeld = (chronic.certificate?.diseases ?? []).some(
      (d) =>
        d.endedReason === null &&
        d.validFrom <= input.visitedOn &&
        (d.validTo === null || d.validTo >= input.visitedOn),
    );
    const applicationId =
      input.suspectedDisease == null
        ? null
        : await this.applicationFor(actor, certno, input, chronic.applications);
    return this.db.transaction(async (tx) => {
      await this.person(tx, actor, certno, true);
      const id = await insertFollowup(tx, {
        certno,
        contractId: contract.contractId,
        month: monthOf(input.visitedOn),
        visitedOn: input.visitedOn,
        visitor: input.visitor,
        healthStatus: input.healthStatus,
        outpatientNeed: input.outpatientNeed,
        certificateHeld,
        suspectedDisease: input.suspectedDisease ?? null,
        applicationId,
        medication: input.medication ?? null,
        systolic: input.systolic ?? null,
        diastolic: input.diastolic ?? null,
        glucoseTenths: glucoseTenths(input.glucose),
        note: input.note ?? null,
        recordedBy: actor.id,
      });
      const row = await findFollowup(tx, certno, id);
      await appendAudit(tx, {
        actor,
        action: 'care.followup.create',
        entity: 'care_followup',
        entityId: String(id),
        certno,
        after: row,
      });
      return this.followupView(actor, row);
    });
  }

  /**
   * A suspected disease links to the application already open for it, or starts one — for a
   * certified person that is the application to add a disease (docs/care.md §2). Accepted today
   * as 容缺, the documents due in 30 days: the doctor helps collect them.
   */
  private async applicationFor(
    actor: Actor,
    certno: string,
    input: FollowupInput,
    applications: readonly {
      id: number;
      status: string;
      diseases: { disease: string; decision: string }[];
    }[],
  ): Promise<number> {
    const disease = input.suspectedDisease!;
    const open = applications.find(
      (a) =>
        (a.status === 'incomplete' || a.status === 'under_review') &&
        a.diseases.some((d) => d.disease === disease && d.decision === 'pending'),
    );
    if (open) return open.id;
    try {
      const app = await this.chronic.createApplication(actor, {
        certno,
        diseases: [{ disease, diagnosis: input.suspectedDiagnosis ?? null }],
        documentsDue: addDays(this.today(), 30),
        note: `家庭医生随访 ${input.visitedOn} 发现疑似病种`,
      });
      return app.id;
    } catch (e) {
      if (isTriguardError(e) && e.field?.startsWith('diseases[0].')) {
        const field = e.field.endsWith('.diagnosis') ? 'suspectedDiagnosis' : 'suspectedDisease';
        throw new TriguardError(e.kind, e.code, field, e.messages);
      }
      throw e;
    }
  }

  // ---- the month's lists (§3) ------------------------------------------------------------------

  async month(
    actor: Actor,
    month: Month,
    filter: {
      regionCode?: string | undefined;
      fixmedinsCode?: string | undefined;
      doctor?: string | undefined;
      team?: string | undefined;
      status?: 'recorded' | 'missing' | undefined;
    },
    page: Page,
  ): Promise<{ items: MonthPerson[]; total: number }> {
    const today = this.today();
    const { status, ...rest } = filter;
    const r = await monthPeople(
      this.db,
      actor.scope,
      {
        ...rest,
        month,
        last: monthBounds(month).last,
        recorded: status === undefined ? undefined : status === 'recorded',
      },
      page,
    );
    await this.read(actor, 'month', month, null, { filter, page, total: r.total });
    return {
      total: r.total,
      items: r.items.map((i) => ({
        ...i,
        certno: shownCertno(actor, i.certno),
        status: monthStatus(month, i.visitedOn !== null, today),
      })),
    };
  }

  async monthSummary(
    actor: Actor,
    month: Month,
    filter: { regionCode?: string | undefined },
  ): Promise<{ month: Month; ended: boolean; groups: MonthGroup[] }> {
    const groups = await monthSummary(this.db, actor.scope, {
      ...filter,
      month,
      last: monthBounds(month).last,
    });
    await this.read(actor, 'month_summary', month, null, { filter, groups: groups.length });
    return {
      month,
      ended: monthBounds(month).last < this.today(),
      groups: groups.map((g) => ({
        ...g,
        missing: g.contracted - g.recorded,
        recordedBp: recordedBp(g),
      })),
    };
  }

  /** Opens a county's month (docs/care.md §9). */
  openMonth(actor: Actor, county: string, month: Month): Promise<{ opened: boolean; due: number }> {
    return openCountyMonth(this.db, actor, county, month);
  }

  // ---- spot checks and corrections (§4) --------------------------------------------------------

  async spotCheck(actor: Actor, certno: string, input: SpotCheckInput): Promise<SpotCheckRow> {
    await this.person(this.db, actor, certno);
    const today = this.today();
    if (input.checkedOn > today) {
      throw unprocessable(
        'care.check_in_future',
        'checkedOn',
        `随访日期 ${input.checkedOn} 晚于今天`,
        `the check date ${input.checkedOn} is after today`,
      );
    }
    const correction = input.correction?.trim() || null;
    if ((input.finding === 'accurate') !== (correction === null)) {
      throw unprocessable(
        'care.correction_required',
        'correction',
        input.finding === 'accurate' ? '记录准确时无需整改' : '发现问题须填写整改要求',
        input.finding === 'accurate'
          ? 'an accurate record needs no correction'
          : 'a finding needs the correction asked for',
      );
    }
    const month = input.month ?? monthOf(input.checkedOn);
    const contract = contractOn(await contractsOf(this.db, certno), monthBounds(month).last);
    if (!contract) {
      throw unprocessable(
        'care.no_contract',
        'month',
        `参保人在 ${month} 没有家庭医生签约`,
        `the person had no family-doctor contract in ${month}`,
      );
    }
    return this.db.transaction(async (tx) => {
      await this.person(tx, actor, certno, true);
      const id = await insertSpotCheck(tx, {
        certno,
        townshipCode: contract.townshipCode,
        contractId: contract.contractId,
        fixmedinsCode: contract.fixmedinsCode,
        team: contract.team,
        checkedOn: input.checkedOn,
        month,
        finding: input.finding,
        note: input.note ?? null,
        correction,
        correctionDue:
          correction === null ? null : (input.correctionDue ?? addDays(input.checkedOn, 15)),
        checkedBy: actor.id,
      });
      const row = (await findSpotCheck(tx, { kind: 'system' }, id))!;
      await appendAudit(tx, {
        actor,
        action: 'care.spot_check.create',
        entity: 'care_spot_check',
        entityId: String(id),
        certno,
        after: row,
      });
      return row;
    });
  }

  async closeCorrection(
    actor: Actor,
    id: number,
    closedOn: IsoDate,
    note: string,
  ): Promise<SpotCheckRow> {
    return this.db.transaction(async (tx) => {
      const row = await findSpotCheck(tx, actor.scope, id, true);
      if (!row) throw checkNotFound(id);
      if (row.correction === null || row.closedOn !== null) {
        throw unprocessable(
          'care.nothing_to_close',
          'id',
          row.correction === null ? '这次随访没有整改要求' : `整改已于 ${row.closedOn} 销号`,
          row.correction === null
            ? 'this check asked for no correction'
            : `closed on ${row.closedOn}`,
        );
      }
      if (closedOn < row.checkedOn || closedOn > this.today()) {
        throw unprocessable(
          'care.close_date',
          'closedOn',
          `销号日期须在 ${row.checkedOn} 与今天之间`,
          `the closing date must fall between ${row.checkedOn} and today`,
        );
      }
      await closeSpotCheck(tx, row, closedOn, note);
      const after = (await findSpotCheck(tx, { kind: 'system' }, id))!;
      await appendAudit(tx, {
        actor,
        action: 'care.spot_check.close',
        entity: 'care_spot_check',
        entityId: String(id),
        certno: row.certno,
        before: row,
        after,
        reason: note,
      });
      return after;
    });
  }

  async spotChecks(
    actor: Actor,
    filter: { open?: boolean | undefined; fixmedinsCode?: string | undefined },
    page: Page,
  ): Promise<{ items: SpotCheckRow[]; total: number }> {
    const r = await listSpotChecks(this.db, actor.scope, filter, page);
    await this.read(actor, 'spot_checks', 'list', null, { filter, page, total: r.total });
    return {
      total: r.total,
      items: r.items.map((s) => ({ ...s, certno: shownCertno(actor, s.certno) })),
    };
  }

  // ---- the year-end assessment (§5) -------------------------------------------------------------

  async assessment(
    actor: Actor,
    year: number,
  ): Promise<{ year: number; throughMonth: Month; lines: AssessmentLine[] }> {
    const current = monthOf(this.today());
    // The running month is not over: only months that have ended are assessed.
    const last = `${year}-12` < current ? `${year}-12` : addMonths(current, -1);
    const rows =
      last < `${year}-01`
        ? []
        : await assessmentCounts(this.db, actor.scope, {
            fromMonth: `${year}-01`,
            toMonth: last,
            yearFrom: `${year}-01-01`,
            yearTo: `${year}-12-31`,
          });
    const lines: AssessmentLine[] = [];
    const byInstitution = new Map<string, typeof rows>();
    for (const r of rows)
      byInstitution.set(r.fixmedinsCode, [...(byInstitution.get(r.fixmedinsCode) ?? []), r]);
    for (const [code, teams] of byInstitution) {
      const sum = (
        k: 'dueMonths' | 'onTime' | 'spotChecks' | 'findings' | 'corrections' | 'correctionsClosed',
      ) => teams.reduce((s, t) => s + t[k], 0);
      lines.push({
        fixmedinsCode: code,
        fixmedinsName: teams[0]!.fixmedinsName,
        team: null,
        ...assess({
          dueMonths: sum('dueMonths'),
          onTime: sum('onTime'),
          spotChecks: sum('spotChecks'),
          findings: sum('findings'),
          corrections: sum('corrections'),
          correctionsClosed: sum('correctionsClosed'),
        }),
      });
      for (const t of teams) {
        lines.push({
          fixmedinsCode: code,
          fixmedinsName: t.fixmedinsName,
          team: t.team,
          ...assess(t),
        });
      }
    }
    await this.read(actor, 'assessment', String(year), null, { lines: lines.length });
    return { year, throughMonth: last, lines };
  }

  async assessmentXlsx(actor: Actor, year: number): Promise<{ fileName: string; content: Buffer }> {
    const a = await this.assessment(actor, year);
    const pct = (bp: number) => bp / 10_000;
    const content = await xlsxBuffer((book) => {
      const sheet = book.sheet(`${year}年度考核`, [
        { header: '定点医疗机构编号', key: 'code', width: 16 },
        { header: '机构名称', key: 'name', width: 20 },
        { header: '团队', key: 'team', width: 16 },
        { header: '应随访人月', key: 'due', width: 12 },
        { header: '按时记录', key: 'onTime', width: 10 },
        { header: '按时率', key: 'onTimeRate', width: 10, numFmt: '0.00%' },
        { header: '上门随访次数', key: 'checks', width: 12 },
        { header: '发现问题', key: 'findings', width: 10 },
        { header: '督促整改', key: 'corrections', width: 10 },
        { header: '已销号', key: 'closed', width: 10 },
        { header: '考核得分', key: 'score', width: 10, numFmt: '0.00' },
      ]);
      for (const l of a.lines) {
        sheet.row({
          code: l.fixmedinsCode,
          name: l.fixmedinsName,
          team: l.team ?? '（机构合计）',
          due: l.dueMonths,
          onTime: l.onTime,
          onTimeRate: pct(l.onTimeBp),
          checks: l.spotChecks,
          findings: l.findings,
          corrections: l.corrections,
          closed: l.correctionsClosed,
          score: l.scoreBp / 100,
        });
      }
    });
    return { fileName: `家庭医生动态管理考核-${year}.xlsx`, content };
  }
}
