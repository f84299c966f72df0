/**
 * Medicine delivered to the door (送医送药上门, docs/care.md §8): the register of eligible people
 * confirmed by their family doctor, and the monthly delivery, which settles through the one
 * settlement engine as the person's chronic or two-diseases visit at the delivering institution.
 * Every change and every read is audited.
 */
import { appendAudit, recordAudit } from '../audit/index.ts';
import { shownCertno } from './core/view.ts';
import { MASKED, isPsychiatricDiagnosis, mayReadSensitive } from '../kernel/access/masking.ts';
import { xlsxBuffer } from '../tabular/write.ts';
import type { Actor } from '../kernel/access/actor.ts';
import type { ChronicService } from '../chronic/index.ts';
import type { Db } from '../db/db.ts';
import { localDate } from '../kernel/clock.ts';
import { conflict, isTriguardError, TriguardError, unprocessable } from '../kernel/errors.ts';
import { monthOf, type IsoDate, type Month } from '../kernel/period.ts';
import {
  type SettlementService,
  type SettlementView,
  readSettleRequest,
} from '../settlement/index.ts';
import {
  deliveryBasis,
  deliveryLines,
  deliveryMsgid,
  type CoverageFacts,
  type DeliveryLineInput,
  type Disability,
} from './core/delivery.ts';
import { monthBounds } from './core/overdue.ts';
import { findPerson, institutionExists } from './repo/contracts.ts';
import {
  deliveriesOf,
  deliveryCounts,
  deliveryMonth,
  deliveryOfMonth,
  drugsOn,
  eligibilitiesOf,
  endEligibility,
  insertDelivery,
  insertEligibility,
  type DeliveryRow,
  type EligibilityRow,
  type RegisterRow,
} from './repo/deliveries.ts';
import type { Page } from './repo/sql.ts';
import { personNotFound } from './service.ts';

export interface EligibilityInput {
  disability: Disability;
  /** A certificate disease code (M…), or hypertension / diabetes for a two-diseases filing. */
  disease: string;
  diagnosis: string;
  fixmedinsCode: string;
  confirmedOn: IsoDate;
  phone?: string | null | undefined;
}

export interface DeliveryInput {
  deliveredOn: IsoDate;
  deliveredBy: string;
  confirmedBy: 'patient' | 'guardian';
  confirmerName: string;
  lines: DeliveryLineInput[];
}

const active = (e: EligibilityRow, day: IsoDate) =>
  e.confirmedOn <= day && (e.endedOn === null || e.endedOn >= day);

export class DeliveryService {
  constructor(
    private readonly db: Db,
    private readonly settlement: SettlementService,
    private readonly chronic: ChronicService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private today(): IsoDate {
    return localDate(this.now());
  }

  private async person(actor: Actor, certno: string) {
    const p = await findPerson(this.db, actor.scope, certno);
    if (!p) throw personNotFound(certno);
    return p;
  }

  /**
   * A register row as the reader may see it: a severe-mental disease or a psychiatric diagnosis
   * only with registry:sensitive:read (docs/care.md §6), the ID number as care lists show it.
   */
  private shownRow<R extends EligibilityRow & { programme?: string | null }>(
    actor: Actor,
    r: R,
  ): R {
    const sensitive = mayReadSensitive(actor);
    const hide =
      !sensitive &&
      (isPsychiatricDiagnosis(r.diagnosis) || this.chronic.isSevereMental(actor, r.disease));
    return {
      ...r,
      certno: shownCertno(actor, r.certno),
      ...(hide ? { disease: MASKED, diagnosis: MASKED } : {}),
      // The free-drugs programme is the psychiatric agreement's (§10): that one paid, not which.
      ...(!sensitive && r.programme != null ? { programme: MASKED } : {}),
    };
  }

  private async coverage(actor: Actor, certno: string): Promise<CoverageFacts> {
    const c = await this.chronic.person(actor, certno);
    return {
      certified: (c.certificate?.diseases ?? []).filter((d) => d.endedReason === null),
      filings: c.filings.filter((f) => f.endedReason === null),
    };
  }

  private readAudit(
    actor: Actor,
    what: string,
    entityId: string,
    certno: string | null,
    after: unknown,
  ) {
    return recordAudit(this.db, {
      actor,
      action: `care.${what}.read`,
      entity: 'care_delivery',
      entityId,
      certno,
      after,
    });
  }

  /** The family doctor confirms a person for delivery: the register entry and its service card. */
  async confirm(actor: Actor, certno: string, input: EligibilityInput): Promise<EligibilityRow> {
    const person = await this.person(actor, certno);
    if (input.confirmedOn > this.today()) {
      throw unprocessable(
        'care.confirmed_in_future',
        'confirmedOn',
        `确认日期 ${input.confirmedOn} 晚于今天`,
        `the confirmation date ${input.confirmedOn} is after today`,
      );
    }
    const visitType = deliveryBasis(
      input.disease,
      await this.coverage(actor, certno),
      input.confirmedOn,
    );
    if (!(await institutionExists(this.db, input.fixmedinsCode))) {
      throw unprocessable(
        'care.unknown_institution',
        'fixmedinsCode',
        `未登记的定点医疗机构：${input.fixmedinsCode}`,
        `not a registered institution: ${input.fixmedinsCode}`,
      );
    }
    return this.db.transaction(async (tx) => {
      await findPerson(tx, actor.scope, certno, true);
      const before = (await eligibilitiesOf(tx, certno)).find((e) => e.endedOn === null) ?? null;
      // A new confirmation (another disease, another institution) replaces the running one.
      if (before)
        await endEligibility(tx, certno, before.eligibilityId, input.confirmedOn, 'replaced');
      const id = await insertEligibility(tx, {
        certno,
        townshipCode: person.regionCode.slice(0, 9),
        disability: input.disability,
        visitType,
        disease: input.disease,
        diagnosis: input.diagnosis,
        fixmedinsCode: input.fixmedinsCode,
        phone: input.phone ?? null,
        confirmedBy: actor.name,
        confirmedOn: input.confirmedOn,
        createdBy: actor.id,
      });
      const created = (await eligibilitiesOf(tx, certno)).find((e) => e.eligibilityId === id)!;
      await appendAudit(tx, {
        actor,
        action: 'care.delivery_eligibility.create',
        entity: 'care_delivery_eligibility',
        entityId: String(id),
        certno,
        before,
        after: created,
      });
      return created;
    });
  }

  /**
   * A month's delivery: the drugs settle as the person's visit at the delivering institution
   * (msgid per person and month, so a retry pays nothing twice), then the delivery is recorded
   * with its settlement. A refusal by the engine is answered naming the delivery's field.
   */
  async deliver(actor: Actor, certno: string, input: DeliveryInput): Promise<DeliveryRow> {
    await this.person(actor, certno);
    const day = input.deliveredOn;
    if (day > this.today()) {
      throw unprocessable(
        'care.delivery_in_future',
        'deliveredOn',
        `送药日期 ${day} 晚于今天`,
        `the delivery date ${day} is after today`,
      );
    }
    const eligibility = (await eligibilitiesOf(this.db, certno)).find((e) => active(e, day));
    if (!eligibility) {
      throw unprocessable(
        'care.not_eligible',
        'certno',
        `参保人在 ${day} 不在送医送药上门台帐内（须经家庭医生确认）`,
        `the person is not on the delivery register on ${day} (the family doctor confirms it)`,
      );
    }
    const month: Month = monthOf(day);
    const done = await deliveryOfMonth(this.db, certno, month);
    if (done) {
      throw conflict(
        'care.delivered_this_month',
        'deliveredOn',
        `${month} 已于 ${done.deliveredOn} 送药`,
        `${month} was delivered on ${done.deliveredOn}`,
      );
    }
    const drugs = await drugsOn(
      this.db,
      input.lines.map((l) => l.itemCode),
      day,
    );
    const lines = deliveryLines(input.lines, drugs, eligibility.visitType);
    const msgid = deliveryMsgid(certno, month);
    const settled = await this.settle(actor, certno, eligibility, day, lines, msgid);
    // The free drugs of the rehabilitation agreement (§10): the settlement's post-tier step
    // names the programme that bore the patient's part.
    const borne = (settled.postTier ?? []).filter((l) => l.amount > 0);
    return this.db.transaction(async (tx) => {
      await findPerson(tx, actor.scope, certno, true);
      const id = await insertDelivery(tx, {
        certno,
        eligibilityId: eligibility.eligibilityId,
        townshipCode: eligibility.townshipCode,
        month,
        deliveredOn: day,
        deliveredBy: input.deliveredBy,
        confirmedBy: input.confirmedBy,
        confirmerName: input.confirmerName,
        lines,
        settlementId: settled.settlementId,
        msgid,
        programme: borne[0]?.programme ?? null,
        programmePaid: settled.amounts.hosp_part_amt ?? 0,
        recordedBy: actor.id,
      });
      const row = (await deliveriesOf(tx, certno)).find((d) => d.deliveryId === id)!;
      await appendAudit(tx, {
        actor,
        action: 'care.delivery.create',
        entity: 'care_delivery',
        entityId: String(id),
        certno,
        after: row,
      });
      return row.programme !== null && !mayReadSensitive(actor)
        ? { ...row, programme: MASKED }
        : row;
    });
  }

  private async settle(
    actor: Actor,
    certno: string,
    e: EligibilityRow,
    day: IsoDate,
    lines: ReturnType<typeof deliveryLines>,
    msgid: string,
  ): Promise<SettlementView> {
    try {
      return await this.settlement.settle(actor, {
        ...readSettleRequest({
          msgid,
          certno,
          fixmedinsCode: e.fixmedinsCode,
          bill: {
            date: day,
            visitType: e.visitType,
            diagnosis: e.diagnosis,
            lines: lines.map((l) => ({
              amount: l.amount,
              class: l.class,
              selfPayRatio: l.selfPayRatio,
              itemCode: l.itemCode,
              days: l.days,
            })),
          },
        }),
        // A post-tier rule may name the bills of drugs delivered to the door.
        channel: 'delivery',
      });
    } catch (err) {
      // The engine names its bill's fields; the delivery's are the same without `bill.`.
      if (isTriguardError(err) && err.field?.startsWith('bill.')) {
        throw new TriguardError(err.kind, err.code, err.field.slice(5), err.messages);
      }
      throw err;
    }
  }

  async personDeliveries(
    actor: Actor,
    certno: string,
  ): Promise<{ eligibility: EligibilityRow[]; deliveries: DeliveryRow[] }> {
    await this.person(actor, certno);
    const [eligibility, deliveries] = await Promise.all([
      eligibilitiesOf(this.db, certno),
      deliveriesOf(this.db, certno),
    ]);
    await this.readAudit(actor, 'delivery', certno, certno, { deliveries: deliveries.length });
    const shown = shownCertno(actor, certno);
    // The free-drugs programme is the psychiatric agreement's: named only to sensitive readers.
    const hide = !mayReadSensitive(actor);
    return {
      eligibility: eligibility.map((e) => this.shownRow(actor, e)),
      deliveries: deliveries.map((d) => ({
        ...d,
        certno: shown,
        ...(hide && d.programme !== null ? { programme: MASKED } : {}),
      })),
    };
  }

  /** The month's register per township: who is due a delivery, who had it. */
  async month(
    actor: Actor,
    month: Month,
    filter: { regionCode?: string | undefined; status?: 'due' | 'done' | undefined },
    page: Page,
  ): Promise<{
    month: Month;
    townships: { townshipCode: string; eligible: number; delivered: number }[];
    items: (RegisterRow & { status: 'due' | 'done' })[];
    total: number;
  }> {
    const { first, last } = monthBounds(month);
    const [list, townships] = await Promise.all([
      deliveryMonth(
        this.db,
        actor.scope,
        {
          month,
          first,
          last,
          regionCode: filter.regionCode,
          delivered: filter.status === undefined ? undefined : filter.status === 'done',
        },
        page,
      ),
      deliveryCounts(this.db, actor.scope, { month, first, last }),
    ]);
    await this.readAudit(actor, 'delivery_month', month, null, { filter, page, total: list.total });
    return {
      month,
      townships,
      total: list.total,
      items: list.items.map((i) => ({
        ...this.shownRow(actor, i),
        status: i.deliveredOn === null ? 'due' : 'done',
      })),
    };
  }

  /**
   * Ends the running confirmation (the person recovered, moved, went into care, declined): the
   * register keeps it with the last day and the reason; audited, never deleted.
   */
  async endEligibility(
    actor: Actor,
    certno: string,
    input: { endedOn: IsoDate; reason: string },
  ): Promise<EligibilityRow> {
    await this.person(actor, certno);
    if (input.endedOn > this.today()) {
      throw unprocessable(
        'care.ended_in_future',
        'endedOn',
        `结束日期 ${input.endedOn} 晚于今天`,
        `the last day ${input.endedOn} is after today`,
      );
    }
    const ended = await this.db.transaction(async (tx) => {
      await findPerson(tx, actor.scope, certno, true);
      const before = (await eligibilitiesOf(tx, certno)).find((e) => e.endedOn === null);
      if (!before) {
        throw conflict(
          'care.not_on_register',
          'certno',
          '此人不在送医送药上门台帐中',
          'the person is not on the delivery register',
        );
      }
      if (input.endedOn < before.confirmedOn) {
        throw unprocessable(
          'care.ended_before_confirmed',
          'endedOn',
          `结束日期 ${input.endedOn} 早于确认日期 ${before.confirmedOn}`,
          `the last day ${input.endedOn} is before the confirmation on ${before.confirmedOn}`,
        );
      }
      await endEligibility(tx, certno, before.eligibilityId, input.endedOn, input.reason);
      const after = (await eligibilitiesOf(tx, certno)).find(
        (e) => e.eligibilityId === before.eligibilityId,
      )!;
      await appendAudit(tx, {
        actor,
        action: 'care.delivery_eligibility.end',
        entity: 'care_delivery_eligibility',
        entityId: String(before.eligibilityId),
        certno,
        before,
        after,
        reason: input.reason,
      });
      return after;
    });
    return this.shownRow(actor, ended);
  }

  /** The month's register as the XLSX the townships exchange (上门服务台帐), every row of it. */
  async monthXlsx(
    actor: Actor,
    month: Month,
    filter: { regionCode?: string | undefined; status?: 'due' | 'done' | undefined },
  ): Promise<{ fileName: string; content: Buffer }> {
    const { first, last } = monthBounds(month);
    const list = await deliveryMonth(
      this.db,
      actor.scope,
      {
        month,
        first,
        last,
        regionCode: filter.regionCode,
        delivered: filter.status === undefined ? undefined : filter.status === 'done',
      },
      { page: 1, pageSize: 1_000_000 },
    );
    await this.readAudit(actor, 'delivery_month', month, null, {
      filter,
      export: 'xlsx',
      total: list.total,
    });
    const content = await xlsxBuffer((book) => {
      const sheet = book.sheet(`${month}送医送药上门台帐`, [
        { header: '乡镇', key: 'township', width: 12 },
        { header: '姓名', key: 'name', width: 10 },
        { header: '身份证号', key: 'certno', width: 20 },
        { header: '联系卡号', key: 'card', width: 16 },
        { header: '联系电话', key: 'phone', width: 14 },
        { header: '失能情况', key: 'disability', width: 10 },
        { header: '病种', key: 'disease', width: 12 },
        { header: '诊断', key: 'diagnosis', width: 10 },
        { header: '送药机构', key: 'institution', width: 16 },
        { header: '核实医生', key: 'confirmedBy', width: 10 },
        { header: '核实日期', key: 'confirmedOn', width: 12 },
        { header: '本月', key: 'status', width: 8 },
        { header: '送药日期', key: 'deliveredOn', width: 12 },
        { header: '结算流水号', key: 'settlementId', width: 12 },
        { header: '药费救助项目', key: 'programme', width: 20 },
      ]);
      for (const raw of list.items) {
        const r = this.shownRow(actor, raw);
        sheet.row({
          township: r.townshipCode,
          name: r.name,
          certno: r.certno,
          card: r.cardNo,
          phone: r.phone ?? '',
          disability: r.disability === 'disabled' ? '失能' : '半失能',
          disease: r.disease,
          diagnosis: r.diagnosis,
          institution: r.fixmedinsCode,
          confirmedBy: r.confirmedBy,
          confirmedOn: r.confirmedOn,
          status: r.deliveredOn === null ? '应送' : '已送',
          deliveredOn: r.deliveredOn ?? '',
          settlementId: r.settlementId ?? '',
          programme: r.programme ?? '',
        });
      }
    });
    return { fileName: `送医送药上门台帐-${month}.xlsx`, content };
  }
}
